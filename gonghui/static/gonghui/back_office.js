// Small behaviours shared by every back-office page (loaded through
// UNFOLD["SCRIPTS"]). They live here, bound by data attributes, because the
// Content Security Policy refuses inline handlers and javascript: URLs.

// <a data-back href="../">: back in the browser's history when there is one,
// to the href (the parent page) otherwise.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});

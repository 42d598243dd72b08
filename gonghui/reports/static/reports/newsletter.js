// Rich-text fields of the newsletter pages: an editable <div data-rich-for="name">
// is copied into the form's hidden input of that name when the form is sent.
(function () {
  document.querySelectorAll("form[data-rich]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-rich-for]").forEach(function (editor) {
        form.querySelector('input[name="' + editor.dataset.richFor + '"]').value = editor.innerHTML;
      });
    });
  });
  // While editing, a click on a figure places the caret instead of leaving the page.
  document.querySelectorAll("[data-rich-for]").forEach(function (editor) {
    editor.addEventListener("click", function (e) {
      if (e.target.closest("a")) e.preventDefault();
    });
  });
  var box = document.getElementById("newsletter");
  if (box) {
    var stale = (box.dataset.stale || "").split(" ");
    box.querySelectorAll("a.fig").forEach(function (a) {
      if (stale.indexOf(a.dataset.fig) >= 0) { a.classList.add("stale"); a.title = "生成后记录有变动"; }
    });
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });
})();

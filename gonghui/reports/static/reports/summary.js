(function () {
  // Confirmation before an irreversible submit (no inline handlers: CSP).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });
  var body = document.getElementById("report-body");
  var stale = (document.getElementById("summary").dataset.stale || "").split(" ");
  body.querySelectorAll("a.fig").forEach(function (a) {
    if (stale.indexOf(a.dataset.fig) >= 0) { a.classList.add("stale"); a.title = "起草后记录有变动"; }
  });
  var edit = document.getElementById("edit"), save = document.getElementById("save");
  if (!edit) return;
  edit.addEventListener("click", function () {
    body.contentEditable = "true"; body.focus();
    edit.classList.add("hidden"); save.classList.remove("hidden");
  });
  // While editing, a click on a figure places the caret instead of leaving the page.
  body.addEventListener("click", function (e) {
    if (body.isContentEditable && e.target.closest("a")) e.preventDefault();
  });
  save.addEventListener("click", function () {
    body.querySelectorAll("a.fig.stale").forEach(function (a) { a.classList.remove("stale"); a.removeAttribute("title"); });
    document.getElementById("body-input").value = body.innerHTML;
    document.getElementById("save-form").submit();
  });
})();

(function () {
  // Confirmation before an irreversible return (no inline handlers: CSP).
  document.querySelectorAll("form[data-collection-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.collectionConfirm)) e.preventDefault();
    });
  });
})();

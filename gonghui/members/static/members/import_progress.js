// Polls the import job's progress and reloads the page when it has finished.
(function () {
  var box = document.getElementById("import-progress");
  if (!box) return;
  var url = box.dataset.url;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        if (p.finished) { window.location.reload(); return; }
        document.getElementById("import-phase").textContent = p.phase;
        document.getElementById("import-count").textContent = p.done + " / " + p.total;
        document.getElementById("import-bar").style.width = p.percent + "%";
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();

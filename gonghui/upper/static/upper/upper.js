/*
 * The upper-union workspace's small behaviours, no third-party code:
 *  - tables marked data-sortable sort on a header button click (numbers by
 *    data-sort-value, text by locale), toggling ascending/descending;
 *  - the ranking charts (#ranking-charts json_script) are drawn with the
 *    Chart.js django-unfold ships (global `Chart`, no CDN): horizontal bars,
 *    units below the target in red, the target as a dashed line; a click on a
 *    bar opens the unit's records.
 */
(function () {
  "use strict";

  var FONT =
    '"Inter", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", ' +
    '"WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif';
  var GOOD = "#9333ea";
  var BELOW = "#ef4444";
  var MUTED = "#9ca3af";

  function sortValue(cell, numeric) {
    var raw = cell.dataset.sortValue !== undefined ? cell.dataset.sortValue : cell.textContent.trim();
    return numeric ? parseFloat(raw.replace(/,/g, "")) || 0 : raw;
  }

  function sortable(table) {
    table.querySelectorAll("button[data-sort-column]").forEach(function (button) {
      button.addEventListener("click", function () {
        var column = Number(button.dataset.sortColumn);
        var numeric = button.dataset.sortType !== "text";
        var descending = button.dataset.sorted !== "descending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortValue(a.cells[column], numeric);
          var y = sortValue(b.cells[column], numeric);
          var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return descending ? -order : order;
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
        table.querySelectorAll("button[data-sort-column]").forEach(function (other) {
          delete other.dataset.sorted;
          other.closest("th").removeAttribute("aria-sort");
        });
        button.dataset.sorted = descending ? "descending" : "ascending";
        button.closest("th").setAttribute("aria-sort", button.dataset.sorted);
      });
    });
  }

  var targetLine = {
    id: "upperTarget",
    afterDatasetsDraw: function (chart) {
      var target = chart.options.plugins.upperTarget && chart.options.plugins.upperTarget.value;
      if (target === null || target === undefined) {
        return;
      }
      var x = chart.scales.x.getPixelForValue(target);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = BELOW;
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.restore();
    },
  };

  function drawRanking(canvas, spec) {
    var colours = spec.below.map(function (below) {
      return below ? BELOW : GOOD;
    });
    var max = Math.max.apply(null, spec.values.concat([spec.target || 0]));
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.label,
            data: spec.values,
            backgroundColor: colours,
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      plugins: [targetLine],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: "y",
        scales: {
          x: {
            beginAtZero: true,
            suggestedMax: spec.unit === "%" ? Math.min(100, max * 1.05) : undefined,
            ticks: { color: MUTED, font: { family: FONT, size: 11 } },
            title: { display: true, text: spec.label + "（" + spec.unit + "）", color: MUTED, font: { family: FONT } },
            grid: { color: "rgba(156, 163, 175, 0.2)" },
          },
          y: { ticks: { color: MUTED, font: { family: FONT, size: 12 }, autoSkip: false }, grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          upperTarget: { value: spec.target },
          tooltip: {
            titleFont: { family: FONT },
            bodyFont: { family: FONT },
            callbacks: {
              label: function (context) {
                var text = spec.label + "：" + Number(context.raw).toLocaleString("zh-CN") + spec.unit;
                return spec.below[context.dataIndex] ? text + "（未达目标）" : text;
              },
              footer: function () {
                return spec.target_label ? spec.target_label + "；点击查看明细" : "点击查看明细";
              },
            },
          },
        },
        onHover: function (event, elements, chart) {
          chart.canvas.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (elements.length && spec.links[elements[0].index]) {
            window.location.assign(spec.links[elements[0].index]);
          }
        },
      },
    });
    canvas.dataset.rendered = "true";
  }

  function charts() {
    var source = document.getElementById("ranking-charts");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-ranking-chart]").forEach(function (canvas) {
      var spec = specs[canvas.dataset.rankingChart];
      if (spec && spec.values.length && !Chart.getChart(canvas)) {
        drawRanking(canvas, spec);
      }
    });
  }

  function start() {
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
    charts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/*
 * The union dashboard's charts, drawn with the Chart.js that django-unfold ships
 * (loaded by the admin layout as the global `Chart`; nothing is fetched from a CDN).
 *
 * The specs come from gonghui/reports/charts.py through json_script
 * (#dashboard-charts): {name: {kind, labels, series: [{label, values, links,
 * unit, kind, axis}], empty}}. Each <canvas data-dashboard-chart="name"> gets
 * its chart; clicking a bar or a point opens the records behind it (the link
 * carried with the value). A drawn canvas is marked data-rendered="true".
 */
(function () {
  "use strict";

  // Canvas text falls back glyph by glyph only within this list: name CJK fonts.
  var FONT =
    '"Inter", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", ' +
    '"WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif';
  var COLOURS = ["#9333ea", "#f59e0b", "#10b981", "#3b82f6", "#ef4444"];
  var MUTED = "#9ca3af";

  function formatNumber(value) {
    return Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function datasets(spec) {
    var funnel = spec.kind === "funnel";
    return spec.series.map(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      var line = !funnel && series.kind === "line";
      return {
        type: line ? "line" : "bar",
        label: series.label,
        data: series.values,
        links: series.links,
        unit: series.unit,
        yAxisID: funnel ? undefined : series.axis,
        backgroundColor: line ? colour : colour + (funnel ? "" : "cc"),
        borderColor: colour,
        borderWidth: line ? 2 : 0,
        borderRadius: 4,
        maxBarThickness: 48,
        pointRadius: line ? 4 : undefined,
        pointHoverRadius: line ? 6 : undefined,
        tension: 0,
        order: line ? 0 : 1, // lines drawn over the bars (the legend keeps series order)
      };
    });
  }

  function scales(spec) {
    var funnel = spec.kind === "funnel";
    var ticks = { color: MUTED, font: { family: FONT, size: 12 } };
    var valueTicks = { color: MUTED, font: { family: FONT, size: 11 }, precision: 0 };
    var grid = { color: "rgba(156, 163, 175, 0.2)" };
    if (funnel) {
      return {
        x: { beginAtZero: true, ticks: valueTicks, grid: grid },
        y: { ticks: ticks, grid: { display: false } },
      };
    }
    var result = {
      x: { ticks: ticks, grid: { display: false } },
      y: {
        beginAtZero: true,
        ticks: valueTicks,
        grid: grid,
        title: { display: true, text: unitOf(spec, "y"), color: MUTED, font: { family: FONT } },
      },
    };
    if (spec.series.some(function (s) { return s.axis === "y2"; })) {
      result.y2 = {
        position: "right",
        beginAtZero: true,
        ticks: valueTicks,
        grid: { display: false },
        title: { display: true, text: unitOf(spec, "y2"), color: MUTED, font: { family: FONT } },
      };
    }
    return result;
  }

  function unitOf(spec, axis) {
    var units = [];
    spec.series.forEach(function (s) {
      if (s.axis === axis && units.indexOf(s.unit) < 0) {
        units.push(s.unit);
      }
    });
    return units.join("／");
  }

  function linkAt(chart, elements) {
    if (!elements.length) {
      return null;
    }
    var element = elements[0];
    var links = chart.data.datasets[element.datasetIndex].links || [];
    return links[element.index] || null;
  }

  function config(spec) {
    var funnel = spec.kind === "funnel";
    var onBars = spec.kind !== "line";
    return {
      type: funnel ? "bar" : spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets(spec) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: funnel ? "y" : "x",
        interaction: { mode: "nearest", intersect: onBars, axis: funnel ? "y" : "x" },
        font: { family: FONT },
        scales: scales(spec),
        plugins: {
          legend: {
            display: spec.series.length > 1,
            position: "top",
            align: "end",
            labels: {
              color: MUTED,
              font: { family: FONT },
              boxWidth: 10,
              boxHeight: 10,
              sort: function (a, b) {
                return a.datasetIndex - b.datasetIndex;
              },
            },
          },
          tooltip: {
            titleFont: { family: FONT },
            bodyFont: { family: FONT },
            footerFont: { family: FONT, weight: "normal" },
            callbacks: {
              label: function (context) {
                return context.dataset.label + "：" + formatNumber(context.raw) + context.dataset.unit;
              },
              footer: function () {
                return "点击查看明细";
              },
            },
          },
        },
        onHover: function (event, elements, chart) {
          chart.canvas.style.cursor = linkAt(chart, elements) ? "pointer" : "default";
        },
        onClick: function (event, elements, chart) {
          var link = linkAt(chart, elements);
          if (link) {
            window.location.assign(link);
          }
        },
      },
    };
  }

  function render() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-dashboard-chart]").forEach(function (canvas) {
      var spec = specs[canvas.dataset.dashboardChart];
      if (!spec || spec.empty || Chart.getChart(canvas)) {
        return;
      }
      new Chart(canvas, config(spec));
      canvas.dataset.rendered = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();

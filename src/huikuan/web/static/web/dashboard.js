/* Draws the dashboard's charts with the vendored Chart.js from the JSON the page embeds
   (json_script "dashboard-data"): amounts arrive as integer minor units and are divided only
   here, for drawing. Nothing is fetched. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var font = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.family = font;
  Chart.defaults.color = "#374151";
  Chart.defaults.animation = false;

  function major(values, exp) { return values.map(function (v) { return v / Math.pow(10, exp); }); }
  function formatter(currency) {
    var f = new Intl.NumberFormat(document.documentElement.lang || "zh-CN",
                                  { style: "currency", currency: currency || "CNY", maximumFractionDigits: 0 });
    return function (v) { return f.format(v); };
  }
  function exact(currency) {
    var f = new Intl.NumberFormat(document.documentElement.lang || "zh-CN",
                                  { style: "currency", currency: currency || "CNY" });
    return function (ctx) { return " " + (ctx.dataset.label ? ctx.dataset.label + "：" : "") + f.format(ctx.parsed.y !== undefined ? ctx.parsed.y : ctx.parsed); };
  }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  var aging = data.aging;
  draw("chart-aging", {
    type: "bar",
    data: { labels: aging.labels, datasets: [{ data: major(aging.values, aging.exponent),
      backgroundColor: ["#9ca3af", "#fcd34d", "#fbbf24", "#f59e0b", "#ea580c", "#b91c1c"], borderRadius: 4,
      maxBarThickness: 64 }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false },
      tooltip: { callbacks: { label: exact(aging.currency) } } },
      scales: { y: { beginAtZero: true, ticks: { callback: formatter(aging.currency) } }, x: { grid: { display: false } } } }
  });

  var fees = data.fees;
  draw("chart-fees", {
    type: "doughnut",
    data: { labels: fees.labels, datasets: [{ data: major(fees.values, fees.exponent),
      backgroundColor: ["#1d4ed8", "#0891b2", "#7c3aed", "#db2777", "#65a30d", "#ea580c", "#6b7280"] }] },
    options: { maintainAspectRatio: false, cutout: "55%",
      plugins: { legend: { position: "right" }, tooltip: { callbacks: { label: exact(fees.currency) } } } }
  });

  var trend = data.trend;
  // few months: keep the two bars of a month side by side instead of spread over the width
  var share = Math.min(0.8, 0.2 * Math.max(trend.labels.length, 1));
  draw("chart-trend", {
    type: "bar",
    data: { labels: trend.labels, datasets: [
      { label: trend.series[0], data: major(trend.sales, trend.exponent), backgroundColor: "#93c5fd", borderRadius: 4, maxBarThickness: 56,
        categoryPercentage: share },
      { label: trend.series[1], data: major(trend.collected, trend.exponent), backgroundColor: "#1d4ed8", borderRadius: 4, maxBarThickness: 56,
        categoryPercentage: share }] },
    options: { maintainAspectRatio: false, plugins: { legend: { position: "top", align: "end" },
      tooltip: { callbacks: { label: exact(trend.currency) } } },
      scales: { y: { beginAtZero: true, ticks: { callback: formatter(trend.currency) } }, x: { grid: { display: false } } } }
  });
}());

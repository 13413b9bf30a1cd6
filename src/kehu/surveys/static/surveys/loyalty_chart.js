/* Kehu satisfaction → loyalty curve: retention and repeat purchase by CSAT score with their
   95 % (Wilson) bands, drawn with the vendored ECharts (no network). The band is a stacked
   pair of areas: the low end (transparent) and the width (shaded) on top of it. */
(function () {
  "use strict";

  function band(d, lowKey, highKey, stack, color) {
    var low = d[lowKey], high = d[highKey];
    var width = high.map(function (h, i) { return h === null || low[i] === null ? null : +(h - low[i]).toFixed(1); });
    return [
      { name: d.labels.band, type: "line", stack: stack, data: low, symbol: "none",
        lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
      { name: d.labels.band, type: "line", stack: stack, data: width, symbol: "none",
        lineStyle: { opacity: 0 }, areaStyle: { color: color, opacity: 0.18 }, silent: true,
        tooltip: { show: false } }
    ];
  }

  function draw() {
    var el = document.getElementById("loyalty-chart");
    var node = el && document.getElementById(el.dataset.source);
    if (!el || !node || !window.echarts) return;
    var d = JSON.parse(node.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 44, right: 16, top: 48, bottom: 40 },
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [d.labels.retention, d.labels.repeat] },
      xAxis: { type: "category", data: d.scores, name: d.labels.score, nameLocation: "middle", nameGap: 26 },
      yAxis: { type: "value", min: 0, max: 100, name: "%" },
      series: band(d, "retention_low", "retention_high", "rb", "#0969da")
        .concat(band(d, "repeat_low", "repeat_high", "pb", "#1a7f37"))
        .concat([
          { name: d.labels.retention, type: "line", data: d.retention, connectNulls: true,
            itemStyle: { color: "#0969da" }, showSymbol: true, symbol: "circle", symbolSize: 9 },
          { name: d.labels.repeat, type: "line", data: d.repeat, connectNulls: true,
            itemStyle: { color: "#1a7f37" }, showSymbol: true, symbol: "circle", symbolSize: 9 }
        ])
        // Points as scatter too: a score whose neighbours have no answers is a lone point,
        // which a line series does not draw.
        .concat([
          { name: d.labels.retention, type: "scatter", data: d.retention, symbolSize: 9,
            itemStyle: { color: "#0969da" } },
          { name: d.labels.repeat, type: "scatter", data: d.repeat, symbolSize: 9,
            itemStyle: { color: "#1a7f37" } }
        ])
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

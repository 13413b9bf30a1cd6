/* The targets trend: actual against target per month for the chosen line and indicator.
   Data from the page's json_script (no inline script: CSP). */
(function () {
  function draw() {
    var el = document.getElementById("trend-chart");
    var data = document.getElementById("trend-data");
    var pick = document.getElementById("trend-metric");
    if (!el || !data || !pick || !window.echarts) return;
    var c = JSON.parse(data.textContent);
    var chart = window.echarts.init(el);
    function show() {
      var m = pick.value;
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: [c.names.actual, c.names.target] },
        grid: { left: 48, right: 16, top: 40, bottom: 32 },
        xAxis: { type: "category", data: c.months },
        yAxis: { type: "value", name: c.labels[m] },
        series: [
          { name: c.names.actual, type: "bar", data: c.actual[m] },
          { name: c.names.target, type: "line", data: c.target[m], connectNulls: false, z: 3,
            symbol: "diamond", symbolSize: 14, showAllSymbol: true, color: "#d1242f",
            lineStyle: { width: 2, type: "dashed" } }
        ]
      }, true);
    }
    pick.addEventListener("change", show);
    show();
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

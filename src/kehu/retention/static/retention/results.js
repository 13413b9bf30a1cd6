/* The results chart: treated vs control per metric, and the lift with its 95 % interval.
   Data from the page's json_script (no inline script: CSP). */
(function () {
  function draw() {
    var el = document.getElementById("lift-chart");
    var data = document.getElementById("chart-data");
    if (!el || !data || !window.echarts) return;
    var c = JSON.parse(data.textContent);
    var chart = window.echarts.init(el);
    var errors = c.labels.map(function (_l, i) { return [i, c.ci_low[i], c.ci_high[i]]; });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [c.names.lift] },
      xAxis: { type: "category", data: c.labels },
      yAxis: { type: "value" },
      series: [
        { name: c.names.lift, type: "scatter", data: c.lift, symbolSize: 12 },
        {
          type: "custom", name: "95%", data: errors,
          renderItem: function (params, api) {
            var lo = api.coord([api.value(0), api.value(1)]);
            var hi = api.coord([api.value(0), api.value(2)]);
            return { type: "group", children: [
              { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: "#1f6feb", lineWidth: 2 } },
              { type: "line", shape: { x1: lo[0] - 8, y1: lo[1], x2: lo[0] + 8, y2: lo[1] }, style: { stroke: "#1f6feb", lineWidth: 2 } },
              { type: "line", shape: { x1: hi[0] - 8, y1: hi[1], x2: hi[0] + 8, y2: hi[1] }, style: { stroke: "#1f6feb", lineWidth: 2 } }
            ] };
          }
        }
      ],
      markLine: { data: [{ yAxis: 0 }] }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

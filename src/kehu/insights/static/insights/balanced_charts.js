/* Kehu balanced report charts: every element with data-balanced-chart="kind" and
   data-source="<json_script id>" is drawn with the vendored ECharts (no network). Words come
   translated in data.labels; a tier's targets are dashed lines. */
(function () {
  "use strict";

  function line(d, name, axis, color) {
    var s = { name: d.labels[name], type: "line", yAxisIndex: axis || 0, connectNulls: true,
      data: d.series[name], itemStyle: { color: color } };
    var goal = d.targets[name];
    if (goal !== null && goal !== undefined) {
      s.markLine = { symbol: "none", lineStyle: { type: "dashed", color: color },
        label: { formatter: d.target_word + " " + goal, fontSize: 10 }, data: [{ yAxis: goal }] };
    }
    return s;
  }

  var builders = {
    customers: function (d) {
      return {
        grid: { left: 40, right: 40, top: 60, bottom: 30 },
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [d.labels.csat_pct, d.labels.retention_pct, d.labels.nps] },
        xAxis: { type: "category", data: d.months },
        yAxis: [{ type: "value", name: "%" }, { type: "value", name: "NPS", min: -100, max: 100 }],
        series: [line(d, "csat_pct", 0, "#1a7f37"), line(d, "retention_pct", 0, "#0969da"),
                 line(d, "nps", 1, "#8250df")]
      };
    },
    service: function (d) {
      var bars = { name: d.labels.handling_minutes, type: "bar", yAxisIndex: 1,
        data: d.series.handling_minutes, itemStyle: { color: "#d4a72c" } };
      var goal = d.targets.handling_minutes;
      if (goal !== null && goal !== undefined) {
        bars.markLine = { symbol: "none", lineStyle: { type: "dashed" },
          label: { formatter: d.target_word + " " + goal, fontSize: 10 }, data: [{ yAxis: goal }] };
      }
      return {
        grid: { left: 40, right: 40, top: 60, bottom: 30 },
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [d.labels.fcr_pct, d.labels.sla_pct, d.labels.handling_minutes] },
        xAxis: { type: "category", data: d.months },
        yAxis: [{ type: "value", name: "%", max: 100 }, { type: "value", name: "min" }],
        series: [line(d, "fcr_pct", 0, "#cf222e"), line(d, "sla_pct", 0, "#57606a"), bars]
      };
    }
  };

  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-balanced-chart]").forEach(function (el) {
      var node = document.getElementById(el.dataset.source);
      var build = builders[el.dataset.balancedChart];
      if (!node || !build) return;
      var chart = echarts.init(el);
      chart.setOption(build(JSON.parse(node.textContent)));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

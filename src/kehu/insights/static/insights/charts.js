/* Kehu value charts: every element with data-chart="kind" and data-source="<json_script id>"
   is drawn with the vendored ECharts (no network). Words come translated in data.labels. */
(function () {
  "use strict";

  function data(el) {
    var node = document.getElementById(el.dataset.source);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(v) {
    return v === null || v === undefined ? "—" : Number(v).toLocaleString(undefined, { maximumFractionDigits: 0 });
  }

  var builders = {
    whale: function (d) {
      var L = d.labels;
      return {
        grid: { left: 55, right: 30, top: 35, bottom: 45 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v.toFixed(1) + "%"; } },
        xAxis: { type: "value", min: 0, max: 100, name: L.customers, nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "value", name: L.profit_pct, nameTextStyle: { align: "left" } },
        series: [{
          type: "line", showSymbol: false, data: d.whale, areaStyle: { opacity: 0.08 },
          markLine: { silent: true, symbol: "none", label: { show: false },
            data: [{ yAxis: 100 }], lineStyle: { type: "dashed" } }
        }]
      };
    },
    pareto: function (d) {
      var L = d.labels, p = d.pareto;
      return {
        grid: { left: 70, right: 50, top: 30, bottom: 45 },
        tooltip: { trigger: "axis" },
        legend: { data: [L.profit, L.cumulative] },
        xAxis: { type: "category", data: p.labels, name: L.customers, nameLocation: "middle", nameGap: 28 },
        yAxis: [{ type: "value", name: L.profit }, { type: "value", name: "%", splitLine: { show: false } }],
        series: [
          { name: L.profit, type: "bar", data: p.profit.map(function (v) {
              return { value: v, itemStyle: { color: v < 0 ? "#cf222e" : "#1f6feb" } }; }) },
          { name: L.cumulative, type: "line", yAxisIndex: 1, data: p.cumulative_pct }
        ]
      };
    },
    grades: function (d) { return distribution(d, d.grades); },
    tiers: function (d) { return distribution(d, d.tiers); },
    cohort: function (d) {
      var L = d.labels, c = d.cohorts;
      return {
        grid: { left: 75, right: 20, top: 10, bottom: 80 },
        tooltip: { formatter: function (p) {
          return c.cohorts[p.value[1]] + " · +" + p.value[0] + ": " + p.value[2] + "%"; } },
        xAxis: { type: "category", data: c.periods, name: L.period, nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "category", data: c.cohorts, name: L.cohort },
        visualMap: { min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0,
          text: ["100%", "0%"], inRange: { color: ["#f6f8fa", "#54aeff", "#0b3d91"] } },
        series: [{ type: "heatmap", data: c.cells, label: { show: c.periods.length <= 13 } }]
      };
    },
    trend: function (d) {
      var L = d.labels, t = d.trend;
      return {
        grid: { left: 70, right: 50, top: 30, bottom: 30 },
        tooltip: { trigger: "axis" },
        legend: { data: [L.profit, L.clv, L.core, L.losses] },
        xAxis: { type: "category", data: t.map(function (r) { return r.as_of; }) },
        yAxis: [{ type: "value" }, { type: "value", splitLine: { show: false } }],
        series: [
          { name: L.profit, type: "line", data: t.map(function (r) { return r.profit; }) },
          { name: L.clv, type: "line", data: t.map(function (r) { return r.clv; }) },
          { name: L.core, type: "bar", yAxisIndex: 1, data: t.map(function (r) { return r.core; }) },
          { name: L.losses, type: "bar", yAxisIndex: 1, data: t.map(function (r) { return r.losses; }) }
        ]
      };
    },
    spark: function (d) {
      var L = d.labels;
      return {
        grid: { left: 30, right: 40, top: 8, bottom: 18 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.as_of, axisLabel: { show: false } },
        yAxis: [{ type: "value", min: 0, max: 100, axisLabel: { fontSize: 9 } },
                { type: "value", splitLine: { show: false }, axisLabel: { fontSize: 9 } }],
        series: [
          { name: L.p_alive, type: "line", data: d.p_alive, symbolSize: 4 },
          { name: L.profit, type: "line", yAxisIndex: 1, data: d.profit, symbolSize: 4,
            lineStyle: { type: "dashed" } }
        ]
      };
    }
  };

  function distribution(d, rows) {
    var L = d.labels;
    var names = rows.map(function (r) { return r.key || L.unranked; });
    return {
      grid: { left: 60, right: 60, top: 30, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { data: [L.count, L.profit] },
      xAxis: { type: "category", data: names },
      yAxis: [{ type: "value", name: L.count }, { type: "value", name: L.profit, splitLine: { show: false } }],
      series: [
        { name: L.count, type: "bar", data: rows.map(function (r) { return r.count; }) },
        { name: L.profit, type: "bar", yAxisIndex: 1, data: rows.map(function (r) { return r.profit; }) }
      ]
    };
  }

  function draw() {
    if (!window.echarts) { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data(el), build = builders[el.dataset.chart];
      if (!d || !build || el.dataset.drawn) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(d));
      el.dataset.drawn = "1";
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

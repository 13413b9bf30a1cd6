/* Kehu churn report charts: every element with data-churn-chart="kind" and
   data-source="<json_script id>" is drawn with the vendored ECharts (no network). Words come
   translated in data.labels. (A separate attribute from the value charts' data-chart, so the
   two scripts never draw the same element.) */
(function () {
  "use strict";

  function data(el) {
    var node = document.getElementById(el.dataset.source);
    return node ? JSON.parse(node.textContent) : null;
  }

  var BAND_COLORS = ["#1a7f37", "#d4a72c", "#cf222e"];

  var builders = {
    trend: function (d) {
      var L = d.labels, t = d.trend;
      return {
        grid: { left: 45, right: 45, top: 35, bottom: 30 },
        tooltip: { trigger: "axis" },
        legend: { data: [L.complete, L.partial, L.probability] },
        xAxis: { type: "category", data: t.map(function (r) { return r.as_of; }) },
        yAxis: [{ type: "value", name: "%" }],
        series: [
          { name: L.complete, type: "bar", stack: "churn", data: t.map(function (r) { return r.complete_pct; }), itemStyle: { color: "#cf222e" } },
          { name: L.partial, type: "bar", stack: "churn", data: t.map(function (r) { return r.partial_pct; }), itemStyle: { color: "#d4a72c" } },
          { name: L.probability, type: "line", data: t.map(function (r) { return r.avg_probability_pct; }) }
        ]
      };
    },
    distribution: function (d) {
      var L = d.labels, x = d.distribution;
      return {
        grid: { left: 55, right: 20, top: 35, bottom: 50 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: x.labels, name: L.risk, nameLocation: "middle", nameGap: 32,
          axisLabel: { rotate: 30, fontSize: 10 } },
        yAxis: { type: "value", name: L.customers },
        series: [{ type: "bar", data: x.counts.map(function (v, i) {
          // A tenth's colour is the band its upper half falls in.
          var p = (i + 0.5) / x.counts.length;
          var band = p >= x.high_from ? 2 : (p >= x.medium_from ? 1 : 0);
          return { value: v, itemStyle: { color: BAND_COLORS[band] } }; }) }]
      };
    },
    reasons: function (d) {
      var r = d.reasons;
      return {
        grid: { left: 110, right: 20, top: 60, bottom: 25 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { type: "scroll", data: r.code_labels },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: r.segment_labels, inverse: true },
        series: r.codes.map(function (code, j) {
          return { name: r.code_labels[j], type: "bar", stack: "reasons",
            data: r.cells.map(function (row) { return row[j]; }) };
        })
      };
    },
    backtest: function (d) {
      var L = d.labels, months = {}, series = [];
      d.backtests.forEach(function (b) { b.months.forEach(function (m) { months[m.month_end] = 1; }); });
      var axis = Object.keys(months).sort();
      d.backtests.forEach(function (b) {
        var byMonth = {};
        b.months.forEach(function (m) { byMonth[m.month_end] = m; });
        series.push({ name: b.label + " · " + L.auc, type: "line", connectNulls: true,
          data: axis.map(function (k) { return byMonth[k] ? byMonth[k].auc : null; }) });
        series.push({ name: b.label + " · " + L.lift, type: "bar", yAxisIndex: 1,
          data: axis.map(function (k) { return byMonth[k] ? byMonth[k].lift : null; }) });
      });
      return {
        grid: { left: 45, right: 45, top: 45, bottom: 30 },
        tooltip: { trigger: "axis" },
        legend: { type: "scroll" },
        xAxis: { type: "category", data: axis },
        yAxis: [{ type: "value", name: L.auc, min: 0.5, max: 1 },
                { type: "value", name: L.lift, splitLine: { show: false } }],
        series: series
      };
    },
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
    repeat: function (d) {
      var L = d.labels, r = d.cohorts.repeat || [];
      return {
        grid: { left: 45, right: 20, top: 30, bottom: 45 },
        tooltip: { trigger: "axis" },
        legend: { data: [L.repeat] },
        xAxis: { type: "category", data: r.map(function (x) { return x.cohort; }),
          name: L.cohort, nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "value", name: "%", min: 0, max: 100 },
        series: [{ name: L.repeat, type: "bar", data: r.map(function (x) { return x.repeat_pct; }) }]
      };
    }
  };

  function draw() {
    if (!window.echarts) { return; }
    var charts = [];
    document.querySelectorAll("[data-churn-chart]").forEach(function (el) {
      var d = data(el), build = builders[el.dataset.churnChart];
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

// Purchasing charts: the supplier scorecard (radar + bar) and the stock figures (turnover
// lines + stock value pie). Data comes as JSON from the page's own URL with format=json.
(function () {
  "use strict";

  function box(id) {
    var el = document.getElementById(id);
    if (el) {
      el.style.height = "320px"; // CSSOM, allowed under the page's CSP
    }
    return el;
  }

  function load(el, draw) {
    if (!el || typeof echarts === "undefined") {
      return;
    }
    fetch(el.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(draw)
      .catch(function () { el.textContent = "—"; });
  }

  function resizeWith(charts) {
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  function scorecard() {
    var radarEl = box("score-radar");
    var barEl = box("score-bar");
    load(radarEl, function (data) {
      var radar = echarts.init(radarEl);
      radar.setOption({
        tooltip: {},
        legend: { type: "scroll", bottom: 0 },
        radar: { indicator: data.dimensions.map(function (d) { return { name: d, max: 100 }; }) },
        series: [{
          type: "radar",
          areaStyle: { opacity: 0.15 },
          data: data.suppliers.map(function (s) {
            return { name: s.name, value: s.scores.map(function (v) { return v === null ? 0 : v; }) };
          })
        }]
      });
      var bar = echarts.init(barEl);
      bar.setOption({
        tooltip: {},
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100 },
        yAxis: { type: "category", inverse: true, data: data.suppliers.map(function (s) { return s.name; }) },
        series: [{ type: "bar", name: data.total_label, data: data.suppliers.map(function (s) { return s.total; }) }]
      });
      resizeWith([radar, bar]);
    });
  }

  function stockFigures() {
    var lineEl = box("turnover-chart");
    var pieEl = box("value-chart");
    load(lineEl, function (data) {
      var line = echarts.init(lineEl);
      line.setOption({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: data.periods },
        yAxis: { type: "value", name: data.turnover_label },
        series: data.series.map(function (s) { return { type: "line", name: s.name, data: s.turnover, connectNulls: true }; })
      });
      var pie = echarts.init(pieEl);
      pie.setOption({
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], data: data.stock_value }]
      });
      resizeWith([line, pie]);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("score-radar")) {
      scorecard();
    }
    if (document.getElementById("turnover-chart")) {
      stockFigures();
    }
  });
})();

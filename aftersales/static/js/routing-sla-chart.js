// SLA compliance chart: met and breached targets as stacked bars, compliance as a line on a
// second axis. The data comes as JSON from the report's data URL with the page's filters.
(function () {
  "use strict";
  var el = document.getElementById("sla-chart");
  if (!el || typeof echarts === "undefined") {
    return;
  }
  el.style.height = "340px"; // CSSOM, allowed under the page's CSP
  fetch(el.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      var chart = echarts.init(el);
      var names = data.series_names;
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 8, right: 8, top: 24, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
        yAxis: [
          { type: "value", minInterval: 1 },
          { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } }
        ],
        series: [
          { name: names.met, type: "bar", stack: "finished", data: data.met, itemStyle: { color: "#198754" } },
          { name: names.breached, type: "bar", stack: "finished", data: data.breached, itemStyle: { color: "#dc3545" } },
          { name: names.compliance, type: "line", yAxisIndex: 1, data: data.compliance, connectNulls: true, itemStyle: { color: "#0d6efd" } }
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    })
    .catch(function () { el.textContent = "—"; });
})();

// Draws the dashboard's charts from the JSON the page embeds (#charts); SVG so they print sharp.
(function () {
  "use strict";
  function draw() {
    var data = document.getElementById("charts");
    if (!data || typeof echarts === "undefined") return;
    var options = JSON.parse(data.textContent);
    var holders = document.querySelectorAll("[data-chart]");
    var charts = [];
    holders.forEach(function (el) {
      var option = options[Number(el.dataset.chart)];
      if (!option) return;
      option.textStyle = { fontFamily: getComputedStyle(document.body).fontFamily };
      option.animation = false;
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.dataset.ready = "1";
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

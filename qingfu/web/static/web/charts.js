// Draws the dashboards' charts from the JSON the page embeds (#charts); SVG so they print sharp.
// Every chart is drawn in one theme, "qingfu", registered here once from the palette in
// qingfu.css (--chart-1 … --chart-6, the ink and line colours), so charts match the pages.
(function () {
  "use strict";

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function theme() {
    var ink = css("--ink", "#1f2a37");
    var soft = css("--ink-soft", "#5b6675");
    var line = css("--line", "#e3e7ee");
    var palette = [];
    for (var i = 1; i <= 6; i++) palette.push(css("--chart-" + i, ink));
    var axis = {
      axisLine: { lineStyle: { color: soft } },
      axisTick: { lineStyle: { color: soft } },
      axisLabel: { color: soft },
      splitLine: { lineStyle: { color: line } },
    };
    return {
      color: palette,
      backgroundColor: "transparent",
      textStyle: { color: ink, fontFamily: getComputedStyle(document.body).fontFamily },
      title: { textStyle: { color: ink, fontWeight: 600 } },
      legend: { textStyle: { color: soft }, pageIconColor: ink, pageTextStyle: { color: soft } },
      tooltip: { backgroundColor: css("--paper", "#fff"), borderColor: line, textStyle: { color: ink } },
      categoryAxis: axis,
      valueAxis: axis,
      line: { symbolSize: 6, lineStyle: { width: 2 } },
      bar: { itemStyle: { borderRadius: [3, 3, 0, 0] } },
    };
  }

  // A series may name a palette colour by its place ("paletteIndex"), so that two series
  // share one (this year's line and last year's dashed one) without repeating a hex code.
  function paint(option, palette) {
    (option.series || []).forEach(function (s) {
      if (typeof s.paletteIndex === "number") {
        s.color = palette[s.paletteIndex % palette.length];
        delete s.paletteIndex;
      }
    });
  }

  // A legend at the bottom wraps onto more lines as the chart narrows (a phone) and ran over
  // the axis labels: once drawn, measure where the legend starts and give the grid that room
  // below the labels (the option's own grid.bottom allowed for a one-line legend, ~24 px).
  var ONE_LINE = 24;
  function clearLegend(chart, el, option) {
    if (!option.legend || !option.grid) return;
    var names = {};
    (option.series || []).forEach(function (s) { names[s.name] = true; });
    var top = Infinity;
    el.querySelectorAll("svg text").forEach(function (t) {
      if (names[t.textContent]) top = Math.min(top, t.getBoundingClientRect().top);
    });
    if (top === Infinity) return;
    var legend = el.getBoundingClientRect().bottom - top;
    var base = option.grid.base === undefined ? Number(option.grid.bottom) || 0 : option.grid.base;
    option.grid.base = base;
    var bottom = Math.max(base, Math.ceil(legend) + base - ONE_LINE + 6);
    if (bottom !== option.grid.bottom) {
      option.grid.bottom = bottom;
      chart.setOption({ grid: { bottom: bottom } });
    }
  }

  function draw() {
    var data = document.getElementById("charts");
    if (!data || typeof echarts === "undefined") return;
    var qingfu = theme();
    echarts.registerTheme("qingfu", qingfu);
    var options = JSON.parse(data.textContent);
    var holders = document.querySelectorAll("[data-chart]");
    var charts = [];
    holders.forEach(function (el) {
      var option = options[Number(el.dataset.chart)];
      if (!option) return;
      option.animation = false;
      paint(option, qingfu.color);
      var chart = echarts.init(el, "qingfu", { renderer: "svg" });
      chart.setOption(option);
      clearLegend(chart, el, option);
      el.dataset.ready = "1";
      el.dataset.theme = "qingfu";
      charts.push({ chart: chart, el: el, option: option });
    });
    function resize() {
      charts.forEach(function (c) { c.chart.resize(); clearLegend(c.chart, c.el, c.option); });
    }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

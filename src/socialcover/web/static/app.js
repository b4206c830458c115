// socialcover: draw the page's Vega-Lite charts and send the CSRF token with HTMX requests.
(function () {
  "use strict";
  function drawCharts(root) {
    root.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-chart-for"));
      if (!target || target.getAttribute("data-drawn") === "1") { return; }
      var spec = JSON.parse(node.textContent);
      target.setAttribute("data-drawn", "1");
      vegaEmbed(target, spec, {
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
      }).then(function () {
        target.setAttribute("data-rendered", "1");
      }).catch(function (err) {
        target.textContent = "The chart could not be drawn: " + err;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { drawCharts(evt.target); });
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.querySelector("meta[name='csrf-token']");
    if (meta) { evt.detail.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
  });
})();

// socialcover: draw the page's Vega-Lite charts and send the CSRF token with HTMX requests.
(function () {
  "use strict";
  // The page's number conventions (decimal mark, thousands separator), set by the server from
  // CLDR, so that chart axes and tooltips read like the page's text.
  function numberLocale() {
    var meta = document.querySelector("meta[name='number-locale']");
    if (!meta) { return undefined; }
    try { return JSON.parse(meta.getAttribute("content")); } catch (e) { return undefined; }
  }
  function drawCharts(root) {
    root.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-chart-for"));
      if (!target || target.getAttribute("data-drawn") === "1") { return; }
      var spec = JSON.parse(node.textContent);
      target.setAttribute("data-drawn", "1");
      var width = target.clientWidth || 600;
      // Long titles are cut to the width of the chart (small screens) rather than overflow.
      if (typeof spec.title === "string") {
        spec.title = { text: spec.title, limit: Math.max(120, width - 40) };
      }
      // Axis labels take at most a third of the width (long group names on phones).
      spec.config = spec.config || {};
      spec.config.axis = Object.assign({ labelLimit: Math.round(width / 3) }, spec.config.axis || {});
      // Maps keep their shape: height follows the width (usermeta.aspect = width / height).
      if (spec.usermeta && spec.usermeta.aspect) {
        spec.height = Math.round(width / spec.usermeta.aspect);
      }
      vegaEmbed(target, spec, {
        renderer: "svg",
        formatLocale: numberLocale(),
        actions: { export: true, source: false, compiled: false, editor: false },
      }).then(function () {
        target.setAttribute("data-rendered", "1");
      }).catch(function (err) {
        target.textContent = "The chart could not be drawn: " + err;
      });
    });
  }
  // Search as you type: one request 400 ms after the last keystroke, or at once on Enter (the
  // form's submit cancels the pending one), never twice for the same words. Requests queue
  // (hx-sync "queue last") instead of aborting each other. Once the list for the words sent is
  // in place, the form carries data-settled="<words>" (tests and assistive tools wait on it).
  function searchAsYouType(form) {
    var input = form.querySelector("input[type='search']");
    if (!input) { return; }
    var timer = null;
    var sent = input.value;
    function cancel() { if (timer !== null) { clearTimeout(timer); timer = null; } }
    input.addEventListener("input", function () {
      cancel();
      form.removeAttribute("data-settled");
      timer = setTimeout(function () {
        timer = null;
        if (input.value !== sent) { form.requestSubmit(); }
      }, 400);
    });
    form.addEventListener("submit", cancel, true);
    form.addEventListener("htmx:beforeRequest", function () {
      sent = input.value;
      form.removeAttribute("data-settled");
    });
    form.addEventListener("htmx:afterSettle", function () {
      if (timer === null && !form.classList.contains("htmx-request")) {
        form.setAttribute("data-settled", sent);
      }
    });
    form.setAttribute("data-settled", sent);
  }
  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    document.querySelectorAll("form[data-search-as-you-type]").forEach(searchAsYouType);
  });
  document.addEventListener("htmx:afterSwap", function (evt) { drawCharts(evt.target); });
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.querySelector("meta[name='csrf-token']");
    if (meta) { evt.detail.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
  });
})();

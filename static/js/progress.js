// Progress bars under the Content-Security-Policy: inline style attributes are refused, so the
// width comes from data-progress (0-100), set here on load and on every htmx swap.
(function () {
  "use strict";
  function sizeBars(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0));
      bar.style.width = value + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(sizeBars);
  } else {
    document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  }
})();

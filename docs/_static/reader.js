/*
 * Code blocks and tables that scroll sideways can be scrolled with the keyboard: such a box gets tabindex=0
 * (a block that fits does not, so it adds no tab stop). Checked again when the window is resized.
 */
(function () {
  "use strict";

  function markScrollable() {
    document.querySelectorAll(".highlight pre, .table-wrapper").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1) {
        pre.setAttribute("tabindex", "0");
      } else if (pre.getAttribute("tabindex") === "0") {
        pre.removeAttribute("tabindex");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollable);
  } else {
    markScrollable();
  }
  window.addEventListener("resize", markScrollable);
})();

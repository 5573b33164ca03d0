/*
 * Keyboard use of the pages.
 * - Code blocks and tables that scroll sideways can be scrolled with the keyboard: such a box gets
 *   tabindex=0 (a box that fits does not, so it adds no tab stop). Checked again on resize.
 * - On narrow windows Furo keeps the navigation (with the version switcher) in a drawer off-screen,
 *   opened by a checkbox a keyboard cannot reach; Tab still moves focus into it. The drawer opens
 *   while focus is inside it, so what has focus can be seen, and closes again when focus leaves.
 */
(function () {
  "use strict";

  function markScrollable() {
    document.querySelectorAll(".highlight pre, .table-wrapper").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  function followFocusIntoDrawer() {
    var drawer = document.querySelector(".sidebar-drawer");
    var toggle = document.getElementById("__navigation");
    if (!drawer || !toggle) return;
    var openedHere = false;
    drawer.addEventListener("focusin", function () {
      if (!toggle.checked && drawer.getBoundingClientRect().right <= 0) {
        toggle.checked = true;
        openedHere = true;
      }
    });
    drawer.addEventListener("focusout", function (event) {
      if (openedHere && !drawer.contains(event.relatedTarget)) {
        toggle.checked = false;
        openedHere = false;
      }
    });
  }

  function start() {
    markScrollable();
    followFocusIntoDrawer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("resize", markScrollable);
})();

// The navigation's menus (web/partials/_nav.html): on a phone the 菜单 button opens the panel
// of groups; on a desktop each group is a dropdown. Keyboard: Tab moves through the buttons and
// links, Enter or Space opens, Escape closes and gives focus back to the button that opened.
// Static file, no inline handlers, so a Content-Security-Policy of script-src 'self' holds.
(function () {
  "use strict";
  // Before the body is drawn: the CSS hides the closed menus only when this script runs, so
  // a browser without JavaScript shows every group open.
  document.documentElement.classList.add("js-nav");

  function setup() {
    var nav = document.getElementById("site-nav");
    if (!nav) return;
    var toggle = nav.querySelector(".nav-toggle");
    var groupButtons = Array.prototype.slice.call(nav.querySelectorAll(".nav-group-toggle"));

    function isPhone() {
      return toggle && getComputedStyle(toggle).display !== "none";
    }
    function menuOf(button) {
      return document.getElementById(button.getAttribute("aria-controls"));
    }
    function setGroup(button, open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      var menu = menuOf(button);
      menu.classList.remove("end");
      if (open && !isPhone()) {
        // A dropdown near the right edge opens leftwards rather than past the screen.
        if (menu.getBoundingClientRect().right > document.documentElement.clientWidth) {
          menu.classList.add("end");
        }
      }
    }
    function closeGroups(except) {
      groupButtons.forEach(function (b) {
        if (b !== except && b.getAttribute("aria-expanded") === "true") setGroup(b, false);
      });
    }
    function setPanel(open) {
      if (!toggle) return;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
      if (!open) closeGroups(null);
    }
    function openGroup() {
      return groupButtons.filter(function (b) { return b.getAttribute("aria-expanded") === "true"; })[0];
    }

    if (toggle) {
      toggle.addEventListener("click", function () {
        setPanel(toggle.getAttribute("aria-expanded") !== "true");
      });
    }
    groupButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        closeGroups(button);
        setGroup(button, open);
      });
      // On a desktop, tabbing out of a dropdown closes it (the phone's panel keeps its place).
      button.parentNode.addEventListener("focusout", function (event) {
        if (isPhone()) return;
        if (event.relatedTarget && !button.parentNode.contains(event.relatedTarget)) {
          setGroup(button, false);
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var button = openGroup();
      if (button) {
        setGroup(button, false);
        button.focus();
      } else if (toggle && toggle.getAttribute("aria-expanded") === "true") {
        setPanel(false);
        toggle.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (nav.contains(event.target)) return;
      closeGroups(null);
      if (isPhone()) setPanel(false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

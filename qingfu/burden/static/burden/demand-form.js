// The demand form shows only the fieldsets of the kind chosen; without JavaScript all show.
(function () {
  "use strict";
  function apply() {
    var kind = document.getElementById("kind");
    if (!kind) return;
    document.querySelectorAll("fieldset[data-kinds]").forEach(function (el) {
      el.hidden = el.dataset.kinds.split(" ").indexOf(kind.value) < 0;
    });
  }
  function start() {
    var kind = document.getElementById("kind");
    if (!kind) return;
    kind.addEventListener("change", apply);
    apply();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

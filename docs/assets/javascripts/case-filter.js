/* Filter the cases index by sector, mechanism, level and region.
 *
 * The table lists every case and works without JavaScript; this script only reveals
 * the filter controls and hides rows that do not match every chosen value.
 */
(function () {
  "use strict";
  function setup() {
    var panel = document.querySelector("[data-hb-filter]");
    var table = document.querySelector(".hb-cases table");
    if (!panel || !table || panel.dataset.hbReady) return;
    panel.dataset.hbReady = "1";
    var selects = Array.prototype.slice.call(panel.querySelectorAll("select[data-hb-facet]"));
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = panel.querySelector("[data-hb-count]");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (select) {
          var wanted = select.value;
          return !wanted || (row.getAttribute("data-" + select.dataset.hbFacet) || "").split("|").indexOf(wanted) >= 0;
        });
        row.hidden = !match;
        if (match) shown++;
      });
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 个案例";
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    panel.hidden = false;
    apply();
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);  // Material's instant loading
  else document.addEventListener("DOMContentLoaded", setup);
  setup();
})();

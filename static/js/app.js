// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A button or link with data-confirm asks before it acts.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      ev.preventDefault();
    }
  });
  // The event form shows only the ranking options of the chosen preset.
  var preset = document.getElementById("ranking_preset");
  var sport = document.getElementById("sport");
  if (preset && sport) {
    var defaults = {volleyball: "fivb", table_tennis: "ittf", badminton: "bwf"};
    var sync = function () {
      var chosen = preset.value || defaults[sport.value] || "";
      document.querySelectorAll("[data-preset]").forEach(function (box) {
        box.hidden = box.getAttribute("data-preset") !== chosen;
      });
    };
    preset.addEventListener("change", sync);
    sport.addEventListener("change", sync);
    sync();
  }
  // The draw form shows only the settings of the chosen structure.
  var structure = document.getElementById("structure");
  if (structure) {
    var syncStructure = function () {
      document.querySelectorAll("[data-structure]").forEach(function (box) {
        box.hidden = box.getAttribute("data-structure").split(" ").indexOf(structure.value) < 0;
      });
    };
    structure.addEventListener("change", syncStructure);
    syncStructure();
  }
})();
document.addEventListener("click", function (ev) {
  if (ev.target.closest("[data-print]")) { ev.preventDefault(); window.print(); }
});

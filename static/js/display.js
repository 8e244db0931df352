// Projector mode: one panel at a time, in turn (medal table, latest results, next matches,
// courts); the live script swaps the panels' content, and the turn goes on from where it was.
// Without JavaScript every panel shows, one under the other, and the page reloads itself.
(function () {
  "use strict";
  var body = document.body;
  var params = new URLSearchParams(location.search);
  // ?rotate=N: N seconds per panel (a slower or quicker hall screen), else the page's setting.
  var seconds = Math.max(2, +params.get("rotate") || +body.getAttribute("data-rotate") || 12);
  // The panels in page order (the courts may take several pages).
  var order = Array.prototype.map.call(document.querySelectorAll(".panel"), function (p) { return p.id; });
  var only = params.get("panel");
  var at = Math.max(0, order.indexOf(only));
  document.documentElement.classList.add("js");

  function show() {
    var name = order[at];
    document.querySelectorAll(".panel").forEach(function (p) { p.classList.toggle("active", p.id === name); });
    var panel = document.getElementById(name);
    var tab = panel ? (panel.getAttribute("data-tab-of") || name) : name;
    document.querySelectorAll("[data-tab]").forEach(function (t) {
      t.classList.toggle("active", t.getAttribute("data-tab") === tab);
    });
    body.setAttribute("data-showing", name);
  }

  show();
  document.addEventListener("live:updated", function () {
    // The courts may now fill more or fewer pages.
    order = Array.prototype.map.call(document.querySelectorAll(".panel"), function (p) { return p.id; });
    if (at >= order.length) { at = 0; }
    show();
  });
  if (order.indexOf(only) < 0) {
    setInterval(function () { at = (at + 1) % order.length; show(); }, seconds * 1000);
  }
})();

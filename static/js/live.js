// Live public pages: ask the festival's revision every few seconds (an ETag makes the answer a
// bodiless 304 while nothing changed); when it moves, fetch this page again and swap in the
// parts marked data-live-part, so a recorded result shows without a reload or a flicker.
// Without JavaScript the page is a plain page.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch || !window.DOMParser) { return; }
  var url = root.getAttribute("data-live");
  var revision = root.getAttribute("data-revision");
  var every = Math.max(2, +root.getAttribute("data-every") || 5) * 1000;
  var busy = false;

  function status(text) {
    document.querySelectorAll("[data-live-status]").forEach(function (el) {
      el.hidden = false;
      el.textContent = text;
    });
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    document.querySelectorAll("[data-live-part]").forEach(function (part) {
      var name = part.getAttribute("data-live-part");
      var next = fresh.querySelector('[data-live-part="' + name + '"]');
      if (next) { part.replaceWith(document.importNode(next, true)); }
    });
    var t = new Date();
    status("Đã cập nhật lúc " + two(t.getHours()) + ":" + two(t.getMinutes()) + ":" + two(t.getSeconds()));
    document.dispatchEvent(new CustomEvent("live:updated"));
  }

  function tick() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(url, {cache: "no-cache", credentials: "same-origin"}).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (body) {
      if (!body || String(body.revision) === revision) { busy = false; return; }
      var seen = String(body.revision);
      return fetch(location.href, {cache: "no-cache", credentials: "same-origin"}).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.text();
      }).then(function (html) {
        swap(html);
        revision = seen;
        busy = false;
      });
    }).catch(function () {
      busy = false;
      status("Mất kết nối — sẽ thử lại");
    });
  }

  setInterval(tick, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { tick(); } });
})();

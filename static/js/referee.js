// Referee score pad: checks the score on the phone (mirroring RULES.md §1; the server has the
// last word), shows the result in words before sending, and keeps a confirmed result in the
// browser when the connection is down ("chưa gửi"), sending it once when the connection returns.
// Without JavaScript the same form works in two server round trips.
(function () {
  "use strict";
  var QUEUE = "hoithao-chua-gui";

  function load() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); }
  var statusEl = document.getElementById("queue-status");

  function showStatus(text, kind) {
    if (!statusEl) { return; }
    statusEl.hidden = !text;
    statusEl.textContent = text || "";
    statusEl.className = "queue-status " + (kind || "");
  }

  function refreshStatus() {
    var q = load();
    if (q.length) {
      showStatus(q.length + " kết quả chưa gửi (" + q.map(function (i) { return i.label; }).join(", ") +
                 "): lưu trên máy này, sẽ tự gửi khi có mạng.", "pending");
    } else if (statusEl && statusEl.classList.contains("pending")) {
      showStatus("", "");
    }
  }

  var sending = false;
  function flush(done) {
    var q = load();
    if (sending || !q.length) { if (done) { done(null); } return; }
    sending = true;
    var item = q[0];
    fetch(item.url, {
      method: "POST", body: new URLSearchParams(item.fields), credentials: "same-origin",
      headers: {"Accept": "application/json", "X-Requested-With": "fetch"}
    }).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; });
    }).then(function (res) {
      sending = false;
      if (res.status >= 500) { refreshStatus(); if (done) { done(res); } return; }  // try again later
      save(load().filter(function (i) { return i.id !== item.id; }));
      var b = res.body || {};
      if (res.status === 200 && b.ok) {
        showStatus("Đã gửi " + item.label + ". " + b.message, "ok");
      } else if (res.status === 409) {
        showStatus(item.label + ": trận đã được người khác cập nhật, kết quả của bạn chưa được ghi. Kết quả đang lưu: " +
                   (b.recorded || "—") + (b.by ? " (ghi bởi " + b.by + (b.at ? " lúc " + b.at : "") + ")" : "") + ".", "error");
      } else {
        showStatus(item.label + ": không ghi được — " + ((b.errors || [b.error]).join(" ")), "error");
      }
      if (done) { done(res); }
      if (load().length) { flush(); } else if (!(res.status === 200 && b.ok)) { refreshStatus(); }
    }).catch(function () {
      sending = false;
      refreshStatus();
      if (done) { done(null); }
    });
  }

  window.addEventListener("online", function () { flush(); });
  refreshStatus();
  if (navigator.onLine) { flush(); }

  var form = document.getElementById("score-form");
  if (!form) { return; }
  var d = form.dataset;
  var bestOf = +d.bestOf, points = +d.points, deciding = d.deciding ? +d.deciding : null, cap = d.cap ? +d.cap : null;
  var sportWord = {volleyball: "bóng chuyền", table_tennis: "bóng bàn", badminton: "cầu lông"}[d.sport] || "";
  var word = d.word;
  var live = document.getElementById("live-check");
  var panel = document.getElementById("confirm-panel");

  function targetOf(i) { return (deciding && i === bestOf - 1) ? deciding : points; }
  function capOf(i) { return (deciding && i === bestOf - 1 && cap && cap <= deciding) ? null : cap; }

  // One set: null when it is a finished, valid set; otherwise why not.
  function setProblem(a, b, t, c) {
    var w = Math.max(a, b), l = Math.min(a, b);
    var rule = sportWord + " phải thắng cách 2 điểm" + (c ? ", tối đa " + c : "");
    if (a === b) { return a + "-" + b + " chưa kết thúc — hai bên không thể bằng điểm"; }
    if (c && w > c) { return a + "-" + b + " không hợp lệ — " + sportWord + " tối đa " + c + " điểm"; }
    if (w < t) { return a + "-" + b + " chưa kết thúc — cần " + t + " điểm để thắng " + word.toLowerCase(); }
    if (w === t && l <= t - 2) { return null; }
    if (c && w === c && l === c - 1) { return null; }
    if (w > t && w - l === 2) { return null; }
    if (w - l < 2) { return a + "-" + b + " chưa kết thúc — " + rule; }
    return a + "-" + b + " không hợp lệ — sau " + (t - 1) + "-" + (t - 1) + " " + rule;
  }

  function read() {
    var sets = [], problems = [];
    for (var i = 0; i < bestOf; i++) {
      var h = form.elements["s" + (i + 1) + "h"].value.trim(), a = form.elements["s" + (i + 1) + "a"].value.trim();
      if (!h && !a) { continue; }
      if (!/^\d{1,3}$/.test(h) || !/^\d{1,3}$/.test(a)) {
        problems.push(word + " " + (i + 1) + ": ghi điểm của cả hai bên bằng số (ví dụ 21 và 15).");
        continue;
      }
      sets.push({i: i, h: +h, a: +a});
    }
    return {sets: sets, problems: problems};
  }

  function outcome() { var o = form.querySelector("input[name=outcome]:checked"); return o ? o.value : "normal"; }
  function winnerSide() { var w = form.querySelector("input[name=winner]:checked"); return w ? w.value : null; }

  function check(final) {
    var r = read(), problems = r.problems.slice(), need = Math.ceil(bestOf / 2), wonH = 0, wonA = 0;
    var kind = outcome(), partial = kind === "retired" || kind === "disqualified";
    r.sets.forEach(function (s, k) {
      var last = k === r.sets.length - 1;
      if (wonH === need || wonA === need) {
        problems.push(word + " " + (s.i + 1) + ": trận đã kết thúc ở " + word.toLowerCase() + " trước, không ghi thêm.");
        return;
      }
      var p = setProblem(s.h, s.a, targetOf(s.i), capOf(s.i));
      if (p && !(partial && last && p.indexOf("chưa kết thúc") >= 0)) {
        problems.push(word + " " + (s.i + 1) + ": " + p);
      } else if (!p) {
        if (s.h > s.a) { wonH++; } else { wonA++; }
      }
    });
    if (kind === "normal" && final && !problems.length && wonH !== need && wonA !== need) {
      problems.push("Trận chưa kết thúc: bên thắng cần " + need + " " + word.toLowerCase() + ".");
    }
    if (final && kind !== "normal" && kind !== "double_walkover" && !winnerSide()) {
      problems.push("Chọn bên thắng.");
    }
    return {problems: problems, sets: r.sets, wonH: wonH, wonA: wonA, kind: kind};
  }

  function sentence(c) {
    var home = d.home, away = d.away;
    if (c.kind === "double_walkover") { return "Cả hai bên không thi đấu: " + home + " và " + away + " cùng bỏ cuộc."; }
    var homeWins = c.kind === "normal" ? c.wonH > c.wonA : winnerSide() === "home";
    var w = homeWins ? home : away, l = homeWins ? away : home;
    var scores = c.sets.map(function (s) { return homeWins ? s.h + "-" + s.a : s.a + "-" + s.h; }).join(", ");
    if (c.kind === "walkover") { return w + " thắng do " + l + " bỏ cuộc (w.o.)."; }
    if (c.kind === "retired") { return w + " thắng do " + l + " bỏ dở (ret.)" + (scores ? ": " + scores + "." : "."); }
    if (c.kind === "disqualified") { return w + " thắng do " + l + " bị truất quyền thi đấu" + (scores ? ": " + scores + "." : "."); }
    return w + " thắng " + (homeWins ? c.wonH : c.wonA) + "-" + (homeWins ? c.wonA : c.wonH) + ": " + scores + ".";
  }

  function showLive(problems) {
    live.textContent = problems.join(" ");
    live.className = "live-check" + (problems.length ? " error" : "");
  }

  form.addEventListener("input", function () { showLive(check(false).problems); });
  form.addEventListener("change", function () { showLive(check(false).problems); });

  form.addEventListener("submit", function (ev) {
    if (form.elements.reason) { return; }  // corrections go through the server's preview of what they change
    ev.preventDefault();
    var c = check(true);
    showLive(c.problems);
    if (c.problems.length) { return; }
    document.getElementById("confirm-sentence").textContent = sentence(c);
    form.hidden = true;
    panel.hidden = false;
    document.getElementById("confirm-send").focus();
  });

  document.getElementById("confirm-back").addEventListener("click", function () {
    panel.hidden = true;
    form.hidden = false;
  });

  document.getElementById("confirm-send").addEventListener("click", function () {
    var fields = {};
    new FormData(form).forEach(function (v, k) { fields[k] = v; });
    fields.step = "confirm";
    var q = load().filter(function (i) { return i.id !== fields.submission_id; });
    q.push({id: fields.submission_id, url: form.action || location.href, fields: fields, label: d.label});
    save(q);
    var button = this;
    button.disabled = true;
    flush(function (res) {
      if (res && res.status === 200 && res.body.ok) {
        sessionStorage.setItem("hoithao-flash", JSON.stringify({text: res.body.message, kind: "ok"}));
        location.href = res.body.next || (location.origin + "/referee/");
      } else if (res && res.status === 409) {
        // Show the match as it now stands (the recorded result), with why this one was not sent.
        sessionStorage.setItem("hoithao-flash", JSON.stringify({text: statusEl.textContent, kind: "error"}));
        location.reload();
      } else if (res && res.status < 500) {
        button.disabled = false;
        panel.hidden = true;
        form.hidden = false;
      } else {
        button.textContent = "Chưa gửi — sẽ tự gửi khi có mạng";
        refreshStatus();
      }
    });
  });
})();
(function () {
  var saved = sessionStorage.getItem("hoithao-flash");
  var status = document.getElementById("queue-status");
  if (saved && status) {
    sessionStorage.removeItem("hoithao-flash");
    var message;
    try { message = JSON.parse(saved); } catch (e) { message = {text: saved, kind: "ok"}; }
    status.hidden = false;
    status.textContent = message.text;
    status.className = "queue-status " + (message.kind === "error" ? "error" : "ok");
  }
})();

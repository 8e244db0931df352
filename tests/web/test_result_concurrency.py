"""Fifty referees submitting at once to a real threaded server, over real HTTP, on SQLite (a
file) and on PostgreSQL (when TEST_DATABASE_URL is set): every accepted result is stored
exactly once, every rejected one is told why, no update is lost.

The festival: a badminton singles group of 12 (66 open matches). The 50 submissions, released
together by a barrier once every connection is open:

* two races of 6 referees on one match each, all with the page's version 1 and their own
  submission id: exactly one wins, the others get 409 with the current version and the
  recorded result;
* two phones retrying one request 5 times each (same token, same submission id, same body):
  recorded once, every answer a success;
* 10 impossible scores: 422 with the reason in Vietnamese, nothing stored;
* 18 referees on 18 other matches: all recorded.
"""
from __future__ import annotations

import http.client
import json
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from sqlalchemy import func, select

from sports.importers.festival_file import import_file
from sports.models import AuditEntry, Festival, Match, ResultSubmission
from sports.services.accounts import create_user, issue_token
from tests.conftest import csrf_token

SLUG = "dongthoi-2024"
THREADS = 50
ENTRIES = 12
PHONE = "Mozilla/5.0 (Linux; Android 13) Mobile"


def festival_file() -> bytes:
    units = [{"code": f"DV{i:02d}", "name": f"Đơn vị số {i}"} for i in range(ENTRIES)]
    athletes = [{"ref": f"a{i}", "name": f"Nguyễn Văn Thắng {i}", "gender": "M", "unit": f"DV{i:02d}"}
                for i in range(ENTRIES)]
    entries = [{"ref": f"e{i}", "unit": f"DV{i:02d}", "athletes": [f"a{i}"]} for i in range(ENTRIES)]
    return json.dumps({
        "format": "hoithao/1",
        "festival": {"slug": SLUG, "name": "Hội thao thử tải đồng thời", "organiser": "Ban tổ chức",
                     "place": "Đà Lạt", "start_date": "2024-11-23", "end_date": "2024-11-24"},
        "units": units, "athletes": athletes,
        "events": [{"code": "CL-DNAM", "sport": "badminton", "discipline": "men_singles", "name": "Cầu lông – Đơn nam",
                    "entries": entries,
                    "stages": [{"type": "round_robin",
                                "groups": [{"name": "A", "entries": [e["ref"] for e in entries]}],
                                "matches": []}]}],
    }, ensure_ascii=False).encode()


@dataclass
class Plan:
    kind: str           # race | retry | invalid | plain
    match_id: int
    body: dict          # the result as the API takes it
    token: str = ""     # the API's bearer token, or …
    cookie: str = ""    # … the referee's logged-in browser session (the score form, sent by the phone's queue)
    status: int = 0
    answer: dict | None = None

    def request(self) -> tuple[str, str, bytes, dict]:
        if self.token:
            return ("POST", f"/api/v1/matches/{self.match_id}/result", json.dumps(self.body).encode(),
                    {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        form = {"csrf_token": self.body["csrf_token"], "version": str(self.body["version"]),
                "submission_id": self.body["submission_id"], "outcome": "normal", "step": "confirm"}
        for i, (home, away) in enumerate(self.body["sets"], start=1):
            form[f"s{i}h"], form[f"s{i}a"] = str(home), str(away)
        return ("POST", f"/referee/matches/{self.match_id}", urlencode(form).encode(),
                {"Cookie": self.cookie, "Accept": "application/json", "User-Agent": PHONE,
                 "Content-Type": "application/x-www-form-urlencoded"})


INVALID = [  # (sets, words of the reason the referee must be told)
    ([[21, 20], [21, 15]], "Ván 1: 21-20 chưa kết thúc — cầu lông phải thắng cách 2 điểm"),
    ([[31, 29], [21, 15]], "Ván 1: 31-29 không hợp lệ — ván cầu lông kết thúc muộn nhất ở 30 điểm"),
    ([[21, 15], [21, 15], [21, 15]], "Ván 3: trận đấu đã kết thúc sau ván 2"),
    ([[21, 15]], "chưa đủ ván: cần thắng 2 ván (hiện tại 1-0)"),
    ([[21, 15], [15, 21]], "chưa đủ ván: cần thắng 2 ván (hiện tại 1-1)"),
    ([[25, 21], [21, 10]], "Ván 1: 25-21 không hợp lệ — khi vượt 21 điểm, cầu lông phải thắng cách đúng 2 điểm"),
    ([[21, 19], [30, 27]], "Ván 2: 30-27 không hợp lệ"),
    ([[11, 21], [21, 30]], "Ván 2: 21-30 không hợp lệ"),
    ([[21, 15], [21, 15], [15, 21]], "Ván 3: trận đấu đã kết thúc sau ván 2"),
    ([[-1, 21], [21, 15]], "Ván 1: -1-21 không hợp lệ — điểm không được âm"),
]


def _serve(app):
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:  # 50 lines of access log per run say nothing
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _browser(port: int, username: str, password: str, match_id: int) -> tuple[str, str]:
    """Log in as a real browser does; returns the session cookie and the score form's CSRF token."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", PHONE)]  # the session is bound to the browser that logged in
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    opener.open(f"{base}/login", urlencode({"username": username, "password": password,
                                            "csrf_token": csrf_token(page)}).encode(), timeout=30).read()
    form = opener.open(f"{base}/referee/matches/{match_id}", timeout=30).read().decode()
    assert 'name="version" value="1"' in form
    return "; ".join(f"{c.name}={c.value}" for c in jar), csrf_token(form)


def _plans(port: int, matches: list[Match], referees: list[tuple[str, str, str]]) -> list[Plan]:
    plans: list[Plan] = []
    it = iter(matches)
    who = iter(referees)
    for race in range(2):
        m = next(it)
        for i in range(6):
            plans.append(Plan("race", m.id, {"version": 1, "submission_id": f"race-{race}-{i}-phone",
                                             "sets": [[21, 10 + i], [21, 5 + race]]}, token=next(who)[2]))
    m = next(it)
    token = next(who)[2]  # one scorer device resending the very same request
    body = {"version": 1, "submission_id": "retry-api-same-device", "sets": [[21, 17], [19, 21], [21, 12]]}
    plans += [Plan("retry", m.id, dict(body), token=token) for _ in range(5)]
    m = next(it)
    username, password, _token = next(who)  # one phone whose queued form is sent again and again
    cookie, csrf = _browser(port, username, password, m.id)
    body = {"version": 1, "submission_id": "retry-form-same-phone", "sets": [[21, 17], [19, 21], [21, 13]],
            "csrf_token": csrf}
    plans += [Plan("retry", m.id, dict(body), cookie=cookie) for _ in range(5)]
    for i, (sets, _why) in enumerate(INVALID):
        plans.append(Plan("invalid", next(it).id, {"version": 1, "submission_id": f"invalid-{i}-phone", "sets": sets},
                          token=next(who)[2]))
    while len(plans) < THREADS:
        i = len(plans)
        plans.append(Plan("plain", next(it).id, {"version": 1, "submission_id": f"plain-{i}-phone",
                                                 "sets": [[15 + i % 5, 21], [23, 21], [12, 21]]}, token=next(who)[2]))
    return plans


def _fire(port: int, plans: list[Plan]) -> None:
    barrier = threading.Barrier(len(plans))
    failures: list[BaseException] = []

    def send(plan: Plan) -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.connect()
            method, path, payload, headers = plan.request()
            barrier.wait(timeout=60)
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            plan.status = response.status
            raw = response.read().decode("utf-8")
            assert response.getheader("Content-Type") == "application/json", (plan.kind, plan.status, raw[:300])
            plan.answer = json.loads(raw)
            conn.close()
        except BaseException as exc:  # noqa: BLE001 - reported below, with the others
            failures.append(exc)

    threads = [threading.Thread(target=send, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not failures, failures
    assert all(not t.is_alive() for t in threads)


def _vietnamese(text: str) -> bool:
    """A sentence with Vietnamese letters (not an English message that slipped through)."""
    return any(unicodedata.decomposition(c) for c in text) and " " in text


@pytest.fixture
def festival(db):
    festival = import_file(festival_file())
    db.session.commit()
    return festival


@pytest.fixture
def referees(db, festival):
    """50 referee accounts of the festival, each with a password and a scorer device's API token."""
    out = []
    for i in range(THREADS):
        user, password = create_user(f"trongtai{i:02d}", "referee", full_name=f"Trọng tài số {i}")
        user.scopes = {"festivals": [SLUG]}
        out.append((user.username, password, issue_token(user.username, "cli", f"Máy ghi điểm {i}")))
    db.session.commit()
    return out


def test_fifty_referees_at_once(ctx, db, festival, referees):
    matches = list(db.session.scalars(select(Match).order_by(Match.id)))
    assert len(matches) == ENTRIES * (ENTRIES - 1) // 2 and all(m.version == 1 for m in matches)
    revision = festival.revision
    server, thread = _serve(ctx)
    try:
        plans = _plans(server.server_port, matches, referees)
        assert len(plans) == THREADS
        _fire(server.server_port, plans)
    finally:
        server.shutdown()
        thread.join(timeout=10)

    db.session.expire_all()
    stored = {m.id: m for m in db.session.scalars(select(Match))}
    statuses = Counter((p.kind, p.status) for p in plans)
    assert statuses == Counter({("race", 200): 2, ("race", 409): 10, ("retry", 200): 10,
                                ("invalid", 422): 10, ("plain", 200): 18}), statuses

    accepted: dict[int, Plan] = {}
    for p in plans:
        m = stored[p.match_id]
        if p.status == 200 and p.cookie:
            assert p.answer["ok"] and p.answer["version"] == 2 and p.answer["message"].startswith("Đã ghi kết quả: ")
            assert accepted.setdefault(m.id, p).body == p.body
        elif p.status == 200:
            assert p.answer["id"] == m.id and p.answer["sets"] == p.body["sets"] and p.answer["version"] == 2
            assert accepted.setdefault(m.id, p).body == p.body  # one accepted body per match
        elif p.status == 409:
            # Told why, with the version to reload and what is recorded now (by the winner).
            assert _vietnamese(p.answer["error"]) and "cập nhật" in p.answer["error"]
            assert p.answer["version"] == 2 == p.answer["match"]["version"]
            assert p.answer["match"]["status"] == "completed" and p.answer["match"]["sets"] != p.body["sets"]
        else:
            reasons = p.answer["errors"]
            why = dict((json.dumps(s), w) for s, w in INVALID)[json.dumps(p.body["sets"])]
            assert reasons and all(_vietnamese(r) for r in reasons) and any(why in r for r in reasons), reasons
    for kind in ("race",):
        for match_id in {p.match_id for p in plans if p.kind == kind}:
            (winner,) = [p for p in plans if p.match_id == match_id and p.status == 200]
            for loser in (p for p in plans if p.match_id == match_id and p.status == 409):
                assert loser.answer["match"]["sets"] == winner.body["sets"]

    # In the database: every accepted result once, at version 2; everything else untouched.
    for m in stored.values():
        if m.id in accepted:
            assert (m.status, m.sets, m.version) == ("completed", accepted[m.id].body["sets"], 2), m.id
            assert m.recorded_by is not None and m.recorded_by.username.startswith("trongtai")
        else:
            assert (m.status, m.sets, m.version) == ("scheduled", [], 1), m.id
    submissions = {s.key: s for s in db.session.scalars(select(ResultSubmission))}
    assert sorted(submissions) == sorted(p.body["submission_id"] for p in accepted.values())
    for key, row in submissions.items():
        assert accepted[row.match_id].body["submission_id"] == key and row.version == 2
    audit = Counter(db.session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == "match.result")))
    assert audit == Counter({match_id: 1 for match_id in accepted})
    # Every accepted change bumped the festival's revision once, none was lost in the race.
    after = db.session.scalar(select(Festival.revision).where(Festival.slug == SLUG))
    assert after - revision == len(accepted) == 22
    assert db.session.scalar(select(func.count()).select_from(Match).where(Match.status == "completed")) == 22

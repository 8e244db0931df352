"""The failed-login limit is counted in the database, so every worker process and machine
shares it: two app instances on one database, and a real gunicorn with two workers."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import func, select

from sports import create_app
from sports.extensions import db as _db
from sports.models import LoginFailure
from sports.services.accounts import LoginLimit, parse_login_limit
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("text, attempts, seconds", [
    ("5 per 5 minutes", 5, 300), ("10 per hour", 10, 3600), ("5/minute", 5, 60), ("3 per 30 seconds", 3, 30),
    ("20 per 1 day", 20, 86400), (" 7 PER 2 Minutes ", 7, 120),
])
def test_the_setting_is_parsed(text, attempts, seconds):
    assert parse_login_limit(text) == LoginLimit(attempts, timedelta(seconds=seconds))


@pytest.mark.parametrize("text", ["", "năm lần", "5 per fortnight", "0 per minute", "5 per 0 minutes", "5 per 5 minutes;10 per hour"])
def test_a_wrong_setting_is_refused(text):
    with pytest.raises(ValueError, match="LOGIN_RATE_LIMIT"):
        parse_login_limit(text)


def test_a_wrong_setting_stops_the_app_at_start(tmp_path):
    with pytest.raises(ValueError, match="LOGIN_RATE_LIMIT"):
        create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-of-the-suite-0123456789", "LOGIN_RATE_LIMIT": "nhiều lần",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def _failures(key: str = "127.0.0.1") -> int:
    return _db.session.scalar(select(func.count()).select_from(LoginFailure).where(LoginFailure.key == key))


def test_each_failure_is_a_row_and_a_success_is_not(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    for i in range(3):
        assert login(client, "btc", f"sai-{i}").status_code == 401
    assert _failures() == 3
    assert login(client, "btc", "mat-khau-123").status_code == 302
    assert _failures() == 3


def test_refused_attempts_check_no_password(client, make_user, monkeypatch):
    import sports.web.auth as auth

    make_user("btc", "organiser", "mat-khau-123")
    for i in range(5):
        login(client, "btc", f"sai-{i}")
    checked = []
    monkeypatch.setattr(auth, "authenticate", lambda *a: checked.append(a))
    response = login(client, "btc", "mat-khau-123")
    assert response.status_code == 429 and checked == []
    assert 1 <= int(response.headers["Retry-After"]) <= 300
    html = response.get_data(as_text=True)
    assert "Bạn đã thử quá nhiều lần. Vui lòng đợi khoảng 5 phút rồi thử lại." in html
    assert _failures() == 5  # a refused attempt does not lengthen the wait


def test_old_failures_no_longer_count_and_are_deleted(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    old = datetime.now(timezone.utc) - timedelta(minutes=6)
    db.session.add_all([LoginFailure(key="127.0.0.1", at=old) for _ in range(5)]
                       + [LoginFailure(key="10.0.0.9", at=old)])
    db.session.commit()
    assert login(client, "btc", "sai").status_code == 401
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1  # only the new one


def test_the_limit_is_per_client_address(client, make_user, ctx):
    make_user("btc", "organiser", "mat-khau-123")
    for i in range(5):
        login(client, "btc", f"sai-{i}")
    assert login(client, "btc", "sai").status_code == 429
    other = ctx.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    g.pop("csrf_token", None)  # the ctx fixture's app context (and g) outlives requests: not the other's token
    assert login(other, "btc", "mat-khau-123").status_code == 302


def test_two_app_instances_on_one_database_share_the_count(app, client, make_user):
    """Two create_app() on the same database, as two gunicorn workers (or two machines) are."""
    make_user("btc", "organiser", "mat-khau-123")
    second = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-of-the-suite-0123456789", "LOGIN_RATE_LIMIT": "5 per 5 minutes",
                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        one, two = client, second.test_client()
        statuses = [login(c, "btc", f"sai-{i}").status_code for i, c in enumerate([one, two, one, two, two])]
        assert statuses == [401] * 5
        for c in (one, two):
            refused = login(c, "btc", "sai-6")
            assert refused.status_code == 429
            right = login(c, "btc", "mat-khau-123")
            assert right.status_code == 429 and "quá nhiều lần" in right.get_data(as_text=True)
        assert _failures() == 5
    finally:
        with second.app_context():
            _db.session.remove()
            _db.engine.dispose()


def test_simultaneous_attempts_never_get_more_checks_than_the_limit(app, make_user):
    """12 wrong logins at the same instant from 12 threads: at most 5 reach the password check."""
    import threading

    from tests.conftest import csrf_token

    make_user("btc", "organiser", "mat-khau-123")
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def attempt(i: int) -> None:
        c = app.test_client()
        token = csrf_token(c.get("/login").get_data(as_text=True))
        barrier.wait()
        statuses.append(c.post("/login", data={"username": "btc", "password": f"sai-{i}", "csrf_token": token}).status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(statuses) == 12 and set(statuses) <= {401, 429}
    assert 1 <= statuses.count(401) <= 5
    _db.session.expire_all()
    assert _failures() == statuses.count(401)


# ------------------------------------------------------------ a real server, two workers

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _attempt(base: str, password: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": "btc", "password": password, "csrf_token": token}).encode()
    try:
        return opener.open(base + "/login", body, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_gunicorn_with_two_workers_shares_the_limit(tmp_path):
    """11 wrong logins against `gunicorn --workers 2`, alternating between the two workers:
    exactly 5 are checked (401), the other 6 refused (429).

    Left alone, one idle sync worker takes every request; so before each attempt a silent
    connection is parked on the worker that served the last one (a sync worker waits on it),
    and the other one serves the next. The access log says which worker answered.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "RATELIMIT_STORAGE_URI")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}", SECRET_KEY="gunicorn-test-key-0123456789abcdefghij",
               LOGIN_RATE_LIMIT="5 per 5 minutes")
    flask = [str(BIN / "flask"), "--app", "app"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["user", "create", "btc", "--role", "organiser", "--password", "mat-khau-123"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "access.log"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log_path),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parked: socket.socket | None = None
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/login", timeout=2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("gunicorn did not start")
        statuses = []
        for i in range(11):
            # park the worker that served last (the other one is parked, or both are idle)
            newly = socket.create_connection(("127.0.0.1", port))
            time.sleep(0.3)
            if parked is not None:
                parked.close()
            parked = newly
            time.sleep(0.1)
            statuses.append(_attempt(base, f"sai-{i}"))
    finally:
        if parked is not None:
            parked.close()
        server.terminate()
        server.wait(timeout=10)
    posts = [line.split() for line in log_path.read_text().splitlines() if " POST /login " in line]
    workers = [p[0] for p in posts]
    print(f"statuses={statuses} workers={workers}")
    assert statuses == [401] * 5 + [429] * 6
    assert len(posts) == 11 and len(set(workers)) == 2
    # both workers refused attempts after failures the other one had counted
    assert {p[0] for p in posts if p[3] == "429"} == set(workers)
    assert sum(1 for a, b in zip(workers, workers[1:]) if a != b) >= 8  # mostly alternating

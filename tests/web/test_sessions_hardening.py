"""Sessions that end (issue 14): logout and a password change end the session and the
remember-me cookie server-side, an idle session expires, an organiser signs a user out
everywhere, tokens are revoked or expire, a weak SECRET_KEY stops the start."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from sports import create_app
from sports.models import ApiToken
from sports.services.accounts import issue_token, user_for_token
from sports.extensions import db as _db
from sports.extensions import limiter
from sports.services.accounts import create_user
from tests.conftest import _empty_all_tables, csrf_token, login


@pytest.fixture
def bare(app):
    """An empty database and no app context held open: each request of each client gets its
    own (as in production), so one client's login is not another's."""
    with app.app_context():
        _empty_all_tables()
        limiter.reset()
    yield app


def _user(app, name="btc", role="organiser", scopes=None):
    with app.app_context():
        user, _ = create_user(name, role, "mat-khau-123")
        user.scopes = scopes or {}
        _db.session.commit()
        return user.id


def _cookies(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def _restore(client, saved: dict) -> None:
    client._cookies.clear()
    for name, value in saved.items():
        client.set_cookie(name, value)


def _logout(client) -> None:
    page = client.get("/admin/")
    client.post("/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_a_session_cookie_saved_before_logout_is_refused_after(bare):
    client = bare.test_client()
    _user(bare)
    login(client, "btc", "mat-khau-123")
    assert client.get("/admin/").status_code == 200
    saved = _cookies(client)
    _logout(client)
    _restore(client, saved)
    answer = client.get("/admin/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_remember_me_cookie_saved_before_logout_is_refused_after(bare):
    client = bare.test_client()
    _user(bare)
    page = client.get("/login")
    client.post("/login", data={"username": "btc", "password": "mat-khau-123", "remember": "y",
                                "csrf_token": csrf_token(page.get_data(as_text=True))})
    remember = _cookies(client)["remember_token"]
    # The remember-me cookie alone logs in …
    _restore(client, {"remember_token": remember})
    assert client.get("/admin/").status_code == 200
    _logout(client)
    # … until logout.
    _restore(client, {"remember_token": remember})
    assert client.get("/admin/").status_code == 302


def test_a_password_change_ends_other_sessions_but_not_this_one(bare):
    client, other = bare.test_client(), bare.test_client()
    _user(bare)
    login(other, "btc", "mat-khau-123")
    assert other.get("/admin/").status_code == 200
    login(client, "btc", "mat-khau-123")
    page = client.get("/account/password")
    answer = client.post("/account/password", data={
        "current": "mat-khau-123", "new": "mat-khau-moi-456", "repeat": "mat-khau-moi-456",
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert answer.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302


def test_an_idle_session_expires(bare, monkeypatch):
    ctx, client = bare, bare.test_client()
    _user(bare)
    login(client, "btc", "mat-khau-123")
    assert client.get("/admin/").status_code == 200
    later = time.time() + ctx.config["SESSION_IDLE_MINUTES"] * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    answer = client.get("/admin/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert "hết hạn" in client.get("/login").get_data(as_text=True)


def test_an_organiser_signs_a_referee_out_everywhere_and_revokes_a_token(bare):
    from sports.importers.festival_file import import_file
    from tests.web.test_hardening_inputs import SMALL

    with bare.app_context():
        slug = import_file(SMALL.read_bytes()).slug
        _db.session.commit()
    referee_id = _user(bare, "tt1", "referee", {"festivals": [slug]})
    with bare.app_context():
        token = issue_token("tt1", "cli", "Máy sân 1")
        _db.session.commit()
    phone, client = bare.test_client(), bare.test_client()
    login(phone, "tt1", "mat-khau-123")
    assert phone.get("/referee/").status_code == 200

    _user(bare)
    login(client, "btc", "mat-khau-123")
    html = client.get(f"/admin/festivals/{slug}/tokens").get_data(as_text=True)
    assert "tt1" in html and "Đăng xuất mọi thiết bị" in html
    answer = client.post(f"/admin/festivals/{slug}/referees/{referee_id}/sessions/end",
                         data={"csrf_token": csrf_token(html)})
    assert answer.status_code == 302
    assert phone.get("/referee/").status_code == 302

    with bare.app_context():
        token_id = _db.session.scalar(select(ApiToken.id))
    client.post(f"/admin/festivals/{slug}/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(html)})
    with bare.app_context():
        assert user_for_token(token) is None
    assert client.post("/api/v1/matches/1/result", json={},
                       headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_with_an_expiry_stops_working(db, make_user):
    make_user("tt1", "referee")
    token = issue_token("tt1", "cli", "Máy sân 1", expires_in_days=1)
    db.session.commit()
    assert user_for_token(token) is not None
    row = db.session.scalar(select(ApiToken))
    row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.commit()
    assert user_for_token(token) is None


def test_token_use_is_recorded_at_most_once_a_minute(db, make_user):
    make_user("tt1", "referee")
    token = issue_token("tt1")
    db.session.commit()
    user_for_token(token)
    db.session.commit()
    first = db.session.scalar(select(ApiToken)).last_used_at
    assert first is not None
    user_for_token(token)
    assert not db.session.dirty  # the second use within the minute writes nothing
    row = db.session.scalar(select(ApiToken))
    row.last_used_at = datetime.now(timezone.utc) - timedelta(minutes=2)
    db.session.commit()
    user_for_token(token)
    assert db.session.dirty


@pytest.mark.parametrize("key", ["a", "e2e", "test-secret-key", "changeme", "x" * 64, "dev"])
def test_a_weak_secret_key_stops_the_start(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def test_a_weak_secret_key_from_the_environment_stops_the_start(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a")
    with pytest.raises(RuntimeError, match="at least 32"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})

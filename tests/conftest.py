"""Fixtures: a real app on a real SQLite file, and on PostgreSQL when TEST_DATABASE_URL is set.

Every app-level test runs once per database backend. The schema is built by the migrations
(``flask db upgrade``), as in production; between tests every table is emptied.
"""
from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import text

from sports import create_app
from sports.config import normalise_database_url
from sports.extensions import db as _db
from sports.extensions import limiter

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_url(backend: str, tmp_path_factory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    _reset_postgres(url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    from flask_migrate import upgrade

    url = database_url(request.param, tmp_path_factory)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-of-the-suite-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "LOGIN_RATE_LIMIT": "5 per 5 minutes",
        # The demo without its festival day in progress (no draws, courts or schedule), the
        # blank slate most tests build on; tests of the demo day ask for it by name.
        "DEMO_DAY": False,
    })
    with app.app_context():
        upgrade()
    app.config["BACKEND"] = request.param
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _empty_all_tables() -> None:
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for t in tables:
            _db.session.execute(t.delete())
    _db.session.commit()


@pytest.fixture
def ctx(app):
    """An app context on an empty database."""
    with app.app_context():
        _empty_all_tables()
        limiter.reset()
        yield app
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture
def db(ctx):
    return _db


@pytest.fixture
def client(ctx):
    return ctx.test_client()


@pytest.fixture
def runner(ctx):
    return ctx.test_cli_runner()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client, username: str, password: str, follow: bool = False):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(page.get_data(as_text=True))},
                       follow_redirects=follow)


@pytest.fixture
def make_user(db):
    from sports.services.accounts import create_user

    def make(username: str = "btc", role: str = "organiser", password: str = "mat-khau-123"):
        user, _ = create_user(username, role, password)
        db.session.commit()
        return user

    return make


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failing test."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} test(s) skipped — a skipped test fails the run.", red=True)
        session.exitstatus = 1

"""A real server (werkzeug, in a thread) on a real SQLite file, driven by Debian's headless Chromium.

Skipped only where no Chromium exists — and a skip fails the run in CI (tests/conftest.py).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def serve(path: Path, *, demo_day: bool):
    """Migrate a fresh SQLite file, load the demo, and serve it from a thread; yields the address."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from sports import create_app
    from sports.extensions import db
    from sports.services.demo import load_demo

    app = create_app({"SECRET_KEY": "e2e-secret-key-of-the-browser-tests-0123", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "DEMO_DAY": demo_day})
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo without its festival day: a blank slate for setting things up."""
    for address, _app in serve(tmp_path_factory.mktemp("e2e") / "e2e.sqlite3", demo_day=False):
        yield address


@pytest.fixture(scope="module")
def day_server(tmp_path_factory):
    """The demo as `make run` serves it (draws, courts, part of the results), fresh per module:
    yields (address, app) so that tests can read the database behind the pages."""
    yield from serve(tmp_path_factory.mktemp("day") / "day.sqlite3", demo_day=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def watch_csp(context) -> list[str]:
    """Collect the Content-Security-Policy violations of every page of ``context``."""
    found: list[str] = []

    def on_page(page):
        page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)

    context.on("page", on_page)
    return found


@pytest.fixture
def phone(browser):
    """A 360×740 phone context; tests open as many pages (or contexts) as they need."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, has_touch=True)
    violations = watch_csp(context)
    yield context
    context.close()
    assert violations == [], violations


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert violations == [], violations


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot of any page when SCREENSHOTS names a folder."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def snap(page):
    """Save a full-page screenshot when SCREENSHOTS names a folder (for looking at pages as users do)."""
    return lambda name: screenshot(page, name)

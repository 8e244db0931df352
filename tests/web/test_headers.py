"""Security headers on every kind of response: pages, API, errors, downloads, static files."""
from __future__ import annotations

import pytest

from sports import create_app

PATHS = ["/", "/f/lamdong-2023/", "/f/lamdong-2023/events/BB-DOINAM", "/f/lamdong-2023/revision",
         "/f/lamdong-2023/medals.xlsx", "/api/v1/festivals", "/login", "/admin/", "/referee/",
         "/f/khong-co/", "/static/js/live.js"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, runner, path):
    assert runner.invoke(args=["demo"]).exit_code == 0
    response = client.get(path)
    assert response.status_code in (200, 302, 404)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_hsts_only_when_cookies_are_secure(tmp_path):
    app = create_app({"SECRET_KEY": "9f1c2e7a4b6d8f0a3c5e7b9d1f2a4c6e8b0d2f4a", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite3'}", "SESSION_COOKIE_SECURE": True})
    response = app.test_client().get("/static/js/live.js")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_script_or_style():
    """The policy forbids them; a template that slipped one in would break in the browser."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    found = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=\"", r"<style\b", r"\son[a-z]+=\"", r"javascript:"):
            found += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert found == []

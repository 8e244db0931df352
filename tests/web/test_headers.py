"""Security headers on every kind of response: pages, API, errors, downloads, static files."""
from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

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


SAMPLE = {"slug": "lamdong-2023", "code": "BB-DOINAM", "filename": "js/live.js", "table_id": 1, "number": 1}


def test_every_route_of_the_url_map_answers_with_the_headers(app, client, runner):
    """Each rule, with sample arguments, by each of its methods — whatever the answer (a page,
    a redirect to the login, 403, 404, a refused POST without CSRF), the headers are there."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    checked = 0
    for rule in app.url_map.iter_rules():
        values = {arg: SAMPLE.get(arg, 1 if isinstance(rule._converters.get(arg), IntegerConverter) else "x")
                  for arg in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code < 500, (method, url, response.status_code)
            assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), (method, url)
            assert response.headers.get("X-Content-Type-Options") == "nosniff", (method, url)
            checked += 1
    assert checked > 120  # 128 rule-and-method pairs when written


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

"""Security headers on every response (issue 14, item 3).

Everything the pages load is served by the app itself — scripts and styles from ``static/``,
no inline script or style attribute anywhere in the templates — so the policy can be strict:
only this origin, plus ``data:`` images (the favicon) and inline SVG (the medal chart and
QR codes are SVG elements, not images). PDFs and spreadsheets are downloads, not framed.
"""
from __future__ import annotations

from flask import Flask, Response

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",       # the live pages' revision polls and the referee's queued sends
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if secure:  # only over HTTPS: a hall's laptop on plain HTTP must not be locked out
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response

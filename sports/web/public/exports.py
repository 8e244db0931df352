"""Public downloads (no login): the medal table as Excel and PDF, and the results book.

Addresses are in CONTRACT.md, "Web pages". Each answer carries an ETag made of the festival's
revision, so a client that already holds the current file gets 304 and nothing is drawn again.
A national festival's results book takes seconds to draw, so each process also keeps the last
files it drew under that revision (read from the database: every write raises it, so a file
kept here is never older than the data, whichever worker wrote).
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Callable

from flask import Blueprint, Response, abort, request
from sqlalchemy import select

from sports.extensions import db
from sports.models import Festival
from sports.services import reports

bp = Blueprint("exports", __name__)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


KEEP = 6      # files kept per process (a results book is about 1 MB at national scale)
_kept: OrderedDict[tuple, bytes] = OrderedDict()
_kept_lock = threading.Lock()


def _drawn(key: tuple, render: Callable[[], bytes]) -> bytes:
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    data = render()
    with _kept_lock:
        _kept[key] = data
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return data


def _festival(slug: str) -> Festival:
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    return festival


def _filename(festival: Festival, what: str, ext: str) -> str:
    """ASCII only, whatever the slug holds, so that every browser keeps the name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", festival.slug).strip("-.") or "hoithao"
    return f"{safe}-{what}.{ext}"


def _send(festival: Festival, what: str, ext: str, mimetype: str, inline: bool,
          render: Callable[[], bytes]) -> Response:
    etag = f"{what}-{festival.id}-{festival.revision}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        key = (what, ext, festival.id, festival.created_at, festival.revision)
        response = Response(_drawn(key, render), mimetype=mimetype)
        disposition = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{_filename(festival, what, ext)}"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"   # always ask again: results change during the day
    return response


@bp.route("/f/<slug>/medals.xlsx")
def medals_xlsx(slug: str):
    festival = _festival(slug)
    return _send(festival, "huy-chuong", "xlsx", XLSX, False,
                 lambda: reports.medals_workbook(reports.medal_report(festival)))


@bp.route("/f/<slug>/medals.pdf")
def medals_pdf(slug: str):
    from sports.pdf.medals import medals_pdf as draw

    festival = _festival(slug)
    return _send(festival, "huy-chuong", "pdf", PDF, True, lambda: draw(reports.medal_report(festival)))


@bp.route("/f/<slug>/results.pdf")
def results_pdf(slug: str):
    from sports.pdf.results_book import results_book_pdf as draw

    festival = _festival(slug)
    return _send(festival, "ket-qua", "pdf", PDF, True, lambda: draw(reports.results_book(festival)))

"""Unit leaders' pages (role "unit"): read-only.

A unit leader sees their own unit's score sheet in every score table of their festival, and
the whole ranked table once the bloc has published it. Organisers may open these pages too
(to see what a unit sees). Nothing here writes.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from sports.extensions import db
from sports.models import Festival
from sports.services import emulation_table as service
from sports.services.permissions import units_seen
from sports.web.access import require_role
from sports.web.admin.emulation import summary_pdf

bp = Blueprint("unit", __name__)
bp.before_request(require_role("unit", "organiser"))


def _festivals() -> list[tuple[Festival, set[str] | None]]:
    rows = db.session.scalars(select(Festival).order_by(Festival.id.desc()))
    out = []
    for f in rows:
        seen = units_seen(current_user, f.slug)
        if seen is None or seen:
            out.append((f, seen))
    return out


@bp.route("/")
def index():
    listed = []
    for festival, seen in _festivals():
        units = [u for u in festival.units if seen is None or u.code in seen]
        listed.append((festival, units, service.tables_of(festival)))
    return render_template("unit/index.html", listed=listed, title_of=service.title_of)


def _festival_table(slug: str, table_id: int):
    """The festival, the score table and the units this user sees (None: all); 403 for a
    festival the user has no unit in."""
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    seen = units_seen(current_user, slug)
    if seen is not None and not seen:
        abort(403)
    table = service.get_table(festival, table_id)
    if table is None:
        abort(404)
    return festival, table, seen


def _published(slug: str, table_id: int):
    """The ranked table as the bloc prints it, once published (before, only organisers)."""
    festival, table, seen = _festival_table(slug, table_id)
    if not table.published and seen is not None:
        abort(403)
    return festival, table


@bp.route("/<slug>/emulation/<int:table_id>/summary.pdf")
def summary_pdf_file(slug: str, table_id: int):
    # The signed summary the bloc sends its units (counted scores per criterion). Not the
    # organiser's workbook: that holds every unit's self scores, notes and adjustment reasons.
    return summary_pdf(*_published(slug, table_id))


@bp.route("/<slug>/emulation/<int:table_id>")
@bp.route("/<slug>/emulation/<int:table_id>/<code>")
def table(slug: str, table_id: int, code: str | None = None):
    festival, table, seen = _festival_table(slug, table_id)
    mine = [u for u in festival.units if seen is None or u.code in seen]
    if code is not None:
        mine = [u for u in mine if u.code == code]
        if not mine:
            abort(403 if any(u.code == code for u in festival.units) else 404)
    s = service.summary(festival, table)
    show_all = table.published or seen is None
    return render_template("unit/table.html", festival=festival, table=table, s=s, mine=mine,
                           sheets=[s.line(u.code) for u in mine] if code or seen is not None else [],
                           show_all=show_all, num=service.num, difference=service.difference,
                           title=service.title_of(table), link_label=service.LINK_LABEL)

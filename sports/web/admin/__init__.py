"""Organiser pages. Every request needs the organiser or admin role."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from sports.extensions import db
from sports.models import Athlete, Event, Festival, Match, Unit
from sports.web.access import require_role

bp = Blueprint("admin", __name__)
bp.before_request(require_role("organiser"))


def _count_by_festival(stmt) -> dict[int, int]:
    return dict(db.session.execute(stmt).all())


@bp.route("/")
def index():
    festivals = list(db.session.scalars(select(Festival).order_by(Festival.id.desc())))
    counts = {
        "units": _count_by_festival(select(Unit.festival_id, func.count()).group_by(Unit.festival_id)),
        "athletes": _count_by_festival(select(Athlete.festival_id, func.count()).group_by(Athlete.festival_id)),
        "events": _count_by_festival(select(Event.festival_id, func.count()).group_by(Event.festival_id)),
        "matches": _count_by_festival(
            select(Event.festival_id, func.count()).select_from(Match)
            .join(Event, Event.id == Match.event_id).group_by(Event.festival_id)
        ),
    }
    return render_template("admin/index.html", festivals=festivals, counts=counts)

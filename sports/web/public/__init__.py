"""Public pages: no login. The full results pages come with their own issue."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from sports.extensions import db
from sports.models import Entry, Event, Festival
from sports.services import rankings
from sports.services.festivals import list_festivals, pick_current
from sports.web.fields import small_int

bp = Blueprint("public", __name__)


def _festivals() -> list[Festival]:
    return list_festivals()


def _render(festival: Festival | None, festivals: list[Festival]):
    by_sport: dict[str, list] = {}
    for event in festival.events if festival else []:
        by_sport.setdefault(event.sport, []).append(event)  # in the organiser's event order
    medal_rows = rankings.medal_table(festival) if festival else []
    entry_counts = dict(db.session.execute(
        select(Entry.event_id, func.count()).join(Event).where(Event.festival_id == festival.id)
        .group_by(Entry.event_id)).all()) if festival else {}
    return render_template("public/index.html", festival=festival, festivals=festivals,
                           by_sport=by_sport, medal_rows=medal_rows, entry_counts=entry_counts,
                           units={u.code: u for u in festival.units} if festival else {})


@bp.route("/")
def index():
    # The festival an organiser marked current, else the latest (CONTRACT.md, "Web pages").
    festivals = _festivals()
    return _render(pick_current(festivals), festivals)


@bp.route("/f/<slug>/")
@bp.route("/f/<slug>")
def festival(slug: str):
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    return _render(festival, _festivals())


@bp.route("/f/<slug>/schedule")
def schedule(slug: str):
    """Order of play by day and court; ?day=YYYY-MM-DD and ?court=<id> narrow it (print per court/day)."""
    from sports.services import schedule as schedule_service

    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    days = schedule_service.order_of_play(festival)
    day, court = request.args.get("day", ""), request.args.get("court", "")
    if day:
        days = [(d, per) for d, per in days if d.isoformat() == day]
    if court:
        court_id = small_int(court)
        days = [(d, [(c, ms) for c, ms in per if c.id == court_id]) for d, per in days]
        days = [(d, per) for d, per in days if per]
    from sports.services.draws import match_sides

    sides = match_sides([m for _, per in days for _, ms in per for m in ms])
    return render_template("public/schedule.html", festival=festival, days=days, day_text=schedule_service.day_text,
                           narrowed=bool(day or court), sides=sides)

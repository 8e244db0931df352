"""Public pages: no login. What spectators, unit leaders and the press see, on phones and on the
hall's projector (CONTRACT.md, "Web pages").

Every page of a festival is served through ``cached_page``: the festival's revision, read with
one indexed query, makes the ETag and the cache key, so an unchanged page costs that query and
a dictionary lookup. Pages poll ``/f/<slug>/revision`` (static/js/live.js) and swap in the parts
marked ``data-live-part`` when it moves; without JavaScript they are plain pages.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request
from sqlalchemy import select

from sports.extensions import db
from sports.models import CertificateSettings, Event, Festival, Unit
from sports.services import public as public_service
from sports.services import reports
from sports.services import schedule as schedule_service
from sports.services.draws import bracket_view, match_sides, round_name
from sports.services.festivals import list_festivals
from sports.web.fields import small_int
from sports.services.derived import event_stamp, unit_stamp
from sports.web.public.cache import cached_page, festival_revision

bp = Blueprint("public", __name__)

LIVE_SECONDS = 5  # how often an open page asks whether anything changed (the goal: within 10 s)
ROTATE_SECONDS = 12  # projector: how long each panel stays on screen


def _festival(slug: str) -> Festival:
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    return festival


_T = Festival.__table__
# Built once: "/" runs it on every view, before the page cache answers.
_CURRENT = select(_T.c.slug).order_by(_T.c.is_current.desc(), _T.c.start_date.desc().nulls_last(),
                                      _T.c.id.desc()).limit(1)


def _current_slug() -> str | None:
    """The festival marked current, else the latest (one query; CONTRACT.md, "/")."""
    return db.session.connection().execute(_CURRENT).scalar()


@bp.route("/")
def index():
    slug = _current_slug()
    if slug is None:
        return render_template("public/index.html", festival=None)
    return festival(slug=slug)


@bp.route("/f/<slug>/")
@bp.route("/f/<slug>")
@cached_page
def festival(slug: str):
    festival = _festival(slug)
    medals = reports.medal_report(festival)
    events = list(db.session.scalars(select(Event).where(Event.festival_id == festival.id)
                                     .order_by(Event.position, Event.id)))
    counts = public_service.entry_counts(festival)
    by_sport: dict[str, list[Event]] = {}
    for event in events:
        by_sport.setdefault(event.sport, []).append(event)
    others = [f for f in list_festivals() if f.id != festival.id]
    return render_template("public/index.html", festival=festival, medals=medals, by_sport=by_sport,
                           latest=public_service.latest_results(festival),
                           upcoming=public_service.next_matches(festival), others=others,
                           counts=counts, units=festival.units, short={u.code: u.display_name for u in festival.units},
                           live=_live(festival))


@bp.route("/f/<slug>/events/<code>")
@cached_page(stamp=event_stamp)  # a result elsewhere leaves this page as it was
def event(slug: str, code: str):
    festival = _festival(slug)
    event = public_service.load_event(festival, code)
    if event is None:
        abort(404)
    report = reports.event_report(event, festival)
    brackets = []
    for stage in event.stages:
        if stage.type == "knockout":
            view = bracket_view(stage)
            if view:
                playoff = [m for m in stage.matches if m.is_playoff]
                brackets.append((stage, view, playoff, match_sides(playoff) if playoff else {}))
    return render_template("public/event.html", festival=festival, event=event, report=report,
                           brackets=brackets, round_name=round_name,
                           matches=_event_schedule(event), live=_live(festival))


def _event_schedule(event: Event) -> list[public_service.MatchItem]:
    """The event's matches still to play, with court and time, in the order of play."""
    rows = [m for s in event.stages for m in s.matches if m.status != "completed"]
    rows.sort(key=lambda m: (m.scheduled_at is None, schedule_service.local(m.scheduled_at) or 0, m.round, m.id))
    return public_service.items(rows)


@bp.route("/f/<slug>/units/<code>")
@cached_page(stamp=unit_stamp)  # a result in an event the unit is not in leaves this page as it was
def unit(slug: str, code: str):
    festival = _festival(slug)
    unit = db.session.scalar(select(Unit).where(Unit.festival_id == festival.id, Unit.code == code))
    if unit is None:
        abort(404)
    medals = reports.medal_report(festival)
    row = next((r for r in medals.rows if r.unit_code == unit.code), None)
    return render_template("public/unit.html", festival=festival, unit=unit, data=public_service.unit_page(unit),
                           row=row, medals=medals, live=_live(festival))


@bp.route("/f/<slug>/schedule")
@cached_page
def schedule(slug: str):
    """Order of play by day and court; ?day=YYYY-MM-DD and ?court=<id> narrow it (print per court/day)."""
    festival = _festival(slug)
    days = schedule_service.order_of_play(festival)
    day, court = request.args.get("day", ""), request.args.get("court", "")
    if day:
        days = [(d, per) for d, per in days if d.isoformat() == day]
    if court:
        court_id = small_int(court)
        days = [(d, [(c, ms) for c, ms in per if c.id == court_id]) for d, per in days]
        days = [(d, per) for d, per in days if per]
    sides = match_sides([m for _, per in days for _, ms in per for m in ms])
    return render_template("public/schedule.html", festival=festival, days=days, day_text=schedule_service.day_text,
                           narrowed=bool(day or court), sides=sides, live=_live(festival))


@bp.route("/f/<slug>/display")
@cached_page
def display(slug: str):
    """Projector mode: the medal table, the latest results, the next matches and each court,
    in large type, one panel at a time (static/js/display.js rotates them)."""
    festival = _festival(slug)
    # The address spectators can type: the festival's public address when the organiser set
    # one (certificate settings), else only the path (the projector's own host may be 127.0.0.1).
    base = db.session.scalar(select(CertificateSettings.base_url).where(CertificateSettings.festival_id == festival.id))
    address = (base or "").rstrip("/") + f"/f/{festival.slug}/"
    return render_template("public/display.html", festival=festival, medals=reports.medal_report(festival),
                           address=address,
                           latest=public_service.latest_results(festival, 10),
                           upcoming=public_service.next_matches(festival, 10),
                           courts=public_service.courts_now(festival), live=_live(festival),
                           rotate=ROTATE_SECONDS)


@bp.route("/f/<slug>/revision")
def revision(slug: str):
    """The festival's revision number, for pages to poll: ETag, and 304 when unchanged."""
    found = festival_revision(slug)
    if found is None:
        response = jsonify(error="Không có hội thao này.")
        response.status_code = 404
        return response
    tag = f"r{found[0]}-{found[1]}"
    if tag in request.if_none_match:
        response = Response(status=304)
    else:
        response = jsonify(revision=found[1])
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _live(festival: Festival) -> dict:
    return {"url": f"/f/{festival.slug}/revision", "revision": festival.revision or 0, "every": LIVE_SECONDS}

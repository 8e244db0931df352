"""The result desk: the matches a referee (or an organiser) records and confirms."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from sports.extensions import db
from sports.models import Entry, Event, EntryAthlete, Festival, Match, User
from sports.services.permissions import may_record
from sports.services.schedule import local


@dataclass
class Desk:
    upcoming: list[Match]       # to record: the current and next first (by time, then unscheduled)
    to_confirm: list[Match]     # results of others waiting for this user's second confirmation
    recent: list[Match]         # the latest results recorded in scope


def _matches(user: User) -> list[Match]:
    festivals = (user.scopes or {}).get("festivals") or []
    stmt = (select(Match).join(Event).join(Festival, Festival.id == Event.festival_id)
            .options(joinedload(Match.event).joinedload(Event.festival), joinedload(Match.court),
                     joinedload(Match.stage), joinedload(Match.group),
                     selectinload(Match.home).selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                     selectinload(Match.away).selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                     selectinload(Match.home).joinedload(Entry.unit), selectinload(Match.away).joinedload(Entry.unit)))
    if festivals:
        stmt = stmt.where(Festival.slug.in_(festivals))
    return [m for m in db.session.scalars(stmt).unique() if may_record(user, m)]


def desk(user: User) -> Desk:
    rows = _matches(user)
    never = datetime.max

    def when(m: Match):
        at = local(m.scheduled_at)
        return (at is None, at or never, m.event.position, m.round, m.id)

    upcoming = sorted((m for m in rows if m.status != "completed"
                       and m.home_entry_id is not None and m.away_entry_id is not None), key=when)
    to_confirm = sorted((m for m in rows if m.status == "completed" and not m.confirmed
                         and (user.has_role("organiser") or m.recorded_by_id != user.id)), key=when)
    recent = sorted((m for m in rows if m.status == "completed"),
                    key=lambda m: (m.recorded_at is not None, m.recorded_at or never.replace(year=1), m.id),
                    reverse=True)[:10]
    return Desk(upcoming, to_confirm, recent)


def next_match(user: User, after: Match) -> Match | None:
    """The referee's next match to record once ``after`` is done."""
    return next((m for m in desk(user).upcoming if m.id != after.id), None)

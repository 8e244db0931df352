"""Which courts and events a referee records results for (``User.scopes``, checked by
``services.permissions.may_record`` on every write)."""
from __future__ import annotations

from sqlalchemy import select

from sports.extensions import db
from sports.models import Festival, User
from sports.services import audit
from sports.services.errors import Problems
from sports.services.schedule import courts as festival_courts


def referees(festival: Festival) -> list[User]:
    """Referee accounts of this festival first (assigned to it), then those not limited to any."""
    rows = list(db.session.scalars(select(User).where(User.role == "referee").order_by(User.username)))
    mine = [u for u in rows if festival.slug in ((u.scopes or {}).get("festivals") or [])]
    free = [u for u in rows if not (u.scopes or {}).get("festivals")]
    return mine + free


def assign(festival: Festival, user: User, *, courts: list[str], events: list[str]) -> None:
    """Limit the referee to this festival and to these courts (names) and events (codes); empty = all."""
    problems = Problems()
    known_courts = {c.name for c in festival_courts(festival)}
    known_events = {e.code for e in festival.events}
    unknown = [c for c in courts if c not in known_courts] + [e for e in events if e not in known_events]
    if unknown:
        problems.add("courts", f"Không có sân hay nội dung: {', '.join(unknown)}.")
    if user.role != "referee":
        problems.add("courts", "Chỉ phân công được tài khoản trọng tài.")
    problems.raise_if_any()
    before = dict(user.scopes or {})
    user.scopes = {"festivals": [festival.slug], "courts": sorted(set(courts)), "events": sorted(set(events))}
    if user.scopes != before:
        db.session.flush()
        audit.record("referee.assign", user, before=before, after=user.scopes, festival_id=festival.id)


def rename_in_scopes(festival: Festival, axis: str, old: str, new: str) -> int:
    """After a court or an event of ``festival`` is renamed, the referees assigned to it by the
    old name keep their assignment under the new one (scopes hold names and codes, which is
    what an organiser reads and types). ``axis`` is "courts" or "events"; returns how many
    accounts changed."""
    changed = 0
    for user in db.session.scalars(select(User).where(User.role == "referee")):
        scopes = dict(user.scopes or {})
        if festival.slug not in (scopes.get("festivals") or []) or old not in (scopes.get(axis) or []):
            continue
        before = dict(scopes)
        scopes[axis] = sorted({new if x == old else x for x in scopes[axis]})
        user.scopes = scopes
        db.session.flush()
        audit.record("referee.assign", user, before=before, after=user.scopes, festival_id=festival.id)
        changed += 1
    return changed

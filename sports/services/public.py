"""What the public pages show besides the results book's data: the latest results, the next
matches, what is on each court, and a unit's own page. Read-only, bounded queries.

"Next" means the earliest matches not yet played in the order of play, not "after the
server's clock": a page then depends only on the recorded data (and can be cached under the
festival's revision), and a festival shown after its dates still reads sensibly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from sports.domain import medals as medal_rules
from sports.domain.text import person_sort_key
from sports.extensions import db
from sports.models import Court, Entry, EntryAthlete, Event, Festival, Match, Unit
from sports.services import derived, rankings
from sports.services.bracket import rounds_of
from sports.services.draws import match_sides, round_name
from sports.services.reports import OUTCOME_NOTES, event_report_options, sets_won
from sports.services.results import describe
from sports.services.schedule import local, local_from_utc



@dataclass(frozen=True)
class MatchItem:
    id: int
    event_code: str
    event_name: str
    stage: str                # "Bảng A", "Bán kết", "Tranh hạng Ba"
    home: str
    away: str
    home_unit: str
    away_unit: str
    court: str
    at: datetime | None       # festival-local time of play, when scheduled
    done: bool
    winner: str | None        # "home" | "away" | None
    scores: str               # "21-15, 18-21, 21-19" from the home side
    sets: str                 # "2-1", sets won by home and away
    note: str                 # "w.o.", "ret.", …
    sentence: str             # the result in words, or ""
    provisional: bool         # waiting for the second confirmation
    recorded_at: datetime | None


def _load(stmt) -> list[Match]:
    """The matches of ``stmt`` with what a list shows, in a fixed number of queries: the
    matches with their event, court, stage and group, then both sides' entries at once."""
    # The ids first (the sort and limit run on narrow rows), then the rows with their parts.
    ids = list(db.session.scalars(stmt.with_only_columns(Match.id)))
    if not ids:
        return []
    # Then the rows with their parts joined in: one query each for the matches and the sides
    # (each query costs more here than the few repeated columns of a join).
    rows = {m.id: m for m in db.session.scalars(select(Match).where(Match.id.in_(ids)).options(
        joinedload(Match.event), joinedload(Match.court), joinedload(Match.stage), joinedload(Match.group)))}
    matches = [rows[i] for i in ids]
    ids = {i for m in matches for i in (m.home_entry_id, m.away_entry_id) if i is not None}
    if ids:
        entries = {e.id: e for e in db.session.scalars(select(Entry).where(Entry.id.in_(ids)).options(
            joinedload(Entry.members).joinedload(EntryAthlete.athlete), joinedload(Entry.unit))).unique()}
        for m in matches:  # hand each match its sides, so that none is loaded on its own
            set_committed_value(m, "home", entries.get(m.home_entry_id))
            set_committed_value(m, "away", entries.get(m.away_entry_id))
    return matches


def _stage_name(m: Match) -> str:
    if m.group is not None:
        return f"Bảng {m.group.name}"
    if m.is_playoff:
        return "Tranh hạng Ba"
    if m.stage.type == "knockout":
        return round_name(m.round, max(rounds_of(m.stage), m.round))
    return f"Vòng {m.round}"


def items(matches: list[Match]) -> list[MatchItem]:
    sides = match_sides(matches)
    out = []
    for m in matches:
        done = m.status == "completed"
        sets = [list(s) for s in m.sets or []]
        winner = None
        if done and m.winner_entry_id is not None:
            winner = "home" if m.winner_entry_id == m.home_entry_id else "away"
        home, away = sides[m.id]
        out.append(MatchItem(
            id=m.id, event_code=m.event.code, event_name=m.event.name, stage=_stage_name(m), home=home, away=away,
            home_unit=m.home.unit.display_name if m.home else "", away_unit=m.away.unit.display_name if m.away else "",
            court=m.court.name if m.court else "", at=local(m.scheduled_at), done=done, winner=winner,
            scores=", ".join(f"{a}-{b}" for a, b in sets), sets=sets_won(m) if done else "",
            note=OUTCOME_NOTES.get(m.outcome, "") if done else "", sentence=describe(m) if done else "",
            provisional=done and not m.confirmed, recorded_at=local_from_utc(m.recorded_at)))
    return out


def load_event(festival: Festival, code: str) -> Event | None:
    """One event with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == code)
                             .options(*event_report_options()))


def entry_counts(festival: Festival) -> dict[int, int]:
    """Event id → entries still in it (not withdrawn), in one query."""
    return dict(db.session.execute(
        select(Entry.event_id, func.count()).join(Event, Event.id == Entry.event_id)
        .where(Event.festival_id == festival.id, Entry.withdrawn.is_(False)).group_by(Entry.event_id)).all())


def _festival_matches(festival: Festival):
    return select(Match).join(Event, Event.id == Match.event_id).where(Event.festival_id == festival.id)


def latest_results(festival: Festival, limit: int = 8) -> list[MatchItem]:
    stmt = (_festival_matches(festival).where(Match.status == "completed")
            .order_by(Match.recorded_at.is_(None), Match.recorded_at.desc(), Match.id.desc()).limit(limit))
    return items(_load(stmt))


def next_matches(festival: Festival, limit: int = 8) -> list[MatchItem]:
    stmt = (_festival_matches(festival).where(Match.status != "completed", Match.scheduled_at.is_not(None))
            .order_by(Match.scheduled_at, Match.court_id, Match.id).limit(limit))
    return items(_load(stmt))


@dataclass(frozen=True)
class CourtNow:
    court: str
    sport: str | None
    current: MatchItem | None     # the first match not yet played on this court
    then: MatchItem | None        # the one after it
    last: MatchItem | None        # the latest result on this court


def courts_now(festival: Festival) -> list[CourtNow]:
    """Per court: what is on now (the first unplayed match in its order), what follows, the last result."""
    courts = list(db.session.scalars(select(Court).where(Court.festival_id == festival.id)
                                     .order_by(Court.position, Court.id)))
    if not courts:
        return []
    base = _festival_matches(festival).where(Match.court_id.is_not(None))
    # The two earliest unplayed matches per court, and the latest result per court: window
    # functions keep it to one query each, however many matches the festival has.
    order = func.row_number().over(partition_by=Match.court_id, order_by=(Match.scheduled_at, Match.id))
    open_ids = base.where(Match.status != "completed").add_columns(order.label("n")).subquery()
    upcoming_ids = select(open_ids.c.id).where(open_ids.c.n <= 2)
    recent = func.row_number().over(partition_by=Match.court_id,
                                    order_by=(Match.recorded_at.desc(), Match.id.desc()))
    done_ids = base.where(Match.status == "completed").add_columns(recent.label("n")).subquery()
    last_ids = select(done_ids.c.id).where(done_ids.c.n == 1)
    rows = _load(select(Match).where(or_(Match.id.in_(upcoming_ids), Match.id.in_(last_ids))))
    by_id = {i.id: i for i in items(rows)}
    per_court: dict[int, list[Match]] = {}
    for m in sorted(rows, key=lambda m: (local(m.scheduled_at) or datetime.max, m.id)):
        per_court.setdefault(m.court_id, []).append(m)
    out = []
    for c in courts:
        ms = per_court.get(c.id, [])
        waiting = [by_id[m.id] for m in ms if m.status != "completed"]
        last = next((by_id[m.id] for m in ms if m.status == "completed"), None)
        out.append(CourtNow(c.name, c.sport, waiting[0] if waiting else None,
                            waiting[1] if len(waiting) > 1 else None, last))
    return out


# ------------------------------------------------------------------------- unit page

@dataclass(frozen=True)
class UnitMedal:
    event_code: str
    event_name: str
    place: int
    medal: str               # "Huy chương Vàng", … or "Giải Nhất" … by the festival's labels
    entry: str


@dataclass(frozen=True)
class UnitEntry:
    event_code: str
    event_name: str
    entry: str
    withdrawn: bool
    place: int | None


@dataclass(frozen=True)
class UnitPage:
    athletes: tuple[tuple[str, str, int | None, tuple[str, ...]], ...]  # name, gender, birth year, event codes
    entries: tuple[UnitEntry, ...]
    medals: tuple[UnitMedal, ...]
    matches: tuple[MatchItem, ...]


@dataclass(frozen=True)
class _UnitEvent:
    """What a unit's page shows of one event it is in, kept under that event's revision."""
    entries: tuple[UnitEntry, ...]
    medals: tuple[UnitMedal, ...]
    matches: tuple[tuple[tuple, MatchItem], ...]   # (order of play, the match)
    members: tuple[tuple[int, str], ...]           # (athlete id, event code) of its entries


def unit_page(unit: Unit) -> UnitPage:
    """A unit's page, assembled from one part per event it is in: after a result only the
    part of that event is read again (``derived.per_events``); the athletes are kept under
    the festival's epoch (every change to a person bumps it)."""
    festival = unit.festival
    rows = db.session.execute(
        select(Event.id, Event.revision, Event.position).join(Entry, Entry.event_id == Event.id)
        .where(Entry.unit_id == unit.id).distinct().order_by(Event.position, Event.id)).all()
    parts = derived.per_events(festival, [(r.id, r.revision) for r in rows], ("unit-page", unit.id),
                               lambda ids: _unit_events(unit, ids))
    ordered = [parts[r.id] for r in rows if r.id in parts]
    codes: dict[int, list[str]] = {}
    for part in ordered:
        for athlete_id, code in part.members:
            codes.setdefault(athlete_id, []).append(code)
    roster = derived.per_epoch(festival, ("unit-athletes", unit.id), lambda: tuple(
        (a.id, a.name, a.gender, a.birth_year) for a in sorted(unit.athletes, key=lambda a: person_sort_key(a.name))))
    return UnitPage(
        athletes=tuple((name, gender, year, tuple(codes.get(i, ()))) for i, name, gender, year in roster),
        entries=tuple(e for part in ordered for e in part.entries),
        medals=tuple(m for part in ordered for m in part.medals),
        matches=tuple(item for _, item in sorted(m for part in ordered for m in part.matches)),
    )


def _unit_events(unit: Unit, event_ids: list[int]) -> dict[int, _UnitEvent]:
    """The parts of ``unit``'s page for the events ``event_ids``, in a fixed number of queries."""
    festival = unit.festival
    entries = list(db.session.scalars(
        select(Entry).join(Event, Event.id == Entry.event_id)
        .where(Entry.unit_id == unit.id, Entry.event_id.in_(event_ids))
        .options(joinedload(Entry.event), joinedload(Entry.unit),
                 joinedload(Entry.members).joinedload(EntryAthlete.athlete))
        .order_by(Event.position, Entry.id)).unique())
    mine = {e.id for e in entries}
    matches = _load(_festival_matches(festival).where(
        Match.event_id.in_(event_ids), or_(Match.home_entry_id.in_(mine), Match.away_entry_id.in_(mine)))
        .order_by(Match.id)) if mine else []
    played: dict[int, list[tuple[tuple, MatchItem]]] = {}
    for m, item in zip(matches, items(matches), strict=True):
        order = (item.at is None, item.at or datetime.min, m.event.position, m.round, m.id)
        played.setdefault(m.event_id, []).append((order, item))
    style = festival.medal_labels if festival.medal_labels in medal_rules.MEDAL_LABELS else "medals"
    out = {}
    for event_id in event_ids:
        own = [e for e in entries if e.event_id == event_id]
        if not own:
            continue
        event = own[0].event
        places = {int(p.entry): p.place for p in rankings.event_placings(event)}
        names = {e.id: e.display_name for e in own}
        medals = tuple(
            UnitMedal(event.code, event.name, place, medal_rules.medal_label(medal, style), names[entry_id])
            for entry_id, place in sorted(places.items(), key=lambda kv: kv[1])
            if entry_id in names and (medal := medal_rules.medal_for_place(place)))
        out[event_id] = _UnitEvent(
            entries=tuple(UnitEntry(event.code, event.name, names[e.id], e.withdrawn, places.get(e.id)) for e in own),
            medals=medals, matches=tuple(played.get(event_id, ())),
            members=tuple((member.athlete_id, event.code) for e in own for member in e.members))
    return out

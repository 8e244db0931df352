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
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from sports.domain import medals as medal_rules
from sports.domain.text import person_sort_key
from sports.extensions import db
from sports.models import Court, Entry, EntryAthlete, Event, Festival, Match, Unit
from sports.services import rankings
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
    # The parts by select-in: one row each, not one per match (a stage's draw is JSON).
    rows = {m.id: m for m in db.session.scalars(select(Match).where(Match.id.in_(ids)).options(
        selectinload(Match.event), selectinload(Match.court), selectinload(Match.stage), selectinload(Match.group)))}
    matches = [rows[i] for i in ids]
    ids = {i for m in matches for i in (m.home_entry_id, m.away_entry_id) if i is not None}
    if ids:
        entries = {e.id: e for e in db.session.scalars(select(Entry).where(Entry.id.in_(ids)).options(
            selectinload(Entry.members).selectinload(EntryAthlete.athlete), joinedload(Entry.unit))).unique()}
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


def unit_page(unit: Unit) -> UnitPage:
    festival = unit.festival
    entries = list(db.session.scalars(
        select(Entry).join(Event, Event.id == Entry.event_id).where(Entry.unit_id == unit.id)
        .options(joinedload(Entry.event), selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                 joinedload(Entry.unit))
        .order_by(Event.position, Entry.id)))
    events = {e.event_id: e.event for e in entries}
    places: dict[int, int] = {}
    medals: list[UnitMedal] = []
    style = festival.medal_labels if festival.medal_labels in medal_rules.MEDAL_LABELS else "medals"
    mine = {e.id for e in entries}
    for event in sorted(events.values(), key=lambda e: e.position):
        for p in rankings.event_placings(event):
            entry_id = int(p.entry)
            if entry_id in mine:
                places[entry_id] = p.place
                medal = medal_rules.medal_for_place(p.place)
                if medal:
                    name = next(e.display_name for e in entries if e.id == entry_id)
                    medals.append(UnitMedal(event.code, event.name, p.place, medal_rules.medal_label(medal, style), name))
    codes: dict[int, list[str]] = {}
    for e in entries:
        for member in e.members:
            codes.setdefault(member.athlete_id, []).append(e.event.code)
    athletes = tuple((a.name, a.gender, a.birth_year, tuple(codes.get(a.id, ())))
                     for a in sorted(unit.athletes, key=lambda a: person_sort_key(a.name)))
    matches = _load(
        _festival_matches(festival).where(or_(Match.home_entry_id.in_(mine), Match.away_entry_id.in_(mine)))
        .order_by(Match.scheduled_at.is_(None), Match.scheduled_at, Event.position, Match.round, Match.id)) \
        if mine else []
    return UnitPage(
        athletes=athletes,
        entries=tuple(UnitEntry(e.event.code, e.event.name, e.display_name, e.withdrawn, places.get(e.id))
                      for e in entries),
        medals=tuple(medals),
        matches=tuple(items(matches)),
    )

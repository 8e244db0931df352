"""Derived results: rows → plain data → domain rules. Nothing here is a source of truth:
the one result kept in the database, each event's final placings, is a cache labelled with
the revisions it describes (``stored_placings``).

Group standings, knockout brackets, final placings, the medal table and the emulation
table are recomputed from what people entered, so a corrected result changes every
figure that depends on it. Each is kept in ``derived``'s cache under the revisions of the
event or festival it comes from: after one result only that event is computed again, and
the festival-wide results are assembled from the cached results of the other events.
Callers get fresh lists (of frozen rows) they may change freely.
"""
from __future__ import annotations

import hashlib
from fractions import Fraction

from dataclasses import dataclass, replace
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain import draws, medals, standings
from sports.domain.emulation import (
    Adjustment, Criterion, EmulationRow, FestivalLink, Score, emulation_table, exact, festival_facts,
)
from sports.domain.types import MatchFormat, MatchResult, Outcome
from sports.extensions import db
from sports.models import (
    EmulationCriterion, EmulationScore, EmulationTable, Entry, Event, Festival, Group, Match, Stage, Unit,
)
from sports.services import derived


def key(entry_id: int | None) -> str | None:
    return None if entry_id is None else str(entry_id)


def event_format(event: Event) -> MatchFormat:
    return MatchFormat(best_of=event.best_of, points=event.points,
                       deciding_points=event.deciding_points, cap=event.cap)


def match_result(match: Match) -> MatchResult | None:
    if match.status != "completed" or match.home_entry_id is None or match.away_entry_id is None:
        return None
    return MatchResult(
        home=key(match.home_entry_id), away=key(match.away_entry_id),
        sets=tuple(tuple(s) for s in match.sets or ()), outcome=Outcome(match.outcome),
        winner=key(match.winner_entry_id),
    )


@dataclass
class GroupStanding:
    group: Group
    rows: list[standings.StandingRow]
    complete: bool


def group_standings(event: Event, stage: Stage, confirmed_only: bool = False) -> list[GroupStanding]:
    """Each group's standings; ``confirmed_only`` leaves out results waiting for confirmation
    (for placings and medals; the public standings show them, marked provisional)."""
    cached = derived.per_event(event, ("groups", stage.id, confirmed_only),
                               lambda: tuple((gs.group.id, tuple(gs.rows), gs.complete)
                                             for gs in _group_standings(event, stage, confirmed_only)))
    groups = {g.id: g for g in stage.groups}
    return [GroupStanding(groups[group_id], list(rows), complete) for group_id, rows, complete in cached]


def _group_standings(event: Event, stage: Stage, confirmed_only: bool) -> list[GroupStanding]:
    out = []
    withdrawn = {key(e.id) for e in event.entries if e.withdrawn}
    for group in stage.groups:
        members = [key(m.entry_id) for m in group.members]
        matches = [m for m in stage.matches if m.group_id == group.id]
        counted = [m for m in matches if m.confirmed or not confirmed_only]
        results = [r for r in map(match_result, counted) if r is not None]
        rows = standings.rank_group(
            members, results, event.ranking_preset, event.ranking_options or {},
            withdrawn=withdrawn & set(members), lots=[key(i) for i in group.lots or []],
            match_format=event_format(event),
        )
        # A withdrawn entry's unplayed matches will never be played: they do not keep the group open.
        complete = bool(matches) and all(
            (m.status == "completed" and (m.confirmed or not confirmed_only))
            or {key(m.home_entry_id), key(m.away_entry_id)} & withdrawn for m in matches)
        out.append(GroupStanding(group, rows, complete))
    return out


def winners_of(stage: Stage, confirmed_only: bool = False) -> dict[frozenset[str], str]:
    return {frozenset((key(m.home_entry_id), key(m.away_entry_id))): key(m.winner_entry_id)
            for m in stage.matches
            if not m.is_playoff and m.status == "completed" and m.winner_entry_id is not None
            and (m.confirmed or not confirmed_only)}


def knockout_bracket(stage: Stage, confirmed_only: bool = False) -> list[list[draws.BracketMatch]]:
    cached = derived.per_event(stage.event, ("bracket", stage.id, confirmed_only), lambda: tuple(
        tuple(r) for r in draws.build_bracket([key(i) for i in stage.draw], winners_of(stage, confirmed_only))))
    return [list(r) for r in cached]


def playoff_winner(stage: Stage, confirmed_only: bool = False) -> str | None:
    for m in stage.matches:
        if m.is_playoff and m.status == "completed" and (m.confirmed or not confirmed_only):
            return key(m.winner_entry_id)
    return None


def event_placings(event: Event, confirmed_only: bool = True) -> list[medals.Placing]:
    """The event's final placings: recorded directly, else from its last stage.

    Only confirmed results count (a referee's result waiting for the second confirmation
    gives no medal yet)."""
    return list(derived.per_event(event, ("placings", confirmed_only),
                                  lambda: tuple(_stored_or_derived(event, confirmed_only))))


def _stored_or_derived(event: Event, confirmed_only: bool) -> list[medals.Placing]:
    stored = stored_placings(event.final_placings, event.festival.epoch, event.revision) \
        if confirmed_only and derived.usable() else None
    if stored is not None:
        return list(_placings_of(stored))
    return _event_placings(event, confirmed_only)


def _placings_of(stored: dict) -> tuple[medals.Placing, ...]:
    return tuple(medals.Placing(place, key(entry)) for place, entry, _ in stored["places"])


def stored_placings(data: dict | None, epoch: int, revision: int) -> dict | None:
    """The final confirmed placings written with an event's row at the commit that raised its
    revision (``final_placings``), if they still describe it: written under the festival's
    current epoch and the event's current revision (read with the same row). Otherwise None,
    and they are derived again. Only for committed data (``derived.usable``)."""
    if not data or data.get("epoch") != epoch or data.get("revision") != revision:
        return None
    return data


def final_placings(event: Event, epoch: int) -> tuple[str, dict]:
    """At commit: the fingerprint of what the medal table takes from ``event`` (see
    :func:`placings_key`) and its final confirmed placings, labelled for ``final_placings``.
    ``epoch`` is the festival's, read before the event's rows were loaded (never newer than
    them)."""
    placed = _event_placings(event, True)
    unit_of = {key(e.id): e.unit_id for e in event.entries}
    return placings_key(event, placed), {
        "epoch": epoch, "revision": event.revision, "team": event.is_team,
        "places": [[p.place, int(p.entry), unit_of[p.entry]] for p in placed]}


def _event_placings(event: Event, confirmed_only: bool) -> list[medals.Placing]:
    if event.placings_recorded:
        return [medals.Placing(p.place, key(p.entry_id)) for p in event.placings]
    if not event.stages:
        return []
    last = event.stages[-1]
    if last.type == "knockout":
        if not last.draw:
            return []
        places = draws.knockout_places(knockout_bracket(last, confirmed_only), event.third_place,
                                       playoff_winner(last, confirmed_only))
        return [medals.Placing(place, entry) for place, entry in places]
    groups = group_standings(event, last, confirmed_only)
    if len(groups) != 1 or not groups[0].complete:
        return []  # several groups without a knockout, or a group still playing: no final result
    # Entries only lots can separate wait for the draw; a withdrawn entry earns no place.
    rows = [r for r in groups[0].rows if not r.tied and not r.withdrawn]
    return medals.placings_from_ranks([(r.entry, r.rank) for r in rows])


def load_events(ids: list[int], fresh: bool = False) -> list[Event]:
    """The events ``ids`` with everything their derived results read, in a fixed number of
    queries; ``fresh`` reads every row again, over what the session already holds."""
    if not ids:
        return []
    stmt = (select(Event).where(Event.id.in_(ids)).order_by(Event.position, Event.id)
            .options(selectinload(Event.entries), selectinload(Event.placings),
                     selectinload(Event.stages).selectinload(Stage.matches),
                     selectinload(Event.stages).selectinload(Stage.groups).selectinload(Group.members)))
    if fresh:
        stmt = stmt.execution_options(populate_existing=True)
    return list(db.session.scalars(stmt))


def medal_table(festival: Festival) -> list[medals.MedalRow]:
    return list(derived.per_placings(festival, ("medals",), lambda: tuple(_medal_table(festival))))


def placings_key(event: Event, placed: list[medals.Placing] | None = None) -> str:
    """A fingerprint of what the medal table takes from ``event``: its final confirmed
    placings, the units of the placed entries, and whether it is a team event."""
    units = {key(e.id): e.unit.code for e in event.entries}
    placed = _event_placings(event, True) if placed is None else placed
    seen = tuple((p.place, p.entry, units.get(p.entry)) for p in placed)
    return hashlib.sha256(repr((event.is_team, seen)).encode()).hexdigest()[:32]


def _event_result(event: Event, unit_code: dict[int, str]) -> medals.EventResult:
    entry_units = MappingProxyType({key(e.id): unit_code[e.unit_id] for e in event.entries})
    return medals.EventResult(code=event.code, placings=tuple(event_placings(event)),
                              entry_units=entry_units, team=event.is_team)


def _stored_result(row, epoch: int, unit_code: dict[int, str]) -> medals.EventResult | None:
    data = stored_placings(row.final_placings, epoch, row.revision)
    if data is None or any(unit not in unit_code for _, _, unit in data["places"]):
        return None
    return medals.EventResult(
        code=row.code, placings=_placings_of(data),
        entry_units=MappingProxyType({key(entry): unit_code[unit] for _, entry, unit in data["places"]}),
        team=bool(data.get("team")))


def _medal_table(festival: Festival) -> list[medals.MedalRow]:
    units = {u.code: u.name for u in festival.units}
    unit_code = {u.id: u.code for u in festival.units}
    # Unit codes are part of each event's result: a unit's change bumps the epoch (all events).
    rows = db.session.execute(select(Event.id, Event.code, Event.revision, Event.final_placings)
                              .where(Event.festival_id == festival.id).order_by(Event.position, Event.id)).all()
    # Each event's placings as its last write stored them, when they still describe it; the
    # others from the cache of derived results, loading only the events missing there.
    stored = {r.id: _stored_result(r, festival.epoch, unit_code) for r in rows} if derived.usable() else {}
    computed = derived.per_events(festival, [(r.id, r.revision) for r in rows if stored.get(r.id) is None],
                                  ("event_result",),
                                  lambda ids: {e.id: _event_result(e, unit_code) for e in load_events(ids)})
    results = [stored.get(r.id) or computed[r.id] for r in rows]
    settings = (festival.medal_mode, tuple(festival.medal_points or ()), festival.team_multiplier or 1,
                festival.shared_points or "full")
    # Most results change no placing (a group match, a quarter-final): then the table of the
    # revision before holds, whatever else changed.
    content = (tuple(units.items()), settings,
               tuple((r.code, r.team, r.placings, tuple(r.entry_units.get(p.entry) for p in r.placings))
                     for r in results))
    return list(derived.by_content(festival, ("medal_table",), content, lambda: tuple(medals.medal_table(
        units, results, *settings))))


def events_entered(festival: Festival) -> dict[str, int]:
    """Unit code → the number of the festival's events it has an entry in (not withdrawn),
    counted from one set of units per event, kept under that event's revision."""
    rows = db.session.execute(select(Event.id, Event.revision).where(Event.festival_id == festival.id)).all()
    per_event = derived.per_events(festival, [(r.id, r.revision) for r in rows], ("units-entered",), _units_entered)
    counts: dict[str, int] = {}
    for codes in per_event.values():
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items()))


def _units_entered(event_ids: list[int]) -> dict[int, frozenset[str]]:
    out: dict[int, set[str]] = {event_id: set() for event_id in event_ids}
    for event_id, code in db.session.execute(
            select(Entry.event_id, Unit.code).join(Unit, Unit.id == Entry.unit_id)
            .where(Entry.event_id.in_(event_ids), Entry.withdrawn.is_(False))):
        out[event_id].add(code)
    return {event_id: frozenset(codes) for event_id, codes in out.items()}


@dataclass(frozen=True)
class EmulationInputs:
    """What a score table's rows are computed from besides the festival's results."""
    units: MappingProxyType
    criteria: tuple[Criterion, ...]
    scores: tuple[Score, ...]
    adjustments: tuple[Adjustment, ...]
    bonus_cap: Fraction | None
    link: FestivalLink | None
    votes: tuple[str, ...]

    def rows(self, link: FestivalLink | None, entered: dict[str, int] | None = None,
             ranks: dict[str, int] | None = None) -> list[EmulationRow]:
        return emulation_table(self.units, self.criteria, self.scores, self.adjustments, self.bonus_cap, link,
                               entered or {}, ranks or {}, self.votes)


def emulation_inputs(festival: Festival, table: EmulationTable) -> EmulationInputs:
    """``table``'s criteria, scores, adjustments and settings as plain data, kept under the
    epoch of ``festival``, its home (every edit of a table, a unit or the festival raises it)."""
    return derived.per_epoch(festival, ("emulation-inputs", table.id), lambda: _emulation_inputs(festival, table))


def _emulation_inputs(festival: Festival, table: EmulationTable) -> EmulationInputs:
    unit_code = {u.id: u.code for u in festival.units}
    criteria = list(db.session.scalars(select(EmulationCriterion).where(EmulationCriterion.table_id == table.id)
                                       .order_by(EmulationCriterion.position, EmulationCriterion.id)))
    codes = {c.id: c.code for c in criteria}
    scores = db.session.execute(
        select(EmulationScore.criterion_id, EmulationScore.unit_id, EmulationScore.self_score, EmulationScore.bloc_score)
        .where(EmulationScore.criterion_id.in_(list(codes))).order_by(EmulationScore.id)).all() if codes else []
    # A score in the table's order: by criterion, then as entered.
    order = {c.id: n for n, c in enumerate(criteria)}
    link = None
    if table.link_criterion:
        link = FestivalLink(table.link_criterion, exact(table.participation_points or 0),
                            table.min_events or 0, {int(k): exact(v) for k, v in (table.rank_bonus or {}).items()})
    return EmulationInputs(
        units=MappingProxyType({u.code: u.name for u in festival.units}),
        criteria=tuple(Criterion(c.code, c.group, c.name, exact(c.max_score)) for c in criteria),
        scores=tuple(Score(unit_code[s.unit_id], codes[s.criterion_id],
                           None if s.self_score is None else exact(s.self_score),
                           None if s.bloc_score is None else exact(s.bloc_score))
                     for s in sorted(scores, key=lambda s: order[s.criterion_id])),
        adjustments=tuple(Adjustment(unit_code[a.unit_id], a.kind, exact(a.points), a.reason)
                          for a in table.adjustments),
        bonus_cap=None if table.bonus_cap is None else exact(table.bonus_cap), link=link,
        votes=tuple(table.votes or ()))


def emulation(festival: Festival):
    """The festival's linked score table and its rows. The rows are kept under what they read
    of the festival (``festival_facts``: who entered enough events, who holds a rank with a
    bonus), so a result that changes neither leaves them as they were."""
    table = db.session.scalar(select(EmulationTable).where(EmulationTable.festival_id == festival.id))
    if table is None:
        return None, []
    inputs = emulation_inputs(festival, table)
    entered = events_entered(festival) if inputs.link else {}
    ranks = ({row.unit: row.rank for row in medal_table(festival) if row.total > 0 or (row.points or 0) > 0}
             if inputs.link else {})
    facts = festival_facts(inputs.link, entered, ranks)
    return table, list(derived.by_content(festival, ("emulation", table.id, festival.epoch), facts, lambda: tuple(
        replace(row, criteria=MappingProxyType(dict(row.criteria))) for row in inputs.rows(inputs.link, entered, ranks))))

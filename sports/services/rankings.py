"""Derived results: rows → plain data → domain rules. Nothing here is stored.

Group standings, knockout brackets, final placings, the medal table and the emulation
table are recomputed from what people entered, so a corrected result changes every
figure that depends on it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain import draws, medals, standings
from sports.domain.emulation import Adjustment, Criterion, FestivalLink, Score, emulation_table, exact
from sports.domain.types import MatchFormat, MatchResult, Outcome
from sports.extensions import db
from sports.models import (
    EmulationTable, Event, Festival, Group, Match, Stage,
)


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
    return draws.build_bracket([key(i) for i in stage.draw], winners_of(stage, confirmed_only))


def playoff_winner(stage: Stage, confirmed_only: bool = False) -> str | None:
    for m in stage.matches:
        if m.is_playoff and m.status == "completed" and (m.confirmed or not confirmed_only):
            return key(m.winner_entry_id)
    return None


def event_placings(event: Event, confirmed_only: bool = True) -> list[medals.Placing]:
    """The event's final placings: recorded directly, else from its last stage.

    Only confirmed results count (a referee's result waiting for the second confirmation
    gives no medal yet)."""
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


def _festival_events(festival: Festival) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.festival_id == festival.id).order_by(Event.position, Event.id)
        .options(selectinload(Event.entries), selectinload(Event.placings),
                 selectinload(Event.stages).selectinload(Stage.matches),
                 selectinload(Event.stages).selectinload(Stage.groups).selectinload(Group.members))
    ))


def medal_table(festival: Festival) -> list[medals.MedalRow]:
    units = {u.code: u.name for u in festival.units}
    unit_code = {u.id: u.code for u in festival.units}
    results = []
    for event in _festival_events(festival):
        placings = tuple(event_placings(event))
        entry_units = {key(e.id): unit_code[e.unit_id] for e in event.entries}
        results.append(medals.EventResult(code=event.code, placings=placings,
                                          entry_units=entry_units, team=event.is_team))
    return medals.medal_table(units, results, festival.medal_mode, festival.medal_points or (),
                              festival.team_multiplier or 1, festival.shared_points or "full")


def events_entered(festival: Festival) -> dict[str, int]:
    counts: dict[str, int] = {}
    unit_code = {u.id: u.code for u in festival.units}
    for event in festival.events:
        for code in {unit_code[e.unit_id] for e in event.entries if not e.withdrawn}:
            counts[code] = counts.get(code, 0) + 1
    return counts


def emulation(festival: Festival):
    table = db.session.scalar(select(EmulationTable).where(EmulationTable.festival_id == festival.id))
    if table is None:
        return None, []
    unit_code = {u.id: u.code for u in festival.units}
    criteria = [Criterion(c.code, c.group, c.name, exact(c.max_score)) for c in table.criteria]
    scores = [Score(unit_code[s.unit_id], c.code,
                    None if s.self_score is None else exact(s.self_score),
                    None if s.bloc_score is None else exact(s.bloc_score))
              for c in table.criteria for s in c.scores]
    adjustments = [Adjustment(unit_code[a.unit_id], a.kind, exact(a.points), a.reason) for a in table.adjustments]
    link = None
    if table.link_criterion:
        link = FestivalLink(table.link_criterion, exact(table.participation_points or 0),
                            table.min_events or 0, {int(k): exact(v) for k, v in (table.rank_bonus or {}).items()})
    ranks = {row.unit: row.rank for row in medal_table(festival) if row.total > 0 or (row.points or 0) > 0}
    rows = emulation_table({u.code: u.name for u in festival.units}, criteria, scores, adjustments,
                           None if table.bonus_cap is None else exact(table.bonus_cap), link,
                           events_entered(festival), ranks, table.votes or [])
    return table, rows

"""Knockout brackets as rows: a match row for every pairing the draw and the results produce.

The domain decides who meets whom (``draws.build_bracket``); this module keeps the stage's
match rows in step: a new row as soon as both sides of a match are known, the sides of an
unplayed row updated when a corrected result changes them, and the third-place play-off
when the event has one. Rows with a result are never changed here.
"""
from __future__ import annotations

from typing import Callable

from sports.domain import draws
from sports.extensions import db
from sports.models import Entry, Match, Stage
from sports.services.rankings import key, winners_of


def sync_knockout(stage: Stage, fill: Callable[[Match], None] | None = None) -> list[Match]:
    """Bring the stage's rows in line with its bracket; returns the rows created.

    ``fill(row)`` is called on each new row (the importer records the file's result
    there), and may decide it, which can reveal the next pairing: the loop runs until
    no new row appears.
    """
    event = stage.event
    entries: dict[str, Entry] = {key(e.id): e for e in event.entries}
    created: list[Match] = []
    while True:
        rows = {(m.round, m.position, m.is_playoff): m for m in stage.matches}
        bracket = draws.build_bracket([key(i) for i in stage.draw], winners_of(stage))
        wanted = [(bm.round, bm.index, False, bm.home, bm.away) for rnd in bracket for bm in rnd if bm.pair]
        if event.third_place == "playoff" and len(bracket) >= 2:
            losers = [bm.loser for bm in bracket[-2] if bm.loser is not None]
            if len(losers) == 2 and all(not bm.bye for bm in bracket[-2]):
                wanted.append((len(bracket), 1, True, losers[0], losers[1]))
        new = []
        for rnd, pos, playoff, home, away in wanted:
            row = rows.get((rnd, pos, playoff))
            if row is None:
                row = Match(event=event, stage=stage, round=rnd, position=pos, is_playoff=playoff,
                            home=entries[home], away=entries[away], sets=[])
                db.session.add(row)
                new.append(row)
            elif row.status != "completed" and {key(row.home_entry_id), key(row.away_entry_id)} != {home, away}:
                row.home, row.away = entries[home], entries[away]
        if not new:
            db.session.flush()
            return created
        db.session.flush()
        created += new
        if fill is not None:
            for row in new:
                fill(row)
            db.session.flush()


def bracket_lines(stage: Stage) -> list[str | None]:
    """The first-round lines the bracket is built from: entry keys, or group places ("A1")
    while the qualifiers of a knockout fed by groups are not confirmed yet."""
    if stage.draw:
        return [key(i) for i in stage.draw]
    return list(stage.draw_labels or [])


def ensure_rows(stage: Stage) -> list[Match]:
    """A row for every match of the bracket, sides still unknown included (for the schedule).

    Sides that are known are filled; the others stay empty until ``sync_knockout`` fills
    them as results come in. Byes get no row. Returns the rows created.
    """
    lines = bracket_lines(stage)
    if not lines:
        return []
    event = stage.event
    entries: dict[str, Entry] = {key(e.id): e for e in event.entries}
    bracket = draws.build_bracket(lines, winners_of(stage) if stage.draw else {})
    have = {(m.round, m.position, m.is_playoff) for m in stage.matches}
    slots = [(bm.round, bm.index, False, bm.home, bm.away) for rnd in bracket for bm in rnd if not bm.bye]
    if event.third_place == "playoff" and len(bracket) >= 2:
        slots.append((len(bracket), 1, True, None, None))
    created = []
    for rnd, pos, playoff, home, away in slots:
        if (rnd, pos, playoff) in have:
            continue
        row = Match(event=event, stage=stage, round=rnd, position=pos, is_playoff=playoff, sets=[],
                    home=entries.get(home) if home else None, away=entries.get(away) if away else None)
        db.session.add(row)
        created.append(row)
    db.session.flush()
    return created


def correction_conflicts(match: Match, new_winner_id: int | None) -> list[str]:
    """Why a corrected knockout result cannot be applied: later played matches it would change."""
    stage = match.stage
    if stage.type != "knockout" or match.is_playoff or match.status != "completed" \
            or new_winner_id == match.winner_entry_id or new_winner_id is None:
        return []
    pair = frozenset((key(match.home_entry_id), key(match.away_entry_id)))
    affected = draws.correction_effects([key(i) for i in stage.draw], winners_of(stage), pair, key(new_winner_id))
    names = {key(e.id): e.display_name for e in match.event.entries}
    problems = [
        f"Sửa kết quả này làm thay đổi cặp đấu vòng {bm.round} ({names.get(bm.home, '?')} – "
        f"{names.get(bm.away, '?')}) đã có kết quả. Hãy sửa kết quả trận đó trước."
        for bm in affected
    ]
    is_semi_final = match.round == rounds_of(stage) - 1
    if is_semi_final and any(m.is_playoff and m.status == "completed" for m in stage.matches):
        problems.append("Sửa kết quả bán kết làm thay đổi trận tranh hạng Ba đã có kết quả. "
                        "Hãy sửa kết quả trận tranh hạng Ba trước.")
    return problems


def affected_rows(match: Match, new_winner_id: int | None) -> list[Match]:
    """The rows of later matches with results whose pairing a changed winner would change
    (the play-off too, when a semi-final's loser changes)."""
    stage = match.stage
    if stage.type != "knockout" or match.is_playoff or match.status != "completed" \
            or new_winner_id == match.winner_entry_id or new_winner_id is None:
        return []
    pair = frozenset((key(match.home_entry_id), key(match.away_entry_id)))
    changed = draws.correction_effects([key(i) for i in stage.draw], winners_of(stage), pair, key(new_winner_id))
    slots = {(bm.round, bm.index) for bm in changed}
    rows = [m for m in stage.matches if not m.is_playoff and m.status == "completed" and (m.round, m.position) in slots]
    if match.round >= rounds_of(stage) - 1 or any(r.round == rounds_of(stage) - 1 for r in rows):
        rows += [m for m in stage.matches if m.is_playoff and m.status == "completed"]
    return rows


def refresh_open_rows(stage: Stage) -> None:
    """Every row without a result shows the bracket's current sides (None where still open)."""
    entries: dict[str, Entry] = {key(e.id): e for e in stage.event.entries}
    bracket = draws.build_bracket([key(i) for i in stage.draw], winners_of(stage))
    slots = {(bm.round, bm.index): bm for rnd in bracket for bm in rnd}
    losers = [bm.loser for bm in bracket[-2]] if len(bracket) >= 2 else []
    for row in stage.matches:
        if row.status == "completed":
            continue
        if row.is_playoff:
            home, away = (losers + [None, None])[:2]
        else:
            bm = slots.get((row.round, row.position))
            home, away = (bm.home, bm.away) if bm else (None, None)
        row.home, row.away = entries.get(home) if home else None, entries.get(away) if away else None
    db.session.flush()


def rounds_of(stage: Stage) -> int:
    """How many rounds the knockout has (1 = a final only), from its drawn or labelled lines."""
    return max(1, (len(bracket_lines(stage)) - 1).bit_length())

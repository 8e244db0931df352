"""Creating stages, groups and their matches from the domain's draws."""
from __future__ import annotations

from typing import Callable, Sequence

from sports.domain.draws import round_robin
from sports.extensions import db
from sports.models import Entry, Event, Group, GroupEntry, Match, Stage


def create_round_robin_stage(event: Event, groups: Sequence[tuple[str, Sequence[Entry]]], *,
                             lots: Sequence[Sequence[Entry]] = (),
                             fill: Callable[[Match], None] | None = None) -> Stage:
    """A round-robin stage with the given groups (name, entries) and every group match.

    ``lots`` holds a recorded lot order per group; ``fill(row)`` is called on each new match
    (the importer records the file's result there).
    """
    stage = Stage(event=event, type="round_robin", position=len(event.stages))
    db.session.add(stage)
    for g_pos, (name, entries) in enumerate(groups):
        drawn = lots[g_pos] if g_pos < len(lots) else ()
        group = Group(stage=stage, name=name, position=g_pos, lots=[e.id for e in drawn])
        db.session.add(group)
        for pos, entry in enumerate(entries):
            group.members.append(GroupEntry(entry=entry, position=pos))
        by_key = {str(e.id): e for e in entries}
        for rnd, pairs in enumerate(round_robin(list(by_key)), start=1):
            for pos, (home, away) in enumerate(pairs):
                row = Match(event=event, stage=stage, group=group, round=rnd, position=pos,
                            home=by_key[home], away=by_key[away], sets=[])
                db.session.add(row)
                if fill is not None:
                    fill(row)
    db.session.flush()
    return stage

"""Creating stages, groups and their matches from the domain's draws."""
from __future__ import annotations

from typing import Sequence

from sports.domain.draws import round_robin
from sports.extensions import db
from sports.models import Entry, Event, Group, GroupEntry, Match, Stage


def create_round_robin_stage(event: Event, groups: Sequence[tuple[str, Sequence[Entry]]]) -> Stage:
    """A round-robin stage with the given groups (name, entries) and every group match."""
    stage = Stage(event=event, type="round_robin", position=len(event.stages))
    db.session.add(stage)
    for g_pos, (name, entries) in enumerate(groups):
        group = Group(stage=stage, name=name, position=g_pos, lots=[])
        db.session.add(group)
        for pos, entry in enumerate(entries):
            group.members.append(GroupEntry(entry=entry, position=pos))
        db.session.flush()
        by_key = {str(e.id): e for e in entries}
        for rnd, pairs in enumerate(round_robin(list(by_key)), start=1):
            for pos, (home, away) in enumerate(pairs):
                db.session.add(Match(event=event, stage=stage, group=group, round=rnd, position=pos,
                                     home=by_key[home], away=by_key[away], sets=[]))
    db.session.flush()
    return stage

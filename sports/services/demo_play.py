"""The demo's festival day in progress: courts, sessions, draws and part of the results.

So that `make run` shows what a festival looks like mid-way: a knockout bracket with the
winners moving on and the final still open, groups played and their qualifiers in a
knockout, the order of play on courts, and a referee assigned to court 1 with matches to
record. Everything goes through the same services an organiser and a referee use.
"""
from __future__ import annotations

import random
from datetime import date, time

from sqlalchemy import select

from sports.extensions import db
from sports.models import Event, Festival, Match, User
from sports.services import draws, referees, schedule
from sports.services.results import record_result

COURTS = {
    "badminton": ["Sân 1", "Sân 2", "Sân 3"],
    "table_tennis": ["Bàn 1", "Bàn 2", "Bàn 3"],
    "volleyball": ["Sân bóng chuyền"],
}
SESSIONS = [(date(2023, 11, 25), time(7, 30), time(11, 30)), (date(2023, 11, 25), time(13, 30), time(17, 0)),
            (date(2023, 11, 26), time(7, 30), time(11, 30)), (date(2023, 11, 26), time(13, 30), time(17, 0))]


def _game(rng: random.Random, target: int, cap: int | None) -> tuple[int, int]:
    """A won game or set for the first side, as the rules allow (deuce now and then)."""
    if rng.random() < 0.2:
        winner = target + rng.randint(1, 3) if cap is None else min(cap, target + rng.randint(1, 3))
        loser = winner - 2 if cap is None or winner < cap else winner - rng.choice([1, 2])
        return winner, loser
    return target, rng.randint(max(0, target - 12), target - 2)


def play(match: Match, rng: random.Random, *, home_wins: bool | None = None) -> None:
    """Record a plausible straight or three-game result for a match with both sides known."""
    event = match.event
    home_wins = rng.random() < 0.6 if home_wins is None else home_wins
    need = event.best_of // 2 + 1
    lost = rng.randint(0, need - 1)
    sets: list[tuple[int, int]] = []
    for i in range(need + lost):
        last = i == need + lost - 1
        deciding = last and need + lost == event.best_of and event.deciding_points
        target = deciding or event.points
        cap = None if deciding else event.cap
        w, loser = _game(rng, target, cap)
        winner_side = last or i >= lost  # the loser's games first, then the winner's
        sets.append((w, loser) if winner_side else (loser, w))
    if not home_wins:
        sets = [(b, a) for a, b in sets]
    record_result(match, sets, actor="demo")


def _open_matches(event: Event, stage_type: str) -> list[Match]:
    stage = next(s for s in event.stages if s.type == stage_type)
    return sorted((m for m in stage.matches if m.status == "scheduled" and m.home_entry_id and m.away_entry_id),
                  key=lambda m: (m.round, m.position, m.id))


def build_day(festival: Festival, events: dict[str, Event]) -> None:
    rng = random.Random(1125)
    for sport, names in COURTS.items():
        schedule.add_courts(festival, sport, names)
    for day, start, end in SESSIONS:
        schedule.add_session(festival, day, start, end)

    # Table tennis men's doubles: a seeded knockout; first round and quarter-finals played,
    # one semi-final played, the other and the final still to come.
    ko = events["BB-DOINAM"]
    draws.make_draw(ko, draws.DrawSpec(structure="knockout", rng_seed=2023))
    # Badminton men's doubles: two groups, then semi-finals; the groups are played.
    gk = events["CL-DOINAM"]
    draws.make_draw(gk, draws.DrawSpec(structure="groups_knockout", groups=2, qualifiers=2, rng_seed=2023))
    # Badminton mixed doubles: one group under way.
    rr = events["CL-DOINN"]
    draws.make_draw(rr, draws.DrawSpec(structure="round_robin", rng_seed=2023))
    db.session.flush()
    schedule.generate(festival)

    for match in _open_matches(gk, "round_robin"):
        play(match, rng)
    db.session.flush()
    db.session.refresh(gk)
    draws.confirm_qualification(gk)

    ko_stage = next(s for s in ko.stages if s.type == "knockout")
    rounds = max(m.round for m in ko_stage.matches if not m.is_playoff)
    for rnd in range(1, rounds - 1):
        for match in _open_matches(ko, "knockout"):
            if match.round == rnd:
                play(match, rng)
        db.session.flush()
    semis = [m for m in _open_matches(ko, "knockout") if m.round == rounds - 1]
    if semis:
        play(semis[0], rng)

    group = _open_matches(rr, "round_robin")
    for match in group[: len(group) // 2]:
        play(match, rng)
    db.session.flush()

    referee = db.session.scalar(select(User).where(User.username == "trongtai"))
    if referee is not None:
        referees.assign(festival, referee, courts=["Sân 1"], events=[])

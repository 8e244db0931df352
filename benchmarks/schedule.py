"""Benchmark of the court scheduler on a national-scale festival.

The festival: 100 units, 5,000 athletes, 60 events, about 3,600 matches - round-robin
groups of 4 or 5, then a knockout of the group winners that waits for the whole group
stage of its event, finals not before the last afternoon. Racket players of a unit play
singles, doubles and mixed of their band (up to 3 events each), so their matches clash
unless the scheduler keeps them apart. 40 courts split between the sports in proportion
to the court time each needs; 4 days x 2 sessions (07:00-11:30, 13:00-17:30).

The baseline, measured in the same run, is a greedy packer that ignores athletes, rest,
round order and not-before times: each sport's matches in order (round, key), each on the
court of its sport that is free first, never across a session end.

`run()` returns the figures as a list of dicts; `python -m benchmarks.schedule` prints them.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sports.domain.draws import round_robin  # noqa: E402
from sports.domain.schedule import (  # noqa: E402
    Court, MatchSlot, ScheduleSettings, Session, check_move, fit_check, schedule)

DURATION = {"volleyball": 45, "table_tennis": 20, "badminton": 20}
DISCIPLINES = ["MS", "WS", "MD", "WD", "XD"]
FIRST_DAY = datetime(2025, 5, 7)
DAYS = 4
SESSIONS = ((7, 0, 11, 30), (13, 0, 17, 30))
N_COURTS = 40
SETTINGS = ScheduleSettings(min_rest=15, round_gap=0)


def festival(n_units: int = 100, per_unit: int = 50, seed: int = 1) -> tuple[list[MatchSlot], list[Session]]:
    """The matches and sessions of the benchmark festival (deterministic for a seed)."""
    rng = random.Random(seed)
    pools = {(u, g): [f"a{u}-{g}{i}" for i in range(per_unit // 2)] for u in range(n_units) for g in "MF"}
    used: dict[str, int] = {}
    squads: dict[tuple, list[str]] = {}

    def squad(u: int, block: tuple, gender: str, size: int) -> list[str]:
        """A unit's players for a (sport, band): the same people across that band's events."""
        key = (u, block, gender)
        if key not in squads:
            free = [a for a in pools[(u, gender)] if used.get(a, 0) == 0]
            spare = [a for a in pools[(u, gender)] if 0 < used.get(a, 0) < 3]
            squads[key] = (free + spare)[:size]
        return squads[key]

    events = [("volleyball", g, band) for band in range(3) for g in ("M", "F")]
    events += [("table_tennis", d, band) for band in range(5) for d in DISCIPLINES]
    events += [("badminton", d, band) for band in range(6) for d in DISCIPLINES][:29]
    last_afternoon = FIRST_DAY + timedelta(days=DAYS - 1, hours=SESSIONS[1][0], minutes=SESSIONS[1][1])
    matches: list[MatchSlot] = []
    for e, (sport, disc, band) in enumerate(events):
        code = f"{sport[:2].upper()}-{disc}{band}"
        n_groups = 4 if sport == "volleyball" else 8
        fives = rng.randint(0, 2) if sport == "volleyball" else rng.randint(1, 3)
        sizes = [5] * fives + [4] * (n_groups - fives)
        block = (sport, band)
        offset = (sum(map(ord, sport)) * 7 + band * 31) % n_units
        units = [(offset + i) % n_units for i in range(sum(sizes))]
        entries = []
        for u in units:
            if sport == "volleyball":
                members = squad(u, block + (disc,), disc, 12)
            elif disc in ("MS", "WS"):
                members = squad(u, block, "M" if disc == "MS" else "F", 2)[:1]
            elif disc in ("MD", "WD"):
                members = squad(u, block, "M" if disc == "MD" else "F", 2)
            else:
                members = [squad(u, block, "M", 2)[0], squad(u, block, "F", 2)[0]]
            for a in members:
                used[a] = used.get(a, 0) + 1
            entries.append(frozenset(members))
        group_keys, pos = [], 0
        for g, size in enumerate(sizes):
            members = list(range(pos, pos + size))
            pos += size
            seq = f"{code}/{chr(65 + g)}"
            for r, pairs in enumerate(round_robin([str(i) for i in members]), start=1):
                for home, away in pairs:
                    key = f"{seq}/{r}/{home}-{away}"
                    group_keys.append(key)
                    matches.append(MatchSlot(key, sport, code, DURATION[sport],
                                             entries[int(home)] | entries[int(away)], (seq, r)))
        n_ko, r = n_groups, 1
        while n_ko > 1:
            for i in range(n_ko // 2):
                final = n_ko == 2
                matches.append(MatchSlot(
                    f"{code}/KO/{r}/{i}", sport, code, DURATION[sport], frozenset(), (f"{code}/KO", r),
                    not_before=last_afternoon if final else None,
                    depends_on=frozenset(group_keys) if r == 1 else frozenset()))
            n_ko //= 2
            r += 1
    sessions = [Session(FIRST_DAY + timedelta(days=d, hours=h1, minutes=m1),
                        FIRST_DAY + timedelta(days=d, hours=h2, minutes=m2))
                for d in range(DAYS) for h1, m1, h2, m2 in SESSIONS]
    return matches, sessions


def split_courts(matches: list[MatchSlot], n_courts: int = N_COURTS) -> list[Court]:
    """Courts per sport in proportion to the court time each sport needs (largest remainder)."""
    need: dict[str, int] = {}
    for m in matches:
        need[m.sport] = need.get(m.sport, 0) + m.duration
    total = sum(need.values())
    share = {s: n * n_courts / total for s, n in need.items()}
    count = {s: int(v) for s, v in share.items()}
    for s in sorted(share, key=lambda s: count[s] - share[s])[: n_courts - sum(count.values())]:
        count[s] += 1
    courts, number = [], 0
    for sport in sorted(count):
        for _ in range(count[sport]):
            number += 1
            courts.append(Court(f"c{number:02d}", sport, f"Sân {number}"))
    return courts


def greedy_baseline(matches: list[MatchSlot], courts: list[Court], sessions: list[Session]) -> dict:
    """Pack each sport's matches in (round, key) order onto the court free first; no other rule."""
    base = min(s.start for s in sessions)
    windows = sorted((int((s.start - base).total_seconds() // 60), int((s.end - base).total_seconds() // 60))
                     for s in sessions)
    by_sport: dict[str, list[str]] = {}
    for c in sorted(courts, key=lambda c: c.key):
        by_sport.setdefault(c.sport, []).append(c.key)
    free = {c.key: (0, windows[0][0]) for c in courts}  # (window index, next free minute)
    placed, unplaced = {}, []
    for m in sorted(matches, key=lambda m: (m.sequence[1] if m.sequence else 0, m.key)):
        best = None
        for c in by_sport.get(m.sport, ()):
            w, t = free[c]
            while w < len(windows) and max(t, windows[w][0]) + m.duration > windows[w][1]:
                w, t = w + 1, 0
            if w < len(windows):
                start = max(t, windows[w][0])
                if best is None or start < best[0]:
                    best = (start, c, w)
        if best is None:
            unplaced.append(m.key)
            continue
        start, c, w = best
        free[c] = (w, start + m.duration)
        placed[m.key] = (c, base + timedelta(minutes=start))
    return {"placed": placed, "unplaced": unplaced}


def clashes(placed: dict, matches: list[MatchSlot], rest: int) -> tuple[int, int]:
    """(athlete pairs too close or overlapping, matches started before an earlier round ended) in ``placed``."""
    by_key = {m.key: m for m in matches}
    span = {k: (start, start + timedelta(minutes=by_key[k].duration)) for k, (_, start) in placed.items()}
    gap = timedelta(minutes=rest)
    busy: dict[str, list[tuple[datetime, datetime]]] = {}
    for k, (s, e) in span.items():
        for a in by_key[k].athletes:
            busy.setdefault(a, []).append((s, e))
    athlete = 0
    for spans in busy.values():
        spans.sort()
        athlete += sum(1 for (_, e1), (s2, _) in zip(spans, spans[1:]) if s2 < e1 + gap)
    ends: dict[tuple[str, int], datetime] = {}
    for k, (s, e) in span.items():
        seq = by_key[k].sequence
        if seq is not None and (seq not in ends or e > ends[seq]):
            ends[seq] = e
    order = 0
    for k, (s, _) in span.items():
        m = by_key[k]
        late = [ends[q] for q in ends if m.sequence and q[0] == m.sequence[0] and q[1] < m.sequence[1]]
        late += [span[q][1] for q in m.depends_on if q in span]
        order += any(end > s for end in late)
    return athlete, order


def timed(fn, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return median(samples), result


def _makespan(placed: dict, durations: dict, first: datetime) -> str:
    end = max(start + timedelta(minutes=durations[k]) for k, (_, start) in placed.items())
    day = (end.date() - first.date()).days + 1
    return f"ngày {day} {end:%H:%M}"


def run(repeat: int = 3) -> list[dict]:
    matches, sessions = festival()
    courts = split_courts(matches)
    durations = {m.key: m.duration for m in matches}
    fit = fit_check(matches, courts, sessions)
    base_t, base = timed(lambda: greedy_baseline(matches, courts, sessions), repeat=max(5, repeat))
    t, result = timed(lambda: schedule(matches, courts, sessions, SETTINGS), repeat=repeat)
    athletes = {a for m in matches for a in m.athletes}
    move_t, reasons = timed(lambda: check_move(result.placed, matches, courts, sessions, SETTINGS, matches[0].key,
                                               *result.placed[matches[-1].key]), repeat=repeat)
    base_clashes = clashes(base["placed"], matches, SETTINGS.min_rest)
    own_clashes = clashes(result.placed, matches, SETTINGS.min_rest)
    per_sport = {s: sum(1 for c in courts if c.sport == s) for s in sorted({c.sport for c in courts})}
    return [{
        "figure": (f"Schedule {len(matches):,} matches of {len({m.event for m in matches})} events "
                   f"({len(athletes):,} of 5,000 athletes entered, up to 3 events each) on {len(courts)} courts, "
                   f"{DAYS} days × {len(SESSIONS)} sessions"),
        "time": t,
        "baseline": "greedy packing that ignores athletes, rest and round order",
        "baseline_time": base_t,
        "ratio": t / base_t,
        "matches": len(matches),
        "courts": per_sport,
        "placed": len(result.placed),
        "unplaced": len(result.unplaced),
        "makespan": _makespan(result.placed, durations, sessions[0].start),
        "baseline_placed": len(base["placed"]),
        "baseline_unplaced": len(base["unplaced"]),
        "baseline_makespan": _makespan(base["placed"], durations, sessions[0].start),
        "clashes": own_clashes,
        "baseline_clashes": base_clashes,
        "check_move_time": move_t,
        "fit": fit.messages,
        "unplaced_reasons": sorted(set(result.unplaced.values()))[:5],
    }]


def main() -> None:
    for row in run():
        print(row["figure"])
        print(f"  schedule(): {row['time']:.2f} s (median) — baseline ({row['baseline']}): "
              f"{row['baseline_time'] * 1e3:.1f} ms — ratio {row['ratio']:.1f}×")
        print(f"  courts {row['courts']}")
        for line in row["fit"]:
            print(f"  {line}")
        print(f"  placed {row['placed']:,}, unplaced {row['unplaced']:,}, last match ends {row['makespan']}")
        print(f"  baseline: placed {row['baseline_placed']:,}, unplaced {row['baseline_unplaced']:,}, "
              f"last match ends {row['baseline_makespan']}")
        print(f"  athlete clashes (overlap or rest under {SETTINGS.min_rest} min) / matches before their "
              f"previous round ended: schedule {row['clashes'][0]} / {row['clashes'][1]}, "
              f"baseline {row['baseline_clashes'][0]:,} / {row['baseline_clashes'][1]:,}")
        print(f"  check_move on the whole festival (build + one check): {row['check_move_time'] * 1e3:.0f} ms")
        for reason in row["unplaced_reasons"]:
            print(f"  unplaced because: {reason}")


if __name__ == "__main__":
    main()

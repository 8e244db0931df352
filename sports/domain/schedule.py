"""Court scheduling: on which court and at what time each match is played.

What this module knows, as plain data in and plain data out:

* :class:`Court` - a court of one sport; :class:`Session` - a block of play
  (several per day allowed) open to every court, or to the courts of one sport;
* :class:`MatchSlot` - a match as the scheduler sees it: its sport, length in
  minutes, the athletes who play it (empty while they are not known yet, e.g.
  a knockout match waiting for group winners), its place in a group or
  bracket (``sequence = (group or bracket key, round)``), the earliest time
  it may start, the matches that must have ended before it (``depends_on``)
  and, for a match placed by hand or already played, where it is (``fixed``);
* :func:`fit_check` - court time needed against court time available, per
  sport, in a Vietnamese sentence (a necessary condition only);
* :func:`schedule` - a deterministic schedule: every match is placed or comes
  back with a Vietnamese reason;
* :func:`check_move` / :class:`MoveChecker` - why a match cannot be moved by
  hand to a court and time (the same rules as :func:`schedule`).

The rules, each written once (:class:`_State` ``violations`` and the
predicates it uses; the search in :func:`schedule` only proposes positions
and every proposal is confirmed by ``violations`` before it is kept):

1. a match is played on a court of its sport, inside one session (never
   across the end of a session);
2. a court plays one match at a time;
3. an athlete plays one match at a time, with at least
   ``ScheduleSettings.min_rest`` minutes between the end of one of their
   matches and the start of the next (singles, doubles and mixed alike);
4. a match of round ``r`` of a group or bracket starts only after every
   match of the earlier rounds of that group or bracket has ended, and a match
   starts only after every match of its ``depends_on`` has ended - in both
   cases ``ScheduleSettings.round_gap`` minutes later at the earliest;
5. a match never starts before its ``not_before``;
6. fixed matches stay where they are; the others respect them.

Times are ``datetime`` at the API (all naive local times, or all aware, as
the caller keeps them) and whole minutes inside: every datetime is turned
into minutes after the earliest time given (session starts and
``not_before`` are rounded up to the minute, session ends down; other
times are cut to the minute). Durations and settings are integer minutes.

What this module does not know: which athletes will win a group (so rest
before a knockout match whose players are not known yet cannot be checked),
referees, travel between halls, spectators, persistence, or who may move a
match. Input order and hash seeds do not matter: everything is sorted by key
first, so the same input always gives the same schedule.

The search is a list-scheduling heuristic (a serial schedule-generation
scheme): matches that a fixed match waits for are taken first, earliest
latest-start first; then the others, longest remaining chain first (the
time from the match's start to the end of the last match that waits for it,
through rounds and ``depends_on``), then by key. Each is put at the earliest
start that keeps every rule, on the court that leaves the smallest idle hole
before it; later matches back-fill earlier holes. It is not optimal (it does
not spread an athlete's matches beyond ``min_rest``, nor try another order
when a match does not fit); it never breaks a rule, it leaves out no match
that has a valid place once the others are placed, and it says why a match
did not fit.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Mapping, NamedTuple

from .disciplines import SPORTS
from .types import RuleError

__all__ = [
    "Court",
    "Session",
    "MatchSlot",
    "ScheduleSettings",
    "Placement",
    "Schedule",
    "SportFit",
    "FitReport",
    "fit_check",
    "schedule",
    "check_move",
    "MoveChecker",
]

_MINUTE = timedelta(minutes=1)


# --------------------------------------------------------------------------
# Plain data
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Court:
    """A court (sân) of one sport; ``name`` is what people read ("Sân 2")."""

    key: str
    sport: str
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.key


@dataclass(frozen=True)
class Session:
    """A block of play (buổi thi đấu), e.g. 07:30-11:30 on 10/05.

    ``sport=None`` opens it to every court; otherwise only to the courts of
    that sport. Sessions that apply to the same court must not overlap.
    """

    start: datetime
    end: datetime
    sport: str | None = None


@dataclass(frozen=True)
class MatchSlot:
    """A match as the scheduler sees it.

    ``duration`` - minutes the court is taken (play and changeover).
    ``athletes`` - keys of everyone who plays it (both sides, every team
    member); empty while the players are not known.
    ``sequence`` - ``(group or bracket key, round)``: round ``r`` waits for
    every match of rounds ``< r`` with the same key.
    ``depends_on`` - keys of matches that must have ended before it starts
    (e.g. the two semi-finals before the final, the group matches before the
    quarter-finals).
    ``fixed`` - ``(court key, start)`` of a match placed by hand or already
    played; the scheduler keeps it there.
    """

    key: str
    sport: str
    event: str
    duration: int
    athletes: frozenset[str] = frozenset()
    sequence: tuple[str, int] | None = None
    not_before: datetime | None = None
    depends_on: frozenset[str] = frozenset()
    fixed: tuple[str, datetime] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "athletes", frozenset(self.athletes))
        object.__setattr__(self, "depends_on", frozenset(self.depends_on))


@dataclass(frozen=True)
class ScheduleSettings:
    """``min_rest``: minutes an athlete rests between two of their matches.
    ``round_gap``: minutes between the end of a match and the start of a match
    that waits for it (next round of its group or bracket, or ``depends_on``).
    """

    min_rest: int = 15
    round_gap: int = 0


class Placement(NamedTuple):
    court: str
    start: datetime


@dataclass(frozen=True)
class Schedule:
    """The result of :func:`schedule`.

    ``placed`` - every match that has a court and a start, fixed ones
    included, in order of start time; ``unplaced`` - every other match with
    the Vietnamese reason; ``warnings`` - rules that fixed matches break among
    themselves (the scheduler keeps fixed matches as they are and says so).
    """

    placed: dict[str, Placement]
    unplaced: dict[str, str]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SportFit:
    """Court time of one sport, in minutes."""

    sport: str
    matches: int
    needed: int
    courts: int
    available: int
    longest_match: int
    longest_session: int

    @property
    def ok(self) -> bool:
        return self.courts > 0 and self.needed <= self.available and self.longest_match <= self.longest_session

    @property
    def message(self) -> str:
        name = _sport_title(self.sport)
        if self.courts == 0:
            return (f"{name}: có {self.matches} trận, cần {_duration(self.needed)} sân, nhưng chưa có sân "
                    f"{_sport_lower(self.sport)} nào — thêm sân {_sport_lower(self.sport)}.")
        if self.needed > self.available:
            return (f"{name}: cần {_duration(self.needed)} sân, hiện có {_duration(self.available)} — "
                    "thêm sân hoặc buổi thi đấu.")
        if self.longest_match > self.longest_session:
            return (f"{name}: trận dài nhất {self.longest_match} phút nhưng buổi thi đấu dài nhất chỉ "
                    f"{self.longest_session} phút — kéo dài buổi thi đấu.")
        return f"{name}: cần {_duration(self.needed)} sân, hiện có {_duration(self.available)}: đủ."


@dataclass(frozen=True)
class FitReport:
    sports: tuple[SportFit, ...]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sports)

    @property
    def messages(self) -> list[str]:
        return [s.message for s in self.sports]


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

def _sport_title(sport: str) -> str:
    return SPORTS.get(sport, sport)


def _sport_lower(sport: str) -> str:
    name = SPORTS.get(sport)
    return name.lower() if name else sport


def _duration(minutes: int) -> str:
    """'14 giờ', '9 giờ 30 phút', '45 phút'."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} giờ {rest} phút"
    if hours or not rest:
        return f"{hours} giờ"
    return f"{rest} phút"


# --------------------------------------------------------------------------
# The rules, each written once
# --------------------------------------------------------------------------

def _overlap(s1: int, e1: int, s2: int, e2: int) -> bool:
    """Two matches on one court clash when their times overlap."""
    return s1 < e2 and s2 < e1


def _clash(s1: int, e1: int, s2: int, e2: int, rest: int) -> bool:
    """Two matches of one athlete clash when they overlap or are less than ``rest`` apart."""
    return s1 < e2 + rest and s2 < e1 + rest


def _inside(window: tuple[int, int], s: int, e: int) -> bool:
    """A match lies inside a session."""
    return window[0] <= s and e <= window[1]


def _in_order(before_end: int, gap: int, after_start: int) -> bool:
    """A match that waits for another starts ``gap`` minutes after its end at the earliest."""
    return before_end + gap <= after_start


# --------------------------------------------------------------------------
# The problem, in minutes
# --------------------------------------------------------------------------

class _Problem:
    """The input checked, sorted by key and turned into minutes."""

    def __init__(self, matches: Iterable[MatchSlot], courts: Iterable[Court], sessions: Iterable[Session],
                 settings: ScheduleSettings, names: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None):
        self.settings = settings
        self.names = names or {}
        self.labels = labels or {}
        if settings.min_rest < 0 or settings.round_gap < 0:
            raise RuleError("Thời gian nghỉ giữa hai trận và giữa hai vòng không được âm.")
        self.matches = _unique(matches, "trận")
        self.courts = _unique(courts, "sân")
        self.courts_of: dict[str, list[str]] = {}
        for court in self.courts.values():
            self.courts_of.setdefault(court.sport, []).append(court.key)
        sess = sorted(sessions, key=lambda s: (s.start, s.end, s.sport or ""))
        for s in sess:
            if s.end <= s.start:
                raise RuleError(f"Buổi thi đấu bắt đầu {_at_dt(s.start)} phải kết thúc sau khi bắt đầu.")

        stamps = [s.start for s in sess]
        for m in self.matches.values():
            if m.not_before is not None:
                stamps.append(m.not_before)
            if m.fixed is not None:
                stamps.append(m.fixed[1])
        self.base = min(stamps).replace(second=0, microsecond=0) if stamps else datetime(2000, 1, 1)

        self.windows: dict[str, list[tuple[int, int]]] = {}
        for court in self.courts.values():
            ws = sorted((self.minute(s.start, up=True), self.minute(s.end))
                        for s in sess if s.sport is None or s.sport == court.sport)
            ws = [w for w in ws if w[1] > w[0]]
            for a, b in zip(ws, ws[1:]):
                if b[0] < a[1]:
                    raise RuleError(f"Các buổi thi đấu {self.span(*a)} và {self.span(*b)} chồng lên nhau "
                                    f"ở {court.label}.")
            self.windows[court.key] = ws

        self.dur: dict[str, int] = {}
        self.athletes: dict[str, tuple[str, ...]] = {}
        self.not_before: dict[str, int] = {}
        self.fixed: dict[str, tuple[str, int]] = {}
        for k, m in self.matches.items():
            if not isinstance(m.duration, int) or m.duration <= 0:
                raise RuleError(f"Trận {self.label(k)}: thời lượng phải là một số phút dương, "
                                f"không phải {m.duration!r}.")
            self.dur[k] = m.duration
            self.athletes[k] = tuple(sorted(m.athletes))
            if m.not_before is not None:
                self.not_before[k] = self.minute(m.not_before, up=True)
            if m.fixed is not None:
                court_key, start = m.fixed
                if court_key not in self.courts:
                    raise RuleError(f"Trận {self.label(k)} đã xếp trên sân {court_key}, "
                                    "nhưng sân này không có trong danh sách sân.")
                self.fixed[k] = (court_key, self.minute(start))

        # Order: (predecessor or successor key) -> (gap, kind), kind "round" or "after".
        gap = settings.round_gap
        self.preds: dict[str, dict[str, tuple[int, str]]] = {k: {} for k in self.matches}
        self.succs: dict[str, dict[str, tuple[int, str]]] = {k: {} for k in self.matches}
        rounds: dict[str, dict[int, list[str]]] = {}
        for k, m in self.matches.items():
            if m.sequence is not None:
                rounds.setdefault(m.sequence[0], {}).setdefault(m.sequence[1], []).append(k)
        for seq in sorted(rounds):
            by_round = rounds[seq]
            earlier: list[str] = []
            for r in sorted(by_round):
                # Every earlier round, not only the one before: a fixed match
                # may have been played out of order.
                for k in by_round[r]:
                    for q in earlier:
                        self.preds[k][q] = (gap, "round")
                        self.succs[q][k] = (gap, "round")
                earlier += by_round[r]
        for k, m in self.matches.items():
            for q in sorted(m.depends_on):
                if q not in self.matches:
                    raise RuleError(f"Trận {self.label(k)} phải sau trận {self.label(q)}, "
                                    f"nhưng không có trận {self.label(q)} trong danh sách.")
                self.preds[k].setdefault(q, (gap, "after"))
                self.succs[q].setdefault(k, (gap, "after"))
        self.topo = self._topological()

    def _topological(self) -> list[str]:
        indeg = {k: len(p) for k, p in self.preds.items()}
        heap = [k for k, n in indeg.items() if n == 0]
        heapq.heapify(heap)
        out: list[str] = []
        while heap:
            k = heapq.heappop(heap)
            out.append(k)
            for s in self.succs[k]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    heapq.heappush(heap, s)
        if len(out) < len(self.matches):
            stuck = sorted(k for k, n in indeg.items() if n > 0)
            shown = ", ".join(self.label(k) for k in stuck[:6]) + (", …" if len(stuck) > 6 else "")
            raise RuleError(f"Thứ tự trận bị vòng lặp: các trận {shown} chờ nhau nên không trận nào "
                            "đi trước được.")
        return out

    # --- time and words ---------------------------------------------------

    def minute(self, dt: datetime, up: bool = False) -> int:
        delta = dt - self.base
        return -((-delta) // _MINUTE) if up else delta // _MINUTE

    def time(self, minute: int) -> datetime:
        return self.base + minute * _MINUTE

    def at(self, minute: int) -> str:
        return _at_dt(self.time(minute))

    def span(self, s: int, e: int) -> str:
        a, b = self.time(s), self.time(e)
        return f"{a:%H:%M}–{b:%H:%M} ngày {a:%d/%m}"

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def name(self, athlete: str) -> str:
        return self.names.get(athlete, athlete)

    def court_label(self, key: str) -> str:
        court = self.courts.get(key)
        return court.label if court is not None else key

    def round_text(self, key: str) -> str:
        seq = self.matches[key].sequence
        return f" (vòng {seq[1]})" if seq is not None else ""


def _at_dt(dt: datetime) -> str:
    return f"{dt:%H:%M} ngày {dt:%d/%m}"


def _unique(items, what: str) -> dict:
    out: dict = {}
    for item in sorted(items, key=lambda x: x.key):
        if item.key in out:
            raise RuleError(f"Mã {what} {item.key} bị trùng.")
        out[item.key] = item
    return out


# --------------------------------------------------------------------------
# Positions and the rules checked against them
# --------------------------------------------------------------------------

class _State:
    """Where matches are, indexed by court and by athlete."""

    def __init__(self, problem: _Problem):
        self.p = problem
        self.pos: dict[str, tuple[str, int, int]] = {}
        self.on_court: dict[str, list[tuple[int, int, str]]] = {}
        self.longest: dict[str, int] = {}
        self.busy: dict[str, list[tuple[int, int, str]]] = {}

    def add(self, key: str, court: str, s: int) -> None:
        e = s + self.p.dur[key]
        item = (s, e, key)
        self.pos[key] = (court, s, e)
        insort(self.on_court.setdefault(court, []), item)
        if e - s > self.longest.get(court, 0):
            self.longest[court] = e - s
        for a in self.p.athletes[key]:
            insort(self.busy.setdefault(a, []), item)

    def remove(self, key: str) -> tuple[str, int, int]:
        court, s, e = self.pos.pop(key)
        self.on_court[court].remove((s, e, key))
        for a in self.p.athletes[key]:
            self.busy[a].remove((s, e, key))
        return court, s, e

    def court_clashes(self, court: str, s: int, e: int) -> list[tuple[int, int, str]]:
        items = self.on_court.get(court, [])
        j = bisect_left(items, (e,))
        floor = s - self.longest.get(court, 0)
        out = []
        while j > 0:
            j -= 1
            item = items[j]
            if item[0] <= floor:  # it, and every earlier one, ends by s
                break
            if _overlap(item[0], item[1], s, e):
                out.append(item)
        out.reverse()
        return out

    def athlete_clashes(self, athlete: str, s: int, e: int) -> list[tuple[int, int, str]]:
        rest = self.p.settings.min_rest
        return [item for item in self.busy.get(athlete, ()) if _clash(item[0], item[1], s, e, rest)]

    def athletes_free_from(self, athletes: tuple[str, ...], s: int, e: int) -> int | None:
        """None when no athlete clashes at [s, e); else the earliest later start worth trying."""
        rest = self.p.settings.min_rest
        limit = e + rest
        later = None
        for a in athletes:
            for bs, be, _ in self.busy.get(a, ()):
                if bs >= limit:
                    break
                if _clash(bs, be, s, e, rest) and (later is None or be + rest > later):
                    later = be + rest
        return later

    def violations(self, key: str, court_key: str, s: int) -> list[str]:
        """Every rule that ``key`` at ``court_key``, minute ``s``, breaks against the others here."""
        p = self.p
        m = p.matches[key]
        e = s + p.dur[key]
        label = p.label(key)
        out: list[str] = []
        court = p.courts.get(court_key)
        if court is None:
            out.append(f"Không có sân {court_key} trong danh sách sân.")
        elif court.sport != m.sport:
            out.append(f"{court.label} là sân {_sport_lower(court.sport)}, không xếp được trận "
                       f"{_sport_lower(m.sport)} {label}.")
        elif not any(_inside(w, s, e) for w in p.windows[court_key]):
            out.append(f"Giờ {p.span(s, e)} không nằm trọn trong một buổi thi đấu của {court.label}.")
        nb = p.not_before.get(key)
        if nb is not None and s < nb:
            out.append(f"Trận {label} không được bắt đầu trước {p.at(nb)}.")
        if court is not None:
            for bs, be, k in self.court_clashes(court_key, s, e):
                out.append(f"{court.label} đang có trận {p.label(k)} lúc {p.span(bs, be)}.")
        rest = p.settings.min_rest
        for a in p.athletes[key]:
            for bs, be, k in self.athlete_clashes(a, s, e):
                where = p.court_label(self.pos[k][0])
                if _overlap(bs, be, s, e):
                    out.append(f"{p.name(a)} đang thi đấu trận {p.label(k)} trên {where} lúc {p.span(bs, be)}.")
                else:
                    apart = s - be if s >= be else bs - e
                    out.append(f"{p.name(a)} cần nghỉ ít nhất {rest} phút giữa hai trận, nhưng trận "
                               f"{p.label(k)} trên {where} lúc {p.span(bs, be)} chỉ cách {apart} phút.")
        for q, (gap, kind) in p.preds[key].items():
            extra = f", cách ít nhất {gap} phút" if gap else ""
            rounds = (p.round_text(key), p.round_text(q)) if kind == "round" else ("", "")
            if q not in self.pos:
                out.append(f"Trận {label} phải sau trận {p.label(q)} mà trận đó chưa xếp được.")
            elif not _in_order(self.pos[q][2], gap, s):
                out.append(f"Trận {label}{rounds[0]} phải bắt đầu sau khi trận {p.label(q)}{rounds[1]} "
                           f"kết thúc lúc {p.at(self.pos[q][2])}{extra}.")
        for q, (gap, kind) in p.succs[key].items():
            extra = f", cách ít nhất {gap} phút" if gap else ""
            rounds = (p.round_text(key), p.round_text(q)) if kind == "round" else ("", "")
            if q in self.pos and not _in_order(e, gap, self.pos[q][1]):
                out.append(f"Trận {label}{rounds[0]} phải kết thúc trước khi trận {p.label(q)}{rounds[1]} "
                           f"bắt đầu lúc {p.at(self.pos[q][1])}{extra}.")
        return out


# --------------------------------------------------------------------------
# Free court time (the search's index; the rules above have the last word)
# --------------------------------------------------------------------------

class _Gaps:
    """Per court, the free time inside sessions: sorted, disjoint (start, end) lists.

    Holes shorter than the shortest match still to place on that court's sport
    are dropped: nothing could use them.
    """

    def __init__(self, problem: _Problem, state: _State, shortest: Mapping[str, int]):
        self.starts: dict[str, list[int]] = {}
        self.ends: dict[str, list[int]] = {}
        self.shortest: dict[str, int] = {}
        for c, court in problem.courts.items():
            least = shortest.get(court.sport, 1)
            taken = state.on_court.get(c, [])
            pieces = []
            for ws, we in problem.windows[c]:
                cur = ws
                for bs, be, _ in taken:
                    if be <= cur or bs >= we:
                        continue
                    if bs > cur:
                        pieces.append((cur, bs))
                    cur = max(cur, be)
                    if cur >= we:
                        break
                if cur < we:
                    pieces.append((cur, we))
            pieces = [x for x in pieces if x[1] - x[0] >= least]
            self.starts[c] = [x[0] for x in pieces]
            self.ends[c] = [x[1] for x in pieces]
            self.shortest[c] = least

    def earliest(self, courts: list[str], t: int, d: int) -> tuple[int, str] | None:
        """The earliest start >= t of a free stretch of d minutes on one of ``courts``.

        Ties go to the court whose free stretch starts closest before it
        (the smallest idle hole), then to the first court by key.
        """
        best = None
        best_court = None
        for idx, c in enumerate(courts):
            gs, ge = self.starts[c], self.ends[c]
            i = bisect_left(ge, t + d)
            n = len(gs)
            while i < n:
                g = gs[i]
                if best is not None and g > best[0]:
                    break
                s = g if g > t else t
                if s + d <= ge[i]:
                    cand = (s, s - g, idx)
                    if best is None or cand < best:
                        best, best_court = cand, c
                    break
                i += 1
        return None if best is None else (best[0], best_court)

    def take(self, c: str, s: int, d: int) -> None:
        gs, ge = self.starts[c], self.ends[c]
        i = bisect_right(gs, s) - 1
        g, h = gs[i], ge[i]
        assert g <= s and s + d <= h, "the search proposed a start outside free court time"
        keep = [x for x in ((g, s), (s + d, h)) if x[1] - x[0] >= self.shortest[c]]
        gs[i:i + 1] = [x[0] for x in keep]
        ge[i:i + 1] = [x[1] for x in keep]


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------

def fit_check(matches: Iterable[MatchSlot], courts: Iterable[Court], sessions: Iterable[Session]) -> FitReport:
    """Court time each sport needs against the court time its courts have in the sessions.

    A necessary condition only: a sport that fits here can still leave
    matches unplaced (athletes' rest, rounds that wait for each other,
    ``not_before``, holes shorter than a match). Only sports with matches are
    reported, in the order volleyball, table tennis, badminton, then others.
    """
    p = _Problem(matches, courts, sessions, ScheduleSettings())
    by_sport: dict[str, list[int]] = {}
    for k, m in p.matches.items():
        by_sport.setdefault(m.sport, []).append(p.dur[k])
    known = list(SPORTS)
    out = []
    for sport in sorted(by_sport, key=lambda s: (known.index(s) if s in known else len(known), s)):
        durations = by_sport[sport]
        courts_here = p.courts_of.get(sport, [])
        windows = [w for c in courts_here for w in p.windows[c]]
        out.append(SportFit(
            sport=sport, matches=len(durations), needed=sum(durations), courts=len(courts_here),
            available=sum(e - s for s, e in windows), longest_match=max(durations),
            longest_session=max((e - s for s, e in windows), default=0)))
    return FitReport(tuple(out))


def schedule(matches: Iterable[MatchSlot], courts: Iterable[Court], sessions: Iterable[Session],
             settings: ScheduleSettings = ScheduleSettings(), *, names: Mapping[str, str] | None = None,
             labels: Mapping[str, str] | None = None) -> Schedule:
    """Place every match that can be placed; give the reason for every other one.

    ``names`` (athlete key -> display name) and ``labels`` (match key ->
    label) only change the wording of reasons. Raises :class:`RuleError` on
    input no schedule can come from: duplicate keys, a non-positive duration,
    an unknown ``depends_on`` or fixed court, matches waiting for each other
    in a loop, overlapping sessions of one court, negative settings.
    """
    p = _Problem(matches, courts, sessions, settings, names, labels)
    state = _State(p)
    for k, (court, s) in p.fixed.items():
        state.add(k, court, s)

    free_keys = [k for k in p.topo if k not in p.fixed]
    shortest: dict[str, int] = {}
    for k in free_keys:
        sport = p.matches[k].sport
        shortest[sport] = min(shortest.get(sport, p.dur[k]), p.dur[k])
    gaps = _Gaps(p, state, shortest)

    # Longest chain still ahead of a match (its tail), and the latest end that
    # still lets the fixed matches that wait for it, through the matches
    # between, keep their place (``due``: only for the order of placing), or
    # directly (``deadline``: a rule, the order rule seen from the other side).
    tail: dict[str, int] = {}
    due: dict[str, tuple[int, str]] = {}
    deadline: dict[str, tuple[int, str]] = {}
    for k in reversed(p.topo):
        tail[k] = p.dur[k] + max((g + tail[q] for q, (g, _) in p.succs[k].items()), default=0)
        if k in p.fixed:
            continue
        for q, (g, _) in p.succs[k].items():
            if q in p.fixed:
                cand = (p.fixed[q][1] - g, q)
                if k not in deadline or cand < deadline[k]:
                    deadline[k] = cand
            elif q in due:
                cand = (due[q][0] - p.dur[q] - g, due[q][1])
            else:
                continue
            if k not in due or cand < due[k]:
                due[k] = cand

    # Matches that a fixed match waits for come first, latest start first due
    # (their predecessors have earlier latest starts); then the longest tail.
    # Predecessors always sort before (durations are positive, and a match
    # with a deadline passes one on to everything it waits for), so every
    # match is placed after the matches it waits for.
    order = sorted(free_keys, key=lambda k: (0, due[k][0] - p.dur[k], -tail[k], k) if k in due
                   else (1, 0, -tail[k], k))
    longest_window = {sport: max((e - s for c in cs for s, e in p.windows[c]), default=0)
                      for sport, cs in p.courts_of.items()}
    unplaced: dict[str, str] = {}
    for k in order:
        reason = _place(p, state, gaps, k, deadline.get(k), longest_window)
        if reason is not None:
            unplaced[k] = reason

    warnings = []
    for k in p.fixed:
        court, s, _ = state.remove(k)
        warnings += [f"Trận {p.label(k)} đã xếp cố định: {v}" for v in state.violations(k, court, s)]
        state.add(k, court, s)

    court_rank = {c: i for i, c in enumerate(p.courts)}
    placed = {k: Placement(court, p.time(s))
              for k, (court, s, _) in sorted(state.pos.items(),
                                              key=lambda kv: (kv[1][1], court_rank.get(kv[1][0], -1), kv[0]))}
    return Schedule(placed, dict(sorted(unplaced.items())), tuple(warnings))


def _place(p: _Problem, state: _State, gaps: _Gaps, k: str, deadline: tuple[int, str] | None,
           longest_window: Mapping[str, int]) -> str | None:
    """Put match ``k`` at its earliest feasible start; the reason if there is none."""
    m = p.matches[k]
    d = p.dur[k]
    courts = p.courts_of.get(m.sport, [])
    sport = _sport_lower(m.sport)
    if not courts:
        return f"Không có sân {sport} nào."
    if longest_window.get(m.sport, 0) == 0:
        return f"Chưa có buổi thi đấu nào cho sân {sport}."
    if d > longest_window[m.sport]:
        return f"Trận dài {d} phút, dài hơn mọi buổi thi đấu của sân {sport}."
    release = p.not_before.get(k, min(w[0] for c in courts for w in p.windows[c][:1]))
    for q, (gap, _) in p.preds[k].items():
        if q not in state.pos:
            return f"Phải sau trận {p.label(q)} mà trận đó chưa xếp được."
        release = max(release, state.pos[q][2] + gap)

    athletes = p.athletes[k]
    t = release
    while True:
        while True:  # first a start at which every athlete is free and rested
            later = state.athletes_free_from(athletes, t, t + d)
            if later is None:
                break
            t = later
        found = gaps.earliest(courts, t, d)
        if found is None:
            break
        s, court = found
        if deadline is not None and s + d > deadline[0]:
            break
        later = state.athletes_free_from(athletes, s, s + d)
        if later is None:
            problems = state.violations(k, court, s)
            if problems:  # the search and the rules disagree: a bug, never a schedule that breaks a rule
                raise AssertionError(f"scheduler proposed {k} on {court} at {s}: {problems}")
            state.add(k, court, s)
            gaps.take(court, s, d)
            return None
        t = later

    if deadline is not None:
        return (f"Phải xong trước {p.at(deadline[0])} để kịp trận {p.label(deadline[1])} đã xếp cố định, "
                "nhưng không còn chỗ trước giờ đó.")
    when = f" từ {p.at(release)} trở đi" if release > min(p.windows[c][0][0] for c in courts if p.windows[c]) else ""
    if gaps.earliest(courts, release, d) is None:
        return f"Không còn giờ sân {sport} trống đủ {d} phút trong các buổi thi đấu{when}."
    rest = f" và đã nghỉ đủ {p.settings.min_rest} phút" if p.settings.min_rest else ""
    return f"Không còn giờ sân {sport} nào{when} mà mọi VĐV của trận đều rảnh{rest}."


class MoveChecker:
    """Checks hand moves against a schedule; build once, ask for many moves.

    ``placed`` maps match keys to ``(court key, start)`` (e.g.
    :attr:`Schedule.placed`); fixed matches missing from it count at their
    fixed place. The match being moved is taken out before its new place is
    checked, so asking about a match's own place says whether it is valid.
    """

    def __init__(self, placed: Mapping[str, tuple[str, datetime]], matches: Iterable[MatchSlot],
                 courts: Iterable[Court], sessions: Iterable[Session],
                 settings: ScheduleSettings = ScheduleSettings(), *, names: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None):
        self._p = p = _Problem(matches, courts, sessions, settings, names, labels)
        self._state = _State(p)
        positions = {k: (court, s) for k, (court, s) in p.fixed.items()}
        for k in sorted(placed):
            if k not in p.matches:
                raise RuleError(f"Không có trận {p.label(k)} trong danh sách trận.")
            court, start = placed[k]
            positions[k] = (court, p.minute(start))
        for k in sorted(positions):
            self._state.add(k, *positions[k])

    def check(self, match_key: str, court_key: str, start: datetime) -> list[str]:
        """The reasons why ``match_key`` cannot be played on ``court_key`` at ``start``; [] = allowed."""
        p, state = self._p, self._state
        if match_key not in p.matches:
            raise RuleError(f"Không có trận {p.label(match_key)} trong danh sách trận.")
        own = state.remove(match_key) if match_key in state.pos else None
        try:
            return state.violations(match_key, court_key, p.minute(start))
        finally:
            if own is not None:
                state.add(match_key, own[0], own[1])


def check_move(placed: Mapping[str, tuple[str, datetime]], matches: Iterable[MatchSlot], courts: Iterable[Court],
               sessions: Iterable[Session], settings: ScheduleSettings, match_key: str, court_key: str,
               start: datetime, *, names: Mapping[str, str] | None = None,
               labels: Mapping[str, str] | None = None) -> list[str]:
    """Why ``match_key`` cannot be moved to ``court_key`` at ``start`` (Vietnamese); [] = allowed.

    The same rules as :func:`schedule`, against every other match in
    ``placed`` (see :class:`MoveChecker` to check many moves).
    """
    checker = MoveChecker(placed, matches, courts, sessions, settings, names=names, labels=labels)
    return checker.check(match_key, court_key, start)

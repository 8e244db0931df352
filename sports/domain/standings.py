"""Round-robin group ranking (RULES.md §2) for the FIVB, ITTF and BWF presets.

Given a group's entries and its recorded results, :func:`rank_group` returns one
:class:`StandingRow` per entry, in final order, with the totals the ranking used.
The three federations' procedures live in :data:`PRESETS`, a registry keyed by
preset name; each preset is a small object holding its options, its match points,
how walkovers enter the set/point tallies, how withdrawn entries are treated and
its ordering procedure.

- **FIVB** (pool criteria): wins, match points (or the reverse with
  ``order: points_first``), set ratio, point ratio over all pool matches; two
  teams still tied → their match; three or more → criteria 1–4 again using only
  the matches among them, recursively while that separates some of them.
- **ITTF** (Handbook 3.7.5.1–3.7.5.4): match points over all matches; entries
  equal on them are compared on match points, then game ratio, then point ratio
  in the matches among them only; as soon as some are separated, the procedure
  restarts for each still-equal sub-group (3.7.5.3). What stays unresolved goes
  to lots (3.7.5.4), or with ``unresolved: all_matches`` (NTTB variant) first to
  game ratio, then point ratio over all group matches, restarting the
  head-to-head procedure for every sub-group this leaves equal.
- **BWF** (GCR 16.2): wins; two equal → their match; three or more → game
  difference in all group matches (two left → their match), then point
  difference (two left → their match; three or more → lots).

Conventions this module fixes (tested in tests/domain/test_standings.py):

- Ratios are exact (:class:`Ratio`): x/0 with x > 0 is infinite, bigger than any
  finite ratio and equal to every other x/0; 0/0 ("nothing counted") is equal to
  every other 0/0 and ranks below every other ratio, including 0/x.
- A set counts for the side with more points in it. The last set of a
  ``retired`` or ``disqualified`` match counts its points but no set when it was
  not finished: checked against RULES.md §1 when the group's format is given,
  assumed when it is not. Not under FIVB, whose results arrive normalised
  (FIVB 6.4.3: the opponent is given what it needs to win).
- A walkover that carries no sets counts, where walkovers count at all (always
  under FIVB, with ``walkover_in_ratios: true`` under ITTF), as the winner taking
  ``sets_to_win`` sets at target-0 of the match format (FIVB 6.4.1: 0-3 and
  0-25 per set), exactly as the scoring rules normalise it. Under FIVB a
  disqualification that carries no sets is the same forfeit. BWF gives
  walkovers no score; only sets they carry count.
- A double walkover counts as played and lost by both sides, with 0 match points
  and no sets under every preset.
- Match points: FIVB per the preset (3-0/3-1 → 3/0, 3-2 → 2/1; best-of-3 matches
  "3-2-1-0" or "2-1-0"; walkover or disqualification → 0 to the forfeiting side,
  a clear win to the other); ITTF 2 for a win, 1 for a loss in a played match, 0
  for a loss by walkover, retirement or disqualification; BWF: the number of wins
  (BWF ranks on wins only).
- The totals shown in a row are the ones the ranking used: under ITTF with
  ``walkover_in_ratios: false`` a walkover adds no sets or points.
- A head-to-head step between two entries compares their wins in the matches
  between them; when their match is missing (not played yet) or was a double
  walkover it separates nothing, and the pair stays tied.
- Withdrawn entries: under BWF all their results are deleted before ranking;
  under FIVB/ITTF every match of theirs without a result counts as lost by
  walkover for them (a double walkover between two withdrawn entries). They are
  ranked among themselves by the same rules and listed after all others.
- Entries that no criterion separates share the best of their positions as rank
  (1, 2, 2, 4), are marked ``tied`` and are listed in the order of ``entries``.
  Only a recorded lot result (``lots``) orders them; nothing else does.

What this module does not know: how scores were validated or normalised (see the
scoring rules), which matches a group should contain (an absent match is simply
not played yet), entry names, units, or anything about storage. Team table
tennis events are ranked on the sets of the team match as recorded; the ITTF
step "ratio of individual matches" has no separate data here.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import total_ordering
from itertools import combinations
from typing import Any

from .types import MatchFormat, MatchResult, Outcome, RuleError

__all__ = [
    "DEFAULT_PRESET",
    "PRESETS",
    "RankingPreset",
    "Ratio",
    "StandingRow",
    "Tally",
    "preset_options",
    "rank_group",
]

# An ordered partition of entries: best group first; a group of two or more
# entries is still tied.
Order = list[list[str]]


@dataclass(frozen=True)
class StandingRow:
    entry: str
    rank: int
    played: int
    won: int
    lost: int
    match_points: int
    sets_won: int
    sets_lost: int
    points_won: int
    points_lost: int
    tied: bool  # True when only lots can separate this entry from others with the same rank
    withdrawn: bool = False


@total_ordering
@dataclass(frozen=True, eq=False)
class Ratio:
    """An exact won/lost ratio with x/0 = infinity and 0/0 = lowest (see module doc)."""

    won: int
    lost: int

    def _key(self) -> tuple[int, Fraction]:
        if self.lost == 0:
            return (2, Fraction(0)) if self.won > 0 else (0, Fraction(0))
        return (1, Fraction(self.won, self.lost))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ratio):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other: Ratio) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True)
class Tally:
    """What some matches gave one entry."""

    played: int = 0
    won: int = 0
    lost: int = 0
    match_points: int = 0
    sets_won: int = 0
    sets_lost: int = 0
    points_won: int = 0
    points_lost: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.played + other.played,
            self.won + other.won,
            self.lost + other.lost,
            self.match_points + other.match_points,
            self.sets_won + other.sets_won,
            self.sets_lost + other.sets_lost,
            self.points_won + other.points_won,
            self.points_lost + other.points_lost,
        )

    @property
    def set_ratio(self) -> Ratio:
        return Ratio(self.sets_won, self.sets_lost)

    @property
    def point_ratio(self) -> Ratio:
        return Ratio(self.points_won, self.points_lost)

    @property
    def set_difference(self) -> int:
        return self.sets_won - self.sets_lost

    @property
    def point_difference(self) -> int:
        return self.points_won - self.points_lost


@dataclass(frozen=True)
class ScoredMatch:
    """One result as a preset counts it: a tally for each side."""

    home: str
    away: str
    home_tally: Tally
    away_tally: Tally


@dataclass(frozen=True)
class GroupData:
    """The scored matches of one group, with the tallies the procedures ask for."""

    matches: tuple[ScoredMatch, ...]
    options: Mapping[str, Any]

    def tallies(self, entries: Collection[str], among: bool = False) -> dict[str, Tally]:
        """Totals of ``entries`` over all matches, or only those among them."""
        members = set(entries)
        out = {e: Tally() for e in entries}
        for m in self.matches:
            if among and not (m.home in members and m.away in members):
                continue
            if m.home in members:
                out[m.home] += m.home_tally
            if m.away in members:
                out[m.away] += m.away_tally
        return out

    def head_to_head(self, pair: list[str]) -> Order:
        """Two entries: the one with more wins between them first, else tied."""
        a, b = pair
        t = self.tallies(pair, among=True)
        if t[a].won == t[b].won:
            return [list(pair)]
        return [[a], [b]] if t[a].won > t[b].won else [[b], [a]]


# ---------------------------------------------------------------- helpers


def _split(group: list[str], key: Callable[[str], Any]) -> Order:
    """Partition ``group`` by ``key``, highest first, keeping the given order inside."""
    buckets: dict[Any, list[str]] = {}
    for entry in group:
        buckets.setdefault(key(entry), []).append(entry)
    return [buckets[k] for k in sorted(buckets, reverse=True)]


def _refine(order: Order, resolve: Callable[[list[str]], Order]) -> Order:
    """Apply ``resolve`` to every still-tied group of ``order``."""
    out: Order = []
    for group in order:
        out.extend(resolve(group) if len(group) > 1 else [group])
    return out


def _forfeit_sets(fmt: MatchFormat, winner_is_home: bool) -> tuple[tuple[int, int], ...]:
    """The winner takes every set it needs at target-0, as the scoring rules
    normalise a forfeit (FIVB 6.4.1: 0-25 per set), so that a bare forfeit and a
    normalised one count the same."""
    won = tuple((fmt.target(i), 0) for i in range(fmt.sets_to_win))
    return won if winner_is_home else tuple((b, a) for a, b in won)


def _sets_of(result: MatchResult, walkovers: str, fmt: MatchFormat,
             forfeits: Collection[Outcome]) -> tuple[tuple[int, int], ...]:
    """The sets of ``result`` that enter the tallies (see the module doc)."""
    if result.outcome is Outcome.DOUBLE_WALKOVER:
        return ()
    if result.outcome is Outcome.WALKOVER and walkovers == "none":
        return ()
    if result.outcome in forfeits and walkovers == "forfeit" and not result.sets:
        return _forfeit_sets(fmt, result.winner == result.home)
    return tuple(result.sets)


def _is_finished(score: tuple[int, int], target: int, cap: int | None) -> bool:
    """RULES.md §1: a finished set to ``target`` (win by two, golden point at ``cap``)."""
    w, l = max(score), min(score)
    if cap is not None and (w, l) == (cap, cap - 1):
        return True
    if cap is not None and w > cap:
        return False
    return (w == target and l <= target - 2) or (w > target and w - l == 2)


def _last_set_open(result: MatchResult, sets: tuple[tuple[int, int], ...],
                   fmt: MatchFormat | None) -> bool:
    """Whether the last set of a stopped match was left unfinished.

    With the group's format the set is checked against RULES.md §1; without it
    the last set of a retired or disqualified match is taken as unfinished.
    """
    if not sets or result.outcome not in (Outcome.RETIRED, Outcome.DISQUALIFIED):
        return False
    if fmt is None:
        return True
    i = len(sets) - 1
    return not _is_finished(sets[i], fmt.target(i), fmt.cap_for(i))


def _score(result: MatchResult, preset: RankingPreset, options: Mapping[str, Any],
           fmt: MatchFormat, known_format: bool) -> ScoredMatch:
    sets = _sets_of(result, preset.walkover_scores(options), fmt, preset.forfeits)
    unfinished = preset.partial_last_set and _last_set_open(
        result, sets, fmt if known_format else None)
    finished = sets[:-1] if unfinished else sets
    sets_home = sum(1 for h, a in finished if h > a)
    sets_away = sum(1 for h, a in finished if a > h)
    points_home = sum(h for h, _ in sets)
    points_away = sum(a for _, a in sets)

    def side(entry: str, sw: int, sl: int, pw: int, pl: int) -> Tally:
        won = result.winner == entry
        mp = preset.match_points(result, entry, sw, sl, fmt, options)
        return Tally(1, int(won), int(not won), mp, sw, sl, pw, pl)

    return ScoredMatch(
        result.home,
        result.away,
        side(result.home, sets_home, sets_away, points_home, points_away),
        side(result.away, sets_away, sets_home, points_away, points_home),
    )


# ------------------------------------------------------------ match points

# FIVB: (clear win, clear loss), (close win, close loss) per best-of-3 preset.
_FIVB_BEST_OF_3 = {
    "3-2-1-0": ((3, 0), (2, 1)),
    "2-1-0": ((2, 0), (2, 1)),
}
_FIVB_BEST_OF_5 = ((3, 0), (2, 1))


def _fivb_match_points(result: MatchResult, entry: str, sets_for: int, sets_against: int,
                       fmt: MatchFormat, options: Mapping[str, Any]) -> int:
    if result.winner is None:
        return 0
    won = result.winner == entry
    winner_sets, loser_sets = (sets_for, sets_against) if won else (sets_against, sets_for)
    best_of_3 = winner_sets == 2 if winner_sets else fmt.sets_to_win == 2
    table = _FIVB_BEST_OF_3[options["match_points"]] if best_of_3 else _FIVB_BEST_OF_5
    forfeit = result.outcome in (Outcome.WALKOVER, Outcome.DISQUALIFIED)
    close = not forfeit and loser_sets >= 1 and loser_sets == winner_sets - 1
    win_points, loss_points = table[1] if close else table[0]
    return win_points if won else loss_points


def _ittf_match_points(result: MatchResult, entry: str, sets_for: int, sets_against: int,
                       fmt: MatchFormat, options: Mapping[str, Any]) -> int:
    if result.winner is None:
        return 0
    if result.winner == entry:
        return 2
    return 1 if result.outcome is Outcome.NORMAL else 0


def _bwf_match_points(result: MatchResult, entry: str, sets_for: int, sets_against: int,
                      fmt: MatchFormat, options: Mapping[str, Any]) -> int:
    return int(result.winner == entry)


# ------------------------------------------------------------ procedures


def _fivb_key(options: Mapping[str, Any]) -> Callable[[Tally], tuple]:
    if options["order"] == "points_first":
        return lambda t: (t.match_points, t.won, t.set_ratio, t.point_ratio)
    return lambda t: (t.won, t.match_points, t.set_ratio, t.point_ratio)


def _fivb_order(data: GroupData, entries: list[str]) -> Order:
    key = _fivb_key(data.options)
    overall = data.tallies(entries)

    def still_tied(group: list[str]) -> Order:
        if len(group) == 2:
            return data.head_to_head(group)
        among = data.tallies(group, among=True)
        parts = _split(group, lambda e: key(among[e]))
        return [group] if len(parts) == 1 else _refine(parts, still_tied)

    return _refine(_split(entries, lambda e: key(overall[e])), still_tied)


_ITTF_STEPS: tuple[Callable[[Tally], Any], ...] = (
    lambda t: t.match_points,
    lambda t: t.set_ratio,
    lambda t: t.point_ratio,
)
_ITTF_ALL_MATCH_STEPS: tuple[Callable[[Tally], Any], ...] = (
    lambda t: t.set_ratio,
    lambda t: t.point_ratio,
)


def _ittf_order(data: GroupData, entries: list[str]) -> Order:
    overall = data.tallies(entries)

    def head_to_head(group: list[str]) -> Order:
        # 3.7.5.2–3.7.5.3: only the matches among the equal entries; the first
        # step that separates some restarts the procedure for each sub-group.
        among = data.tallies(group, among=True)
        for step in _ITTF_STEPS:
            parts = _split(group, lambda e: step(among[e]))
            if len(parts) > 1:
                return _refine(parts, head_to_head)
        return unresolved(group)

    def all_matches(group: list[str]) -> Order:
        # NTTB variant: ratios over all group matches, then head-to-head again.
        for step in _ITTF_ALL_MATCH_STEPS:
            parts = _split(group, lambda e: step(overall[e]))
            if len(parts) > 1:
                return _refine(parts, head_to_head)
        return [group]

    policies: dict[str, Callable[[list[str]], Order]] = {
        "lots": lambda group: [group],  # 3.7.5.4: the entries stay tied for the draw
        "all_matches": all_matches,
    }
    unresolved = policies[data.options["unresolved"]]
    return _refine(_split(entries, lambda e: overall[e].match_points), head_to_head)


def _bwf_order(data: GroupData, entries: list[str]) -> Order:
    overall = data.tallies(entries)
    steps: tuple[Callable[[Tally], int], ...] = (
        lambda t: t.set_difference,
        lambda t: t.point_difference,
    )

    def still_tied(group: list[str], step: int = 0) -> Order:
        if len(group) == 2:
            return data.head_to_head(group)
        if step == len(steps):
            return [group]
        parts = _split(group, lambda e: steps[step](overall[e]))
        return _refine(parts, lambda g: still_tied(g, step + 1))

    return _refine(_split(entries, lambda e: overall[e].won), still_tied)


# --------------------------------------------------------------- registry


@dataclass(frozen=True)
class RankingPreset:
    """One federation's ranking rules."""

    name: str
    label: str
    options: Mapping[str, tuple[Any, ...]]  # allowed values, the default first
    default_format: MatchFormat  # used for walkovers that carry no sets
    match_points: Callable[..., int]
    walkover_scores: Callable[[Mapping[str, Any]], str]  # "forfeit" | "recorded" | "none"
    forfeits: frozenset[Outcome]  # outcomes scored as a forfeit when they carry no sets
    partial_last_set: bool  # last set of a retired/disqualified match counts no set
    delete_withdrawn: bool  # BWF: results of withdrawn entries are deleted
    order: Callable[[GroupData, list[str]], Order]


PRESETS: dict[str, RankingPreset] = {
    "fivb": RankingPreset(
        name="fivb",
        label="FIVB",
        options={"order": ("wins_first", "points_first"), "match_points": ("3-2-1-0", "2-1-0")},
        default_format=MatchFormat(best_of=3, points=25, deciding_points=15),
        match_points=_fivb_match_points,
        walkover_scores=lambda options: "forfeit",
        # FIVB 6.4: a team in default and a disqualified team both forfeit 0-3.
        forfeits=frozenset({Outcome.WALKOVER, Outcome.DISQUALIFIED}),
        partial_last_set=False,
        delete_withdrawn=False,
        order=_fivb_order,
    ),
    "ittf": RankingPreset(
        name="ittf",
        label="ITTF",
        options={"walkover_in_ratios": (False, True), "unresolved": ("lots", "all_matches")},
        default_format=MatchFormat(best_of=5, points=11),
        match_points=_ittf_match_points,
        walkover_scores=lambda options: "forfeit" if options["walkover_in_ratios"] else "none",
        forfeits=frozenset({Outcome.WALKOVER}),
        partial_last_set=True,
        delete_withdrawn=False,
        order=_ittf_order,
    ),
    "bwf": RankingPreset(
        name="bwf",
        label="BWF",
        options={},
        default_format=MatchFormat(best_of=3, points=21, cap=30),
        match_points=_bwf_match_points,
        walkover_scores=lambda options: "recorded",
        forfeits=frozenset(),
        partial_last_set=True,
        delete_withdrawn=True,
        order=_bwf_order,
    ),
}

DEFAULT_PRESET: dict[str, str] = {
    "volleyball": "fivb",
    "table_tennis": "ittf",
    "badminton": "bwf",
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _get_preset(preset: str) -> RankingPreset:
    try:
        return PRESETS[preset]
    except (KeyError, TypeError):
        names = ", ".join(PRESETS)
        raise RuleError(
            f"Không có cách xếp hạng vòng tròn «{preset}»; hãy chọn một trong: {names}."
        ) from None


def preset_options(preset: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The preset's options, validated, with defaults filled in.

    A ``preset`` key naming the same preset is accepted and dropped (the festival
    file keeps it beside the options).
    """
    spec = _get_preset(preset)
    given = dict(options or {})
    if "preset" in given:
        named = given.pop("preset")
        if named != preset:
            raise RuleError(
                f"Tùy chọn xếp hạng ghi cách xếp hạng «{_show(named)}», khác với "
                f"«{preset}» đã chọn; hãy sửa cho hai chỗ khớp nhau."
            )
    errors: list[str] = []
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key not in spec.options:
            allowed = ", ".join(spec.options)
            hint = (f"các tùy chọn hợp lệ: {allowed}" if allowed
                    else "cách xếp hạng này không có tùy chọn nào")
            errors.append(f"Cách xếp hạng {spec.label} không có tùy chọn «{key}»; {hint}.")
            continue
        allowed_values = spec.options[key]
        if not any(type(value) is type(v) and value == v for v in allowed_values):
            choices = ", ".join(_show(v) for v in allowed_values)
            errors.append(
                f"Tùy chọn «{key}» của cách xếp hạng {spec.label} không nhận giá trị "
                f"«{_show(value)}»; hãy chọn một trong: {choices}."
            )
            continue
        out[key] = value
    if errors:
        raise RuleError(errors)
    return {key: out.get(key, values[0]) for key, values in spec.options.items()}


# ------------------------------------------------------------ validation


def _check_inputs(entries: Sequence[str], results: list[MatchResult],
                  withdrawn: Collection[str], lots: Sequence[str]) -> None:
    errors: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        if entry in seen:
            errors.append(f"«{entry}» được ghi hai lần trong danh sách của bảng đấu.")
        seen.add(entry)
    for r in results:
        label = f"Trận {r.home} – {r.away}"
        for side in (r.home, r.away):
            if side not in seen:
                errors.append(f"{label}: «{side}» không thuộc bảng đấu này.")
        if r.home == r.away:
            errors.append(f"{label}: một bên không thể thi đấu với chính mình.")
        if r.outcome is Outcome.DOUBLE_WALKOVER and r.winner is not None:
            errors.append(f"{label}: cả hai bên bỏ cuộc thì không có bên thắng; "
                          f"hãy bỏ trống bên thắng hoặc chọn loại kết quả khác.")
        elif r.outcome is not Outcome.DOUBLE_WALKOVER and r.winner not in (r.home, r.away):
            given = "chưa chọn" if r.winner is None else f"đang ghi «{r.winner}»"
            errors.append(f"{label}: bên thắng phải là «{r.home}» hoặc «{r.away}» "
                          f"({given}).")
    for entry in withdrawn:
        if entry not in seen:
            errors.append(f"«{entry}» được ghi rút lui nhưng không thuộc bảng đấu này.")
    drawn: set[str] = set()
    for entry in lots:
        if entry not in seen:
            errors.append(f"Kết quả bốc thăm ghi «{entry}», không thuộc bảng đấu này.")
        if entry in drawn:
            errors.append(f"Kết quả bốc thăm ghi «{entry}» hai lần.")
        drawn.add(entry)
    if errors:
        raise RuleError(errors)


# ------------------------------------------------------------- ranking


def _with_withdrawals(entries: Sequence[str], results: list[MatchResult],
                      withdrawn: Collection[str], preset: RankingPreset) -> list[MatchResult]:
    out = [r for r in results
           if not (preset.delete_withdrawn and (r.home in withdrawn or r.away in withdrawn))]
    if preset.delete_withdrawn:
        return out
    met = {frozenset((r.home, r.away)) for r in results}
    for home, away in combinations(entries, 2):
        if frozenset((home, away)) in met or not (home in withdrawn or away in withdrawn):
            continue
        if home in withdrawn and away in withdrawn:
            out.append(MatchResult(home, away, outcome=Outcome.DOUBLE_WALKOVER))
        else:
            winner = away if home in withdrawn else home
            out.append(MatchResult(home, away, outcome=Outcome.WALKOVER, winner=winner))
    return out


def _apply_lots(order: Order, lots: Sequence[str]) -> Order:
    """Order each tie by the recorded lots; entries the lots do not name stay tied."""
    position = {entry: i for i, entry in enumerate(lots)}
    out: Order = []
    for group in order:
        drawn = sorted((e for e in group if e in position), key=position.__getitem__)
        rest = [e for e in group if e not in position]
        if len(group) < 2 or not drawn:
            out.append(group)
            continue
        out.extend([e] for e in drawn)
        if rest:
            out.append(rest)
    return out


def rank_group(entries: Sequence[str], results: Iterable[MatchResult], preset: str = "ittf",
               options: Mapping[str, Any] | None = None, withdrawn: Collection[str] = (),
               lots: Sequence[str] | None = None,
               match_format: MatchFormat | None = None) -> list[StandingRow]:
    """Rank a round-robin group under ``preset``; rows in final order.

    ``match_format`` is the group's format: it scores walkovers that carry no
    sets (without it: the sport's festival format of RULES.md §1) and tells
    whether the last set of a retired or disqualified match was finished
    (without it: never).
    """
    spec = _get_preset(preset)
    opts = preset_options(preset, options)
    results = list(results)
    withdrawn = frozenset(withdrawn)
    lots = list(lots or ())
    _check_inputs(entries, results, withdrawn, lots)
    fmt = match_format or spec.default_format
    counted = _with_withdrawals(entries, results, withdrawn, spec)
    known = match_format is not None
    data = GroupData(tuple(_score(r, spec, opts, fmt, known) for r in counted), opts)

    active = [e for e in entries if e not in withdrawn]
    gone = [e for e in entries if e in withdrawn]
    order = _apply_lots(spec.order(data, active) + spec.order(data, gone), lots)

    totals = data.tallies(entries)
    rows: list[StandingRow] = []
    for group in order:
        rank = len(rows) + 1
        for entry in group:
            t = totals[entry]
            rows.append(StandingRow(
                entry=entry, rank=rank, played=t.played, won=t.won, lost=t.lost,
                match_points=t.match_points, sets_won=t.sets_won, sets_lost=t.sets_lost,
                points_won=t.points_won, points_lost=t.points_lost,
                tied=len(group) > 1, withdrawn=entry in withdrawn,
            ))
    return rows

"""Set scores and match results for volleyball, table tennis and badminton.

What this module knows (RULES.md §1):

* the match formats of the three sports and their festival defaults
  (including the caps of the badminton short formats);
* when a set score is a finished, valid set: one parametric rule for a set to
  target ``T`` with an optional ``cap`` (win by two, golden point at the cap);
* when a match is complete (the winner has exactly ``sets_to_win`` sets and no
  set follows the deciding one), and how each result type is normalised:
  a volleyball walkover or disqualification becomes the forfeit score
  (FIVB 6.4), a volleyball team that cannot finish gets its opponent awarded
  what it needs to win (FIVB 6.4.3), table tennis and badminton keep the
  partial score of a retirement;
* the set and point totals of a recorded match, for the ranking rules.

What it does not know: entries beyond their opaque keys, who may record a
result, rankings, draws, or storage. Every refusal is a :class:`RuleError`
whose messages are Vietnamese sentences a referee can act on; all problems of
a result are reported together.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Mapping, Sequence

from sports.domain.types import MatchFormat, MatchResult, Outcome, RuleError, Sport

__all__ = [
    "SportRules",
    "SPORTS",
    "DEFAULT_FORMATS",
    "format_for",
    "set_problem",
    "record_result",
    "set_totals",
]

Score = tuple[int, int]
SetState = Literal["finished", "in_progress", "impossible"]


# --- the parametric set rule --------------------------------------------

# No set of these sports gets near 99 points (a volleyball set to 25 that runs to 40-38 is
# already a record): a higher score is a typing slip, refused with this reason, and a format
# whose set target or cap is above it could never be finished.
MAX_SET_POINTS = 99
MAX_BEST_OF = 9

def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _set_state(score: Score, target: int, cap: int | None) -> SetState:
    """Finished (a valid final score), in progress (play could go on) or
    impossible (no rally sequence leads there). ``score`` holds integers."""
    a, b = score
    if a < 0 or b < 0:
        return "impossible"
    w, l = max(a, b), min(a, b)
    if cap is not None and w == cap and l == cap - 1:
        return "finished"
    if cap is not None and w > cap:
        return "impossible"
    if w == l:
        return "in_progress" if cap is None or w < cap else "impossible"
    if w < target:
        return "in_progress"
    if w == target and l <= target - 2:
        return "finished"
    if w - l == 2 and w > target:
        return "finished"
    if w - l == 1:
        return "in_progress" if cap is None or w < cap else "impossible"
    return "impossible"


# --- sports --------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    """One result being recorded; handlers append to ``problems``."""

    rules: "SportRules"
    fmt: MatchFormat
    home: str
    away: str
    sets: tuple[tuple, ...]
    winner: str | None
    problems: list[str] = field(default_factory=list)

    def side(self, entry: str | None) -> int | None:
        return {self.home: 0, self.away: 1}.get(entry) if entry else None


Handler = Callable[[_Context], tuple[Score, ...]]


@dataclass(frozen=True)
class SportRules:
    """What differs between sports: words, default format, the cap other
    set targets get by default, and how the non-normal outcomes turn into
    sets."""

    name: str  # "cầu lông", used inside sentences
    set_word: str  # "Ván" / "Séc", capitalised as a message prefix
    default: MatchFormat
    walkover: Handler
    disqualified: Handler
    retired: Handler
    # Set target → the cap a format to that target gets when none is given
    # (badminton short formats, RULES.md §1); other targets have no cap.
    caps: Mapping[int, int] = field(default_factory=dict, hash=False)

    @property
    def set_noun(self) -> str:
        return self.set_word.lower()

    def default_cap(self, points: object) -> int | None:
        """The cap of a set to ``points`` when the format names none."""
        if points == self.default.points:
            return self.default.cap
        return self.caps.get(points) if _is_int(points) else None


def _rules(sport: Sport | str) -> SportRules:
    try:
        return SPORTS[Sport(sport)]
    except ValueError:
        known = ", ".join(s.value for s in Sport)
        raise RuleError(
            f"môn “{sport}” không được hỗ trợ — chọn một trong: {known}"
        ) from None


def _score_text(score: Sequence[object]) -> str:
    return "-".join(str(x) for x in score)


def set_problem(
    score: tuple[int, int], target: int, cap: int | None, sport: Sport | str
) -> str | None:
    """None when ``score`` is a finished valid set to ``target`` (with
    ``cap``), otherwise why not, in Vietnamese, without the set prefix."""
    return _set_problem(_rules(sport), score, target, cap)


def _shape_problem(rules: SportRules, score: object) -> str | None:
    if isinstance(score, Sequence) and not isinstance(score, (str, bytes)) \
            and len(score) == 2:
        return None
    return (
        f"“{score}” không hợp lệ — mỗi {rules.set_noun} cần đúng 2 số điểm "
        f"(bên 1 - bên 2)"
    )


def _set_problem(
    rules: SportRules, score: Sequence[object], target: int, cap: int | None
) -> str | None:
    shape = _shape_problem(rules, score)
    if shape is not None:
        return shape
    text = _score_text(score)
    if not all(_is_int(x) for x in score):
        return f"{text} không hợp lệ — điểm phải là số nguyên"
    a, b = score
    if a < 0 or b < 0:
        return f"{text} không hợp lệ — điểm không được âm"
    if max(a, b) > MAX_SET_POINTS:
        return (f"{text} không hợp lệ — một {rules.set_noun} {rules.name} không thể "
                f"quá {MAX_SET_POINTS} điểm")
    state = _set_state((a, b), target, cap)
    if state == "finished":
        return None
    w, l = max(a, b), min(a, b)
    by_two = f"{rules.name} phải thắng cách 2 điểm" + (
        f", tối đa {cap}" if cap is not None else ""
    )
    if cap is not None and w > cap:
        return (
            f"{text} không hợp lệ — {rules.set_noun} {rules.name} "
            f"kết thúc muộn nhất ở {cap} điểm"
        )
    if w == l and w >= target - 1:
        if cap is not None and w >= cap:
            return f"{text} không hợp lệ — {by_two}"
        if cap is not None and w == cap - 1:
            # Golden point (BWF Law 7.4): at 29-all the 30th point wins.
            return (
                f"{text} chưa kết thúc — hòa {w}-{w} thì bên nào ghi điểm "
                f"thứ {cap} trước sẽ thắng {rules.set_noun}"
            )
        return f"{text} chưa kết thúc — tỉ số hòa, {by_two}"
    if w < target:
        return (
            f"{text} chưa kết thúc — {rules.name} cần {target} điểm "
            f"để thắng {rules.set_noun}"
        )
    if w - l == 1:
        return f"{text} chưa kết thúc — {by_two}"
    return (
        f"{text} không hợp lệ — khi vượt {target} điểm, {rules.name} "
        f"phải thắng cách đúng 2 điểm"
    )


# --- formats -------------------------------------------------------------

def _format_problems(rules: SportRules, fmt: MatchFormat) -> list[str]:
    noun = rules.set_noun
    points_ok = _is_int(fmt.points)
    deciding_ok = _is_int(fmt.deciding_points)
    # (label, value, may be None, valid?, what a valid value is)
    checks = [
        (f"số {noun} tối đa", fmt.best_of, False,
         lambda v: v >= 1 and v % 2 == 1, "phải là số lẻ (1, 3, 5, 7…)"),
        (f"số {noun} tối đa", fmt.best_of, False,
         lambda v: v <= MAX_BEST_OF, f"không quá {MAX_BEST_OF}"),
        (f"số điểm mỗi {noun}", fmt.points, False,
         lambda v: v >= 1, "phải từ 1 trở lên"),
        (f"số điểm mỗi {noun}", fmt.points, False,
         lambda v: v <= MAX_SET_POINTS, f"không quá {MAX_SET_POINTS}"),
        (f"số điểm {noun} quyết định", fmt.deciding_points, True,
         lambda v: v >= 1, "phải từ 1 trở lên"),
        (f"số điểm {noun} quyết định", fmt.deciding_points, True,
         lambda v: v <= MAX_SET_POINTS, f"không quá {MAX_SET_POINTS}"),
        ("điểm tối đa", fmt.cap, True,
         lambda v: v <= MAX_SET_POINTS, f"không quá {MAX_SET_POINTS}"),
        ("điểm tối đa", fmt.cap, True,
         lambda v: not points_ok or v > fmt.points,
         f"phải lớn hơn số điểm mỗi {noun} ({fmt.points})"),
        ("điểm tối đa", fmt.cap, True,
         lambda v: not deciding_ok or v > fmt.deciding_points,
         f"phải lớn hơn số điểm {noun} quyết định ({fmt.deciding_points})"),
    ]
    problems: list[str] = []
    for label, value, optional, ok, reason in checks:
        if value is None and optional:
            continue
        if not _is_int(value):
            message = f"{label} phải là số nguyên, không phải “{value}”"
        elif not ok(value):
            message = f"{label} {reason}, không phải {value}"
        else:
            continue
        if message not in problems:
            problems.append(message)
    return problems


def format_for(
    sport: Sport | str,
    best_of: int | None = None,
    points: int | None = None,
    deciding_points: int | None = None,
    cap: int | None = None,
) -> MatchFormat:
    """The sport's default format with the given keys overridden.

    ``deciding_points`` is inherited from the default only when ``points``
    is omitted or equal to the default's. An omitted ``cap`` is the sport's
    cap for the format's ``points`` (:meth:`SportRules.default_cap`):
    badminton to 21 is capped at 30, its short formats to 15 and 11 at 21
    and 15 (RULES.md §1), any other target and the other sports have none.
    A given ``cap`` always wins."""
    rules = _rules(sport)
    base = rules.default
    points = base.points if points is None else points
    inherit = points == base.points
    fmt = MatchFormat(
        best_of=base.best_of if best_of is None else best_of,
        points=points,
        deciding_points=(
            deciding_points if deciding_points is not None
            else base.deciding_points if inherit else None
        ),
        cap=cap if cap is not None else rules.default_cap(points),
    )
    problems = _format_problems(rules, fmt)
    if problems:
        raise RuleError(problems)
    return fmt


# --- reviewing the sets of a match --------------------------------------

def _prefix(ctx: _Context, index: int) -> str:
    return f"{ctx.rules.set_word} {index + 1}: "


def _shape_ok(ctx: _Context, index: int, raw: object) -> bool:
    problem = _shape_problem(ctx.rules, raw)
    if problem is not None:
        ctx.problems.append(_prefix(ctx, index) + problem)
    return problem is None


@dataclass(frozen=True)
class _Review:
    """What the sets of a match say: per reviewed set the side that won it
    (0 home, 1 away; None for an invalid or open set), the sets won, the
    index of the deciding set, and whether every set was acceptable."""

    winners: tuple[int | None, ...]
    count: tuple[int, int]
    decided_at: int | None
    ok: bool


def _review_sets(ctx: _Context, last_may_be_open: bool) -> _Review:
    """Check the sets in order. Sets after the one that decided the match are
    refused as such (their scores are not checked); only valid sets count
    towards the decision, so a reported decision is never premature."""
    winners: list[int | None] = []
    count = [0, 0]
    decided: int | None = None
    last = len(ctx.sets) - 1
    for i, raw in enumerate(ctx.sets):
        if decided is not None:
            ctx.problems.append(
                _prefix(ctx, i) + f"trận đấu đã kết thúc sau "
                f"{ctx.rules.set_noun} {decided + 1} "
                f"(thắng {max(count)}-{min(count)})"
            )
            continue
        side = _reviewed_set(ctx, i, raw, last_may_be_open and i == last)
        winners.append(side)
        if side is not None:
            count[side] += 1
            if max(count) == ctx.fmt.sets_to_win:
                decided = i
    return _Review(tuple(winners), (count[0], count[1]), decided,
                   ok=not ctx.problems)


def _reviewed_set(ctx: _Context, i: int, raw: object, may_be_open: bool) -> int | None:
    """The side that won set ``i``; None (with a problem unless the set may
    be open and is) otherwise."""
    if not _shape_ok(ctx, i, raw):
        return None
    target, cap = ctx.fmt.target(i), ctx.fmt.cap_for(i)
    problem = _set_problem(ctx.rules, raw, target, cap)
    if problem is None:
        return 0 if raw[0] > raw[1] else 1
    is_open = (may_be_open and all(_is_int(x) for x in raw)
               and _set_state(tuple(raw), target, cap) == "in_progress")
    if not is_open:
        ctx.problems.append(_prefix(ctx, i) + problem)
    return None


def _as_scores(sets: Sequence[Sequence[int]]) -> tuple[Score, ...]:
    return tuple((int(a), int(b)) for a, b in sets)


def _oriented(side: int, score: Score) -> Score:
    return score if side == 0 else (score[1], score[0])


# --- outcomes ------------------------------------------------------------

def _require_winner(ctx: _Context, label: str) -> int | None:
    side = ctx.side(ctx.winner)
    if ctx.winner is None:
        ctx.problems.append(f"trận {label} cần chọn bên thắng")
    return side


def _normal(ctx: _Context) -> tuple[Score, ...]:
    review = _review_sets(ctx, last_may_be_open=False)
    if not review.ok:
        return ()
    (home, away), noun = review.count, ctx.rules.set_noun
    if review.decided_at is None:
        ctx.problems.append(
            f"chưa đủ {noun}: cần thắng {ctx.fmt.sets_to_win} {noun} "
            f"(hiện tại {home}-{away})"
        )
        return ()
    leader = ctx.home if home > away else ctx.away
    if ctx.winner is not None and ctx.winner != leader:
        ctx.problems.append(
            f"bên thắng “{ctx.winner}” không khớp với tỉ số: theo các {noun}, "
            f"“{leader}” thắng {max(home, away)}-{min(home, away)}"
        )
    return _as_scores(ctx.sets)


def _forfeit_score(ctx: _Context, side: int) -> tuple[Score, ...]:
    return tuple(
        _oriented(side, (ctx.fmt.target(i), 0))
        for i in range(ctx.fmt.sets_to_win)
    )


def _forfeit(label: str) -> Handler:
    """Volleyball (FIVB 6.4): the winner gets every set it needs at T-0."""

    def handler(ctx: _Context) -> tuple[Score, ...]:
        side = _require_winner(ctx, label)
        if side is None:
            return ()
        forfeit = _forfeit_score(ctx, side)
        given = tuple(
            tuple(s) if isinstance(s, Sequence) and not isinstance(s, str)
            else s
            for s in ctx.sets
        )
        if given and given != forfeit:
            noun = ctx.rules.set_noun
            shown = ", ".join(_score_text(s) for s in forfeit)
            ctx.problems.append(
                f"trận {label} {ctx.rules.name} được ghi tỉ số các {noun} "
                f"{shown} (FIVB 6.4) — hãy để trống tỉ số"
            )
        return forfeit

    return handler


def _no_sets(label: str) -> Handler:
    def handler(ctx: _Context) -> tuple[Score, ...]:
        _require_winner(ctx, label)
        if ctx.sets:
            ctx.problems.append(
                f"trận {label} {ctx.rules.name} không có tỉ số — hãy để trống "
                f"các {ctx.rules.set_noun}"
            )
        return ()

    return handler


def _partial_review(ctx: _Context, label: str, allow_empty: bool) -> _Review | None:
    """Shared checks of a match stopped early (winner named, finished sets
    valid, at most an open last set, match not decided); None when the sets
    cannot be used."""
    _require_winner(ctx, label)
    if not ctx.sets and not allow_empty:
        ctx.problems.append(
            f"trận {label} cần tỉ số các {ctx.rules.set_noun} đến lúc dừng; "
            f"nếu trận chưa đấu, hãy ghi là bỏ cuộc"
        )
        return None
    review = _review_sets(ctx, last_may_be_open=True)
    if review.decided_at is not None:
        won, lost = max(review.count), min(review.count)
        ctx.problems.append(
            f"trận đấu đã kết thúc {won}-{lost} sau {ctx.rules.set_noun} "
            f"{review.decided_at + 1} — không thể ghi là {label}; "
            f"hãy ghi kết quả bình thường"
        )
    return review if not ctx.problems else None


def _keep_partial(label: str, allow_empty: bool) -> Handler:
    """Table tennis / badminton: the score so far is kept as it stands."""

    def handler(ctx: _Context) -> tuple[Score, ...]:
        _partial_review(ctx, label, allow_empty)
        return _as_scores(ctx.sets) if not ctx.problems else ()

    return handler


def _completed_by(ctx: _Context) -> tuple[Score, ...] | None:
    """The sets when they already form a finished match won by ``ctx.winner``, else None."""
    if ctx.winner is None or not ctx.sets:
        return None
    probe = _Context(ctx.rules, ctx.fmt, ctx.home, ctx.away, ctx.sets, ctx.winner)
    sets = _normal(probe)
    if probe.problems or (ctx.home, ctx.away)[_winner_side(sets)] != ctx.winner:
        return None
    return sets


def _complete_for_winner(label: str) -> Handler:
    """Volleyball (FIVB 6.4.3): the incomplete team keeps its points and
    sets; the opponent gets what it needs to win the current set and every
    further set it needs at T-0."""

    def handler(ctx: _Context) -> tuple[Score, ...]:
        completed = _completed_by(ctx)
        if completed is not None:
            return completed  # already completed for the winner: recording it again changes nothing
        review = _partial_review(ctx, label, allow_empty=False)
        side = ctx.side(ctx.winner)
        if review is None or side is None:
            return ()
        sets = [list(_oriented(side, s)) for s in _as_scores(ctx.sets)]
        if review.winners and review.winners[-1] is None:
            i = len(sets) - 1
            needed = max(ctx.fmt.target(i), sets[i][1] + 2)
            cap = ctx.fmt.cap_for(i)
            sets[i][0] = needed if cap is None else min(needed, cap)
        won = sum(1 for s in sets if s[0] > s[1])
        while won < ctx.fmt.sets_to_win:
            sets.append([ctx.fmt.target(len(sets)), 0])
            won += 1
        return tuple(_oriented(side, (s[0], s[1])) for s in sets)

    return handler


def _double_walkover(ctx: _Context) -> tuple[Score, ...]:
    if ctx.sets:
        ctx.problems.append("cả hai bên bỏ cuộc: không ghi tỉ số")
    if ctx.winner is not None:
        ctx.problems.append("cả hai bên bỏ cuộc: không có bên thắng")
    return ()


_OUTCOME_LABELS = {
    Outcome.NORMAL: "bình thường",
    Outcome.WALKOVER: "bỏ cuộc",
    Outcome.RETIRED: "bỏ dở",
    Outcome.DISQUALIFIED: "truất quyền",
    Outcome.DOUBLE_WALKOVER: "cả hai bỏ cuộc",
}

_OUTCOMES: dict[Outcome, Callable[[_Context], tuple[Score, ...]]] = {
    Outcome.NORMAL: _normal,
    Outcome.WALKOVER: lambda ctx: ctx.rules.walkover(ctx),
    Outcome.DISQUALIFIED: lambda ctx: ctx.rules.disqualified(ctx),
    Outcome.RETIRED: lambda ctx: ctx.rules.retired(ctx),
    Outcome.DOUBLE_WALKOVER: _double_walkover,
}

SPORTS: dict[Sport, SportRules] = {
    Sport.VOLLEYBALL: SportRules(
        name="bóng chuyền",
        set_word="Séc",
        default=MatchFormat(best_of=3, points=25, deciding_points=15),
        walkover=_forfeit("bỏ cuộc"),
        disqualified=_forfeit("truất quyền"),
        retired=_complete_for_winner("bỏ dở"),
    ),
    Sport.TABLE_TENNIS: SportRules(
        name="bóng bàn",
        set_word="Ván",
        default=MatchFormat(best_of=5, points=11),
        walkover=_no_sets("bỏ cuộc"),
        disqualified=_keep_partial("truất quyền", allow_empty=True),
        retired=_keep_partial("bỏ dở", allow_empty=False),
    ),
    Sport.BADMINTON: SportRules(
        name="cầu lông",
        set_word="Ván",
        default=MatchFormat(best_of=3, points=21, cap=30),
        walkover=_no_sets("bỏ cuộc"),
        disqualified=_keep_partial("truất quyền", allow_empty=True),
        retired=_keep_partial("bỏ dở", allow_empty=False),
        caps={15: 21, 11: 15},  # short formats (RULES.md §1)
    ),
}

DEFAULT_FORMATS: dict[Sport, MatchFormat] = {
    sport: rules.default for sport, rules in SPORTS.items()
}


# --- recording -----------------------------------------------------------

def _outcome(value: Outcome | str, problems: list[str]) -> Outcome | None:
    try:
        return Outcome(value)
    except ValueError:
        known = ", ".join(
            f"{o.value} ({label})" for o, label in _OUTCOME_LABELS.items()
        )
        problems.append(
            f"loại kết quả “{value}” không hợp lệ — chọn một trong: {known}"
        )
        return None


def _winner_side(sets: tuple[Score, ...]) -> int:
    count = [0, 0]
    for a, b in sets:
        if a != b:
            count[0 if a > b else 1] += 1
    return 0 if count[0] > count[1] else 1


def record_result(
    sport: Sport | str,
    fmt: MatchFormat,
    home: str,
    away: str,
    sets: Sequence[Sequence[int]],
    outcome: Outcome | str = "normal",
    winner: str | None = None,
) -> MatchResult:
    """Validate and normalise one match result.

    Raises RuleError listing every problem found, each set problem prefixed
    with its set ("Ván 2: 21-20 chưa kết thúc — …")."""
    rules = _rules(sport)
    problems = _format_problems(rules, fmt)
    kind = _outcome(outcome, problems)
    if home == away:
        problems.append(f"hai bên của trận đấu phải khác nhau (cùng là “{home}”)")
    if winner is not None and winner not in (home, away):
        problems.append(
            f"bên thắng “{winner}” không phải một trong hai bên của trận đấu"
        )
    if problems or kind is None:
        raise RuleError(problems)
    ctx = _Context(rules, fmt, home, away, tuple(sets or ()), winner)
    normalised = _OUTCOMES[kind](ctx)
    if ctx.problems:
        raise RuleError(ctx.problems)
    if kind is Outcome.NORMAL:
        side: int | None = _winner_side(normalised)
    else:
        side = ctx.side(winner)
    return MatchResult(
        home=home,
        away=away,
        sets=normalised,
        outcome=kind,
        winner=None if side is None else (home, away)[side],
    )


def set_totals(
    result: MatchResult, fmt: MatchFormat | None = None
) -> tuple[int, int, int, int]:
    """(sets_home, sets_away, points_home, points_away) of a recorded match.

    An unfinished last set of a retired or disqualified match counts its
    points but no set for anyone; recognising it needs ``fmt`` — without a
    format every set counts for the side that leads it."""
    sets_won = [0, 0]
    points = [0, 0]
    stopped = result.outcome in (Outcome.RETIRED, Outcome.DISQUALIFIED)
    for i, (a, b) in enumerate(result.sets):
        points[0] += a
        points[1] += b
        is_open = (
            stopped and fmt is not None and i == len(result.sets) - 1
            and _set_state((a, b), fmt.target(i), fmt.cap_for(i)) != "finished"
        )
        if a != b and not is_open:
            sets_won[0 if a > b else 1] += 1
    return sets_won[0], sets_won[1], points[0], points[1]


def result_sentence(result: MatchResult, names: dict[str, str]) -> str:
    """The result in words, as the referee confirms it: scores from the winner's side.

    "Đội A thắng 2-1: 21-15, 18-21, 21-19"; "A thắng do B bỏ cuộc (w.o.)"; …
    ``names`` maps the result's entry keys to the names people know.
    """
    home, away = names.get(result.home, result.home), names.get(result.away, result.away)
    if result.outcome is Outcome.DOUBLE_WALKOVER:
        return f"Cả hai bên không thi đấu: {home} và {away} cùng bỏ cuộc."
    if result.winner is None:
        return f"{home} – {away}: chưa có bên thắng."
    winner_home = result.winner == result.home
    w, loser = (home, away) if winner_home else (away, home)
    sets = [tuple(s) if winner_home else (s[1], s[0]) for s in result.sets]
    won = sum(1 for a, b in sets if a > b)
    lost = sum(1 for a, b in sets if b > a)
    scores = ", ".join(f"{a}-{b}" for a, b in sets)
    if result.outcome is Outcome.WALKOVER:
        return f"{w} thắng do {loser} bỏ cuộc (w.o.)."
    if result.outcome is Outcome.RETIRED:
        return f"{w} thắng do {loser} bỏ dở (ret.)" + (f": {scores}." if scores else ".")
    if result.outcome is Outcome.DISQUALIFIED:
        return f"{w} thắng do {loser} bị truất quyền thi đấu" + (f": {scores}." if scores else ".")
    return f"{w} thắng {won}-{lost}: {scores}."


def set_word(sport: Sport | str) -> str:
    """What a set is called in the sport: "Séc" (volleyball) or "Ván"."""
    return _rules(sport).set_word

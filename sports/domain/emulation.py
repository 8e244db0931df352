"""The emulation bloc's score table (bảng điểm thi đua khối, RULES.md §6).

What this module does:

- checks self scores (tự chấm) and bloc scores (khối chấm) against the score table;
- computes each unit's criterion scores (the bloc score counts, else the self score),
  its bonus (capped) and penalty points, its total and the difference between the
  bloc's assessment and the unit's own;
- feeds the sports festival into one linked criterion (participation points) and into
  the bonus (a bonus by overall festival rank);
- ranks units by total, then bonus, then a recorded vote, and proposes the top units
  for the bloc's titles (Cờ thi đua, Bằng khen ...).

What it does not know: the festival itself. Callers pass how many events each unit
entered and its rank in the festival medal table (see :mod:`sports.domain.medals`);
when festival results change, they call :func:`emulation_table` again. Periods (Đợt 1,
Đợt 2) are separate tables. All arithmetic is exact (:class:`fractions.Fraction`); a
float is read through its decimal text, so 9.5 becomes Fraction(19, 2).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Callable, Mapping, Sequence

from .types import RuleError

Number = Fraction | int


@dataclass(frozen=True)
class Criterion:
    """One line of the score table, in group ``group``, worth at most ``max`` points."""

    code: str
    group: str
    name: str
    max: Fraction | int


@dataclass(frozen=True)
class Score:
    """A unit's self score and bloc score for one criterion (``None``: not given)."""

    unit: str
    criterion: str
    self_score: Fraction | int | None
    bloc_score: Fraction | int | None


@dataclass(frozen=True)
class Adjustment:
    """Bonus (``kind="bonus"``) or penalty (``kind="penalty"``) points, with the reason."""

    unit: str
    kind: str
    points: Fraction | int
    reason: str


@dataclass(frozen=True)
class FestivalLink:
    """How the festival feeds the table.

    A unit that entered at least ``min_events`` events scores ``participation_points``
    (capped by the criterion's max) on ``criterion``, else 0; ``rank_bonus[r]`` is added
    to the bonus of the unit ranked ``r`` in the festival medal table.
    """

    criterion: str
    participation_points: Fraction | int
    min_events: int
    rank_bonus: Mapping[int, Fraction | int]


@dataclass(frozen=True)
class EmulationRow:
    """One unit's line of the ranked table.

    ``criteria`` maps criterion code → counted score, in table order; ``bonus`` is the
    counted bonus (after the cap), so ``total == sum(criteria) + bonus - penalty``.
    ``self_total`` is what the criteria would sum to on the unit's own scores (a missing
    self score, and the linked criterion, count as counted); ``difference`` =
    ``sum(criteria) - self_total`` (negative when the bloc marked the unit down).
    """

    rank: int
    unit: str
    total: Fraction
    criteria: dict[str, Fraction]
    bonus: Fraction
    penalty: Fraction
    self_total: Fraction
    difference: Fraction


def exact(value: Fraction | int | float | Decimal | str) -> Fraction:
    """``value`` as an exact Fraction; floats go through their shortest text (0.1 → 1/10)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _fmt(value: Fraction | int | float) -> str:
    """A score as Vietnamese text: 9,5 (decimal comma, at most 4 decimals)."""
    value = exact(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4f}".rstrip("0").rstrip(".").replace(".", ",")


def _rank_bonus(link: FestivalLink) -> dict[int, Fraction]:
    """``link.rank_bonus`` with int ranks (a festival file's keys are strings: {"1": 3})."""
    return {int(rank): exact(points) for rank, points in link.rank_bonus.items()}


# --------------------------------------------------------------------------- checks


def _criteria_errors(criteria: Sequence[Criterion]) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for c in criteria:
        if c.code in seen:
            errors.append(f"Tiêu chí {c.code} có hai lần trong bảng điểm; mỗi mã tiêu chí phải riêng.")
        seen.add(c.code)
        if exact(c.max) < 0:
            errors.append(f"Tiêu chí {c.code}: điểm tối đa {_fmt(c.max)} không được âm.")
    return errors


def _score_range_errors(score: Score, criterion: Criterion) -> list[str]:
    errors = []
    for label, value in (("tự chấm", score.self_score), ("khối chấm", score.bloc_score)):
        if value is not None and not 0 <= exact(value) <= exact(criterion.max):
            errors.append(
                f"Đơn vị {score.unit}, tiêu chí {criterion.code}: điểm {label} {_fmt(value)} "
                f"phải từ 0 đến {_fmt(criterion.max)} (điểm tối đa của tiêu chí)."
            )
    return errors


def check_scores(criteria: Sequence[Criterion], scores: Sequence[Score]) -> None:
    """Raise :class:`RuleError` listing every score that cannot stand.

    Problems: a duplicate criterion code or a negative max; a score for an unknown
    criterion; a unit scored twice on one criterion; a self or bloc score below 0 or
    above the criterion's max.
    """
    errors = _criteria_errors(criteria)
    by_code = {c.code: c for c in criteria}
    seen: set[tuple[str, str]] = set()
    for s in scores:
        criterion = by_code.get(s.criterion)
        if criterion is None:
            errors.append(f"Đơn vị {s.unit}: tiêu chí {s.criterion} không có trong bảng điểm.")
            continue
        if (s.unit, s.criterion) in seen:
            errors.append(f"Đơn vị {s.unit} được chấm hai lần tiêu chí {s.criterion}; "
                          "hãy giữ một dòng điểm.")
        seen.add((s.unit, s.criterion))
        errors += _score_range_errors(s, criterion)
    if errors:
        raise RuleError(errors)


#: Adjustment kinds and the running sum each one adds to.
ADJUSTMENT_KINDS: dict[str, str] = {"bonus": "cộng", "penalty": "trừ"}


def _adjustment_errors(units: Mapping[str, str], adjustments: Sequence[Adjustment]) -> list[str]:
    errors = []
    for a in adjustments:
        if a.unit not in units:
            errors.append(f"Điểm {ADJUSTMENT_KINDS.get(a.kind, a.kind)} “{a.reason}”: "
                          f"đơn vị {a.unit} không có trong danh sách đơn vị.")
        if a.kind not in ADJUSTMENT_KINDS:
            errors.append(f"Đơn vị {a.unit}: loại điểm “{a.kind}” không có; "
                          "hãy chọn bonus (điểm cộng) hoặc penalty (điểm trừ).")
        if exact(a.points) < 0:
            errors.append(f"Đơn vị {a.unit}: điểm {ADJUSTMENT_KINDS.get(a.kind, a.kind)} "
                          f"“{a.reason}” là {_fmt(a.points)} — hãy ghi số dương, "
                          "loại điểm đã cho biết cộng hay trừ.")
    return errors


def _link_errors(criteria: Sequence[Criterion], link: FestivalLink | None) -> list[str]:
    if link is None:
        return []
    errors = []
    if link.criterion not in {c.code for c in criteria}:
        errors.append(f"Tiêu chí liên kết hội thao {link.criterion} không có trong bảng điểm.")
    if exact(link.participation_points) < 0:
        errors.append(f"Điểm tham gia hội thao {_fmt(link.participation_points)} không được âm.")
    if link.min_events < 0:
        errors.append(f"Số nội dung tối thiểu {link.min_events} không được âm.")
    try:
        errors += [f"Điểm thưởng cho hạng {r} toàn đoàn là {_fmt(p)} — không được âm."
                   for r, p in _rank_bonus(link).items() if p < 0]
    except ValueError:
        errors.append("Điểm thưởng theo hạng toàn đoàn phải ghi theo số thứ hạng (1, 2, 3 ...).")
    return errors


def _table_errors(units: Mapping[str, str], scores: Sequence[Score],
                  bonus_cap: Number | None, votes: Sequence[str]) -> list[str]:
    errors = [f"Tiêu chí {s.criterion}: đơn vị {s.unit} không có trong danh sách đơn vị."
              for s in scores if s.unit not in units]
    if bonus_cap is not None and exact(bonus_cap) < 0:
        errors.append(f"Mức trần điểm cộng {_fmt(bonus_cap)} không được âm.")
    errors += [f"Kết quả biểu quyết: đơn vị {u} không có trong danh sách đơn vị."
               for u in votes if u not in units]
    if len(set(votes)) != len(votes):
        errors.append("Kết quả biểu quyết ghi một đơn vị nhiều lần; mỗi đơn vị chỉ có một vị trí.")
    return errors


# --------------------------------------------------------------------------- table


@dataclass
class _Sheet:
    """One unit's working sums."""

    criteria: dict[str, Fraction]
    self_criteria: dict[str, Fraction]
    bonus: Fraction = Fraction(0)
    penalty: Fraction = Fraction(0)


def _counted(score: Score | None) -> tuple[Fraction, Fraction]:
    """(counted score, self view) of one criterion: bloc, else self, else 0."""
    if score is None:
        return Fraction(0), Fraction(0)
    if score.bloc_score is not None:
        counted = exact(score.bloc_score)
    elif score.self_score is not None:
        counted = exact(score.self_score)
    else:
        counted = Fraction(0)
    own = exact(score.self_score) if score.self_score is not None else counted
    return counted, own


def _sheet(unit: str, criteria: Sequence[Criterion], scores: Mapping[tuple[str, str], Score]) -> _Sheet:
    sheet = _Sheet(criteria={}, self_criteria={})
    for c in criteria:
        counted, own = _counted(scores.get((unit, c.code)))
        sheet.criteria[c.code], sheet.self_criteria[c.code] = counted, own
    return sheet


def festival_facts(link: FestivalLink | None, events_entered: Mapping[str, int],
                   festival_rank: Mapping[str, int]) -> tuple:
    """What :func:`emulation_table` reads of the festival through ``link``: the units that
    entered at least ``min_events`` events, and the units at a rank that ``rank_bonus``
    names. Two festival states with the same facts give the same table (a cache key)."""
    if link is None:
        return ()
    bonus_ranks = _rank_bonus(link)
    return (frozenset(u for u, n in events_entered.items() if n >= link.min_events),
            tuple(sorted((u, r) for u, r in festival_rank.items() if r in bonus_ranks)))


def _apply_link(sheet: _Sheet, unit: str, criteria: Sequence[Criterion], link: FestivalLink,
                events_entered: Mapping[str, int], festival_rank: Mapping[str, int]) -> None:
    cap = exact(next(c.max for c in criteria if c.code == link.criterion))
    entered = events_entered.get(unit, 0) >= link.min_events
    linked = min(exact(link.participation_points), cap) if entered else Fraction(0)
    sheet.criteria[link.criterion] = sheet.self_criteria[link.criterion] = linked
    rank = festival_rank.get(unit)
    if rank is not None:
        sheet.bonus += _rank_bonus(link).get(rank, Fraction(0))


_ADD: dict[str, Callable[[_Sheet, Fraction], None]] = {
    "bonus": lambda sheet, points: setattr(sheet, "bonus", sheet.bonus + points),
    "penalty": lambda sheet, points: setattr(sheet, "penalty", sheet.penalty + points),
}


def _sheets(units: Mapping[str, str], criteria: Sequence[Criterion], scores: Sequence[Score],
            adjustments: Sequence[Adjustment], link: FestivalLink | None,
            events_entered: Mapping[str, int], festival_rank: Mapping[str, int]) -> dict[str, _Sheet]:
    by_key = {(s.unit, s.criterion): s for s in scores}
    sheets = {u: _sheet(u, criteria, by_key) for u in units}
    for unit, sheet in sheets.items():
        if link is not None:
            _apply_link(sheet, unit, criteria, link, events_entered, festival_rank)
    for a in adjustments:
        _ADD[a.kind](sheets[a.unit], exact(a.points))
    return sheets


def _row(rank: int, unit: str, sheet: _Sheet, bonus_cap: Number | None) -> EmulationRow:
    bonus = sheet.bonus if bonus_cap is None else min(sheet.bonus, exact(bonus_cap))
    scored = sum(sheet.criteria.values(), Fraction(0))
    own = sum(sheet.self_criteria.values(), Fraction(0))
    return EmulationRow(rank=rank, unit=unit, total=scored + bonus - sheet.penalty,
                        criteria=dict(sheet.criteria), bonus=bonus, penalty=sheet.penalty,
                        self_total=own, difference=scored - own)


def _rank(rows: list[EmulationRow], names: Mapping[str, str], votes: Sequence[str]) -> list[EmulationRow]:
    from .text import collation_key

    vote_place = {u: i for i, u in enumerate(votes)}
    # Higher is better in every part: a vote earlier in the list beats a later one,
    # and any recorded vote beats none.
    def key(row: EmulationRow) -> tuple:
        return (row.total, row.bonus, -vote_place.get(row.unit, len(votes)))

    rows = sorted(rows, key=lambda r: (collation_key(names[r.unit]), r.unit))
    rows.sort(key=key, reverse=True)
    ranked: list[EmulationRow] = []
    for position, row in enumerate(rows, start=1):
        shared = ranked and key(ranked[-1]) == key(row)
        ranked.append(replace(row, rank=ranked[-1].rank if shared else position))
    return ranked


def emulation_table(units: Mapping[str, str], criteria: Sequence[Criterion], scores: Sequence[Score],
                    adjustments: Sequence[Adjustment] = (), bonus_cap: Fraction | int | None = None,
                    link: FestivalLink | None = None, events_entered: Mapping[str, int] = {},
                    festival_rank: Mapping[str, int] = {}, votes: Sequence[str] = ()) -> list[EmulationRow]:
    """The bloc's ranked score table, best unit first.

    ``units`` maps unit code → name. A criterion scores the bloc score, else the self
    score, else 0; the linked criterion (``link``) scores the participation points instead
    (see :class:`FestivalLink`), with ``events_entered`` (unit → number of festival events
    entered) and ``festival_rank`` (unit → rank in the festival medal table). Total =
    criteria + min(bonus, ``bonus_cap``) − penalties (no cap when ``None``). Order: total,
    then the counted bonus, then position in ``votes`` (unit codes, first = preferred;
    units not in it come after those in it); units still equal share the rank (1, 2, 2, 4)
    and are listed in Vietnamese alphabetical order of their names. Raises
    :class:`RuleError` listing every problem in the input.
    """
    errors: list[str] = []
    try:
        check_scores(criteria, scores)
    except RuleError as err:
        errors += err.messages
    errors += _adjustment_errors(units, adjustments) + _link_errors(criteria, link)
    errors += _table_errors(units, scores, bonus_cap, votes)
    if errors:
        raise RuleError(errors)
    sheets = _sheets(units, criteria, scores, adjustments, link, events_entered, festival_rank)
    rows = [_row(0, unit, sheet, bonus_cap) for unit, sheet in sheets.items()]
    return _rank(rows, units, votes)


def proposals(rows: Sequence[EmulationRow],
              titles: Sequence[str] = ("Cờ thi đua", "Bằng khen"),
              tiers: Sequence[int] | None = None) -> dict[str, str]:
    """Unit code → the title the bloc proposes it for.

    ``tiers[k]`` is how many table positions ``titles[k]`` covers, taken in order (default
    one each): with titles (Cờ thi đua, Bằng khen) and tiers (1, 2) rank 1 is proposed for
    the Cờ, ranks 2–3 for a Bằng khen; ranks beyond the last span get nothing. Units
    sharing a rank (equal total and bonus, and no vote separating them) are all proposed
    for the title whose span holds that rank and use up the positions after it, exactly as
    shared medal-table ranks do: ranks 1, 1, 3 with two single titles give both first
    units the first title and nobody the second. Where only one unit may receive a title,
    the bloc records a vote and ranks again.
    """
    spans = [1] * len(titles) if tiers is None else list(tiers)
    if len(spans) != len(titles) or any(n < 1 for n in spans):
        raise RuleError(f"Mỗi danh hiệu đề nghị cần một số vị trí từ 1 trở lên; có {len(titles)} "
                        f"danh hiệu nhưng số vị trí là {tuple(spans)}.")
    title_at: dict[int, str] = {}
    position = 0
    for title, span in zip(titles, spans):
        for _ in range(span):
            position += 1
            title_at[position] = title
    return {row.unit: title_at[row.rank] for row in rows if row.rank in title_at}

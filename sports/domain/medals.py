"""Medals, the medal table (xếp hạng toàn đoàn) and overall prizes (RULES.md §4).

What this module does:

- turns an event's final placings into medals (1st gold, 2nd silver, 3rd bronze) and
  checks that a list of placings can be a real result (:func:`check_placings`);
- converts round-robin standings ranks into placings (:func:`placings_from_ranks`);
- builds the festival medal table in one of the registered ranking modes
  (:data:`RANKING_MODES`: ``olympic``, the IOC convention and default, or ``points``);
- hands out the overall prizes (Giải toàn đoàn Nhất/Nhì/Ba) from a finished table;
- names medals in the festival's label style ("Huy chương Vàng" or "Giải Nhất").

What it does not know: how an event was played (knockout, groups, third-place play-off
— callers pass the final placings), who the players of an entry are, or how an entry
made of players of several units (đội ghép) is credited: each entry arrives already
mapped to exactly one unit. Entries are opaque string keys; units are codes with a
display name used only to order equal units alphabetically.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping, Sequence

from .types import RuleError

MEDALS: tuple[str, ...] = ("gold", "silver", "bronze")

#: Places 1 and 2 are unique in match sports (one final); sharing starts at 3rd
#: (đồng hạng Ba) and continues for lower places (quarter-final losers share 5th).
FIRST_SHAREABLE_PLACE = 3

MEDAL_LABELS: dict[str, tuple[str, str, str]] = {
    "medals": ("Huy chương Vàng", "Huy chương Bạc", "Huy chương Đồng"),
    "prizes": ("Giải Nhất", "Giải Nhì", "Giải Ba"),
}

Number = Fraction | int

_WHO = "VĐV/đôi/đội"


@dataclass(frozen=True)
class Placing:
    """An entry's final place in one event (1 = winner)."""

    place: int
    entry: str


# --------------------------------------------------------------------------- placings


def medal_for_place(place: int) -> str | None:
    """``gold``/``silver``/``bronze`` for places 1/2/3, ``None`` for any other place."""
    if 1 <= place <= len(MEDALS):
        return MEDALS[place - 1]
    return None


def medal_label(medal: str, style: str = "medals") -> str:
    """The Vietnamese label of ``medal`` in the festival's label ``style``."""
    if style not in MEDAL_LABELS:
        known = ", ".join(MEDAL_LABELS)
        raise RuleError(f"Kiểu tên giải “{style}” không có; hãy chọn một trong: {known}.")
    if medal not in MEDALS:
        raise RuleError(f"“{medal}” không phải là huy chương (gold, silver hoặc bronze).")
    return MEDAL_LABELS[style][MEDALS.index(medal)]


def _place_errors(placings: Sequence[Placing]) -> list[str]:
    errors = [
        f"{_WHO} {p.entry}: hạng {p.place} không hợp lệ — thứ hạng phải từ 1 trở lên."
        for p in placings
        if p.place < 1
    ]
    places_of: dict[str, list[int]] = {}
    for p in placings:
        places_of.setdefault(p.entry, []).append(p.place)
    for entry, places in places_of.items():
        if len(places) > 1:
            listed = ", ".join(str(x) for x in places)
            errors.append(
                f"{_WHO} {entry} được xếp {len(places)} thứ hạng ({listed}) — mỗi {_WHO} "
                "chỉ nhận một thứ hạng, một huy chương; hãy xóa các dòng thừa."
            )
    return errors


def _sequence_errors(placings: Sequence[Placing], partial: bool = False) -> list[str]:
    count = Counter(p.place for p in placings if p.place >= 1)
    errors: list[str] = []
    before = 0
    for place in sorted(count):
        expected = before + 1
        if partial and place < expected:
            errors.append(_crowded(place, before))
        elif not partial and place != expected:
            errors.append(
                f"Không thể có hạng {place}: xếp trên có {before} {_WHO} nên hạng tiếp "
                f"theo phải là hạng {expected} (các {_WHO} đồng hạng chiếm luôn các hạng sau)."
            )
        if count[place] > 1 and place < FIRST_SHAREABLE_PLACE:
            entries = ", ".join(p.entry for p in placings if p.place == place)
            errors.append(
                f"Hạng {place} có {count[place]} {_WHO} ({entries}) — chỉ từ hạng "
                f"{FIRST_SHAREABLE_PLACE} trở đi mới được đồng hạng; hãy ghi kết quả trận "
                "quyết định hoặc kết quả bốc thăm."
            )
        before += count[place]
    return errors


def _crowded(place: int, before: int) -> str:
    return (f"Không thể có hạng {place}: đã có {before} {_WHO} xếp trên nên thứ hạng "
            f"tiếp theo phải từ hạng {before + 1} trở đi (các {_WHO} đồng hạng chiếm "
            "luôn các hạng sau).")


def check_placings(placings: Sequence[Placing], partial: bool = False) -> None:
    """Raise :class:`RuleError` unless ``placings`` can be an event's final result.

    A valid result: every place is at least 1; each entry is listed once (one medal per
    entry); places run from 1 without gaps, entries sharing a place using up the places
    after it (two 3rd places → the next is 5th); 1st and 2nd are never shared. A partial
    list (only the medallists) and an empty list are valid.

    With ``partial=True`` the places decided so far of an event still being played (or
    of a knockout without a third place) are accepted too: places may be missing
    (quarter-final losers are 5th before the semi-finals are played; with no third
    place the semi-final losers have none), but a place is never held while more
    entries than it leaves room for are placed above it.
    """
    errors = _place_errors(placings) + _sequence_errors(placings, partial)
    if errors:
        raise RuleError(errors)


def placings_from_ranks(rows: Sequence[tuple[str, int]]) -> list[Placing]:
    """Placings from round-robin standings rows ``(entry, rank)``.

    Entries with the same rank share the place; the place is one more than the number of
    entries ranked strictly better, so dense ranks (1, 2, 2, 3) and competition ranks
    (1, 2, 2, 4) both give places 1, 2, 2, 4. Order: by place, then the rows' order.
    The result is not checked; pass it to :func:`check_placings` before awarding medals.
    """
    ranks = sorted(rank for _, rank in rows)
    placings = [
        Placing(place=1 + sum(1 for r in ranks if r < rank), entry=entry) for entry, rank in rows
    ]
    return sorted(placings, key=lambda p: p.place)


# --------------------------------------------------------------------------- medal table


@dataclass(frozen=True)
class EventResult:
    """One event's final placings and the unit each entry belongs to.

    ``entry_units`` maps every placed entry key to exactly one unit code: a pair or a
    team is one entry and wins one medal for its unit. ``team`` marks a team event
    (points mode may multiply its points).
    """

    code: str
    placings: tuple[Placing, ...]
    entry_units: Mapping[str, str]
    team: bool = False


@dataclass(frozen=True)
class MedalRow:
    """One line of the medal table; ``points`` is ``None`` outside points mode."""

    rank: int
    unit: str
    gold: int
    silver: int
    bronze: int
    total: int
    points: Fraction | int | None


@dataclass
class _Tally:
    gold: int = 0
    silver: int = 0
    bronze: int = 0
    points: Fraction = field(default_factory=Fraction)

    def add_medal(self, medal: str | None) -> None:
        if medal is not None:
            setattr(self, medal, getattr(self, medal) + 1)

    @property
    def medals(self) -> tuple[int, int, int]:
        return (self.gold, self.silver, self.bronze)


@dataclass(frozen=True)
class _PointsRule:
    """Everything points mode needs to score one placing."""

    points: tuple[int, ...]
    team_multiplier: Fraction
    share: Callable[[tuple[int, ...], int, int], Fraction]

    def at(self, position: int) -> int:
        return self.points[position - 1] if position <= len(self.points) else 0

    def score(self, place: int, sharing: int, team: bool) -> Fraction:
        base = self.share(self.points, place, sharing)
        return base * self.team_multiplier if team else base


def _full_share(points: tuple[int, ...], place: int, sharing: int) -> Fraction:
    return Fraction(points[place - 1]) if place <= len(points) else Fraction(0)


def _average_share(points: tuple[int, ...], place: int, sharing: int) -> Fraction:
    occupied = range(place, place + sharing)
    total = sum(points[p - 1] for p in occupied if p <= len(points))
    return Fraction(total, sharing)


#: How entries sharing a place score in points mode.
SHARED_POINTS: dict[str, Callable[[tuple[int, ...], int, int], Fraction]] = {
    "full": _full_share,        # each gets the place's full points (default)
    "average": _average_share,  # each gets the average of the places they occupy
}


@dataclass(frozen=True)
class RankingMode:
    """A medal-table ordering: ``key`` sorts higher-is-better; ``uses_points`` says
    whether the mode needs a points list and shows points."""

    key: Callable[[_Tally], tuple]
    uses_points: bool


RANKING_MODES: dict[str, RankingMode] = {
    # IOC convention: golds, then silvers, then bronzes.
    "olympic": RankingMode(key=lambda t: t.medals, uses_points=False),
    # Points per place, then golds, silvers, bronzes.
    "points": RankingMode(key=lambda t: (t.points, *t.medals), uses_points=True),
}


def _exact(value: Number) -> Fraction | int:
    """An integral Fraction as int (JSON-friendly), any other value unchanged."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value


def _check_settings(mode: str, points: Sequence[int], team_multiplier: Number,
                    shared_points: str) -> RankingMode:
    errors: list[str] = []
    ranking = RANKING_MODES.get(mode)
    if ranking is None:
        errors.append(f"Cách xếp hạng toàn đoàn “{mode}” không có; hãy chọn: "
                      + ", ".join(RANKING_MODES) + ".")
    elif ranking.uses_points and not points:
        errors.append("Xếp hạng theo điểm cần bảng điểm cho từng hạng (ví dụ 7, 5, 4, 3, 2, 1).")
    errors += [f"Điểm của hạng {i} là {p} — điểm không được âm."
               for i, p in enumerate(points, start=1) if p < 0]
    if team_multiplier < 0:
        errors.append(f"Hệ số nội dung đồng đội là {team_multiplier} — hệ số không được âm.")
    if shared_points not in SHARED_POINTS:
        errors.append(f"Cách tính điểm đồng hạng “{shared_points}” không có; hãy chọn: "
                      + ", ".join(SHARED_POINTS) + ".")
    if errors:
        raise RuleError(errors)
    assert ranking is not None
    return ranking


def _event_errors(units: Mapping[str, str], event: EventResult) -> list[str]:
    try:
        # Knockouts in progress and events without a third place leave gaps
        # (1, 2, 5, 5, ...); the places known so far already count.
        check_placings(event.placings, partial=True)
    except RuleError as err:
        return [f"Nội dung {event.code}: {m}" for m in err.messages]
    errors = []
    for p in event.placings:
        unit = event.entry_units.get(p.entry)
        if unit is None:
            errors.append(f"Nội dung {event.code}: {_WHO} {p.entry} chưa gắn với đơn vị nào.")
        elif unit not in units:
            errors.append(f"Nội dung {event.code}: đơn vị {unit} của {_WHO} {p.entry} "
                          "không có trong danh sách đơn vị.")
    return errors


def _tally(units: Mapping[str, str], events: Sequence[EventResult],
           rule: _PointsRule | None) -> dict[str, _Tally]:
    tallies = {code: _Tally() for code in units}
    for event in events:
        sharing = Counter(p.place for p in event.placings)
        for p in event.placings:
            tally = tallies[event.entry_units[p.entry]]
            tally.add_medal(medal_for_place(p.place))
            if rule is not None:
                tally.points += rule.score(p.place, sharing[p.place], event.team)
    return tallies


def _ranked(keys: Mapping[str, tuple], names: Mapping[str, str]) -> list[tuple[int, str]]:
    """(rank, code) sorted best first; equal keys share a rank and sort alphabetically."""
    from .text import collation_key

    order = sorted(keys, key=lambda c: (collation_key(names[c]), c))
    order.sort(key=lambda c: keys[c], reverse=True)
    ranked: list[tuple[int, str]] = []
    for position, code in enumerate(order, start=1):
        shared = ranked and keys[ranked[-1][1]] == keys[code]
        ranked.append((ranked[-1][0] if shared else position, code))
    return ranked


def medal_table(units: Mapping[str, str], events: Sequence[EventResult], mode: str = "olympic",
                points: Sequence[int] = (), team_multiplier: int | Fraction = 1,
                shared_points: str = "full", include_empty: bool = True) -> list[MedalRow]:
    """The festival medal table, best unit first.

    ``units`` maps unit code → display name. ``mode`` is a key of :data:`RANKING_MODES`.
    In points mode ``points[i]`` is the score of place i+1 (0 beyond the list), multiplied
    by ``team_multiplier`` in team events; ``shared_points`` (a key of
    :data:`SHARED_POINTS`) decides what entries sharing a place get. Units equal on the
    mode's key share the rank (1, 2, 2, 4) and are listed in Vietnamese alphabetical
    order of their names, then by code. Units with neither medals nor points come last
    (sharing a rank) or, with ``include_empty=False``, are left out. Points are exact:
    an int when whole, else a Fraction. Raises :class:`RuleError` listing every problem.
    """
    ranking = _check_settings(mode, points, team_multiplier, shared_points)
    errors = [m for event in events for m in _event_errors(units, event)]
    if errors:
        raise RuleError(errors)
    rule = None
    if ranking.uses_points:
        rule = _PointsRule(tuple(points), Fraction(team_multiplier), SHARED_POINTS[shared_points])
    tallies = _tally(units, events, rule)
    if not include_empty:
        tallies = {c: t for c, t in tallies.items() if any(t.medals) or t.points}
    keys = {code: ranking.key(t) for code, t in tallies.items()}
    return [_row(rank, code, tallies[code], ranking.uses_points) for rank, code in _ranked(keys, units)]


def _row(rank: int, unit: str, tally: _Tally, with_points: bool) -> MedalRow:
    return MedalRow(rank=rank, unit=unit, gold=tally.gold, silver=tally.silver,
                    bronze=tally.bronze, total=sum(tally.medals),
                    points=_exact(tally.points) if with_points else None)


# --------------------------------------------------------------------------- prizes


def overall_prizes(rows: Sequence[MedalRow], tiers: Sequence[int] = (1, 1, 1)) -> dict[str, int]:
    """Unit code → overall prize (1 = Giải Nhất, 2 = Giải Nhì, 3 = Giải Ba).

    ``tiers[k-1]`` is how many table positions prize k covers, taken in order: with
    ``(1, 2, 3)`` position 1 gets Nhất, positions 2–3 Nhì, positions 4–6 Ba. A unit gets
    the prize whose span contains its rank, i.e. the first position of its tie group, so
    units sharing a rank share the prize and use up the positions after it: with the
    default ``(1, 1, 1)`` and ranks 1, 2, 2, 4 the first unit gets Nhất, both 2nd Nhì and
    nobody Ba; ranks 1, 1, 3 give two Nhất, no Nhì and one Ba. Units without a medal never
    get a prize, except in points mode, where a unit placed 4th or lower earns points
    and is ranked by them like everyone else. ``rows`` are a :func:`medal_table` result.
    """
    if not 1 <= len(tiers) <= len(MEDAL_LABELS["prizes"]) or any(t < 1 for t in tiers):
        raise RuleError("Cơ cấu giải toàn đoàn phải có từ 1 đến 3 mức (Nhất, Nhì, Ba), "
                        f"mỗi mức ít nhất 1 đơn vị; đang là {tuple(tiers)}.")
    prizes: dict[str, int] = {}
    last = 0
    for prize, size in enumerate(tiers, start=1):
        first, last = last + 1, last + size
        prizes.update({row.unit: prize for row in rows
                       if first <= row.rank <= last and _has_result(row)})
    return prizes


def _has_result(row: MedalRow) -> bool:
    """Whether the unit won anything the table ranks: a medal, or points in points mode."""
    return row.total > 0 or (row.points is not None and row.points > 0)

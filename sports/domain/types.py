"""Plain value types shared by the rule modules.

Entries are identified by opaque string keys (the festival file's ``ref`` or a
database id turned into a string); the domain never looks inside them.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Sport(str, Enum):
    VOLLEYBALL = "volleyball"
    TABLE_TENNIS = "table_tennis"
    BADMINTON = "badminton"


class Outcome(str, Enum):
    NORMAL = "normal"
    WALKOVER = "walkover"
    RETIRED = "retired"
    DISQUALIFIED = "disqualified"
    DOUBLE_WALKOVER = "double_walkover"


class RuleError(ValueError):
    """A rule violation the user can fix.

    ``messages`` are complete Vietnamese sentences safe to show to a referee or
    organiser, e.g. "Ván 2: 21-20 chưa kết thúc — cầu lông phải thắng cách 2 điểm".
    """

    def __init__(self, messages: list[str] | str):
        if isinstance(messages, str):
            messages = [messages]
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class MatchFormat:
    """How one match is played: best of ``best_of`` sets to ``points``.

    ``deciding_points`` is the target of the last possible set (volleyball 15),
    ``cap`` the score at which a set ends on golden point (badminton 30).
    """

    best_of: int
    points: int
    deciding_points: int | None = None
    cap: int | None = None

    @property
    def sets_to_win(self) -> int:
        return self.best_of // 2 + 1

    def target(self, set_index: int) -> int:
        """Target of the set at 0-based ``set_index``."""
        if self.deciding_points is not None and set_index == self.best_of - 1:
            return self.deciding_points
        return self.points

    def cap_for(self, set_index: int) -> int | None:
        # A cap scales with a shorter deciding set only when one is configured;
        # the festival formats in RULES.md never combine the two.
        return self.cap


@dataclass(frozen=True)
class MatchResult:
    """A decided match between two entries, as the ranking rules see it.

    ``sets`` are (home, away) pairs, already validated and normalised (e.g. a
    volleyball walkover carries its 0-25 sets). ``winner`` is an entry key, or
    ``None`` for a double walkover.
    """

    home: str
    away: str
    sets: tuple[tuple[int, int], ...] = ()
    outcome: Outcome = Outcome.NORMAL
    winner: str | None = None

    @property
    def loser(self) -> str | None:
        if self.winner is None:
            return None
        return self.away if self.winner == self.home else self.home

    def involves(self, entry: str) -> bool:
        return entry in (self.home, self.away)


@dataclass(frozen=True)
class DrawEntry:
    """An entry as a draw sees it: its key, its unit and its seed (1 = top)."""

    key: str
    unit: str | None = None
    seed: int | None = None

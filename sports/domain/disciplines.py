"""Sports and disciplines: their Vietnamese names and who may make up an entry.

Knows nothing of storage; ``entry_problems`` checks an entry given its players' genders.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

SPORTS: dict[str, str] = {
    "volleyball": "Bóng chuyền",
    "table_tennis": "Bóng bàn",
    "badminton": "Cầu lông",
}


@dataclass(frozen=True)
class Discipline:
    code: str
    label: str
    size_min: int
    size_max: int | None
    genders: tuple[str, ...]  # required genders for fixed-size entries, or one gender for all
    team: bool = False

    def problems(self, genders: list[str]) -> list[str]:
        """Vietnamese reasons why players of these genders cannot form an entry."""
        out = []
        n = len(genders)
        if n < self.size_min or (self.size_max is not None and n > self.size_max):
            if self.size_min == self.size_max:
                out.append(f"{self.label} cần đúng {self.size_min} vận động viên (có {n}).")
            else:
                upper = f"–{self.size_max}" if self.size_max else " trở lên"
                out.append(f"{self.label} cần {self.size_min}{upper} vận động viên (có {n}).")
        if self.team or len(set(self.genders)) == 1:
            wrong = [g for g in genders if g not in self.genders]
            if wrong:
                out.append(f"{self.label} chỉ dành cho {GENDER_WORDS[self.genders[0]]}.")
        elif n == len(self.genders) and Counter(genders) != Counter(self.genders):
            out.append(f"{self.label} gồm một vận động viên nam và một vận động viên nữ.")
        return out


GENDER_WORDS = {"M": "nam", "F": "nữ"}

DISCIPLINES: dict[str, Discipline] = {
    d.code: d
    for d in (
        # A team's roster size is an event setting (Event.roster_min/roster_max), not the discipline's.
        Discipline("men_team", "Đồng đội nam", 1, None, ("M",), team=True),
        Discipline("women_team", "Đồng đội nữ", 1, None, ("F",), team=True),
        Discipline("men_singles", "Đơn nam", 1, 1, ("M",)),
        Discipline("women_singles", "Đơn nữ", 1, 1, ("F",)),
        Discipline("men_doubles", "Đôi nam", 2, 2, ("M", "M")),
        Discipline("women_doubles", "Đôi nữ", 2, 2, ("F", "F")),
        Discipline("mixed_doubles", "Đôi nam nữ", 2, 2, ("M", "F")),
    )
}

TEAM_LABELS = {"men_team": "Đội bóng chuyền nam", "women_team": "Đội bóng chuyền nữ"}


def event_label(sport: str, discipline: str) -> str:
    """'Bóng chuyền nam', 'Cầu lông – Đơn nam' …"""
    sport_label = SPORTS.get(sport, sport)
    d = DISCIPLINES.get(discipline)
    if d is None:
        return sport_label
    if d.team:
        return f"{sport_label} {GENDER_WORDS[d.genders[0]]}"
    return f"{sport_label} – {d.label}"

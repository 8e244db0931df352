"""The structure of a festival file ("format": "hoithao/1"), as pydantic models.

Only shape and simple value checks live here; references between parts and the
competition rules are checked by :mod:`sports.importers.festival_file`.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sports.domain.text import nfc

FORMAT = "hoithao/1"

Sport = Literal["volleyball", "table_tennis", "badminton"]
DisciplineCode = Literal["men_team", "women_team", "men_singles", "women_singles", "men_doubles",
                         "women_doubles", "mixed_doubles"]
OutcomeCode = Literal["normal", "walkover", "retired", "disqualified", "double_walkover"]
Ref = str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _text(value: str) -> str:
    return nfc(value)


class MedalRanking(Strict):
    mode: Literal["olympic", "points"] = "olympic"
    points: list[int] = Field(default_factory=list)
    team_multiplier: int = Field(default=1, ge=1)
    shared_points: Literal["full", "average"] = "full"


class FestivalIn(Strict):
    slug: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    name: str = Field(min_length=1, max_length=300)
    organiser: str = ""
    place: str = ""
    start_date: date | None = None
    end_date: date | None = None
    medal_ranking: MedalRanking = Field(default_factory=MedalRanking)
    medal_labels: Literal["medals", "prizes"] = "medals"
    overall_tiers: list[int] = Field(default_factory=lambda: [1, 1, 1])

    _nfc = field_validator("name", "organiser", "place")(_text)


class UnitIn(Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    short_name: str = ""

    _nfc = field_validator("name", "short_name")(_text)


class AthleteIn(Strict):
    ref: Ref = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    gender: Literal["M", "F"]
    unit: str
    birth_year: int | None = Field(default=None, ge=1900, le=2100)

    _nfc = field_validator("name")(_text)


class FormatIn(Strict):
    best_of: int | None = None
    points: int | None = None
    deciding_points: int | None = None
    cap: int | None = None


class RankingIn(BaseModel):
    # Options differ per preset: the domain validates them (unknown keys included).
    model_config = ConfigDict(extra="allow")
    preset: Literal["fivb", "ittf", "bwf"] | None = None


class EntryIn(Strict):
    ref: Ref = Field(min_length=1, max_length=40)
    unit: str
    athletes: list[Ref] = Field(default_factory=list)
    name: str = ""
    seed: int | None = Field(default=None, ge=1)
    withdrawn: bool = False

    _nfc = field_validator("name")(_text)


class MatchIn(Strict):
    home: Ref
    away: Ref
    sets: list[tuple[int, int]] = Field(default_factory=list)
    outcome: OutcomeCode = "normal"
    winner: Ref | None = None


class GroupIn(Strict):
    name: str = Field(min_length=1, max_length=20)
    entries: list[Ref]
    lots: list[Ref] = Field(default_factory=list)


class StageIn(Strict):
    type: Literal["round_robin", "knockout"]
    groups: list[GroupIn] = Field(default_factory=list)
    draw: list[Ref | None] = Field(default_factory=list)
    matches: list[MatchIn] = Field(default_factory=list)


class PlacingIn(Strict):
    place: int = Field(ge=1)
    entry: Ref


class EventIn(Strict):
    code: str = Field(min_length=1, max_length=40)
    sport: Sport
    discipline: DisciplineCode
    name: str = Field(default="", max_length=200)  # "" → the discipline's label, e.g. "Bóng bàn – Đơn nam"
    format: FormatIn | None = None
    ranking: RankingIn | None = None
    third_place: Literal["shared", "playoff", "none"] = "shared"
    entries: list[EntryIn] = Field(default_factory=list)
    stages: list[StageIn] = Field(default_factory=list)
    placings: list[PlacingIn] | None = None

    _nfc = field_validator("name")(_text)


class CriterionIn(Strict):
    code: str = Field(min_length=1, max_length=40)
    group: str = ""
    name: str = Field(min_length=1)
    max: float = Field(ge=0)


class ScoreIn(Strict):
    unit: str
    criterion: str
    self: float | None = None
    bloc: float | None = None


class AdjustmentIn(Strict):
    unit: str
    kind: Literal["bonus", "penalty"]
    points: float = Field(ge=0)
    reason: str = ""


class FestivalLinkIn(Strict):
    criterion: str
    participation_points: float = Field(ge=0)
    min_events: int = Field(default=1, ge=0)
    rank_bonus: dict[str, float] = Field(default_factory=dict)


class EmulationIn(Strict):
    name: str = ""
    year: int | None = None
    period: str = ""
    criteria: list[CriterionIn] = Field(default_factory=list)
    scores: list[ScoreIn] = Field(default_factory=list)
    adjustments: list[AdjustmentIn] = Field(default_factory=list)
    bonus_cap: float | None = Field(default=None, ge=0)
    festival_link: FestivalLinkIn | None = None
    votes: list[str] = Field(default_factory=list)


class FestivalFile(Strict):
    format: Literal["hoithao/1"]
    festival: FestivalIn
    units: list[UnitIn] = Field(default_factory=list)
    athletes: list[AthleteIn] = Field(default_factory=list)
    events: list[EventIn] = Field(default_factory=list)
    emulation: EmulationIn | None = None

"""The structure of a festival file ("format": "hoithao/1"), as pydantic models.

Only shape and simple value checks live here; references between parts and the
competition rules are checked by :mod:`sports.importers.festival_file`.
:func:`error_message` turns pydantic's (English) errors into the Vietnamese
sentences an organiser reads.
"""
from __future__ import annotations

import difflib
import json
import re
import types
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from sports.domain.text import nfc
from sports.importers.safe_json import MAX_INT

FORMAT = "hoithao/1"
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"

Sport = Literal["volleyball", "table_tennis", "badminton"]
DisciplineCode = Literal["men_team", "women_team", "men_singles", "women_singles", "men_doubles",
                         "women_doubles", "mixed_doubles"]
OutcomeCode = Literal["normal", "walkover", "retired", "disqualified", "double_walkover"]
# Text fits its column (the lengths of sports/models); numbers fit theirs.
Ref = Annotated[str, Field(max_length=40)]
Code = Annotated[str, Field(max_length=40)]
SCORE_MAX = 999999.99  # emulation scores are Numeric(8, 2)


def _not_bool(kind: str):
    """true/false is not a number (pydantic would read it as 1/0): the error of a wrong type."""
    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "a boolean is not a number")
        return value
    return BeforeValidator(check)


NotBool = _not_bool("int_type")
Points = Annotated[float, _not_bool("float_type"), Field(ge=0, le=SCORE_MAX)]
Count = Annotated[int, NotBool, Field(ge=0, le=MAX_INT)]
Int = Annotated[int, NotBool, Field(ge=-MAX_INT, le=MAX_INT)]  # the domain says what is sensible
SetScore = Annotated[int, NotBool]  # the sport's limits are the domain's (scoring.py)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _text(value: str) -> str:
    return nfc(value)


class MedalRanking(Strict):
    mode: Literal["olympic", "points"] = "olympic"
    points: list[Int] = Field(default_factory=list, max_length=1000)
    team_multiplier: Annotated[int, NotBool] = Field(default=1, ge=1, le=1000)
    shared_points: Literal["full", "average"] = "full"


class FestivalIn(Strict):
    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    organiser: str = Field(default="", max_length=300)
    place: str = Field(default="", max_length=120)
    start_date: date | None = None
    end_date: date | None = None
    medal_ranking: MedalRanking = Field(default_factory=MedalRanking)
    medal_labels: Literal["medals", "prizes"] = "medals"
    overall_tiers: list[Int] = Field(default_factory=lambda: [1, 1, 1], max_length=100)

    _nfc = field_validator("name", "organiser", "place")(_text)


class UnitIn(Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    short_name: str = Field(default="", max_length=120)

    _nfc = field_validator("name", "short_name")(_text)


class AthleteIn(Strict):
    ref: Ref = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    gender: Literal["M", "F"]
    unit: Code
    birth_year: Annotated[int, NotBool] | None = Field(default=None, ge=1900, le=2100)

    _nfc = field_validator("name")(_text)


class FormatIn(Strict):
    best_of: Int | None = None
    points: Int | None = None
    deciding_points: Int | None = None
    cap: Int | None = None


class RankingIn(BaseModel):
    # Options differ per preset: the domain validates them (unknown keys included).
    model_config = ConfigDict(extra="allow")
    preset: Literal["fivb", "ittf", "bwf"] | None = None


class EntryIn(Strict):
    ref: Ref = Field(min_length=1, max_length=40)
    unit: Code
    athletes: list[Ref] = Field(default_factory=list)
    name: str = Field(default="", max_length=200)
    seed: Annotated[int, NotBool] | None = Field(default=None, ge=1, le=MAX_INT)
    withdrawn: bool = False

    _nfc = field_validator("name")(_text)


class MatchIn(Strict):
    home: Ref
    away: Ref
    sets: list[tuple[SetScore, SetScore]] = Field(default_factory=list)
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
    place: Annotated[int, NotBool] = Field(ge=1, le=MAX_INT)
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
    group: str = Field(default="", max_length=300)
    name: str = Field(min_length=1, max_length=500)
    max: Points


class ScoreIn(Strict):
    unit: Code
    criterion: Code
    self: Points | None = None
    bloc: Points | None = None


class AdjustmentIn(Strict):
    unit: Code
    kind: Literal["bonus", "penalty"]
    points: Points
    reason: str = Field(default="", max_length=500)


class FestivalLinkIn(Strict):
    criterion: Code
    participation_points: Points
    min_events: Count = 1
    rank_bonus: dict[Annotated[str, Field(max_length=20)], Points] = Field(default_factory=dict)


class EmulationIn(Strict):
    name: str = Field(default="", max_length=300)
    year: Annotated[int, NotBool] | None = Field(default=None, ge=1900, le=2100)
    period: str = Field(default="", max_length=60)
    criteria: list[CriterionIn] = Field(default_factory=list)
    scores: list[ScoreIn] = Field(default_factory=list)
    adjustments: list[AdjustmentIn] = Field(default_factory=list)
    bonus_cap: Points | None = None
    festival_link: FestivalLinkIn | None = None
    votes: list[Code] = Field(default_factory=list)


class FestivalFile(Strict):
    format: Literal["hoithao/1"]
    festival: FestivalIn
    units: list[UnitIn] = Field(default_factory=list)
    athletes: list[AthleteIn] = Field(default_factory=list)
    events: list[EventIn] = Field(default_factory=list)
    emulation: EmulationIn | None = None


# ------------------------------------------------------------------- messages

_PATTERN_HINTS = {
    SLUG_PATTERN: "chỉ dùng chữ cái không dấu, chữ số và các dấu “-”, “_”, “.”, bắt đầu bằng "
                  "chữ cái hoặc chữ số, tối đa 80 ký tự (ví dụ lamdong-2023)",
}
# The details pydantic adds to a date it cannot read (ctx["error"]); others are left out.
_DATE_DETAILS = {
    "month value is outside expected range of 1-12": "tháng phải từ 01 đến 12",
    "day value is outside expected range": "tháng đó không có ngày này",
}
_SHOWN_MAX = 60


def shown(value: Any) -> str:
    """A value as it is written in the file (JSON), cut short when long."""
    if isinstance(value, str) and len(value) > _SHOWN_MAX - 10:
        return json.dumps(value[:_SHOWN_MAX - 13] + "…", ensure_ascii=False)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX - 1] + "…"


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _not(error: dict) -> str:
    """", không phải <the value>" when the error carries the value."""
    return f", không phải {shown(error['input'])}" if "input" in error else ""


def _missing(error: dict, ctx: dict) -> str:
    last = error["loc"][-1] if error["loc"] else None
    if isinstance(last, int):  # a position of a fixed-size list, e.g. the second score of a set
        return f"thiếu phần tử thứ {last + 1} trong {shown(error.get('input'))}"
    return f"thiếu trường bắt buộc “{last}”"


def _extra(error: dict, ctx: dict) -> str:
    name = str(error["loc"][-1]) if error["loc"] else ""
    message = f"trường “{name}” không có trong định dạng {FORMAT}"
    model = _model_at(error["loc"][:-1])
    if model is None:
        return message
    known = list(model.model_fields)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"{message} — có phải ý là “{close[0]}”?"
    return f"{message}; ở đây chỉ dùng: {', '.join(known)}"


def _literal(error: dict, ctx: dict) -> str:
    # ctx["expected"] is pydantic's "'a', 'b' or 'c'": the allowed values, as Python reprs.
    allowed = [part.strip().strip("'\"") for part in re.split(r", | or ", ctx.get("expected", "")) if part]
    choice = f" — chọn một trong: {', '.join(allowed)}" if allowed else ""
    return f"{shown(error.get('input'))} không phải giá trị được chấp nhận{choice}"


def _too_short_text(error: dict, ctx: dict) -> str:
    least = ctx.get("min_length", 1)
    if least == 1:
        return "không được để trống"
    return f"cần ít nhất {least} ký tự, mới có {len(error.get('input') or '')}"


def _too_long_text(error: dict, ctx: dict) -> str:
    return (f"dài {len(error.get('input') or '')} ký tự, tối đa {ctx.get('max_length')} ký tự: "
            f"{shown(error.get('input'))}")


def _pattern(error: dict, ctx: dict) -> str:
    pattern = ctx.get("pattern", "")
    hint = _PATTERN_HINTS.get(pattern, f"phải khớp mẫu {pattern}")
    return f"{shown(error.get('input'))} không đúng dạng — {hint}"


def _date(error: dict, ctx: dict) -> str:
    detail = _DATE_DETAILS.get(str(ctx.get("error", "")))
    return (f"phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ \"2024-11-23\""
            f"{f' ({detail})' if detail else ''}{_not(error)}")


def _items(error: dict, ctx: dict, bound: str, word: str) -> str:
    return f"{shown(error.get('input'))} có {ctx.get('actual_length')} phần tử, {word} {ctx.get(bound)} phần tử"


_MESSAGES = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "literal_error": _literal,
    "string_type": lambda e, c: f"phải là một chuỗi chữ trong dấu ngoặc kép{_not(e)}",
    "string_too_short": _too_short_text,
    "string_too_long": _too_long_text,
    "string_pattern_mismatch": _pattern,
    "int_type": lambda e, c: f"phải là một số nguyên{_not(e)}",
    "int_parsing": lambda e, c: f"phải là một số nguyên{_not(e)}",
    "int_from_float": lambda e, c: f"phải là một số nguyên (không có phần lẻ){_not(e)}",
    "int_parsing_size": lambda e, c: "số quá lớn, không đọc được",
    "float_type": lambda e, c: f"phải là một số{_not(e)}",
    "float_parsing": lambda e, c: f"phải là một số{_not(e)}",
    "finite_number": lambda e, c: f"phải là một số hữu hạn{_not(e)}",
    "bool_type": lambda e, c: f"phải là true hoặc false{_not(e)}",
    "bool_parsing": lambda e, c: f"phải là true hoặc false{_not(e)}",
    "greater_than_equal": lambda e, c: f"phải từ {_number(c.get('ge'))} trở lên{_not(e)}",
    "greater_than": lambda e, c: f"phải lớn hơn {_number(c.get('gt'))}{_not(e)}",
    "less_than_equal": lambda e, c: f"phải từ {_number(c.get('le'))} trở xuống{_not(e)}",
    "less_than": lambda e, c: f"phải nhỏ hơn {_number(c.get('lt'))}{_not(e)}",
    "date_type": _date,
    "date_parsing": _date,
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": _date,
    "list_type": lambda e, c: f"phải là một danh sách trong ngoặc vuông […]{_not(e)}",
    "tuple_type": lambda e, c: f"phải là một danh sách trong ngoặc vuông […]{_not(e)}",
    "too_long": lambda e, c: _items(e, c, "max_length", "tối đa"),
    "too_short": lambda e, c: _items(e, c, "min_length", "cần ít nhất"),
    "dict_type": lambda e, c: f"phải là một đối tượng trong ngoặc nhọn {{…}}{_not(e)}",
    "model_type": lambda e, c: f"phải là một đối tượng trong ngoặc nhọn {{…}}{_not(e)}",
}


def error_message(error: dict) -> str:
    """One error of ``ValidationError.errors()`` as a Vietnamese sentence, without its location.

    Every error type gets a sentence: those not listed in ``_MESSAGES`` a general one that
    still shows the value (pydantic's own English text is never passed on)."""
    handler = _MESSAGES.get(error["type"])
    if handler is not None:
        return handler(error, error.get("ctx") or {})
    if "input" in error:
        return f"giá trị {shown(error['input'])} không hợp lệ ở vị trí này — xem mô tả định dạng {FORMAT}"
    return f"không hợp lệ ở vị trí này — xem mô tả định dạng {FORMAT}"


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _model_at(loc) -> type[BaseModel] | None:
    """The model of the object at ``loc`` in a festival file, when the location names one."""
    current: Any = FestivalFile
    for part in loc:
        current = _without_none(current)
        origin, args = get_origin(current), get_args(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif origin is list and isinstance(part, int) and args:
            current = args[0]
        elif origin is dict and isinstance(part, str) and len(args) == 2:
            current = args[1]
        else:
            return None
    current = _without_none(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None

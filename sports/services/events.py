"""Events of a festival: the standard set in one action, and each event's settings.

The match format is checked by the domain (``scoring.format_for``: the sport's defaults,
badminton short formats with their caps), the ranking options by ``standings.preset_options``.
A format that already has results cannot change: every recorded score was validated against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select

from sports.domain import scoring
from sports.domain.disciplines import DISCIPLINES, SPORTS, event_label
from sports.domain.standings import DEFAULT_PRESET, PRESETS, preset_options
from sports.domain.text import nfc
from sports.domain.types import RuleError
from sports.extensions import db
from sports.models import Entry, Event, Festival, Match
from sports.services import audit
from sports.services.bracket import ensure_rows, sync_knockout
from sports.services.errors import NotFound, Problems
from sports.services.referees import rename_in_scopes

EVENT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
THIRD_PLACE = ("shared", "playoff", "none")

# The standard set of a health-sector festival (RULES.md; the 2023 seed festival).
STANDARD_EVENTS: list[tuple[str, str, str]] = [
    ("BC-NAM", "volleyball", "men_team"),
    ("BC-NU", "volleyball", "women_team"),
    ("BB-DNAM", "table_tennis", "men_singles"),
    ("BB-DNU", "table_tennis", "women_singles"),
    ("BB-DOINAM", "table_tennis", "men_doubles"),
    ("BB-DOINU", "table_tennis", "women_doubles"),
    ("BB-DOINN", "table_tennis", "mixed_doubles"),
    ("CL-DNAM", "badminton", "men_singles"),
    ("CL-DNU", "badminton", "women_singles"),
    ("CL-DOINAM", "badminton", "men_doubles"),
    ("CL-DOINU", "badminton", "women_doubles"),
    ("CL-DOINN", "badminton", "mixed_doubles"),
]
# Volleyball rosters: 6 on court, up to 12 (FIVB 4.1.1); festivals often allow fewer subs.
TEAM_ROSTER = (6, 12)


@dataclass
class EventSettings:
    code: str
    sport: str
    discipline: str
    name: str = ""
    best_of: int | None = None
    points: int | None = None
    deciding_points: int | None = None
    cap: int | None = None
    ranking_preset: str = ""
    ranking_options: dict[str, Any] = field(default_factory=dict)
    third_place: str = "shared"
    max_entries_per_unit: int | None = None
    roster_min: int | None = None
    roster_max: int | None = None
    birth_year_min: int | None = None
    birth_year_max: int | None = None
    combined_allowed: bool = False
    slot_minutes: int | None = None


FORMAT_FIELDS = ("best_of", "points", "deciding_points", "cap")
SNAPSHOT_FIELDS = ("code", "sport", "discipline", "name", *FORMAT_FIELDS, "ranking_preset", "ranking_options",
                   "third_place", "max_entries_per_unit", "roster_min", "roster_max", "birth_year_min",
                   "birth_year_max", "combined_allowed", "slot_minutes")


def age_band(event: Event) -> str:
    """The event's age band in words ("sinh năm 1978 trở về trước"), or "" when it has none."""
    lo, hi = event.birth_year_min, event.birth_year_max
    if lo is not None and hi is not None:
        return f"sinh từ năm {lo} đến năm {hi}"
    if hi is not None:
        return f"sinh năm {hi} trở về trước"
    if lo is not None:
        return f"sinh từ năm {lo} trở về sau"
    return ""


def in_age_band(event: Event, birth_year: int) -> bool:
    return (event.birth_year_min or birth_year) <= birth_year <= (event.birth_year_max or birth_year)


def get_event(festival: Festival, code: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == code))
    if event is None:
        raise NotFound(f"Không có nội dung mã “{code}”.")
    return event


def has_results(event: Event) -> bool:
    if event.placings_recorded:
        return True
    return bool(db.session.scalar(select(exists().where(Match.event_id == event.id, Match.status == "completed"))))


def settings_of(event: Event) -> EventSettings:
    return EventSettings(**{k: getattr(event, k) for k in SNAPSHOT_FIELDS})


def _snapshot(event: Event) -> dict:
    return {k: getattr(event, k) for k in SNAPSHOT_FIELDS}


def _check(festival: Festival, data: EventSettings, event: Event | None) -> tuple[EventSettings, Any]:
    problems = Problems()
    data.code = (data.code or "").strip()
    data.name = nfc(data.name or "")
    if not EVENT_CODE_RE.match(data.code):
        problems.add("code", "Mã nội dung dùng chữ không dấu, số, dấu gạch ngang hoặc gạch dưới, tối đa 40 ký tự "
                             "(ví dụ CL-DNAM).")
    else:
        clash = db.session.scalar(select(Event).where(Event.festival_id == festival.id,
                                                      func.lower(Event.code) == data.code.lower()))
        if clash is not None and clash is not event:
            problems.add("code", f"Mã “{data.code}” đã dùng cho nội dung {clash.name}.")
    if data.sport not in SPORTS:
        problems.add("sport", "Chọn môn thi đấu.")
    discipline = DISCIPLINES.get(data.discipline)
    if discipline is None:
        problems.add("discipline", "Chọn nội dung (đơn, đôi, đôi nam nữ, đồng đội).")
    if not data.name and data.sport in SPORTS and discipline is not None:
        data.name = event_label(data.sport, data.discipline)
    if len(data.name) > 200:
        problems.add("name", "Tên nội dung tối đa 200 ký tự.")
    fmt = None
    if data.sport in SPORTS:
        try:
            fmt = scoring.format_for(data.sport, data.best_of, data.points, data.deciding_points, data.cap)
        except RuleError as exc:
            for message in exc.messages:
                problems.add("format", message[0].upper() + message[1:] + ".")
        preset = data.ranking_preset or DEFAULT_PRESET[data.sport]
        if preset not in PRESETS:
            problems.add("ranking_preset", "Chọn cách xếp hạng vòng tròn: FIVB, ITTF hoặc BWF.")
        else:
            try:
                data.ranking_options = preset_options(preset, data.ranking_options)
            except RuleError as exc:
                for message in exc.messages:
                    problems.add("ranking_options", message)
        data.ranking_preset = preset
    if data.third_place not in THIRD_PLACE:
        problems.add("third_place", "Chọn cách xác định hạng Ba.")
    if data.slot_minutes is not None and not 5 <= data.slot_minutes <= 300:
        problems.add("slot_minutes", "Thời gian một trận từ 5 đến 300 phút.")
    for name in ("max_entries_per_unit", "roster_min", "roster_max"):
        value = getattr(data, name)
        if value is not None and value < 1:
            problems.add(name, "Phải từ 1 trở lên (để trống nếu không giới hạn).")
    if discipline is not None and discipline.team:
        if data.roster_min and data.roster_max and data.roster_min > data.roster_max:
            problems.add("roster_max", "Số vận động viên tối đa phải không nhỏ hơn tối thiểu.")
    else:
        data.roster_min = data.roster_max = None  # pairs and singles have fixed sizes
    for name in ("birth_year_min", "birth_year_max"):
        value = getattr(data, name)
        if value is not None and not 1900 <= value <= 2100:
            problems.add(name, "Năm sinh là năm có bốn chữ số, ví dụ 1978.")
    if data.birth_year_min and data.birth_year_max and data.birth_year_min > data.birth_year_max:
        problems.add("birth_year_max", "Năm sinh “đến” phải không nhỏ hơn năm sinh “từ”.")
    if event is not None:
        if (data.sport, data.discipline) != (event.sport, event.discipline) and event.entries:
            problems.add("discipline", "Nội dung đã có đăng ký thi đấu: không thể đổi môn hay loại nội dung.")
        if fmt is not None and (fmt.best_of, fmt.points, fmt.deciding_points, fmt.cap) != \
                tuple(getattr(event, k) for k in FORMAT_FIELDS) and has_results(event):
            problems.add("format", "Nội dung đã có kết quả thi đấu: không thể đổi thể thức (số ván, điểm mỗi ván, "
                                   "điểm tối đa), vì các tỷ số đã ghi được kiểm tra theo thể thức cũ.")
        if data.third_place != event.third_place and any(
                m.is_playoff and m.status != "scheduled" for st in event.stages for m in st.matches):
            problems.add("third_place", "Trận tranh hạng Ba đã đấu hoặc có kết quả: không đổi được cách xác định "
                                        "hạng Ba.")
    problems.raise_if_any()
    return data, fmt


def _sync_playoff(event: Event) -> None:
    """After the third place changes: a drawn knockout gains its play-off row, or loses the one
    still unplayed (the schedule and the public pages list rows, not settings)."""
    for stage in event.stages:
        if stage.type != "knockout":
            continue
        if event.third_place == "playoff":
            ensure_rows(stage)
            sync_knockout(stage)  # semi-finals already played: the play-off gets their losers
        else:
            for match in [m for m in stage.matches if m.is_playoff]:
                stage.matches.remove(match)
                db.session.delete(match)
    db.session.flush()


def _apply(event: Event, data: EventSettings, fmt) -> None:
    for k in SNAPSHOT_FIELDS:
        if k not in FORMAT_FIELDS:
            setattr(event, k, getattr(data, k))
    event.best_of, event.points, event.deciding_points, event.cap = fmt.best_of, fmt.points, fmt.deciding_points, fmt.cap


def create_event(festival: Festival, data: EventSettings) -> Event:
    data, fmt = _check(festival, data, None)
    position = (db.session.scalar(select(func.max(Event.position)).where(Event.festival_id == festival.id)) or 0) + 1
    event = Event(festival=festival, position=position if festival.events else 0)
    _apply(event, data, fmt)
    db.session.add(event)
    festival.bump(event)
    db.session.flush()
    audit.record("event.create", event, after=_snapshot(event), festival_id=festival.id)
    return event


def update_event(event: Event, data: EventSettings) -> Event:
    data, fmt = _check(event.festival, data, event)
    before = _snapshot(event)
    _apply(event, data, fmt)
    after = _snapshot(event)
    if after != before:
        event.festival.bump(event)
        db.session.flush()
        changed = [k for k in SNAPSHOT_FIELDS if before[k] != after[k]]
        audit.record("event.update", event, before={k: before[k] for k in changed},
                     after={k: after[k] for k in changed}, festival_id=event.festival_id)
        if before["third_place"] != after["third_place"]:
            _sync_playoff(event)
        if before["code"] != after["code"]:
            rename_in_scopes(event.festival, "events", before["code"], after["code"])
    return event


def create_standard_events(festival: Festival) -> list[Event]:
    """Volleyball men's and women's; table tennis and badminton singles, doubles and mixed.

    Codes the festival already has are skipped, so the action can be repeated safely.
    """
    have = {c.lower() for c in db.session.scalars(select(Event.code).where(Event.festival_id == festival.id))}
    created = []
    for code, sport, discipline in STANDARD_EVENTS:
        if code.lower() in have:
            continue
        team = DISCIPLINES[discipline].team
        data = EventSettings(
            code=code, sport=sport, discipline=discipline, name=event_label(sport, discipline),
            max_entries_per_unit=festival.max_entries_per_unit or (1 if team else None),
            roster_min=TEAM_ROSTER[0] if team else None, roster_max=TEAM_ROSTER[1] if team else None,
        )
        created.append(create_event(festival, data))
    return created


def entry_counts(festival: Festival) -> dict[int, int]:
    return dict(db.session.execute(
        select(Entry.event_id, func.count()).join(Event).where(Event.festival_id == festival.id)
        .group_by(Entry.event_id)).all())

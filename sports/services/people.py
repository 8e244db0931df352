"""Units and athletes of a festival: lists, create, edit, withdraw and restore.

Names are stored NFC with single spaces; lists come in Vietnamese order
(``sports.domain.text``). Withdrawing keeps the row (and its history): a withdrawn unit or
athlete takes no new entries, and their individual entries are marked withdrawn (rút lui),
which the standings already know how to treat.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from sports.domain.disciplines import DISCIPLINES
from sports.domain.text import collation_key, nfc, person_sort_key
from sports.extensions import db
from sports.models import Athlete, Entry, EntryAthlete, Festival, Unit
from sports.services import audit
from sports.services.errors import NotFound, Problems
from sports.services.events import age_band, in_age_band

UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
GENDERS = {"M": "Nam", "F": "Nữ"}
BIRTH_YEARS = (1900, 2100)


def search_text(s: str) -> str:
    """Text folded for search: lower case, without tones or letter marks, đ → d.

    People type names without accents on phones; "nguyen" finds "Nguyễn".
    """
    decomposed = unicodedata.normalize("NFD", nfc(s).casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# ------------------------------------------------------------------------------- units

@dataclass
class UnitData:
    code: str
    name: str
    short_name: str = ""


def units(festival: Festival, query: str = "") -> list[Unit]:
    rows = list(db.session.scalars(select(Unit).where(Unit.festival_id == festival.id)))
    q = search_text(query)
    if q:
        rows = [u for u in rows if q in search_text(f"{u.code} {u.name} {u.short_name}")]
    return sorted(rows, key=lambda u: (u.withdrawn, collation_key(u.name)))


def get_unit(festival: Festival, code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.festival_id == festival.id, Unit.code == code))
    if unit is None:
        raise NotFound(f"Không có đơn vị mã “{code}”.")
    return unit


def _check_unit(festival: Festival, data: UnitData, unit: Unit | None) -> UnitData:
    problems = Problems()
    data = UnitData(code=(data.code or "").strip(), name=nfc(data.name or ""), short_name=nfc(data.short_name or ""))
    if not UNIT_CODE_RE.match(data.code):
        problems.add("code", "Mã đơn vị dùng chữ không dấu, số, dấu gạch ngang hoặc gạch dưới, tối đa 40 ký tự "
                             "(ví dụ BVDK).")
    else:
        clash = db.session.scalar(select(Unit).where(Unit.festival_id == festival.id,
                                                     func.lower(Unit.code) == data.code.lower()))
        if clash is not None and clash is not unit:
            problems.add("code", f"Mã “{data.code}” đã dùng cho {clash.name}.")
    if not data.name:
        problems.add("name", "Nhập tên đơn vị.")
    elif len(data.name) > 300:
        problems.add("name", "Tên đơn vị tối đa 300 ký tự.")
    else:
        clash = next((u for u in festival.units if u is not unit and u.name.casefold() == data.name.casefold()), None)
        if clash is not None:
            problems.add("name", f"Đã có đơn vị tên “{clash.name}” (mã {clash.code}).")
    if len(data.short_name) > 120:
        problems.add("short_name", "Tên viết tắt tối đa 120 ký tự.")
    problems.raise_if_any()
    return data


def _unit_snapshot(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name, "withdrawn": unit.withdrawn}


def create_unit(festival: Festival, data: UnitData) -> Unit:
    data = _check_unit(festival, data, None)
    unit = Unit(festival=festival, code=data.code, name=data.name, short_name=data.short_name)
    db.session.add(unit)
    festival.bump()
    db.session.flush()
    audit.record("unit.create", unit, after=_unit_snapshot(unit), festival_id=festival.id)
    return unit


def update_unit(unit: Unit, data: UnitData) -> Unit:
    festival = unit.festival
    data = _check_unit(festival, data, unit)
    before = _unit_snapshot(unit)
    unit.code, unit.name, unit.short_name = data.code, data.name, data.short_name
    if _unit_snapshot(unit) != before:
        festival.bump()
        db.session.flush()
        audit.record("unit.update", unit, before=before, after=_unit_snapshot(unit), festival_id=festival.id)
    return unit


def set_unit_withdrawn(unit: Unit, withdrawn: bool, reason: str = "") -> int:
    """Withdraw (or restore) a unit and its entries; returns how many entries changed."""
    if unit.withdrawn == withdrawn:
        return 0
    before = _unit_snapshot(unit)
    unit.withdrawn = withdrawn
    entries = list(db.session.scalars(select(Entry).where(Entry.unit_id == unit.id)))
    changed = _set_entries_withdrawn(entries, withdrawn)
    unit.festival.bump()
    db.session.flush()
    audit.record("unit.withdraw" if withdrawn else "unit.restore", unit, before=before,
                 after={**_unit_snapshot(unit), "entries": changed}, reason=reason, festival_id=unit.festival_id)
    return changed


def _set_entries_withdrawn(entries: list[Entry], withdrawn: bool) -> int:
    changed = 0
    for entry in entries:
        if withdrawn == entry.withdrawn:
            continue
        # Restoring: only when their unit is back, and for singles and pairs when nobody in
        # the entry is still withdrawn (a withdrawn player leaves a team's roster as it is);
        # never an entry that an edit made while it was out no longer lets into its event.
        if not withdrawn and (entry.unit.withdrawn or (
                not entry.event.is_team and any(a.withdrawn for a in entry.athletes)) or not _still_fits(entry)):
            continue
        entry.withdrawn = withdrawn
        changed += 1
    return changed


# ---------------------------------------------------------------------------- athletes

@dataclass
class AthleteData:
    unit_code: str
    name: str
    gender: str
    birth_year: int | None = None
    staff_no: str = ""
    note: str = ""


def athletes(festival: Festival, query: str = "", unit_code: str = "") -> list[Athlete]:
    stmt = select(Athlete).where(Athlete.festival_id == festival.id)
    if unit_code:
        stmt = stmt.join(Unit).where(Unit.code == unit_code)
    rows = list(db.session.scalars(stmt))
    q = search_text(query)
    if q:
        rows = [a for a in rows if q in search_text(f"{a.name} {a.staff_no}")]
    return sorted(rows, key=lambda a: (a.withdrawn, person_sort_key(a.name), a.birth_year or 0, a.id))


def get_athlete(festival: Festival, athlete_id: int) -> Athlete:
    athlete = db.session.get(Athlete, athlete_id)
    if athlete is None or athlete.festival_id != festival.id:
        raise NotFound("Không có vận động viên này trong hội thao.")
    return athlete


def _check_athlete(festival: Festival, data: AthleteData, athlete: Athlete | None) -> tuple[AthleteData, Unit | None]:
    problems = Problems()
    data = AthleteData(unit_code=(data.unit_code or "").strip(), name=nfc(data.name or ""), gender=data.gender,
                       birth_year=data.birth_year, staff_no=nfc(data.staff_no or ""), note=nfc(data.note or ""))
    unit = next((u for u in festival.units if u.code == data.unit_code), None)
    if unit is None:
        problems.add("unit_code", "Chọn đơn vị của vận động viên.")
    elif unit.withdrawn and (athlete is None or athlete.unit_id != unit.id):
        problems.add("unit_code", f"{unit.name} đã rút khỏi hội thao: không nhận thêm vận động viên.")
    if not data.name:
        problems.add("name", "Nhập họ và tên.")
    elif len(data.name) > 200:
        problems.add("name", "Họ và tên tối đa 200 ký tự.")
    elif any(ch.isdigit() for ch in data.name) or data.name.startswith(("=", "+", "@")):
        problems.add("name", "Họ và tên không chứa chữ số hay công thức.")
    if data.gender not in GENDERS:
        problems.add("gender", "Chọn giới tính: Nam hoặc Nữ.")
    if data.birth_year is not None and not BIRTH_YEARS[0] <= data.birth_year <= BIRTH_YEARS[1]:
        problems.add("birth_year", "Năm sinh là năm có bốn chữ số, ví dụ 1985.")
    if len(data.staff_no) > 40:
        problems.add("staff_no", "Mã nhân viên tối đa 40 ký tự.")
    if len(data.note) > 300:
        problems.add("note", "Ghi chú tối đa 300 ký tự.")
    if unit is not None and data.name and not problems.fields.get("birth_year"):
        same = next((a for a in unit.athletes if a is not athlete and a.name.casefold() == data.name.casefold()
                     and a.birth_year == data.birth_year), None)
        if same is not None:
            problems.add("name", f"{unit.display_name} đã có vận động viên {same.name}"
                                 f"{f' sinh năm {same.birth_year}' if same.birth_year else ''}.")
    if athlete is not None and unit is not None and unit.id != athlete.unit_id:
        entered = db.session.scalar(select(func.count()).select_from(EntryAthlete)
                                    .where(EntryAthlete.athlete_id == athlete.id))
        if entered:
            problems.add("unit_code", "Vận động viên đã đăng ký thi đấu cho đơn vị cũ: "
                                      "hủy các nội dung đó trước khi đổi đơn vị.")
    if athlete is not None and not problems.fields.get("gender") and not problems.fields.get("birth_year"):
        _check_entries_still_hold(athlete, data, problems)
    problems.raise_if_any()
    return data, unit


def _check_entries_still_hold(athlete: Athlete, data: AthleteData, problems: Problems) -> None:
    """A new gender or birth year must still fit every event the athlete is entered in (not
    withdrawn): a men's singles player does not become a woman on the list, nor a veteran's
    pair too young, without the organiser first taking them out of that event."""
    if data.gender == athlete.gender and data.birth_year == athlete.birth_year:
        return
    entries = [m.entry for m in db.session.scalars(select(EntryAthlete).where(EntryAthlete.athlete_id == athlete.id))
               if not m.entry.withdrawn]
    for entry in sorted(entries, key=lambda e: (e.event.position, e.event.id)):
        event, discipline = entry.event, DISCIPLINES.get(entry.event.discipline)
        if data.gender != athlete.gender and discipline is not None:
            before = [a.gender for a in entry.athletes]
            after = [data.gender if a.id == athlete.id else a.gender for a in entry.athletes]
            for message in [m for m in discipline.problems(after) if m not in discipline.problems(before)]:
                problems.add("gender", f"{athlete.name} đang thi đấu nội dung {event.name}: {message} "
                                       "Rút khỏi nội dung đó trước khi đổi giới tính.")
        band = age_band(event)
        if data.birth_year == athlete.birth_year or not band:
            continue
        if data.birth_year is None:
            problems.add("birth_year", f"{athlete.name} đang thi đấu nội dung {event.name} ({band}): "
                                       "nội dung này cần biết năm sinh.")
        elif not in_age_band(event, data.birth_year):
            problems.add("birth_year", f"{athlete.name} đang thi đấu nội dung {event.name} ({band}): năm sinh "
                                       f"{data.birth_year} ngoài độ tuổi đó. Rút khỏi nội dung đó trước khi sửa.")


def _still_fits(entry: Entry) -> bool:
    """The entry's players (as they are now) still make an entry of its event: genders and age band."""
    event, discipline = entry.event, DISCIPLINES.get(entry.event.discipline)
    if discipline is not None and discipline.problems([a.gender for a in entry.athletes]):
        return False
    return not age_band(event) or all(a.birth_year is not None and in_age_band(event, a.birth_year)
                                      for a in entry.athletes)


def _athlete_snapshot(a: Athlete) -> dict:
    return {"unit": a.unit.code, "name": a.name, "gender": a.gender, "birth_year": a.birth_year,
            "staff_no": a.staff_no, "note": a.note, "withdrawn": a.withdrawn}


def next_athlete_ref(festival: Festival) -> str:
    refs = set(db.session.scalars(select(Athlete.ref).where(Athlete.festival_id == festival.id)))
    n = len(refs) + 1
    while f"a{n}" in refs:
        n += 1
    return f"a{n}"


def create_athlete(festival: Festival, data: AthleteData) -> Athlete:
    data, unit = _check_athlete(festival, data, None)
    athlete = Athlete(festival=festival, unit=unit, ref=next_athlete_ref(festival), name=data.name,
                      gender=data.gender, birth_year=data.birth_year, staff_no=data.staff_no, note=data.note)
    db.session.add(athlete)
    festival.bump()
    db.session.flush()
    audit.record("athlete.create", athlete, after=_athlete_snapshot(athlete), festival_id=festival.id)
    return athlete


def update_athlete(athlete: Athlete, data: AthleteData) -> Athlete:
    festival = athlete.festival
    data, unit = _check_athlete(festival, data, athlete)
    before = _athlete_snapshot(athlete)
    athlete.unit = unit
    athlete.name, athlete.gender, athlete.birth_year = data.name, data.gender, data.birth_year
    athlete.staff_no, athlete.note = data.staff_no, data.note
    if _athlete_snapshot(athlete) != before:
        festival.bump()
        db.session.flush()
        audit.record("athlete.update", athlete, before=before, after=_athlete_snapshot(athlete),
                     festival_id=festival.id)
    return athlete


def set_athlete_withdrawn(athlete: Athlete, withdrawn: bool, reason: str = "") -> int:
    """Withdraw (or restore) an athlete; their singles and pair entries follow (team rosters stay)."""
    if athlete.withdrawn == withdrawn:
        return 0
    before = _athlete_snapshot(athlete)
    athlete.withdrawn = withdrawn
    entries = [m.entry for m in db.session.scalars(select(EntryAthlete).where(EntryAthlete.athlete_id == athlete.id))
               if not m.entry.event.is_team]
    changed = _set_entries_withdrawn(entries, withdrawn)
    athlete.festival.bump()
    db.session.flush()
    audit.record("athlete.withdraw" if withdrawn else "athlete.restore", athlete, before=before,
                 after={**_athlete_snapshot(athlete), "entries": changed}, reason=reason,
                 festival_id=athlete.festival_id)
    return changed


def entries_by_athlete(festival: Festival) -> dict[int, list[Entry]]:
    """Each athlete's entries (for lists), in one query."""
    rows = db.session.execute(
        select(EntryAthlete.athlete_id, Entry).join(Entry, Entry.id == EntryAthlete.entry_id)
        .join(Athlete, Athlete.id == EntryAthlete.athlete_id).where(Athlete.festival_id == festival.id)
    ).all()
    out: dict[int, list[Entry]] = {}
    for athlete_id, entry in rows:
        out.setdefault(athlete_id, []).append(entry)
    return out

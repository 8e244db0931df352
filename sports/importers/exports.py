"""Excel out: athlete lists per unit (to print and sign) and entry lists per event.

Every text cell goes through ``put``: text that Excel would take for a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is stored as text, never as a
formula, and characters XML cannot hold are dropped. Lists come in Vietnamese order
(``sports.domain.text``).
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain.disciplines import DISCIPLINES, SPORTS
from sports.domain.text import collation_key, person_sort_key
from sports.extensions import db
from sports.models import Athlete, Entry, EntryAthlete, Event, Festival, Unit

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
GENDER_LABELS = {"M": "Nam", "F": "Nữ"}

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def put(ws: Worksheet, row: int, column: int, value: Any, **style: Any):
    """Write one cell; text is always stored as text (never a formula), styles as given."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(RISKY_STARTS) or cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    else:
        cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unused worksheet name (31 characters, none of []:*?/\\), recorded in ``used``."""
    base = _SHEET_FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", text)).strip().strip("'") or "Trang"
    base = base[:31]
    title, n = base, 1
    while title.casefold() in used or title.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
    used.add(title.casefold())
    return title


def header_row(ws: Worksheet, row: int, headers: Iterable[str], widths: Iterable[float]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths), start=1):
        put(ws, row, col, text, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=CENTER)
        ws.column_dimensions[get_column_letter(col)].width = width


def _print_setup(ws: Worksheet, title_row: int, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{title_row}:{title_row}"
    ws.freeze_panes = ws.cell(row=title_row + 1, column=1)


def _title_block(ws: Worksheet, last_col: int, lines: list[tuple[str, Font | None]]) -> int:
    """Centered title lines across the table's width; returns the next free row."""
    for row, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        put(ws, row, 1, text, font=font or Font(), alignment=Alignment(horizontal="center", wrap_text=True))
    return len(lines) + 2


def _entries_by_event(festival: Festival) -> dict[int, list[Entry]]:
    rows = db.session.scalars(
        select(Entry).join(Event, Event.id == Entry.event_id).where(Event.festival_id == festival.id)
        .options(selectinload(Entry.members).selectinload(EntryAthlete.athlete))
        .order_by(Entry.event_id, Entry.position, Entry.id))
    out: dict[int, list[Entry]] = defaultdict(list)
    for entry in rows:
        out[entry.event_id].append(entry)
    return out


def _events(festival: Festival) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.festival_id == festival.id)
                                   .order_by(Event.position, Event.id)))


def _units(festival: Festival) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.festival_id == festival.id).order_by(Unit.id)))


# ------------------------------------------------------------------------------ athletes

ATHLETE_HEADERS = ("STT", "Họ và tên", "Giới tính", "Năm sinh", "Nội dung đăng ký", "Ghi chú")
ATHLETE_WIDTHS = (6, 32, 10, 10, 40, 14)


def athletes_workbook(festival: Festival) -> bytes:
    """One sheet per unit: its athletes in Vietnamese order, with a signature block to print."""
    events = _events(festival)
    codes_of: dict[int, list[str]] = defaultdict(list)
    entries = _entries_by_event(festival)
    for event in events:
        for entry in entries.get(event.id, ()):
            for member in entry.members:
                if event.code not in codes_of[member.athlete_id]:
                    codes_of[member.athlete_id].append(event.code)
    by_unit: dict[int, list[Athlete]] = defaultdict(list)
    for athlete in db.session.scalars(select(Athlete).where(Athlete.festival_id == festival.id)):
        by_unit[athlete.unit_id].append(athlete)

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    units = _units(festival)
    for unit in units:
        ws = wb.create_sheet(sheet_title(unit.code, used))
        people = sorted(by_unit.get(unit.id, ()), key=lambda a: (person_sort_key(a.name), a.birth_year or 0, a.id))
        _athlete_sheet(ws, festival, unit, people, codes_of)
    if not units:
        ws = wb.create_sheet("Vận động viên")
        put(ws, 1, 1, "DANH SÁCH VẬN ĐỘNG VIÊN", font=TITLE)
        put(ws, 2, 1, festival.name)
        put(ws, 4, 1, "Hội thao chưa có đơn vị nào.")
    return to_bytes(wb)


def _athlete_sheet(ws: Worksheet, festival: Festival, unit: Unit, people: list[Athlete],
                   codes_of: dict[int, list[str]]) -> None:
    last = len(ATHLETE_HEADERS)
    row = _title_block(ws, last, [("DANH SÁCH VẬN ĐỘNG VIÊN", TITLE), (festival.name, BOLD),
                                  (f"Đơn vị: {unit.name}", BOLD)])
    header_row(ws, row, ATHLETE_HEADERS, ATHLETE_WIDTHS)
    title_row = row
    for n, athlete in enumerate(people, start=1):
        row += 1
        values = (n, athlete.name, GENDER_LABELS.get(athlete.gender, athlete.gender), athlete.birth_year,
                  ", ".join(codes_of.get(athlete.id, ())), "Đã rút" if athlete.withdrawn else "")
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, border=BOX, alignment=WRAP)
    if not people:
        row += 1
        put(ws, row, 1, "Đơn vị chưa đăng ký vận động viên nào.", font=ITALIC)
    row += 2
    put(ws, row, 1, f"Tổng số: {len(people)} vận động viên.", font=BOLD)
    row += 2
    # The signature block: who drew up the list (left) and the unit's head (right).
    year = festival.start_date.year if festival.start_date else ""
    place = f"{festival.place}, " if festival.place else ""
    put(ws, row, 5, f"{place}ngày ..... tháng ..... năm {year}", font=ITALIC, alignment=Alignment(horizontal="center"))
    row += 1
    put(ws, row, 2, "NGƯỜI LẬP DANH SÁCH", font=BOLD, alignment=Alignment(horizontal="center"))
    put(ws, row, 5, "THỦ TRƯỞNG ĐƠN VỊ", font=BOLD, alignment=Alignment(horizontal="center"))
    row += 1
    put(ws, row, 2, "(Ký, ghi rõ họ tên)", font=ITALIC, alignment=Alignment(horizontal="center"))
    put(ws, row, 5, "(Ký, ghi rõ họ tên và đóng dấu)", font=ITALIC, alignment=Alignment(horizontal="center"))
    _print_setup(ws, title_row)


# ------------------------------------------------------------------------------- entries

ENTRY_HEADERS = ("STT", "Mã đơn vị", "Đơn vị", "Tên đăng ký", "Vận động viên", "Năm sinh", "Hạt giống",
                 "Ghi chú")
ENTRY_WIDTHS = (6, 12, 30, 28, 32, 10, 10, 12)
SUMMARY = "Tổng hợp"


def entries_workbook(festival: Festival) -> bytes:
    """A summary sheet, then one sheet per event: its entries by unit, with their players."""
    events = _events(festival)
    units = {u.id: u for u in _units(festival)}
    entries = _entries_by_event(festival)
    wb = Workbook()
    summary = wb.active
    used = {SUMMARY.casefold()}
    summary.title = SUMMARY
    row = _title_block(summary, 5, [("DANH SÁCH ĐĂNG KÝ THEO NỘI DUNG", TITLE), (festival.name, BOLD)])
    header_row(summary, row, ("STT", "Mã nội dung", "Tên nội dung", "Số đăng ký", "Số đơn vị"), (6, 14, 40, 12, 12))
    title_row = row
    for n, event in enumerate(events, start=1):
        row += 1
        listed = entries.get(event.id, [])
        values = (n, event.code, event.name, len(listed), len({e.unit_id for e in listed}))
        for col, value in enumerate(values, start=1):
            put(summary, row, col, value, border=BOX)
    _print_setup(summary, title_row)

    for event in events:
        ws = wb.create_sheet(sheet_title(event.code, used))
        listed = sorted(entries.get(event.id, []),
                        key=lambda e: (collation_key(units[e.unit_id].name), e.position, e.id))
        _entry_sheet(ws, festival, event, listed, units)
    return to_bytes(wb)


def _entry_sheet(ws: Worksheet, festival: Festival, event: Event, listed: list[Entry], units) -> None:
    discipline = DISCIPLINES.get(event.discipline)
    kind = f"{SPORTS.get(event.sport, event.sport)} – {discipline.label if discipline else event.discipline}"
    row = _title_block(ws, len(ENTRY_HEADERS), [(f"NỘI DUNG {event.code}: {event.name}", TITLE), (kind, None),
                                                (festival.name, BOLD)])
    header_row(ws, row, ENTRY_HEADERS, ENTRY_WIDTHS)
    title_row = row
    for n, entry in enumerate(listed, start=1):
        row += 1
        unit = units[entry.unit_id]
        people = [m.athlete for m in entry.members]
        values = (n, unit.code, unit.name, entry.name, "\n".join(a.name for a in people),
                  "\n".join(str(a.birth_year or "") for a in people), entry.seed,
                  "Rút lui" if entry.withdrawn else "")
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, border=BOX, alignment=WRAP)
    if not listed:
        row += 1
        put(ws, row, 1, "Chưa có đăng ký nào.", font=ITALIC)
    row += 2
    put(ws, row, 1, f"Tổng số: {len(listed)} đăng ký của {len({e.unit_id for e in listed})} đơn vị.", font=BOLD)
    _print_setup(ws, title_row, landscape=True)

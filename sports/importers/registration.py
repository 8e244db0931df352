"""The Excel registration workbook (CONTRACT.md "Registration workbook", docs/registration.md).

Units fill in one row per athlete on the sheet "Đăng ký" and mark the events they enter.

* ``template(festival)`` — the workbook to send out: the sheet with its headers and drop-down
  lists, an instructions sheet with the festival's entry rules, and the lists it uses.
* ``read(festival, data)`` — parse and check a returned workbook against the festival. It
  never writes: it returns a ``RegistrationPlan``, the preview of what applying would do (every
  row with its status, the counts) and every problem located at its cell
  (``Đăng ký!C14: …``), all of them at once.
* ``apply(festival, plan)`` — write a clean plan: all or nothing, one audit row, one revision
  bump; it flushes and never commits.

Re-uploading is safe. An athlete is the same person by unit, name (NFC, case and spacing
ignored) and birth year, so a second upload updates instead of duplicating. For each unit
in the workbook, its entries in each event that has a column become exactly what the
workbook says: an entry formed by the same players is kept (its id and draw survive), new
ones are created, the others removed — except entries already in a draw or with results,
which cannot change. Units not in the workbook, and events without a column, are untouched.

Reading is defensive: the file may be anything. Its size, its unpacked size and its rows
are capped; it is read with openpyxl in read-only mode without evaluating formulas, so a
formula is seen (and refused) as a formula.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain.disciplines import DISCIPLINES, SPORTS
from sports.domain.text import nfc, person_sort_key
from sports.domain.types import RuleError
from sports.extensions import db
from sports.importers.exports import BOLD, HEADER_FILL, TITLE, WRAP, put, to_bytes
from sports.models import (
    Athlete, Entry, EntryAthlete, Event, Festival, Group, GroupEntry, Match, Placing, Stage, Unit,
)
from sports.services import audit
from sports.services.events import age_band, in_age_band

log = logging.getLogger(__name__)

SHEET = "Đăng ký"
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
COL_UNIT, COL_NAME, COL_GENDER, COL_BIRTH = "Mã đơn vị", "Họ và tên", "Giới tính", "Năm sinh"
FIXED_COLUMNS = (COL_UNIT, COL_NAME, COL_GENDER, COL_BIRTH)
COMBINED_PREFIX = "*"  # a label shared across units: a combined entry (đội ghép)

NEW, UPDATED, UNCHANGED, REMOVED = "mới", "cập nhật", "không đổi", "bỏ"
GENDER_LABELS = {"M": "Nam", "F": "Nữ"}

MAX_BYTES = 10 * 1024 * 1024          # the uploaded file
MAX_UNPACKED = 100 * 1024 * 1024      # everything inside the zip, as declared by it
MAX_ZIP_MEMBERS = 5_000
MAX_ROWS = 20_000                     # athlete rows on the sheet
MAX_COLUMNS = 256
NAME_MAX = 200
FIRST_BIRTH_YEAR = 1900

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files protected by a password
NOT_XLSX = ("Tệp này không phải sổ tính Excel (.xlsx). Hãy mở tệp bằng Excel và lưu lại dưới dạng "
            "“Sổ làm việc Excel (.xlsx)”, hoặc dùng mẫu đăng ký tải từ hệ thống.")
DAMAGED = ("Không đọc được tệp Excel này (tệp bị hỏng hoặc không đúng định dạng .xlsx). Hãy mở bằng Excel, "
           "lưu lại dưới dạng .xlsx rồi tải lên lại.")
STALE = ("Dữ liệu của hội thao đã thay đổi sau khi đọc tệp; hãy tải tệp lên lại để kiểm tra với dữ liệu mới nhất.")


# ------------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Problem:
    """Why the workbook cannot be imported, at a cell (``column`` is the Excel letter)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    @property
    def cell(self) -> str:
        """``Đăng ký!C14``, ``Đăng ký!14``, ``Đăng ký`` — or "" for the file as a whole."""
        if not self.sheet:
            return ""
        where = f"{self.column or ''}{self.row or ''}"
        return f"{self.sheet}!{where}" if where else self.sheet

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}" if self.cell else self.message


class RegistrationProblems(RuleError):
    """The workbook cannot be imported; ``problems`` are located, ``messages`` their text."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems])


@dataclass(frozen=True)
class EventMark:
    """An event a row enters, with the row's label for pairs and teams ("" for singles)."""

    code: str
    label: str = ""

    def __str__(self) -> str:
        return f"{self.code} ({self.label})" if self.label else self.code


@dataclass
class RegistrationRow:
    """One athlete row of the sheet, as read and as it compares with what is stored."""

    row: int
    unit_code: str
    unit_name: str
    name: str
    gender: str                       # "M" | "F" | "" when missing or invalid
    birth_year: int | None
    events: list[EventMark] = field(default_factory=list)
    status: str = NEW                 # NEW | UPDATED | UNCHANGED
    changes: list[str] = field(default_factory=list)   # e.g. ["giới tính", "nội dung"]
    problems: list[Problem] = field(default_factory=list)
    athlete_id: int | None = None     # the stored athlete this row is (None: a new one)

    @property
    def gender_label(self) -> str:
        return GENDER_LABELS.get(self.gender, "")

    @property
    def events_text(self) -> str:
        return ", ".join(str(m) for m in self.events)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class EntryChange:
    """One entry the import creates, keeps or removes."""

    event_code: str
    event_name: str
    unit_code: str
    players: list[str]
    status: str                       # NEW | UNCHANGED | REMOVED
    label: str = ""
    rows: list[int] = field(default_factory=list)
    entry_id: int | None = None

    @property
    def players_text(self) -> str:
        return " / ".join(self.players)


@dataclass
class _NewAthlete:
    key: int                          # -row: how new entries refer to it
    unit_id: int
    name: str
    gender: str
    birth_year: int | None


@dataclass
class _NewEntry:
    event_id: int
    unit_id: int
    members: list[int]                # athlete ids (> 0) or -row of a new athlete
    name: str


@dataclass
class RegistrationPlan:
    """The preview of an import, and what ``apply`` writes."""

    festival_id: int
    revision: int
    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[RegistrationRow] = field(default_factory=list)
    entries: list[EntryChange] = field(default_factory=list)
    units: list[str] = field(default_factory=list)        # codes of the units in the workbook
    events: list[str] = field(default_factory=list)       # codes of the event columns
    new_athletes: int = 0
    updated_athletes: int = 0
    unchanged_athletes: int = 0
    absent_athletes: int = 0          # stored athletes of these units the workbook leaves out: kept
    new_entries: int = 0
    removed_entries: int = 0
    unchanged_entries: int = 0
    applied: bool = False
    _create_athletes: list[_NewAthlete] = field(default_factory=list, repr=False)
    _update_athletes: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)
    _create_entries: list[_NewEntry] = field(default_factory=list, repr=False)
    _remove_entries: list[int] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {"athletes": {"new": self.new_athletes, "updated": self.updated_athletes,
                             "unchanged": self.unchanged_athletes, "absent": self.absent_athletes},
                "entries": {"new": self.new_entries, "removed": self.removed_entries,
                            "unchanged": self.unchanged_entries}}


# ------------------------------------------------------------------------------- helpers

def _fold(s: str) -> str:
    """Case, tones and letter marks ignored ("Mã đơn vị" ≈ "ma don vi", "Nữ" ≈ "nu")."""
    decomposed = unicodedata.normalize("NFD", nfc(s).casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _key(s: str) -> str:
    """How names, codes and labels are compared: NFC, spacing collapsed, case ignored."""
    return nfc(s).casefold()


def _show(value: Any, limit: int = 40) -> str:
    text = nfc(str(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _rows_text(rows: Iterable[int]) -> str:
    """``2–5, 9, 10``: row numbers, runs of three or more collapsed."""
    rows = sorted(set(rows))
    parts: list[str] = []
    start = 0
    for i, r in enumerate(rows):
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            run = rows[start:i + 1]
            parts.extend([f"{run[0]}–{run[-1]}"] if len(run) > 2 else map(str, run))
            start = i + 1
    return ", ".join(parts)


def _roster(event: Event) -> str:
    lo, hi = event.roster_min, event.roster_max
    if lo is not None and hi is not None:
        return f"từ {lo} đến {hi}" if lo != hi else f"đúng {lo}"
    if lo is not None:
        return f"ít nhất {lo}"
    if hi is not None:
        return f"nhiều nhất {hi}"
    return ""


def _entry_limit(festival: Festival, event: Event) -> int | None:
    return event.max_entries_per_unit if event.max_entries_per_unit is not None else festival.max_entries_per_unit


class _Formula(str):
    """A cell holding a formula (its text)."""


class _ExcelError(str):
    """A cell holding an Excel error value such as #N/A."""


def _is_date(value: Any) -> bool:
    return isinstance(value, (datetime, date, time, timedelta))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not isinstance(value, _Formula) and not value.strip())


# ------------------------------------------------------------------------------- reading the file

class _Unreadable(Exception):
    def __init__(self, message: str, sheet: str = ""):
        super().__init__(message)
        self.problem = Problem(sheet, None, None, message)


@dataclass
class _Sheet:
    header: list[Any]
    rows: list[tuple[int, list[Any]]]   # (row number, cell values) of non-empty rows
    too_many_rows: int | None = None    # first row number past the cap, when there is one


def _cell_value(cell) -> Any:
    value = cell.value
    if value is None:
        return None
    kind = cell.data_type
    if kind == "f":
        return _Formula(value if isinstance(value, str) else getattr(value, "text", None) or "=")
    if kind == "e":
        return _ExcelError(str(value))
    if isinstance(value, str) and value.startswith("="):
        return _Formula(value)
    return value


def _load_sheet(data: bytes) -> _Sheet:
    """The values of sheet "Đăng ký", or _Unreadable with one clear sentence."""
    if not data:
        raise _Unreadable("Tệp rỗng (0 byte); hãy chọn đúng tệp đăng ký.")
    if len(data) > MAX_BYTES:
        raise _Unreadable(f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); sổ đăng ký tối đa "
                          f"{MAX_BYTES // 1048576} MB.")
    if data.startswith(OLE_MAGIC):
        raise _Unreadable("Đây là tệp Excel cũ (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu "
                          "nếu có và lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)”.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _Unreadable(NOT_XLSX) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _Unreadable(NOT_XLSX)
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise _Unreadable(f"Tệp Excel này khi giải nén lớn bất thường (quá {MAX_UNPACKED // 1048576} MB); "
                          "hãy lưu lại chỉ với trang Đăng ký.")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a hostile or damaged file can fail anywhere inside openpyxl
        log.info("unreadable registration workbook", exc_info=True)
        raise _Unreadable(DAMAGED) from None
    try:
        wanted = _key(SHEET)
        title = next((t for t in wb.sheetnames if _key(t) == wanted), None)
        if title is None:
            listed = ", ".join(f"“{_show(t)}”" for t in wb.sheetnames)
            raise _Unreadable(f"Tệp không có trang tính “{SHEET}” (tệp có: {listed}). Hãy dùng mẫu đăng ký "
                              f"tải từ hệ thống và điền vào trang “{SHEET}”.")
        ws = wb[title]
        ws.reset_dimensions()  # the stored size may be wrong: read every row there is
        header = [_cell_value(c) for c in next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS), ())]
        while header and _blank(header[-1]):
            header.pop()
        rows: list[tuple[int, list[Any]]] = []
        too_many = None
        padding = None  # openpyxl yields one shared tuple for every missing row: skip it at once
        for number, cells in enumerate(ws.iter_rows(min_row=2, max_col=MAX_COLUMNS), start=2):
            if cells is padding:
                continue
            values = [c.value for c in cells]
            n = len(values)
            while n and values[n - 1] is None:
                n -= 1
            if not n:
                padding = cells
                continue
            del values[n:]
            for i, value in enumerate(values):
                if value is not None and (cells[i].data_type in ("f", "e")
                                          or (isinstance(value, str) and value.startswith("="))):
                    values[i] = _cell_value(cells[i])
            while values and _blank(values[-1]):
                values.pop()
            if not values or all(_blank(v) for v in values):
                continue
            if number > MAX_ROWS + 1:
                too_many = number
                break
            rows.append((number, values))
    except _Unreadable:
        raise
    except Exception:
        log.info("unreadable registration workbook", exc_info=True)
        raise _Unreadable(DAMAGED) from None
    finally:
        wb.close()
    return _Sheet(header, rows, too_many)


# ------------------------------------------------------------------------------- checking

@dataclass
class _Row:
    number: int
    unit: Unit | None = None
    name: str = ""
    gender: str = ""
    birth_year: int | None = None
    birth_ok: bool = True
    marks: dict[int, tuple[str, str]] = field(default_factory=dict)  # event id → (label, label key)
    athlete: Athlete | None = None
    view: RegistrationRow | None = None

    @property
    def identified(self) -> bool:
        return self.unit is not None and bool(self.name)

    @property
    def key(self) -> int:
        """How entries refer to this row's athlete: the stored id, or -row for a new one."""
        return self.athlete.id if self.athlete is not None else -self.number


@dataclass
class _Desired:
    """An entry the workbook asks for."""

    event: Event
    label: str
    combined: bool
    members: list[_Row]
    existing: Entry | None = None

    @property
    def rows(self) -> list[int]:
        return [r.number for r in self.members]

    @property
    def unit(self) -> Unit:
        return self.members[0].unit

    @property
    def member_keys(self) -> frozenset[int]:
        return frozenset(r.key for r in self.members)


class _Checker:
    def __init__(self, festival: Festival, sheet: _Sheet):
        self.festival = festival
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}        # fixed column name → index
        self.event_columns: dict[int, int] = {}  # event id → index
        self.rows: list[_Row] = []
        self._load()

    # -- context ---------------------------------------------------------------------------
    def _load(self) -> None:
        fid = self.festival.id
        self.units = list(db.session.scalars(select(Unit).where(Unit.festival_id == fid).order_by(Unit.id)))
        self.unit_by_code = {_key(u.code): u for u in self.units}
        self.unit_by_name = {_key(u.name): u for u in self.units}
        self.events = list(db.session.scalars(select(Event).where(Event.festival_id == fid)
                                              .order_by(Event.position, Event.id)))
        self.event_by_code = {_key(e.code): e for e in self.events}
        self.athletes = list(db.session.scalars(select(Athlete).where(Athlete.festival_id == fid)))
        self.athlete_by_id = {a.id: a for a in self.athletes}
        self.athletes_by_name: dict[tuple[int, str], list[Athlete]] = defaultdict(list)
        for a in self.athletes:
            self.athletes_by_name[(a.unit_id, _key(a.name))].append(a)
        self.entries = list(db.session.scalars(
            select(Entry).join(Event, Event.id == Entry.event_id).where(Event.festival_id == fid)
            .options(selectinload(Entry.members)).order_by(Entry.position, Entry.id)))
        events = select(Event.id).where(Event.festival_id == fid)
        self.protected: dict[int, str] = {}
        for (entry_id,) in db.session.execute(select(Placing.entry_id).where(Placing.event_id.in_(events))):
            self.protected.setdefault(entry_id, "đã có thứ hạng chung cuộc")
        for home, away in db.session.execute(select(Match.home_entry_id, Match.away_entry_id)
                                             .where(Match.event_id.in_(events))):
            for entry_id in (home, away):
                if entry_id is not None:
                    self.protected.setdefault(entry_id, "đã có trận đấu")
        for (entry_id,) in db.session.execute(
                select(GroupEntry.entry_id).join(Group, Group.id == GroupEntry.group_id)
                .join(Stage, Stage.id == Group.stage_id).where(Stage.event_id.in_(events))):
            self.protected.setdefault(entry_id, "đã được xếp vào bảng đấu")
        for (draw,) in db.session.execute(select(Stage.draw).where(Stage.event_id.in_(events))):
            for entry_id in draw or ():
                if entry_id is not None:
                    self.protected.setdefault(entry_id, "đã có trong sơ đồ thi đấu")

    def add(self, row: int | None, col: int | None, message: str, owner: _Row | None = None) -> None:
        problem = Problem(SHEET, row, get_column_letter(col + 1) if col is not None else None, message)
        self.problems.append(problem)
        if owner is not None and owner.view is not None:
            owner.view.problems.append(problem)

    # -- headers ---------------------------------------------------------------------------
    def headers(self) -> bool:
        """Map the header row; False when the rows cannot be read without it."""
        header = self.sheet.header
        if not header:
            self.add(1, None, f"Dòng 1 của trang “{SHEET}” phải là dòng tiêu đề: {', '.join(FIXED_COLUMNS)}, "
                              "rồi đến mã các nội dung.")
            return False
        fixed = {_fold(name): name for name in FIXED_COLUMNS}
        seen: dict[str, int] = {}
        for i, value in enumerate(header):
            if _blank(value):
                continue
            if isinstance(value, _Formula):
                self.add(1, i, f"Ô tiêu đề chứa công thức ({_show(value)}); hãy ghi tên cột hoặc mã nội dung.")
                continue
            text = nfc(str(value))
            name = fixed.get(_fold(text))
            event = self.event_by_code.get(_key(text))
            key = name or (f"event:{event.id}" if event else None)
            if key is None:
                self.add(1, i, f"Cột “{_show(text)}” không phải cột của mẫu đăng ký, cũng không phải mã nội dung "
                               "nào của hội thao (xem trang Danh mục).")
                continue
            if key in seen:
                self.add(1, i, f"Cột “{_show(text)}” bị lặp: đã có ở cột {get_column_letter(seen[key] + 1)}.")
                continue
            seen[key] = i
            if name:
                self.columns[name] = i
            else:
                self.event_columns[event.id] = i
        missing = [name for name in FIXED_COLUMNS if name not in self.columns]
        for name in missing:
            self.add(1, None, f"Thiếu cột “{name}” ở dòng tiêu đề.")
        return not missing

    # -- rows ------------------------------------------------------------------------------
    def read_rows(self) -> None:
        known = set(self.columns.values()) | set(self.event_columns.values())
        header_len = len(self.sheet.header)
        headless: set[int] = set()
        events = {e.id: e for e in self.events}
        for number, values in self.sheet.rows:
            def cell(i: int) -> Any:
                return values[i] if i < len(values) else None

            row = _Row(number)
            row.view = RegistrationRow(number, "", "", "", "", None)
            self.rows.append(row)
            self._unit(row, cell(self.columns[COL_UNIT]))
            self._name(row, cell(self.columns[COL_NAME]))
            self._gender(row, cell(self.columns[COL_GENDER]))
            self._birth_year(row, cell(self.columns[COL_BIRTH]))
            for event_id, i in self.event_columns.items():
                if i < len(values) and values[i] is not None:
                    self._mark(row, events[event_id], i, values[i])
            for i, value in enumerate(values):
                if i not in known and not _blank(value) and i not in headless and (
                        i >= header_len or _blank(self.sheet.header[i])):
                    headless.add(i)
                    letter = get_column_letter(i + 1)
                    self.add(number, i, f"Ô có dữ liệu nhưng cột {letter} không có tiêu đề ở dòng 1; ghi mã nội "
                                        f"dung vào ô {letter}1 hoặc xoá dữ liệu của cột.", row)
        if self.sheet.too_many_rows is not None:
            cap = f"{MAX_ROWS:,}".replace(",", ".")
            self.add(self.sheet.too_many_rows, None, f"Trang “{SHEET}” có hơn {cap} dòng vận động viên; các dòng từ "
                                                     "đây không được đọc. Hãy chia thành nhiều tệp (ví dụ mỗi đơn vị "
                                                     "một tệp).")
        if not self.rows and self.sheet.too_many_rows is None:
            self.add(None, None, f"Trang “{SHEET}” chưa có vận động viên nào (điền từ dòng 2).")

    def _not_a_value(self, row: _Row, col: int, value: Any, what: str) -> bool:
        """Report a formula or an Excel error in the cell; True when there was one."""
        if isinstance(value, _Formula):
            self.add(row.number, col, f"Ô chứa công thức ({_show(value)}); hãy ghi {what}, không dùng công thức.", row)
            return True
        if isinstance(value, _ExcelError):
            self.add(row.number, col, f"Ô có lỗi Excel {_show(value)}; hãy ghi {what}.", row)
            return True
        return False

    def _unit(self, row: _Row, value: Any) -> None:
        col = self.columns[COL_UNIT]
        if _blank(value):
            self.add(row.number, col, "Thiếu mã đơn vị.", row)
            return
        if self._not_a_value(row, col, value, "mã đơn vị"):
            return
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = nfc(str(value))
        row.view.unit_code = text
        unit = None if _is_date(value) else (self.unit_by_code.get(_key(text)) or self.unit_by_name.get(_key(text)))
        if unit is None:
            self.add(row.number, col, f"Không có đơn vị “{_show(text)}” trong hội thao; ghi mã đơn vị như ở trang "
                                      "Danh mục (hoặc đúng tên đơn vị).", row)
            return
        row.view.unit_code, row.view.unit_name = unit.code, unit.name
        if unit.withdrawn:
            self.add(row.number, col, f"Đơn vị {unit.code} ({unit.name}) đã rút khỏi hội thao nên không nhận đăng ký.",
                     row)
            return
        row.unit = unit

    def _name(self, row: _Row, value: Any) -> None:
        col = self.columns[COL_NAME]
        if _blank(value):
            self.add(row.number, col, "Thiếu họ và tên.", row)
            return
        if self._not_a_value(row, col, value, "họ và tên"):
            return
        if _is_date(value):
            self.add(row.number, col, "Ô họ và tên chứa ngày tháng, không phải họ tên.", row)
            return
        if not isinstance(value, str):
            self.add(row.number, col, f"Ô họ và tên chứa một số ({_show(value)}), không phải họ tên.", row)
            return
        name = nfc(value)
        row.view.name = name
        if len(name) > NAME_MAX:
            self.add(row.number, col, f"Họ và tên dài {len(name)} ký tự; tối đa {NAME_MAX}.", row)
        elif any(ch.isdigit() for ch in name):
            self.add(row.number, col, f"Họ và tên “{_show(name)}” có chữ số; hãy ghi đúng họ tên.", row)
        elif name.startswith(("+", "@", "-")):
            self.add(row.number, col, f"Họ và tên “{_show(name)}” không được bắt đầu bằng “{name[0]}”.", row)
        else:
            row.name = name

    def _gender(self, row: _Row, value: Any) -> None:
        col = self.columns[COL_GENDER]
        if _blank(value):
            self.add(row.number, col, "Thiếu giới tính; ghi “Nam” hoặc “Nữ”.", row)
            return
        if self._not_a_value(row, col, value, "“Nam” hoặc “Nữ”"):
            return
        gender = {"nam": "M", "nu": "F"}.get(_fold(value)) if isinstance(value, str) else None
        if gender is None:
            self.add(row.number, col, f"Giới tính “{_show(value)}” không hợp lệ; ghi “Nam” hoặc “Nữ”.", row)
            return
        row.gender = row.view.gender = gender

    def _birth_year(self, row: _Row, value: Any) -> None:
        col = self.columns[COL_BIRTH]
        if _blank(value):
            return
        row.birth_ok = False
        if self._not_a_value(row, col, value, "năm sinh"):
            return
        if _is_date(value):
            self.add(row.number, col, "Năm sinh là một năm có bốn chữ số (ví dụ 1990), không phải ngày tháng.", row)
            return
        year = None
        if isinstance(value, bool):
            year = None
        elif isinstance(value, int):
            year = value
        elif isinstance(value, float) and value.is_integer():
            year = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\d{4}(\.0+)?", nfc(value)):
            year = int(nfc(value)[:4])
        last = date.today().year
        if year is None or not 1000 <= year <= 9999:
            self.add(row.number, col, f"Năm sinh “{_show(value)}” không hợp lệ; ghi năm có bốn chữ số, ví dụ 1990.",
                     row)
        elif not FIRST_BIRTH_YEAR <= year <= last:
            self.add(row.number, col, f"Năm sinh {year} không hợp lệ: phải từ {FIRST_BIRTH_YEAR} đến {last}.", row)
        else:
            row.birth_year = row.view.birth_year = year
            row.birth_ok = True

    def _mark(self, row: _Row, event: Event, col: int, value: Any) -> None:
        if _blank(value) or value is False:
            return
        if self._not_a_value(row, col, value, "x hoặc nhãn cặp/đội"):
            return
        if _is_date(value):
            self.add(row.number, col, f"Ô của nội dung {event.code} chứa ngày tháng; ghi x (nội dung đơn) hoặc "
                                      "nhãn cặp/đội như 1, 2, A.", row)
            return
        if value is True:
            value = "x"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        label = nfc(str(value))
        discipline = DISCIPLINES.get(event.discipline)
        singles = discipline is not None and discipline.size_max == 1
        row.marks[event.id] = (label, _key(label).replace(" ", ""))
        row.view.events.append(EventMark(event.code, "" if singles else label))

    # -- athletes --------------------------------------------------------------------------
    def match_athletes(self) -> None:
        first: dict[tuple[int, str, int | None], _Row] = {}
        claimed: dict[int, _Row] = {}
        for row in self.rows:
            if not row.identified:
                continue
            if row.birth_ok:
                ident = (row.unit.id, _key(row.name), row.birth_year)
                if ident in first:
                    born = f"sinh năm {row.birth_year}" if row.birth_year else "không ghi năm sinh"
                    self.add(row.number, self.columns[COL_NAME],
                             f"{row.name} ({row.unit.code}, {born}) đã có ở dòng {first[ident].number}; mỗi vận động "
                             "viên chỉ ghi một dòng.", row)
                    row.unit = None  # counted once, at its first row
                    continue
                first[ident] = row
            athlete = self._stored(row)
            if athlete is None:
                continue
            if athlete.id in claimed:
                other = claimed[athlete.id]
                self.add(row.number, self.columns[COL_NAME],
                         f"Dòng {other.number} và dòng {row.number} cùng là vận động viên {athlete.name} "
                         f"({row.unit.code}{f', sinh năm {athlete.birth_year}' if athlete.birth_year else ''}) "
                         "đã đăng ký; mỗi vận động viên chỉ ghi một dòng.", row)
                row.unit = None
                continue
            claimed[athlete.id] = row
            row.athlete = athlete
            row.view.athlete_id = athlete.id
        self.claimed = claimed

    def _stored(self, row: _Row) -> Athlete | None:
        """The stored athlete this row is: same unit and name, same birth year (or one side unknown)."""
        same_name = self.athletes_by_name.get((row.unit.id, _key(row.name)), [])
        if not same_name:
            return None
        if row.birth_year is not None:
            exact = [a for a in same_name if a.birth_year == row.birth_year]
            if exact:
                return exact[0]
            unknown = [a for a in same_name if a.birth_year is None]
            return unknown[0] if len(unknown) == 1 else None
        if not row.birth_ok:
            return None
        if len(same_name) == 1:
            return same_name[0]
        years = ", ".join(str(a.birth_year) if a.birth_year else "không rõ" for a in same_name)
        self.add(row.number, self.columns[COL_BIRTH],
                 f"{row.unit.code} đã có {len(same_name)} vận động viên tên {row.name} (năm sinh: {years}); ghi năm "
                 "sinh để biết là người nào.", row)
        row.unit = None
        return None

    # -- entries ---------------------------------------------------------------------------
    def desired_entries(self) -> dict[int, list[_Desired]]:
        events = {e.id: e for e in self.events if e.id in self.event_columns}
        singles = {}
        for event in events.values():
            discipline = DISCIPLINES.get(event.discipline)
            singles[event.id] = discipline is not None and discipline.size_max == 1
        groups: dict[int, dict[Any, _Desired]] = {event_id: {} for event_id in events}
        for row in self.rows:  # in sheet order, so members come in row order
            if not row.identified:
                continue
            for event_id, (label, key) in row.marks.items():
                single = singles[event_id]
                combined = not single and key.startswith(COMBINED_PREFIX)
                group = (row.number,) if single else (key,) if combined else (row.unit.id, key)
                found = groups[event_id].get(group)
                if found is None:
                    found = groups[event_id][group] = _Desired(events[event_id], "" if single else label, combined, [])
                found.members.append(row)
        return {event_id: list(found.values()) for event_id, found in groups.items()}

    def check_entries(self, desired: dict[int, list[_Desired]]) -> None:
        events = {e.id: e for e in self.events}
        for event_id, wanted in desired.items():
            event = events[event_id]
            col = self.event_columns[event_id]
            discipline = DISCIPLINES.get(event.discipline)
            per_unit: dict[int, list[_Desired]] = defaultdict(list)
            for d in wanted:
                per_unit[d.unit.id].append(d)
                where = self._who(d)
                first = d.members[0]
                if d.combined and not event.combined_allowed:
                    self.add(first.number, col,
                             f"Nhãn “{d.label}” bắt đầu bằng “{COMBINED_PREFIX}” là đội ghép nhiều đơn vị (dòng "
                             f"{_rows_text(d.rows)}), nhưng nội dung {event.code} không cho phép đội ghép; bỏ dấu "
                             f"“{COMBINED_PREFIX}” để ghép vận động viên trong cùng đơn vị.", first)
                if discipline is not None and all(r.gender for r in d.members):
                    genders = [r.gender for r in d.members]
                    one_gender = discipline.team or len(set(discipline.genders)) == 1
                    for message in discipline.problems(genders):
                        at = first
                        if one_gender and "chỉ dành cho" in message:
                            at = next(r for r in d.members if r.gender not in discipline.genders)
                        self.add(at.number, col, f"{event.code}{where}: {message}", at)
                roster = _roster(event) if discipline is not None and discipline.team else ""
                size = len(d.members)
                if roster and not (event.roster_min or 0) <= size <= (event.roster_max or size):
                    self.add(first.number, col, f"{event.code}{where}: đội có {size} vận động viên; nội dung này cần "
                                                f"{roster} vận động viên mỗi đội.", first)
                for r in d.members:
                    athlete = r.athlete
                    if athlete is not None and athlete.withdrawn and d.existing is None:
                        self.add(r.number, col, f"{r.name} đã rút khỏi hội thao nên không thể đăng ký mới nội dung "
                                                f"{event.code}.", r)
                band = age_band(event)
                if band:
                    for r in d.members:
                        if r.birth_year is not None and not in_age_band(event, r.birth_year):
                            self.add(r.number, col, f"{r.name} sinh năm {r.birth_year}, ngoài độ tuổi của nội dung "
                                                    f"{event.code} ({band}).", r)
            limit = _entry_limit(self.festival, event)
            if limit is not None:
                for unit_id, listed in per_unit.items():
                    if len(listed) > limit:
                        listed.sort(key=lambda d: d.rows[0])
                        over = listed[limit]
                        self.add(over.rows[0], col,
                                 f"{over.unit.code} có {len(listed)} đăng ký ở nội dung {event.code} (dòng "
                                 f"{_rows_text(d.rows[0] for d in listed)}); mỗi đơn vị được đăng ký tối đa {limit}.",
                                 over.members[0])
        self._check_missing_birth_years(desired, events)

    def _who(self, d: _Desired) -> str:
        if not d.label:
            return ""
        if d.combined:
            return f", đội ghép nhãn “{d.label}” (dòng {_rows_text(d.rows)})"
        return f", nhãn “{d.label}” của {d.unit.code} (dòng {_rows_text(d.rows)})"

    def _check_missing_birth_years(self, desired, events) -> None:
        banded: dict[int, list[Event]] = defaultdict(list)
        rows = {}
        for event_id, wanted in desired.items():
            if not age_band(events[event_id]):
                continue
            for d in wanted:
                for r in d.members:
                    if r.birth_year is None and r.birth_ok:
                        banded[r.number].append(events[event_id])
                        rows[r.number] = r
        for number, listed in banded.items():
            text = "; ".join(f"{e.code}: {age_band(e)}" for e in listed)
            self.add(number, self.columns[COL_BIRTH],
                     f"Thiếu năm sinh: nội dung có giới hạn độ tuổi ({text}) cần năm sinh của vận động viên.",
                     rows[number])

    def check_events_per_athlete(self, desired: dict[int, list[_Desired]]) -> None:
        limit = self.festival.max_events_per_athlete
        if limit is None:
            return
        entered: dict[int, list[Event]] = defaultdict(list)
        for event in self.events:
            for d in desired.get(event.id, ()):
                for r in d.members:
                    entered[r.number].append(event)
        # Entries in events without a column stay as they are, and count too.
        elsewhere: dict[int, list[Event]] = defaultdict(list)
        events = {e.id: e for e in self.events}
        for entry in self.entries:
            if entry.event_id not in self.event_columns:
                for m in entry.members:
                    elsewhere[m.athlete_id].append(events[entry.event_id])
        for row in self.rows:
            if not row.identified:
                continue
            listed = entered.get(row.number, [])
            total = listed + (elsewhere.get(row.athlete.id, []) if row.athlete else [])
            if len(total) > limit:
                at = listed[min(limit, len(listed) - 1)] if listed else None
                codes = ", ".join(e.code for e in total)
                self.add(row.number, self.event_columns[at.id] if at else self.columns[COL_NAME],
                         f"{row.name} đăng ký {len(total)} nội dung ({codes}); mỗi vận động viên được đăng ký tối đa "
                         f"{limit} nội dung.", row)

    # -- comparing with what is stored -----------------------------------------------------
    def compare(self, desired: dict[int, list[_Desired]], plan: RegistrationPlan) -> None:
        covered = {r.unit.id for r in self.rows if r.identified}
        unit_of = {a.id: a.unit_id for a in self.athletes}
        row_of = {r.athlete.id: r for r in self.rows if r.identified and r.athlete is not None}
        events = {e.id: e for e in self.events}
        units = {u.id: u for u in self.units}
        names = {a.id: a.name for a in self.athletes}
        row_by_number = {r.number: r for r in self.rows}
        changed_rows: set[int] = set()
        existing_by_event: dict[int, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.event_id in self.event_columns and (
                    entry.unit_id in covered or any(unit_of.get(m.athlete_id) in covered for m in entry.members)):
                existing_by_event[entry.event_id].append(entry)
        for event in self.events:
            if event.id not in self.event_columns:
                continue
            stored = {}
            for entry in existing_by_event.get(event.id, ()):
                stored.setdefault(frozenset(m.athlete_id for m in entry.members), entry)
            kept: set[int] = set()
            for d in desired[event.id]:
                entry = stored.get(d.member_keys)
                players = [r.name for r in d.members]
                if entry is not None and entry.id not in kept:
                    d.existing = entry
                    kept.add(entry.id)
                    plan.unchanged_entries += 1
                    plan.entries.append(EntryChange(event.code, event.name, units[entry.unit_id].code, players,
                                                    UNCHANGED, d.label, d.rows, entry.id))
                    continue
                plan.new_entries += 1
                changed_rows.update(d.rows)
                plan.entries.append(EntryChange(event.code, event.name, d.unit.code, players, NEW, d.label, d.rows))
                plan._create_entries.append(_NewEntry(event.id, d.unit.id, [r.key for r in d.members],
                                                      self._entry_name(event, d, desired[event.id])))
            for entry in existing_by_event.get(event.id, ()):
                if entry.id in kept:
                    continue
                players = [names.get(m.athlete_id, "?") for m in entry.members]
                rows = [row_of[m.athlete_id].number for m in entry.members if m.athlete_id in row_of]
                reason = self.protected.get(entry.id)
                if reason is not None:
                    who = " / ".join(players) or entry.name or units[entry.unit_id].display_name
                    at = min(rows) if rows else None
                    self.add(at, self.event_columns[event.id] if rows else None,
                             f"Không thể bỏ hay thay đổi đăng ký {who} ({units[entry.unit_id].code}) ở nội dung "
                             f"{event.code}: đăng ký này {reason}. Hãy giữ nguyên đăng ký này trong tệp, hoặc nhờ ban "
                             "tổ chức xử lý (rút lui).", row_by_number.get(at))
                    continue
                plan.removed_entries += 1
                changed_rows.update(rows)
                plan._remove_entries.append(entry.id)
                plan.entries.append(EntryChange(event.code, event.name, units[entry.unit_id].code, players, REMOVED,
                                                "", rows, entry.id))
        self._rows_status(plan, changed_rows)
        plan.units = [u.code for u in self.units if u.id in covered]
        plan.events = [events[i].code for i in sorted(self.event_columns, key=self.event_columns.get)]
        plan.absent_athletes = sum(1 for a in self.athletes if a.unit_id in covered and a.id not in self.claimed)

    def _entry_name(self, event: Event, d: _Desired, wanted: list[_Desired]) -> str:
        discipline = DISCIPLINES.get(event.discipline)
        if discipline is None or not discipline.team:
            return ""
        word = discipline.label.replace("Đồng đội", "Đội")
        units: list[str] = []
        for r in d.members:
            if r.unit.display_name not in units:
                units.append(r.unit.display_name)
        name = f"{word} – {' / '.join(units)}"
        if not d.combined and sum(1 for o in wanted if not o.combined and o.unit.id == d.unit.id) > 1:
            name += f" ({d.label})"
        return name[:200]

    def _rows_status(self, plan: RegistrationPlan, changed_rows: set[int]) -> None:
        for row in self.rows:
            view = row.view
            plan.rows.append(view)
            if not row.identified:
                continue
            athlete = row.athlete
            if athlete is None:
                view.status = NEW
                plan.new_athletes += 1
                plan._create_athletes.append(_NewAthlete(-row.number, row.unit.id, row.name, row.gender or "M",
                                                         row.birth_year))
                continue
            update: dict[str, Any] = {}
            if athlete.name != row.name:
                update["name"] = row.name
                view.changes.append("họ và tên")
            if row.gender and athlete.gender != row.gender:
                update["gender"] = row.gender
                view.changes.append("giới tính")
            if row.birth_year is not None and athlete.birth_year != row.birth_year:
                update["birth_year"] = row.birth_year
                view.changes.append("năm sinh")
            if row.number in changed_rows:
                view.changes.append("nội dung")
            if update:
                plan._update_athletes[athlete.id] = update
            if view.changes:
                view.status = UPDATED
                plan.updated_athletes += 1
            else:
                view.status = UNCHANGED
                plan.unchanged_athletes += 1


def _order(problem: Problem) -> tuple:
    column = problem.column or ""
    return (problem.row or 0, len(column), column)


def read(festival: Festival, data: bytes, filename: str = "") -> RegistrationPlan:
    """Parse and check a registration workbook; never writes. See ``RegistrationPlan``."""
    plan = RegistrationPlan(festival_id=festival.id, revision=festival.revision or 0, filename=filename)
    try:
        sheet = _load_sheet(data)
    except _Unreadable as exc:
        plan.problems.append(exc.problem)
        return plan
    checker = _Checker(festival, sheet)
    if checker.headers():
        checker.read_rows()
        checker.match_athletes()
        desired = checker.desired_entries()
        checker.compare(desired, plan)
        checker.check_entries(desired)
        checker.check_events_per_athlete(desired)
    plan.problems = sorted(checker.problems, key=_order)
    for row in plan.rows:
        row.problems.sort(key=_order)
    return plan


# ------------------------------------------------------------------------------- writing

def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def apply(festival: Festival, plan: RegistrationPlan, actor=None) -> RegistrationPlan:
    """Write a clean plan (flush, never commit). RegistrationProblems if it is not clean or stale."""
    if not plan.ok:
        raise RegistrationProblems(plan.problems)
    if plan.applied or plan.festival_id != festival.id or plan.revision != (festival.revision or 0):
        raise RegistrationProblems([Problem("", None, None, STALE)])

    for ids in _chunks(list(plan._update_athletes)):
        for athlete in db.session.scalars(select(Athlete).where(Athlete.id.in_(ids))):
            for name, value in plan._update_athletes[athlete.id].items():
                setattr(athlete, name, value)

    used_refs = set(db.session.scalars(select(Athlete.ref).where(Athlete.festival_id == festival.id)))
    next_ref = len(used_refs) + 1
    created: dict[int, Athlete] = {}
    for new in plan._create_athletes:
        while f"a{next_ref}" in used_refs:
            next_ref += 1
        ref = f"a{next_ref}"
        used_refs.add(ref)
        created[new.key] = Athlete(festival_id=festival.id, unit_id=new.unit_id, ref=ref, name=new.name,
                                   gender=new.gender, birth_year=new.birth_year)
    db.session.add_all(created.values())

    for ids in _chunks(plan._remove_entries):
        for entry in db.session.scalars(select(Entry).where(Entry.id.in_(ids))):
            db.session.delete(entry)
    db.session.flush()

    touched = sorted({n.event_id for n in plan._create_entries})
    refs: dict[int, set[str]] = defaultdict(set)
    positions: dict[int, int] = defaultdict(int)
    if touched:
        for event_id, ref, position in db.session.execute(
                select(Entry.event_id, Entry.ref, Entry.position).where(Entry.event_id.in_(touched))):
            refs[event_id].add(ref)
            positions[event_id] = max(positions[event_id], position + 1)
    codes = dict(db.session.execute(select(Event.id, Event.code).where(Event.festival_id == festival.id)).all())
    unit_codes = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.festival_id == festival.id)).all())
    for new in plan._create_entries:
        base = f"{codes[new.event_id]}-{unit_codes[new.unit_id]}"[:34]
        ref, n = base, 1
        while ref in refs[new.event_id]:
            n += 1
            ref = f"{base}-{n}"
        refs[new.event_id].add(ref)
        entry = Entry(event_id=new.event_id, unit_id=new.unit_id, ref=ref, name=new.name,
                      position=positions[new.event_id])
        positions[new.event_id] += 1
        for k, key in enumerate(new.members):
            if key > 0:
                entry.members.append(EntryAthlete(athlete_id=key, position=k))
            else:
                entry.members.append(EntryAthlete(athlete=created[key], position=k))
        db.session.add(entry)

    festival.bump()
    db.session.flush()
    # Collections loaded before the import are stale now (rows were added by foreign key).
    for event in festival.events:
        db.session.expire(event, ["entries"])
    for unit in festival.units:
        db.session.expire(unit, ["athletes"])
    db.session.expire(festival, ["athletes"])
    audit.record("registration.import", festival, after={"file": plan.filename, "units": plan.units,
                                                         **plan.summary()},
                 reason=f"Tệp {plan.filename}" if plan.filename else "", festival_id=festival.id, actor=actor)
    plan.applied = True
    return plan


def import_workbook(festival: Festival, data: bytes, *, dry_run: bool = False, actor=None,
                    filename: str = "") -> RegistrationPlan:
    """Read and, unless ``dry_run``, apply. RegistrationProblems on any problem (nothing written)."""
    plan = read(festival, data, filename)
    if not plan.ok:
        raise RegistrationProblems(plan.problems)
    if dry_run:
        return plan
    return apply(festival, plan, actor=actor)


# ------------------------------------------------------------------------------- the template

def _kind(event: Event) -> tuple[str, str]:
    """(what the discipline is, how to mark it)."""
    d = DISCIPLINES.get(event.discipline)
    if d is None:
        return event.discipline, "x hoặc nhãn"
    if d.size_max == 1:
        return d.label, "x"
    if d.team:
        return d.label, "nhãn đội (ví dụ A)"
    return d.label, f"nhãn cặp (ví dụ 1), {d.size_min} vận động viên"


def _guide_lines(festival: Festival) -> list[tuple[str, Font | None]]:
    limit_events = festival.max_events_per_athlete
    limit_entries = festival.max_entries_per_unit
    return [
        ("HƯỚNG DẪN ĐIỀN SỔ ĐĂNG KÝ", TITLE),
        (festival.name, BOLD),
        ("", None),
        ("Cách điền", BOLD),
        (f"• Mỗi vận động viên ghi một dòng ở trang “{SHEET}”, từ dòng 2. Không đổi tên trang, không sửa dòng tiêu "
         "đề (dòng 1); dòng trống được bỏ qua. Các trang khác (Hướng dẫn, Danh mục) không được đọc khi nhập.", None),
        (f"• {COL_UNIT}: chọn trong danh sách (xem trang “{LISTS_SHEET}”); ghi đúng tên đơn vị cũng được.", None),
        (f"• {COL_NAME}: họ tên đầy đủ, có dấu, không có chữ số.", None),
        (f"• {COL_GENDER}: “Nam” hoặc “Nữ”.", None),
        (f"• {COL_BIRTH}: năm có bốn chữ số, ví dụ 1990 (bắt buộc với nội dung có giới hạn độ tuổi).", None),
        ("• Mỗi cột sau đó là một nội dung, tiêu đề là mã nội dung (bảng bên dưới). Để trống = không đăng ký.",
         None),
        ("• Nội dung đơn: ghi x vào ô của vận động viên.", None),
        ("• Nội dung đôi, đôi nam nữ và đồng đội: ghi một nhãn (ví dụ 1, 2, A). Các vận động viên cùng đơn vị có "
         "cùng nhãn trong cùng một cột là một cặp (một đội). Hai cặp của một đơn vị dùng hai nhãn khác nhau.", None),
        (f"• Đội ghép (vận động viên của nhiều đơn vị), chỉ ở nội dung ghi “Có” ở cột Đội ghép: nhãn bắt đầu bằng "
         f"dấu {COMBINED_PREFIX} (ví dụ {COMBINED_PREFIX}1). Mọi vận động viên có cùng nhãn {COMBINED_PREFIX}1 trong "
         "cột đó, dù thuộc đơn vị nào, là một cặp (một đội); cặp được tính cho đơn vị của vận động viên ghi ở dòng "
         "trên cùng. Đội ghép phải có đủ các thành viên trong cùng một tệp.", None),
        ("• Không dùng công thức: mỗi ô phải là giá trị gõ vào.", None),
        ("", None),
        ("Gửi lại tệp để sửa đăng ký", BOLD),
        ("• Vận động viên được nhận ra theo đơn vị, họ tên (không phân biệt chữ hoa, chữ thường) và năm sinh: gửi "
         "lại không tạo người trùng, chỉ cập nhật.", None),
        ("• Với mỗi đơn vị có trong tệp, đăng ký của đơn vị ở mỗi nội dung có cột trong tệp trở thành đúng như tệp "
         "ghi: cặp/đội giữ nguyên người thì được giữ nguyên, cặp/đội mới được thêm, cặp/đội không còn trong tệp bị "
         "bỏ. Đơn vị không có trong tệp không bị thay đổi. Vận động viên không có trong tệp vẫn được giữ lại.", None),
        ("• Đăng ký đã bốc thăm, đã xếp bảng hoặc đã thi đấu thì không thể bỏ hay đổi người qua tệp; hãy liên hệ "
         "ban tổ chức.", None),
        ("• Tệp có lỗi thì không có gì được ghi; mỗi lỗi được báo kèm ô (ví dụ “Đăng ký!C14”).", None),
        ("", None),
        ("Quy định đăng ký của hội thao", BOLD),
        ((f"• Mỗi vận động viên được đăng ký tối đa {limit_events} nội dung." if limit_events is not None
          else "• Không giới hạn số nội dung mỗi vận động viên được đăng ký."), None),
        ((f"• Mỗi đơn vị được đăng ký tối đa {limit_entries} cặp/đội/vận động viên ở mỗi nội dung, trừ khi nội dung "
          "có quy định riêng (bảng dưới)." if limit_entries is not None
          else "• Số đăng ký của mỗi đơn vị ở mỗi nội dung theo quy định riêng của nội dung (bảng dưới)."), None),
    ]


GUIDE_EVENT_HEADERS = ("Mã nội dung", "Tên nội dung", "Môn", "Loại", "Cách ghi", "Số đăng ký tối đa mỗi đơn vị",
                       "Độ tuổi", "Số vận động viên mỗi đội", "Đội ghép")


def template(festival: Festival, *, filled: bool = False) -> bytes:
    """The registration workbook for this festival (with ``filled``: today's registrations in it)."""
    units = list(db.session.scalars(select(Unit).where(Unit.festival_id == festival.id).order_by(Unit.id)))
    active = [u for u in units if not u.withdrawn]
    events = list(db.session.scalars(select(Event).where(Event.festival_id == festival.id)
                                     .order_by(Event.position, Event.id)))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [*FIXED_COLUMNS, *(e.code for e in events)]
    for col, text in enumerate(headers, start=1):
        put(ws, 1, col, text, font=BOLD, fill=HEADER_FILL, alignment=Alignment(horizontal="center"))
    for col, width in enumerate((14, 30, 10, 10), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for col, event in enumerate(events, start=len(FIXED_COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(col)].width = max(9, len(event.code) + 3)
        label, mark = _kind(event)
        ws.cell(row=1, column=col).comment = Comment(f"{event.name}\n{label}: ghi {mark}.", "Ban tổ chức",
                                                     width=220, height=80)
    ws.freeze_panes = "C2"
    last = MAX_ROWS + 1
    if active:
        unit_list = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!$A$2:$A${len(active) + 1}",
                                   allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                   errorTitle=COL_UNIT, error="Chọn mã đơn vị trong danh sách (trang Danh mục).")
        unit_list.add(f"A2:A{last}")
        ws.add_data_validation(unit_list)
    gender_list = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True, showErrorMessage=True,
                                 errorTitle=COL_GENDER, error="Ghi Nam hoặc Nữ.")
    gender_list.add(f"C2:C{last}")
    ws.add_data_validation(gender_list)
    year = DataValidation(type="whole", operator="between", formula1=str(FIRST_BIRTH_YEAR),
                          formula2=str(date.today().year), allow_blank=True, showErrorMessage=True,
                          errorTitle=COL_BIRTH, error="Năm sinh là năm có bốn chữ số, ví dụ 1990.")
    year.add(f"D2:D{last}")
    ws.add_data_validation(year)
    if filled:
        _fill(ws, festival, active, events)

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 14
    row = 0
    for row, (text, font) in enumerate(_guide_lines(festival), start=1):
        cell = put(guide, row, 1, text, font=font or Font())
        if text.startswith("•"):
            guide.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(GUIDE_EVENT_HEADERS))
            cell.alignment = WRAP
            guide.row_dimensions[row].height = 15 * (1 + len(text) // 120)
    row += 2
    put(guide, row, 1, "Các nội dung", font=BOLD)
    row += 1
    for col, (text, width) in enumerate(zip(GUIDE_EVENT_HEADERS, (14, 30, 12, 14, 26, 14, 28, 14, 10)), start=1):
        put(guide, row, col, text, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        guide.column_dimensions[get_column_letter(col)].width = width
    for event in events:
        row += 1
        label, mark = _kind(event)
        limit = _entry_limit(festival, event)
        discipline = DISCIPLINES.get(event.discipline)
        values = (event.code, event.name, SPORTS.get(event.sport, event.sport), label, mark,
                  limit if limit is not None else "không giới hạn", age_band(event) or "không giới hạn",
                  _roster(event) if discipline is not None and discipline.team else "",
                  "Có" if event.combined_allowed else "Không")
        for col, value in enumerate(values, start=1):
            put(guide, row, col, value, alignment=WRAP)

    lists = wb.create_sheet(LISTS_SHEET)
    for col, (text, width) in enumerate(zip(("Mã đơn vị", "Tên đơn vị", "", "Mã nội dung", "Tên nội dung", "",
                                             "Giới tính"), (14, 40, 3, 14, 36, 3, 10)), start=1):
        if text:
            put(lists, 1, col, text, font=BOLD, fill=HEADER_FILL)
        lists.column_dimensions[get_column_letter(col)].width = width
    for r, unit in enumerate(active, start=2):
        put(lists, r, 1, unit.code)
        put(lists, r, 2, unit.name)
    for r, event in enumerate(events, start=2):
        put(lists, r, 4, event.code)
        put(lists, r, 5, event.name)
    for r, word in enumerate(GENDER_LABELS.values(), start=2):
        put(lists, r, 7, word)
    lists.freeze_panes = "A2"
    return to_bytes(wb)


def _fill(ws, festival: Festival, units: list[Unit], events: list[Event]) -> None:
    """Today's registrations as rows (athletes by unit, in Vietnamese order), labelled to re-import as they are."""
    unit_ids = {u.id for u in units}
    athletes = [a for a in db.session.scalars(select(Athlete).where(Athlete.festival_id == festival.id))
                if a.unit_id in unit_ids]
    unit_pos = {u.id: i for i, u in enumerate(units)}
    athletes.sort(key=lambda a: (unit_pos[a.unit_id], person_sort_key(a.name), a.birth_year or 0, a.id))
    unit_of = {a.id: a.unit_id for a in athletes}
    marks: dict[tuple[int, int], str] = {}
    column = {e.id: col for col, e in enumerate(events, start=len(FIXED_COLUMNS) + 1)}
    entries = db.session.scalars(select(Entry).join(Event, Event.id == Entry.event_id)
                                 .where(Event.festival_id == festival.id)
                                 .options(selectinload(Entry.members)).order_by(Entry.position, Entry.id))
    disciplines = {e.id: DISCIPLINES.get(e.discipline) for e in events}
    counters: dict[tuple[int, Any], int] = defaultdict(int)
    for entry in entries:
        discipline = disciplines[entry.event_id]
        members = [m.athlete_id for m in entry.members if m.athlete_id in unit_of]
        if not members:
            continue
        if discipline is not None and discipline.size_max == 1:
            label = "x"
        elif len({unit_of[a] for a in members}) > 1:
            counters[(entry.event_id, "*")] += 1
            label = f"{COMBINED_PREFIX}{counters[(entry.event_id, '*')]}"
        else:
            counters[(entry.event_id, entry.unit_id)] += 1
            label = str(counters[(entry.event_id, entry.unit_id)])
        for athlete_id in members:
            marks[(athlete_id, entry.event_id)] = label
    codes = {u.id: u.code for u in units}
    for r, athlete in enumerate(athletes, start=2):
        for col, value in enumerate((codes[athlete.unit_id], athlete.name, GENDER_LABELS.get(athlete.gender, ""),
                                     athlete.birth_year), start=1):
            put(ws, r, col, value)
        for event in events:
            label = marks.get((athlete.id, event.id))
            if label:
                put(ws, r, column[event.id], label)


__all__ = [
    "COMBINED_PREFIX", "EntryChange", "EventMark", "MAX_BYTES", "MAX_ROWS", "NEW", "Problem", "REMOVED",
    "RegistrationPlan", "RegistrationProblems", "RegistrationRow", "SHEET", "UNCHANGED", "UPDATED", "apply",
    "import_workbook", "read", "template",
]

"""Reading the audit trail: a festival's, an event's or a match's rows, newest first, filtered
by person and kind, with what changed in words and times in Vietnam time; and the same rows
as an Excel workbook.

Audit rows have no foreign key and outlive what they describe, and on SQLite a deleted row's
id is handed out again. So a row counts as being about one of today's objects only when it
was written after that object could exist:

* a replaced festival keeps its id and its history, but everything in it was deleted and
  rebuilt: rows written before the festival's latest creation (``festival.create``,
  ``festival.import``, ``festival.replace``) are shown under the festival only;
* a redraw deletes the event's stages, groups and matches: a row about a match, stage or
  group counts for today's object only if written after that event's latest ``draw.make``.

A row whose object is gone stays under the festival, and is shown under an event too when an
entry it names (a match's winner, a lot's order) still belongs to that event. What this
module does not know: which event a gone object belonged to when no entry is named (such a
row is under the festival only), and whether an id freed by some other deletion (an entry
removed by a registration re-upload, a court, a bracket's play-off) was reused.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment
from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from sports.domain.disciplines import DISCIPLINES, SPORTS
from sports.extensions import db
from sports.importers.exports import BOLD, BOX, TITLE, WRAP, header_row, put, to_bytes
from sports.models import (Athlete, AuditEntry, Court, Entry, EntryAthlete, Event, Festival, Group, Match,
                           ScheduleSession, Stage, Unit, User)
from sports.services.draws import STRUCTURES
from sports.services.errors import NotFound
from sports.services.schedule import VN

PER_PAGE = 100
EXPORT_CHUNK = 1000

# ------------------------------------------------------------------------------ vocabulary

KINDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("match", "Kết quả trận đấu", ("match.",)),
    ("draw", "Bốc thăm", ("draw.",)),
    ("schedule", "Lịch thi đấu", ("schedule.",)),
    ("event", "Nội dung thi đấu", ("event.",)),
    ("people", "Đơn vị và vận động viên", ("unit.", "athlete.")),
    ("registration", "Đăng ký (Excel)", ("registration.",)),
    ("festival", "Thông tin hội thao", ("festival.",)),
    ("accounts", "Tài khoản và trọng tài", ("user.", "token.", "referee.")),
    ("emulation", "Bảng điểm thi đua", ("emulation.",)),
    ("awards", "Giấy chứng nhận và trao giải", ("certificates.", "ceremony.")),
]
OTHER_KIND = ("other", "Khác")
KIND_LABELS = {key: label for key, label, _ in KINDS} | {OTHER_KIND[0]: OTHER_KIND[1]}
_ALL_PREFIXES = tuple(p for _, _, prefixes in KINDS for p in prefixes)

ACTION_LABELS = {
    "match.result": "Ghi kết quả",
    "match.void": "Hủy kết quả",
    "match.confirm": "Xác nhận kết quả",
    "match.reject": "Trả lại kết quả",
    "festival.create": "Tạo hội thao",
    "festival.update": "Sửa thông tin hội thao",
    "festival.current": "Chọn hội thao hiển thị trên trang chủ",
    "festival.import": "Nhập từ tệp",
    "festival.replace": "Thay thế từ tệp",
    "unit.create": "Thêm đơn vị",
    "unit.update": "Sửa đơn vị",
    "unit.withdraw": "Đơn vị rút khỏi hội thao",
    "unit.restore": "Đơn vị tham gia lại",
    "athlete.create": "Thêm vận động viên",
    "athlete.update": "Sửa vận động viên",
    "athlete.withdraw": "Vận động viên rút",
    "athlete.restore": "Vận động viên tham gia lại",
    "event.create": "Thêm nội dung",
    "event.update": "Sửa nội dung",
    "draw.make": "Bốc thăm, lập sơ đồ",
    "draw.lock": "Khóa sơ đồ",
    "draw.unlock": "Mở khóa sơ đồ",
    "draw.seeds": "Đặt hạt giống",
    "draw.qualify": "Xác nhận đội vào vòng loại trực tiếp",
    "draw.requalify": "Cập nhật đội vào vòng loại trực tiếp sau khi sửa kết quả vòng bảng",
    "draw.lots": "Ghi kết quả bốc thăm xếp hạng",
    "schedule.courts": "Thêm sân",
    "schedule.court_remove": "Xóa sân",
    "schedule.court_rename": "Đổi tên sân",
    "schedule.session": "Thêm buổi thi đấu",
    "schedule.session_remove": "Xóa buổi thi đấu",
    "schedule.settings": "Sửa thiết lập lịch",
    "schedule.generate": "Xếp lịch tự động",
    "schedule.move": "Đổi sân, giờ của trận",
    "schedule.not_before": "Đặt giờ thi đấu sớm nhất",
    "referee.assign": "Phân công trọng tài",
    "registration.import": "Nhập đăng ký (Excel)",
    "user.create": "Tạo tài khoản",
    "user.password_reset": "Cấp mật khẩu dùng một lần",
    "user.password_change": "Đổi mật khẩu",
    "token.create": "Tạo mã API",
    "token.revoke": "Thu hồi mã API",
    "user.sessions_end": "Kết thúc các phiên đăng nhập",
    "user.scope": "Mở rộng phạm vi hội thao của tài khoản",
    "emulation.create": "Tạo bảng điểm thi đua",
    "emulation.settings": "Sửa thiết lập bảng điểm thi đua",
    "emulation.copy": "Sao chép bảng điểm từ năm trước",
    "emulation.criterion_add": "Thêm tiêu chí thi đua",
    "emulation.criterion_update": "Sửa tiêu chí thi đua",
    "emulation.criterion_delete": "Xóa tiêu chí thi đua",
    "emulation.criterion_move": "Đổi thứ tự tiêu chí",
    "emulation.criteria_import": "Nhập tiêu chí thi đua (Excel)",
    "emulation.score": "Chấm điểm thi đua",
    "emulation.adjustment_add": "Thêm điểm cộng/trừ",
    "emulation.adjustment_delete": "Xóa điểm cộng/trừ",
    "certificates.settings": "Sửa thiết lập giấy chứng nhận",
    "certificates.sync": "Cấp, thu hồi giấy chứng nhận",
    "ceremony.handed": "Đánh dấu đã trao giải",
}

TYPE_LABELS = {
    "match": "Trận", "event": "Nội dung", "entry": "Đăng ký thi đấu", "group": "Bảng", "stage": "Giai đoạn",
    "unit": "Đơn vị", "athlete": "Vận động viên", "court": "Sân", "schedulesession": "Buổi thi đấu",
    "user": "Tài khoản", "festival": "Hội thao", "apitoken": "Mã API",
}

KEY_LABELS = {
    "sets": "Tỉ số", "outcome": "Kiểu kết quả", "winner": "Bên thắng", "status": "Trạng thái",
    "confirmed": "Đã xác nhận", "court": "Sân", "at": "Giờ", "not_before": "Không sớm hơn", "start": "Bắt đầu",
    "end": "Kết thúc", "name": "Tên", "code": "Mã", "short_name": "Tên viết tắt", "withdrawn": "Đã rút",
    "revision": "Phiên bản dữ liệu", "slug": "Mã hội thao", "events": "Nội dung", "structure": "Thể thức",
    "rng_seed": "Mã bốc thăm", "groups": "Số bảng", "qualifiers": "Mỗi bảng lấy vào vòng sau",
    "seeds": "Số hạt giống", "separation": "Tách các đội cùng đơn vị", "stages": "Sơ đồ", "draw": "Sơ đồ",
    "labels": "Vị trí theo bảng", "sport": "Môn", "discipline": "Nội dung", "gender": "Giới tính",
    "birth_year": "Năm sinh", "unit": "Đơn vị", "min_rest": "Nghỉ tối thiểu giữa hai trận (phút)",
    "slot_minutes": "Thời gian một trận (phút)", "placed": "Số trận xếp được", "unplaced": "Số trận chưa xếp",
    "added": "Sân thêm", "festivals": "Hội thao", "courts": "Sân", "username": "Tên đăng nhập",
    "role": "Vai trò", "prefix": "Mã (đầu)", "revoked": "Đã thu hồi", "must_change_password": "Phải đổi mật khẩu",
    "file": "Tệp", "units": "Đơn vị", "athletes": "Vận động viên", "entries": "Đăng ký thi đấu",
    "current": "Hội thao trên trang chủ", "best_of": "Số ván tối đa", "points": "Điểm mỗi ván",
    "deciding_points": "Điểm ván quyết định", "cap": "Điểm trần", "ranking_preset": "Luật xếp hạng",
    "ranking_options": "Tùy chọn xếp hạng", "third_place": "Hạng ba", "max_entries_per_unit": "Số đăng ký mỗi đơn vị",
    "roster_min": "Số VĐV tối thiểu", "roster_max": "Số VĐV tối đa", "birth_year_min": "Sinh từ năm",
    "birth_year_max": "Sinh đến năm", "combined_allowed": "Cho phép ghép đơn vị", "organiser": "Đơn vị tổ chức",
    "place": "Địa điểm", "start_date": "Ngày bắt đầu", "end_date": "Ngày kết thúc", "staff_no": "Mã nhân viên",
    "note": "Ghi chú", "needs_confirmation": "Cần xác nhận kết quả", "matches": "Số trận",
}

STATUS_LABELS = {"scheduled": "chưa đấu", "in_progress": "đang đấu", "completed": "đã có kết quả"}
OUTCOME_LABELS = {"normal": "thi đấu bình thường", "walkover": "bỏ cuộc / không đến (w.o.)",
                  "retired": "bỏ dở giữa trận (ret.)", "disqualified": "truất quyền thi đấu",
                  "double_walkover": "cả hai bên không đến"}
SEPARATION_LABELS = {"full": "đầy đủ", "first_round": "chỉ vòng đầu", "none": "không tách"}
ROLE_LABELS = {"admin": "quản trị", "organiser": "ban tổ chức", "referee": "trọng tài", "unit": "lãnh đạo đơn vị"}
GENDER_LABELS = {"M": "Nam", "F": "Nữ"}
TIME_KEYS = {"at", "not_before", "start", "end", "start_date", "end_date"}
ENTRY_KEYS = {"winner", "home", "away"}
_NOTHING = "—"


def action_label(action: str, before: Any = None) -> str:
    if action == "match.result" and isinstance(before, dict) and before.get("status") == "completed":
        return "Sửa kết quả"
    return ACTION_LABELS.get(action, action)


def kind_of(action: str) -> str:
    for key, _, prefixes in KINDS:
        if action.startswith(prefixes):
            return key
    return OTHER_KIND[0]


def _kind_clause(kind: str) -> ColumnElement[bool]:
    if kind == OTHER_KIND[0]:
        return not_(or_(*[AuditEntry.action.startswith(p, autoescape=True) for p in _ALL_PREFIXES]))
    prefixes = next(p for k, _, p in KINDS if k == kind)
    return or_(*[AuditEntry.action.startswith(p, autoescape=True) for p in prefixes])


def vn_time(at: datetime | None) -> datetime | None:
    """An audit time (UTC; SQLite gives it back without its zone) as naive Vietnam time."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(VN).replace(tzinfo=None)


# ---------------------------------------------------------------------------------- results

@dataclass
class Change:
    label: str
    before: str | None  # None: there was no "before" (a creation)
    after: str | None   # None: there is no "after" (a removal)


@dataclass
class Row:
    id: int
    at: datetime | None          # Vietnam time
    actor: str
    actor_name: str
    action: str
    action_label: str
    kind: str
    kind_label: str
    object_label: str
    event_code: str | None       # set when the row is about one of today's events (for links)
    match_id: int | None         # set when the row is about one of today's matches
    changes: list[Change]
    reason: str

    @property
    def before_text(self) -> str:
        return "\n".join(_line(c.label, c.before) for c in self.changes if c.before is not None)

    @property
    def after_text(self) -> str:
        return "\n".join(_line(c.label, c.after) for c in self.changes if c.after is not None)


def _line(label: str, value: str) -> str:
    return f"{label}: {value}" if label else value


@dataclass
class Scope:
    kind: str                    # "festival" | "event" | "match"
    title: str
    event: Event | None = None
    match: Match | None = None


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    per_page: int
    scope: Scope
    actors: list[tuple[str, str]] = field(default_factory=list)   # (actor, shown as)
    kinds: list[tuple[str, str]] = field(default_factory=list)    # (key, label)
    events: list[tuple[str, str]] = field(default_factory=list)   # (code, name) for the event filter
    actor: str | None = None
    kind: str | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, (self.page - 1) * self.per_page + len(self.rows)) if self.total else 0

    def filter_text(self) -> str:
        parts = [self.scope.title]
        if self.actor:
            parts.append(f"Người thực hiện: {dict(self.actors).get(self.actor, self.actor)}")
        if self.kind:
            parts.append(f"Loại: {KIND_LABELS.get(self.kind, self.kind)}")
        return " · ".join(parts)


# ---------------------------------------------------------------------------- the festival

class _Festival:
    """Today's objects of one festival as id maps, and the epochs that tell stale rows apart."""

    def __init__(self, festival: Festival):
        self.festival = festival
        fid = festival.id
        self.epoch = db.session.scalar(select(func.max(AuditEntry.id)).where(
            AuditEntry.festival_id == fid,
            AuditEntry.action.in_(("festival.create", "festival.import", "festival.replace")))) or 0
        self.draw_epochs: dict[int, int] = dict(db.session.execute(
            select(AuditEntry.object_id, func.max(AuditEntry.id)).where(
                AuditEntry.festival_id == fid, AuditEntry.action == "draw.make", AuditEntry.object_type == "event",
                AuditEntry.id > self.epoch).group_by(AuditEntry.object_id)).all())
        self.events: dict[int, tuple[str, str]] = {
            i: (code, name) for i, code, name in db.session.execute(
                select(Event.id, Event.code, Event.name).where(Event.festival_id == fid)
                .order_by(Event.position, Event.id))}
        self.match_event: dict[int, int] = dict(db.session.execute(
            select(Match.id, Match.event_id).join(Event, Event.id == Match.event_id).where(Event.festival_id == fid)).all())
        self.stage_event: dict[int, int] = dict(db.session.execute(
            select(Stage.id, Stage.event_id).join(Event, Event.id == Stage.event_id).where(Event.festival_id == fid)).all())
        self.group_event: dict[int, int] = dict(db.session.execute(
            select(Group.id, Stage.event_id).join(Stage, Stage.id == Group.stage_id)
            .join(Event, Event.id == Stage.event_id).where(Event.festival_id == fid)).all())
        self.entry_event: dict[int, int] = dict(db.session.execute(
            select(Entry.id, Entry.event_id).join(Event, Event.id == Entry.event_id).where(Event.festival_id == fid)).all())

    def about(self, row_id: int, object_type: str, object_id: int | None,
              before: Any = None, after: Any = None) -> tuple[int | None, int | None, bool]:
        """(event id, match id, whether the object is today's) for one row of this festival."""
        if row_id < self.epoch or object_id is None:
            return None, None, object_type in ("festival", "user") and object_id is not None
        if object_type == "event":
            return (object_id, None, True) if object_id in self.events else (None, None, False)
        if object_type == "entry":
            event_id = self.entry_event.get(object_id)
            return event_id, None, event_id is not None
        owner = {"match": self.match_event, "stage": self.stage_event, "group": self.group_event}.get(object_type)
        if owner is None:
            return None, None, True  # checked against the loaded object when labelled
        event_id = owner.get(object_id)
        if event_id is not None and row_id > self.draw_epochs.get(event_id, 0):
            return event_id, object_id if object_type == "match" else None, True
        for entry_id in _entry_ids(before) | _entry_ids(after):
            if entry_id in self.entry_event:
                return self.entry_event[entry_id], None, False
        return None, None, False

    def current(self, row_id: int, object_type: str, object_id: int | None) -> bool:
        """Whether a row about a unit, athlete, court or session may name today's object."""
        return row_id > self.epoch or object_type not in ("unit", "athlete", "court", "schedulesession")


def _entry_ids(value: Any) -> set[int]:
    """Entry ids a match snapshot or a lot's order names (to place a row whose object is gone)."""
    if isinstance(value, dict):
        return {value[k] for k in ENTRY_KEYS if isinstance(value.get(k), int)}
    if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        return set(value)
    return set()


# ---------------------------------------------------------------------------------- scopes

def _scope_clause(ctx: _Festival, event_id: int | None, match_id: int | None) -> ColumnElement[bool]:
    A = AuditEntry
    base = A.festival_id == ctx.festival.id
    if match_id is not None:
        event_id = ctx.match_event[match_id]
        return and_(base, A.object_type == "match", A.object_id == match_id,
                    A.id > max(ctx.epoch, ctx.draw_epochs.get(event_id, 0)))
    if event_id is None:
        return base
    drawn = ctx.draw_epochs.get(event_id, 0)
    about = or_(
        and_(A.object_type == "event", A.object_id == event_id),
        and_(A.object_type == "entry", A.object_id.in_(select(Entry.id).where(Entry.event_id == event_id))),
        and_(A.id > drawn, or_(
            and_(A.object_type == "match", A.object_id.in_(select(Match.id).where(Match.event_id == event_id))),
            and_(A.object_type == "stage", A.object_id.in_(select(Stage.id).where(Stage.event_id == event_id))),
            and_(A.object_type == "group", A.object_id.in_(
                select(Group.id).join(Stage, Stage.id == Group.stage_id).where(Stage.event_id == event_id))))),
    )
    orphans = _orphans_of(ctx, event_id)
    if orphans:
        about = or_(about, A.id.in_(orphans))
    return and_(base, A.id > ctx.epoch, about)


def _orphans_of(ctx: _Festival, event_id: int) -> list[int]:
    """Rows about a match, stage or group that is gone (or was redrawn) but whose named entries
    are this event's. Only rows that can be stale are read: before the festival's latest draw,
    or about an object that no longer exists."""
    A = AuditEntry
    fid = ctx.festival.id
    latest_draw = max(ctx.draw_epochs.values(), default=0)
    gone = or_(
        and_(A.object_type == "match", A.object_id.not_in(
            select(Match.id).join(Event, Event.id == Match.event_id).where(Event.festival_id == fid))),
        and_(A.object_type == "stage", A.object_id.not_in(
            select(Stage.id).join(Event, Event.id == Stage.event_id).where(Event.festival_id == fid))),
        and_(A.object_type == "group", A.object_id.not_in(
            select(Group.id).join(Stage, Stage.id == Group.stage_id).join(Event, Event.id == Stage.event_id)
            .where(Event.festival_id == fid))),
    )
    rows = db.session.execute(select(A.id, A.object_type, A.object_id, A.before, A.after).where(
        A.festival_id == fid, A.id > ctx.epoch, A.object_type.in_(("match", "stage", "group")),
        A.object_id.is_not(None), or_(A.id < latest_draw, gone)))
    out = []
    for row_id, object_type, object_id, before, after in rows:
        found, _, current = ctx.about(row_id, object_type, object_id, before, after)
        if found == event_id and not current:
            out.append(row_id)
    return out


def _resolve_scope(ctx: _Festival, match_id: int | None, event_code: str | None) -> Scope:
    festival = ctx.festival
    if match_id is not None:
        match = db.session.get(Match, match_id) if match_id in ctx.match_event else None
        if match is None:
            raise NotFound(f"Hội thao không có trận số {match_id}.")
        return Scope("match", "", match.event, match)  # titled once its entries are loaded
    if event_code:
        event = db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == event_code))
        if event is None:
            raise NotFound(f"Hội thao không có nội dung mã “{event_code}”.")
        return Scope("event", f"Nội dung {event.code} – {event.name}", event)
    return Scope("festival", "Toàn hội thao")


# ----------------------------------------------------------------------------------- query

def query(festival: Festival, *, match_id: int | None = None, event_code: str | None = None,
          actor: str | None = None, kind: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the festival's (or an event's, or a match's) audit rows, newest first.

    NotFound for a match or event code that is not this festival's. An unknown ``kind`` is
    ignored; an ``actor`` nobody is filters everything out. A page past the last shows the last.
    """
    ctx = _Festival(festival)
    scope = _resolve_scope(ctx, match_id, event_code or None)
    clause = _scope_clause(ctx, scope.event.id if scope.event else None, scope.match.id if scope.match else None)
    kind = kind if kind in KIND_LABELS else None
    actor = actor or None
    filtered = clause
    if actor is not None:
        filtered = and_(filtered, AuditEntry.actor == actor)
    if kind is not None:
        filtered = and_(filtered, _kind_clause(kind))
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(filtered)) or 0
    per_page = max(1, per_page)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    entries = list(db.session.scalars(
        select(AuditEntry).where(filtered).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    actor_names = sorted(set(db.session.scalars(select(AuditEntry.actor).where(clause).distinct())), key=str.casefold)
    actions = set(db.session.scalars(select(AuditEntry.action).where(clause).distinct()))
    names = _Names(ctx, entries, extra_users=actor_names, extra_matches={scope.match.id} if scope.match else set())
    if scope.match is not None:
        scope.title = f"Trận {scope.event.code} #{scope.match.id}: {_match_text(scope.match)}"
    kinds_present = {kind_of(a) for a in actions}
    return Page(
        rows=[_row(ctx, names, e) for e in entries], total=total, page=page, per_page=per_page, scope=scope,
        actors=[(a, names.person(a)) for a in actor_names],
        kinds=[(k, KIND_LABELS[k]) for k in [*(k for k, _, _ in KINDS), OTHER_KIND[0]] if k in kinds_present],
        events=[(code, name) for code, name in ctx.events.values()], actor=actor, kind=kind,
    )


def all_rows(festival: Festival, **filters: Any) -> tuple[Page, Iterator[Row]]:
    """The first page (for the title and filters) and every row of the query, chunk by chunk."""
    first = query(festival, **filters, page=1, per_page=EXPORT_CHUNK)

    def rows() -> Iterator[Row]:
        yield from first.rows
        for n in range(2, first.pages + 1):
            yield from query(festival, **filters, page=n, per_page=EXPORT_CHUNK).rows

    return first, rows()


# ------------------------------------------------------------------------------ labelling

class _Names:
    """What a page's rows name (matches, entries, courts, people …), loaded in a few queries."""

    def __init__(self, ctx: _Festival, entries: list[AuditEntry], extra_users: Iterable[str] = (),
                 extra_matches: set[int] = frozenset()):
        ids: dict[str, set[int]] = {}
        entry_ids: set[int] = set()
        court_ids: set[int] = set()
        for e in entries:
            if e.object_id is not None:
                ids.setdefault(e.object_type, set()).add(e.object_id)
            if e.id > ctx.epoch:
                for value in (e.before, e.after):
                    entry_ids |= _named_entries(e.action, value)
                    if e.action == "schedule.move" and isinstance(value, dict) and isinstance(value.get("court"), int):
                        court_ids.add(value["court"])
        fid = ctx.festival.id
        match_ids = (ids.get("match", set()) | extra_matches) & set(ctx.match_event)
        self.matches = _by_id(select(Match).where(Match.id.in_(match_ids))
                              .options(selectinload(Match.stage), selectinload(Match.group)), match_ids)
        for match in self.matches.values():  # their sides come from the entries loaded next
            entry_ids |= {i for i in (match.home_entry_id, match.away_entry_id) if i is not None}
        entry_ids = (entry_ids | ids.get("entry", set())) & set(ctx.entry_event)
        self.entries = _by_id(select(Entry).where(Entry.id.in_(entry_ids)).options(
            selectinload(Entry.unit), selectinload(Entry.members).selectinload(EntryAthlete.athlete)), entry_ids)
        group_ids = ids.get("group", set()) & set(ctx.group_event)
        self.groups = _by_id(select(Group).where(Group.id.in_(group_ids)), group_ids)
        unit_ids, athlete_ids = ids.get("unit", set()), ids.get("athlete", set())
        self.units = _by_id(select(Unit).where(Unit.festival_id == fid, Unit.id.in_(unit_ids)), unit_ids)
        self.athletes = _by_id(select(Athlete).where(Athlete.festival_id == fid, Athlete.id.in_(athlete_ids)), athlete_ids)
        court_ids |= ids.get("court", set())
        self.courts = _by_id(select(Court).where(Court.festival_id == fid, Court.id.in_(court_ids)), court_ids)
        session_ids = ids.get("schedulesession", set())
        self.sessions = _by_id(select(ScheduleSession).where(ScheduleSession.festival_id == fid,
                                                             ScheduleSession.id.in_(session_ids)), session_ids)
        user_ids = ids.get("user", set())
        self.users_by_id = _by_id(select(User).where(User.id.in_(user_ids)), user_ids)
        actors = {e.actor for e in entries} | set(extra_users)
        self.users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(actors)))} \
            if actors else {}
        self.ctx = ctx

    def person(self, actor: str) -> str:
        user = self.users.get(actor)
        if user is not None and user.full_name and user.full_name != actor:
            return f"{user.full_name} ({actor})"
        return {"system": "hệ thống", "import": "nhập tệp", "cli": "dòng lệnh"}.get(actor, actor)

    def entry(self, entry_id: Any) -> str:
        entry = self.entries.get(entry_id) if isinstance(entry_id, int) else None
        return entry.display_name if entry is not None else f"#{entry_id}"

    def court(self, court_id: Any) -> str:
        court = self.courts.get(court_id) if isinstance(court_id, int) else None
        return court.name if court is not None else f"sân #{court_id}"


def _by_id(stmt, ids: set[int]) -> dict[int, Any]:
    """Rows by id; no query when no id is asked for."""
    return {row.id: row for row in db.session.scalars(stmt)} if ids else {}


def _named_entries(action: str, value: Any) -> set[int]:
    out = set(_entry_ids(value))
    if action == "draw.seeds" and isinstance(value, dict):
        out |= {int(k) for k in value if str(k).isdigit()}
    if action in ("draw.make", "draw.qualify") and isinstance(value, dict):
        out |= {i for i in value.get("draw") or [] if isinstance(i, int)}
        for stage in value.get("stages") or []:
            if isinstance(stage, dict):
                out |= {i for i in stage.get("draw") or [] if isinstance(i, int)}
                for members in (stage.get("groups") or {}).values() if isinstance(stage.get("groups"), dict) else ():
                    out |= {i for i in members if isinstance(i, int)}
    return out


def _match_text(match: Match) -> str:
    home = match.home.display_name if match.home else "?"
    away = match.away.display_name if match.away else "?"
    if match.group is not None:
        where = f"Bảng {match.group.name}"
    elif match.is_playoff:
        where = "Tranh hạng ba"
    else:
        lines = len(match.stage.draw or match.stage.draw_labels or []) if match.stage else 0
        where = _round_name(match.round, math.ceil(math.log2(lines)) if lines >= 2 else match.round)
    return f"{where}, {home} gặp {away}"


def _round_name(rnd: int, rounds: int) -> str:
    left = rounds - rnd
    return {0: "Chung kết", 1: "Bán kết", 2: "Tứ kết"}.get(left, f"Vòng 1/{2 ** left}" if left > 0 else f"Vòng {rnd}")


def _object(ctx: _Festival, names: _Names, e: AuditEntry, event_id: int | None, current: bool) -> str:
    kind, oid = e.object_type, e.object_id
    label = TYPE_LABELS.get(kind, kind or "")
    code = ctx.events[event_id][0] if event_id in ctx.events else None
    if kind == "festival":
        return f"Hội thao {ctx.festival.name}"
    if kind == "user":
        user = names.users_by_id.get(oid)
        return f"Tài khoản {user.username}" if user else f"Tài khoản #{oid} (đã xóa)"
    gone = " (không còn)"
    if kind == "match":
        match = names.matches.get(oid) if current else None
        if match is not None:
            return f"{code} · Trận #{oid}: {_match_text(match)}"
        return f"{code + ' · ' if code else ''}Trận #{oid}{gone}"
    if kind == "event":
        return f"Nội dung {code} – {ctx.events[event_id][1]}" if current and code else f"Nội dung #{oid}{gone}"
    if kind == "entry":
        entry = names.entries.get(oid) if current else None
        return f"{code} · {entry.display_name}" if entry is not None else f"Đăng ký #{oid}{gone}"
    if kind == "group":
        group = names.groups.get(oid) if current else None
        return f"{code} · Bảng {group.name}" if group is not None else f"{code + ' · ' if code else ''}Bảng #{oid}{gone}"
    if kind == "stage":
        return f"{code} · Giai đoạn #{oid}" if current and code else f"Giai đoạn #{oid}{gone}"
    fresh = ctx.current(e.id, kind, oid)
    if kind == "unit":
        unit = names.units.get(oid) if fresh else None
        return f"Đơn vị {unit.code} – {unit.display_name}" if unit else _gone_named(label, oid, e)
    if kind == "athlete":
        athlete = names.athletes.get(oid) if fresh else None
        return f"Vận động viên {athlete.name}" if athlete else _gone_named(label, oid, e)
    if kind == "court":
        court = names.courts.get(oid) if fresh else None
        return f"Sân {court.name}" if court else _gone_named(label, oid, e)
    if kind == "schedulesession":
        return "Buổi thi đấu" + ("" if fresh and oid in names.sessions else gone)
    return f"{label} #{oid}" if oid is not None else label


def _gone_named(label: str, oid: int | None, e: AuditEntry) -> str:
    for value in (e.after, e.before):
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return f"{label} {value['name']} (không còn)"
    return f"{label} #{oid} (không còn)"


def _row(ctx: _Festival, names: _Names, e: AuditEntry) -> Row:
    event_id, match_id, current = ctx.about(e.id, e.object_type, e.object_id, e.before, e.after)
    kind = kind_of(e.action)
    return Row(
        id=e.id, at=vn_time(e.at), actor=e.actor, actor_name=names.person(e.actor), action=e.action,
        action_label=action_label(e.action, e.before), kind=kind, kind_label=KIND_LABELS[kind],
        object_label=_object(ctx, names, e, event_id, current),
        event_code=ctx.events[event_id][0] if event_id in ctx.events else None,
        match_id=match_id if current else None,
        changes=changes(e.action, e.before, e.after, _Formatter(names, e.id > ctx.epoch)),
        reason=e.reason or "",
    )


# --------------------------------------------------------------------------------- changes

class _Formatter:
    """Values of a snapshot in words; entry and court ids by name when they are today's."""

    def __init__(self, names: _Names | None = None, resolve: bool = True):
        self.names = names if resolve else None

    def entry(self, value: Any) -> str:
        return self.names.entry(value) if self.names else f"#{value}"

    def court(self, value: Any) -> str:
        return self.names.court(value) if self.names else f"sân #{value}"

    def key_label(self, action: str, key: str) -> str:
        if action == "draw.seeds" and str(key).isdigit():
            return f"Hạt giống {self.entry(int(key))}"
        return KEY_LABELS.get(key, key)

    def value(self, key: str | None, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return _NOTHING
        if isinstance(value, bool):
            return "có" if value else "không"
        if key == "sets" and isinstance(value, list):
            return set_scores(value)
        if key in ENTRY_KEYS and isinstance(value, int):
            return self.entry(value)
        if key == "court" and isinstance(value, int):
            return self.court(value)
        if key in TIME_KEYS and isinstance(value, str):
            return _time_text(value)
        if key == "stages" and isinstance(value, list):
            return "; ".join(self.stage(s) for s in value) or _NOTHING
        if key == "draw" and isinstance(value, list):
            return ", ".join(self.entry(i) if isinstance(i, int) else "(miễn)" for i in value)
        if isinstance(value, str):
            table = {"status": STATUS_LABELS, "outcome": OUTCOME_LABELS, "structure": STRUCTURES,
                     "separation": SEPARATION_LABELS, "sport": SPORTS, "role": ROLE_LABELS,
                     "gender": GENDER_LABELS}.get(key or "")
            if table is not None:
                return table.get(value, value)
            if key == "discipline" and value in DISCIPLINES:
                return DISCIPLINES[value].label
            return value
        if isinstance(value, list):
            if value and all(_is_score(v) for v in value):
                return set_scores(value)
            return ", ".join(self.value(key, v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{self.key_label('', k)}: {self.value(k, v)}" for k, v in value.items())
        return str(value)

    def stage(self, stage: Any) -> str:
        if not isinstance(stage, dict):
            return self.value(None, stage)
        groups = stage.get("groups")
        if isinstance(groups, dict) and groups:
            return "; ".join(f"Bảng {name}: " + (", ".join(self.entry(i) for i in members) or _NOTHING)
                             for name, members in groups.items())
        lines = stage.get("draw") or []
        if lines:
            return "Loại trực tiếp: " + self.value("draw", lines)
        labels = stage.get("labels") or []
        return "Loại trực tiếp: " + (", ".join(map(str, labels)) or _NOTHING)


def _is_score(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(x, int) for x in value)


def set_scores(sets: Iterable[Any]) -> str:
    """[[21, 15], [18, 21]] → "21-15, 18-21" (no set: "chưa có")."""
    text = ", ".join(f"{s[0]}-{s[1]}" for s in sets if _is_score(s))
    return text or "chưa có"


def _time_text(value: str) -> str:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return value
    if at.tzinfo is not None:
        at = at.astimezone(VN).replace(tzinfo=None)
    return at.strftime("%d/%m/%Y %H:%M") if len(value) > 10 else at.strftime("%d/%m/%Y")


LIST_LABELS = {"draw.lots": "Thứ tự bốc thăm (bốc trước đứng trên)"}


def changes(action: str, before: Any, after: Any, fmt: _Formatter | None = None) -> list[Change]:
    """What a row changed, in words: for snapshots, each changed key as label, before, after."""
    fmt = fmt or _Formatter()
    if isinstance(before, dict) or isinstance(after, dict):
        b = before if isinstance(before, dict) else {}
        a = after if isinstance(after, dict) else {}
        keys = list(dict.fromkeys([*b, *a]))
        if isinstance(before, dict) and isinstance(after, dict):
            keys = [k for k in keys if b.get(k) != a.get(k)] or keys
        return [Change(fmt.key_label(action, k),
                       fmt.value(k, b.get(k)) if isinstance(before, dict) else None,
                       fmt.value(k, a.get(k)) if isinstance(after, dict) else None) for k in keys]
    if before is None and after is None:
        return []
    label = LIST_LABELS.get(action, "")
    if action == "draw.lots":
        def order(ids: Any) -> str:
            return " > ".join(fmt.entry(i) for i in ids) if ids else _NOTHING
        return [Change(label, order(before) if before is not None else None, order(after) if after is not None else None)]
    return [Change(label, fmt.value(None, before) if before is not None else None,
                   fmt.value(None, after) if after is not None else None)]


# ----------------------------------------------------------------------------------- Excel

HEADERS = ("Thời gian", "Người thực hiện", "Hành động", "Đối tượng", "Trước", "Sau", "Lý do")
WIDTHS = (17, 24, 24, 40, 40, 40, 36)


def workbook(festival: Festival, **filters: Any) -> bytes:
    """The rows of ``query`` (every page) as one sheet; every text cell stored as text."""
    first, rows = all_rows(festival, **filters)
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhật ký"
    last = len(HEADERS)
    for n, (text, font) in enumerate([(f"NHẬT KÝ THAY ĐỔI – {festival.name}", TITLE),
                                      (first.filter_text(), BOLD)], start=1):
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=last)
        put(ws, n, 1, text, font=font, alignment=Alignment(horizontal="left", wrap_text=True))
    put(ws, 3, 1, f"{first.total} dòng, mới nhất trước; giờ Việt Nam (UTC+7).")
    header_row(ws, 5, HEADERS, WIDTHS)
    n = 5
    for row in rows:
        n += 1
        values = (row.at.strftime("%d/%m/%Y %H:%M:%S") if row.at else "", row.actor_name, row.action_label,
                  row.object_label, row.before_text, row.after_text, row.reason)
        for col, value in enumerate(values, start=1):
            put(ws, n, col, value, border=BOX, alignment=WRAP)
    ws.freeze_panes = "A6"
    ws.print_title_rows = "5:5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.auto_filter.ref = f"A5:G{max(n, 5)}"
    return to_bytes(wb)

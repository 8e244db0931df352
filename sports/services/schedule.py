"""The court schedule: courts, playing sessions, match lengths, and who plays where and when.

Loads rows into the pure scheduler's plain data (``sports.domain.schedule``), calls it, and
writes ``Match.court`` and ``Match.scheduled_at``. Every time is the festival's local time
(Vietnam, UTC+7, no daylight saving): stored as an aware datetime, read back as a naive local
one (SQLite keeps the wall clock, PostgreSQL the instant: ``local`` makes both the same).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain import schedule as planner
from sports.domain.disciplines import SPORTS
from sports.domain.types import RuleError
from sports.extensions import db
from sports.models import Court, Entry, EntryAthlete, Event, Festival, Match, ScheduleSession, Stage
from sports.services import audit
from sports.services.bracket import ensure_rows
from sports.services.errors import Problems

VN = timezone(timedelta(hours=7), "ICT")
DEFAULT_SLOT = {"volleyball": 60, "table_tennis": 30, "badminton": 30}


def local(dt: datetime | None) -> datetime | None:
    """A stored time as naive festival-local time."""
    if dt is None:
        return None
    return dt.astimezone(VN).replace(tzinfo=None) if dt.tzinfo else dt


def local_from_utc(dt: datetime | None) -> datetime | None:
    """A moment stamped in UTC (recorded_at, audit times) as naive local time; SQLite gives it back naive."""
    if dt is None:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(VN).replace(tzinfo=None)


def stored(dt: datetime | None) -> datetime | None:
    """A naive festival-local time as the aware datetime we store."""
    return None if dt is None else dt.replace(tzinfo=VN)


def now_local() -> datetime:
    return datetime.now(VN).replace(tzinfo=None, second=0, microsecond=0)


# ------------------------------------------------------------------- courts and sessions

def courts(festival: Festival) -> list[Court]:
    return list(db.session.scalars(select(Court).where(Court.festival_id == festival.id)
                                   .order_by(Court.position, Court.id)))


def add_courts(festival: Festival, sport: str, names: list[str]) -> list[Court]:
    """Courts of one sport, e.g. ["Sân 1", "Sân 2"] (names unique in the festival)."""
    problems = Problems()
    names = [" ".join(n.split()) for n in names if n.strip()]
    if sport not in SPORTS:
        problems.add("sport", "Chọn môn của sân.")
    if not names:
        problems.add("names", "Nhập tên sân, ví dụ “Sân 1”, hoặc số sân cần thêm.")
    have = {c.name.casefold() for c in courts(festival)}
    twice = sorted({n for n in names if n.casefold() in have or names.count(n) > 1})
    if twice:
        problems.add("names", f"Đã có sân tên {', '.join(twice)}: mỗi sân một tên khác nhau.")
    if any(len(n) > 80 for n in names):
        problems.add("names", "Tên sân tối đa 80 ký tự.")
    problems.raise_if_any()
    position = len(have)
    created = []
    for name in names:
        position += 1
        court = Court(festival_id=festival.id, name=name, sport=sport, position=position)
        db.session.add(court)
        created.append(court)
    festival.bump()
    db.session.flush()
    audit.record("schedule.courts", festival, after={"sport": sport, "added": names}, festival_id=festival.id)
    return created


def rename_court(court: Court, name: str) -> None:
    """Give a court another name (one used in the festival is refused); the referees assigned
    to it keep their assignment, and the public pages show the new name."""
    from sports.services.referees import rename_in_scopes

    festival = db.session.get(Festival, court.festival_id)
    name = " ".join((name or "").split())
    problems = Problems()
    if not name:
        problems.add("name", "Nhập tên mới của sân.")
    elif len(name) > 80:
        problems.add("name", "Tên sân tối đa 80 ký tự.")
    elif any(c.id != court.id and c.name.casefold() == name.casefold() for c in courts(festival)):
        problems.add("name", f"Đã có sân tên {name}: mỗi sân một tên khác nhau.")
    problems.raise_if_any()
    old = court.name
    if name == old:
        return
    court.name = name
    festival.bump()  # court names are on the schedule, the projector and every match list
    db.session.flush()
    audit.record("schedule.court_rename", court, before={"name": old}, after={"name": name}, festival_id=festival.id)
    rename_in_scopes(festival, "courts", old, name)


def next_court_names(festival: Festival, count: int, prefix: str = "Sân") -> list[str]:
    have = {c.name for c in courts(festival)}
    out, n = [], 1
    while len(out) < count:
        if f"{prefix} {n}" not in have:
            out.append(f"{prefix} {n}")
        n += 1
    return out


def remove_court(court: Court) -> None:
    used = db.session.scalar(select(Match.id).where(Match.court_id == court.id, Match.status == "completed").limit(1))
    if used is not None:
        raise RuleError(f"{court.name} đã có trận đấu có kết quả: không xóa được (có thể đổi tên).")
    festival_id = court.festival_id
    for m in db.session.scalars(select(Match).where(Match.court_id == court.id)):
        m.court_id, m.scheduled_at = None, None
    db.session.delete(court)
    db.session.get(Festival, festival_id).bump()
    db.session.flush()
    audit.record("schedule.court_remove", court, before={"name": court.name, "sport": court.sport},
                 festival_id=festival_id)


def sessions(festival: Festival) -> list[ScheduleSession]:
    return sorted(db.session.scalars(select(ScheduleSession).where(ScheduleSession.festival_id == festival.id)),
                  key=lambda s: local(s.starts_at))


def add_session(festival: Festival, day: date | None, start: time | None, end: time | None) -> ScheduleSession:
    problems = Problems()
    if day is None:
        problems.add("day", "Chọn ngày thi đấu.")
    if start is None:
        problems.add("start", "Nhập giờ bắt đầu, ví dụ 07:30.")
    if end is None:
        problems.add("end", "Nhập giờ kết thúc, ví dụ 11:30.")
    if start and end and end <= start:
        problems.add("end", "Giờ kết thúc phải sau giờ bắt đầu.")
    problems.raise_if_any()
    begins, ends = datetime.combine(day, start), datetime.combine(day, end)
    for s in sessions(festival):
        if local(s.starts_at) < ends and begins < local(s.ends_at):
            problems.add("start", f"Trùng với buổi {describe_session(s)}.")
    problems.raise_if_any()
    row = ScheduleSession(festival_id=festival.id, starts_at=stored(begins), ends_at=stored(ends))
    db.session.add(row)
    festival.bump()
    db.session.flush()
    audit.record("schedule.session", row, after={"start": begins.isoformat(), "end": ends.isoformat()},
                 festival_id=festival.id)
    return row


def remove_session(row: ScheduleSession) -> int:
    """Delete a playing session; its matches not yet played lose their court and time (they
    need scheduling again). Refused while a played match lies in it. Returns how many were freed."""
    festival = db.session.get(Festival, row.festival_id)
    inside = list(db.session.scalars(
        select(Match).join(Event, Event.id == Match.event_id)
        .where(Event.festival_id == festival.id, Match.scheduled_at.is_not(None))))
    start, end = local(row.starts_at), local(row.ends_at)
    inside = [m for m in inside if start <= local(m.scheduled_at) < end]
    if any(m.status == "completed" for m in inside):
        raise RuleError(f"Buổi {describe_session(row)} đã có trận có kết quả: không xóa được.")
    for m in inside:
        m.court_id, m.scheduled_at = None, None
    db.session.delete(row)
    festival.bump()
    db.session.flush()
    audit.record("schedule.session_remove", row, before={"start": start.isoformat(), "matches": len(inside)},
                 festival_id=festival.id)
    return len(inside)


WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def day_text(d: date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d:%d/%m/%Y}"


def describe_session(s: ScheduleSession) -> str:
    a, b = local(s.starts_at), local(s.ends_at)
    return f"{day_text(a.date())}, {a:%H:%M}–{b:%H:%M}"


@dataclass
class ScheduleSettings:
    min_rest: int = 0
    slot_minutes: dict[str, int] | None = None


def update_settings(festival: Festival, data: ScheduleSettings) -> None:
    problems = Problems()
    if not 0 <= data.min_rest <= 600:
        problems.add("min_rest", "Thời gian nghỉ từ 0 đến 600 phút.")
    slots = {k: v for k, v in (data.slot_minutes or {}).items() if v is not None}
    for sport, minutes in slots.items():
        if sport not in SPORTS or not 5 <= minutes <= 300:
            problems.add(f"slot_{sport}", "Thời gian một trận từ 5 đến 300 phút.")
    problems.raise_if_any()
    before = {"min_rest": festival.min_rest_minutes, "slot_minutes": dict(festival.slot_minutes or {})}
    festival.min_rest_minutes = data.min_rest
    festival.slot_minutes = slots
    after = {"min_rest": festival.min_rest_minutes, "slot_minutes": dict(festival.slot_minutes)}
    if after != before:
        festival.bump()
        db.session.flush()
        audit.record("schedule.settings", festival, before=before, after=after, festival_id=festival.id)


def slot_of(festival: Festival, event: Event) -> int:
    return event.slot_minutes or (festival.slot_minutes or {}).get(event.sport) or DEFAULT_SLOT.get(event.sport, 30)


# ------------------------------------------------------------------- matches as slots

def match_label(match: Match) -> str:
    return f"{match.event.code} #{match.id}"


@dataclass
class Loaded:
    matches: list[Match]
    slots: list[planner.MatchSlot]
    courts: list[planner.Court]
    sessions: list[planner.Session]
    settings: planner.ScheduleSettings
    names: dict[str, str]
    labels: dict[str, str]
    court_rows: dict[str, Court]


def _events(festival: Festival) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.festival_id == festival.id).order_by(Event.position, Event.id)
        .options(selectinload(Event.entries).selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                 selectinload(Event.stages).selectinload(Stage.matches))))


def load(festival: Festival, *, create_rows: bool = False) -> Loaded:
    """Every match of the festival as the scheduler sees it.

    ``create_rows`` first makes a row for every knockout match whose sides are not known yet,
    so the whole bracket gets a court and a time.
    """
    events = _events(festival)
    if create_rows:
        for event in events:
            for stage in event.stages:
                if stage.type == "knockout":
                    ensure_rows(stage)
        db.session.flush()
        events = _events(festival)
    court_rows = {str(c.id): c for c in courts(festival)}
    names: dict[str, str] = {}
    slots, rows = [], []
    for event in events:
        members = {e.id: e for e in event.entries}
        minutes = slot_of(festival, event)
        previous_stage: list[str] = []
        for stage in event.stages:
            keys = []
            for m in stage.matches:
                k = str(m.id)
                athletes = set()
                not_before = [local(m.not_before)] if m.not_before else []
                for side in (m.home_entry_id, m.away_entry_id):
                    entry = members.get(side)
                    if entry is None:
                        continue
                    if entry.not_before:
                        not_before.append(local(entry.not_before))
                    for ea in entry.members:
                        athletes.add(str(ea.athlete_id))
                        names[str(ea.athlete_id)] = ea.athlete.name
                fixed = None
                if m.status != "scheduled" and m.court_id and m.scheduled_at:
                    fixed = (str(m.court_id), local(m.scheduled_at))
                if m.status == "completed" and fixed is None:
                    continue  # played outside the schedule: it takes no court time
                sequence = (f"{stage.id}:{m.group_id or 'ko'}", m.round)
                depends = frozenset(previous_stage) if stage.type == "knockout" and m.round == 1 else frozenset()
                slots.append(planner.MatchSlot(
                    key=k, sport=event.sport, event=event.code, duration=minutes, athletes=frozenset(athletes),
                    sequence=sequence, not_before=max(not_before) if not_before else None,
                    depends_on=depends, fixed=fixed))
                rows.append(m)
                keys.append(k)
            previous_stage = keys
    labels = {str(m.id): match_label(m) for m in rows}
    return Loaded(
        matches=rows, slots=slots,
        courts=[planner.Court(k, c.sport or "", c.name) for k, c in court_rows.items()],
        sessions=[planner.Session(local(s.starts_at), local(s.ends_at)) for s in sessions(festival)],
        settings=planner.ScheduleSettings(min_rest=festival.min_rest_minutes or 0),
        names=names, labels=labels, court_rows=court_rows)


def fit(festival: Festival) -> planner.FitReport:
    data = load(festival)
    # Court time still needed: matches not yet placed. What they wait for may already be
    # placed or played, and the fit check does not need the order anyway.
    return planner.fit_check([replace(s, depends_on=frozenset()) for s in data.slots if s.fixed is None],
                             data.courts, data.sessions)


@dataclass
class Generated:
    placed: int
    unplaced: dict[int, str]
    warnings: tuple[str, ...]


def generate(festival: Festival) -> Generated:
    """Schedule every match without a result; played ones keep their court and time. Audited."""
    data = load(festival, create_rows=True)
    if not data.courts:
        raise RuleError("Chưa có sân nào: thêm sân cho từng môn trước khi xếp lịch.")
    if not data.sessions:
        raise RuleError("Chưa có buổi thi đấu nào: thêm ngày và giờ thi đấu trước khi xếp lịch.")
    result = planner.schedule(data.slots, data.courts, data.sessions, data.settings,
                              names=data.names, labels=data.labels)
    by_key = {str(m.id): m for m in data.matches}
    for k, m in by_key.items():
        if m.status != "scheduled":
            continue
        placement = result.placed.get(k)
        if placement is None:
            m.court_id, m.scheduled_at = None, None
        else:
            m.court_id, m.scheduled_at = int(placement.court), stored(placement.start)
    festival.bump()
    db.session.flush()
    unplaced = {int(k): reason for k, reason in result.unplaced.items()}
    audit.record("schedule.generate", festival, after={"placed": len(result.placed), "unplaced": len(unplaced)},
                 festival_id=festival.id)
    return Generated(len(result.placed), unplaced, result.warnings)


def move(match: Match, court: Court | None, start: datetime | None, *, reason: str = "") -> None:
    """Put a match on a court at a (local) time by hand, or take it off the schedule (None, None).

    The same rules as the automatic schedule; a clash is refused with what it clashes with.
    """
    festival = match.event.festival
    if match.status == "completed":
        raise RuleError("Trận đã có kết quả: không đổi sân hay giờ được nữa.")
    if (court is None) != (start is None):
        raise RuleError("Chọn cả sân và giờ, hoặc bỏ trống cả hai để đưa trận ra khỏi lịch.")
    before = {"court": match.court_id, "at": local(match.scheduled_at).isoformat() if match.scheduled_at else None}
    if court is not None:
        if court.festival_id != festival.id:
            raise RuleError("Sân không thuộc hội thao này.")
        data = load(festival)
        placed = {str(m.id): (str(m.court_id), local(m.scheduled_at)) for m in data.matches
                  if m.court_id and m.scheduled_at and m.id != match.id}
        reasons = planner.check_move(placed, data.slots, data.courts, data.sessions, data.settings,
                                     str(match.id), str(court.id), start, names=data.names, labels=data.labels)
        if reasons:
            raise RuleError(reasons)
        match.court_id, match.scheduled_at = court.id, stored(start)
    else:
        match.court_id, match.scheduled_at = None, None
    festival.bump(match.event)
    db.session.flush()
    audit.record("schedule.move", match, before=before,
                 after={"court": match.court_id, "at": start.isoformat() if start else None}, reason=reason,
                 festival_id=festival.id)


def running_late(festival: Festival, at: datetime | None = None) -> list[Match]:
    """Matches whose time has passed without a result, earliest first."""
    at = at or now_local()
    rows = db.session.scalars(select(Match).join(Event).where(
        Event.festival_id == festival.id, Match.status != "completed", Match.scheduled_at.is_not(None)))
    return sorted((m for m in rows if local(m.scheduled_at) <= at), key=lambda m: (local(m.scheduled_at), m.id))


def order_of_play(festival: Festival) -> list[tuple[date, list[tuple[Court, list[Match]]]]]:
    """Scheduled matches by day, then court (in court order), then time."""
    court_list = courts(festival)
    rows = list(db.session.scalars(
        select(Match).join(Event).where(Event.festival_id == festival.id, Match.scheduled_at.is_not(None),
                                        Match.court_id.is_not(None))
        .options(selectinload(Match.event), selectinload(Match.home), selectinload(Match.away))))
    days: dict[date, dict[int, list[Match]]] = {}
    for m in rows:
        days.setdefault(local(m.scheduled_at).date(), {}).setdefault(m.court_id, []).append(m)
    out = []
    for day in sorted(days):
        per_court = [(c, sorted(days[day].get(c.id, []), key=lambda m: (local(m.scheduled_at), m.id)))
                     for c in court_list if days[day].get(c.id)]
        out.append((day, per_court))
    return out


def set_not_before(obj: Match | Entry, at: datetime | None) -> None:
    """A match, or an entry (all its matches), may not start before this local time; None clears it."""
    event = obj.event
    before = local(obj.not_before).isoformat() if obj.not_before else None
    obj.not_before = stored(at)
    event.festival.bump(event)
    db.session.flush()
    audit.record("schedule.not_before", obj, before={"not_before": before},
                 after={"not_before": at.isoformat() if at else None}, festival_id=event.festival_id)


def entry_limits(festival: Festival) -> list[Entry]:
    return sorted(db.session.scalars(select(Entry).join(Event).where(Event.festival_id == festival.id,
                                                                    Entry.not_before.is_not(None))),
                  key=lambda e: (local(e.not_before), e.id))

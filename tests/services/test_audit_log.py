"""Reading the audit trail: scopes (festival, event, match), filters, readable changes, Vietnam
time, rows that outlive what they describe (a redraw, a replaced festival), and Excel out."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from sports.importers.festival_file import import_file
from sports.models import AuditEntry, Entry, EntryAthlete, Event, Festival, Match
from sports.services import audit_log
from sports.services import draws as ds
from sports.services import events as ev
from sports.services import festivals as fs
from sports.services import people
from sports.services.accounts import create_user
from sports.services.errors import NotFound
from sports.services.results import record_result, void_result
from sports.services.schedule import set_not_before

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"
UNITS = ["BVA", "BVB", "BVC"]
WIN = [[11, 5], [11, 6], [11, 7]]
LOSS = [[5, 11], [6, 11], [7, 11]]


def build(db, n_entries=4):
    """A festival made by the services: units, athletes, two events (one drawn)."""
    festival = fs.create_festival(fs.FestivalSettings(name="Hội thao thử", slug="thu-2025", place="Đà Lạt",
                                                      start_date=date(2025, 5, 10), end_date=date(2025, 5, 11)))
    for u in UNITS:
        people.create_unit(festival, people.UnitData(u, f"Bệnh viện {u}"))
    singles = ev.create_event(festival, ev.EventSettings("BB-DN", "table_tennis", "men_singles"))
    ev.create_event(festival, ev.EventSettings("CL-DN", "badminton", "men_singles"))
    units = {u.code: u for u in festival.units}
    for i in range(n_entries):
        unit = units[UNITS[i % len(UNITS)]]
        athlete = people.create_athlete(festival, people.AthleteData(unit.code, f"Nguyễn Văn {chr(65 + i)}", "M", 1980 + i))
        entry = Entry(event=singles, unit=unit, ref=f"e{i + 1}", position=i)
        entry.members.append(EntryAthlete(athlete=athlete, position=0))
        db.session.add(entry)
    db.session.flush()
    db.session.refresh(singles)
    ds.make_draw(singles, ds.DrawSpec("round_robin", rng_seed=42))
    db.session.commit()
    return festival, singles


@pytest.fixture
def btc(db):
    user, _ = create_user("btc", "organiser", "mat-khau-123", full_name="Trần Thị Ban")
    db.session.commit()
    return user


def matches_of(db, event):
    return list(db.session.scalars(select(Match).where(Match.event_id == event.id).order_by(Match.id)))


def test_the_festival_shows_every_row_newest_first_in_vietnam_time(db, btc):
    festival, event = build(db)
    first = matches_of(db, event)[0]
    record_result(first, WIN, actor=btc)
    record_result(first, LOSS, reason="Trọng tài ghi nhầm bên", actor=btc)
    db.session.commit()

    log = audit_log.query(festival)
    stored = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.festival_id == festival.id))
    assert log.total == stored == len(log.rows) and log.pages == 1
    top = log.rows[0]
    assert (top.action, top.action_label, top.kind_label) == ("match.result", "Sửa kết quả", "Kết quả trận đấu")
    assert top.reason == "Trọng tài ghi nhầm bên"
    assert top.actor_name == "Trần Thị Ban (btc)"
    by_label = {c.label: c for c in top.changes}
    assert (by_label["Tỉ số"].before, by_label["Tỉ số"].after) == ("11-5, 11-6, 11-7", "5-11, 6-11, 7-11")
    assert by_label["Bên thắng"].before == first.home.display_name
    assert by_label["Bên thắng"].after == first.away.display_name
    assert "Trạng thái" not in by_label  # unchanged keys are left out
    assert top.before_text.splitlines()[0] == "Tỉ số: 11-5, 11-6, 11-7"
    assert top.object_label.startswith(f"BB-DN · Trận #{first.id}: Bảng A, ")
    assert (top.match_id, top.event_code) == (first.id, "BB-DN")
    assert log.rows[1].action_label == "Ghi kết quả"
    assert log.rows[-1].action == "festival.create"
    # newest first, and the stored UTC time shown as Vietnam time (UTC+7)
    times = [r.at for r in log.rows]
    assert times == sorted(times, reverse=True)
    row = db.session.get(AuditEntry, top.id)
    utc = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)
    assert top.at == (utc.astimezone(timezone.utc) + timedelta(hours=7)).replace(tzinfo=None)


def test_an_event_shows_its_own_rows_and_its_matches_and_a_match_only_its_own(db, btc):
    festival, event = build(db)
    first, second = matches_of(db, event)[:2]
    record_result(first, WIN, actor=btc)
    record_result(second, LOSS, actor=btc)
    db.session.commit()

    in_event = audit_log.query(festival, event_code="BB-DN")
    assert [r.action for r in in_event.rows] == ["match.result", "match.result", "draw.make", "event.create"]
    assert {r.event_code for r in in_event.rows} == {"BB-DN"}
    assert in_event.scope.title == "Nội dung BB-DN – Bóng bàn – Đơn nam"
    other = audit_log.query(festival, event_code="CL-DN")
    assert [r.action for r in other.rows] == ["event.create"]

    one = audit_log.query(festival, match_id=second.id)
    assert [(r.action, r.match_id) for r in one.rows] == [("match.result", second.id)]
    assert one.scope.kind == "match" and one.scope.match.id == second.id

    draw_row = next(r for r in in_event.rows if r.action == "draw.make")
    by_label = {c.label: c for c in draw_row.changes}
    assert by_label["Thể thức"].after == "Vòng tròn một bảng"
    assert by_label["Mã bốc thăm"].after == "42"
    assert by_label["Sơ đồ"].after.startswith("Bảng A: Nguyễn Văn")


def test_filters_by_person_and_kind_and_lists_what_can_be_chosen(db, btc):
    festival, event = build(db)
    record_result(matches_of(db, event)[0], WIN, actor=btc)
    db.session.commit()

    log = audit_log.query(festival)
    assert dict(log.actors) == {"btc": "Trần Thị Ban (btc)", "system": "hệ thống"}
    assert [k for k, _ in log.kinds] == ["match", "draw", "event", "people", "festival"]
    assert dict(log.kinds)["draw"] == "Bốc thăm"

    mine = audit_log.query(festival, actor="btc")
    assert [r.action for r in mine.rows] == ["match.result"] and mine.actors == log.actors
    draws = audit_log.query(festival, kind="draw")
    assert [r.action for r in draws.rows] == ["draw.make"]
    people_rows = audit_log.query(festival, kind="people")
    assert {r.action for r in people_rows.rows} == {"unit.create", "athlete.create"}
    assert people_rows.total == 3 + 4
    assert audit_log.query(festival, actor="btc", kind="draw").total == 0
    assert audit_log.query(festival, actor="nobody").rows == []
    assert audit_log.query(festival, kind="made-up").total == log.total  # an unknown kind is ignored
    assert audit_log.query(festival, actor="btc", kind="match").filter_text() == \
        "Toàn hội thao · Người thực hiện: Trần Thị Ban (btc) · Loại: Kết quả trận đấu"


def test_pages_of_rows(db, btc):
    festival, event = build(db)
    total = audit_log.query(festival).total
    pages = [audit_log.query(festival, page=n, per_page=4) for n in (1, 2, 3, 4)]
    ids = [r.id for p in pages[:-1] for r in p.rows]
    assert pages[0].pages == -(-total // 4) and len(pages[0].rows) == 4 and pages[0].has_next and not pages[0].has_prev
    assert len(set(ids)) == len(ids)
    everything = [r.id for r in audit_log.query(festival, per_page=500).rows]
    assert ids == everything[:len(ids)]
    last = audit_log.query(festival, page=99, per_page=4)  # past the end: the last page
    assert last.page == last.pages and last.rows and not last.has_next


def test_an_unknown_event_or_a_match_of_another_festival_is_not_found(db):
    festival, event = build(db)
    import_file(SMALL.read_bytes())
    db.session.commit()
    foreign = db.session.scalar(select(Match).join(Event).where(Event.code == "BC-NU"))
    with pytest.raises(NotFound):
        audit_log.query(festival, match_id=foreign.id)
    with pytest.raises(NotFound):
        audit_log.query(festival, event_code="BC-NU")
    with pytest.raises(NotFound):
        audit_log.query(festival, match_id=999999)


def test_rows_about_matches_of_an_earlier_draw_stay_off_the_new_matches(db, btc):
    festival, event = build(db)
    old = matches_of(db, event)[0]
    old_id, old_winner = old.id, old.home_entry_id
    set_not_before(old, datetime(2025, 5, 10, 14, 0))
    record_result(old, WIN, actor=btc)
    void_result(old, reason="Ghi nhầm trận", actor=btc)
    db.session.commit()
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=7))  # allowed: no result left
    db.session.commit()

    new_ids = [m.id for m in matches_of(db, event)]
    for match_id in new_ids:
        assert audit_log.query(festival, match_id=match_id).rows == []
    in_event = audit_log.query(festival, event_code="BB-DN")
    actions = [r.action for r in in_event.rows]
    # the result and its voiding name their entries, which still belong to the event
    assert actions == ["draw.make", "match.void", "match.result", "draw.make", "event.create"]
    gone = [r for r in in_event.rows if r.action.startswith("match.")]
    assert all(r.match_id is None and r.object_label == f"BB-DN · Trận #{old_id} (không còn)" for r in gone)
    void = gone[0]
    assert void.action_label == "Hủy kết quả" and void.reason == "Ghi nhầm trận"
    assert {c.label: c.before for c in void.changes}["Bên thắng"] == db.session.get(Entry, old_winner).display_name
    # the not-before row names no entry: under the festival only, said to be gone
    everything = audit_log.query(festival)
    not_before = next(r for r in everything.rows if r.action == "schedule.not_before")
    assert not_before.object_label == f"Trận #{old_id} (không còn)" and not_before.match_id is None
    assert not_before.changes[0].after == "10/05/2025 14:00"
    assert "schedule.not_before" not in actions


def test_a_replaced_festival_keeps_its_rows_under_the_festival_only(db, btc):
    raw = SMALL.read_bytes()
    festival = import_file(raw)
    db.session.commit()
    match = db.session.scalar(select(Match).join(Event).where(Event.code == "BC-NU").order_by(Match.id))
    old_id = match.id
    record_result(match, [[20, 25], [25, 23], [12, 15]], reason="Biên bản ghi ngược", actor=btc)
    db.session.commit()
    festival = import_file(raw, replace=True, actor="btc")
    db.session.commit()
    festival = db.session.scalar(select(Festival).where(Festival.slug == "vidu-2024"))

    log = audit_log.query(festival)
    assert [r.action for r in log.rows] == ["festival.replace", "match.result", "festival.import"]
    assert log.rows[0].action_label == "Thay thế từ tệp"
    old = log.rows[1]
    assert old.reason == "Biên bản ghi ngược" and old.match_id is None and old.event_code is None
    assert old.object_label == f"Trận #{old_id} (không còn)"
    # the old entry ids are not looked up: they may belong to the new festival's entries now
    assert {c.label: c.after for c in old.changes}["Bên thắng"].startswith("#")
    assert audit_log.query(festival, event_code="BC-NU").rows == []
    for m in db.session.scalars(select(Match)):
        assert audit_log.query(festival, match_id=m.id).rows == []


def test_readable_changes_of_other_snapshots():
    assert audit_log.set_scores([[21, 15], [18, 21]]) == "21-15, 18-21"
    assert audit_log.set_scores([]) == "chưa có"
    rows = audit_log.changes("unit.update", {"code": "BVA", "name": "Bệnh viện A", "withdrawn": False},
                             {"code": "BVA", "name": "Bệnh viện Đa khoa A", "withdrawn": True})
    assert [(c.label, c.before, c.after) for c in rows] == [
        ("Tên", "Bệnh viện A", "Bệnh viện Đa khoa A"), ("Đã rút", "không", "có")]
    created = audit_log.changes("schedule.courts", None, {"sport": "badminton", "added": ["Sân 1", "Sân 2"]})
    assert [(c.label, c.before, c.after) for c in created] == [("Môn", None, "Cầu lông"), ("Sân thêm", None, "Sân 1, Sân 2")]
    removed = audit_log.changes("schedule.court_remove", {"name": "Sân 3", "sport": None}, None)
    assert [(c.label, c.before, c.after) for c in removed] == [("Tên", "Sân 3", None), ("Môn", "—", None)]
    assert audit_log.action_label("match.void") == "Hủy kết quả"
    assert audit_log.action_label("match.confirm") == "Xác nhận kết quả"
    assert audit_log.action_label("something.new") == "something.new"
    assert audit_log.kind_of("referee.assign") == "accounts" and audit_log.kind_of("x.y") == "other"
    assert audit_log.vn_time(datetime(2025, 5, 10, 1, 30)) == datetime(2025, 5, 10, 8, 30)
    assert audit_log.vn_time(datetime(2025, 5, 10, 1, 30, tzinfo=timezone.utc)) == datetime(2025, 5, 10, 8, 30)


def test_the_workbook_holds_the_filtered_rows_as_text(db, btc):
    festival, event = build(db)
    first = matches_of(db, event)[0]
    record_result(first, WIN, actor=btc)
    record_result(first, LOSS, reason='=HYPERLINK("http://x.example","bấm")', actor=btc)
    db.session.commit()

    data = audit_log.workbook(festival, event_code="BB-DN", kind="match")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "NHẬT KÝ THAY ĐỔI – Hội thao thử"
    assert ws["A2"].value == "Nội dung BB-DN – Bóng bàn – Đơn nam · Loại: Kết quả trận đấu"
    assert [c.value for c in ws[5]] == ["Thời gian", "Người thực hiện", "Hành động", "Đối tượng", "Trước", "Sau", "Lý do"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    assert len(body) == 2
    assert body[0][1:3] == ["Trần Thị Ban (btc)", "Sửa kết quả"]
    assert body[0][3].startswith(f"BB-DN · Trận #{first.id}")
    assert body[0][4].startswith("Tỉ số: 11-5, 11-6, 11-7") and body[0][5].startswith("Tỉ số: 5-11, 6-11, 7-11")
    assert body[0][6] == '=HYPERLINK("http://x.example","bấm")'
    assert ws.cell(row=6, column=7).data_type == "s"  # text, never a formula
    assert body[1][2] == "Ghi kết quả" and body[1][4] and body[1][6] is None
    when = datetime.strptime(body[0][0], "%d/%m/%Y %H:%M:%S")
    assert when == audit_log.query(festival, kind="match").rows[0].at.replace(microsecond=0)


def test_every_action_the_code_records_has_a_vietnamese_label():
    """The audit pages show actions by name: a new audit.record("x.y", …) needs its label."""
    import re
    from pathlib import Path

    from sports.services.audit_log import ACTION_LABELS, KINDS

    root = Path(__file__).resolve().parents[2] / "sports"
    recorded = {m for path in root.rglob("*.py")
                for m in re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8"))}
    assert len(recorded) > 40
    assert sorted(recorded - set(ACTION_LABELS)) == []
    prefixes = tuple(p for _, _, ps in KINDS for p in ps)
    assert sorted(a for a in recorded if not a.startswith(prefixes)) == []

"""The registration workbook (CONTRACT.md): every refusal located and storing nothing, re-upload, template."""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from sports.importers import registration as reg
from sports.importers.registration import (
    Problem, RegistrationProblems, apply, import_workbook, read, template,
)
from sports.models import (
    Athlete, AuditEntry, Entry, EntryAthlete, Event, Festival, Group, GroupEntry, Match, Stage, Unit,
)

HEAD = ["Mã đơn vị", "Họ và tên", "Giới tính", "Năm sinh"]
EVENTS = ["TT-DN", "TT-DU", "CL-DOI", "CL-NN", "BC-NAM", "TT-45"]

# code, sport, discipline, name, settings
EVENT_SPECS = [
    ("TT-DN", "table_tennis", "men_singles", "Bóng bàn đơn nam", {}),
    ("TT-DU", "table_tennis", "women_singles", "Bóng bàn đơn nữ", {}),
    ("CL-DOI", "badminton", "men_doubles", "Cầu lông đôi nam", {}),
    ("CL-NN", "badminton", "mixed_doubles", "Cầu lông đôi nam nữ", {"combined_allowed": True}),
    ("BC-NAM", "volleyball", "men_team", "Bóng chuyền nam", {"roster_min": 3, "roster_max": 4,
                                                               "max_entries_per_unit": 1}),
    ("TT-45", "table_tennis", "men_singles", "Đơn nam trên 45 tuổi", {"birth_year_max": 1979}),
]


def make_festival(db, **settings) -> Festival:
    festival = Festival(slug="thu-2024", name="Hội thao thử năm 2024", place="Lâm Đồng",
                        start_date=date(2024, 5, 1), end_date=date(2024, 5, 3), **settings)
    db.session.add(festival)
    for code, name, short, withdrawn in (("BVDK", "Bệnh viện Đa khoa tỉnh", "BVĐK", False),
                                         ("TTYT", "Trung tâm Y tế Đức Trọng", "", False),
                                         ("CDC", "Trung tâm Kiểm soát bệnh tật", "", False),
                                         ("RUT", "Bệnh viện đã rút", "", True)):
        db.session.add(Unit(festival=festival, code=code, name=name, short_name=short, withdrawn=withdrawn))
    for pos, (code, sport, discipline, name, extra) in enumerate(EVENT_SPECS):
        db.session.add(Event(festival=festival, code=code, sport=sport, discipline=discipline, name=name,
                             position=pos, best_of=3, points=21, ranking_preset="bwf", **extra))
    db.session.commit()
    return festival


@pytest.fixture
def festival(db):
    return make_festival(db)


def row(unit, name, gender, year, marks=None):
    return (unit, name, gender, year, marks or {})


def workbook(rows, headers=None, sheet="Đăng ký", extra_sheets=()) -> bytes:
    """A workbook as a unit would send it: ``rows`` are row(...) tuples, marks by event code."""
    headers = headers if headers is not None else HEAD + EVENTS
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        if isinstance(r, (list, tuple)) and len(r) == 5 and isinstance(r[4], dict):
            unit, name, gender, year, marks = r
            values = [unit, name, gender, year] + [marks.get(h) for h in headers[4:]]
        else:
            values = list(r)
        ws.append(values)
    for title in extra_sheets:
        wb.create_sheet(title)["A1"] = "ghi chú"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


BASE = [
    row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DN": "x", "CL-DOI": 1}),
    row("BVDK", "Trần Văn Bình", "Nam", 1985, {"CL-DOI": 1, "CL-NN": "1"}),
    row("BVDK", "Lê Thị Cúc", "Nữ", 1992, {"TT-DU": "x", "CL-NN": 1}),
    row("TTYT", "Phạm Văn Dũng", "Nam", 1975, {"TT-DN": "x", "TT-45": "x"}),
    row("TTYT", "Hoàng Thị Em", "Nữ", 1995, {"TT-DU": "X"}),
]


def counts(db):
    return (db.session.scalar(select(func.count(Athlete.id))), db.session.scalar(select(func.count(Entry.id))),
            db.session.scalar(select(func.count(EntryAthlete.id))),
            db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "registration.import")))


def entries_of(db, code):
    event = db.session.scalar(select(Event).where(Event.code == code))
    return sorted(sorted(a.name for a in e.athletes) for e in
                  db.session.scalars(select(Entry).where(Entry.event_id == event.id)))


def refused(db, festival, data) -> list[str]:
    """Import ``data``, expecting a refusal that stores nothing; the problems as printed."""
    before, revision = counts(db), festival.revision
    plan = read(festival, data)
    assert not plan.ok
    with pytest.raises(RegistrationProblems) as exc:
        import_workbook(festival, data)
    db.session.rollback()
    assert counts(db) == before
    assert db.session.get(Festival, festival.id).revision == revision
    printed = [str(p) for p in exc.value.problems]
    assert printed == [str(p) for p in plan.problems] == exc.value.messages
    return printed


def imported(db, festival, data, **kw):
    plan = import_workbook(festival, data, **kw)
    db.session.commit()
    return plan


# ------------------------------------------------------------------------------- a clean workbook

def test_a_clean_workbook_stores_athletes_and_entries(db, festival):
    revision = festival.revision
    plan = imported(db, festival, workbook(BASE), filename="dangky.xlsx")
    assert plan.ok and plan.applied
    assert (plan.new_athletes, plan.updated_athletes, plan.unchanged_athletes) == (5, 0, 0)
    assert (plan.new_entries, plan.removed_entries, plan.unchanged_entries) == (7, 0, 0)
    assert plan.units == ["BVDK", "TTYT"] and plan.events == EVENTS
    assert [r.status for r in plan.rows] == ["mới"] * 5
    assert counts(db) == (5, 7, 9, 1)
    assert entries_of(db, "TT-DN") == [["Nguyễn Văn An"], ["Phạm Văn Dũng"]]
    assert entries_of(db, "CL-DOI") == [["Nguyễn Văn An", "Trần Văn Bình"]]
    assert entries_of(db, "CL-NN") == [["Lê Thị Cúc", "Trần Văn Bình"]]
    assert entries_of(db, "TT-45") == [["Phạm Văn Dũng"]]
    an = db.session.scalar(select(Athlete).where(Athlete.name == "Nguyễn Văn An"))
    assert (an.gender, an.birth_year, an.unit.code) == ("M", 1990, "BVDK")
    cuc = db.session.scalar(select(Athlete).where(Athlete.name == "Lê Thị Cúc"))
    assert cuc.gender == "F"
    assert len({a.ref for a in db.session.scalars(select(Athlete))}) == 5
    pair = db.session.scalar(select(Entry).join(Event).where(Event.code == "CL-DOI"))
    assert pair.unit.code == "BVDK" and pair.ref == "CL-DOI-BVDK"
    assert db.session.get(Festival, festival.id).revision == revision + 1
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.import"))
    assert audit.festival_id == festival.id and audit.reason == "Tệp dangky.xlsx"
    assert audit.after["athletes"] == {"new": 5, "updated": 0, "unchanged": 0, "absent": 0}
    assert audit.after["entries"] == {"new": 7, "removed": 0, "unchanged": 0}


def test_rows_are_ready_for_a_preview(db, festival):
    plan = read(festival, workbook(BASE))
    first = plan.rows[0]
    assert (first.row, first.unit_code, first.unit_name, first.name, first.gender_label, first.birth_year) == (
        2, "BVDK", "Bệnh viện Đa khoa tỉnh", "Nguyễn Văn An", "Nam", 1990)
    assert first.events_text == "TT-DN, CL-DOI (1)" and first.status == "mới" and first.ok
    assert {(e.event_code, e.players_text, e.status) for e in plan.entries} >= {
        ("CL-NN", "Trần Văn Bình / Lê Thị Cúc", "mới"), ("TT-45", "Phạm Văn Dũng", "mới")}


def test_read_never_writes(db, festival):
    plan = read(festival, workbook(BASE))
    assert plan.ok and plan.new_athletes == 5 and plan.new_entries == 7
    db.session.commit()
    assert counts(db) == (0, 0, 0, 0)


def test_dry_run_checks_everything_and_writes_nothing(db, festival):
    plan = import_workbook(festival, workbook(BASE), dry_run=True)
    db.session.commit()
    assert plan.ok and not plan.applied and plan.new_entries == 7
    assert counts(db) == (0, 0, 0, 0)
    with pytest.raises(RegistrationProblems):
        import_workbook(festival, workbook([row("XX", "Nguyễn Văn An", "Nam", 1990)]), dry_run=True)


def test_lenient_on_how_people_type(db, festival):
    rows = [
        row("bvdk ", "  nguyễn   văn an ", "nam", "1990", {"TT-DN": "có"}),
        row("Trung tâm y tế Đức Trọng", "Lê Thị Cúc", "nu", 1992.0, {"TT-DU": 1}),
        row("CDC", "Đỗ Thị Hoa", "NỮ", None, {"TT-DU": True}),
    ]
    plan = imported(db, festival, workbook(rows, extra_sheets=["Ghi chú"]))
    assert plan.ok and plan.new_athletes == 3 and plan.new_entries == 3
    stored = {(a.unit.code, a.name, a.gender, a.birth_year) for a in db.session.scalars(select(Athlete))}
    assert stored == {("BVDK", "nguyễn văn an", "M", 1990), ("TTYT", "Lê Thị Cúc", "F", 1992),
                      ("CDC", "Đỗ Thị Hoa", "F", None)}


def test_empty_rows_are_skipped(db, festival):
    rows = [BASE[4], (None, None, None, None), ("", "  ", None, None), BASE[3]]
    plan = imported(db, festival, workbook(rows))
    assert [r.row for r in plan.rows] == [2, 5] and plan.new_athletes == 2


def test_problem_locations_print_as_excel_references():
    assert str(Problem("Đăng ký", 14, "C", "Thiếu giới tính.")) == "Đăng ký!C14: Thiếu giới tính."
    assert str(Problem("Đăng ký", 14, None, "x")) == "Đăng ký!14: x"
    assert str(Problem("Đăng ký", None, None, "x")) == "Đăng ký: x"
    assert str(Problem("", None, None, "Tệp rỗng.")) == "Tệp rỗng."


# ------------------------------------------------------------------------------- refusals, one by one

def test_unknown_unit(db, festival):
    problems = refused(db, festival, workbook([BASE[3], row("BVXX", "Ngô Văn Tư", "Nam", 1990)]))
    assert problems == ["Đăng ký!A3: Không có đơn vị “BVXX” trong hội thao; ghi mã đơn vị như ở trang Danh mục "
                        "(hoặc đúng tên đơn vị)."]


def test_missing_unit(db, festival):
    assert refused(db, festival, workbook([row(None, "Ngô Văn Tư", "Nam", 1990)])) == [
        "Đăng ký!A2: Thiếu mã đơn vị."]


def test_withdrawn_unit(db, festival):
    assert refused(db, festival, workbook([BASE[3], row("RUT", "Ngô Văn Tư", "Nam", 1990, {"TT-DN": "x"})])) == [
        "Đăng ký!A3: Đơn vị RUT (Bệnh viện đã rút) đã rút khỏi hội thao nên không nhận đăng ký."]


def test_unknown_event_column(db, festival):
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DN": "x", "BB-XX": "x"})],
                    headers=HEAD + ["TT-DN", "BB-XX"])
    assert refused(db, festival, data) == [
        "Đăng ký!F1: Cột “BB-XX” không phải cột của mẫu đăng ký, cũng không phải mã nội dung nào của hội thao "
        "(xem trang Danh mục)."]


def test_a_column_twice_and_a_missing_column(db, festival):
    data = workbook([("BVDK", "Nguyễn Văn An", 1990, "x", "x")],
                    headers=["Mã đơn vị", "Họ và tên", "Năm sinh", "TT-DN", "tt-dn"])
    assert refused(db, festival, data) == [
        "Đăng ký!1: Thiếu cột “Giới tính” ở dòng tiêu đề.",
        "Đăng ký!E1: Cột “tt-dn” bị lặp: đã có ở cột D."]


def test_data_under_a_column_without_header(db, festival):
    data = workbook([("BVDK", "Nguyễn Văn An", "Nam", 1990, None, "ghi chú")], headers=HEAD)
    assert refused(db, festival, data) == [
        "Đăng ký!F2: Ô có dữ liệu nhưng cột F không có tiêu đề ở dòng 1; ghi mã nội dung vào ô F1 hoặc xoá dữ "
        "liệu của cột."]


def test_missing_name(db, festival):
    assert refused(db, festival, workbook([row("BVDK", None, "Nam", 1990, {"TT-DN": "x"})])) == [
        "Đăng ký!B2: Thiếu họ và tên."]


@pytest.mark.parametrize("gender, message", [
    (None, "Đăng ký!C2: Thiếu giới tính; ghi “Nam” hoặc “Nữ”."),
    ("Male", "Đăng ký!C2: Giới tính “Male” không hợp lệ; ghi “Nam” hoặc “Nữ”."),
    (1, "Đăng ký!C2: Giới tính “1” không hợp lệ; ghi “Nam” hoặc “Nữ”."),
])
def test_missing_or_invalid_gender(db, festival, gender, message):
    assert refused(db, festival, workbook([row("BVDK", "Nguyễn Văn An", gender, 1990)])) == [message]


@pytest.mark.parametrize("year, message", [
    ("199", "Năm sinh “199” không hợp lệ; ghi năm có bốn chữ số, ví dụ 1990."),
    ("năm 90", "Năm sinh “năm 90” không hợp lệ; ghi năm có bốn chữ số, ví dụ 1990."),
    (1990.5, "Năm sinh “1990.5” không hợp lệ; ghi năm có bốn chữ số, ví dụ 1990."),
    (1850, f"Năm sinh 1850 không hợp lệ: phải từ 1900 đến {date.today().year}."),
    (datetime(1990, 3, 1), "Năm sinh là một năm có bốn chữ số (ví dụ 1990), không phải ngày tháng."),
])
def test_invalid_birth_year(db, festival, year, message):
    assert refused(db, festival, workbook([row("BVDK", "Nguyễn Văn An", "Nam", year)])) == [
        f"Đăng ký!D2: {message}"]


def test_the_same_athlete_twice_points_at_both_rows(db, festival):
    data = workbook([*BASE[:3], row("bvdk", "NGUYỄN VĂN AN", "Nam", 1990, {"TT-DU": None})])
    assert refused(db, festival, data) == [
        "Đăng ký!B5: NGUYỄN VĂN AN (BVDK, sinh năm 1990) đã có ở dòng 2; mỗi vận động viên chỉ ghi một dòng."]


def test_same_name_other_birth_year_is_another_person(db, festival):
    plan = imported(db, festival, workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990),
                                            row("BVDK", "Nguyễn Văn An", "Nam", 2000)]))
    assert plan.new_athletes == 2


def test_too_many_events_for_one_athlete(db):
    festival = make_festival(db, max_events_per_athlete=2)
    data = workbook([row("TTYT", "Phạm Văn Dũng", "Nam", 1975, {"TT-DN": "x", "CL-DOI": "1", "TT-45": "x"}),
                     row("TTYT", "Vũ Văn Giang", "Nam", 1980, {"CL-DOI": "1"})])
    assert refused(db, festival, data) == [
        "Đăng ký!J2: Phạm Văn Dũng đăng ký 3 nội dung (TT-DN, CL-DOI, TT-45); mỗi vận động viên được đăng ký tối "
        "đa 2 nội dung."]


def test_events_without_a_column_count_towards_the_athlete_limit(db):
    festival = make_festival(db, max_events_per_athlete=2)
    imported(db, festival, workbook([row("TTYT", "Phạm Văn Dũng", "Nam", 1975, {"TT-DN": "x", "TT-45": "x"})]))
    data = workbook([("TTYT", "Phạm Văn Dũng", "Nam", 1975, "1"), ("TTYT", "Vũ Văn Giang", "Nam", 1980, "1")],
                    headers=HEAD + ["CL-DOI"])
    assert refused(db, festival, data) == [
        "Đăng ký!E2: Phạm Văn Dũng đăng ký 3 nội dung (CL-DOI, TT-DN, TT-45); mỗi vận động viên được đăng ký tối "
        "đa 2 nội dung."]


def test_more_entries_of_a_unit_than_the_festival_allows(db):
    festival = make_festival(db, max_entries_per_unit=2)
    data = workbook([row("BVDK", name, "Nam", 1990, {"TT-DN": "x"}) for name in
                     ("Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường")])
    assert refused(db, festival, data) == [
        "Đăng ký!E4: BVDK có 3 đăng ký ở nội dung TT-DN (dòng 2–4); mỗi đơn vị được đăng ký tối đa 2."]


def test_an_event_limit_overrides_the_festival_default(db):
    festival = make_festival(db, max_entries_per_unit=5)
    players = [row("BVDK", n, "Nam", 1990, {"BC-NAM": "A" if i < 3 else "B"}) for i, n in enumerate(
        ("Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Hồ Văn Giang", "Đỗ Văn Hải"))]
    assert refused(db, festival, workbook(players)) == [
        "Đăng ký!I5: BVDK có 2 đăng ký ở nội dung BC-NAM (dòng 2, 5); mỗi đơn vị được đăng ký tối đa 1."]


def test_no_limit_means_unlimited(db, festival):
    names = ("Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Hồ Văn Giang")
    plan = imported(db, festival, workbook([row("BVDK", n, "Nam", 1990, {"TT-DN": "x"}) for n in names]))
    assert plan.new_entries == 5


def test_a_woman_in_mens_singles(db, festival):
    assert refused(db, festival, workbook([row("BVDK", "Lê Thị Cúc", "Nữ", 1992, {"TT-DN": "x"})])) == [
        "Đăng ký!E2: TT-DN: Đơn nam chỉ dành cho nam."]


def test_a_mixed_pair_of_two_men(db, festival):
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"CL-NN": "1"}),
                     row("BVDK", "Trần Văn Bình", "Nam", 1985, {"CL-NN": "1"})])
    assert refused(db, festival, data) == [
        "Đăng ký!H2: CL-NN, nhãn “1” của BVDK (dòng 2, 3): Đôi nam nữ gồm một vận động viên nam và một vận động "
        "viên nữ."]


def test_a_pair_of_three(db, festival):
    data = workbook([row("BVDK", n, "Nam", 1990, {"CL-DOI": "A"})
                     for n in ("Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường")])
    assert refused(db, festival, data) == [
        "Đăng ký!G2: CL-DOI, nhãn “A” của BVDK (dòng 2–4): Đôi nam cần đúng 2 vận động viên (có 3)."]


def test_labels_pair_players_within_their_unit_only(db, festival):
    # The same label in two units makes two entries, one per unit — here each of one player.
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"CL-DOI": "1"}),
                     row("TTYT", "Phạm Văn Dũng", "Nam", 1975, {"CL-DOI": "1"})])
    assert refused(db, festival, data) == [
        "Đăng ký!G2: CL-DOI, nhãn “1” của BVDK (dòng 2): Đôi nam cần đúng 2 vận động viên (có 1).",
        "Đăng ký!G3: CL-DOI, nhãn “1” của TTYT (dòng 3): Đôi nam cần đúng 2 vận động viên (có 1)."]


def test_a_woman_in_a_mens_team_is_pointed_at(db, festival):
    data = workbook([row("BVDK", n, g, 1990, {"BC-NAM": "A"}) for n, g in
                     (("Nguyễn Văn An", "Nam"), ("Trần Văn Bình", "Nam"), ("Lê Thị Cúc", "Nữ"))])
    assert refused(db, festival, data) == [
        "Đăng ký!I4: BC-NAM, nhãn “A” của BVDK (dòng 2–4): Đồng đội nam chỉ dành cho nam."]


def test_a_combined_pair_where_the_event_does_not_allow_it(db, festival):
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"CL-DOI": "*1"}),
                     row("TTYT", "Phạm Văn Dũng", "Nam", 1975, {"CL-DOI": "*1"})])
    assert refused(db, festival, data) == [
        "Đăng ký!G2: Nhãn “*1” bắt đầu bằng “*” là đội ghép nhiều đơn vị (dòng 2, 3), nhưng nội dung CL-DOI không "
        "cho phép đội ghép; bỏ dấu “*” để ghép vận động viên trong cùng đơn vị."]


def test_a_combined_pair_where_the_event_allows_it(db, festival):
    data = workbook([row("TTYT", "Hoàng Thị Em", "Nữ", 1995, {"CL-NN": "*1"}),
                     row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"CL-NN": "* 1"})])
    plan = imported(db, festival, data)
    assert plan.new_entries == 1
    entry = db.session.scalar(select(Entry).join(Event).where(Event.code == "CL-NN"))
    assert entry.unit.code == "TTYT"  # the first player's unit
    assert [(a.name, a.unit.code) for a in entry.athletes] == [("Hoàng Thị Em", "TTYT"), ("Nguyễn Văn An", "BVDK")]
    # Uploaded again, the combined pair is the same entry.
    again = imported(db, festival, data)
    assert (again.new_entries, again.unchanged_entries, again.removed_entries) == (0, 1, 0)


def test_outside_the_age_band(db, festival):
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-45": "x"})])
    assert refused(db, festival, data) == [
        "Đăng ký!J2: Nguyễn Văn An sinh năm 1990, ngoài độ tuổi của nội dung TT-45 (sinh năm 1979 trở về trước)."]


def test_an_age_band_needs_a_birth_year(db, festival):
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", None, {"TT-DN": "x", "TT-45": "x"})])
    assert refused(db, festival, data) == [
        "Đăng ký!D2: Thiếu năm sinh: nội dung có giới hạn độ tuổi (TT-45: sinh năm 1979 trở về trước) cần năm sinh "
        "của vận động viên."]


@pytest.mark.parametrize("size, message", [
    (2, "Đăng ký!I2: BC-NAM, nhãn “x” của BVDK (dòng 2, 3): đội có 2 vận động viên; nội dung này cần từ 3 đến 4 "
        "vận động viên mỗi đội."),
    (5, "Đăng ký!I2: BC-NAM, nhãn “x” của BVDK (dòng 2–6): đội có 5 vận động viên; nội dung này cần từ 3 đến 4 "
        "vận động viên mỗi đội."),
])
def test_a_team_roster_outside_its_limits(db, festival, size, message):
    names = ["Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Hồ Văn Giang"][:size]
    assert refused(db, festival, workbook([row("BVDK", n, "Nam", 1990, {"BC-NAM": "x"}) for n in names])) == [
        message]


def test_a_formula_is_refused_where_a_value_belongs(db, festival):
    wb = Workbook()
    ws = wb.active
    ws.title = "Đăng ký"
    ws.append(HEAD + EVENTS)
    ws.append(["BVDK", '=UPPER("an")', "Nam", 1990, "x"])
    ws.append(["BVDK", "Trần Văn Bình", "Nam", "=1980+5"])
    ws.append(["BVDK", "=Lê Văn Cường", "Nam", 1990])
    ws["B4"].data_type = "s"  # text that merely starts with "=": refused as well
    out = io.BytesIO()
    wb.save(out)
    assert refused(db, festival, out.getvalue()) == [
        "Đăng ký!B2: Ô chứa công thức (=UPPER(\"an\")); hãy ghi họ và tên, không dùng công thức.",
        "Đăng ký!D3: Ô chứa công thức (=1980+5); hãy ghi năm sinh, không dùng công thức.",
        "Đăng ký!B4: Ô chứa công thức (=Lê Văn Cường); hãy ghi họ và tên, không dùng công thức."]


def test_a_date_or_a_number_where_a_name_belongs(db, festival):
    data = workbook([row("BVDK", datetime(1990, 5, 1), "Nam", 1990), row("BVDK", 12345, "Nam", 1990),
                     row("BVDK", "Nguyễn Văn 2", "Nam", 1990)])
    assert refused(db, festival, data) == [
        "Đăng ký!B2: Ô họ và tên chứa ngày tháng, không phải họ tên.",
        "Đăng ký!B3: Ô họ và tên chứa một số (12345), không phải họ tên.",
        "Đăng ký!B4: Họ và tên “Nguyễn Văn 2” có chữ số; hãy ghi đúng họ tên."]


def test_every_problem_is_reported_at_once_in_sheet_order(db):
    festival = make_festival(db, max_entries_per_unit=1)
    data = workbook([
        row("BVXX", "Ngô Văn Tư", "Nam", 1990),
        row("BVDK", None, "Nam", "19x0"),
        row("BVDK", "Lê Thị Cúc", "Nữ", 1992, {"TT-DN": "x"}),
        row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DU": "x", "TT-DN": "x"}),
    ])
    problems = refused(db, festival, data)
    assert [p.split(":")[0] for p in problems] == [
        "Đăng ký!A2", "Đăng ký!B3", "Đăng ký!D3", "Đăng ký!E4", "Đăng ký!E5", "Đăng ký!F5"]
    plan = read(festival, data)
    assert [len(r.problems) for r in plan.rows] == [1, 2, 1, 2]


# ------------------------------------------------------------------------------- hostile files

@pytest.mark.parametrize("data, message", [
    (b"", "Tệp rỗng (0 byte); hãy chọn đúng tệp đăng ký."),
    (b"Ma don vi,Ho va ten\nBVDK,An\n", reg.NOT_XLSX),
    (reg.OLE_MAGIC + b"\0" * 512, "Đây là tệp Excel cũ (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật "
                                  "khẩu nếu có và lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)”."),
])
def test_not_a_workbook_is_one_clear_sentence(db, festival, data, message):
    assert refused(db, festival, data) == [message]


def test_a_zip_that_is_not_a_workbook(db, festival):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    assert refused(db, festival, out.getvalue()) == [reg.NOT_XLSX]


def test_a_damaged_workbook(db, festival):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    assert refused(db, festival, out.getvalue()) == [reg.DAMAGED]


def test_a_file_too_large(db, festival):
    assert refused(db, festival, b"PK" + b"\0" * reg.MAX_BYTES) == [
        "Tệp quá lớn (10.0 MB); sổ đăng ký tối đa 10 MB."]


def test_a_zip_bomb_is_refused_before_reading(db, festival, monkeypatch):
    monkeypatch.setattr(reg, "MAX_UNPACKED", 50_000)
    data = workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DN": "x" * 60_000})])
    assert refused(db, festival, data) == [
        "Tệp Excel này khi giải nén lớn bất thường (quá 0 MB); hãy lưu lại chỉ với trang Đăng ký."]


def test_no_registration_sheet(db, festival):
    assert refused(db, festival, workbook(BASE, sheet="Sheet1")) == [
        "Tệp không có trang tính “Đăng ký” (tệp có: “Sheet1”). Hãy dùng mẫu đăng ký tải từ hệ thống và điền vào "
        "trang “Đăng ký”."]


def test_a_sheet_without_headers_or_rows(db, festival):
    wb = Workbook()
    wb.active.title = "Đăng ký"
    out = io.BytesIO()
    wb.save(out)
    assert refused(db, festival, out.getvalue()) == [
        "Đăng ký!1: Dòng 1 của trang “Đăng ký” phải là dòng tiêu đề: Mã đơn vị, Họ và tên, Giới tính, Năm sinh, "
        "rồi đến mã các nội dung."]
    assert refused(db, festival, workbook([])) == ["Đăng ký: Trang “Đăng ký” chưa có vận động viên nào (điền từ "
                                                   "dòng 2)."]


def test_rows_are_capped(db, festival, monkeypatch):
    monkeypatch.setattr(reg, "MAX_ROWS", 3)
    names = ("Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Hồ Văn Giang")
    data = workbook([row("BVDK", n, "Nam", 1990) for n in names])
    assert refused(db, festival, data) == [
        "Đăng ký!5: Trang “Đăng ký” có hơn 3 dòng vận động viên; các dòng từ đây không được đọc. Hãy chia thành "
        "nhiều tệp (ví dụ mỗi đơn vị một tệp)."]


def test_a_far_away_empty_row_costs_nothing(db, festival):
    wb = Workbook()
    ws = wb.active
    ws.title = "Đăng ký"
    ws.append(HEAD + EVENTS)
    ws.append(["BVDK", "Nguyễn Văn An", "Nam", 1990, "x"])
    ws.cell(row=1_000_000, column=1).value = "BVDK"
    ws.cell(row=1_000_000, column=2).value = "Trần Văn Bình"
    ws.cell(row=1_000_000, column=3).value = "Nam"
    out = io.BytesIO()
    wb.save(out)
    assert refused(db, festival, out.getvalue()) == [
        "Đăng ký!1000000: Trang “Đăng ký” có hơn 20.000 dòng vận động viên; các dòng từ đây không được đọc. Hãy "
        "chia thành nhiều tệp (ví dụ mỗi đơn vị một tệp)."]


# ------------------------------------------------------------------------------- names and re-upload

def test_decomposed_vietnamese_is_the_same_person(db, festival):
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert nfd != "Nguyễn Văn An"
    imported(db, festival, workbook([row("BVDK", nfd, "Nam", 1990, {"TT-DN": "x"})]))
    stored = db.session.scalar(select(Athlete.name))
    assert stored == "Nguyễn Văn An" and unicodedata.is_normalized("NFC", stored)
    plan = imported(db, festival, workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DN": "x"})]))
    assert (plan.new_athletes, plan.unchanged_athletes, plan.unchanged_entries) == (0, 1, 1)
    assert counts(db)[:3] == (1, 1, 1)
    both = workbook([row("BVDK", nfd, "Nam", 1990), row("BVDK", "Nguyễn Văn An", "Nam", 1990)])
    assert refused(db, festival, both) == [
        "Đăng ký!B3: Nguyễn Văn An (BVDK, sinh năm 1990) đã có ở dòng 2; mỗi vận động viên chỉ ghi một dòng."]


def test_uploading_twice_changes_nothing_the_second_time(db, festival):
    imported(db, festival, workbook(BASE))
    ids = {e.id for e in db.session.scalars(select(Entry))}
    athlete_ids = {a.id for a in db.session.scalars(select(Athlete))}
    plan = imported(db, festival, workbook(BASE))
    assert (plan.new_athletes, plan.updated_athletes, plan.unchanged_athletes) == (0, 0, 5)
    assert (plan.new_entries, plan.removed_entries, plan.unchanged_entries) == (0, 0, 7)
    assert [r.status for r in plan.rows] == ["không đổi"] * 5
    assert counts(db) == (5, 7, 9, 2)
    assert {e.id for e in db.session.scalars(select(Entry))} == ids
    assert {a.id for a in db.session.scalars(select(Athlete))} == athlete_ids


def test_changing_a_pair_replaces_its_entry_and_keeps_the_others(db, festival):
    imported(db, festival, workbook(BASE))
    kept = db.session.scalar(select(Entry.id).join(Event).where(Event.code == "CL-NN"))
    changed = [BASE[0], row("BVDK", "Trần Văn Bình", "Nam", 1985, {"CL-NN": "1"}),
               row("BVDK", "Lê Thị Cúc", "Nữ", 1992, {"TT-DU": "x", "CL-NN": 1}),
               row("BVDK", "Đỗ Văn Hùng", "Nam", 1991, {"CL-DOI": 1}), BASE[3], BASE[4]]
    plan = imported(db, festival, workbook(changed))
    assert (plan.new_athletes, plan.new_entries, plan.removed_entries, plan.unchanged_entries) == (1, 1, 1, 6)
    assert entries_of(db, "CL-DOI") == [["Nguyễn Văn An", "Đỗ Văn Hùng"]]
    assert db.session.scalar(select(Entry.id).join(Event).where(Event.code == "CL-NN")) == kept
    statuses = {r.name: (r.status, r.changes) for r in plan.rows}
    assert statuses["Nguyễn Văn An"] == ("cập nhật", ["nội dung"])
    assert statuses["Trần Văn Bình"] == ("cập nhật", ["nội dung"])
    assert statuses["Lê Thị Cúc"] == ("không đổi", [])
    assert statuses["Đỗ Văn Hùng"] == ("mới", [])
    assert {(e.event_code, e.players_text, e.status) for e in plan.entries if e.status != "không đổi"} == {
        ("CL-DOI", "Nguyễn Văn An / Đỗ Văn Hùng", "mới"), ("CL-DOI", "Nguyễn Văn An / Trần Văn Bình", "bỏ")}


def test_athlete_details_are_updated_not_duplicated(db, festival):
    imported(db, festival, workbook([row("BVDK", "Nguyễn Văn An", "Nữ", None)]))
    plan = imported(db, festival, workbook([row("BVDK", "nguyễn văn AN", "Nam", 1990, {"TT-DN": "x"})]))
    assert (plan.new_athletes, plan.updated_athletes) == (0, 1)
    assert plan.rows[0].changes == ["họ và tên", "giới tính", "năm sinh", "nội dung"]
    athlete = db.session.scalar(select(Athlete))
    assert (athlete.name, athlete.gender, athlete.birth_year) == ("nguyễn văn AN", "M", 1990)
    # An empty birth year later does not erase the stored one.
    plan = imported(db, festival, workbook([row("BVDK", "nguyễn văn AN", "Nam", None, {"TT-DN": "x"})]))
    assert plan.unchanged_athletes == 1 and db.session.scalar(select(Athlete.birth_year)) == 1990


def test_a_name_without_birth_year_must_say_which_person(db, festival):
    imported(db, festival, workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990),
                                     row("BVDK", "Nguyễn Văn An", "Nam", 2001)]))
    assert refused(db, festival, workbook([row("BVDK", "Nguyễn Văn An", "Nam", None, {"TT-DN": "x"})])) == [
        "Đăng ký!D2: BVDK đã có 2 vận động viên tên Nguyễn Văn An (năm sinh: 1990, 2001); ghi năm sinh để biết là "
        "người nào."]


def test_units_not_in_the_workbook_are_untouched_and_absent_athletes_kept(db, festival):
    imported(db, festival, workbook(BASE))
    plan = imported(db, festival, workbook([BASE[0], row("BVDK", "Trần Văn Bình", "Nam", 1985, {"CL-DOI": 1})]))
    # BVDK's Lê Thị Cúc is absent: kept, her entries removed; TTYT is not in the workbook: untouched.
    assert plan.units == ["BVDK"] and plan.absent_athletes == 1
    assert (plan.new_entries, plan.removed_entries, plan.unchanged_entries) == (0, 2, 2)
    assert db.session.scalar(select(func.count(Athlete.id))) == 5
    assert entries_of(db, "TT-DU") == [["Hoàng Thị Em"]]
    assert entries_of(db, "CL-NN") == []
    assert entries_of(db, "TT-45") == [["Phạm Văn Dũng"]]


def test_events_without_a_column_are_untouched(db, festival):
    imported(db, festival, workbook(BASE))
    data = workbook([("BVDK", "Nguyễn Văn An", "Nam", 1990, "x")], headers=HEAD + ["TT-DN"])
    plan = imported(db, festival, data)
    assert plan.events == ["TT-DN"] and (plan.removed_entries, plan.unchanged_entries) == (0, 1)
    assert entries_of(db, "CL-DOI") == [["Nguyễn Văn An", "Trần Văn Bình"]]


def _draw_protection(db, how: str) -> None:
    entry = db.session.scalar(select(Entry).join(Event).where(Event.code == "CL-DOI"))
    event = entry.event
    if how == "group":
        stage = Stage(event=event, type="round_robin")
        group = Group(stage=stage, name="A")
        group.members.append(GroupEntry(entry=entry))
        db.session.add_all([stage, group])
    elif how == "draw":
        db.session.add(Stage(event=event, type="knockout", draw=[entry.id, None]))
    else:
        other = Entry(event=event, unit=db.session.scalar(select(Unit).where(Unit.code == "CDC")), ref="khac")
        stage = Stage(event=event, type="knockout", draw=[])
        db.session.add_all([other, stage, Match(event=event, stage=stage, home=entry, away=other, sets=[])])
    db.session.commit()


@pytest.mark.parametrize("how, reason", [("group", "đã được xếp vào bảng đấu"),
                                         ("draw", "đã có trong sơ đồ thi đấu"),
                                         ("match", "đã có trận đấu")])
def test_an_entry_in_a_draw_cannot_be_changed_or_removed(db, festival, how, reason):
    imported(db, festival, workbook(BASE))
    _draw_protection(db, how)
    changed = [row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DN": "x", "CL-DOI": 1}),
               row("BVDK", "Trần Văn Bình", "Nam", 1985, {"CL-DOI": 2, "CL-NN": "1"}),
               row("BVDK", "Đỗ Văn Hùng", "Nam", 1991, {"CL-DOI": 2})] + BASE[2:]
    assert refused(db, festival, workbook(changed)) == [
        f"Đăng ký!G2: Không thể bỏ hay thay đổi đăng ký Nguyễn Văn An / Trần Văn Bình (BVDK) ở nội dung CL-DOI: "
        f"đăng ký này {reason}. Hãy giữ nguyên đăng ký này trong tệp, hoặc nhờ ban tổ chức xử lý (rút lui).",
        "Đăng ký!G2: CL-DOI, nhãn “1” của BVDK (dòng 2): Đôi nam cần đúng 2 vận động viên (có 1)."]
    # Listed as it is, the entry in the draw is kept and the rest may change.
    plan = imported(db, festival, workbook(BASE[:2] + [row("BVDK", "Đỗ Văn Hùng", "Nam", 1991)] + BASE[2:]))
    assert plan.ok and plan.unchanged_entries == 7 and plan.new_athletes == 1


def test_an_absent_athlete_in_a_draw_keeps_the_entry_by_refusing(db, festival):
    imported(db, festival, workbook(BASE))
    _draw_protection(db, "group")
    problems = refused(db, festival, workbook([BASE[0], BASE[2]]))
    assert problems[0] == (
        "Đăng ký!G2: Không thể bỏ hay thay đổi đăng ký Nguyễn Văn An / Trần Văn Bình (BVDK) ở nội dung CL-DOI: đăng "
        "ký này đã được xếp vào bảng đấu. Hãy giữ nguyên đăng ký này trong tệp, hoặc nhờ ban tổ chức xử lý (rút lui).")


def test_a_withdrawn_athlete_takes_no_new_entry(db, festival):
    imported(db, festival, workbook(BASE))
    dung = db.session.scalar(select(Athlete).where(Athlete.name == "Phạm Văn Dũng"))
    dung.withdrawn = True
    db.session.commit()
    assert read(festival, workbook(BASE)).ok  # his entries as they were: fine
    data = workbook(BASE[:3] + [row("TTYT", "Phạm Văn Dũng", "Nam", 1975, {"TT-DN": "x", "CL-DOI": "1"}),
                                BASE[4], row("TTYT", "Vũ Văn Giang", "Nam", 1980, {"CL-DOI": "1"})])
    assert refused(db, festival, data) == [
        "Đăng ký!G5: Phạm Văn Dũng đã rút khỏi hội thao nên không thể đăng ký mới nội dung CL-DOI."]


# ------------------------------------------------------------------------------- apply

def test_apply_refuses_a_plan_with_problems_and_a_stale_plan(db, festival):
    bad = read(festival, workbook([row("BVXX", "Ngô Văn Tư", "Nam", 1990)]))
    with pytest.raises(RegistrationProblems) as exc:
        apply(festival, bad)
    assert exc.value.problems == bad.problems
    plan = read(festival, workbook(BASE))
    imported(db, festival, workbook([BASE[4]]))  # someone imported meanwhile
    with pytest.raises(RegistrationProblems) as exc:
        apply(festival, plan)
    assert exc.value.messages == [reg.STALE]
    db.session.rollback()
    assert counts(db)[:2] == (1, 1)


def test_apply_writes_a_plan_read_earlier_once(db, festival):
    plan = read(festival, workbook(BASE))
    apply(festival, plan, actor="btc")
    db.session.commit()
    assert counts(db) == (5, 7, 9, 1)
    assert db.session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "registration.import")) == "btc"
    with pytest.raises(RegistrationProblems):
        apply(festival, plan)


def test_loaded_collections_see_the_import(db, festival):
    assert [len(e.entries) for e in festival.events] == [0] * 6 and festival.athletes == []
    imported(db, festival, workbook(BASE))
    assert [len(e.entries) for e in festival.events] == [2, 2, 1, 1, 0, 1]
    assert len(festival.athletes) == 5 and len(festival.units[0].athletes) == 3


# ------------------------------------------------------------------------------- the template

def _fill_template(data: bytes, rows) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Đăng ký"]
    headers = [c.value for c in ws[1]]
    for r, (unit, name, gender, year, marks) in enumerate(rows, start=2):
        for col, value in enumerate([unit, name, gender, year], start=1):
            ws.cell(row=r, column=col).value = value
        for code, mark in marks.items():
            ws.cell(row=r, column=headers.index(code) + 1).value = mark
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_layout(db):
    festival = make_festival(db, max_events_per_athlete=3, max_entries_per_unit=2)
    wb = load_workbook(io.BytesIO(template(festival)))
    assert wb.sheetnames == ["Đăng ký", "Hướng dẫn", "Danh mục"]
    ws = wb["Đăng ký"]
    assert [c.value for c in ws[1]] == HEAD + EVENTS
    assert ws["A1"].font.b and ws.freeze_panes == "C2" and ws.max_row == 1
    assert ws.column_dimensions["B"].width == 30
    assert ws["E1"].comment.text.startswith("Bóng bàn đơn nam")
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations["A2:A20001"].formula1 == "'Danh mục'!$A$2:$A$4"
    assert validations["C2:C20001"].formula1 == '"Nam,Nữ"'
    assert validations["D2:D20001"].type == "whole"
    lists = wb["Danh mục"]
    assert [(lists.cell(r, 1).value, lists.cell(r, 2).value) for r in range(2, 5)] == [
        ("BVDK", "Bệnh viện Đa khoa tỉnh"), ("TTYT", "Trung tâm Y tế Đức Trọng"),
        ("CDC", "Trung tâm Kiểm soát bệnh tật")]  # not the withdrawn unit
    assert [lists.cell(r, 4).value for r in range(2, 8)] == EVENTS
    guide = [tuple(c.value for c in r) for r in wb["Hướng dẫn"].iter_rows()]
    text = "\n".join(str(v) for r in guide for v in r if v)
    assert "Mỗi vận động viên được đăng ký tối đa 3 nội dung." in text
    assert "tối đa 2 cặp/đội/vận động viên ở mỗi nội dung" in text
    assert "nhãn bắt đầu bằng dấu * (ví dụ *1)" in text
    by_code = {r[0]: tuple(r) for r in guide if r[0] in EVENTS}
    assert by_code["BC-NAM"] == ("BC-NAM", "Bóng chuyền nam", "Bóng chuyền", "Đồng đội nam", "nhãn đội (ví dụ A)", 1,
                                 "không giới hạn", "từ 3 đến 4", "Không")
    assert by_code["TT-45"][5:7] == (2, "sinh năm 1979 trở về trước")
    assert by_code["CL-NN"][8] == "Có"


def test_template_filled_in_imports(db, festival):
    data = _fill_template(template(festival), BASE)
    plan = imported(db, festival, data)
    assert plan.ok and (plan.new_athletes, plan.new_entries) == (5, 7)


def test_filled_template_reimports_unchanged(db, festival):
    combined = [row("CDC", "Vũ Văn Khoa", "Nam", 1970, {"CL-NN": "*k"}),
                row("TTYT", "Đinh Thị Lan", "Nữ", 1971, {"CL-NN": "*K"})]
    imported(db, festival, workbook(BASE + combined))
    filled = template(festival, filled=True)
    ws = load_workbook(io.BytesIO(filled))["Đăng ký"]
    assert ws.max_row == 8
    plan = imported(db, festival, filled)
    assert plan.ok and (plan.new_athletes, plan.updated_athletes, plan.unchanged_athletes) == (0, 0, 7)
    assert (plan.new_entries, plan.removed_entries, plan.unchanged_entries) == (0, 0, 8)


def test_the_benchmark_workbook_imports_completely(db):
    """`make bench` measures a real import: its generated workbook is clean and re-imports unchanged."""
    import json

    from benchmarks.registration import entry_count, festival_and_workbook
    from sports.importers.festival_file import import_file

    size = dict(n_units=8, n_athletes=160, n_events=6, groups=2, group_size=3)
    festival_file, data = festival_and_workbook(**size)
    festival = import_file(json.dumps(festival_file).encode())
    db.session.commit()
    plan = imported(db, festival, data)
    assert (plan.new_athletes, plan.new_entries) == (160, entry_count(**size))
    again = imported(db, festival, data)
    assert (again.unchanged_athletes, again.unchanged_entries, again.new_entries) == (160, entry_count(**size), 0)

"""Excel out: athlete lists per unit, entry lists per event — content read back, never a formula."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sports.domain.text import person_sort_key
from sports.importers.exports import athletes_workbook, entries_workbook, sheet_title
from sports.importers.registration import import_workbook, template
from sports.models import Athlete, Entry, EntryAthlete, Event, Festival, Unit
from tests.services.test_registration import BASE, EVENTS, make_festival, row, workbook

RISKY = ["=HYPERLINK(\"http://x\",\"bấm\")", "+84 912 345 678", "-Trần Văn Bình", "@SUM(A1)", "\tTab Văn A",
         "\rCR Thị B"]
# XML reads a carriage return back as a line feed: the text survives, as text.
READ_BACK = {name.replace("\r", "\n") for name in RISKY}


@pytest.fixture
def festival(db):
    festival = make_festival(db)
    import_workbook(festival, workbook(BASE + [row("BVDK", "Đặng Văn Đức", "Nam", 1988),
                                               row("BVDK", "Nguyễn Văn Dũng", "Nam", 1987),
                                               row("BVDK", "Vũ Thị Ánh", "Nữ", 1993)]))
    db.session.commit()
    return festival


def cells(ws):
    return [c for r in ws.iter_rows() for c in r if c.value is not None]


def texts(ws) -> list[str]:
    return [str(c.value) for c in cells(ws)]


def test_athletes_by_unit_in_vietnamese_order_ready_to_sign(db, festival):
    wb = load_workbook(io.BytesIO(athletes_workbook(festival)))
    assert wb.sheetnames == ["BVDK", "TTYT", "CDC", "RUT"]
    ws = wb["BVDK"]
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == [
        "DANH SÁCH VẬN ĐỘNG VIÊN", "Hội thao thử năm 2024", "Đơn vị: Bệnh viện Đa khoa tỉnh"]
    assert [c.value for c in ws[5]] == ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Nội dung đăng ký", "Ghi chú"]
    listed = [tuple(c.value for c in ws[r]) for r in range(6, 12)]
    assert listed == [
        (1, "Nguyễn Văn An", "Nam", 1990, "TT-DN, CL-DOI", None),
        (2, "Vũ Thị Ánh", "Nữ", 1993, None, None),
        (3, "Trần Văn Bình", "Nam", 1985, "CL-DOI, CL-NN", None),
        (4, "Lê Thị Cúc", "Nữ", 1992, "TT-DU, CL-NN", None),
        (5, "Nguyễn Văn Dũng", "Nam", 1987, None, None),   # d before đ: Dũng before Đức
        (6, "Đặng Văn Đức", "Nam", 1988, None, None),
    ]
    names = [r[1] for r in listed]
    assert names == sorted(names, key=person_sort_key) and names != sorted(names)
    text = texts(ws)
    assert "Tổng số: 6 vận động viên." in text
    assert "Lâm Đồng, ngày ..... tháng ..... năm 2024" in text
    assert {"NGƯỜI LẬP DANH SÁCH", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên và đóng dấu)"} <= set(text)
    assert ws.print_title_rows == "$5:$5" and ws.page_setup.orientation == "portrait"
    assert "Đơn vị chưa đăng ký vận động viên nào." in texts(wb["CDC"])


def test_a_withdrawn_athlete_is_listed_as_such(db, festival):
    athlete = db.session.scalar(select(Athlete).where(Athlete.name == "Hoàng Thị Em"))
    athlete.withdrawn = True
    db.session.commit()
    ws = load_workbook(io.BytesIO(athletes_workbook(festival)))["TTYT"]
    assert [c.value for c in ws[7]] == [2, "Hoàng Thị Em", "Nữ", 1995, "TT-DU", "Đã rút"]


def test_entries_by_event_with_players_and_units(db, festival):
    wb = load_workbook(io.BytesIO(entries_workbook(festival)))
    assert wb.sheetnames == ["Tổng hợp", *EVENTS]
    summary = wb["Tổng hợp"]
    assert [c.value for c in summary[4]] == ["STT", "Mã nội dung", "Tên nội dung", "Số đăng ký", "Số đơn vị"]
    assert [tuple(c.value for c in summary[r]) for r in range(5, 11)] == [
        (1, "TT-DN", "Bóng bàn đơn nam", 2, 2), (2, "TT-DU", "Bóng bàn đơn nữ", 2, 2),
        (3, "CL-DOI", "Cầu lông đôi nam", 1, 1), (4, "CL-NN", "Cầu lông đôi nam nữ", 1, 1),
        (5, "BC-NAM", "Bóng chuyền nam", 0, 0), (6, "TT-45", "Đơn nam trên 45 tuổi", 1, 1)]
    ws = wb["CL-DOI"]
    assert ws["A1"].value == "NỘI DUNG CL-DOI: Cầu lông đôi nam" and ws["A2"].value == "Cầu lông – Đôi nam"
    assert [c.value for c in ws[5]] == ["STT", "Mã đơn vị", "Đơn vị", "Tên đăng ký", "Vận động viên", "Năm sinh",
                                        "Hạt giống", "Ghi chú"]
    assert [c.value for c in ws[6]] == [1, "BVDK", "Bệnh viện Đa khoa tỉnh", None, "Nguyễn Văn An\nTrần Văn Bình",
                                        "1990\n1985", None, None]
    singles = wb["TT-DN"]
    assert [(singles.cell(r, 2).value, singles.cell(r, 5).value) for r in (6, 7)] == [
        ("BVDK", "Nguyễn Văn An"), ("TTYT", "Phạm Văn Dũng")]
    assert "Chưa có đăng ký nào." in texts(wb["BC-NAM"])
    assert "Tổng số: 2 đăng ký của 2 đơn vị." in texts(singles)


def _risky_festival(db) -> Festival:
    festival = make_festival(db)
    festival.name = "=cmd|' /C calc'!A0"
    unit = db.session.scalar(select(Unit).where(Unit.code == "BVDK"))
    unit.name = "+Bệnh viện"
    event = db.session.scalar(select(Event).where(Event.code == "BC-NAM"))
    for i, name in enumerate(RISKY):
        athlete = Athlete(festival=festival, unit=unit, ref=f"r{i}", name=name, gender="M", birth_year=1990)
        db.session.add(athlete)
        entry = Entry(event=event, unit=unit, ref=f"e{i}", name="=1+1" if i == 0 else "@đội", position=i)
        entry.members.append(EntryAthlete(athlete=athlete))
        db.session.add(entry)
    db.session.commit()
    return festival


@pytest.mark.parametrize("make, expected", [
    (athletes_workbook, READ_BACK | {"=cmd|' /C calc'!A0"}),
    (entries_workbook, READ_BACK | {"=1+1", "@đội", "+Bệnh viện", "=cmd|' /C calc'!A0"}),
    (template, {"+Bệnh viện", "=cmd|' /C calc'!A0"}),
    (lambda f: template(f, filled=True), READ_BACK),
], ids=["athletes", "entries", "template", "filled-template"])
def test_text_that_looks_like_a_formula_is_written_as_text(db, make, expected):
    festival = _risky_festival(db)
    wb = load_workbook(io.BytesIO(make(festival)))
    written = [c for ws in wb.worksheets for c in cells(ws)]
    assert [c.coordinate for c in written if c.data_type == "f"] == []
    starts = ("=", "+", "-", "@", "\t", "\n")
    risky = {c.value: c for c in written if isinstance(c.value, str) and c.value.startswith(starts)}
    assert expected <= set(risky)
    assert all(c.data_type == "s" and c.quotePrefix for c in risky.values())


def test_risky_names_read_back_exactly(db):
    festival = _risky_festival(db)
    ws = load_workbook(io.BytesIO(athletes_workbook(festival)))["BVDK"]
    assert sorted(ws.cell(r, 2).value for r in range(6, 6 + len(RISKY))) == sorted(READ_BACK)
    ws = load_workbook(io.BytesIO(entries_workbook(festival)))["BC-NAM"]
    assert ws.cell(6, 3).value == "+Bệnh viện" and ws.cell(6, 3).data_type == "s"
    assert {ws.cell(r, 4).value for r in range(6, 6 + len(RISKY))} == {"=1+1", "@đội"}


def test_sheet_names_are_valid_and_unique(db):
    used: set[str] = set()
    assert sheet_title("CL:ĐÔI/NAM*?", used) == "CL-ĐÔI-NAM--"
    assert sheet_title("ab", used) == "ab" and sheet_title("AB", used) == "AB (2)"
    assert sheet_title("x" * 40, used) == "x" * 31 and sheet_title("x" * 40, used) == "x" * 27 + " (2)"
    assert sheet_title("History", used) == "History (2)" and sheet_title("", used) == "Trang"
    festival = make_festival(db)
    db.session.add(Event(festival=festival, code="tt-dn", sport="table_tennis", discipline="men_singles",
                         name="Trùng mã", position=9, best_of=5, points=11, ranking_preset="ittf"))
    db.session.commit()
    assert load_workbook(io.BytesIO(entries_workbook(festival))).sheetnames[-1] == "tt-dn (2)"


def test_a_festival_without_units(db):
    festival = Festival(slug="trong", name="Hội thao trống", start_date=date(2024, 1, 1))
    db.session.add(festival)
    db.session.commit()
    wb = load_workbook(io.BytesIO(athletes_workbook(festival)))
    assert wb.sheetnames == ["Vận động viên"] and "Hội thao chưa có đơn vị nào." in texts(wb.active)
    assert load_workbook(io.BytesIO(entries_workbook(festival))).sheetnames == ["Tổng hợp"]

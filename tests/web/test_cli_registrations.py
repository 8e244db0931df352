"""flask registrations template / import (CONTRACT.md "More commands")."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from sports.models import Athlete, AuditEntry, Entry
from tests.services.test_registration import BASE, make_festival, row, workbook


def stored(db):
    return (db.session.scalar(select(func.count(Athlete.id))), db.session.scalar(select(func.count(Entry.id))))


def test_template_writes_the_workbook(runner, db, tmp_path):
    make_festival(db)
    out = tmp_path / "mau.xlsx"
    result = runner.invoke(args=["registrations", "template", "thu-2024", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Đã ghi mẫu đăng ký của “Hội thao thử năm 2024” vào {out}."
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Đăng ký", "Hướng dẫn", "Danh mục"]
    assert [c.value for c in wb["Đăng ký"][1]][:5] == ["Mã đơn vị", "Họ và tên", "Giới tính", "Năm sinh", "TT-DN"]


def test_template_needs_an_output_file(runner, db):
    make_festival(db)
    result = runner.invoke(args=["registrations", "template", "thu-2024"])
    assert result.exit_code == 2 and "Missing option '-o'" in result.output


def test_import_prints_a_summary_and_stores(runner, db, tmp_path):
    make_festival(db)
    path = tmp_path / "dangky.xlsx"
    path.write_bytes(workbook(BASE))
    result = runner.invoke(args=["registrations", "import", "thu-2024", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Đơn vị trong tệp: BVDK, TTYT.",
        "Vận động viên: 5 mới, 0 cập nhật, 0 không đổi.",
        "Đăng ký: 7 mới, 0 bỏ, 0 giữ nguyên.",
        "Đã nhập xong.",
    ]
    db.session.expire_all()
    assert stored(db) == (5, 7)
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.import"))
    assert audit.actor == "cli" and audit.after["file"] == "dangky.xlsx"
    # Again with only An, entered in singles only: Bình and Cúc are kept, their entries go.
    path.write_bytes(workbook([row("BVDK", "Nguyễn Văn An", "Nam", 1990, {"TT-DN": "x"})]))
    again = runner.invoke(args=["registrations", "import", "thu-2024", str(path)])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines() == [
        "Đơn vị trong tệp: BVDK.",
        "Vận động viên: 0 mới, 1 cập nhật, 0 không đổi.",
        "2 vận động viên đã có của các đơn vị này không có trong tệp: vẫn được giữ.",
        "Đăng ký: 0 mới, 3 bỏ, 1 giữ nguyên.",
        "Đã nhập xong.",
    ]
    db.session.expire_all()
    assert stored(db) == (5, 4)


def test_import_with_problems_prints_each_and_changes_nothing(runner, db, tmp_path):
    make_festival(db)
    path = tmp_path / "loi.xlsx"
    path.write_bytes(workbook([BASE[3], row("BVXX", "Ngô Văn Tư", "Nam", 1990), row("TTYT", "Lê Thị Cúc", None, 1992)]))
    result = runner.invoke(args=["registrations", "import", "thu-2024", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}: không nhập gì; 2 lỗi:",
        "Đăng ký!A3: Không có đơn vị “BVXX” trong hội thao; ghi mã đơn vị như ở trang Danh mục (hoặc đúng tên đơn "
        "vị).",
        "Đăng ký!C4: Thiếu giới tính; ghi “Nam” hoặc “Nữ”.",
    ]
    assert "Traceback" not in result.output and stored(db) == (0, 0)


def test_import_dry_run_writes_nothing(runner, db, tmp_path):
    make_festival(db)
    path = tmp_path / "dangky.xlsx"
    path.write_bytes(workbook(BASE))
    result = runner.invoke(args=["registrations", "import", "thu-2024", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Đăng ký: 7 mới, 0 bỏ, 0 giữ nguyên." in result.output
    assert result.output.splitlines()[-1] == "Chạy thử: chưa ghi gì vào cơ sở dữ liệu."
    assert stored(db) == (0, 0)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_not_a_workbook(runner, db, tmp_path):
    make_festival(db)
    path = tmp_path / "dangky.csv"
    path.write_text("Mã đơn vị,Họ và tên\n", encoding="utf-8")
    result = runner.invoke(args=["registrations", "import", "thu-2024", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith("Tệp này không phải sổ tính Excel (.xlsx).")


def test_unknown_festival_and_missing_file(runner, db, tmp_path):
    make_festival(db)
    for args in (["template", "khong-co", "-o", str(tmp_path / "x.xlsx")],
                 ["import", "khong-co", str(tmp_path / "x.xlsx")]):
        result = runner.invoke(args=["registrations", *args])
        assert result.exit_code == 1 and result.output.strip() == "Lỗi: không có hội thao “khong-co”."
    result = runner.invoke(args=["registrations", "import", "thu-2024", str(tmp_path / "khong.xlsx")])
    assert result.exit_code == 1 and result.output.startswith(f"Lỗi: không đọc được {tmp_path / 'khong.xlsx'}")
    assert not (tmp_path / "x.xlsx").exists()

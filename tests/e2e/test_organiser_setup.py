"""An organiser sets up a whole festival in the browser: festival, events, units, the Excel
registration (first with two bad rows, then fixed), and the public home page."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

UNITS = [("BVA", "Bệnh viện An Bình"), ("TTB", "Trung tâm Y tế Bảo Lâm")]


def login(page, base, next_path):
    page.goto(f"{base}/login?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill("btc")
    page.get_by_label("Mật khẩu").fill("hoithao-btc")
    page.get_by_role("button", name="Đăng nhập").click()


def fill_workbook(template: bytes, rows: list[list], path) -> None:
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Đăng ký"]
    headers = [c.value for c in ws[1]]
    for r, values in enumerate(rows, start=2):
        record = dict(values)
        for col, header in enumerate(headers, start=1):
            if header in record:
                ws.cell(row=r, column=col, value=record[header])
    wb.save(path)


def athlete(unit, name, gender, year, **events):
    return [("Mã đơn vị", unit), ("Họ và tên", name), ("Giới tính", gender), ("Năm sinh", year), *events.items()]


def test_organiser_sets_up_a_festival_from_the_browser(page, live_server, tmp_path, snap):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "/admin/")
    page.get_by_role("link", name="Tạo hội thao mới").click()
    page.get_by_label("Tên hội thao").fill("Hội thao Công đoàn ngành Y tế năm 2025")
    page.get_by_label("Mã hội thao").fill("congdoan-2025")
    page.get_by_label("Địa điểm").fill("Bảo Lộc")
    page.get_by_label("Ngày bắt đầu").fill("2025-05-10")
    page.get_by_label("Ngày kết thúc").fill("2025-05-12")
    page.get_by_label("Số nội dung tối đa mỗi vận động viên").fill("3")
    page.get_by_role("button", name="Tạo hội thao").click()
    expect(page.get_by_text("Đã tạo hội thao “Hội thao Công đoàn ngành Y tế năm 2025”.")).to_be_visible()

    page.get_by_role("link", name="Nội dung", exact=True).click()
    page.get_by_role("button", name=re.compile("Tạo bộ nội dung chuẩn")).click()
    expect(page.get_by_text(re.compile("Đã tạo 12 nội dung"))).to_be_visible()
    expect(page.get_by_role("cell", name="CL-DOINN")).to_be_visible()

    for code, name in UNITS:
        page.get_by_role("link", name="Đơn vị", exact=True).click()
        page.get_by_role("link", name="Thêm đơn vị").click()
        page.get_by_label("Mã đơn vị").fill(code)
        page.get_by_label("Tên đơn vị").fill(name)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text(f"Đã thêm đơn vị “{name}”.")).to_be_visible()

    page.get_by_role("link", name="Đăng ký (Excel)").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải mẫu đăng ký (.xlsx)").click()
    template = open(download_info.value.path(), "rb").read()

    good_rows = [
        athlete("BVA", "Trần Văn An", "Nam", 1985, **{"CL-DNAM": "x", "CL-DOINN": "1"}),
        athlete("BVA", "Lê Thị Bình", "Nữ", 1990, **{"CL-DOINN": "1", "BB-DNU": "x"}),
        athlete("TTB", "Phạm Văn Cường", "Nam", 1979, **{"CL-DNAM": "x"}),
    ]
    bad_rows = [list(r) for r in good_rows]
    bad_rows[1] = athlete("BVA", "Lê Thị Bình", "Nữ", 1990, **{"CL-DOINN": "1", "CL-DNAM": "x"})  # woman in men's singles
    bad_rows[2] = athlete("XYZ", "Phạm Văn Cường", "Nam", 1979, **{"CL-DNAM": "x"})  # unknown unit
    fill_workbook(template, bad_rows, tmp_path / "co-loi.xlsx")
    fill_workbook(template, good_rows, tmp_path / "dung.xlsx")

    page.get_by_label("Tệp đăng ký (.xlsx)").set_input_files(str(tmp_path / "co-loi.xlsx"))
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Chưa nhập được: 2 lỗi")
    expect(problems.locator("tbody tr")).to_have_count(2)
    expect(problems).to_contain_text(re.compile(r"Đăng ký!A4"))
    expect(problems).to_contain_text("XYZ")
    expect(problems).to_contain_text(re.compile(r"Đăng ký!\w+3"))
    snap("registration-problems")

    page.get_by_label("Tệp đăng ký (.xlsx)").set_input_files(str(tmp_path / "dung.xlsx"))
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    expect(page.locator("#preview")).to_contain_text("Vận động viên: 3 mới")
    snap("registration-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_text(re.compile("Đã nhập đăng ký: 3 vận động viên mới"))).to_be_visible()
    expect(page.get_by_role("cell", name="Trần Văn An")).to_be_visible()
    snap("athletes-after-import")

    page.get_by_role("link", name="Tổng quan").click()
    page.get_by_role("button", name="Hiển thị trên trang chủ").click()
    expect(page.get_by_text("Trang chủ công khai giờ hiển thị “Hội thao Công đoàn ngành Y tế năm 2025”.")).to_be_visible()
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội thao Công đoàn ngành Y tế năm 2025")

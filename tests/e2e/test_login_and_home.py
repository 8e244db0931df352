"""What a spectator and an organiser do first, in a real browser on a phone-sized screen."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_spectator_sees_the_festival_and_its_events(page, live_server):
    page.goto(live_server + "/f/lamdong-2023")
    expect(page.locator("h1")).to_have_text("Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023")
    expect(page.get_by_text("Cầu lông – Đôi nam nữ")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()


def test_organiser_logs_in_with_a_wrong_then_right_password_and_logs_out(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập").fill("btc")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    page.get_by_label("Mật khẩu").fill("hoithao-btc")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    page.goto(live_server + "/admin/")
    expect(page).to_have_url(re.compile(r"/login\?next="))

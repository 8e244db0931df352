"""An organiser opens the demo day's certificate register, previews one certificate (a real PDF
in the browser's response), follows its verification page on a phone, and ticks a placing as
handed out on the ceremony desk."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

SLUG = "lamdong-2023"


def _login(page, base: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Tên đăng nhập").fill("btc")
    page.get_by_label("Mật khẩu").fill("hoithao-btc")
    page.get_by_role("button", name="Đăng nhập").click()


def test_organiser_previews_a_certificate_and_ticks_the_ceremony_desk(day_server, browser, phone):
    base, _app = day_server
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base)
    page.goto(f"{base}/admin/festivals/{SLUG}/certificates")
    expect(page.get_by_role("heading", name="Giấy chứng nhận")).to_be_visible()
    first = page.locator("table tbody tr").first
    expect(first).to_contain_text("001/GCN-BTC")
    screenshot(page, "certificates-register")

    # The preview link opens the PDF of that one certificate.
    href = first.get_by_role("link", name="Xem").get_attribute("href")
    response = page.request.get(base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert len(reader.pages) == 1 and "Số vào sổ: 001/GCN-BTC" in reader.pages[0].extract_text()

    # Its verification page, on a phone, without logging in.
    verify = first.get_by_role("link", name="Trang kiểm tra").get_attribute("href")
    mobile = phone.new_page()
    mobile.goto(base + verify)
    expect(mobile.get_by_role("heading", name="Giấy chứng nhận hợp lệ")).to_be_visible()
    expect(mobile.get_by_text("001/GCN-BTC")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(mobile, "verify-360")

    # The ceremony desk of women's volleyball: tick the gold as handed out.
    page.goto(f"{base}/admin/festivals/{SLUG}/ceremony")
    page.locator("tr", has_text="Bóng chuyền nữ").get_by_role("link", name="Mở").click()
    rows = page.locator("table.ceremony tbody tr")
    expect(rows.last).to_contain_text("Huy chương Vàng")
    expect(rows.last).to_contain_text("chưa trao")
    rows.last.get_by_role("button", name="Đánh dấu đã trao").click()
    expect(page.locator("table.ceremony tbody tr").last.locator(".badge")).to_have_text("đã trao")
    expect(page.get_by_text("Còn 2 giải chưa trao.")).to_be_visible()
    screenshot(page, "ceremony-desk")
    context.close()

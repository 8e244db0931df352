"""An organiser draws an event with seeds, draws again, locks the draw, builds the court schedule,
tries to move a match into a clash and is refused, moves it to a free slot, and sees it in the
public order of play."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
SLUG = "lamdong-2023"


def login(page, base, next_path):
    page.goto(f"{base}/login?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill("btc")
    page.get_by_label("Mật khẩu").fill("hoithao-btc")
    page.get_by_role("button", name="Đăng nhập").click()


def test_draw_lock_schedule_and_move(page, live_server, snap):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, f"/admin/festivals/{SLUG}/events")
    page.get_by_role("row", name=re.compile("CL-DOINU")).get_by_role("link", name="Bốc thăm").click()
    expect(page.get_by_role("heading", name="Bốc thăm và sơ đồ: Cầu lông – Đôi nữ")).to_be_visible()

    seeds = page.locator("input.seed")
    seeds.nth(0).fill("1")
    seeds.nth(1).fill("2")
    page.get_by_role("button", name="Lưu hạt giống").click()
    expect(page.get_by_text("Đã lưu hạt giống.")).to_be_visible()
    seeded = page.locator("input.seed").nth(0).get_attribute("id")

    page.get_by_label("Thể thức").select_option("knockout")
    page.get_by_role("button", name="Bốc thăm", exact=True).click()
    first = page.get_by_text(re.compile(r"mã bốc thăm \d+")).first.inner_text()
    expect(page.locator(".bracket")).to_contain_text("Chung kết")
    page.get_by_role("button", name="Bốc thăm lại").click()
    second = page.get_by_text(re.compile(r"mã bốc thăm \d+")).first.inner_text()
    assert re.search(r"mã bốc thăm (\d+)", first) and re.search(r"mã bốc thăm (\d+)", second)
    # Seed 1 stays on the top line whatever the lot.
    top = page.locator(".bracket-round").first.locator(".bracket-side").first
    seed_name = page.locator(f"#{seeded}").locator("xpath=ancestor::tr").locator("td").first.inner_text()
    expect(top).to_contain_text(seed_name.strip())
    page.get_by_role("button", name="Khóa sơ đồ").click()
    expect(page.get_by_text("Ban tổ chức đã khóa sơ đồ. Mở khóa để bốc thăm lại.")).to_be_visible()
    expect(page.get_by_role("button", name="Bốc thăm lại")).to_have_count(0)
    snap("draw-locked")

    page.get_by_role("link", name="Lịch thi đấu").click()
    page.get_by_label("Môn", exact=True).select_option("badminton")
    page.get_by_label("Hoặc số sân cần thêm").fill("2")
    page.get_by_role("button", name="Thêm sân").click()
    expect(page.get_by_text(re.compile("Đã thêm 2 sân"))).to_be_visible()
    page.get_by_label("Ngày", exact=True).fill("2023-11-26")
    page.get_by_label("Từ", exact=True).fill("08:00")
    page.get_by_label("Đến", exact=True).fill("12:00")
    page.get_by_role("button", name="Thêm buổi").click()
    expect(page.get_by_text("Đã thêm buổi thi đấu Chủ nhật 26/11/2023, 08:00–12:00.")).to_be_visible()
    page.get_by_role("button", name="Xếp lịch tự động").click()
    expect(page.get_by_text(re.compile(r"Đã xếp lịch \d+ trận."))).to_be_visible()
    snap("schedule")

    final = page.locator("ol.slots li", has_text="Thắng trận 1 bán kết")
    semi = page.locator("ol.slots li", has_text=re.compile("Thắng trận [12] tứ kết")).first
    semi_time = semi.locator(".time").inner_text()
    semi_court = semi.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' court ')][1]").locator("h4").inner_text()
    final.get_by_role("link", name=re.compile("đổi|Đổi")).click()
    page.get_by_label("Sân", exact=True).select_option(label=semi_court)
    page.get_by_label("Ngày", exact=True).first.fill("2023-11-26")
    page.get_by_label("Giờ bắt đầu").fill(semi_time)
    page.get_by_role("button", name="Chuyển trận").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Không chuyển được: trùng lịch")
    expect(alert).to_contain_text(f"{semi_court} đang có trận CL-DOINU")
    snap("move-refused")

    page.get_by_label("Giờ bắt đầu").fill("11:30")
    page.get_by_role("button", name="Chuyển trận").click()
    expect(page.get_by_text(re.compile(r"Đã chuyển trận CL-DOINU #\d+\."))).to_be_visible()

    page.goto(f"{live_server}/f/{SLUG}/schedule")
    card = page.locator("section.court", has=page.get_by_role("heading", name=re.compile(semi_court)))
    expect(card.locator("tr", has_text="Thắng trận 1 bán kết")).to_contain_text("11:30")
    snap("public-schedule")

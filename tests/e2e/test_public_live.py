"""Spectators' pages in Chromium against a real server and the demo's festival day: the home
page's medal table, an event page that shows a result recorded through the API within one
poll without reloading, the bracket moving the winner on, and the projector rotating."""
from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sports.extensions import db
from sports.models import Event, Match
from sports.services.accounts import issue_token
from sports.services.demo import SLUG
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def post_result(base: str, token: str, match_id: int, version: int, sets) -> dict:
    request = urllib.request.Request(
        f"{base}/api/v1/matches/{match_id}/result", method="POST",
        data=json.dumps({"sets": sets, "outcome": "normal", "version": version}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        return json.loads(response.read())


def open_match(app, code: str, knockout_round: int | None = None) -> tuple[int, int, str, str]:
    with app.app_context():
        stmt = select(Match).join(Event).where(Event.code == code, Match.status != "completed",
                                               Match.home_entry_id.is_not(None), Match.away_entry_id.is_not(None))
        if knockout_round is not None:
            stmt = stmt.where(Match.round == knockout_round)
        m = db.session.scalars(stmt.order_by(Match.scheduled_at, Match.id)).first()
        return m.id, m.version, m.home.display_name, m.away.display_name


@pytest.fixture(scope="module")
def token(day_server):
    _, app = day_server
    with app.app_context():
        value = issue_token("btc", "test", "Máy ghi điểm thử")
        db.session.commit()
    return value


def test_home_page_shows_the_demo_medal_table(day_server, phone):
    base, _ = day_server
    page = phone.new_page()
    page.goto(base + "/")
    expect(page.locator("h1")).to_have_text("Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023")
    table = page.get_by_role("table").first
    first = table.locator("tbody tr").first
    expect(first.locator("th")).to_contain_text("BVĐK Lâm Đồng")  # the short name on a phone
    expect(first.locator("td").nth(1)).to_have_text("3")
    expect(first).to_contain_text("Giải Nhất")
    screenshot(page, "public-360-home")


def test_a_result_posted_through_the_api_appears_on_an_open_event_page(day_server, browser, token):
    base, app = day_server
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/f/{SLUG}/events/CL-DOINN")
        page.evaluate("window.__notReloaded = true")
        match_id, version, home, _ = open_match(app, "CL-DOINN")
        expect(page.locator("[data-live-part=event]")).not_to_contain_text("21-7, 21-9")
        started = time.monotonic()
        post_result(base, token, match_id, version, [[21, 7], [21, 9]])
        expect(page.locator("[data-live-part=event]")).to_contain_text("21-7, 21-9", timeout=10_000)
        assert time.monotonic() - started < 10
        assert page.evaluate("window.__notReloaded") is True  # swapped in place, not reloaded
        expect(page.locator("[data-live-status]").first).to_contain_text("Đã cập nhật lúc")
        screenshot(page, "public-1366-event-live")
    finally:
        context.close()


def test_the_bracket_moves_the_winner_on(day_server, browser, token):
    base, app = day_server
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/f/{SLUG}/events/BB-DOINAM")
        final = page.locator(".bracket-round").last
        expect(final).to_contain_text("Thắng trận 2 bán kết")
        with app.app_context():
            rounds = db.session.scalar(select(Match.round).join(Event).where(Event.code == "BB-DOINAM")
                                       .order_by(Match.round.desc()).limit(1))
        match_id, version, home, _ = open_match(app, "BB-DOINAM", knockout_round=rounds - 1)
        post_result(base, token, match_id, version, [[11, 4], [11, 5], [11, 6]])
        expect(final).to_contain_text(home, timeout=10_000)
        expect(final).not_to_contain_text("Thắng trận")
        semi = page.locator(".bracket-round").nth(-2)
        expect(semi.locator(".bracket-side.won", has_text=home)).to_have_count(1)
        screenshot(page, "public-1366-bracket")
    finally:
        context.close()


def test_the_projector_rotates_its_panels(day_server, browser):
    base, _ = day_server
    context = browser.new_context(locale="vi-VN", viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        page.goto(f"{base}/f/{SLUG}/display?rotate=3")  # each panel 3 s instead of 12
        body = page.locator("body")
        expect(body).to_have_attribute("data-showing", "medals")
        expect(page.locator("#medals")).to_be_visible()
        expect(page.locator("#latest")).to_be_hidden()
        expect(body).to_have_attribute("data-showing", "latest", timeout=6_000)
        expect(page.locator("#latest")).to_be_visible()
        expect(page.locator("#medals")).to_be_hidden()
        expect(page.locator("[data-tab=latest]")).to_have_class("active")
        screenshot(page, "display-1080-latest")
        expect(body).to_have_attribute("data-showing", "next", timeout=6_000)
    finally:
        context.close()

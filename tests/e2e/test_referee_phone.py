"""The result desk on a 360×740 phone, against a real server and the demo's festival day:
a referee records a result in two steps with the check on the phone, two referees race for
one match, and a result confirmed with the connection down is queued and sent once."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from sports.extensions import db
from sports.models import Court, Match, ResultSubmission, User
from sports.services.accounts import create_user
from sports.services.desk import desk
from sports.services.referees import assign
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def login(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/referee/$"))


def stored(app, match_id: int) -> tuple[str, list, int]:
    with app.app_context():
        m = db.session.get(Match, match_id)
        count = db.session.scalar(select(func.count()).select_from(ResultSubmission)
                                  .where(ResultSubmission.match_id == match_id))
        return m.status, [list(s) for s in m.sets or []], count


def upcoming(app, username: str) -> list[int]:
    with app.app_context():
        return [m.id for m in desk(db.session.scalar(select(User).where(User.username == username))).upcoming]


def enter(page, scores: list[tuple[int, int]]) -> None:
    for i, (home, away) in enumerate(scores, start=1):
        page.locator(f"#s{i}h").fill(str(home))
        page.locator(f"#s{i}a").fill(str(away))


@pytest.fixture
def second_referee(day_server):
    """Another referee on court 1 (the demo's own referee is "trongtai")."""
    _, app = day_server
    with app.app_context():
        if db.session.scalar(select(User).where(User.username == "trongtai2")) is None:
            user, _ = create_user("trongtai2", "referee", "mat-khau-tt2", full_name="Trọng tài phụ sân 1")
            assign(user_festival(), user, courts=["Sân 1"], events=[])
            db.session.commit()
    return "trongtai2", "mat-khau-tt2"


def user_festival():
    from sports.models import Festival
    from sports.services.demo import SLUG

    return db.session.scalar(select(Festival).where(Festival.slug == SLUG))


def test_a_referee_sees_only_their_court_and_records_a_result_in_two_steps(day_server, phone):
    base, app = day_server
    page = phone.new_page()
    login(page, base, "trongtai", "hoithao-trongtai")
    mine = upcoming(app, "trongtai")
    cards = page.locator("section:has(h2:text-matches('Sắp thi đấu')) li.match-card")
    expect(cards).to_have_count(len(mine))
    hrefs = [cards.nth(i).locator("a").get_attribute("href") for i in range(cards.count())]
    assert [int(h.rsplit("/", 1)[1]) for h in hrefs] == mine  # the current and next first
    for i in range(cards.count()):
        expect(cards.nth(i)).to_contain_text("Sân 1")
    screenshot(page, "referee-360-my-matches")

    with app.app_context():  # a match on another court is neither shown nor open to this referee
        other = db.session.scalar(select(Match.id).join(Court).where(Court.name == "Sân 2", Match.status == "scheduled"))
    response = page.goto(f"{base}/referee/matches/{other}")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("không thuộc sân hay nội dung được phân công")

    page.goto(base + "/referee/")
    cards.first.locator("a").click()
    match_id = int(page.url.rsplit("/", 1)[1])
    assert match_id == mine[0]
    enter(page, [(21, 20)])
    live = page.locator("#live-check")
    expect(live).to_contain_text("21-20 chưa kết thúc")
    page.get_by_role("button", name="Kiểm tra kết quả").click()
    expect(live).to_contain_text("21-20 chưa kết thúc")
    expect(page.locator("#confirm-panel")).to_be_hidden()
    screenshot(page, "referee-360-invalid-21-20")
    assert stored(app, match_id)[0] == "scheduled"  # nothing left the phone

    enter(page, [(21, 15), (21, 18)])
    expect(live).to_have_text("")
    page.get_by_role("button", name="Kiểm tra kết quả").click()
    expect(page.locator("#confirm-sentence")).to_contain_text("thắng 2-0: 21-15, 21-18.")
    screenshot(page, "referee-360-confirm")
    assert stored(app, match_id)[0] == "scheduled"  # the check step stores nothing
    page.get_by_role("button", name="Xác nhận và gửi").click()
    expect(page).to_have_url(re.compile(rf"/referee/matches/{mine[1]}$"))  # on to the next match
    expect(page.locator("#queue-status")).to_contain_text("Đã ghi kết quả")
    assert stored(app, match_id) == ("completed", [[21, 15], [21, 18]], 1)
    screenshot(page, "referee-360-next-match")


def test_two_referees_on_one_match_one_success_and_one_conflict(day_server, phone, browser, second_referee):
    base, app = day_server
    match_id = upcoming(app, "trongtai")[0]
    first = phone.new_page()
    login(first, base, "trongtai", "hoithao-trongtai")
    other_phone = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, has_touch=True)
    try:
        second = other_phone.new_page()
        login(second, base, *second_referee)
        for page in (first, second):
            page.goto(f"{base}/referee/matches/{match_id}")
        enter(first, [(21, 12), (21, 14)])
        enter(second, [(12, 21), (21, 19), (15, 21)])
        for page in (first, second):
            page.get_by_role("button", name="Kiểm tra kết quả").click()
            expect(page.locator("#confirm-panel")).to_be_visible()
        first.get_by_role("button", name="Xác nhận và gửi").click()
        expect(first.locator("#queue-status")).to_contain_text("Đã ghi kết quả")
        second.get_by_role("button", name="Xác nhận và gửi").click()
        status = second.locator("#queue-status")
        expect(status).to_contain_text("trận đã được người khác cập nhật, kết quả của bạn chưa được ghi")
        expect(status).to_contain_text("21-12, 21-14")  # what was recorded …
        expect(status).to_contain_text("ghi bởi Trọng tài sân 1")  # … and by whom
        # The page now shows the match as it stands, the form closed to a second referee.
        expect(second.locator(".card.recorded")).to_contain_text("21-12, 21-14")
        expect(second.locator("#score-form")).to_have_count(0)
        expect(status).to_contain_text("kết quả của bạn chưa được ghi")
        screenshot(second, "referee-360-conflict")
        assert stored(app, match_id) == ("completed", [[21, 12], [21, 14]], 1)
        assert second.evaluate("JSON.parse(localStorage.getItem('hoithao-chua-gui') || '[]').length") == 0
    finally:
        other_phone.close()


def test_offline_submit_is_queued_then_sent_exactly_once(day_server, phone):
    base, app = day_server
    page = phone.new_page()
    login(page, base, "trongtai", "hoithao-trongtai")
    match_id = upcoming(app, "trongtai")[0]
    page.goto(f"{base}/referee/matches/{match_id}")
    enter(page, [(19, 21), (21, 17), (21, 11)])
    page.get_by_role("button", name="Kiểm tra kết quả").click()
    expect(page.locator("#confirm-sentence")).to_contain_text("thắng 2-1")

    phone.set_offline(True)
    page.get_by_role("button", name="Xác nhận và gửi").click()
    expect(page.locator("#confirm-send")).to_have_text("Chưa gửi — sẽ tự gửi khi có mạng")
    expect(page.locator("#queue-status")).to_contain_text("1 kết quả chưa gửi")
    screenshot(page, "referee-360-offline-queued")
    queued = page.evaluate("JSON.parse(localStorage.getItem('hoithao-chua-gui')).map(i => i.fields.s3h)")
    assert queued == ["21"]
    assert stored(app, match_id)[0] == "scheduled"

    phone.set_offline(False)  # the browser's "online" event sends the queue
    expect(page.locator("#queue-status")).to_contain_text("Đã gửi")
    assert stored(app, match_id) == ("completed", [[19, 21], [21, 17], [21, 11]], 1)
    assert page.evaluate("localStorage.getItem('hoithao-chua-gui')") == "[]"
    # Coming back online again (or reloading) sends nothing more.
    phone.set_offline(True)
    phone.set_offline(False)
    page.goto(base + "/referee/")
    expect(page.locator("h1")).to_have_text("Trận của tôi")
    assert stored(app, match_id)[2] == 1

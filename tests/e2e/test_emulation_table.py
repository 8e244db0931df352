"""The bloc secretary scores units on the demo festival's 2023 table in the browser; meanwhile a
festival result is recorded by another app process on the same database, and the grid's
festival-fed figures and ranking follow."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SLUG = "lamdong-2023"


def _database(tmp_path_factory) -> str:
    found = sorted(Path(tmp_path_factory.getbasetemp()).glob("e2e*/e2e.sqlite3"))
    assert found, "the live server's database"
    return f"sqlite:///{found[0]}"


def _sets(event, home_wins: bool) -> list[list[int]]:
    need = event.best_of // 2 + 1
    pair = [event.points, max(event.points - 6, 0)]
    return [pair if home_wins else pair[::-1] for _ in range(need)]


def _record_a_result_that_moves_the_table(url: str) -> dict[str, tuple[int, float]]:
    """From a second app (another worker): record the first result that changes the emulation
    ranking; return unit → (rank, total) after it. (Tried inside savepoints: the derived-results
    cache serves and stores nothing while the session holds uncommitted writes.)"""
    from sqlalchemy import select

    from sports import create_app
    from sports.extensions import db
    from sports.models import Festival, Match, User
    from sports.services.errors import RuleError
    from sports.services import rankings
    from sports.services.results import record_result

    app = create_app({"SECRET_KEY": "e2e-secret-key-of-the-browser-tests-0123", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        festival = db.session.scalar(select(Festival).where(Festival.slug == SLUG))

        def order(rows):
            return sorted(rows, key=lambda unit: rows[unit])

        def table():
            return {r.unit: (r.rank, float(r.total)) for r in rankings.emulation(festival)[1]}

        before = table()
        secretary_of_court = db.session.scalar(select(User).where(User.username == "btc"))
        # An open match first; else a correction (with its reason) of a played one.
        matches = sorted((m for e in festival.events for s in e.stages for m in s.matches
                          if m.home_entry_id and m.away_entry_id), key=lambda m: m.status == "completed")
        for match in matches:
            for home_wins in (True, False):
                reason = "Sửa theo biên bản trọng tài" if match.status == "completed" else ""
                savepoint = db.session.begin_nested()
                try:
                    record_result(match, _sets(match.event, home_wins), actor=secretary_of_court, reason=reason)
                except RuleError:
                    savepoint.rollback()
                    continue
                moved = order(table()) != order(before)
                savepoint.rollback()
                if moved:
                    match = db.session.get(Match, match.id)
                    record_result(match, _sets(match.event, home_wins), actor=secretary_of_court, reason=reason)
                    db.session.commit()
                    return table()
        raise AssertionError("no result changes the demo's emulation ranking")


def _grid_order(page) -> list[str]:
    return page.locator("#em-grid tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)")


def test_secretary_scores_and_the_festival_feeds_the_table(page, live_server, snap, tmp_path_factory):
    base = live_server
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/login?next=/admin/festivals/{SLUG}/emulation")
    page.get_by_label("Tên đăng nhập").fill("btc")
    page.get_by_label("Mật khẩu").fill("hoithao-btc")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Bảng điểm thi đua")).to_be_visible()
    page.get_by_role("link", name="Bảng điểm thi đua năm 2023").click()
    expect(page.locator("#em-grid")).to_be_visible()
    expect(page.locator("#em-grid thead")).to_contain_text("tự động từ hội thao")
    snap("emulation-grid-1366")

    # The secretary marks the last unit's task score down and adds a penalty, with a reason.
    last = _grid_order(page)[-1]
    page.locator(f"#u-{last} .em-unit a").click()
    expect(page.get_by_role("heading", name="Chấm điểm")).to_be_visible()
    assert page.locator("tr.em-linked input").count() == 0  # the festival-fed criterion takes no input
    page.get_by_label("Khối chấm 1.1").fill("25")  # above the maximum of 20
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(".em-scores .error").first).to_contain_text("phải từ 0 đến 20")
    page.get_by_label("Khối chấm 1.1").fill("19,5")
    page.get_by_label("Ghi chú 1.1").fill("Chưa đạt chỉ tiêu tiêm chủng")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(f"#u-{last} [data-criterion='1.1']")).to_contain_text("19,5")
    page.locator(f"#u-{last} .em-unit a").click()
    page.get_by_label("Loại").select_option("penalty")
    page.get_by_label("Số điểm").fill("0,5")
    page.get_by_label("Lý do", exact=True).fill("Chậm gửi báo cáo quý IV")
    page.get_by_role("button", name="Ghi điểm cộng/trừ").click()
    expect(page.locator(".em-adjustments")).to_contain_text("Chậm gửi báo cáo quý IV")
    page.set_viewport_size({"width": 360, "height": 740})
    snap("emulation-unit-360")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{base}/admin/festivals/{SLUG}/emulation")
    page.get_by_role("link", name="Bảng điểm thi đua năm 2023").click()
    before = _grid_order(page)

    # Elsewhere, a referee's result is recorded; the secretary reloads the grid.
    after = _record_a_result_that_moves_the_table(_database(tmp_path_factory))
    page.reload()
    expected = [u for u, _ in sorted(after.items(), key=lambda kv: (kv[1][0], -kv[1][1]))]
    assert _grid_order(page) != before
    assert sorted(_grid_order(page)) == sorted(expected)
    for unit, (rank, total) in after.items():
        row = page.locator(f"#u-{unit}")
        expect(row.locator(".em-rank")).to_contain_text(str(rank))
        expect(row.locator(".em-total")).to_have_text(f"{total:g}".replace(".", ","))
    snap("emulation-grid-after-1366")
    page.set_viewport_size({"width": 360, "height": 740})
    snap("emulation-grid-360")

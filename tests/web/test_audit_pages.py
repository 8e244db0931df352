"""The audit trail pages: the festival's, an event's and a match's rows, the filters, pages of
100, Excel with the same filters, rows of a replaced festival, the 403/404 cases, and a number
of queries that does not grow with the rows shown."""
from __future__ import annotations

import html as htmllib
import io
import re
from pathlib import Path

import pytest
from flask import g
from openpyxl import load_workbook
from sqlalchemy import select

from sports.importers.festival_file import import_file
from sports.models import Event, Festival, Match, User
from sports.services.results import record_result
from tests.conftest import login
from tests.web.test_query_counts import count_queries

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"
BASE = "/admin/festivals/lamdong-2023"
FORMULA = '=HYPERLINK("http://x.example/?a=1","Bấm vào đây")'


@pytest.fixture
def demo(runner, db):
    assert runner.invoke(args=["demo"]).exit_code == 0
    return db.session.scalar(select(Festival).where(Festival.slug == "lamdong-2023"))


@pytest.fixture
def btc(client, make_user):
    user = make_user("btc2", "organiser", "mat-khau-123")
    user.full_name = "Lê Văn Tổ"
    login(client, "btc2", "mat-khau-123")
    return user


def played(db, code="BC-NAM") -> list[Match]:
    return list(db.session.scalars(select(Match).join(Event).where(Event.code == code, Match.status == "completed")
                                   .order_by(Match.id)))


def correct(db, match, user, reason, times=1):
    """Corrections through the real service: the winner's sets turned round and back."""
    match, user = db.session.get(Match, match.id), db.session.get(User, user.id)
    for _ in range(times):
        record_result(match, [[b, a] for a, b in match.sets], reason=reason, actor=user)
    db.session.commit()


def forget_request_state() -> None:
    """The tests' app context outlives requests: forget the user and CSRF token it cached."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def text(response) -> str:
    body = response.get_data(as_text=True)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def table_rows(response) -> list[str]:
    body = response.get_data(as_text=True)
    tbody = body[body.index("<tbody>"):body.index("</tbody>")] if "<tbody>" in body else ""
    # set scores are shown with non-breaking hyphens ("21‑15"): read back as typed
    return [htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tr))).strip().replace("\u2011", "-")
            for tr in tbody.split("<tr>")[1:]]


def sheet(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"nhat-ky-lamdong-2023")
    return load_workbook(io.BytesIO(response.data)).active


def test_the_festival_page_lists_who_did_what_newest_first(client, db, demo, btc):
    match = played(db)[0]
    before = ", ".join(f"{a}-{b}" for a, b in match.sets)
    correct(db, match, btc, "Biên bản ghi ngược tỉ số")

    page = client.get(f"{BASE}/audit")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f'href="{BASE}/audit" aria-current="page">Nhật ký</a>' in body
    rows = table_rows(page)
    assert len(rows) == 13  # the demo's 12 results and the correction
    top = rows[0]
    assert "Lê Văn Tổ (btc2)" in top and "Sửa kết quả" in top and "Biên bản ghi ngược tỉ số" in top
    assert f"Tỉ số: {before} → thành " in top
    assert f"BC-NAM · Trận #{match.id}:" in top
    assert f'href="{BASE}/matches/{match.id}/audit"' in body
    assert all("Ghi kết quả" in r and "demo" in r for r in rows[1:])
    assert "Dòng 1–13 trong 13, mới nhất trước." in text(page)


def test_the_filters_narrow_the_rows_and_offer_what_is_there(client, db, demo, btc):
    correct(db, played(db)[0], btc, "Sửa lần 1")
    correct(db, played(db, "BC-NU")[0], btc, "Sửa lần 2")

    page = client.get(f"{BASE}/audit")
    body = page.get_data(as_text=True)
    assert '<option value="btc2">Lê Văn Tổ (btc2)</option>' in body
    assert '<option value="demo">demo</option>' in body
    assert '<option value="match">Kết quả trận đấu</option>' in body
    assert '<option value="draw">' not in body  # the demo has no draw rows
    assert '<option value="BC-NAM">BC-NAM – Bóng chuyền nam</option>' in body

    mine = table_rows(client.get(f"{BASE}/audit?actor=btc2"))
    assert len(mine) == 2 and all("Lê Văn Tổ" in r for r in mine)
    assert 'selected>Lê Văn Tổ' in client.get(f"{BASE}/audit?actor=btc2").get_data(as_text=True)
    assert table_rows(client.get(f"{BASE}/audit?kind=festival")) == []
    assert "Không có thay đổi nào khớp bộ lọc." in text(client.get(f"{BASE}/audit?kind=festival"))
    volleyball_men = table_rows(client.get(f"{BASE}/audit?event=BC-NAM&actor=btc2"))
    assert len(volleyball_men) == 1 and "Sửa lần 1" in volleyball_men[0]
    assert client.get(f"{BASE}/audit?event=KHONG-CO").status_code == 404
    assert len(table_rows(client.get(f"{BASE}/audit?kind=match"))) == 14


def test_the_event_and_match_pages(client, db, demo, btc):
    first, second = played(db)[:2]
    correct(db, first, btc, "Sai bên thắng")

    event_page = client.get(f"{BASE}/events/BC-NAM/audit")
    assert event_page.status_code == 200
    rows = table_rows(event_page)
    assert rows and all("BC-NAM · Trận #" in r for r in rows)
    assert len(rows) == len(played(db)) + 1
    assert "Nội dung BC-NAM – Bóng chuyền nam" in text(event_page)
    assert f'href="{BASE}/events/BC-NAM/draw"' in event_page.get_data(as_text=True)

    match_page = client.get(f"{BASE}/matches/{first.id}/audit")
    rows = table_rows(match_page)
    assert len(rows) == 2 and "Sửa kết quả" in rows[0] and "Sai bên thắng" in rows[0] and "Ghi kết quả" in rows[1]
    assert f"Trận BC-NAM #{first.id}" in text(match_page)
    assert len(table_rows(client.get(f"{BASE}/matches/{second.id}/audit"))) == 1
    filtered = client.get(f"{BASE}/matches/{first.id}/audit?actor=btc2")
    assert len(table_rows(filtered)) == 1
    assert f'href="{BASE}/matches/{first.id}/audit.xlsx?actor=btc2"' in filtered.get_data(as_text=True)


def test_pages_of_a_hundred_rows(client, db, demo, btc):
    correct(db, played(db)[0], btc, "Sửa thử", times=95)  # 12 + 95 = 107 rows

    first = client.get(f"{BASE}/audit")
    rows = table_rows(first)
    assert len(rows) == 100
    assert "Dòng 1–100 trong 107, mới nhất trước." in text(first) and "Trang 1 / 2" in text(first)
    assert f'href="{BASE}/audit?page=2" rel="next"' in first.get_data(as_text=True)
    second = client.get(f"{BASE}/audit?page=2")
    assert len(table_rows(second)) == 7 and "Dòng 101–107 trong 107" in text(second)
    assert "Ghi kết quả" in table_rows(second)[-1]
    assert f'href="{BASE}/audit" rel="prev"' in second.get_data(as_text=True)
    assert len(table_rows(client.get(f"{BASE}/audit?page=abc"))) == 100
    paged = client.get(f"{BASE}/audit?page=2&kind=match").get_data(as_text=True)
    assert f'href="{BASE}/audit?kind=match" rel="prev"' in paged


def test_excel_with_the_same_filters_keeps_formula_like_text_as_text(client, db, demo, btc):
    match = played(db)[0]
    correct(db, match, btc, FORMULA)

    ws = sheet(client.get(f"{BASE}/audit.xlsx"))
    assert ws["A1"].value == "NHẬT KÝ THAY ĐỔI – Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023"
    assert ws["A2"].value == "Toàn hội thao"
    assert [c.value for c in ws[5]] == ["Thời gian", "Người thực hiện", "Hành động", "Đối tượng", "Trước", "Sau", "Lý do"]
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=6)]
    assert len(body) == 13
    assert body[0][1:3] == ["Lê Văn Tổ (btc2)", "Sửa kết quả"] and body[0][6] == FORMULA
    assert ws.cell(row=6, column=7).data_type == "s"
    assert body[0][4].startswith("Tỉ số: ") and body[0][5].startswith("Tỉ số: ")

    ws = sheet(client.get(f"{BASE}/audit.xlsx?actor=btc2&kind=match&event=BC-NAM"))
    assert ws["A2"].value == "Nội dung BC-NAM – Bóng chuyền nam · Người thực hiện: Lê Văn Tổ (btc2) · Loại: Kết quả trận đấu"
    assert [r[6].value for r in ws.iter_rows(min_row=6)] == [FORMULA]

    ws = sheet(client.get(f"{BASE}/events/BC-NU/audit.xlsx"))
    assert ws["A2"].value == "Nội dung BC-NU – Bóng chuyền nữ"
    assert len(list(ws.iter_rows(min_row=6))) == len(played(db, "BC-NU"))

    ws = sheet(client.get(f"{BASE}/matches/{match.id}/audit.xlsx"))
    assert ws["A2"].value.startswith(f"Trận BC-NAM #{match.id}: ")
    assert [r[2].value for r in ws.iter_rows(min_row=6)] == ["Sửa kết quả", "Ghi kết quả"]


def test_rows_of_a_replaced_festival_stay_visible(client, db, btc):
    raw = SMALL.read_bytes()
    import_file(raw)
    db.session.commit()
    match = db.session.scalar(select(Match).join(Event).where(Event.code == "BC-NU").order_by(Match.id))
    old_id = match.id
    record_result(match, [[b, a] for a, b in match.sets], reason="Ghi trước khi thay tệp", actor=btc)
    db.session.commit()
    import_file(raw, replace=True, actor="btc2")
    db.session.commit()

    rows = table_rows(client.get("/admin/festivals/vidu-2024/audit"))
    assert len(rows) == 3
    assert "Thay thế từ tệp" in rows[0] and "Lê Văn Tổ (btc2)" in rows[0]
    assert "Ghi trước khi thay tệp" in rows[1] and f"Trận #{old_id} (không còn)" in rows[1]
    assert "Nhập từ tệp" in rows[2]
    assert table_rows(client.get("/admin/festivals/vidu-2024/events/BC-NU/audit")) == []
    for m in db.session.scalars(select(Match)):
        assert table_rows(client.get(f"/admin/festivals/vidu-2024/matches/{m.id}/audit")) == []


def test_not_found_and_forbidden(client, db, demo, make_user, btc):
    import_file(SMALL.read_bytes())
    db.session.commit()
    foreign = db.session.scalar(select(Match).join(Event).join(Festival).where(Festival.slug == "vidu-2024"))
    for url in (f"{BASE}/matches/{foreign.id}/audit", f"{BASE}/matches/{foreign.id}/audit.xlsx",
                f"{BASE}/matches/999999/audit", f"{BASE}/events/KHONG-CO/audit", f"{BASE}/events/KHONG-CO/audit.xlsx",
                "/admin/festivals/khong-co/audit", "/admin/festivals/khong-co/audit.xlsx"):
        assert client.get(url).status_code == 404, url
    # an organiser limited to another festival
    btc.scopes = {"festivals": ["vidu-2024"]}
    db.session.commit()
    for url in (f"{BASE}/audit", f"{BASE}/audit.xlsx", f"{BASE}/events/BC-NAM/audit", f"{BASE}/matches/1/audit"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/festivals/vidu-2024/audit").status_code == 200
    # a referee, and nobody
    make_user("tt1", "referee", "mat-khau-123")
    referee = client.application.test_client()
    forget_request_state()
    login(referee, "tt1", "mat-khau-123")
    assert referee.get(f"{BASE}/audit").status_code == 403
    forget_request_state()
    response = client.application.test_client().get(f"{BASE}/audit.xlsx")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/audit", "/events/BC-NAM/audit", "/matches/{id}/audit", "/audit.xlsx",
                                  "/events/BC-NAM/audit.xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, db, demo, btc, path):
    match = played(db)[0]
    url = BASE + path.format(id=match.id)

    def measure():
        db.session.remove()
        forget_request_state()
        with count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return statements

    few = measure()  # the demo's results: 12 rows in the festival, 1 for the match
    correct(db, match, btc, "Sửa thử", times=100)
    many = measure()  # a full page of 100 rows (every row in the Excel)
    # Measured: 21–23 either way. A query per row would add 100.
    assert len(many) == len(few) <= 25, "\n".join(many)

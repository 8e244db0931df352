"""Public downloads: /f/<slug>/medals.xlsx, /f/<slug>/medals.pdf, /f/<slug>/results.pdf (no login)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sports.services import rankings
from sports.services.demo import SLUG, load_demo
from tests.services.test_pdf_reports import ATHLETE, UNIT_NAME, assert_fonts_embedded, flat, make_festival

ADDRESSES = [("medals.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment",
              "huy-chuong.xlsx"),
             ("medals.pdf", "application/pdf", "inline", "huy-chuong.pdf"),
             ("results.pdf", "application/pdf", "inline", "ket-qua.pdf")]


@pytest.fixture
def demo(db):
    festival, _ = load_demo()
    db.session.commit()
    return festival


def sheet_rows(data: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(data)).active
    return list(ws.iter_rows(values_only=True))


@pytest.mark.parametrize("name,mimetype,disposition,filename", ADDRESSES)
def test_download_headers(client, demo, name, mimetype, disposition, filename):
    response = client.get(f"/f/{SLUG}/{name}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f'{disposition}; filename="{SLUG}-{filename}"'
    assert response.data[:4] == (b"PK\x03\x04" if name.endswith("xlsx") else b"%PDF")
    # Asked again with the ETag it gave: nothing changed, nothing sent.
    again = client.get(f"/f/{SLUG}/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("name", ["medals.xlsx", "medals.pdf", "results.pdf"])
def test_unknown_festival_is_404(client, demo, name):
    assert client.get(f"/f/khong-co/{name}").status_code == 404


def test_medals_xlsx_rows_follow_the_medal_table(client, demo):
    rows = sheet_rows(client.get(f"/f/{SLUG}/medals.xlsx").data)
    assert rows[0][0] == "BẢNG TỔNG SẮP HUY CHƯƠNG"
    assert rows[1][0] == "Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023"
    header = rows[4]
    assert header == ("Hạng", "Mã", "Đơn vị", "Vàng", "Bạc", "Đồng", "Tổng", "Toàn đoàn")
    body = rows[5:]
    table = rankings.medal_table(demo)
    assert [(r[0], r[1], r[3], r[4], r[5], r[6]) for r in body] == \
        [(t.rank, t.unit, t.gold, t.silver, t.bronze, t.total) for t in table]
    assert body[0][2] == "Bệnh viện Đa khoa tỉnh Lâm Đồng" and body[0][7] == "Nhất"


def test_medals_xlsx_points_mode_and_text_kept_as_text(client, db):
    festival = make_festival(db, mode="points")
    festival.units[1].name = "=HYPERLINK(\"http://x\")"   # a name that looks like a formula
    festival.bump()
    db.session.commit()
    data = client.get("/f/thu-nghiem/medals.xlsx").data
    rows = sheet_rows(data)
    assert rows[4] == ("Hạng", "Mã", "Đơn vị", "Vàng", "Bạc", "Đồng", "Tổng", "Điểm", "Toàn đoàn")
    by_code = {r[1]: r for r in rows[5:]}
    assert by_code["BVDK"] == (1, "BVDK", UNIT_NAME, 1, 1, 0, 2, 12, "Nhất")
    assert by_code["BV2"][2] == "=HYPERLINK(\"http://x\")"
    cell = next(c for c in load_workbook(io.BytesIO(data)).active["C"] if c.value == by_code["BV2"][2])
    assert cell.data_type == "s"
    assert [r[7] for r in rows[5:]] == sorted((r[7] for r in rows[5:]), reverse=True)


def test_medals_pdf_of_the_demo(client, demo):
    data = client.get(f"/f/{SLUG}/medals.pdf").data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = flat(reader.pages[0].extract_text())
    for unit in demo.units:
        assert unit.name in text
    assert "BẢNG TỔNG SẮP HUY CHƯƠNG" in text and "Toàn đoàn" in text
    assert_fonts_embedded(data)


def test_results_pdf_follows_new_results(client, db):
    festival = make_festival(db)
    first = client.get("/f/thu-nghiem/results.pdf")
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(first.data)).pages))
    assert ATHLETE in text and "Bóng bàn – Đơn nam" in text and "Cầu lông – Đơn nữ" in text
    assert_fonts_embedded(first.data)
    # A unit renamed (typed decomposed): a new revision, a new file with the composed name.
    import unicodedata

    from sports.services.people import UnitData, update_unit

    unit = next(u for u in festival.units if u.code == "BV2")
    update_unit(unit, UnitData(code="BV2", name=unicodedata.normalize("NFD", "Bệnh viện Đức Trọng"),
                               short_name=""))
    db.session.commit()
    second = client.get("/f/thu-nghiem/results.pdf", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(second.data)).pages))
    assert "Bệnh viện Đức Trọng" in text


def test_exports_need_no_login(client, demo):
    # No session at all: the public downloads answer, the organiser pages do not.
    assert client.get(f"/f/{SLUG}/results.pdf").status_code == 200
    assert client.get(f"/admin/festivals/{SLUG}/").status_code in (302, 401, 403)

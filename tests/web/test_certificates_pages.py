"""Certificate and ceremony pages: what organisers see and download, the public verification
page, the command line, and who may do what."""
from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from sports.importers.festival_file import import_file
from sports.models import AwardHandover, Certificate
from sports.services import certificates as service
from tests.certificates.test_certificates import festival_data
from tests.conftest import csrf_token, login


@pytest.fixture
def festival(db):
    festival = import_file(json.dumps(festival_data()).encode())
    db.session.commit()
    return festival


@pytest.fixture
def organiser(client, make_user):
    make_user("btc", "organiser")
    login(client, "btc", "mat-khau-123")
    return client


def test_register_page_issues_and_links_everything(organiser, festival, db):
    page = organiser.get("/admin/festivals/gcn/certificates")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "001/GCN-BTC" in text and "Đoàn Hoàng Anh" in text and "Đội bóng chuyền nam" in text
    count = len(service.register(festival))
    pdf = organiser.get("/admin/festivals/gcn/certificates.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == count
    one = organiser.get("/admin/festivals/gcn/certificates.pdf?event=BB-DOINAM")
    assert len(PdfReader(io.BytesIO(one.data)).pages) == 8
    assert organiser.get("/admin/festivals/gcn/certificates.pdf?unit=NOPE").status_code == 404
    preview = organiser.get("/admin/festivals/gcn/certificates/1.pdf")
    assert preview.status_code == 200
    reader = PdfReader(io.BytesIO(preview.data))
    assert len(reader.pages) == 1 and "Số vào sổ: 001/GCN-BTC" in reader.pages[0].extract_text()
    sheet = load_workbook(io.BytesIO(organiser.get("/admin/festivals/gcn/certificates.xlsx").data)).active
    assert sheet["A5"].value == "001/GCN-BTC" and sheet["B5"].value == "Đoàn Hoàng Anh"
    assert sheet["L5"].value.startswith("http://localhost/verify/")


def test_settings_page_saves_and_refuses_a_font_without_vietnamese(organiser, festival, db):
    url = "/admin/festivals/gcn/certificates/settings"
    token = csrf_token(organiser.get(url).get_data(as_text=True))
    bad = organiser.post(url, data={"csrf_token": token, "title": "GIẤY CHỨNG NHẬN",
                                    "font_regular": (io.BytesIO(b"not a font at all"), "times.ttf")},
                         content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "không phải phông chữ TrueType" in bad.get_data(as_text=True)
    ok = organiser.post(url, data={"csrf_token": token, "title": "GIẤY CHỨNG NHẬN", "signer_name": "Đỗ Hoàng Hải",
                                   "signer_title": "TRƯỞNG BAN", "register_pattern": "{n:03d}/GCN-HT",
                                   "cert_date": "05/07/2024", "base_url": "https://kq.example.vn/"},
                        content_type="multipart/form-data")
    assert ok.status_code == 302
    text = PdfReader(io.BytesIO(organiser.get("/admin/festivals/gcn/certificates/1.pdf").data)).pages[0].extract_text()
    assert "ngày 05 tháng 7 năm 2024" in text and "001/GCN-HT" in text


def test_verify_page_is_public_and_tells_valid_revoked_unknown(client, festival, db):
    service.sync_certificates(festival)
    db.session.commit()
    cert = db.session.scalar(select(Certificate).where(Certificate.register_no == 1))
    page = client.get(f"/verify/{cert.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Giấy chứng nhận hợp lệ" in text and "Đoàn Hoàng Anh" in text
    assert "001/GCN-BTC" in text
    unknown = client.get("/verify/KHONGCO123")
    assert unknown.status_code == 404 and "Không tìm thấy" in unknown.get_data(as_text=True)
    athlete = next(a for a in festival.athletes if a.ref == "m0")
    athlete.name = "Đoàn Hoàng Ánh"
    db.session.commit()
    service.sync_certificates(festival)
    db.session.commit()
    db.session.refresh(cert)
    revoked = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "đã bị thu hồi" in revoked and "Sửa tên" in revoked
    replacement = db.session.get(Certificate, cert.replaced_by_id)
    assert f"/verify/{replacement.code}" in revoked


def test_ceremony_desk_ticks_a_placing(organiser, festival, db):
    page = organiser.get("/admin/festivals/gcn/ceremony/BB-DNAM").get_data(as_text=True)
    order = [m.start() for m in (re.search(w, page) for w in ("Huy chương Đồng", "Huy chương Bạc", "Huy chương Vàng"))]
    assert order == sorted(order)                   # read out bronze, silver, gold
    gold = next(e for e in festival.events if e.code == "BB-DNAM").entries[0]
    url = f"/admin/festivals/gcn/ceremony/BB-DNAM/{gold.id}"
    assert organiser.post(url, data={"handed": "1"}).status_code == 400          # no CSRF token
    done = organiser.post(url, data={"handed": "1", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert done.status_code == 200 and "đã trao" in done.get_data(as_text=True)
    tick = db.session.scalar(select(AwardHandover).where(AwardHandover.entry_id == gold.id))
    assert tick.place == 1 and tick.handed_by == "btc"
    overview = organiser.get("/admin/festivals/gcn/ceremony").get_data(as_text=True)
    assert "Đơn nam" in overview


@pytest.mark.parametrize("url", ["/admin/festivals/gcn/certificates", "/admin/festivals/gcn/certificates.pdf",
                                 "/admin/festivals/gcn/certificates/settings", "/admin/festivals/gcn/ceremony",
                                 "/admin/festivals/gcn/certificates.xlsx"])
def test_access(client, make_user, festival, db, url):
    assert client.get(url).status_code in (302, 401)
    assert "/login" in client.get(url).headers.get("Location", "/login")
    make_user("tt", "referee")
    login(client, "tt", "mat-khau-123")
    assert client.get(url).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    other = make_user("khac", "organiser")
    other.scopes = {"festivals": ["hoi-thao-khac"]}
    db.session.commit()
    login(client, "khac", "mat-khau-123")
    assert client.get(url).status_code == 403


def test_settings_post_without_csrf_is_refused(organiser, festival):
    r = organiser.post("/admin/festivals/gcn/certificates/settings", data={"title": "X"})
    assert r.status_code == 400


def test_cli_renders_with_progress(runner, festival, tmp_path):
    out = tmp_path / "gcn.pdf"
    result = runner.invoke(args=["certificates", "render", "gcn", "-o", str(out), "--event", "BB-DNAM"])
    assert result.exit_code == 0, result.output
    assert "Đã ghi 4 giấy chứng nhận" in result.output
    assert len(PdfReader(str(out)).pages) == 4
    bad = runner.invoke(args=["certificates", "render", "gcn", "-o", str(out), "--unit", "NOPE"])
    assert bad.exit_code == 1

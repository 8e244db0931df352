"""Who may see and change the score table: organisers change it, unit leaders read their own unit."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from sports.importers.festival_file import import_file
from sports.models import EmulationTable, User
from tests.conftest import csrf_token, login

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


@pytest.fixture
def table(db):
    import_file(SMALL.read_bytes())  # its emulation part is the festival's linked table
    db.session.commit()
    return db.session.scalar(select(EmulationTable))


def _leader(client, make_user, unit: str = "BVDK", festival: str = "vidu-2024"):
    from sports.extensions import db

    user = make_user("ld-" + unit.lower(), "unit")
    user.scopes = {"festivals": [festival], "units": [unit]}
    db.session.commit()
    login(client, user.username, "mat-khau-123")
    return user


def test_organiser_creates_a_unit_leader_account(client, make_user, table, db):
    make_user("btc", "organiser")
    login(client, "btc", "mat-khau-123")
    url = "/admin/festivals/vidu-2024/emulation/leaders"
    page = client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_token(page), "unit": "CDC", "username": "ld-cdc",
                               "full_name": "Nguyễn Thị Hải"})
    assert r.status_code == 200
    password = re.search(r"Mật khẩu dùng một lần: <code>([^<]+)</code>", r.get_data(as_text=True)).group(1)
    user = db.session.scalar(select(User).where(User.username == "ld-cdc"))
    assert user.role == "unit" and user.scopes == {"festivals": ["vidu-2024"], "units": ["CDC"]}
    assert user.check_password(password) and user.must_change_password


def test_unit_leader_sees_only_their_unit_and_cannot_write(client, make_user, table, db):
    _leader(client, make_user, "BVDK")
    home = client.get("/unit/")
    assert home.status_code == 200 and "Bảng điểm thi đua năm 2024" in home.get_data(as_text=True)
    page = client.get(f"/unit/vidu-2024/emulation/{table.id}/BVDK")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-unit="BVDK"' in text and "tự động từ hội thao" in text
    assert 'class="card em-sheet" data-unit="CDC"' not in text
    # Not published yet: no ranking of the other units.
    assert "em-ranking" not in text and "chưa công bố" in text
    assert client.get(f"/unit/vidu-2024/emulation/{table.id}/CDC").status_code == 403
    # Organiser pages are closed to them, reading and writing.
    assert client.get(f"/admin/festivals/vidu-2024/emulation/{table.id}").status_code == 403
    r = client.post(f"/admin/festivals/vidu-2024/emulation/{table.id}/units/BVDK",
                    data={"action": "scores", "csrf_token": csrf_token(text)})
    assert r.status_code == 403


def test_published_table_is_visible_to_unit_leaders(client, make_user, table, db):
    table.published = True
    db.session.commit()
    _leader(client, make_user, "PNT")
    text = client.get(f"/unit/vidu-2024/emulation/{table.id}/PNT").get_data(as_text=True)
    ranking = text[text.index('id="em-ranking"'):]
    api = [r["unit"]["code"] for r in client.get("/api/v1/festivals/vidu-2024/emulation").get_json()]
    assert re.findall(r'<tr data-unit="([A-Z0-9]+)"', ranking) == api == ["PNT", "BVDK", "CDC", "BV2"]
    assert 'data-unit="PNT" class="em-mine"' in ranking


def test_unit_leaders_download_the_summary_once_it_is_published(client, make_user, table, db):
    from tests.services.test_pdf_reports import pdf_text

    _leader(client, make_user, "PNT")
    assert client.get(f"/unit/vidu-2024/emulation/{table.id}/summary.pdf").status_code == 403
    page = client.get(f"/unit/vidu-2024/emulation/{table.id}/PNT").get_data(as_text=True)
    assert "summary.pdf" not in page
    table.published = True
    db.session.commit()
    page = client.get(f"/unit/vidu-2024/emulation/{table.id}/PNT").get_data(as_text=True)
    assert f"/unit/vidu-2024/emulation/{table.id}/summary.pdf" in page
    pdf = client.get(f"/unit/vidu-2024/emulation/{table.id}/summary.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "BẢNG TỔNG HỢP" in text.upper() and "Bệnh viện" in text
    # The organiser's workbook (every unit's self scores, notes, adjustments) is not theirs.
    assert "summary.xlsx" not in page
    assert client.get(f"/unit/vidu-2024/emulation/{table.id}/summary.xlsx").status_code == 404


def test_a_published_summary_is_refused_to_a_leader_of_another_festival(client, make_user, table, db):
    table.published = True
    db.session.commit()
    _leader(client, make_user, "BVDK", festival="other-2024")
    assert client.get(f"/unit/vidu-2024/emulation/{table.id}/summary.pdf").status_code == 403


def test_unit_leader_of_another_festival_is_refused(client, make_user, table):
    _leader(client, make_user, "BVDK", festival="other-2024")
    assert client.get(f"/unit/vidu-2024/emulation/{table.id}/BVDK").status_code == 403


def test_anonymous_and_referee(client, make_user, table):
    r = client.get(f"/unit/vidu-2024/emulation/{table.id}/BVDK")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    make_user("tt", "referee")
    login(client, "tt", "mat-khau-123")
    assert client.get("/unit/").status_code == 403


def test_unit_leader_lands_on_their_page_after_login(client, make_user, table, db):
    user = make_user("ld", "unit")
    user.scopes = {"festivals": ["vidu-2024"], "units": ["BVDK"]}
    db.session.commit()
    r = login(client, "ld", "mat-khau-123")
    assert r.headers["Location"].endswith("/unit/")


def test_cli_creates_a_unit_leader(runner, db):
    result = runner.invoke(args=["user", "create", "ld-cli", "--role", "unit", "--password", "mat-khau-123"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.username == "ld-cli")) == "unit"

"""Organisers import and export festival files from the browser."""
import io
import json
from pathlib import Path

from sqlalchemy import func, select

from sports.models import Festival
from tests.conftest import csrf_token, login

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


def _upload(client, raw: bytes, name="festival.json", replace=False):
    page = client.get("/admin/import")
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "file": (io.BytesIO(raw), name)}
    if replace:
        data["replace"] = "y"
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


def test_organiser_imports_then_downloads_the_same_file(client, make_user, runner, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    response = _upload(client, SMALL.read_bytes())
    assert response.status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert "Đã nhập hội thao “Hội thao Khối thi đua số 1 năm 2024” (vidu-2024)." in page
    download = client.get("/admin/festivals/vidu-2024/export.json")
    assert download.headers["Content-Disposition"] == 'attachment; filename="vidu-2024.json"'
    cli = runner.invoke(args=["festival", "export", "vidu-2024"]).output
    assert json.loads(download.get_data(as_text=True)) == json.loads(cli)


def test_a_bad_file_lists_every_problem_and_stores_nothing(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["athletes"][0]["unit"] = "XYZ"
    data["events"][0]["stages"][0]["matches"][0]["sets"][1] = [11, 10]
    response = _upload(client, json.dumps(data).encode())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Chưa nhập được" in html
    assert "athletes[0].unit: unknown unit &#39;XYZ&#39;" in html
    assert "events[0].stages[0].matches[0].sets[1]: 11-10" in html
    assert db.session.scalar(select(func.count(Festival.id))) == 0


def test_only_json_files_are_accepted(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    response = _upload(client, b"PK\x03\x04", name="dangky.xlsx")
    assert response.status_code == 422
    assert "Chỉ nhận tệp .json" in response.get_data(as_text=True)


def test_referees_cannot_import_or_export(client, make_user, runner, db):
    runner.invoke(args=["demo"])
    make_user("tt9", "referee", "mat-khau-123")
    login(client, "tt9", "mat-khau-123")
    assert client.get("/admin/import").status_code == 403
    assert client.get("/admin/festivals/lamdong-2023/export.json").status_code == 403


def test_import_needs_the_csrf_token(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    response = client.post("/admin/import", data={"file": (io.BytesIO(SMALL.read_bytes()), "f.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Festival.id))) == 0

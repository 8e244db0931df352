"""Organisers import and export festival files from the browser."""
import io
import json
import re
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
    assert "athletes[0].unit: không có đơn vị mã &#39;XYZ&#39; trong danh sách units" in html
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


def test_problems_of_the_file_structure_are_shown_in_vietnamese(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["events"][0]["sport"] = "bong_ban"
    data["athletes"][1]["birth_year"] = "1990a"
    data["units"][0]["colour"] = "đỏ"
    del data["festival"]["name"]
    response = _upload(client, json.dumps(data, ensure_ascii=False).encode())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "festival.name: thiếu trường bắt buộc “name”",
        "units[0].colour: trường “colour” không có trong định dạng hoithao/1",
        "athletes[1].birth_year: phải là một số nguyên, không phải &#34;1990a&#34;",
        "events[0].sport: &#34;bong_ban&#34; không phải giá trị được chấp nhận — chọn một trong: "
        "volleyball, table_tennis, badminton",
    ):
        assert message in html
    listed = re.findall(r"<li>(.*?)</li>", html.split('role="alert"', 1)[1].split("</section>", 1)[0])
    assert len(listed) == 4
    for english in ("Input should", "Field required", "Extra inputs", "valid", "required field", "unknown"):
        assert not any(english in item for item in listed)
    assert db.session.scalar(select(func.count(Festival.id))) == 0


def test_a_file_that_is_not_json_gets_one_vietnamese_sentence(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    response = _upload(client, b'{"format": "hoithao/1",\n "festival": {"slug": "x",}}')
    assert response.status_code == 422
    assert ("Tệp không đúng cú pháp JSON: tên trường phải đặt trong dấu ngoặc kép" in response.get_data(as_text=True))

"""An organiser uploads a festival file in the browser: first with a mistake, then fixed."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


def test_upload_shows_located_problems_then_imports(page, live_server, tmp_path):
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["festival"]["slug"] = "e2e-upload"
    data["events"][0]["sport"] = "cờ vua"
    malformed = tmp_path / "sai-cau-truc.json"
    malformed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["events"][0]["sport"] = "table_tennis"
    data["events"][0]["stages"][0]["matches"][0]["sets"][1] = [11, 10]
    bad = tmp_path / "co-loi.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["events"][0]["stages"][0]["matches"][0]["sets"][1] = [11, 7]
    good = tmp_path / "dung.json"
    good.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    page.goto(live_server + "/login?next=/admin/import")
    page.get_by_label("Tên đăng nhập").fill("btc")
    page.get_by_label("Mật khẩu").fill("hoithao-btc")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Nhập tệp hội thao")).to_be_visible()

    page.get_by_label("Tệp hội thao (.json)").set_input_files(str(malformed))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Chưa nhập được: 1 lỗi")
    expect(alert).to_contain_text('events[0].sport: "cờ vua" không phải giá trị được chấp nhận — chọn một trong: '
                                  "volleyball, table_tennis, badminton")
    expect(alert).not_to_contain_text("Input should")

    page.get_by_label("Tệp hội thao (.json)").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Chưa nhập được: 1 lỗi")
    expect(alert).to_contain_text("events[0].stages[0].matches[0].sets[1]: 11-10 chưa kết thúc")

    page.get_by_label("Tệp hội thao (.json)").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page).to_have_url(re.compile(r"/admin/festivals/e2e-upload/$"))
    expect(page.get_by_text("Đã nhập hội thao")).to_be_visible()
    page.get_by_role("link", name="Ban tổ chức", exact=True).click()
    expect(page.get_by_role("cell", name=re.compile("e2e-upload"))).to_be_visible()

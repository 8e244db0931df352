"""Organiser setup pages: every route behind the organiser role and CSRF, the forms, the replace confirmation."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sports.models import Athlete, AuditEntry, Event, Festival, StagedUpload, Unit
from tests.conftest import csrf_token, login

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"
SAMPLE = {"slug": "lamdong-2023", "code": "BVDK", "athlete_id": "1", "group_id": "1", "court_id": "1",
          "session_id": "1", "match_id": "1", "user_id": "1", "token_id": "1",
          "table_id": "1", "criterion_id": "1", "adjustment_id": "1", "number": "1", "entry_id": "1"}


def admin_routes(app) -> list[tuple[str, str]]:
    """(method, url) of every organiser page, with sample arguments."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{arg}>", SAMPLE[arg], url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url))
    return out


@pytest.fixture
def demo(runner, db):
    assert runner.invoke(args=["demo"]).exit_code == 0
    return db.session.scalar(select(Festival).where(Festival.slug == "lamdong-2023"))


@pytest.fixture
def organiser(client, make_user):
    make_user("btc2", "organiser", "mat-khau-123")
    login(client, "btc2", "mat-khau-123")
    return client


def test_there_are_setup_routes_to_check(app):
    urls = {u for _, u in admin_routes(app)}
    for expected in ("/admin/festivals/new", "/admin/festivals/lamdong-2023/units", "/admin/festivals/lamdong-2023/events/standard",
                     "/admin/festivals/lamdong-2023/athletes/1/withdraw", "/admin/import/replace"):
        assert expected in urls


def test_anonymous_visitors_are_sent_to_login_on_every_route(client, demo, app):
    token = csrf_token(client.get("/login").get_data(as_text=True))  # a valid token: the role check must refuse
    for method, url in admin_routes(app):
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)


def test_referees_are_refused_on_every_route(client, demo, make_user, app):
    make_user("tt9", "referee", "mat-khau-123")
    login(client, "tt9", "mat-khau-123")
    token = csrf_token(client.get("/").get_data(as_text=True))  # the logout form carries one
    for method, url in admin_routes(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (method, url)
        assert "Bạn không có quyền thực hiện thao tác này." in response.get_data(as_text=True)


def test_every_write_needs_the_csrf_token(organiser, demo, app, db):
    revision = demo.revision
    for method, url in admin_routes(app):
        if method != "POST":
            continue
        response = organiser.post(url, data={"name": "X", "code": "X", "withdrawn": "1"})
        assert response.status_code == 400, url
        assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Festival, demo.id).revision == revision


def test_organiser_limited_to_one_festival_is_refused_elsewhere(client, demo, make_user, db):
    user = make_user("btc-khac", "organiser", "mat-khau-123")
    user.scopes = {"festivals": ["khac-2024"]}
    db.session.commit()
    login(client, "btc-khac", "mat-khau-123")
    assert client.get("/admin/festivals/lamdong-2023/units").status_code == 403
    assert "lamdong-2023" not in client.get("/admin/").get_data(as_text=True)


def post_form(client, url, data):
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data})


FESTIVAL = {"name": "Hội thao Khối thi đua số 2 năm 2024", "slug": "khoi2-2024", "organiser": "Sở Y tế",
            "place": "Đà Lạt", "start_date": "2024-11-20", "end_date": "2024-11-22", "medal_mode": "olympic",
            "medal_points": "", "team_multiplier": "1", "shared_points": "full", "medal_labels": "medals",
            "tier_first": "1", "tier_second": "1", "tier_third": "1"}


def test_create_festival_from_the_form(organiser, db):
    response = post_form(organiser, "/admin/festivals/new", FESTIVAL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/festivals/khoi2-2024/")
    festival = db.session.scalar(select(Festival))
    assert (festival.name, festival.place, str(festival.end_date)) == (FESTIVAL["name"], "Đà Lạt", "2024-11-22")
    page = organiser.get("/admin/festivals/khoi2-2024/").get_data(as_text=True)
    assert "Đã tạo hội thao “Hội thao Khối thi đua số 2 năm 2024”." in page


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Nhập tên hội thao."),
    ({"end_date": "2024-11-01"}, "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
    ({"start_date": "20/13/2024"}, "“20/13/2024” không phải là ngày hợp lệ"),
    ({"medal_mode": "points", "medal_points": "7, năm, 4"}, "“năm” không phải là số nguyên không âm"),
    ({"medal_mode": "points"}, "Xếp hạng theo điểm cần điểm cho từng hạng"),
    ({"max_events_per_athlete": "ba"}, "“ba” không phải là một số nguyên."),
    ({"slug": "Hội Thao"}, "Mã hội thao dùng chữ thường không dấu"),
])
def test_festival_form_refusals_are_shown_beside_the_field(organiser, db, changes, message):
    response = post_form(organiser, "/admin/festivals/new", {**FESTIVAL, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="[a-z_]+-err">[^<]*' + re.escape(message.replace("“", "“")), html), html
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 0


def test_marking_a_festival_current_changes_the_public_home_page(organiser, demo, db):
    post_form(organiser, "/admin/festivals/new", FESTIVAL)
    # The demo starts 2023, the new one 2024: without a mark "/" shows the latest.
    assert FESTIVAL["name"] in organiser.get("/").get_data(as_text=True).split("<h1>")[1]
    page = organiser.get("/admin/")
    response = organiser.post("/admin/festivals/lamdong-2023/current",
                              data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    home = organiser.get("/").get_data(as_text=True)
    assert "Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023" in home.split("<h1>")[1]


def test_units_and_athletes_from_the_forms(organiser, demo, db):
    response = post_form(organiser, "/admin/festivals/lamdong-2023/units/new",
                         {"code": "TTYT", "name": "Trung tâm Y tế Đức Trọng", "short_name": "TTYT Đức Trọng"})
    assert response.status_code == 302
    response = post_form(organiser, "/admin/festivals/lamdong-2023/units/new", {"code": "TTYT", "name": "Khác"})
    assert response.status_code == 422
    assert "Mã “TTYT” đã dùng cho Trung tâm Y tế Đức Trọng." in response.get_data(as_text=True)
    response = post_form(organiser, "/admin/festivals/lamdong-2023/athletes/new",
                         {"unit_code": "TTYT", "name": "Nguyễn Thị Lan", "gender": "F", "birth_year": "1988"})
    assert response.status_code == 302
    lan = db.session.scalar(select(Athlete).where(Athlete.name == "Nguyễn Thị Lan"))
    assert lan.unit.code == "TTYT" and lan.gender == "F"
    listing = organiser.get("/admin/festivals/lamdong-2023/athletes?q=nguyen+thi+lan").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in listing and listing.count('<tr') == 2  # header + one row
    page = organiser.get("/admin/festivals/lamdong-2023/athletes")
    response = organiser.post(f"/admin/festivals/lamdong-2023/athletes/{lan.id}/withdraw",
                              data={"csrf_token": csrf_token(page.get_data(as_text=True)), "withdrawn": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Athlete, lan.id).withdrawn


def test_athlete_form_refuses_a_gender_that_no_longer_fits_their_events(organiser, demo, db):
    from sports.models import EntryAthlete

    member = db.session.scalars(select(EntryAthlete).join(Athlete).where(Athlete.gender == "M")).first()
    athlete, event = member.athlete, member.entry.event
    url = f"/admin/festivals/lamdong-2023/athletes/{athlete.id}/edit"
    response = post_form(organiser, url, {"unit_code": athlete.unit.code, "name": athlete.name, "gender": "F",
                                          "birth_year": str(athlete.birth_year or "")})
    assert response.status_code == 422
    assert f"{athlete.name} đang thi đấu nội dung {event.name}:" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Athlete, athlete.id).gender == "M"


def test_athlete_form_refuses_an_unknown_unit(organiser, demo, db):
    before = db.session.scalar(select(func.count()).select_from(Athlete))
    response = post_form(organiser, "/admin/festivals/lamdong-2023/athletes/new",
                         {"unit_code": "NOPE", "name": "Nguyễn Văn A", "gender": "M"})
    assert response.status_code == 422
    assert "Chọn đơn vị của vận động viên." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Athlete)) == before


def test_standard_events_and_an_event_form(organiser, db):
    post_form(organiser, "/admin/festivals/new", FESTIVAL)
    page = organiser.get("/admin/festivals/khoi2-2024/events")
    assert "Tạo bộ nội dung chuẩn (12 nội dung)" in page.get_data(as_text=True)
    response = organiser.post("/admin/festivals/khoi2-2024/events/standard",
                              data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Event)) == 12
    response = post_form(organiser, "/admin/festivals/khoi2-2024/events/new", {
        "code": "CL-DN45", "sport": "badminton", "discipline": "men_singles", "name": "Đơn nam trên 45 tuổi",
        "points": "15", "third_place": "shared", "birth_year_max": "1979"})
    assert response.status_code == 302
    event = db.session.scalar(select(Event).where(Event.code == "CL-DN45"))
    assert (event.points, event.cap, event.ranking_preset, event.birth_year_max) == (15, 21, "bwf", 1979)
    response = post_form(organiser, "/admin/festivals/khoi2-2024/events/CL-DN45/edit", {
        "code": "CL-DN45", "sport": "badminton", "discipline": "men_singles", "best_of": "4", "third_place": "shared"})
    assert response.status_code == 422
    assert "số ván tối đa phải là số lẻ" in response.get_data(as_text=True).lower()


def test_event_with_results_refuses_a_format_change(organiser, demo, db):
    response = post_form(organiser, "/admin/festivals/lamdong-2023/events/BC-NU/edit", {
        "code": "BC-NU", "sport": "volleyball", "discipline": "women_team", "name": "Bóng chuyền nữ",
        "best_of": "5", "third_place": "shared", "ranking_preset": "fivb", "fivb_order": "wins_first",
        "fivb_match_points": "3-2-1-0"})
    assert response.status_code == 422
    assert "Nội dung đã có kết quả thi đấu: không thể đổi thể thức" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Event.best_of).where(Event.code == "BC-NU")) == 3


def _upload(client, raw: bytes, name="festival.json"):
    page = client.get("/admin/import")
    return client.post("/admin/import", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                              "file": (io.BytesIO(raw), name)}, content_type="multipart/form-data")


def test_importing_over_an_existing_festival_asks_first_and_keeps_the_audit_trail(organiser, db):
    raw = SMALL.read_bytes()
    assert _upload(organiser, raw).status_code == 302
    festival = db.session.scalar(select(Festival))
    festival_id = festival.id
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = _upload(organiser, raw)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Thay thế hội thao đã có?" in html
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows  # nothing changed yet
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    # Without ticking the confirmation, nothing happens.
    refused = organiser.post("/admin/import/replace", data={"csrf_token": csrf_token(html), "token": token})
    assert refused.status_code == 422 and "Đánh dấu ô xác nhận để thay thế." in refused.get_data(as_text=True)
    # Another organiser cannot use this organiser's staged file.
    done = organiser.post("/admin/import/replace", data={"csrf_token": csrf_token(html), "token": token, "confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Festival.id)) == festival_id
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert len(actions) == audit_rows + 1 and actions[-1] == "festival.replace"
    assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0
    again = organiser.post("/admin/import/replace", data={"csrf_token": csrf_token(html), "token": token, "confirm": "y"})
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/import")


def test_a_staged_file_belongs_to_its_uploader(client, make_user, db):
    make_user("btc-a", "organiser", "mat-khau-123")
    make_user("btc-b", "organiser", "mat-khau-123")
    login(client, "btc-a", "mat-khau-123")
    raw = SMALL.read_bytes()
    _upload(client, raw)
    html = _upload(client, raw).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    client.post("/logout", data={"csrf_token": csrf_token(html)})
    login(client, "btc-b", "mat-khau-123")
    page = client.get("/admin/import").get_data(as_text=True)
    response = client.post("/admin/import/replace", data={"csrf_token": csrf_token(page), "token": token, "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/import")
    assert not any(a == "festival.replace" for a in db.session.scalars(select(AuditEntry.action)))


def test_unit_names_typed_decomposed_are_stored_composed(organiser, demo, db):
    import unicodedata

    post_form(organiser, "/admin/festivals/lamdong-2023/units/new",
              {"code": "TTYTDT", "name": unicodedata.normalize("NFD", "Trung tâm Y tế Đơn Dương")})
    name = db.session.scalar(select(Unit.name).where(Unit.code == "TTYTDT"))
    assert name == "Trung tâm Y tế Đơn Dương" and unicodedata.is_normalized("NFC", name)


def test_every_organiser_page_has_a_plain_title(organiser, demo, app):
    """A block left open once put a whole form (and its CSRF token) into the browser's title bar."""
    seen = 0
    for method, url in admin_routes(app):
        if method != "GET" or url.endswith((".xlsx", ".json")):
            continue
        response = organiser.get(url)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)
        assert "<" not in title and "csrf" not in title, (url, title[:120])
        seen += 1
    assert seen >= 15

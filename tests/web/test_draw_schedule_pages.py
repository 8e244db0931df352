"""Draw, schedule and referee pages from the organiser's browser (Flask test client), and the
public order of play."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from sports.models import AuditEntry, Event, Match, User
from sports.services import schedule as sch
from sports.services.permissions import may_record
from tests.conftest import csrf_token, login


@pytest.fixture
def organiser(client, runner, make_user, db):
    assert runner.invoke(args=["demo"]).exit_code == 0
    make_user("btc2", "organiser", "mat-khau-123")
    login(client, "btc2", "mat-khau-123")
    return client


def post(client, page_url, action_url, data):
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    return client.post(action_url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data})


def errors(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<p class="error"[^>]*>([^<]+)', html) + re.findall(r'<li>([^<]+)</li>', html)


DRAW = "/admin/festivals/lamdong-2023/events/CL-DOINAM/draw"


def test_draw_page_draws_with_a_recorded_seed_and_locks(organiser, db):
    page = organiser.get(DRAW).get_data(as_text=True)
    assert "Chưa bốc thăm." in page
    response = post(organiser, DRAW, DRAW, {"structure": "knockout", "separation": "full", "rng_seed": "2024"})
    assert response.status_code == 302, errors(response)
    page = organiser.get(DRAW).get_data(as_text=True)
    assert "Đã bốc thăm Cầu lông – Đôi nam (mã bốc thăm 2024)." in page
    assert "Mã bốc thăm hiện tại: 2024." in page and "Chung kết" in page
    response = post(organiser, DRAW, DRAW + "/lock", {})
    assert response.status_code == 302
    page = organiser.get(DRAW).get_data(as_text=True)
    assert "Ban tổ chức đã khóa sơ đồ. Mở khóa để bốc thăm lại." in page
    refused = post(organiser, DRAW, DRAW, {"structure": "knockout", "separation": "full"})
    assert refused.status_code == 422 and "Ban tổ chức đã khóa sơ đồ" in refused.get_data(as_text=True)
    assert [r.action for r in db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("draw.%")))] == [
        "draw.make", "draw.lock"]


def test_draw_form_refusals_are_shown(organiser, db):
    response = post(organiser, DRAW, DRAW, {"structure": "groups_knockout", "groups": "3", "qualifiers": "2"})
    assert response.status_code == 422
    assert "Chưa hỗ trợ ghép 3 bảng" in response.get_data(as_text=True)
    response = post(organiser, DRAW, DRAW, {"structure": "knockout", "rng_seed": "mười"})
    assert response.status_code == 422 and "“mười” không phải là một số nguyên." in response.get_data(as_text=True)
    assert db.session.scalar(select(Event).where(Event.code == "CL-DOINAM")).stages == []


def test_seeds_from_the_draw_page(organiser, db):
    event = db.session.scalar(select(Event).where(Event.code == "CL-DOINAM"))
    a, b = event.entries[:2]
    response = post(organiser, DRAW, DRAW + "/seeds", {f"seed-{a.id}": "1", f"seed-{b.id}": "1"})
    assert response.status_code == 302
    page = organiser.get(DRAW).get_data(as_text=True)
    assert "Hạt giống số 1 được gán cho hai VĐV/đôi/đội." in page
    post(organiser, DRAW, DRAW + "/seeds", {f"seed-{a.id}": "1", f"seed-{b.id}": "2"})
    db.session.expire_all()
    assert (db.session.get(type(a), a.id).seed, db.session.get(type(b), b.id).seed) == (1, 2)


SCHEDULE = "/admin/festivals/lamdong-2023/schedule"


def test_schedule_page_courts_sessions_generate_and_a_refused_move(organiser, db):
    post(organiser, DRAW, DRAW, {"structure": "round_robin", "rng_seed": "1"})
    assert post(organiser, SCHEDULE, SCHEDULE + "/courts", {"sport": "badminton", "count": "5"}).status_code == 302
    bad = post(organiser, SCHEDULE, SCHEDULE + "/sessions", {"day": "2023-11-25", "start": "11:00", "end": "8h"})
    assert bad.status_code == 422 and "Giờ kết thúc phải sau giờ bắt đầu." in bad.get_data(as_text=True)
    assert post(organiser, SCHEDULE, SCHEDULE + "/sessions", {"day": "25/11/2023", "start": "7h30", "end": "17:30"}).status_code == 302
    page = organiser.get(SCHEDULE).get_data(as_text=True)
    assert "Sân cầu lông 1" in page and "Thứ Bảy 25/11/2023, 07:30–17:30" in page
    assert re.search(r"Cầu lông: cần \d+ giờ", page)
    assert post(organiser, SCHEDULE, SCHEDULE + "/generate", {}).status_code == 302
    event = db.session.scalar(select(Event).where(Event.code == "CL-DOINAM"))
    matches = event.stages[0].matches
    assert all(m.court_id and m.scheduled_at for m in matches)
    m = max(matches, key=lambda x: (x.round, x.id))
    other = next(x for x in matches if x.id != m.id and {x.home_entry_id, x.away_entry_id} & {m.home_entry_id, m.away_entry_id})
    move_url = f"{SCHEDULE}/matches/{m.id}"
    at = sch.local(other.scheduled_at)
    court = next(c for c in sch.courts(event.festival) if c.id != other.court_id)
    refused = post(organiser, move_url, move_url, {"court": str(court.id), "day": at.date().isoformat(),
                                                   "start": at.strftime("%H:%M")})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Không chuyển được: trùng lịch" in html and "đang thi đấu trận CL-DOINAM" in html
    before = sch.local(db.session.get(Match, m.id).scheduled_at)
    assert before != at


def test_referee_assignment_scopes_result_entry(organiser, db):
    url = "/admin/festivals/lamdong-2023/referees"
    assert post(organiser, SCHEDULE, SCHEDULE + "/courts", {"sport": "volleyball", "names": "Sân A, Sân B"}).status_code == 302
    response = post(organiser, url, url + "/new", {"username": "tt-san-a", "full_name": "Trọng tài sân A",
                                                   "password": "mat-khau-456"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "tt-san-a"))
    assert user.role == "referee" and user.scopes["festivals"] == ["lamdong-2023"]
    response = post(organiser, url, f"{url}/{user.id}", {"courts": ["Sân A"], "events": ["BC-NAM"]})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.scopes == {"festivals": ["lamdong-2023"], "courts": ["Sân A"], "events": ["BC-NAM"]}
    match = db.session.scalar(select(Match).join(Event).where(Event.code == "BC-NAM", Match.status != "completed"))
    sân_a, sân_b = sch.courts(match.event.festival)[:2]
    match.court_id = sân_b.id
    db.session.flush()
    assert not may_record(user, match)
    match.court_id = sân_a.id
    db.session.flush()
    db.session.refresh(match)
    assert may_record(user, match)
    short = post(organiser, url, url + "/new", {"username": "tt2", "password": "ngan"})
    assert short.status_code == 422 and "Mật khẩu phải có ít nhất 8 ký tự." in short.get_data(as_text=True)


def test_public_order_of_play_by_day_and_court(client, organiser, db):
    post(organiser, DRAW, DRAW, {"structure": "knockout", "separation": "full", "rng_seed": "5"})
    post(organiser, SCHEDULE, SCHEDULE + "/courts", {"sport": "badminton", "names": "Sân 1"})
    post(organiser, SCHEDULE, SCHEDULE + "/sessions", {"day": "2023-11-26", "start": "08:00", "end": "17:00"})
    post(organiser, SCHEDULE, SCHEDULE + "/generate", {})
    organiser.post("/logout", data={"csrf_token": csrf_token(organiser.get("/").get_data(as_text=True))})
    page = client.get("/f/lamdong-2023/schedule")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Chủ nhật 26/11/2023" in html and "Sân 1" in html and "08:00" in html
    assert "Thắng trận 1" in html  # a later round's open places are named
    court = sch.courts(db.session.scalar(select(Event).where(Event.code == "CL-DOINAM")).festival)[0]
    narrowed = client.get(f"/f/lamdong-2023/schedule?day=2023-11-26&court={court.id}").get_data(as_text=True)
    assert "In trang này" in narrowed
    assert client.get("/f/khong-co/schedule").status_code == 404


def test_not_before_limits_for_an_entry_and_a_match(organiser, db):
    post(organiser, DRAW, DRAW, {"structure": "round_robin", "rng_seed": "1"})
    post(organiser, SCHEDULE, SCHEDULE + "/courts", {"sport": "badminton", "count": "5"})
    post(organiser, SCHEDULE, SCHEDULE + "/sessions", {"day": "2023-11-25", "start": "07:30", "end": "17:30"})
    event = db.session.scalar(select(Event).where(Event.code == "CL-DOINAM"))
    entry = event.entries[0]
    response = post(organiser, SCHEDULE, SCHEDULE + "/limits",
                    {"limit-entry": str(entry.id), "limit-day": "2023-11-25", "limit-start": "12:00"})
    assert response.status_code == 302
    post(organiser, SCHEDULE, SCHEDULE + "/generate", {})
    db.session.expire_all()
    mine = [m for m in db.session.scalars(select(Match).where(Match.event_id == event.id))
            if entry.id in (m.home_entry_id, m.away_entry_id)]
    assert mine and all(m.scheduled_at is not None for m in mine)
    assert all(sch.local(m.scheduled_at).strftime("%H:%M") >= "12:00" for m in mine)
    other = next(m for m in db.session.scalars(select(Match).where(Match.event_id == event.id))
                 if entry.id not in (m.home_entry_id, m.away_entry_id))
    url = f"{SCHEDULE}/matches/{other.id}"
    assert post(organiser, url, url + "/not-before", {"day": "2023-11-25", "start": "16:00"}).status_code == 302
    db.session.expire_all()
    assert sch.local(db.session.get(Match, other.id).not_before).strftime("%H:%M") == "16:00"
    refused = post(organiser, url, url, {"court": str(other.court_id), "day": "2023-11-25", "start": "08:00"})
    assert refused.status_code == 422
    actions = [a for a in db.session.scalars(select(AuditEntry.action)) if a == "schedule.not_before"]
    assert len(actions) == 2
    cleared = post(organiser, SCHEDULE, SCHEDULE + "/limits", {"limit-entry": str(entry.id), "clear": "1"})
    assert cleared.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(entry), entry.id).not_before is None


@pytest.mark.parametrize("url, data", [
    (DRAW, {"structure": "groups_knockout", "groups": "2", "qualifiers": "abc"}),
    (DRAW + "/seeds", {"seed-1": "²"}),
    (SCHEDULE + "/limits", {"limit-entry": "²", "limit-day": "2023-11-25", "limit-start": "08:00"}),
    (SCHEDULE + "/sessions", {"day": "2023-11-25", "start": "99999999999999999999:00", "end": "10:00"}),
])
def test_hostile_numbers_are_refused_not_crashed(organiser, db, url, data):
    response = post(organiser, SCHEDULE if "schedule" in url else DRAW, url, data)
    assert response.status_code in (302, 400, 422), response.status_code
    assert db.session.scalar(select(Event).where(Event.code == "CL-DOINAM")).stages == []


def test_huge_ids_in_urls_are_not_found(organiser, client):
    assert organiser.get(SCHEDULE + "/matches/99999999999999999999").status_code == 404
    assert organiser.get("/admin/festivals/lamdong-2023/athletes/99999999999999999999/edit").status_code == 404
    assert client.get("/f/lamdong-2023/schedule?court=²").status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0024-11-25", "31/12/2204"])
def test_a_session_on_an_absurd_day_is_refused_with_the_reason(organiser, db, day):
    from sports.models import ScheduleSession

    before = db.session.scalar(select(func.count()).select_from(ScheduleSession))
    response = post(organiser, SCHEDULE, SCHEDULE + "/sessions", {"day": day, "start": "07:30", "end": "11:30"})
    assert response.status_code == 422
    assert "nằm ngoài khoảng 2000–2100" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ScheduleSession)) == before


def test_renaming_a_court_keeps_its_referees_and_refuses_a_name_in_use(organiser, client, db, make_user):
    url = "/admin/festivals/lamdong-2023/referees"
    assert post(organiser, SCHEDULE, SCHEDULE + "/courts", {"sport": "volleyball", "names": "Sân A, Sân B"}).status_code == 302
    assert post(organiser, url, url + "/new", {"username": "tt-a", "password": "mat-khau-456"}).status_code == 302
    user = db.session.scalar(select(User).where(User.username == "tt-a"))
    assert post(organiser, url, f"{url}/{user.id}", {"courts": ["Sân A"], "events": ["BC-NAM"]}).status_code == 302
    festival = db.session.scalar(select(Event).where(Event.code == "BC-NAM")).festival
    sân_a, sân_b = [c for c in sch.courts(festival) if c.name in ("Sân A", "Sân B")]
    match = db.session.scalar(select(Match).join(Event).where(Event.code == "BC-NAM", Match.status != "completed"))
    match.court_id = sân_a.id
    db.session.commit()
    page = organiser.get(SCHEDULE).get_data(as_text=True)
    assert f'/schedule/courts/{sân_a.id}/rename' in page and "đổi tên" in page

    taken = post(organiser, SCHEDULE, f"{SCHEDULE}/courts/{sân_a.id}/rename", {"name": " sân  b "})
    assert taken.status_code == 422 and "Đã có sân tên sân b: mỗi sân một tên khác nhau." in taken.get_data(as_text=True)
    empty = post(organiser, SCHEDULE, f"{SCHEDULE}/courts/{sân_a.id}/rename", {"name": "  "})
    assert empty.status_code == 422 and "Nhập tên mới của sân." in empty.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(sân_a), sân_a.id).name == "Sân A"  # refused: nothing changed

    revision = festival.revision
    done = post(organiser, SCHEDULE, f"{SCHEDULE}/courts/{sân_a.id}/rename", {"name": "Sân trung tâm"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(sân_a), sân_a.id).name == "Sân trung tâm"
    user = db.session.get(User, user.id)
    assert user.scopes["courts"] == ["Sân trung tâm"]  # the referee still records on that court
    assert may_record(user, db.session.get(Match, match.id))
    assert db.session.get(type(festival), festival.id).revision > revision  # public pages show the new name
    actions = [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2))]
    assert set(actions) == {"schedule.court_rename", "referee.assign"}
    assert "Đã đổi tên Sân A thành Sân trung tâm." in organiser.get(SCHEDULE).get_data(as_text=True)
    # A referee may not rename courts, even with a valid form.
    client.post("/logout", data={"csrf_token": csrf_token(organiser.get(SCHEDULE).get_data(as_text=True))})
    make_user("tt-x", "referee", "mat-khau-123")
    login(client, "tt-x", "mat-khau-123")
    token = csrf_token(client.get("/referee/").get_data(as_text=True))
    refused = client.post(f"{SCHEDULE}/courts/{sân_b.id}/rename", data={"csrf_token": token, "name": "X"})
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(type(sân_b), sân_b.id).name == "Sân B"


def test_changing_an_event_code_keeps_its_referees(organiser, db):
    from sports.services.events import get_event, settings_of, update_event

    url = "/admin/festivals/lamdong-2023/referees"
    assert post(organiser, url, url + "/new", {"username": "tt-bc", "password": "mat-khau-456"}).status_code == 302
    user = db.session.scalar(select(User).where(User.username == "tt-bc"))
    assert post(organiser, url, f"{url}/{user.id}", {"events": ["BC-NAM", "BC-NU"]}).status_code == 302
    event = db.session.scalar(select(Event).where(Event.code == "BC-NAM"))
    data = settings_of(event)
    data.code = "BC-NAM-2023"
    update_event(get_event(event.festival, "BC-NAM"), data)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).scopes["events"] == ["BC-NAM-2023", "BC-NU"]

"""The result desk from the referee's phone (Flask test client): scope, the two steps, a retried
submit recorded once, a stale page answered with the recorded result, the second confirmation."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from sports.models import Event, Match, ResultSubmission
from tests.conftest import login


@pytest.fixture
def referee(client, runner, db):
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert login(client, "trongtai", "hoithao-trongtai").headers["Location"].endswith("/referee/")
    return client


def open_match(db, code="BC-NAM"):
    return db.session.scalar(select(Match).join(Event).where(Event.code == code, Match.status != "completed")
                             .order_by(Match.id))


def form_of(client, match):
    html = client.get(f"/referee/matches/{match.id}").get_data(as_text=True)
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
            "version": re.search(r'name="version" value="(\d+)"', html).group(1),
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', html).group(1), "outcome": "normal"}


def test_two_steps_then_a_retry_is_recorded_once(referee, db):
    m = open_match(db)
    data = {**form_of(referee, m), "s1h": "25", "s1a": "20", "s2h": "25", "s2a": "24"}
    bad = referee.post(f"/referee/matches/{m.id}", data={**data, "step": "check"})
    assert bad.status_code == 422 and "Séc 2: 25-24 chưa kết thúc" in bad.get_data(as_text=True)
    data["s2a"] = "23"
    check = referee.post(f"/referee/matches/{m.id}", data={**data, "step": "check"})
    assert "thắng 2-0: 25-20, 25-23." in check.get_data(as_text=True)
    assert db.session.get(Match, m.id).status != "completed"  # the check step stores nothing
    done = referee.post(f"/referee/matches/{m.id}", data={**data, "step": "confirm"})
    assert done.status_code == 302
    again = referee.post(f"/referee/matches/{m.id}", data={**data, "step": "confirm"}, headers={"Accept": "application/json"})
    assert again.status_code == 200 and again.get_json()["ok"]
    assert db.session.scalar(select(func.count()).select_from(ResultSubmission)) == 1
    stale = referee.post(f"/referee/matches/{m.id}", data={**data, "submission_id": "other-phone-0001", "s1a": "10",
                                                           "step": "confirm"}, headers={"Accept": "application/json"})
    body = stale.get_json()
    assert stale.status_code == 409 and body["version"] == 2 and "25-20, 25-23" in body["recorded"]
    assert body["by"] == "Trọng tài sân 1"
    db.session.expire_all()
    assert db.session.get(Match, m.id).sets == [[25, 20], [25, 23]]


def test_out_of_scope_matches_are_refused(referee, db):
    from sports.models import User

    user = db.session.scalar(select(User).where(User.username == "trongtai"))
    user.scopes = {"festivals": ["lamdong-2023"], "events": ["BC-NU"]}
    db.session.commit()
    m = open_match(db, "BC-NAM")
    response = referee.get(f"/referee/matches/{m.id}")
    assert response.status_code == 403
    assert "không thuộc sân hay nội dung được phân công" in response.get_data(as_text=True)
    assert f"/referee/matches/{m.id}" not in referee.get("/referee/").get_data(as_text=True)


def test_second_confirmation(referee, client, db, make_user):
    from sports.models import Festival

    festival = db.session.scalar(select(Festival))
    festival.needs_confirmation = True
    db.session.commit()
    m = open_match(db)
    data = {**form_of(referee, m), "s1h": "25", "s1a": "20", "s2h": "25", "s2a": "23", "step": "confirm"}
    assert referee.post(f"/referee/matches/{m.id}", data=data).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Match, m.id)
    assert stored.status == "completed" and not stored.confirmed
    # The recorder cannot confirm their own result.
    own = referee.post(f"/referee/matches/{m.id}/confirm", data={"csrf_token": data["csrf_token"], "version": str(stored.version)})
    assert own.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Match, m.id).confirmed
    make_user("tt2", "referee", "mat-khau-123")
    referee.post("/logout", data={"csrf_token": data["csrf_token"]})
    other = referee
    assert login(other, "tt2", "mat-khau-123").status_code == 302
    html = other.get("/referee/").get_data(as_text=True)
    assert "Chờ bạn xác nhận (1)" in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert other.post(f"/referee/matches/{m.id}/confirm", data={"csrf_token": token, "version": str(stored.version)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Match, m.id).confirmed

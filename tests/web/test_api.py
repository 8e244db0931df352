"""The JSON API of CONTRACT.md, on the small example festival."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sports.importers.festival_file import import_file
from sports.models import AuditEntry, Match
from sports.services.accounts import create_user, issue_token

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


@pytest.fixture
def festival(db):
    festival = import_file(SMALL.read_bytes())
    db.session.commit()
    return festival


def test_festivals(client, festival):
    assert client.get("/api/v1/festivals").get_json() == [{
        "slug": "vidu-2024", "name": "Hội thao Khối thi đua số 1 năm 2024",
        "start_date": "2024-11-23", "end_date": "2024-11-24"}]


def test_medal_table(client, festival):
    data = client.get("/api/v1/festivals/vidu-2024/medals").get_json()
    assert data["mode"] == "olympic"
    rows = [(r["rank"], r["unit"]["code"], r["gold"], r["silver"], r["bronze"], r["total"], r["points"])
            for r in data["rows"]]
    assert rows == [(1, "BVDK", 1, 2, 1, 4, None), (2, "CDC", 1, 1, 1, 3, None),
                    (3, "PNT", 1, 0, 1, 2, None), (4, "BV2", 0, 0, 0, 0, None)]
    assert data["rows"][0]["unit"]["name"] == "Bệnh viện Đa khoa tỉnh Lâm Đồng"


def test_standings(client, festival):
    data = client.get("/api/v1/festivals/vidu-2024/events/BB-DNAM/standings").get_json()
    assert [g["name"] for g in data["groups"]] == ["A", "B"]
    a = data["groups"][0]["rows"]
    assert [(r["rank"], r["entry"]["ref"]) for r in a] == [(1, "e1"), (2, "e3"), (3, "e2")]
    assert a[0] == {"rank": 1, "entry": {"ref": "e1", "name": "Đoàn Hoàng Anh", "unit": "BVDK"},
                    "played": 2, "won": 2, "lost": 0, "match_points": 4, "sets_won": 6, "sets_lost": 1,
                    "points_won": 11 + 11 + 11 + 11 + 9 + 11 + 12, "points_lost": 9 + 7 + 5 + 8 + 11 + 6 + 10,
                    "tied": False, "withdrawn": False, "by_lot": False}
    # ITTF: the walkover loser gets 0 match points, a played loss 1.
    assert a[2]["match_points"] == 0 + 1 and a[1]["match_points"] == 2 + 1
    volley = client.get("/api/v1/festivals/vidu-2024/events/BC-NU/standings").get_json()["groups"][0]["rows"]
    assert [(r["entry"]["ref"], r["won"], r["match_points"]) for r in volley] == [
        ("v2", 2, 2 + 3), ("v1", 1, 1 + 3), ("v3", 0, 0)]


def test_placings(client, festival):
    data = client.get("/api/v1/festivals/vidu-2024/events/BB-DNAM/placings").get_json()
    assert [(p["place"], p["entry"]["ref"], p["medal"]) for p in data] == [
        (1, "e1", "gold"), (2, "e4", "silver"), (3, "e5", "bronze"), (3, "e3", "bronze")]
    recorded = client.get("/api/v1/festivals/vidu-2024/events/CL-DNN/placings").get_json()
    assert recorded[0]["entry"] == {"ref": "m2", "name": "Phạm Minh Dũng / Nguyễn Thị Hải", "unit": "CDC"}


def test_matches(client, festival):
    data = client.get("/api/v1/festivals/vidu-2024/events/BB-DNAM/matches").get_json()
    assert len(data) == 7
    first = data[0]
    assert set(first) >= {"id", "stage", "group", "round", "home", "away", "status", "sets", "outcome",
                          "winner", "version"}
    walkover = next(m for m in data if m["outcome"] == "walkover")
    assert (walkover["winner"], walkover["sets"], walkover["group"]) == ("e3", [], "A")
    final = [m for m in data if m["stage"] == 1 and m["round"] == 2]
    assert len(final) == 1 and final[0]["winner"] == "e1" and final[0]["group"] is None


def test_emulation(client, festival):
    rows = client.get("/api/v1/festivals/vidu-2024/emulation").get_json()
    assert [(r["rank"], r["unit"]["code"], r["total"]) for r in rows] == [
        (1, "PNT", 100), (2, "BVDK", 99.5), (3, "CDC", 99), (4, "BV2", 74)]
    assert rows[1]["criteria"] == {"NV": 76.5, "TT": 20} and rows[1]["bonus"] == 3
    assert rows[3]["criteria"]["TT"] == 0 and rows[3]["penalty"] == 1


@pytest.mark.parametrize("url", [
    "/api/v1/festivals/khong-co/medals",
    "/api/v1/festivals/vidu-2024/events/XX/standings",
    "/api/v1/festivals/vidu-2024/events/XX/placings",
    "/api/v1/festivals/vidu-2024/events/XX/matches",
])
def test_unknown_festival_or_event_is_a_json_404(client, festival, url):
    response = client.get(url)
    assert response.status_code == 404 and response.is_json and "error" in response.get_json()


def _pending_match(db):
    return db.session.scalar(select(Match).where(Match.status != "completed").order_by(Match.id))


def _token(db, role="referee", scopes=None):
    user, _ = create_user(f"u-{role}", role, "mat-khau-123")
    user.scopes = scopes or {}
    token = issue_token(user.username)
    db.session.commit()
    return token


def test_post_result_needs_a_token(client, festival, db):
    match = db.session.scalar(select(Match).order_by(Match.id))
    response = client.post(f"/api/v1/matches/{match.id}/result", json={"sets": []})
    assert response.status_code == 401
    bad = client.post(f"/api/v1/matches/{match.id}/result", json={"sets": []},
                      headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_post_result_out_of_scope_is_403(client, festival, db):
    token = _token(db, scopes={"events": ["BC-NU"]})
    match = db.session.scalar(select(Match).join(Match.event).where(Match.status == "completed")
                              .order_by(Match.id))
    assert match.event.code == "BB-DNAM"
    response = client.post(f"/api/v1/matches/{match.id}/result", json={"sets": [[11, 1]] * 3},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def _knockout_without_final(db):
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["festival"]["slug"] = "vidu-2"
    data["events"][0]["stages"][1]["matches"].pop()  # final not played yet
    festival = import_file(json.dumps(data).encode())
    db.session.commit()
    return db.session.scalar(select(Match).where(Match.status != "completed", Match.event_id == festival.events[0].id,
                                                 Match.round == 2))


def test_post_result_validates_scores_then_records_and_detects_conflicts(client, festival, db):
    final = _knockout_without_final(db)
    assert final is not None and final.version == 1
    token = _token(db)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/matches/{final.id}/result"
    bad = client.post(url, json={"sets": [[11, 9], [11, 10], [11, 5]], "version": 1}, headers=headers)
    assert bad.status_code == 422
    assert any("Ván 2" in e and "11-10" in e for e in bad.get_json()["errors"])
    good = client.post(url, json={"sets": [[11, 9], [11, 7], [11, 5]], "version": 1}, headers=headers)
    assert good.status_code == 200, good.get_json()
    body = good.get_json()
    assert body["status"] == "completed" and body["winner"] == "e1" and body["version"] == 2
    stale = client.post(url, json={"sets": [[9, 11], [7, 11], [5, 11]], "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.get_json()["version"] == 2
    db.session.expire_all()
    assert db.session.get(Match, final.id).winner.ref == "e1"
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "match.result",
                                                       AuditEntry.object_id == final.id))
    assert audit.actor == "u-referee" and audit.after["sets"] == [[11, 9], [11, 7], [11, 5]]
    placings = client.get("/api/v1/festivals/vidu-2/events/BB-DNAM/placings").get_json()
    assert placings[0]["entry"]["ref"] == "e1"


def test_correcting_a_result_needs_a_reason(client, festival, db):
    token = _token(db, role="organiser")
    match = db.session.scalar(select(Match).where(Match.status == "completed").order_by(Match.id))
    url = f"/api/v1/matches/{match.id}/result"
    headers = {"Authorization": f"Bearer {token}"}
    sets = [[s[0], s[1]] for s in match.sets]
    no_reason = client.post(url, json={"sets": sets, "version": match.version}, headers=headers)
    assert no_reason.status_code == 422 and "lý do" in no_reason.get_json()["errors"][0]
    ok = client.post(url, json={"sets": sets, "version": match.version, "reason": "Nhập lại theo biên bản"},
                     headers=headers)
    assert ok.status_code == 200


def test_malformed_body_is_422(client, festival, db):
    token = _token(db)
    match = _pending_match(db) or db.session.scalar(select(Match))
    response = client.post(f"/api/v1/matches/{match.id}/result", json={"sets": "3-0"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and "'sets'" in response.get_json()["errors"][0]

"""An organiser limited to one festival cannot replace another by file, nor take another's referees."""
from __future__ import annotations

import io
import json

from sqlalchemy import select

from sports.importers.festival_file import dumps, export
from sports.models import Festival, User
from tests.conftest import csrf_token, login


def test_scoped_organiser_cannot_replace_or_reassign_elsewhere(client, runner, db, make_user):
    assert runner.invoke(args=["demo"]).exit_code == 0
    demo = db.session.scalar(select(Festival))
    data = json.loads(dumps(export(demo)))
    data["festival"]["name"] = "BỊ THAY THẾ"
    user = make_user("orga", "organiser", "mat-khau-123")
    user.scopes = {"festivals": ["a-2024"]}
    referee = make_user("refb", "referee", "mat-khau-123")
    referee.scopes = {"festivals": ["lamdong-2023"]}
    db.session.add(Festival(slug="a-2024", name="A", settings={}))
    db.session.commit()
    login(client, "orga", "mat-khau-123")
    page = client.get("/admin/import")
    response = client.post("/admin/import", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                                  "file": (io.BytesIO(json.dumps(data).encode()), "f.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    token = csrf_token(client.get("/admin/festivals/a-2024/referees").get_data(as_text=True))
    response = client.post(f"/admin/festivals/a-2024/referees/{referee.id}", data={"csrf_token": token})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(Festival.name).where(Festival.slug == "lamdong-2023")) != "BỊ THAY THẾ"
    assert db.session.get(User, referee.id).scopes == {"festivals": ["lamdong-2023"]}


def test_a_limited_organiser_keeps_the_festival_they_create_but_cannot_choose_the_home_page(client, db, make_user):
    from sports.models import Festival, User
    from tests.conftest import csrf_token, login

    user = make_user("btc-khoi2", "organiser")
    user.scopes = {"festivals": ["khoi-2-2024"]}
    db.session.add(Festival(slug="khoi-2-2024", name="Hội thao khối 2"))
    db.session.commit()
    assert login(client, "btc-khoi2", "mat-khau-123").status_code == 302
    page = client.get("/admin/festivals/new").get_data(as_text=True)
    made = client.post("/admin/festivals/new", data={"csrf_token": csrf_token(page), "slug": "khoi-2-2025",
                                                    "name": "Hội thao khối 2 năm 2025", "medal_mode": "olympic",
                                                    "medal_labels": "medals", "shared_points": "full",
                                                    "tier_first": "1", "tier_second": "1", "tier_third": "1"})
    assert made.status_code == 302, made.get_data(as_text=True)[:500]
    assert client.get("/admin/festivals/khoi-2-2025/").status_code == 200  # not locked out of it
    db.session.expire_all()
    assert db.session.get(User, user.id).scopes["festivals"] == ["khoi-2-2024", "khoi-2-2025"]
    overview = client.get("/admin/festivals/khoi-2-2025/").get_data(as_text=True)
    assert "/current" not in overview  # no button to choose the public home page
    refused = client.post("/admin/festivals/khoi-2-2025/current", data={"csrf_token": csrf_token(overview)})
    assert refused.status_code == 403 and "Trang chủ công khai là của cả hệ thống" in refused.get_data(as_text=True)
    assert not db.session.scalar(select(Festival).where(Festival.slug == "khoi-2-2025")).is_current

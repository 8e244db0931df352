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

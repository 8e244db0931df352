"""Who may open and post what on the result desk (issue 10): every route of the referee
blueprint, the API's result writes, the organiser's audit, login card and token pages, and the
user's own password change, for anonymous, a referee in scope, a referee assigned to another
event, an organiser and an admin. Each refusal is the exact one (login, 401, 403 with a
Vietnamese sentence) and changes nothing; each success really happened.

The routes are taken from ``app.url_map``: a new route on these blueprints (or in the audit and
accounts modules) without an expectation here fails the test.
"""
from __future__ import annotations

import secrets

import pytest
from flask import url_for
from sqlalchemy import func, select

from sports.models import ApiToken, AuditEntry, Event, Festival, Match, ResultSubmission, User
from sports.services.accounts import create_user, issue_token
from sports.services.demo import SLUG, load_demo
from sports.services.results import record_result
from tests.conftest import csrf_token, login

ROLES = ["anonymous", "referee", "outsider", "organiser", "admin"]
PASSWORD = "mat-khau-123"
NEW_PASSWORD = "mat-khau-moi-456"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OUT_OF_SCOPE = "không thuộc sân hay nội dung được phân công cho bạn"
NOT_ALLOWED = "Bạn không có quyền thực hiện thao tác này."
API_OUT_OF_SCOPE = "Bạn không được ghi kết quả trận này"
API_NO_TOKEN = "Cần mã API hợp lệ"

# Outcomes: "login" = 302 to the login page; an int = that status; (status, words) = that status
# with those words in the body. Successes are checked in the database by ``DONE`` below.
LOGIN = "login"
PAGE = {"anonymous": LOGIN, "referee": 200, "outsider": 200, "organiser": 200, "admin": 200}
MATCH_PAGE = {**PAGE, "outsider": (403, OUT_OF_SCOPE)}
MATCH_WRITE = {**PAGE, "referee": 302, "outsider": (403, OUT_OF_SCOPE), "organiser": 302, "admin": 302}
ORGANISER = {"anonymous": LOGIN, "referee": (403, NOT_ALLOWED), "outsider": (403, NOT_ALLOWED),
             "organiser": 200, "admin": 200}

EXPECTED: dict[tuple[str, str], dict] = {
    ("referee.index", "GET"): PAGE,
    ("referee.match_page", "GET"): MATCH_PAGE,
    ("referee.submit", "POST"): MATCH_WRITE,
    ("referee.confirm", "POST"): MATCH_WRITE,
    ("api.post_result", "POST"): {"anonymous": (401, API_NO_TOKEN), "referee": 200,
                                  "outsider": (403, API_OUT_OF_SCOPE), "organiser": 200, "admin": 200},
    ("admin.audit", "GET"): ORGANISER,
    ("admin.audit_xlsx", "GET"): ORGANISER,
    ("admin.event_audit", "GET"): ORGANISER,
    ("admin.event_audit_xlsx", "GET"): ORGANISER,
    ("admin.match_audit", "GET"): ORGANISER,
    ("admin.match_audit_xlsx", "GET"): ORGANISER,
    ("admin.login_cards", "GET"): ORGANISER,
    ("admin.login_cards", "POST"): ORGANISER,
    ("admin.tokens", "GET"): ORGANISER,
    ("admin.tokens", "POST"): {**ORGANISER, "organiser": 201, "admin": 201},
    ("admin.token_revoke", "POST"): {**ORGANISER, "organiser": 302, "admin": 302},
    ("admin.referee_sessions_end", "POST"): {**ORGANISER, "organiser": 302, "admin": 302},
    ("auth.change_password", "GET"): PAGE,
    ("auth.change_password", "POST"): {**PAGE, "referee": 302, "outsider": 302, "organiser": 302, "admin": 302},
}
ISSUE_MODULES = {"sports.web.admin.audit", "sports.web.admin.accounts"}
OTHER_ISSUES = {"auth.login", "auth.logout"}  # the login itself has its own tests (test_auth, test_login_limit)


def issue_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) of this issue, as the app serves them."""
    out = set()
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        module = app.view_functions[rule.endpoint].__module__
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (blueprint == "referee" or (blueprint == "api" and method != "GET")
                    or (blueprint == "admin" and module in ISSUE_MODULES)
                    or (blueprint == "auth" and rule.endpoint not in OTHER_ISSUES)):
                out.add((rule.endpoint, method))
    return out


def test_every_route_of_the_result_desk_has_an_expectation(app):
    assert issue_routes(app) == set(EXPECTED)
    assert all(set(roles) == set(ROLES) for roles in EXPECTED.values())


@pytest.fixture
def world(db):
    """The demo festival with second confirmation on, and the people and objects the routes act on."""
    load_demo()
    festival = db.session.scalar(select(Festival).where(Festival.slug == SLUG))
    festival.needs_confirmation = True
    users = {}
    for role, name, scopes in (("referee", "referee", {"festivals": [SLUG], "events": ["BC-NAM"]}),
                               ("referee", "outsider", {"festivals": [SLUG], "events": ["BC-NU"]}),
                               ("referee", "recorder", {"festivals": [SLUG], "events": ["BC-NAM"]}),
                               ("referee", "carded", {"festivals": [SLUG]}),
                               ("organiser", "organiser", {}), ("admin", "root", {})):
        users[name], _ = create_user(f"tt-{name}", role, PASSWORD, full_name=f"Người thử {name}")
        users[name].scopes = scopes
    users["admin"] = users.pop("root")
    db.session.flush()
    open_matches = list(db.session.scalars(
        select(Match).join(Event).where(Event.code == "BC-NAM", Match.status != "completed").order_by(Match.id)))
    assert len(open_matches) >= 3
    waiting = open_matches[2]
    record_result(waiting, [[25, 21], [25, 19]], actor=users["recorder"])  # waits for a second confirmation
    assert not waiting.confirmed
    tokens = {name: issue_token(users[name].username, "cli", f"Máy của {name}")
              for name in ("referee", "outsider", "organiser", "admin")}
    revocable = issue_token("tt-carded", "cli", "Máy ghi điểm sân 3")
    db.session.commit()
    token_row = db.session.scalar(select(ApiToken).where(ApiToken.name == "Máy ghi điểm sân 3"))
    assert revocable.startswith(token_row.prefix)
    return {"festival": festival, "users": users, "tokens": tokens, "open": open_matches[0],
            "api": open_matches[1], "waiting": waiting, "token_row": token_row}


def snapshot(db) -> dict:
    """What any of these writes could change."""
    db.session.expire_all()
    return {
        "matches": sorted(db.session.execute(select(Match.id, Match.version, Match.status, Match.confirmed)).all()),
        "sets": {m.id: m.sets for m in db.session.scalars(select(Match))},
        "audit": db.session.scalar(select(func.count()).select_from(AuditEntry)),
        "submissions": db.session.scalar(select(func.count()).select_from(ResultSubmission)),
        "tokens": sorted(db.session.execute(select(ApiToken.id, ApiToken.revoked)).all()),
        "users": sorted(db.session.execute(select(User.id, User.password_hash, User.must_change_password)).all()),
        "revision": db.session.scalar(select(Festival.revision)),
    }


def db_match(world, endpoint: str) -> Match:
    """The match a route acts on: a result waiting for confirmation, an open one for the API, else another."""
    return {"referee.confirm": world["waiting"], "api.post_result": world["api"]}.get(endpoint, world["open"])


def _args(endpoint: str, world) -> dict:
    return {"slug": SLUG, "code": "BC-NAM", "match_id": db_match(world, endpoint).id, "token_id": world["token_row"].id,
            "user_id": world["users"]["carded"].id}


def _request(client, app, world, role: str, endpoint: str, method: str, token: str):
    rule = next(r for r in app.url_map.iter_rules(endpoint=endpoint))
    with app.test_request_context():
        url = url_for(endpoint, **{k: v for k, v in _args(endpoint, world).items() if k in rule.arguments})
    if method == "GET":
        return client.get(url)
    match = db_match(world, endpoint)
    if endpoint == "api.post_result":
        headers = {"Authorization": f"Bearer {world['tokens'][role]}"} if role != "anonymous" else {}
        return client.post(url, json={"sets": [[25, 20], [25, 18]], "version": match.version,
                                      "submission_id": secrets.token_urlsafe(12)}, headers=headers)
    data = {"csrf_token": token}
    if endpoint == "referee.submit":
        data |= {"version": str(match.version), "submission_id": secrets.token_urlsafe(12), "outcome": "normal",
                 "s1h": "25", "s1a": "20", "s2h": "25", "s2a": "18", "step": "confirm"}
    elif endpoint == "referee.confirm":
        data |= {"version": str(match.version)}
    elif endpoint == "admin.login_cards":
        data |= {"users": [str(world["users"]["carded"].id)]}
    elif endpoint == "admin.tokens":
        data |= {"user": str(world["users"]["carded"].id), "name": "Máy ghi điểm sân 9"}
    elif endpoint == "auth.change_password":
        data |= {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    return client.post(url, data=data)


def _done(db, world, role: str, endpoint: str, before: dict) -> None:
    """The successful write really happened (and only once)."""
    db.session.expire_all()
    match = db_match(world, endpoint)
    user = None if role == "anonymous" else db.session.get(User, world["users"][role].id)
    if endpoint in ("referee.submit", "api.post_result"):
        assert match.status == "completed" and match.sets == [[25, 20], [25, 18]] and match.recorded_by_id == user.id
        assert match.confirmed == (role in ("organiser", "admin"))  # a referee's result waits for a second one
    elif endpoint == "referee.confirm":
        assert match.confirmed and match.confirmed_by_id == user.id
    elif endpoint == "admin.login_cards":
        assert db.session.get(User, world["users"]["carded"].id).must_change_password
    elif endpoint == "admin.tokens":
        names = db.session.scalars(select(ApiToken.name).where(ApiToken.user_id == world["users"]["carded"].id))
        assert "Máy ghi điểm sân 9" in list(names)
    elif endpoint == "admin.token_revoke":
        assert db.session.get(ApiToken, world["token_row"].id).revoked
    elif endpoint == "auth.change_password":
        assert user.check_password(NEW_PASSWORD)
    elif endpoint == "admin.referee_sessions_end":
        assert db.session.get(User, world["users"]["carded"].id).session_version >= 1  # card resets raise it too
    else:
        raise AssertionError(f"no success check for {endpoint}")
    assert snapshot(db)["audit"] == before["audit"] + 1


def _order(key: tuple[str, str]) -> tuple:
    """Reads first, then the writes; the password change last (it changes what the others log in with)."""
    endpoint, method = key
    return (method != "GET", endpoint == "auth.change_password", endpoint, method)


@pytest.mark.parametrize("role", ROLES)
def test_role(role, app, client, db, world):
    if role != "anonymous":
        assert login(client, world["users"][role].username, PASSWORD).status_code == 302
        token = csrf_token(client.get("/account/password").get_data(as_text=True))
    else:
        token = csrf_token(client.get("/login").get_data(as_text=True))
    seen = []
    for endpoint, method in sorted(EXPECTED, key=_order):
        expected = EXPECTED[(endpoint, method)][role]
        before = snapshot(db)
        response = _request(client, app, world, role, endpoint, method, token)
        where = f"{role} {method} {endpoint}"
        status, words = expected if isinstance(expected, tuple) else (expected, None)
        if status == LOGIN:
            assert response.status_code == 302 and "/login" in response.headers["Location"], where
        else:
            assert response.status_code == status, (where, response.status_code, response.get_data(as_text=True)[:500])
        if words:
            said = response.get_json()["error"] if response.is_json else response.get_data(as_text=True)
            assert words in said, (where, said[:500])
        if endpoint.endswith("_xlsx") and status == 200:
            assert response.mimetype == XLSX and response.data[:2] == b"PK", where
        if method == "POST":
            if status in (LOGIN, 401, 403):
                assert snapshot(db) == before, f"{where}: a refused write changed something"
            else:
                _done(db, world, role, endpoint, before)
        seen.append((endpoint, method))
    assert sorted(seen) == sorted(EXPECTED)

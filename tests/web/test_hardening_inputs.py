"""Regression tests of issue 14, one per crash class measured, each with its input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sports.domain import scoring
from sports.domain.types import Sport
from sports.importers.festival_file import ImportProblems, import_file
from sports.models import AuditEntry, Festival, Match
from sports.services.accounts import create_user, issue_token

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


def small() -> dict:
    return json.loads(SMALL.read_text(encoding="utf-8"))


def refused(raw: bytes) -> list[str]:
    with pytest.raises(ImportProblems) as excinfo:
        import_file(raw)
    return excinfo.value.problems


def test_a_set_above_the_plausible_maximum_is_refused_with_the_reason():
    problem = scoring.set_problem((10**100, 10**100 - 2), 25, None, Sport.VOLLEYBALL)
    assert problem.endswith(f"không thể quá {scoring.MAX_SET_POINTS} điểm")
    assert scoring.set_problem((101, 99), 25, None, Sport.VOLLEYBALL) is not None
    assert scoring.set_problem((40, 38), 25, None, Sport.VOLLEYBALL) is None  # long but real


@pytest.mark.parametrize("key,value", [("points", 100), ("cap", 150), ("best_of", 11)])
def test_a_format_beyond_the_plausible_maximum_is_refused(key, value):
    with pytest.raises(scoring.RuleError):
        scoring.format_for(Sport.TABLE_TENNIS, **{key: value})


@pytest.mark.parametrize("literal,where", [
    ("Infinity", "emulation.bonus_cap"), ("NaN", "emulation.bonus_cap"), ("1e999", "emulation.bonus_cap"),
    ("9" * 4301, "emulation.bonus_cap"), ("2147483648", "emulation.bonus_cap"),
])
def test_non_finite_and_huge_emulation_numbers_are_refused(db, literal, where):
    data = small()
    data["emulation"]["bonus_cap"] = "@@"
    problems = refused(json.dumps(data, ensure_ascii=False).replace('"@@"', literal).encode())
    assert problems[0].startswith(where + ":"), problems
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 0


def test_deep_nesting_is_refused_before_parsing(db):
    problems = refused(b'{"format": "hoithao/1", "festival": ' + b"[" * 1000 + b"]" * 1000 + b"}")
    assert problems == ["(tệp): JSON lồng nhau 1001 cấp, tối đa 16 cấp"]


@pytest.mark.parametrize("path,value,field", [
    (("events", 0, "entries", 0, "seed"), 2**31, "events[0].entries[0].seed"),
    (("events", 0, "placings"), [{"place": 10**12, "entry": "e1"}], "events[0].placings[0].place"),
    (("emulation", "year"), 99999, "emulation.year"),
    (("festival", "organiser"), "Sở " * 200, "festival.organiser"),
    (("festival", "place"), "\u0000Lâm Đồng", "festival.place"),
    (("units", 0, "short_name"), "x" * 121, "units[0].short_name"),
    (("events", 0, "stages", 0, "matches", 0, "sets", 0), [11, False], "events[0].stages[0].matches[0].sets[0][1]"),
])
def test_values_beyond_their_columns_are_refused_with_the_field(db, path, value, field):
    data = small()
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    problems = refused(json.dumps(data, ensure_ascii=False).encode())
    assert any(p.startswith(field + ":") for p in problems), problems
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 0


def test_a_lone_surrogate_is_refused(db):
    raw = SMALL.read_bytes().replace("Lâm Đồng".encode(), b"\\ud800", 1)
    problems = refused(raw)
    assert problems and "\\ud800" in problems[0] and problems[0].startswith("festival.organiser:")


# ---------------------------------------------------------------------------------- the API

@pytest.fixture
def api(db, client):
    data = small()
    data["events"][0]["stages"][0]["matches"].pop()
    import_file(json.dumps(data).encode())
    user, _ = create_user("thiet-bi", "organiser", "mat-khau-123")
    token = issue_token(user.username)
    db.session.commit()
    match = db.session.scalar(select(Match).where(Match.status != "completed").order_by(Match.id))

    def post(body, raw: bytes | None = None):
        return client.post(f"/api/v1/matches/{match.id}/result", data=raw if raw is not None else json.dumps(body),
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return match, post


def _nothing_stored(db, match_id: int) -> None:
    db.session.expire_all()
    assert db.session.get(Match, match_id).status != "completed"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "match.result")) == 0


@pytest.mark.parametrize("body,located", [
    ({"sets": [[11, False], [11, 3], [11, 4]]}, "sets[0][1]:"),
    ({"sets": [[11.0, 3], [11, 3], [11, 4]]}, "sets[0][0]:"),
    ({"sets": [[10**100, 10**100 - 2]] * 3}, "sets[0][0]:"),  # the parser refuses it before any rule
    ({"sets": [[11, 3]] * 3, "winner": ["e1"]}, "'winner':"),
    ({"sets": [[11, 3]] * 3, "winner": {"ref": "e1"}}, "'winner':"),
    ({"sets": [[11, 3]] * 3, "reason": "\ud800"}, "reason:"),
    ({"sets": [[11, 3]] * 3, "reason": "a\u0000b"}, "reason:"),
    ({"sets": [[11, 3]] * 3, "version": True}, "'version':"),
    ({"sets": [[11, 3]] * 3, "version": 2**31}, "version:"),
    ({"sets": [[11, 3]] * 3, "outcome": ["normal"]}, "'outcome':"),
    ({"sets": [[11, 3]] * 3, "reason": "x" * 501}, "'reason':"),
    ({"sets": [[11, 3]] * 3, "set": []}, "'set':"),
])
def test_hostile_result_bodies_are_refused_with_the_field(db, api, body, located):
    match, post = api
    text = json.dumps(body, ensure_ascii=True)
    if "10000000000" in text:
        answer = post(None, raw=text.encode())
    else:
        answer = post(body)
    assert answer.status_code == 422, answer.get_json()
    errors = answer.get_json()["errors"]
    assert any(e.startswith(located) or located in e for e in errors), errors
    _nothing_stored(db, match.id)


def test_a_set_of_99_plus_is_refused_by_the_sport_rule(db, api):
    match, post = api
    answer = post({"sets": [[120, 118], [11, 3], [11, 4]]})
    assert answer.status_code == 422
    assert any("không thể quá 99 điểm" in e for e in answer.get_json()["errors"])
    _nothing_stored(db, match.id)


def test_a_five_megabyte_reason_is_refused_unread(db, api):
    match, post = api
    answer = post({"sets": [[11, 3]] * 3, "reason": "x" * 5_000_000})
    assert answer.status_code == 413 and "quá lớn" in answer.get_json()["errors"][0]
    _nothing_stored(db, match.id)


def test_a_match_id_beyond_the_column_is_a_404(client, db, api):
    _match, _post = api
    assert client.post(f"/api/v1/matches/{2**31}/result", json={}).status_code == 404
    assert client.get(f"/api/v1/matches/{10**30}/result").status_code in (404, 405)

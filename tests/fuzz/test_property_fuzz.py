"""Property-based fuzzing (hypothesis) of the two documents the outside world sends: a result
body to the API and a festival file to the importer. Any JSON value — nested, huge, non-finite,
with NUL or lone surrogates — put anywhere in a valid document is either accepted sensibly or
refused with a located message, never a 500, and a refusal stores nothing. Both databases;
a bounded, reproducible number of examples (``derandomize``), so it runs in ``make test``."""
from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sports.importers.festival_file import ImportProblems, import_file
from sports.models import AuditEntry, Festival, Match
from tests.fuzz.hostile import paths
from tests.fuzz.test_hardening_fuzz import API_LOCATED, LOCATED, SMALL, _valid_body, scoring_setup  # noqa: F401

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(["\x00", "\ud800", "\udfff", "Đ", "ậ", "a", "=", "<"]), max_size=20),
    st.integers(min_value=300, max_value=6000).map(lambda n: "ư" * n),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**100, -(10**400), 2**31, -(2**31) - 1, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)


def dumps(document) -> bytes:
    """JSON text as a hostile client would send it: NaN/Infinity written out, surrogates escaped."""
    return json.dumps(document, allow_nan=True).encode("utf-8")


def put(document, path: tuple, value):
    data = json.loads(json.dumps(document))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def _counts(db) -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(t)) for t in (Festival, Match, AuditEntry))


@FUZZ
@given(data=st.data())
def test_any_value_anywhere_in_a_result_body(ctx, db, client, scoring_setup, data):  # noqa: F811
    _, match, token = scoring_setup
    body = _valid_body(match)
    body.pop("submission_id")  # every example is a new submission
    path = data.draw(st.sampled_from(list(paths(body))), label="where")
    value = data.draw(values, label="value")
    before = _counts(db)
    answer = client.post(f"/api/v1/matches/{match.id}/result", data=dumps(put(body, path, value)),
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert answer.status_code in (200, 409, 413, 422), (path, value, answer.status_code)
    reply = answer.get_json()
    assert isinstance(reply, dict)
    db.session.expire_all()
    stored = db.session.get(Match, match.id)
    if answer.status_code == 200:
        # Accepted means sane: whole points within the sport's bounds, and the row re-opened for the next example.
        assert all(type(x) is int and 0 <= x <= 99 for s in stored.sets for x in s), (path, value, stored.sets)
        stored.sets, stored.status, stored.winner_entry_id, stored.outcome = [], "scheduled", None, "normal"
        db.session.commit()
        return
    messages = reply.get("errors") or [reply.get("error")]
    assert messages and all(isinstance(m, str) and m for m in messages)
    if answer.status_code == 422:
        assert all(API_LOCATED.match(m) for m in messages), messages
    assert _counts(db) == before and stored.status != "completed", (path, value)


FILE_FUZZ = settings(FUZZ, max_examples=60)


@FILE_FUZZ
@given(data=st.data())
def test_any_value_anywhere_in_a_festival_file(ctx, db, data):
    document = json.loads(SMALL.read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from(list(paths(document))), label="where")
    value = data.draw(values, label="value")
    raw = dumps(put(document, path, value))
    try:
        festival = import_file(raw)
        db.session.commit()
    except ImportProblems as exc:
        db.session.rollback()
        assert exc.problems and all(LOCATED.match(p) and len(p) < 1000 for p in exc.problems), exc.problems[:3]
        assert _counts(db) == (0, 0, 0)
        return
    # Accepted: nothing non-finite or NUL can have reached the database.
    from tests.conftest import _empty_all_tables

    assert festival.name and "\x00" not in festival.name
    for number in (festival.revision, festival.epoch):
        assert isinstance(number, int) and not (isinstance(number, float) and math.isnan(number))
    _empty_all_tables()
    db.session.expunge_all()

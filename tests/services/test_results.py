"""Recording results: validation, optimistic locking across sessions, audit, revision."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sports.importers.festival_file import import_file
from sports.models import AuditEntry, Festival, Match
from sports.services.errors import ConflictError, RuleError
from sports.services.results import record_result

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


@pytest.fixture
def pending(db):
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["events"][0]["stages"][1]["matches"].pop()  # the final is still to be played
    import_file(json.dumps(data).encode())
    db.session.commit()
    return db.session.scalar(select(Match).where(Match.status == "scheduled", Match.round == 2))


def test_a_result_is_stored_audited_and_bumps_the_revision(db, pending):
    festival = db.session.scalar(select(Festival))
    revision = festival.revision
    record_result(pending, [[11, 9], [11, 7], [11, 5]], expected_version=1)
    db.session.commit()
    assert (pending.status, pending.version, pending.winner.ref) == ("completed", 2, "e1")
    assert festival.revision == revision + 1
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "match.result"))
    assert audit.before["status"] == "scheduled" and audit.after["sets"] == [[11, 9], [11, 7], [11, 5]]


def test_an_impossible_score_changes_nothing(db, pending):
    with pytest.raises(RuleError) as exc:
        record_result(pending, [[11, 9], [11, 10]], expected_version=1)
    assert any("Ván 2: 11-10" in m for m in exc.value.messages)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Match, pending.id).status == "scheduled"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "match.result")) is None


def test_a_second_referee_with_a_stale_page_gets_a_conflict(db, pending):
    """Two sessions (two referees, or two app workers) load version 1; the second write loses."""
    match_id = pending.id
    with Session(db.engine) as other:
        theirs = other.get(Match, match_id)
        theirs.sets, theirs.status, theirs.winner_entry_id = [[11, 1]] * 3, "completed", theirs.home_entry_id
        other.commit()
    # Our copy still says version 1: the explicit check passes, the UPDATE … WHERE version = 1 does not.
    assert pending.version == 1
    with pytest.raises(ConflictError):
        record_result(pending, [[1, 11]] * 3, expected_version=1)
    db.session.rollback()
    stored = db.session.get(Match, match_id)
    assert stored.version == 2 and stored.sets == [[11, 1]] * 3


def test_a_stale_version_is_refused_before_writing(db, pending):
    with pytest.raises(ConflictError) as exc:
        record_result(pending, [[11, 9], [11, 7], [11, 5]], expected_version=7)
    assert exc.value.current_version == 1 and "phiên bản" in exc.value.message

"""Knockout results move winners on, create the next rows, and corrections never change played pairings."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sports.importers.festival_file import import_file
from sports.models import Match
from sports.services.errors import RuleError
from sports.services.results import record_result

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


def _festival(db, played: int, third_place: str = "shared"):
    """The example table tennis knockout with only the first `played` knockout matches recorded."""
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    event = data["events"][0]
    event["third_place"] = third_place
    event["stages"] = [{"type": "knockout", "draw": ["e1", "e5", "e4", "e3"],
                        "matches": event["stages"][1]["matches"][:played]}]
    festival = import_file(json.dumps(data).encode())
    db.session.commit()
    return festival.events[0]


def _rows(event):
    return {(m.round, m.position, m.is_playoff): m for m in event.stages[0].matches}


def test_a_semi_final_result_creates_the_final_row(db):
    event = _festival(db, played=1)
    assert set(_rows(event)) == {(1, 0, False), (1, 1, False)}
    semi = _rows(event)[(1, 1, False)]
    record_result(semi, [[11, 7], [11, 9], [11, 8]], expected_version=1)  # e4 beats e3
    db.session.commit()
    final = _rows(event)[(2, 0, False)]
    assert (final.home.ref, final.away.ref, final.status) == ("e1", "e4", "scheduled")


def test_a_play_off_row_appears_when_both_semi_finals_are_decided(db):
    event = _festival(db, played=2, third_place="playoff")
    playoff = _rows(event)[(2, 1, True)]
    assert {playoff.home.ref, playoff.away.ref} == {"e5", "e3"}


def test_correcting_a_semi_final_updates_an_unplayed_final(db):
    event = _festival(db, played=2)
    semi = _rows(event)[(1, 1, False)]
    record_result(semi, [[3, 11], [3, 11], [3, 11]], expected_version=semi.version,
                  reason="Biên bản ghi nhầm bên thắng")
    db.session.commit()
    final = _rows(event)[(2, 0, False)]
    assert {final.home.ref, final.away.ref} == {"e1", "e3"}


def test_correcting_a_semi_final_after_the_final_was_played_is_refused(db):
    event = _festival(db, played=3)
    semi = _rows(event)[(1, 1, False)]
    before = (list(semi.sets), semi.winner_entry_id, semi.version)
    with pytest.raises(RuleError) as exc:
        record_result(semi, [[3, 11], [3, 11], [3, 11]], expected_version=semi.version,
                      reason="Biên bản ghi nhầm bên thắng")
    assert "làm thay đổi cặp đấu vòng 2" in exc.value.messages[0]
    assert "Đoàn Hoàng Anh – Phạm Minh Dũng" in exc.value.messages[0]
    db.session.rollback()
    semi = db.session.get(Match, semi.id)
    assert (list(semi.sets), semi.winner_entry_id, semi.version) == before


def test_the_same_winner_with_a_corrected_score_is_allowed(db):
    event = _festival(db, played=3)
    semi = _rows(event)[(1, 1, False)]
    record_result(semi, [[11, 7], [11, 9], [11, 8]], expected_version=semi.version, reason="Sửa tỉ số ván")
    db.session.commit()
    assert semi.sets == [[11, 7], [11, 9], [11, 8]]


def test_a_knockout_match_needs_a_winner(db):
    event = _festival(db, played=1)
    semi = _rows(event)[(1, 1, False)]
    with pytest.raises(RuleError) as exc:
        record_result(semi, [], "double_walkover", expected_version=1)
    assert "phải có bên thắng" in exc.value.messages[0]
    db.session.rollback()
    assert db.session.scalar(select(Match).where(Match.id == semi.id)).status == "scheduled"

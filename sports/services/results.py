"""Recording match results: validate with the domain, lock optimistically, audit, bump the revision."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

from sqlalchemy.orm.exc import StaleDataError

from sports.domain import scoring
from sports.domain.types import MatchResult, RuleError, Sport
from sports.extensions import db
from sports.models import Match
from sports.services import audit, bracket
from sports.services.rankings import event_format
from sports.services.errors import ConflictError


def match_snapshot(match: Match) -> dict:
    return {"sets": [list(s) for s in (match.sets or [])], "outcome": match.outcome,
            "winner": match.winner_entry_id, "status": match.status}


def apply_result(match: Match, result: MatchResult) -> None:
    """Write a validated result (entry keys are entry ids as strings) onto its row."""
    match.sets = [list(s) for s in result.sets]
    match.outcome = result.outcome.value
    match.winner_entry_id = int(result.winner) if result.winner is not None else None
    match.status = "completed"


def record_result(match: Match, sets: Sequence[Sequence[int]], outcome: str = "normal",
                  winner_entry_id: int | None = None, *, expected_version: int | None = None,
                  reason: str = "", actor=None) -> Match:
    """Validate and store a result. RuleError for an impossible score, ConflictError when stale."""
    if expected_version is not None and expected_version != match.version:
        raise ConflictError(
            "Trận đấu đã được người khác cập nhật (phiên bản %d, bạn gửi phiên bản %d). "
            "Hãy tải lại để xem kết quả hiện tại." % (match.version, expected_version),
            current_version=match.version,
        )
    if match.home_entry_id is None or match.away_entry_id is None:
        raise RuleError("Trận đấu chưa xác định đủ hai đội/vận động viên.")
    if match.status == "completed" and not reason.strip():
        raise RuleError("Trận đấu đã có kết quả: sửa kết quả cần ghi lý do.")
    event = match.event
    home, away = str(match.home_entry_id), str(match.away_entry_id)
    winner = str(winner_entry_id) if winner_entry_id is not None else None
    # The domain refuses an unknown outcome or a winner outside the pair, with its own message.
    result = scoring.record_result(Sport(event.sport), event_format(event), home, away,
                                   [tuple(s) for s in sets], outcome, winner)
    knockout = match.stage.type == "knockout"
    if knockout:
        if result.winner is None and not match.is_playoff:
            raise RuleError("Trận loại trực tiếp phải có bên thắng để đi tiếp.")
        conflicts = bracket.correction_conflicts(match, int(result.winner) if result.winner else None)
        if conflicts:
            raise RuleError(conflicts)
    before = match_snapshot(match)
    apply_result(match, result)
    match.updated_at = datetime.now(timezone.utc)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError("Trận đấu vừa được người khác cập nhật. Hãy tải lại trang.") from None
    if knockout:
        bracket.sync_knockout(match.stage)  # the winner moves on; a play-off appears when due
    event.festival.bump()
    audit.record("match.result", match, before=before, after=match_snapshot(match), reason=reason,
                 festival_id=event.festival_id, actor=actor)
    return match

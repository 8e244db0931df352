"""Recording match results: validate with the domain, lock optimistically, audit, bump the revision.

Every path that records a result (referee pages, organiser corrections, the JSON API, the
importer's checks) goes through :func:`record_result`:

* a stale version is a :class:`ConflictError` that always carries the current version;
* a submission id (generated on the phone) makes a retried submit a success, recorded once;
* with the festival's second confirmation, a referee's result waits ("chờ xác nhận") until an
  organiser or another referee confirms it (:func:`confirm_result`);
* a corrected knockout winner that changes later pairings which already have results is
  refused, naming them, unless the organiser confirmed voiding them (``void_later``): their
  results are then voided (kept in the audit trail) and the pairings updated, all in the
  caller's one transaction.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from sports.domain import scoring
from sports.domain.types import MatchResult, RuleError, Sport
from sports.extensions import db
from sports.models import Match, ResultSubmission, User
from sports.services import audit, bracket
from sports.services.draws import follow_group_change, group_change_preview
from sports.services.errors import ConflictError
from sports.services.rankings import event_format

MAX_SUBMISSION_KEY = 64


def match_snapshot(match: Match) -> dict:
    return {"sets": [list(s) for s in (match.sets or [])], "outcome": match.outcome,
            "winner": match.winner_entry_id, "status": match.status, "confirmed": match.confirmed}


def apply_result(match: Match, result: MatchResult) -> None:
    """Write a validated result (entry keys are entry ids as strings) onto its row."""
    match.sets = [list(s) for s in result.sets]
    match.outcome = result.outcome.value
    match.winner_entry_id = int(result.winner) if result.winner is not None else None
    match.status = "completed"


def check_result(match: Match, sets: Sequence[Sequence[int]], outcome: str = "normal",
                 winner_entry_id: int | None = None) -> MatchResult:
    """The domain's validation of a result for this match, without writing anything."""
    if match.home_entry_id is None or match.away_entry_id is None:
        raise RuleError("Trận đấu chưa xác định đủ hai đội/vận động viên.")
    event = match.event
    home, away = str(match.home_entry_id), str(match.away_entry_id)
    winner = str(winner_entry_id) if winner_entry_id is not None else None
    try:
        return scoring.record_result(Sport(event.sport), event_format(event), home, away,
                                     [tuple(s) for s in sets], outcome, winner)
    except RuleError as exc:
        # The rules name the sides by their keys; a person reads their names.
        names = {f"“{home}”": f"“{match.home.display_name}”", f"“{away}”": f"“{match.away.display_name}”"}
        if winner is not None and winner not in (home, away):
            names[f"“{winner}”"] = "“?”"
        raise RuleError([_named(m, names) for m in exc.messages]) from None


def _named(message: str, names: dict[str, str]) -> str:
    for quoted, name in names.items():
        message = message.replace(quoted, name)
    return message


def describe(match: Match, result: MatchResult | None = None) -> str:
    """The match's (or a candidate) result in words: "Đội A thắng 2-1: 21-15, 18-21, 21-19."."""
    if result is None:
        from sports.services.rankings import match_result

        result = match_result(match)
        if result is None:
            return "Chưa có kết quả."
    names = {str(match.home_entry_id): match.home.display_name if match.home else "?",
             str(match.away_entry_id): match.away.display_name if match.away else "?"}
    return scoring.result_sentence(result, names)


def already_recorded(key: str | None, match: Match) -> bool:
    """True when this submission id was already stored for this match (a retry)."""
    return _submitted(key, match) is not None


def _submitted(key: str | None, match: Match) -> ResultSubmission | None:
    if not key:
        return None
    row = db.session.scalar(select(ResultSubmission).where(ResultSubmission.key == key))
    if row is not None and row.match_id != match.id:
        raise RuleError("Mã lần gửi này đã dùng cho một trận khác; hãy tải lại trang rồi gửi lại.")
    return row


def _needs_confirmation(match: Match, user: User | None) -> bool:
    return bool(match.event.festival.needs_confirmation) and (user is None or not user.has_role("organiser"))


def _actor_user(actor) -> User | None:
    if isinstance(actor, User):
        return actor
    return audit._current_user()


def requalified(match: Match, result: MatchResult) -> list[str]:
    """For the confirmation step of a group correction: the knockout places the corrected
    result would give to another entry (or why it would be refused); nothing is kept."""
    if match.stage.type == "knockout" or match.status != "completed":
        return []
    return group_change_preview(match.event, lambda: apply_result(match, result))


def later_results(match: Match, new_winner_id: int | None) -> list[Match]:
    """Later knockout matches with results whose pairing a changed winner would change."""
    return bracket.affected_rows(match, new_winner_id)


def record_result(match: Match, sets: Sequence[Sequence[int]], outcome: str = "normal",
                  winner_entry_id: int | None = None, *, expected_version: int | None = None,
                  reason: str = "", actor=None, submission_id: str | None = None,
                  void_later: bool = False) -> Match:
    """Validate and store a result. RuleError for an impossible score, ConflictError when stale."""
    if submission_id is not None and (not isinstance(submission_id, str) or not 8 <= len(submission_id) <= MAX_SUBMISSION_KEY):
        raise RuleError("Mã lần gửi không hợp lệ (8–64 ký tự).")
    if _submitted(submission_id, match) is not None:
        db.session.refresh(match)  # loaded before that first attempt committed, maybe
        return match  # a retry of a submission already stored: the same success, nothing new
    if expected_version is not None and expected_version != match.version:
        raise ConflictError(
            "Trận đấu đã được người khác cập nhật (phiên bản %d, bạn gửi phiên bản %d). "
            "Hãy tải lại để xem kết quả hiện tại." % (match.version, expected_version),
            current_version=match.version,
        )
    if match.status == "completed" and not reason.strip():
        raise RuleError("Trận đấu đã có kết quả: sửa kết quả cần ghi lý do.")
    if len(reason) > 500:
        raise RuleError("Lý do tối đa 500 ký tự.")
    result = check_result(match, sets, outcome, winner_entry_id)
    user = _actor_user(actor)
    knockout = match.stage.type == "knockout"
    voided: list[Match] = []
    if knockout:
        if result.winner is None and not match.is_playoff:
            raise RuleError("Trận loại trực tiếp phải có bên thắng để đi tiếp.")
        new_winner = int(result.winner) if result.winner else None
        if void_later:
            voided = later_results(match, new_winner)
        else:
            conflicts = bracket.correction_conflicts(match, new_winner)
            if conflicts:
                raise RuleError(conflicts)
    before = match_snapshot(match)
    now = datetime.now(timezone.utc)
    waits = _needs_confirmation(match, user)  # loaded before the row changes (no autoflush below)
    event = match.event
    for later in sorted(voided, key=lambda m: (-m.round, m.is_playoff)):
        void_result(later, reason=f"Hủy do sửa kết quả trận {match.event.code} #{match.id}: {reason}".strip(),
                    actor=actor)
    apply_result(match, result)
    match.updated_at = now
    match.recorded_at = now
    match.recorded_by_id = user.id if user else None
    match.confirmed = not waits
    match.confirmed_by_id = None if waits else (user.id if user else None)
    match.confirmed_at = None if waits else now
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        current = db.session.get(Match, match.id)
        if current is not None and _submitted(submission_id, current) is not None:
            # A retry that raced its own first attempt (the phone resent before the answer came):
            # that attempt is the recorded one, so this is the same success, not someone else's.
            return current
        raise ConflictError("Trận đấu vừa được người khác cập nhật. Hãy tải lại trang.",
                            current_version=current.version if current else None) from None
    if submission_id:
        try:
            with db.session.begin_nested():
                db.session.add(ResultSubmission(key=submission_id, match_id=match.id,
                                                user_id=user.id if user else None, version=match.version))
        except IntegrityError:
            # The same submission raced in through another request: that one is the recorded one.
            db.session.rollback()
            return db.session.get(Match, match.id)
    if knockout:
        bracket.sync_knockout(match.stage)  # the winner moves on; a play-off appears when due
        if voided:
            bracket.refresh_open_rows(match.stage)
    elif before["status"] == "completed":
        follow_group_change(event, actor)  # a corrected group result may change who went through
    event.festival.bump(event)
    audit.record("match.result", match, before=before, after=match_snapshot(match), reason=reason,
                 festival_id=event.festival_id, actor=actor)
    return match


def void_result(match: Match, *, reason: str, actor=None) -> None:
    """Take a result off a match (its row stays, the audit trail keeps what it was)."""
    before = match_snapshot(match)
    match.sets, match.outcome, match.winner_entry_id, match.status = [], "normal", None, "scheduled"
    match.confirmed, match.confirmed_by_id, match.confirmed_at = True, None, None
    match.recorded_by_id, match.recorded_at = None, None
    db.session.flush()
    audit.record("match.void", match, before=before, after=match_snapshot(match), reason=reason,
                 festival_id=match.event.festival_id, actor=actor)
    if match.stage.type != "knockout":
        follow_group_change(match.event, actor)


def confirm_result(match: Match, *, actor, expected_version: int | None = None) -> Match:
    """The second confirmation of a referee's result: an organiser, or another referee."""
    user = _actor_user(actor)
    if match.status != "completed":
        raise RuleError("Trận chưa có kết quả để xác nhận.")
    if match.confirmed:
        raise RuleError("Kết quả trận này đã được xác nhận.")
    if expected_version is not None and expected_version != match.version:
        raise ConflictError("Kết quả đã thay đổi từ lúc bạn xem. Hãy xem lại trước khi xác nhận.",
                            current_version=match.version)
    if user is None:
        raise RuleError("Cần đăng nhập để xác nhận kết quả.")
    if not user.has_role("organiser") and user.id == match.recorded_by_id:
        raise RuleError("Người ghi kết quả không tự xác nhận được: cần ban tổ chức hoặc một trọng tài khác.")
    before = match_snapshot(match)
    match.confirmed, match.confirmed_by_id = True, user.id
    match.confirmed_at = datetime.now(timezone.utc)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        current = db.session.get(Match, match.id)
        raise ConflictError("Kết quả vừa được người khác cập nhật.", current_version=current.version if current else None) from None
    match.event.festival.bump(match.event)
    audit.record("match.confirm", match, before=before, after=match_snapshot(match),
                 festival_id=match.event.festival_id, actor=actor)
    return match

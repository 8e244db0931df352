"""The result desk on a phone: my matches, score entry with a confirmation step, the second
confirmation, and organisers' corrections. Every write goes through services.results.

A result is entered in two steps (enter → confirm in words), both as plain forms so the page
works without JavaScript; with JavaScript the check happens on the phone and a confirmed
submission is queued in the browser when the connection is down, then sent once (its
``submission_id`` makes a retry a success, recorded once).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sports.domain.scoring import set_word
from sports.domain.types import Outcome
from sports.extensions import db
from sports.models import Match
from sports.services import desk as desk_service
from sports.services import results
from sports.services.errors import ConflictError, RuleError
from sports.services.permissions import may_record
from sports.services.schedule import local, local_from_utc
from sports.web.access import require_role
from sports.web.fields import small_int

bp = Blueprint("referee", __name__)
bp.before_request(require_role("referee", "organiser"))

OUT_OF_SCOPE = "Trận này không thuộc sân hay nội dung được phân công cho bạn: bạn không xem và không ghi được kết quả của trận."
OUTCOMES = [
    ("normal", "Thi đấu bình thường"),
    ("walkover", "Bỏ cuộc / không đến (w.o.)"),
    ("retired", "Bỏ dở giữa trận (ret.) — giữ tỉ số đã đấu"),
    ("disqualified", "Truất quyền thi đấu"),
    ("double_walkover", "Cả hai bên không đến"),
]


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.headers.get("X-Requested-With") == "fetch"


def _match(match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None:
        abort(404)
    if not may_record(current_user, match):
        if wants_json():
            response = jsonify(error=OUT_OF_SCOPE)
            response.status_code = 403
            abort(response)
        abort(403, description=OUT_OF_SCOPE)
    return match


@dataclass
class Entered:
    sets: list[list[int]]
    outcome: str
    winner_id: int | None
    version: int | None
    submission_id: str
    reason: str
    void_later: bool
    problems: list[str]
    raw: dict[str, str]


def _parse(match: Match) -> Entered:
    form = request.form
    problems: list[str] = []
    sets: list[list[int]] = []
    raw = {k: v[:20] for k, v in form.items() if k.startswith("s")}
    word = set_word(match.event.sport)
    for i in range(1, match.event.best_of + 1):
        a, b = form.get(f"s{i}h", "").strip(), form.get(f"s{i}a", "").strip()
        if not a and not b:
            continue
        home, away = small_int(a, 3), small_int(b, 3)
        if home is None or away is None:
            problems.append(f"{word} {i}: ghi điểm của cả hai bên bằng số (ví dụ 21 và 15).")
            continue
        sets.append([home, away])
    outcome = form.get("outcome", "normal")
    if outcome not in {o.value for o in Outcome}:
        problems.append("Chọn kết quả: thi đấu bình thường, bỏ cuộc, bỏ dở, truất quyền hoặc cả hai bên không đến.")
    # The winner is chosen only when the sets do not say it (walkover, retired, disqualified):
    # for a match played out, the radio still marked from the result being corrected must not
    # contradict the new sets.
    side = form.get("winner", "") if outcome != "normal" else ""
    winner_id = {"home": match.home_entry_id, "away": match.away_entry_id}.get(side)
    version = form.get("version", "")
    submission = form.get("submission_id", "")[:64]
    return Entered(sets, outcome, winner_id, small_int(version),
                   submission, form.get("reason", "")[:600].strip(), form.get("void_later") == "1", problems, raw)


def _form_context(match: Match, entered: Entered | None = None, problems=(), status=200, **extra):
    return render_template("referee/match.html", match=match, entered=entered, problems=list(problems),
                           outcomes=OUTCOMES, submission_id=(entered.submission_id if entered and entered.submission_id
                                                             else secrets.token_urlsafe(16)),
                           sentence=results.describe(match) if match.status == "completed" else None,
                           local=local, word=set_word(match.event.sport), **extra), status


@bp.route("/")
def index():
    d = desk_service.desk(current_user)
    return render_template("referee/index.html", desk=d, local=local, describe=results.describe)


@bp.route("/matches/<int:match_id>", methods=["GET"])
def match_page(match_id: int):
    return _form_context(_match(match_id))


@bp.route("/matches/<int:match_id>", methods=["POST"])
def submit(match_id: int):
    match = _match(match_id)
    entered = _parse(match)
    if request.form.get("step") == "edit":
        return _form_context(match, entered)
    try:
        if entered.submission_id and results.already_recorded(entered.submission_id, match):
            db.session.refresh(match)  # this page's copy may predate the first attempt's commit
            return _done(match)  # a retry after a lost answer: the same success, recorded once
    except RuleError as exc:
        return _refuse(match, entered, exc.messages, 422)
    if entered.version is not None and entered.version != match.version:
        return _conflict(match_id, entered)  # someone recorded or changed it since this page was loaded
    correcting = match.status == "completed"
    if correcting and not current_user.has_role("organiser"):
        return _refuse(match, entered, [_("Trận đã có kết quả: chỉ ban tổ chức sửa được kết quả (ghi rõ lý do).")], 403)
    if entered.problems:
        return _refuse(match, entered, entered.problems, 422)
    try:
        checked = results.check_result(match, entered.sets, entered.outcome, entered.winner_id)
    except RuleError as exc:
        return _refuse(match, entered, exc.messages, 422)
    if correcting and not entered.reason:
        return _refuse(match, entered, [_("Sửa kết quả cần ghi lý do.")], 422)
    affected = results.later_results(match, int(checked.winner) if checked.winner else None) \
        if correcting and match.stage.type == "knockout" else []
    if request.form.get("step") != "confirm" or (affected and not entered.void_later):
        # The confirmation step: the result in words (and, for a correction, what it changes).
        try:
            moved = results.requalified(match, checked) if correcting else []
        except RuleError as exc:
            return _refuse(match, entered, exc.messages, 422)
        if wants_json():
            return jsonify(check=results.describe(match, checked), affected=[_label(m) for m in affected],
                           requalified=moved), 200
        return render_template("referee/confirm.html", match=match, entered=entered, checked=checked,
                               sentence=results.describe(match, checked), affected=affected, label=_label,
                               requalified=moved,
                               outcome_label=dict(OUTCOMES)[entered.outcome])
    try:
        results.record_result(match, entered.sets, entered.outcome, entered.winner_id,
                              expected_version=entered.version, reason=entered.reason,
                              actor=current_user, submission_id=entered.submission_id or None,
                              void_later=entered.void_later)
    except ConflictError:
        db.session.rollback()
        return _conflict(match_id, entered)
    except RuleError as exc:
        return _refuse(match, entered, exc.messages, 422)
    db.session.commit()
    return _done(db.session.get(Match, match_id))


def _done(stored: Match):
    message = _("Đã ghi kết quả: %(s)s", s=results.describe(stored))
    if not stored.confirmed:
        message += " " + _("(chờ xác nhận)")
    following = desk_service.next_match(current_user, stored)
    if wants_json():
        return jsonify(ok=True, message=message, version=stored.version, confirmed=stored.confirmed,
                       next=url_for("referee.match_page", match_id=following.id) if following else None)
    flash(message, "info")
    if following is not None:
        return redirect(url_for("referee.match_page", match_id=following.id))
    return redirect(url_for("referee.index"))


def _label(m: Match) -> str:
    from sports.services.bracket import rounds_of
    from sports.services.draws import match_sides, round_name

    home, away = match_sides([m])[m.id]
    rounds = max(rounds_of(m.stage), m.round)
    name = "Tranh hạng Ba" if m.is_playoff else round_name(m.round, rounds) if m.stage.type == "knockout" else f"Vòng {m.round}"
    return f"{name}: {home} – {away} ({results.describe(m)})"


def _refuse(match: Match, entered: Entered, problems: list[str], status: int):
    db.session.rollback()
    if wants_json():
        return jsonify(errors=problems), status
    return _form_context(match, entered, problems, status)


def _conflict(match_id: int, entered: Entered):
    current = db.session.get(Match, match_id)
    who = current.recorded_by.full_name or current.recorded_by.username if current.recorded_by else None
    when = local_from_utc(current.recorded_at).strftime("%H:%M %d/%m/%Y") if current.recorded_at else None
    recorded = results.describe(current) if current.status == "completed" else None
    if wants_json():
        return jsonify(conflict=True, version=current.version, recorded=recorded, by=who, at=when,
                       error=_("Trận đã được người khác cập nhật; kết quả của bạn chưa được ghi.")), 409
    return render_template("referee/conflict.html", match=current, entered=entered, recorded=recorded,
                           who=who, when=when), 409


@bp.route("/matches/<int:match_id>/confirm", methods=["POST"])
def confirm(match_id: int):
    match = _match(match_id)
    version = request.form.get("version", "")
    try:
        results.confirm_result(match, actor=current_user,
                               expected_version=small_int(version))
    except ConflictError:
        db.session.rollback()
        flash(_("Kết quả vừa thay đổi: hãy xem lại trước khi xác nhận."), "error")
        return redirect(url_for("referee.match_page", match_id=match_id))
    except RuleError as exc:
        db.session.rollback()
        for m in exc.messages:
            flash(m, "error")
        return redirect(url_for("referee.index"))
    db.session.commit()
    flash(_("Đã xác nhận: %(s)s", s=results.describe(match)), "info")
    return redirect(url_for("referee.index"))


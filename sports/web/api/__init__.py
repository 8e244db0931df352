"""JSON API (CONTRACT.md): reads are public, writes need a bearer token."""
from __future__ import annotations

import json
from fractions import Fraction

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain import scoring
from sports.domain.medals import medal_for_place
from sports.domain.types import Outcome
from sports.extensions import csrf, db
from sports.importers import safe_json
from sports.models import Entry, EntryAthlete, Event, Festival, Match
from sports.services import rankings
from sports.services.accounts import user_for_token
from sports.services.errors import ConflictError, RuleError
from sports.services.permissions import may_record
from sports.services.derived import event_stamp
from sports.services.results import record_result
from sports.web.public.cache import cached_page

bp = Blueprint("api", __name__)
# Reads are cached like the public pages: under the festival's revision, or for one event's
# reads under that event's revision (sports/web/public/cache.py); an unchanged read is a 304.
csrf.exempt(bp)  # token-authenticated, no cookies involved


def _number(value):
    if value is None:
        return None
    if isinstance(value, Fraction) and value.denominator != 1:
        return float(value)
    return int(value)


def _festival(slug: str) -> Festival:
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404, description=f"Không có hội thao mã “{slug}”.")
    return festival


def _event(slug: str, code: str) -> Event:
    festival = _festival(slug)
    # Entries with their unit and athletes in three queries, not two per entry (entry_json).
    event = db.session.scalar(
        select(Event).where(Event.festival_id == festival.id, Event.code == code)
        .options(selectinload(Event.entries).selectinload(Entry.unit),
                 selectinload(Event.entries).selectinload(Entry.members).selectinload(EntryAthlete.athlete)))
    if event is None:
        abort(404, description=f"Hội thao “{slug}” không có nội dung mã “{code}”.")
    return event


def entry_json(entry: Entry | None) -> dict | None:
    if entry is None:
        return None
    return {"ref": entry.ref, "name": entry.display_name, "unit": entry.unit.code}


def match_json(m: Match) -> dict:
    return {
        "id": m.id, "stage": m.stage.position, "stage_type": m.stage.type,
        "group": m.group.name if m.group else None, "round": m.round, "position": m.position,
        "playoff": m.is_playoff,
        "home": entry_json(m.home), "away": entry_json(m.away), "status": m.status,
        "sets": [list(s) for s in m.sets or []], "outcome": m.outcome,
        "winner": m.winner.ref if m.winner else None, "version": m.version,
        "confirmed": m.confirmed if m.status == "completed" else None,
        "court": m.court.name if m.court else None,
        "scheduled_at": m.scheduled_at.isoformat() if m.scheduled_at else None,
    }


@bp.route("/festivals")
def festivals():
    rows = db.session.scalars(select(Festival).order_by(Festival.start_date, Festival.id))
    return jsonify([
        {"slug": f.slug, "name": f.name,
         "start_date": f.start_date.isoformat() if f.start_date else None,
         "end_date": f.end_date.isoformat() if f.end_date else None}
        for f in rows
    ])


@bp.route("/festivals/<slug>/medals")
@cached_page
def medals(slug: str):
    festival = _festival(slug)
    names = {u.code: u.name for u in festival.units}
    rows = rankings.medal_table(festival)
    return jsonify({"mode": festival.medal_mode, "rows": [
        {"rank": r.rank, "unit": {"code": r.unit, "name": names[r.unit]}, "gold": r.gold,
         "silver": r.silver, "bronze": r.bronze, "total": r.total, "points": _number(r.points)}
        for r in rows
    ]})


@bp.route("/festivals/<slug>/events/<code>/standings")
@cached_page(stamp=event_stamp)
def standings(slug: str, code: str):
    event = _event(slug, code)
    entries = {str(e.id): e for e in event.entries}
    groups = []
    for stage in event.stages:
        if stage.type != "round_robin":
            continue
        for gs in rankings.group_standings(event, stage):
            drawn = {str(i) for i in gs.group.lots or []}
            groups.append({"name": gs.group.name, "stage": stage.position, "complete": gs.complete, "rows": [
                {"rank": r.rank, "entry": entry_json(entries[r.entry]), "played": r.played, "won": r.won,
                 "lost": r.lost, "match_points": r.match_points, "sets_won": r.sets_won,
                 "sets_lost": r.sets_lost, "points_won": r.points_won, "points_lost": r.points_lost,
                 "tied": r.tied, "withdrawn": r.withdrawn, "by_lot": r.entry in drawn}
                for r in gs.rows
            ]})
    return jsonify({"groups": groups})


@bp.route("/festivals/<slug>/events/<code>/placings")
@cached_page(stamp=event_stamp)
def placings(slug: str, code: str):
    event = _event(slug, code)
    entries = {str(e.id): e for e in event.entries}
    return jsonify([{"place": p.place, "entry": entry_json(entries[p.entry]), "medal": medal_for_place(p.place)}
                    for p in rankings.event_placings(event)])


@bp.route("/festivals/<slug>/events/<code>/matches")
@cached_page(stamp=event_stamp)
def matches(slug: str, code: str):
    event = _event(slug, code)
    rows = db.session.scalars(select(Match).where(Match.event_id == event.id)
                              .options(selectinload(Match.stage), selectinload(Match.group), selectinload(Match.court))
                              .order_by(Match.stage_id, Match.group_id, Match.round, Match.position, Match.id))
    return jsonify([match_json(m) for m in rows])


@bp.route("/festivals/<slug>/emulation")
@cached_page
def emulation(slug: str):
    festival = _festival(slug)
    table, rows = rankings.emulation(festival)
    if table is None:
        abort(404, description=f"Hội thao “{slug}” chưa có bảng điểm thi đua.")
    names = {u.code: u.name for u in festival.units}
    return jsonify([
        {"rank": r.rank, "unit": {"code": r.unit, "name": names[r.unit]}, "total": _number(r.total),
         "criteria": {c: _number(v) for c, v in r.criteria.items()}, "bonus": _number(r.bonus),
         "penalty": _number(r.penalty)}
        for r in rows
    ])


def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    user = user_for_token(token) if token else None
    if user is None:
        response = jsonify(error="Cần mã API hợp lệ (tiêu đề 'Authorization: Bearer <mã>').")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        abort(response)
    g.api_user = user


# A result body is a few hundred bytes; 8 kB leaves room for a 500-character reason written
# as \uXXXX escapes. Its deepest part is a set score (object › sets › pair).
MAX_BODY_BYTES = 8 * 1024
MAX_BODY_DEPTH = 4
_FIELDS = ("sets", "outcome", "winner", "version", "reason", "submission_id")
_REASON_MAX = 500  # AuditEntry.reason
_OUTCOME_MAX = 20  # Match.outcome
_OUTCOMES = tuple(o.value for o in Outcome)


def _refused(errors: list[str], status: int = 422):
    return jsonify(errors=errors), status


def _read_body() -> dict | tuple:
    """The request's JSON object, or the refusal to answer (size, encoding, syntax, depth)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _refused([f"Nội dung yêu cầu quá lớn ({request.content_length} byte, tối đa {MAX_BODY_BYTES})."], 413)
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return _refused([f"Nội dung yêu cầu quá lớn (tối đa {MAX_BODY_BYTES} byte)."], 413)
    try:
        body = safe_json.loads(raw.decode("utf-8"), max_depth=MAX_BODY_DEPTH, root="")
    except UnicodeDecodeError as exc:
        return _refused([f"Nội dung yêu cầu không phải văn bản UTF-8 (byte lạ ở vị trí {exc.start})."])
    except json.JSONDecodeError as exc:
        return _refused([f"Nội dung yêu cầu không phải JSON hợp lệ: {exc.msg} (dòng {exc.lineno}, cột {exc.colno})."])
    except safe_json.UnsafeJson as exc:
        return _refused(exc.problems)
    if not isinstance(body, dict):
        return _refused(["Nội dung yêu cầu phải là một đối tượng JSON {…}."])
    return body


def _is_int(value) -> bool:
    return type(value) is int  # a boolean is not a number here


def _text_field(body: dict, name: str, errors: list[str], *, max_length: int, default=None):
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        errors.append(f"'{name}': phải là một chuỗi chữ, không phải {json.dumps(value)[:40]}.")
        return default
    if len(value) > max_length:
        errors.append(f"'{name}': dài {len(value)} ký tự, tối đa {max_length} ký tự.")
        return default
    return value


def _sets_field(body: dict, errors: list[str]) -> list[list[int]]:
    sets = body.get("sets", [])
    shape = "'sets': phải là danh sách các cặp số nguyên [đội nhà, đội khách]"
    if not isinstance(sets, list):
        errors.append(f"{shape}, không phải {json.dumps(sets)[:40]}.")
        return []
    if len(sets) > scoring.MAX_BEST_OF:
        errors.append(f"{shape}; có {len(sets)} séc/ván, tối đa {scoring.MAX_BEST_OF}.")
        return []
    for i, pair in enumerate(sets):
        if not isinstance(pair, list) or len(pair) != 2:
            errors.append(f"sets[{i}]: phải là một cặp [đội nhà, đội khách], không phải {json.dumps(pair)[:40]}.")
            continue
        for j, score in enumerate(pair):
            if not _is_int(score):
                errors.append(f"sets[{i}][{j}]: điểm phải là một số nguyên, không phải {json.dumps(score)[:40]}.")
    return sets


def _result_fields(body: dict, match: Match) -> tuple[dict, list[str]]:
    """The body's fields, each checked for its type and size, with every problem located."""
    errors = [f"'{key[:40]}': trường không được hỗ trợ; chỉ dùng: {', '.join(_FIELDS)}."
              for key in body if key not in _FIELDS]
    sets = _sets_field(body, errors)
    version = body.get("version")
    if version is not None and not (_is_int(version) and 1 <= version <= safe_json.MAX_INT):
        errors.append(f"'version': phải là một số nguyên dương, không phải {json.dumps(version)[:40]}.")
    outcome = _text_field(body, "outcome", errors, max_length=_OUTCOME_MAX, default="normal")
    if outcome not in _OUTCOMES:
        errors.append(f"'outcome': {json.dumps(outcome, ensure_ascii=False)} không phải loại kết quả; "
                      f"chọn một trong: {', '.join(_OUTCOMES)}.")
    winner_ref = _text_field(body, "winner", errors, max_length=40)
    winner_id = None
    if isinstance(winner_ref, str):
        side = {match.home.ref: match.home_entry_id, match.away.ref: match.away_entry_id} if match.home and match.away else {}
        if winner_ref not in side:
            errors.append(f"'winner': phải là mã của một trong hai bên của trận ({', '.join(side)}).")
        winner_id = side.get(winner_ref)
    reason = _text_field(body, "reason", errors, max_length=_REASON_MAX, default="")
    submission = body.get("submission_id")
    if submission is not None and not (isinstance(submission, str) and 8 <= len(submission) <= 64):
        errors.append("'submission_id': phải là một chuỗi (8–64 ký tự), tạo trên thiết bị cho mỗi lần gửi.")
    return {"sets": sets, "outcome": outcome, "winner_id": winner_id, "version": version, "reason": reason,
            "submission": submission}, errors


@bp.route("/matches/<int:match_id>/result", methods=["POST"])
def post_result(match_id: int):
    _authenticate()
    match = db.session.get(Match, match_id)
    if match is None:
        abort(404, description=f"Không có trận đấu số {match_id}.")
    if not may_record(g.api_user, match):
        return jsonify(error="Bạn không được ghi kết quả trận này (ngoài sân/nội dung được phân công)."), 403
    body = _read_body()
    if not isinstance(body, dict):
        return body
    fields, errors = _result_fields(body, match)
    if errors:
        return jsonify(errors=errors), 422
    try:
        record_result(match, fields["sets"], fields["outcome"], fields["winner_id"], expected_version=fields["version"],
                      reason=fields["reason"], actor=g.api_user, submission_id=fields["submission"])
    except ConflictError as exc:
        db.session.rollback()
        current = db.session.get(Match, match_id)
        return jsonify(error=exc.message, version=current.version if current else exc.current_version,
                       match=match_json(current) if current else None), 409
    except RuleError as exc:
        db.session.rollback()
        return jsonify(errors=[_located(m) for m in exc.messages]), 422
    db.session.commit()
    return jsonify(match_json(match))


def _located(message: str) -> str:
    """A sport rule's sentence about the whole score ("chưa đủ ván …") named by the field it
    concerns; sentences about one set already start with it ("Ván 2: …")."""
    if message[:1].isupper():
        return message
    return f"{'winner' if 'bên thắng' in message else 'sets'}: {message}"

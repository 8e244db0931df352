"""Festival file import and export (CONTRACT.md, docs/festival-format.md).

Import is all-or-nothing: the whole file is parsed and checked first, every problem is
reported with its location (``events[2].stages[0].matches[5].sets[1]: …``), and only a
clean file is written — through the same services and domain rules as the UI.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from pydantic import ValidationError
from sqlalchemy import select

from sports.domain import draws, medals, scoring, standings
from sports.domain.disciplines import DISCIPLINES, event_label
from sports.domain.emulation import Criterion, Score, check_scores, exact
from sports.domain.types import MatchFormat, MatchResult, RuleError
from sports.extensions import db
from sports.importers import safe_json
from sports.importers.schema import FORMAT, EventIn, FestivalFile, StageIn, error_message
from sports.models import (
    Athlete, EmulationAdjustment, EmulationCriterion, EmulationScore, EmulationTable, Entry,
    EntryAthlete, Event, Festival, Match, Placing, Stage, Unit,
)
from sports.services import audit
from sports.services.bracket import sync_knockout
from sports.services.draws import create_round_robin_stage
from sports.services.results import apply_result


class ImportProblems(Exception):
    """The file cannot be imported; ``problems`` are complete Vietnamese sentences, each
    starting with its location in the file (``units[0].name: …``) when it has one."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# ---------------------------------------------------------------------------------- parsing

def _location(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


# json's messages (CPython json.decoder and _json), by their start.
_JSON_ERRORS = {
    "Expecting value": "thiếu một giá trị, hoặc có chữ không đặt trong dấu ngoặc kép",
    "Expecting property name enclosed in double quotes":
        "tên trường phải đặt trong dấu ngoặc kép \"…\" (hoặc thừa dấu phẩy trước “}”)",
    "Expecting ':' delimiter": "thiếu dấu hai chấm “:” sau tên trường",
    "Expecting ',' delimiter": "thiếu dấu phẩy “,” giữa hai phần tử",
    "Unterminated string": "một chuỗi chữ thiếu dấu ngoặc kép đóng",
    "Invalid control character": "có ký tự điều khiển (ví dụ dấu xuống dòng) nằm trong một chuỗi chữ",
    "Invalid \\uXXXX escape": "mã \\uXXXX trong chuỗi chữ không đúng",
    "Invalid \\escape": "có dấu “\\” không đúng cách trong chuỗi chữ (muốn ghi “\\” hãy viết “\\\\”)",
    "Extra data": "còn nội dung thừa sau đối tượng JSON chính",
    "Illegal trailing comma before end of object": "thừa dấu phẩy trước “}”",
    "Illegal trailing comma before end of array": "thừa dấu phẩy trước “]”",
}


def _json_error(exc: json.JSONDecodeError) -> str:
    what = next((text for start, text in _JSON_ERRORS.items() if exc.msg.startswith(start)),
                "cú pháp JSON sai")
    return (f"Tệp không đúng cú pháp JSON: {what} (dòng {exc.lineno}, cột {exc.colno}). "
            "Hãy sửa tệp rồi thử lại.")


# The format itself nests 9 levels (festival › events › stages › matches › sets › a set).
MAX_DEPTH = 16


def parse(raw: bytes) -> FestivalFile:
    """Bytes → validated structure, or ImportProblems (one sentence for a file of the wrong kind)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblems([f"Tệp không phải văn bản UTF-8 (byte lạ ở vị trí {exc.start}); "
                              "hãy lưu lại tệp với mã hóa UTF-8 rồi thử lại."]) from None
    try:
        data = safe_json.loads(text, max_depth=MAX_DEPTH)
    except json.JSONDecodeError as exc:
        raise ImportProblems([_json_error(exc)]) from None
    except safe_json.UnsafeJson as exc:
        raise ImportProblems(exc.problems) from None
    if not isinstance(data, dict):
        raise ImportProblems([f"Tệp phải chứa một đối tượng JSON {{…}} có \"format\": \"{FORMAT}\"."])
    if data.get("format") != FORMAT:
        found = data.get("format")
        said = (f"trường \"format\" của tệp là {json.dumps(found, ensure_ascii=False)}" if found is not None
                else "tệp không có trường \"format\"")
        raise ImportProblems([f"Đây không phải tệp hội thao định dạng \"{FORMAT}\" ({said})."])
    try:
        return FestivalFile.model_validate(data)
    except ValidationError as exc:
        raise ImportProblems([f"{_location(e['loc'])}: {error_message(e)}" for e in exc.errors()]) from None


# ---------------------------------------------------------------------------------- checking

@dataclass
class _EventPlan:
    fmt: MatchFormat | None = None
    preset: str = ""
    options: dict = field(default_factory=dict)
    # Validated results per stage, keyed by the pair of entry refs: written as they are.
    results: list[dict[frozenset, MatchResult]] = field(default_factory=list)


@dataclass
class Checked:
    file: FestivalFile
    events: list[_EventPlan]


def check(file: FestivalFile, *, replace: bool = False) -> Checked:
    problems: list[str] = []
    add = problems.append

    if not replace and db.session.scalar(select(Festival.id).where(Festival.slug == file.festival.slug)):
        add(f"festival.slug: đã có hội thao mã '{file.festival.slug}'; "
            "chọn thay thế (hoặc --replace) nếu muốn ghi đè")
    f = file.festival
    if f.start_date and f.end_date and f.end_date < f.start_date:
        add(f"festival.end_date: ngày kết thúc {f.end_date.isoformat()} trước ngày bắt đầu "
            f"{f.start_date.isoformat()}")
    mr = f.medal_ranking
    if mr.mode == "points" and not mr.points:
        add("festival.medal_ranking.points: xếp hạng theo điểm (\"mode\": \"points\") cần điểm cho từng "
            "hạng, ví dụ [7, 5, 4, 3, 2, 1]")
    if any(p < 0 for p in mr.points):
        add("festival.medal_ranking.points: điểm của một hạng không được âm")
    if not 1 <= len(f.overall_tiers) <= 3 or any(t < 1 for t in f.overall_tiers):
        add("festival.overall_tiers: cần từ 1 đến 3 mức giải toàn đoàn (Nhất, Nhì, Ba), "
            "mỗi mức ít nhất 1 đơn vị, ví dụ [1, 1, 1]")

    units = _unique(file.units, "code", "units", add)
    athletes = _unique(file.athletes, "ref", "athletes", add)
    for i, a in enumerate(file.athletes):
        if a.unit not in units:
            add(f"athletes[{i}].unit: {_no_unit(a.unit)}")
    _unique(file.events, "code", "events", add)
    plans = [_check_event(f"events[{i}]", ev, units, athletes, add) for i, ev in enumerate(file.events)]
    if file.emulation is not None:
        _check_emulation(file, units, add)
    if problems:
        raise ImportProblems(problems)
    return Checked(file, plans)


def _no_unit(code: str) -> str:
    return f"không có đơn vị mã '{code}' trong danh sách units"


def _no_entry(ref: str) -> str:
    return f"không có VĐV/đôi/đội mã '{ref}' trong entries của nội dung này"


def _unique(items, attr: str, where: str, add) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            add(f"{where}[{i}].{attr}: mã '{value}' bị trùng — đã dùng ở {where}[{first[value]}]")
        else:
            seen[value] = item
            first[value] = i
    return seen


def _check_event(at: str, ev: EventIn, units, athletes, add) -> _EventPlan:
    plan = _EventPlan()
    fmt = ev.format.model_dump() if ev.format else {}
    try:
        plan.fmt = scoring.format_for(ev.sport, **fmt)
    except RuleError as exc:
        for m in exc.messages:
            add(f"{at}.format: {m}")
    ranking = ev.ranking.model_dump(exclude_none=True) if ev.ranking else {}
    plan.preset = ranking.pop("preset", None) or standings.DEFAULT_PRESET[ev.sport]
    try:
        plan.options = standings.preset_options(plan.preset, ranking)
    except RuleError as exc:
        for m in exc.messages:
            add(f"{at}.ranking: {m}")

    discipline = DISCIPLINES[ev.discipline]
    entries = _unique(ev.entries, "ref", f"{at}.entries", add)
    in_entry: dict[str, str] = {}
    for i, entry in enumerate(ev.entries):
        where = f"{at}.entries[{i}]"
        if entry.unit not in units:
            add(f"{where}.unit: {_no_unit(entry.unit)}")
        genders = []
        for j, ref in enumerate(entry.athletes):
            athlete = athletes.get(ref)
            if athlete is None:
                add(f"{where}.athletes[{j}]: không có vận động viên mã '{ref}' trong danh sách athletes")
                continue
            genders.append(athlete.gender)
            if athlete.unit != entry.unit:
                add(f"{where}.athletes[{j}]: vận động viên '{ref}' ({athlete.name}) thuộc đơn vị "
                    f"'{athlete.unit}', không thuộc đơn vị '{entry.unit}' của VĐV/đôi/đội này")
            if ref in in_entry:
                add(f"{where}.athletes[{j}]: vận động viên '{ref}' đã có trong VĐV/đôi/đội "
                    f"'{in_entry[ref]}' của nội dung này")
            in_entry[ref] = entry.ref
        # An entry may name no athletes yet (roster not registered); named ones must fit.
        if entry.athletes and len(genders) == len(entry.athletes):
            for message in discipline.problems(genders):
                add(f"{where}.athletes: {message}")

    for s, stage in enumerate(ev.stages):
        _check_stage(f"{at}.stages[{s}]", ev, stage, entries, plan, add)
    if ev.placings is not None:
        for p, placing in enumerate(ev.placings):
            if placing.entry not in entries:
                add(f"{at}.placings[{p}].entry: {_no_entry(placing.entry)}")
        try:
            medals.check_placings([medals.Placing(p.place, p.entry) for p in ev.placings], partial=True)
        except RuleError as exc:
            for m in exc.messages:
                add(f"{at}.placings: {m}")
    return plan


def _check_stage(at: str, ev: EventIn, stage: StageIn, entries, plan: _EventPlan, add) -> None:
    group_of: dict[str, str] = {}
    if stage.type == "round_robin":
        if stage.draw:
            add(f"{at}.draw: vòng bảng (round_robin) chia bảng bằng groups, không dùng draw")
        if not stage.groups:
            add(f"{at}.groups: vòng bảng (round_robin) cần ít nhất một bảng")
        _unique(stage.groups, "name", f"{at}.groups", add)
        for g, group in enumerate(stage.groups):
            for k, ref in enumerate(group.entries):
                if ref not in entries:
                    add(f"{at}.groups[{g}].entries[{k}]: {_no_entry(ref)}")
                elif ref in group_of:
                    add(f"{at}.groups[{g}].entries[{k}]: '{ref}' đã ở bảng {group_of[ref]}")
                else:
                    group_of[ref] = group.name
            for k, ref in enumerate(group.lots):
                if ref not in group.entries:
                    add(f"{at}.groups[{g}].lots[{k}]: '{ref}' không thuộc bảng này")
    else:
        if stage.groups:
            add(f"{at}.groups: vòng loại trực tiếp (knockout) dùng sơ đồ draw, không chia bảng")
        seen = set()
        for k, ref in enumerate(stage.draw):
            if ref is None:
                continue
            if ref not in entries:
                add(f"{at}.draw[{k}]: {_no_entry(ref)}")
            elif ref in seen:
                add(f"{at}.draw[{k}]: '{ref}' có hai lần trong sơ đồ")
            seen.add(ref)
        try:
            draws.build_bracket(stage.draw, {})
        except RuleError as exc:
            for m in exc.messages:
                add(f"{at}.draw: {m}")
            plan.results.append({})
            return

    pairs: dict[frozenset, int] = {}
    decided: dict[int, MatchResult] = {}
    for m, match in enumerate(stage.matches):
        where = f"{at}.matches[{m}]"
        ok = True
        for side in ("home", "away"):
            ref = getattr(match, side)
            if ref not in entries:
                add(f"{where}.{side}: {_no_entry(ref)}")
                ok = False
        if not ok:
            continue
        pair = frozenset((match.home, match.away))
        if stage.type == "round_robin":
            if match.home not in group_of or group_of.get(match.home) != group_of.get(match.away):
                add(f"{where}: '{match.home}' và '{match.away}' không cùng một bảng của vòng này")
            if pair in pairs:
                add(f"{where}: '{match.home}' và '{match.away}' đã gặp nhau ở matches[{pairs[pair]}]")
        pairs.setdefault(pair, m)
        if plan.fmt is not None:
            result = _check_score(where, ev.sport, plan.fmt, match, add)
            if result is not None:
                decided[m] = result
    plan.results.append({frozenset((r.home, r.away)): r for r in decided.values()})
    if stage.type == "knockout":
        _check_knockout_matches(at, ev, stage, decided, add)


def _check_score(where: str, sport: str, fmt: MatchFormat, match, add) -> MatchResult | None:
    """The validated result, or None after reporting why the score is impossible."""
    if match.outcome == "normal":
        # Point at the bad set itself; sets after the match was decided are the match's problem.
        set_problems = False
        won = [0, 0]
        for k, score in enumerate(match.sets):
            if max(won) >= fmt.sets_to_win:
                break
            problem = scoring.set_problem(tuple(score), fmt.target(k), fmt.cap_for(k), sport)
            if problem:
                add(f"{where}.sets[{k}]: {problem}")
                set_problems = True
            else:
                won[0 if score[0] > score[1] else 1] += 1
        if set_problems:
            return None
    try:
        return scoring.record_result(sport, fmt, match.home, match.away, [tuple(s) for s in match.sets],
                                     match.outcome, match.winner)
    except RuleError as exc:
        for m in exc.messages:
            add(f"{where}: {m}")
        return None


def reached_by_bracket(draw, results: dict[int, MatchResult]) -> dict[int, MatchResult]:
    """The results the bracket reaches from the first round on, given one another.

    A result counts once its pair meets in the bracket the earlier results produce; a
    third-place play-off never does (two semi-final losers never meet in the main draw).
    """
    reached: dict[int, MatchResult] = {}
    while True:
        winners = {frozenset((r.home, r.away)): r.winner for r in reached.values() if r.winner}
        produced = {frozenset((h, a)) for _, _, h, a in draws.draw_matches(draw, winners)}
        new = {i: r for i, r in results.items()
               if i not in reached and frozenset((r.home, r.away)) in produced
               and frozenset((r.home, r.away)) not in winners}
        if not new:
            return reached
        reached.update(new)


def _check_knockout_matches(at: str, ev: EventIn, stage: StageIn, decided: dict[int, MatchResult],
                            add) -> None:
    """Every listed match must be one the draw produces, given the other results."""
    reached = reached_by_bracket(stage.draw, decided)
    for i, result in reached.items():
        if result.winner is None:
            add(f"{at}.matches[{i}]: trận loại trực tiếp phải có bên thắng (cả hai bỏ cuộc thì "
                "không ai vào vòng sau)")
    left = [i for i in decided if i not in reached]
    if ev.third_place == "playoff" and left:
        bracket = draws.build_bracket(stage.draw, {frozenset((r.home, r.away)): r.winner
                                                   for r in reached.values() if r.winner})
        losers = frozenset(m.loser for m in bracket[-2] if m.loser is not None) if len(bracket) >= 2 else frozenset()
        playoff = next((i for i in left if len(losers) == 2
                        and frozenset((decided[i].home, decided[i].away)) == losers), None)
        left = [i for i in left if i != playoff]
    for i in left:
        match = stage.matches[i]
        add(f"{at}.matches[{i}]: sơ đồ không có trận '{match.home}' – '{match.away}'"
            " (kiểm tra sơ đồ và kết quả các vòng trước)")


def _check_emulation(file: FestivalFile, units, add) -> None:
    em = file.emulation
    criteria = [Criterion(c.code, c.group, c.name, exact(c.max)) for c in em.criteria]
    codes = {c.code for c in em.criteria}
    for i, s in enumerate(em.scores):
        if s.unit not in units:
            add(f"emulation.scores[{i}].unit: {_no_unit(s.unit)}")
    for i, a in enumerate(em.adjustments):
        if a.unit not in units:
            add(f"emulation.adjustments[{i}].unit: {_no_unit(a.unit)}")
    for i, code in enumerate(em.votes):
        if code not in units:
            add(f"emulation.votes[{i}]: {_no_unit(code)}")
    if em.festival_link and em.festival_link.criterion not in codes:
        add(f"emulation.festival_link.criterion: không có tiêu chí mã '{em.festival_link.criterion}' "
            "trong emulation.criteria")
    if em.festival_link:
        for rank in em.festival_link.rank_bonus:
            if not (rank.isascii() and rank.isdigit() and len(rank) <= 4) or int(rank) < 1:
                add(f"emulation.festival_link.rank_bonus: '{rank[:20]}' không phải thứ hạng (1, 2, 3 …)")
    try:
        check_scores(criteria, [Score(s.unit, s.criterion, _ex(s.self), _ex(s.bloc)) for s in em.scores])
    except RuleError as exc:
        for m in exc.messages:
            add(f"emulation.scores: {m}")


def _ex(value):
    return None if value is None else exact(value)


# ---------------------------------------------------------------------------------- writing

def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def write(checked: Checked, *, replace: bool = False, actor: str = "import") -> Festival:
    """Store a checked file. Flushes; the caller commits (or rolls back)."""
    file = checked.file
    replaced: dict | None = None
    if replace:
        old = db.session.scalar(select(Festival).where(Festival.slug == file.festival.slug))
        if old is not None:
            # The replacement keeps the festival's id, so its audit trail (which has no
            # foreign key and is never deleted) still reads as this festival's history.
            replaced = {"id": old.id, "name": old.name, "revision": old.revision,
                        "epoch": old.epoch, "is_current": old.is_current}
            db.session.delete(old)
            db.session.flush()
    f = file.festival
    festival = Festival(
        id=replaced["id"] if replaced else None,
        is_current=replaced["is_current"] if replaced else False,
        revision=replaced["revision"] if replaced else 0,  # bumped below: ETags never repeat
        epoch=replaced["epoch"] if replaced else 0,  # and nor do the keys of cached results
        slug=f.slug, name=f.name, organiser=f.organiser, place=f.place, start_date=f.start_date,
        end_date=f.end_date, medal_mode=f.medal_ranking.mode, medal_points=list(f.medal_ranking.points),
        team_multiplier=f.medal_ranking.team_multiplier, shared_points=f.medal_ranking.shared_points,
        medal_labels=f.medal_labels, overall_tiers=list(f.overall_tiers), settings={},
    )
    db.session.add(festival)
    units = {u.code: Unit(festival=festival, code=u.code, name=u.name, short_name=u.short_name)
             for u in file.units}
    db.session.add_all(units.values())
    athletes = {a.ref: Athlete(festival=festival, unit=units[a.unit], ref=a.ref, name=a.name,
                               gender=a.gender, birth_year=a.birth_year) for a in file.athletes}
    db.session.add_all(athletes.values())
    db.session.flush()
    for position, (ev, plan) in enumerate(zip(file.events, checked.events)):
        _write_event(festival, position, ev, plan, units, athletes)
    if file.emulation is not None:
        _write_emulation(festival, file, units)
    festival.bump()
    # Every event is new: each one's final placings are derived and stored at commit, so the
    # first medal table of a freshly loaded festival reloads no event in any worker.
    festival.bump(*festival.events)
    db.session.flush()
    audit.record("festival.replace" if replaced else "festival.import", festival,
                 before={"name": replaced["name"], "revision": replaced["revision"]} if replaced else None,
                 after={"slug": festival.slug, "events": len(file.events)},
                 festival_id=festival.id, actor=actor)
    return festival


def _write_event(festival, position, ev: EventIn, plan: _EventPlan, units, athletes) -> None:
    fmt = plan.fmt
    event = Event(festival=festival, code=ev.code, sport=ev.sport, discipline=ev.discipline,
                  name=ev.name or event_label(ev.sport, ev.discipline),
                  position=position, best_of=fmt.best_of, points=fmt.points,
                  deciding_points=fmt.deciding_points, cap=fmt.cap, ranking_preset=plan.preset,
                  ranking_options=plan.options, third_place=ev.third_place,
                  placings_recorded=ev.placings is not None)
    db.session.add(event)
    entries = {}
    for pos, e in enumerate(ev.entries):
        entry = Entry(event=event, unit=units[e.unit], ref=e.ref, name=e.name, position=pos,
                      seed=e.seed, withdrawn=e.withdrawn)
        for k, ref in enumerate(e.athletes):
            entry.members.append(EntryAthlete(athlete=athletes[ref], position=k))
        entries[e.ref] = entry
    db.session.add_all(entries.values())
    db.session.flush()
    for stage_in, results in zip(ev.stages, plan.results):
        _write_stage(event, stage_in, entries, results)
    if ev.placings is not None:
        event.placings.extend(Placing(entry_id=entries[p.entry].id, place=p.place) for p in ev.placings)


def _write_stage(event: Event, stage_in: StageIn, entries, results: dict[frozenset, MatchResult]) -> None:
    def fill(row: Match) -> None:
        """Record the file's (already validated) result for this pairing, in its home/away order."""
        result = results.get(frozenset((row.home.ref, row.away.ref)))
        if result is not None:
            row.home, row.away = entries[result.home], entries[result.away]
            apply_result(row, _by_id(result, entries))

    if stage_in.type == "round_robin":
        create_round_robin_stage(
            event, [(g.name, [entries[r] for r in g.entries]) for g in stage_in.groups],
            lots=[[entries[r] for r in g.lots] for g in stage_in.groups], fill=fill)
        return
    stage = Stage(event=event, type="knockout", position=len(event.stages),
                  draw=[entries[r].id if r else None for r in stage_in.draw])
    db.session.add(stage)
    db.session.flush()
    sync_knockout(stage, fill)  # the same bracket rows a referee's results produce


def _by_id(result: MatchResult, entries) -> MatchResult:
    """The same result keyed by entry ids (as the services key entries) instead of file refs."""
    def to_id(ref):
        return None if ref is None else str(entries[ref].id)

    return MatchResult(to_id(result.home), to_id(result.away), result.sets, result.outcome, to_id(result.winner))


def _write_emulation(festival, file: FestivalFile, units) -> None:
    em = file.emulation
    link = em.festival_link
    table = EmulationTable(
        festival_id=festival.id, name=em.name, year=em.year, period=em.period, bonus_cap=_dec(em.bonus_cap),
        link_criterion=link.criterion if link else None,
        participation_points=_dec(link.participation_points) if link else None,
        min_events=link.min_events if link else None,
        rank_bonus=dict(link.rank_bonus) if link else {}, votes=list(em.votes),
    )
    db.session.add(table)
    criteria = {}
    for pos, c in enumerate(em.criteria):
        criteria[c.code] = EmulationCriterion(table=table, code=c.code, group=c.group, name=c.name,
                                              max_score=_dec(c.max), position=pos)
    db.session.add_all(criteria.values())
    db.session.flush()
    for s in em.scores:
        db.session.add(EmulationScore(criterion=criteria[s.criterion], unit_id=units[s.unit].id,
                                      self_score=_dec(s.self), bloc_score=_dec(s.bloc)))
    for a in em.adjustments:
        db.session.add(EmulationAdjustment(table=table, unit_id=units[a.unit].id, kind=a.kind,
                                           points=_dec(a.points), reason=a.reason))


def import_file(raw: bytes, *, replace: bool = False, actor: str = "import") -> Festival:
    return write(check(parse(raw), replace=replace), replace=replace, actor=actor)


# ---------------------------------------------------------------------------------- export

def _num(value) -> int | float | None:
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def export(festival: Festival) -> dict:
    """Everything needed to rebuild the festival, in a stable order."""
    unit_code = {u.id: u.code for u in festival.units}
    medal_ranking: dict[str, Any] = {"mode": festival.medal_mode}
    if festival.medal_mode == "points" or festival.medal_points:
        medal_ranking["points"] = list(festival.medal_points or [])
    if (festival.team_multiplier or 1) != 1:
        medal_ranking["team_multiplier"] = festival.team_multiplier
    if (festival.shared_points or "full") != "full":
        medal_ranking["shared_points"] = festival.shared_points
    out: dict[str, Any] = {
        "format": FORMAT,
        "festival": _drop_none({
            "slug": festival.slug, "name": festival.name, "organiser": festival.organiser,
            "place": festival.place,
            "start_date": festival.start_date.isoformat() if festival.start_date else None,
            "end_date": festival.end_date.isoformat() if festival.end_date else None,
            "medal_ranking": medal_ranking,
            "medal_labels": festival.medal_labels,
            "overall_tiers": list(festival.overall_tiers or [1, 1, 1]),
        }),
        "units": [_drop_none({"code": u.code, "name": u.name, "short_name": u.short_name or None})
                  for u in festival.units],
        "athletes": [_drop_none({"ref": a.ref, "name": a.name, "gender": a.gender, "unit": unit_code[a.unit_id],
                                 "birth_year": a.birth_year}) for a in festival.athletes],
        "events": [_export_event(ev, unit_code) for ev in festival.events],
    }
    table = db.session.scalar(select(EmulationTable).where(EmulationTable.festival_id == festival.id))
    if table is not None:
        out["emulation"] = _export_emulation(table, unit_code)
    return out


def _export_event(ev: Event, unit_code) -> dict:
    ref = {e.id: e.ref for e in ev.entries}
    data: dict[str, Any] = {
        "code": ev.code, "sport": ev.sport, "discipline": ev.discipline, "name": ev.name,
        "format": _drop_none({"best_of": ev.best_of, "points": ev.points,
                              "deciding_points": ev.deciding_points, "cap": ev.cap}),
        "ranking": {"preset": ev.ranking_preset,
                    **standings.preset_options(ev.ranking_preset, ev.ranking_options or {})},
        "third_place": ev.third_place,
        "entries": [],
        "stages": [],
    }
    for e in ev.entries:
        entry = {"ref": e.ref, "unit": unit_code[e.unit_id], "athletes": [m.athlete.ref for m in e.members]}
        if e.name:
            entry["name"] = e.name
        if e.seed is not None:
            entry["seed"] = e.seed
        if e.withdrawn:
            entry["withdrawn"] = True
        data["entries"].append(entry)
    for stage in ev.stages:
        played = sorted((m for m in stage.matches if m.status == "completed"),
                        key=lambda m: (m.group.position if m.group else 0, m.is_playoff, m.round, m.position, m.id))
        item: dict[str, Any] = {"type": stage.type}
        if stage.type == "round_robin":
            groups = []
            for g in stage.groups:
                group = {"name": g.name, "entries": [ref[m.entry_id] for m in g.members]}
                if g.lots:
                    group["lots"] = [ref[i] for i in g.lots]
                groups.append(group)
            item["groups"] = groups
        else:
            item["draw"] = [ref[i] if i is not None else None for i in stage.draw]
        item["matches"] = [_export_match(m, ref) for m in played]
        data["stages"].append(item)
    if ev.placings_recorded:
        data["placings"] = [{"place": p.place, "entry": ref[p.entry_id]} for p in ev.placings]
    return data


def _export_match(m: Match, ref) -> dict:
    out: dict[str, Any] = {"home": ref[m.home_entry_id], "away": ref[m.away_entry_id],
                           "sets": [list(s) for s in m.sets or []]}
    if m.outcome != "normal":
        out["outcome"] = m.outcome
        if m.winner_entry_id is not None:
            out["winner"] = ref[m.winner_entry_id]
    return out


def _export_emulation(table: EmulationTable, unit_code) -> dict:
    out: dict[str, Any] = {}
    if table.name:
        out["name"] = table.name
    if table.year is not None:
        out["year"] = table.year
    if table.period:
        out["period"] = table.period
    out["criteria"] = [{"code": c.code, "group": c.group, "name": c.name, "max": _num(c.max_score)}
                       for c in table.criteria]
    out["scores"] = [_drop_none({"unit": unit_code[s.unit_id], "criterion": c.code,
                                 "self": _num(s.self_score), "bloc": _num(s.bloc_score)})
                     for c in table.criteria for s in sorted(c.scores, key=lambda s: s.id)]
    out["adjustments"] = [{"unit": unit_code[a.unit_id], "kind": a.kind, "points": _num(a.points),
                           "reason": a.reason} for a in table.adjustments]
    if table.bonus_cap is not None:
        out["bonus_cap"] = _num(table.bonus_cap)
    if table.link_criterion:
        out["festival_link"] = {"criterion": table.link_criterion,
                                "participation_points": _num(table.participation_points),
                                "min_events": table.min_events,
                                "rank_bonus": {k: _num(v) for k, v in (table.rank_bonus or {}).items()}}
    if table.votes:
        out["votes"] = list(table.votes)
    return out


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

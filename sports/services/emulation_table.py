"""The bloc's score tables (bảng điểm thi đua): building them, scoring units, and the summary.

Every write here is audited and bumps the festival's revision; nothing commits (the request
does). The arithmetic — ranges, the bonus cap, penalties, the festival link, ranking and
proposals — is :mod:`sports.domain.emulation`; a linked table's figures come from
:func:`sports.services.rankings.emulation`, the very function the API answers with, so the
pages, the exports and ``GET /api/v1/festivals/<slug>/emulation`` always agree. Nothing
derived is stored: the linked criterion follows the festival's results whenever it is read.

What this module does not know: forms, Excel or PDF (see :mod:`sports.importers.emulation_workbook`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, or_, select

from sports.domain.emulation import (
    Criterion,
    EmulationRow,
    Score,
    check_scores,
    exact,
    proposals,
)
from sports.domain.text import nfc
from sports.extensions import db
from sports.models import (
    EmulationAdjustment,
    EmulationCriterion,
    EmulationScore,
    EmulationTable,
    Festival,
    Unit,
)
from sports.services import audit, rankings
from sports.services.errors import Problems, RuleError

PERIODS = {"": "Cả năm", "Đợt 1": "Đợt 1 (01/01 – 30/6)", "Đợt 2": "Đợt 2 (01/7 – 31/12)"}
DEFAULT_TITLES = ["Cờ thi đua", "Bằng khen"]
MAX_SCORE = Decimal("99999.99")  # what the Numeric(8, 2) columns hold
LINK_LABEL = "tự động từ hội thao"


def num(value: Decimal | Fraction | int | None) -> str:
    """A score as Vietnamese text: 9,5 · 10 · 2,25 (empty for None)."""
    if value is None:
        return ""
    value = exact(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")


# ----------------------------------------------------------------------------- tables


def home_id(table: EmulationTable) -> int | None:
    return table.home_festival_id or table.festival_id


def tables_of(festival: Festival) -> list[EmulationTable]:
    """The festival's score tables, newest year first (a table from a festival file included)."""
    return list(db.session.scalars(
        select(EmulationTable).where(or_(
            EmulationTable.home_festival_id == festival.id,
            and_(EmulationTable.home_festival_id.is_(None), EmulationTable.festival_id == festival.id),
        )).order_by(EmulationTable.year.desc(), EmulationTable.period, EmulationTable.id)
    ))


def get_table(festival: Festival, table_id: int) -> EmulationTable | None:
    table = db.session.get(EmulationTable, table_id)
    return table if table is not None and home_id(table) == festival.id else None


def title_of(table: EmulationTable) -> str:
    """“Bảng điểm thi đua năm 2023 – Đợt 2” (its own name when it has one)."""
    if table.name:
        return table.name
    year = f" năm {table.year}" if table.year else ""
    period = f" – {table.period}" if table.period else ""
    return f"Bảng điểm thi đua{year}{period}"


@dataclass
class TableSettings:
    name: str = ""
    year: int | None = None
    period: str = ""
    bonus_cap: Decimal | None = None
    linked: bool = False
    link_criterion: str = ""
    participation_points: Decimal | None = None
    min_events: int | None = None
    rank_bonus: dict[int, Decimal] = field(default_factory=dict)
    titles: list[str] = field(default_factory=lambda: list(DEFAULT_TITLES))
    title_tiers: list[int] = field(default_factory=list)
    votes: list[str] = field(default_factory=list)
    signer_title: str = "TM. KHỐI THI ĐUA\nKHỐI TRƯỞNG"
    signer_name: str = ""
    published: bool = False


def settings_of(table: EmulationTable) -> TableSettings:
    return TableSettings(
        name=table.name or "", year=table.year, period=table.period or "", bonus_cap=table.bonus_cap,
        linked=table.festival_id is not None, link_criterion=table.link_criterion or "",
        participation_points=table.participation_points, min_events=table.min_events,
        rank_bonus={int(k): Decimal(str(v)) for k, v in (table.rank_bonus or {}).items()},
        titles=list(table.titles or []), title_tiers=list(table.title_tiers or []),
        votes=list(table.votes or []), signer_title=table.signer_title or "",
        signer_name=table.signer_name or "", published=bool(table.published),
    )


def _snapshot(table: EmulationTable) -> dict:
    s = settings_of(table)
    return {"name": s.name, "year": s.year, "period": s.period, "bonus_cap": num(s.bonus_cap),
            "linked": s.linked, "link_criterion": s.link_criterion,
            "participation_points": num(s.participation_points), "min_events": s.min_events,
            "rank_bonus": {str(k): num(v) for k, v in sorted(s.rank_bonus.items())},
            "titles": s.titles, "title_tiers": s.title_tiers, "votes": s.votes,
            "signer_title": s.signer_title, "signer_name": s.signer_name, "published": s.published}


def _check_settings(festival: Festival, s: TableSettings, table: EmulationTable | None) -> None:
    problems = Problems()
    if s.year is None or not 2000 <= s.year <= 2100:
        problems.add("year", "Nhập năm của bảng điểm (từ 2000 đến 2100).")
    if s.period not in PERIODS:
        problems.add("period", "Chọn cả năm, Đợt 1 hoặc Đợt 2.")
    same = [t for t in tables_of(festival) if t is not table and t.year == s.year and (t.period or "") == s.period]
    if same and s.year is not None:
        problems.add("period", f"Hội thao đã có “{title_of(same[0])}”; mỗi năm (mỗi đợt) chỉ có một bảng điểm.")
    if s.linked:
        other = db.session.scalar(select(EmulationTable).where(EmulationTable.festival_id == festival.id))
        if other is not None and other is not table:
            problems.add("linked", f"“{title_of(other)}” đang liên kết với hội thao này; "
                                   "mỗi hội thao chỉ tính vào một bảng điểm. Hãy bỏ liên kết ở bảng đó trước.")
        codes = {c.code for c in table.criteria} if table is not None else set()
        if s.link_criterion and s.link_criterion not in codes:
            problems.add("link_criterion", "Chọn tiêu chí nhận điểm hội thao trong danh sách tiêu chí của bảng.")
    if len(s.titles) != len(set(s.titles)):
        problems.add("titles", "Mỗi danh hiệu đề nghị chỉ ghi một lần.")
    if s.title_tiers and len(s.title_tiers) != len(s.titles):
        problems.add("title_tiers", f"Có {len(s.titles)} danh hiệu nhưng {len(s.title_tiers)} số vị trí; "
                                    "ghi mỗi danh hiệu một số (ví dụ 1, 2), hoặc để trống (mỗi danh hiệu một vị trí).")
    if any(n < 1 for n in s.title_tiers):
        problems.add("title_tiers", "Mỗi danh hiệu cần ít nhất 1 vị trí.")
    units = {u.code for u in festival.units}
    unknown = [v for v in s.votes if v not in units]
    if unknown:
        problems.add("votes", f"Không có đơn vị mã {', '.join(unknown)} trong hội thao.")
    if len(set(s.votes)) != len(s.votes):
        problems.add("votes", "Kết quả biểu quyết ghi một đơn vị nhiều lần.")
    problems.raise_if_any()


def _apply(festival: Festival, table: EmulationTable, s: TableSettings) -> None:
    table.name, table.year, table.period = nfc(s.name), s.year, s.period
    table.bonus_cap = s.bonus_cap
    table.festival_id = festival.id if s.linked else None
    table.home_festival_id = festival.id
    table.link_criterion = (s.link_criterion or None) if s.linked else table.link_criterion
    table.participation_points = s.participation_points
    table.min_events = s.min_events
    table.rank_bonus = {str(k): num(v).replace(",", ".") for k, v in sorted(s.rank_bonus.items())}
    table.titles = [nfc(t) for t in s.titles if nfc(t)]
    table.title_tiers = list(s.title_tiers)
    table.votes = list(s.votes)
    table.signer_title = "\n".join(nfc(line) for line in s.signer_title.splitlines() if nfc(line))
    table.signer_name = nfc(s.signer_name)
    table.published = s.published


def create_table(festival: Festival, s: TableSettings) -> EmulationTable:
    _check_settings(festival, s, None)
    table = EmulationTable(criteria=[], adjustments=[])
    _apply(festival, table, s)
    db.session.add(table)
    db.session.flush()
    audit.record("emulation.create", table, after=_snapshot(table), festival_id=festival.id)
    festival.bump()
    return table


def update_table(festival: Festival, table: EmulationTable, s: TableSettings) -> None:
    _check_settings(festival, s, table)
    before = _snapshot(table)
    _apply(festival, table, s)
    db.session.flush()
    after = _snapshot(table)
    if after != before:
        audit.record("emulation.settings", table, before=before, after=after, festival_id=festival.id)
        festival.bump()


def copy_table(festival: Festival, source: EmulationTable, year: int | None, period: str | None = None) -> EmulationTable:
    """A new table for ``year`` with ``source``'s criteria and settings, and no scores.

    The festival link is copied when this festival has no linked table yet."""
    s = settings_of(source)
    s.year = year
    s.period = s.period if period is None else period
    s.name, s.votes, s.published = "", [], False  # a vote belongs to one year's ties
    s.linked = s.linked and db.session.scalar(
        select(EmulationTable.id).where(EmulationTable.festival_id == festival.id)) is None
    _check_settings(festival, s, None)
    table = EmulationTable(criteria=[], adjustments=[])
    _apply(festival, table, s)
    table.link_criterion = source.link_criterion
    for c in source.criteria:
        table.criteria.append(EmulationCriterion(code=c.code, group=c.group, name=c.name,
                                                 max_score=c.max_score, position=c.position))
    db.session.add(table)
    db.session.flush()
    audit.record("emulation.copy", table, after={**_snapshot(table), "from": title_of(source),
                                                  "criteria": [c.code for c in table.criteria]},
                 festival_id=festival.id)
    festival.bump()
    return table


def copy_sources(festival: Festival, visible: set[int] | None = None) -> list[tuple[EmulationTable, Festival]]:
    """Tables a new one may be copied from: every table of any festival (``visible``: of those
    festival ids only), newest year first."""
    rows = db.session.scalars(select(EmulationTable).order_by(EmulationTable.year.desc(), EmulationTable.id.desc()))
    out = []
    for t in rows:
        home = db.session.get(Festival, home_id(t)) if home_id(t) else None
        if home is not None and (visible is None or home.id in visible):
            out.append((t, home))
    return out


# ----------------------------------------------------------------------------- criteria


@dataclass
class CriterionIn:
    code: str
    group: str
    name: str
    max_score: Decimal | None


CODE_MAX = 40


def criterion_problems(c: CriterionIn) -> dict[str, str]:
    """Field → the first problem of one criterion line (shared by the form and the workbook)."""
    out = {}
    code = (c.code or "").strip()
    if not code:
        out["code"] = "Nhập mã tiêu chí (ví dụ 1.1, TC01)."
    elif len(code) > CODE_MAX or any(ch.isspace() for ch in code):
        out["code"] = f"Mã tiêu chí “{code[:50]}” phải có tối đa {CODE_MAX} ký tự, không có khoảng trắng."
    if not nfc(c.name or ""):
        out["name"] = "Nhập tên (nội dung) của tiêu chí."
    elif len(nfc(c.name)) > 500:
        out["name"] = "Tên tiêu chí tối đa 500 ký tự."
    if len(nfc(c.group or "")) > 300:
        out["group"] = "Tên nhóm tiêu chí tối đa 300 ký tự."
    if c.max_score is None:
        out["max_score"] = "Nhập điểm tối đa của tiêu chí."
    elif not 0 < c.max_score <= MAX_SCORE:
        out["max_score"] = f"Điểm tối đa phải lớn hơn 0 và không quá {num(MAX_SCORE)}."
    return out


def _scored_above(criterion: EmulationCriterion, new_max: Decimal) -> list[str]:
    unit_code = {u.id: u.code for u in db.session.scalars(select(Unit).where(Unit.id.in_(
        [s.unit_id for s in criterion.scores])))}
    return sorted(unit_code[s.unit_id] for s in criterion.scores
                  if max(s.self_score or 0, s.bloc_score or 0) > new_max)


def _criterion_snapshot(c: EmulationCriterion) -> dict:
    return {"code": c.code, "group": c.group, "name": c.name, "max": num(c.max_score)}


def add_criterion(festival: Festival, table: EmulationTable, c: CriterionIn) -> EmulationCriterion:
    problems = Problems()
    for name, message in criterion_problems(c).items():
        problems.add(name, message)
    if c.code.strip() in {x.code for x in table.criteria}:
        problems.add("code", f"Bảng điểm đã có tiêu chí mã {c.code.strip()}.")
    problems.raise_if_any()
    row = EmulationCriterion(code=c.code.strip(), group=nfc(c.group or ""), name=nfc(c.name),
                             max_score=c.max_score,
                             position=max((x.position for x in table.criteria), default=-1) + 1)
    table.criteria.append(row)
    db.session.flush()
    audit.record("emulation.criterion_add", row, after=_criterion_snapshot(row), festival_id=festival.id)
    festival.bump()
    return row


def update_criterion(festival: Festival, table: EmulationTable, row: EmulationCriterion, c: CriterionIn) -> None:
    problems = Problems()
    for name, message in criterion_problems(c).items():
        problems.add(name, message)
    code = c.code.strip()
    if code != row.code and code in {x.code for x in table.criteria}:
        problems.add("code", f"Bảng điểm đã có tiêu chí mã {code}.")
    if c.max_score is not None and (above := _scored_above(row, c.max_score)):
        problems.add("max_score", f"Đơn vị {', '.join(above)} đã được chấm cao hơn {num(c.max_score)} ở tiêu chí này; "
                                  "hãy sửa điểm của đơn vị trước khi hạ điểm tối đa.")
    problems.raise_if_any()
    before = _criterion_snapshot(row)
    if table.link_criterion == row.code:
        table.link_criterion = code
    row.code, row.group, row.name, row.max_score = code, nfc(c.group or ""), nfc(c.name), c.max_score
    db.session.flush()
    if _criterion_snapshot(row) != before:
        audit.record("emulation.criterion_update", row, before=before, after=_criterion_snapshot(row),
                     festival_id=festival.id)
        festival.bump()


def delete_criterion(festival: Festival, table: EmulationTable, row: EmulationCriterion) -> None:
    if table.link_criterion == row.code and table.festival_id is not None:
        raise RuleError(f"Tiêu chí {row.code} nhận điểm tự động từ hội thao; hãy chọn tiêu chí khác "
                        "trong phần thiết lập trước khi xóa.")
    scored = len([s for s in row.scores if s.self_score is not None or s.bloc_score is not None])
    audit.record("emulation.criterion_delete", row, before={**_criterion_snapshot(row), "scored_units": scored},
                 festival_id=festival.id)
    table.criteria.remove(row)
    db.session.flush()
    festival.bump()


def move_criterion(festival: Festival, table: EmulationTable, row: EmulationCriterion, step: int) -> bool:
    """Move a criterion one line up (``step`` -1) or down (+1) in the table's order, which is
    the order of the printed table and its columns; False when it is already at that end."""
    if step not in (-1, 1):
        raise RuleError("Chỉ chuyển được tiêu chí lên hoặc xuống một dòng.")
    rows = list(table.criteria)
    at = rows.index(row)
    if not 0 <= at + step < len(rows):
        return False
    before = [c.code for c in rows]
    rows[at], rows[at + step] = rows[at + step], rows[at]
    for position, c in enumerate(rows):
        c.position = position
    db.session.flush()
    audit.record("emulation.criterion_move", row, before={"order": before}, after={"order": [c.code for c in rows]},
                 festival_id=festival.id)
    festival.bump()
    return True


def replace_criteria(festival: Festival, table: EmulationTable, lines: list[CriterionIn]) -> tuple[int, int, int]:
    """Make the table's criteria exactly ``lines`` (checked by the caller): criteria whose code
    stays keep their scores. Returns (added, changed, removed)."""
    existing = {c.code: c for c in table.criteria}
    before = [_criterion_snapshot(c) for c in table.criteria]
    keep = {line.code.strip() for line in lines}
    removed = [c for c in table.criteria if c.code not in keep]
    for c in removed:
        table.criteria.remove(c)
    added = changed = 0
    for pos, line in enumerate(lines):
        code = line.code.strip()
        row = existing.get(code)
        if row is None:
            row = EmulationCriterion(code=code, group="", name="", max_score=Decimal(0))
            table.criteria.append(row)
            added += 1
        elif (row.group, row.name, row.max_score) != (nfc(line.group or ""), nfc(line.name), line.max_score):
            changed += 1
        row.group, row.name, row.max_score, row.position = nfc(line.group or ""), nfc(line.name), line.max_score, pos
    db.session.flush()
    audit.record("emulation.criteria_import", table, before={"criteria": before},
                 after={"criteria": [_criterion_snapshot(c) for c in table.criteria]}, festival_id=festival.id)
    festival.bump()
    return added, changed, len(removed)


# ----------------------------------------------------------------------------- scores


@dataclass
class ScoreIn:
    criterion: EmulationCriterion
    self_score: Decimal | None
    bloc_score: Decimal | None
    note: str = ""


def _score_snapshot(s: EmulationScore | None) -> dict:
    if s is None:
        return {"self": "", "bloc": "", "note": ""}
    return {"self": num(s.self_score), "bloc": num(s.bloc_score), "note": s.note or ""}


def set_scores(festival: Festival, table: EmulationTable, unit: Unit, lines: list[ScoreIn],
               reason: str = "") -> int:
    """Record a unit's self and bloc scores; every value must lie in 0..the criterion's max.

    Field names of refusals: ``self_<criterion id>``, ``bloc_<criterion id>``,
    ``note_<criterion id>``. The linked criterion takes no hand score. Returns how many
    criteria changed (each change is one audit row)."""
    problems = Problems()
    linked = table.link_criterion if table.festival_id is not None else None
    for line in lines:
        c = line.criterion
        domain_c = Criterion(c.code, c.group, c.name, exact(c.max_score))
        if c.code == linked and (line.self_score is not None or line.bloc_score is not None):
            problems.add(f"bloc_{c.id}", f"Tiêu chí {c.code} được tính {LINK_LABEL}; không chấm tay.")
            continue
        for kind, value in (("self", line.self_score), ("bloc", line.bloc_score)):
            score = Score(unit.code, c.code, value if kind == "self" else None, value if kind == "bloc" else None)
            try:
                check_scores([domain_c], [score])
            except RuleError as err:
                for message in err.messages:
                    problems.add(f"{kind}_{c.id}", message)
        if len(nfc(line.note or "")) > 500:
            problems.add(f"note_{c.id}", "Ghi chú tối đa 500 ký tự.")
    problems.raise_if_any()
    current = {s.criterion_id: s for s in db.session.scalars(select(EmulationScore).where(
        EmulationScore.unit_id == unit.id, EmulationScore.criterion_id.in_([x.criterion.id for x in lines])))}
    changed = 0
    for line in lines:
        if line.criterion.code == linked:
            continue
        row = current.get(line.criterion.id)
        before = _score_snapshot(row)
        after = {"self": num(line.self_score), "bloc": num(line.bloc_score), "note": nfc(line.note or "")}
        if before == after:
            continue
        if row is None:
            row = EmulationScore(criterion=line.criterion, unit_id=unit.id)
            db.session.add(row)
        row.self_score, row.bloc_score, row.note = line.self_score, line.bloc_score, after["note"]
        db.session.flush()
        audit.record("emulation.score", row, before={"unit": unit.code, "criterion": line.criterion.code, **before},
                     after={"unit": unit.code, "criterion": line.criterion.code, **after},
                     reason=nfc(reason), festival_id=festival.id)
        changed += 1
    if changed:
        festival.bump()
    return changed


# ----------------------------------------------------------------------------- adjustments


def add_adjustment(festival: Festival, table: EmulationTable, unit: Unit | None, kind: str,
                   points: Decimal | None, reason: str) -> EmulationAdjustment:
    problems = Problems()
    if unit is None:
        problems.add("unit", "Chọn đơn vị.")
    if kind not in ("bonus", "penalty"):
        problems.add("kind", "Chọn điểm cộng hoặc điểm trừ.")
    if points is None:
        problems.add("points", "Nhập số điểm.")
    elif not 0 < points <= MAX_SCORE:
        problems.add("points", "Số điểm phải lớn hơn 0 (loại điểm đã cho biết cộng hay trừ).")
    if not nfc(reason or ""):
        problems.add("reason", "Ghi lý do cộng/trừ điểm (ví dụ: “Bị nhắc nhở chậm báo cáo quý III”).")
    elif len(nfc(reason)) > 500:
        problems.add("reason", "Lý do tối đa 500 ký tự.")
    problems.raise_if_any()
    row = EmulationAdjustment(unit_id=unit.id, kind=kind, points=points, reason=nfc(reason))
    table.adjustments.append(row)
    db.session.flush()
    audit.record("emulation.adjustment_add", row, after={"unit": unit.code, "kind": kind, "points": num(points)},
                 reason=row.reason, festival_id=festival.id)
    festival.bump()
    return row


def delete_adjustment(festival: Festival, table: EmulationTable, row: EmulationAdjustment) -> None:
    unit = db.session.get(Unit, row.unit_id)
    audit.record("emulation.adjustment_delete", row,
                 before={"unit": unit.code if unit else None, "kind": row.kind, "points": num(row.points)},
                 reason=row.reason, festival_id=festival.id)
    table.adjustments.remove(row)
    db.session.flush()
    festival.bump()


# ----------------------------------------------------------------------------- the summary


@dataclass
class UnitLine:
    """One unit's line of the summary, with what the pages show beside the domain's row."""

    unit: Unit
    row: EmulationRow
    tied: bool
    proposal: str
    scores: dict[int, EmulationScore]  # criterion id → stored score
    adjustments: list[EmulationAdjustment]
    festival_rank: int | None
    rank_bonus: Fraction
    events_entered: int


@dataclass
class Summary:
    table: EmulationTable
    festival: Festival
    criteria: list[EmulationCriterion]
    groups: list[tuple[str, list[EmulationCriterion]]]
    lines: list[UnitLine]  # in ranking order
    linked_code: str | None
    max_total: Fraction
    problems: list[str]

    def line(self, unit_code: str) -> UnitLine | None:
        return next((x for x in self.lines if x.unit.code == unit_code), None)


def _domain_rows(festival: Festival, table: EmulationTable) -> list[EmulationRow]:
    if table.festival_id == festival.id:
        _, rows = rankings.emulation(festival)
        return rows
    return rankings.emulation_inputs(festival, table).rows(link=None)  # not linked: no festival facts


def summary(festival: Festival, table: EmulationTable) -> Summary:
    """The ranked table with everything the grid, the exports and the unit pages show."""
    problems: list[str] = []
    try:
        rows = _domain_rows(festival, table)
    except RuleError as err:  # e.g. a festival file's table whose link criterion was removed
        problems, rows = list(err.messages), []
    try:
        proposed = proposals(rows, table.titles or [], table.title_tiers or None) if table.titles else {}
    except RuleError as err:
        problems += err.messages
        proposed = {}
    linked = table.link_criterion if table.festival_id == festival.id else None
    festival_ranks: dict[str, int] = {}
    entered: dict[str, int] = {}
    if linked:
        festival_ranks = {r.unit: r.rank for r in rankings.medal_table(festival) if r.total > 0 or (r.points or 0) > 0}
        entered = rankings.events_entered(festival)
    bonus_by_rank = {int(k): exact(v) for k, v in (table.rank_bonus or {}).items()}
    units = {u.code: u for u in festival.units}
    scores: dict[int, dict[int, EmulationScore]] = {}
    for c in table.criteria:
        for s in c.scores:
            scores.setdefault(s.unit_id, {})[c.id] = s
    rank_count: dict[int, int] = {}
    for r in rows:
        rank_count[r.rank] = rank_count.get(r.rank, 0) + 1
    lines = []
    for r in rows:
        unit = units[r.unit]
        rank = festival_ranks.get(r.unit)
        lines.append(UnitLine(
            unit=unit, row=r, tied=rank_count[r.rank] > 1, proposal=proposed.get(r.unit, ""),
            scores=scores.get(unit.id, {}),
            adjustments=[a for a in table.adjustments if a.unit_id == unit.id],
            festival_rank=rank, rank_bonus=bonus_by_rank.get(rank, Fraction(0)) if linked and rank else Fraction(0),
            events_entered=entered.get(r.unit, 0),
        ))
    groups: list[tuple[str, list[EmulationCriterion]]] = []
    for c in table.criteria:
        if groups and groups[-1][0] == c.group:
            groups[-1][1].append(c)
        else:
            groups.append((c.group, [c]))
    return Summary(table=table, festival=festival, criteria=list(table.criteria), groups=groups, lines=lines,
                   linked_code=linked, max_total=sum((exact(c.max_score) for c in table.criteria), Fraction(0)),
                   problems=problems)


def difference(score: EmulationScore | None) -> Fraction | None:
    """Bloc score − self score, when both are given."""
    if score is None or score.self_score is None or score.bloc_score is None:
        return None
    return exact(score.bloc_score) - exact(score.self_score)

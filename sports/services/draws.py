"""Making draws: stages, groups and matches from the domain's draws, the lock, seeds,
qualification from groups into a knockout, and lots.

The domain decides everything random (``draws.groups_split``, ``draws.knockout_draw``) from a
recorded seed, so a draw can be reproduced and audited; this module turns its answers into
rows. A draw can be made again as often as wanted until the organiser locks it or the event
has its first result.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Callable, Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from sports.domain import draws, standings
from sports.domain.draws import round_robin
from sports.domain.types import DrawEntry, RuleError
from sports.extensions import db
from sports.models import Entry, EntryAthlete, Event, Group, GroupEntry, Match, Stage
from sports.services import audit
from sports.services.bracket import ensure_rows, refresh_open_rows, sync_knockout
from sports.services.errors import Problems
from sports.services.rankings import event_format, group_standings, key, match_result

STRUCTURES = {
    "round_robin": "Vòng tròn một bảng",
    "groups": "Vòng tròn chia bảng (không có vòng loại trực tiếp)",
    "groups_knockout": "Chia bảng, rồi loại trực tiếp",
    "knockout": "Loại trực tiếp",
}
MAX_RNG_SEED = 2**31 - 1


def create_round_robin_stage(event: Event, groups: Sequence[tuple[str, Sequence[Entry]]], *,
                             lots: Sequence[Sequence[Entry]] = (),
                             fill: Callable[[Match], None] | None = None) -> Stage:
    """A round-robin stage with the given groups (name, entries) and every group match.

    ``lots`` holds a recorded lot order per group; ``fill(row)`` is called on each new match
    (the importer records the file's result there).
    """
    stage = Stage(event=event, type="round_robin", position=len(event.stages))
    db.session.add(stage)
    for g_pos, (name, entries) in enumerate(groups):
        drawn = lots[g_pos] if g_pos < len(lots) else ()
        group = Group(stage=stage, name=name, position=g_pos, lots=[e.id for e in drawn])
        db.session.add(group)
        for pos, entry in enumerate(entries):
            group.members.append(GroupEntry(entry=entry, position=pos))
        by_key = {str(e.id): e for e in entries}
        for rnd, pairs in enumerate(round_robin(list(by_key)), start=1):
            for pos, (home, away) in enumerate(pairs):
                row = Match(event=event, stage=stage, group=group, round=rnd, position=pos,
                            home=by_key[home], away=by_key[away], sets=[])
                db.session.add(row)
                if fill is not None:
                    fill(row)
    db.session.flush()
    return stage


# ------------------------------------------------------------------------------ the draw

@dataclass
class DrawSpec:
    structure: str                  # a key of STRUCTURES
    groups: int = 1
    qualifiers: int = 2             # per group, into the knockout
    seeds: int | None = None        # knockout: how many seeds (None: RULES.md §3 default)
    separation: str = "full"        # knockout: none | first_round | full
    rng_seed: int | None = None     # None: a new random seed (shown and recorded)


def has_results(event: Event) -> bool:
    return event.placings_recorded or bool(db.session.scalar(
        select(exists().where(Match.event_id == event.id, Match.status == "completed"))))


def lock_reason(event: Event) -> str | None:
    """Why the draw can no longer be made again, or None."""
    if has_results(event):
        return "Nội dung đã có kết quả thi đấu: sơ đồ đã khóa, không bốc thăm lại được."
    if event.draw_locked:
        return "Ban tổ chức đã khóa sơ đồ. Mở khóa để bốc thăm lại."
    return None


def drawable_entries(event: Event) -> list[Entry]:
    return [e for e in event.entries if not e.withdrawn]


def _draw_entries(entries: list[Entry]) -> list[DrawEntry]:
    return [DrawEntry(key(e.id), e.unit.code, e.seed) for e in entries]


def group_names(n: int) -> list[str]:
    return list(string.ascii_uppercase[:n]) if n <= 26 else [f"B{i + 1}" for i in range(n)]


def _check_spec(event: Event, spec: DrawSpec, n: int) -> None:
    problems = Problems()
    if spec.structure not in STRUCTURES:
        problems.add("structure", "Chọn thể thức: vòng tròn, chia bảng hoặc loại trực tiếp.")
    if n < 2:
        problems.add("structure", f"Cần ít nhất 2 VĐV/đôi/đội đã đăng ký để bốc thăm (có {n}).")
    if spec.structure in ("groups", "groups_knockout"):
        if spec.groups < 2:
            problems.add("groups", "Chia bảng cần ít nhất 2 bảng.")
        elif n < 2 * spec.groups:
            problems.add("groups", f"Không chia được {n} VĐV/đôi/đội thành {spec.groups} bảng: mỗi bảng cần ít nhất 2.")
    if spec.structure == "groups_knockout" and spec.groups >= 2 and not problems.fields.get("groups"):
        try:
            draws.crossover(group_names(spec.groups), spec.qualifiers)
        except RuleError as exc:
            problems.fields.setdefault("qualifiers", []).extend(exc.messages)
        if spec.qualifiers >= 1 and n < spec.groups * (spec.qualifiers + 1):
            problems.add("qualifiers", f"Mỗi bảng lấy {spec.qualifiers} thì mỗi bảng cần hơn {spec.qualifiers} đội.")
    if spec.structure == "knockout":
        if spec.separation not in draws.SEPARATIONS:
            problems.add("separation", "Chọn mức tách đơn vị: không tách, vòng đầu, hoặc đầy đủ.")
        if spec.seeds is not None and not 0 <= spec.seeds <= n:
            problems.add("seeds", f"Số hạt giống phải từ 0 đến {n}.")
    if spec.rng_seed is not None and not 0 <= spec.rng_seed <= MAX_RNG_SEED:
        problems.add("rng_seed", f"Mã bốc thăm là số từ 0 đến {MAX_RNG_SEED}.")
    problems.raise_if_any()


def _summary(event: Event) -> dict:
    out = []
    for s in event.stages:
        item = {"type": s.type, "rng_seed": s.rng_seed}
        if s.type == "round_robin":
            item["groups"] = {g.name: [m.entry_id for m in g.members] for g in s.groups}
        else:
            item["draw"] = list(s.draw or [])
            if s.draw_labels:
                item["labels"] = list(s.draw_labels)
        out.append(item)
    return {"stages": out}


def make_draw(event: Event, spec: DrawSpec) -> Event:
    """(Re)make the event's draw; refused once locked or played. Flushes; audited."""
    reason = lock_reason(event)
    if reason:
        raise RuleError(reason)
    entries = drawable_entries(event)
    _check_spec(event, spec, len(entries))
    rng_seed = spec.rng_seed if spec.rng_seed is not None else random.SystemRandom().randint(0, MAX_RNG_SEED)
    before = _summary(event)
    for stage in list(event.stages):
        event.stages.remove(stage)
    db.session.flush()
    by_key = {key(e.id): e for e in entries}
    items = _draw_entries(entries)
    if spec.structure == "round_robin":
        stage = create_round_robin_stage(event, [("A", entries)])
        stage.rng_seed = rng_seed
    elif spec.structure in ("groups", "groups_knockout"):
        split = draws.groups_split(items, spec.groups, rng_seed)
        names = group_names(spec.groups)
        stage = create_round_robin_stage(event, [(name, [by_key[k] for k in keys]) for name, keys in zip(names, split)])
        stage.rng_seed = rng_seed
        if spec.structure == "groups_knockout":
            stage.qualifiers = spec.qualifiers
            ko = Stage(event=event, type="knockout", position=1, draw=[],
                       draw_labels=draws.crossover(names, spec.qualifiers), qualifiers=spec.qualifiers)
            db.session.add(ko)
            db.session.flush()
            ensure_rows(ko)
    else:
        lines = draws.knockout_draw(items, seeds=spec.seeds, separation=spec.separation, rng_seed=rng_seed)
        ko = Stage(event=event, type="knockout", position=0, draw=[int(k) if k else None for k in lines],
                   rng_seed=rng_seed, seeds=spec.seeds, separation=spec.separation)
        db.session.add(ko)
        db.session.flush()
        sync_knockout(ko)
        ensure_rows(ko)
    db.session.flush()
    db.session.refresh(event)
    event.festival.bump(event)
    audit.record("draw.make", event, before=before,
                 after={"structure": spec.structure, "rng_seed": rng_seed, "groups": spec.groups,
                        "qualifiers": spec.qualifiers, "seeds": spec.seeds, "separation": spec.separation,
                        **_summary(event)}, festival_id=event.festival_id)
    return event


def set_locked(event: Event, locked: bool) -> None:
    if not locked and has_results(event):
        raise RuleError("Nội dung đã có kết quả thi đấu: sơ đồ không mở khóa được.")
    if locked and not event.stages:
        raise RuleError("Chưa có sơ đồ để khóa: hãy bốc thăm trước.")
    if event.draw_locked == locked:
        return
    event.draw_locked = locked
    event.festival.bump(event)
    db.session.flush()
    audit.record("draw.lock" if locked else "draw.unlock", event, festival_id=event.festival_id)


def set_seeds(event: Event, seeds: dict[int, int | None]) -> None:
    """Seed numbers by entry id (None: unseeded). Refused once the draw is locked."""
    reason = lock_reason(event)
    if reason:
        raise RuleError(reason)
    by_id = {e.id: e for e in event.entries}
    given = {i: s for i, s in seeds.items() if s is not None}
    problems = Problems()
    if any(i not in by_id for i in seeds):
        problems.add("seeds", "Có VĐV/đôi/đội không thuộc nội dung này.")
    if any(s < 1 or s > len(by_id) for s in given.values()):
        problems.add("seeds", f"Số hạt giống là số từ 1 đến {len(by_id)}.")
    numbers = sorted(given.values())
    if len(set(numbers)) != len(numbers):
        twice = sorted({s for s in numbers if numbers.count(s) > 1})
        problems.add("seeds", f"Hạt giống số {', '.join(map(str, twice))} được gán cho hai VĐV/đôi/đội.")
    elif numbers and numbers != list(range(1, len(numbers) + 1)):
        problems.add("seeds", "Hạt giống phải đánh số liên tiếp từ 1 (1, 2, 3…).")
    problems.raise_if_any()
    before = {e.id: e.seed for e in event.entries if e.seed is not None}
    for entry_id, entry in by_id.items():
        if entry_id in seeds:
            entry.seed = seeds[entry_id]
    after = {e.id: e.seed for e in event.entries if e.seed is not None}
    if after != before:
        event.festival.bump(event)
        db.session.flush()
        audit.record("draw.seeds", event, before={str(k): v for k, v in before.items()},
                     after={str(k): v for k, v in after.items()}, festival_id=event.festival_id)


# -------------------------------------------------------------------------- qualification

PLACE_WORDS = {1: "Nhất", 2: "Nhì", 3: "Ba", 4: "Tư"}


def label_text(label: str) -> str:
    """"A1" → "Nhất bảng A"."""
    group, place = label[:-1], int(label[-1])
    return f"{PLACE_WORDS.get(place, f'Hạng {place}')} bảng {group}"


@dataclass
class Qualification:
    stage: Stage                       # the knockout waiting for its qualifiers
    ready: bool                        # every group complete and its qualifying places known
    waiting: list[str]                 # why not ready, per group (Vietnamese)
    lines: list[tuple[str, Entry | None]]   # (label, entry) in draw order


def qualification(event: Event, confirmed_only: bool = True) -> Qualification | None:
    """The knockout's qualifiers from the groups' standings, when the event has groups then a
    knockout (from confirmed results only, unless ``confirmed_only`` is False)."""
    if len(event.stages) < 2 or event.stages[0].type != "round_robin" or event.stages[1].type != "knockout":
        return None
    groups_stage, ko = event.stages[0], event.stages[1]
    if not ko.draw_labels:
        return None
    by_key = {key(e.id): e for e in event.entries}
    placed: dict[str, Entry] = {}
    waiting = []
    wanted = ko.qualifiers or 2
    for gs in group_standings(event, groups_stage, confirmed_only=confirmed_only):
        name = gs.group.name
        if not gs.complete:
            left = sum(1 for m in groups_stage.matches if m.group_id == gs.group.id and m.status != "completed")
            pending = sum(1 for m in groups_stage.matches
                          if m.group_id == gs.group.id and m.status == "completed" and not m.confirmed)
            waiting.append(f"Bảng {name} còn {left} trận chưa có kết quả." if left else
                           f"Bảng {name} còn {pending} kết quả chờ xác nhận.")
            continue
        rows = [r for r in gs.rows if not r.withdrawn]
        top = rows[:wanted]
        # A place the crossover needs (A1 vs A2 matters) is known only when no lot is pending there.
        if any(r.tied for r in top):
            waiting.append(f"Bảng {name} có đội đồng hạng cần bốc thăm trước khi xác định đội đi tiếp.")
            continue
        for place, row in enumerate(top, start=1):
            placed[f"{name}{place}"] = by_key[row.entry]
    lines = [(label, placed.get(label)) for label in ko.draw_labels]
    return Qualification(ko, ready=not waiting and all(e is not None for _, e in lines), waiting=waiting, lines=lines)


def confirm_qualification(event: Event) -> Stage:
    """Put the qualifiers into the knockout draw (after the organiser saw them)."""
    q = qualification(event)
    if q is None:
        raise RuleError("Nội dung này không có vòng loại trực tiếp sau vòng bảng.")
    if q.stage.draw:
        raise RuleError("Các đội đi tiếp đã được xác nhận vào sơ đồ.")
    if not q.ready:
        raise RuleError(q.waiting or ["Chưa đủ đội đi tiếp."])
    q.stage.draw = [e.id for _, e in q.lines]
    db.session.flush()
    sync_knockout(q.stage)
    event.festival.bump(event)
    audit.record("draw.qualify", event, after={"draw": list(q.stage.draw), "labels": list(q.stage.draw_labels)},
                 festival_id=event.festival_id)
    return q.stage


REQUALIFY_REFUSED = ("Sửa kết quả này làm thay đổi các đội vào vòng loại trực tiếp, mà vòng đó đã có kết quả. "
                     "Hãy sửa hoặc hủy các kết quả vòng loại trực tiếp trước.")


def follow_group_change(event: Event, actor=None) -> None:
    """After a group result was corrected (or taken off) once the qualifiers were confirmed:
    the knockout takes the qualifiers the groups now give, or waits for them again (the
    organiser confirms once more) when the groups no longer give them all. Refused, changing
    nothing, when a knockout match has a result already: those results come off first.

    A corrected result waiting for its second confirmation counts here: the groups were
    confirmed once, and a score typo fixed by a referee must not take the knockout apart."""
    q = qualification(event, confirmed_only=False)
    if q is None or not q.stage.draw:
        return
    new = [e.id for _, e in q.lines] if q.ready else []
    if new == list(q.stage.draw):
        return
    if any(m.status == "completed" for m in q.stage.matches):
        raise RuleError(REQUALIFY_REFUSED)
    before = list(q.stage.draw)
    q.stage.draw = new
    db.session.flush()
    if new:
        refresh_open_rows(q.stage)
    else:
        for row in q.stage.matches:
            row.home, row.away = None, None
        db.session.flush()
    event.festival.bump(event)
    audit.record("draw.requalify", event, before={"draw": before}, after={"draw": new, "waiting": q.waiting},
                 festival_id=event.festival_id, actor=actor)


def group_change_preview(event: Event, change: Callable[[], None]) -> list[str]:
    """What ``change`` (a group result about to be corrected, applied inside a savepoint that
    is always rolled back) would do to a knockout whose qualifiers are confirmed: one line per
    place that gets another entry; [] when nothing moves. RuleError when it would be refused
    (the knockout has results already)."""
    q = qualification(event)
    if q is None or not q.stage.draw:
        return []
    before = {label: entry for label, entry in zip(q.stage.draw_labels or [], q.stage.draw)}
    names = {e.id: e.display_name for e in event.entries}
    savepoint = db.session.begin_nested()
    try:
        change()
        db.session.flush()
        after = qualification(event, confirmed_only=False)
        lines = [] if after is None else [
            f"{label_text(label)}: {names[entry.id]} (thay {names.get(before.get(label), '?')})"
            if entry is not None else f"{label_text(label)}: chưa xác định (thay {names.get(before.get(label), '?')})"
            for label, entry in after.lines if (entry.id if entry is not None else None) != before.get(label)]
        played = any(m.status == "completed" for m in q.stage.matches)
    finally:
        savepoint.rollback()
    if lines and played:
        raise RuleError(REQUALIFY_REFUSED)
    return lines


# --------------------------------------------------------------------------------- lots

def tied_without_lots(group: Group) -> list[int]:
    """Entries of the complete group that only lots can separate, as if no lot had been recorded.

    A group still playing has no lot to draw: its ties may still be broken on court.
    """
    event = group.stage.event
    members = [key(m.entry_id) for m in group.members]
    matches = [m for m in group.stage.matches if m.group_id == group.id]
    if not next(gs.complete for gs in group_standings(event, group.stage, confirmed_only=True) if gs.group.id == group.id):
        return []
    withdrawn = {key(e.id) for e in event.entries if e.withdrawn} & set(members)
    rows = standings.rank_group(members, [r for r in map(match_result, matches) if r is not None],
                                event.ranking_preset, event.ranking_options or {}, withdrawn=withdrawn,
                                lots=[], match_format=event_format(event))
    return [int(r.entry) for r in rows if r.tied]


def record_lots(group: Group, order: Sequence[int]) -> None:
    """The lot's order for the entries of a group that only lots can separate (RULES.md §2).

    ``order`` lists every such entry once, first drawn first; recording again corrects it.
    """
    event = group.stage.event
    tied = tied_without_lots(group)
    if not tied:
        raise RuleError(f"Bảng {group.name} không có đội nào phải bốc thăm (bảng chưa đấu xong, "
                        "hoặc luật đã phân định được thứ hạng).")
    order = [int(i) for i in order]
    if sorted(order) != sorted(tied):
        raise RuleError(f"Thứ tự bốc thăm của bảng {group.name} phải gồm mỗi đội đồng hạng đúng một lần.")
    before = list(group.lots or [])
    group.lots = order
    event.festival.bump(event)
    db.session.flush()
    audit.record("draw.lots", group, before=before, after=order, festival_id=event.festival_id)


# ------------------------------------------------------------------------ bracket view

@dataclass
class Side:
    text: str                 # the entry's name, "Nhất bảng A", "Thắng trận 3", or "miễn đấu"
    entry: Entry | None
    winner: bool = False


@dataclass
class BracketSlot:
    round: int
    index: int
    home: Side
    away: Side
    bye: bool
    match: Match | None       # the row (scores, court, time), when there is one


def round_name(rnd: int, rounds: int) -> str:
    left = rounds - rnd
    if left == 0:
        return "Chung kết"
    if left == 1:
        return "Bán kết"
    if left == 2:
        return "Tứ kết"
    return f"Vòng 1/{2 ** left}"


def bracket_view(stage: Stage) -> list[list[BracketSlot]]:
    """The knockout as rounds of slots, with names, byes and the places still open."""
    from sports.services.bracket import bracket_lines
    from sports.services.rankings import winners_of

    lines = bracket_lines(stage)
    if not lines:
        return []
    entries = {key(e.id): e for e in stage.event.entries}
    bracket = draws.build_bracket(lines, winners_of(stage) if stage.draw else {})
    rows = {(m.round, m.position): m for m in stage.matches if not m.is_playoff}
    view: list[list[BracketSlot]] = []
    for rnd in bracket:
        slots = []
        for bm in rnd:
            def side(k: str | None, feeder: int) -> Side:
                if k is None:
                    if bm.round == 1:
                        return Side("miễn đấu", None)
                    previous = round_name(bm.round - 1, len(bracket))
                    return Side(f"Thắng trận {2 * bm.index + feeder + 1} {previous.lower()}", None)
                if k in entries:
                    return Side(entries[k].display_name, entries[k], bm.winner == k)
                return Side(label_text(k), None)
            slots.append(BracketSlot(bm.round, bm.index, side(bm.home, 0), side(bm.away, 1), bm.bye,
                                     rows.get((bm.round, bm.index))))
        view.append(slots)
    return view


def match_sides(matches) -> dict[int, tuple[str, str]]:
    """What to call each side of these matches: the entry, or the place still open
    ("Nhất bảng A", "Thắng trận 1 bán kết") for knockout matches not decided yet."""
    out: dict[int, tuple[str, str]] = {}
    views: dict[int, dict[tuple[int, int], BracketSlot]] = {}
    matches = list(matches)
    _load_entries({m.event for m in matches if m.stage.type == "knockout"
                   and (m.home_entry_id is None or m.away_entry_id is None)})
    for m in matches:
        home = m.home.display_name if m.home else None
        away = m.away.display_name if m.away else None
        if (home is None or away is None) and m.stage.type == "knockout":
            if m.stage_id not in views:
                views[m.stage_id] = {(s.round, s.index): s for rnd in bracket_view(m.stage) for s in rnd}
            slot = views[m.stage_id].get((m.round, m.position))
            if m.is_playoff:
                home = home or "Thua trận 1 bán kết"
                away = away or "Thua trận 2 bán kết"
            elif slot is not None:
                home, away = home or slot.home.text, away or slot.away.text
        out[m.id] = (home or "chưa xác định", away or "chưa xác định")
    return out


def _load_entries(events) -> None:
    """Load these events' entries with their players in one go (a bracket names them all)."""
    pending = list(events)
    if not pending:
        return
    by_event: dict[int, list[Entry]] = {e.id: [] for e in pending}
    for entry in db.session.scalars(select(Entry).where(Entry.event_id.in_(by_event)).order_by(Entry.position)
                                    .options(selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                                             joinedload(Entry.unit))):
        by_event[entry.event_id].append(entry)
    for event in pending:
        set_committed_value(event, "entries", by_event[event.id])

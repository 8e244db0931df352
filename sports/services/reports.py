"""The public documents' data: the medal table and the results book, as plain data.

Everything here is read from the recorded results through ``rankings`` (standings, placings,
medals) and ``draws`` (bracket, round names, the sides of undecided matches); nothing is
computed again or stored. The answers are frozen dataclasses of text and numbers, ready to
lay out: ``sports.pdf`` draws them, :func:`medals_workbook` writes the medal table to Excel.
Every text is NFC (names typed decomposed on some keyboards render wrongly otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain import medals as medal_rules
from sports.domain import scoring
from sports.domain.disciplines import event_label
from sports.domain.standings import PRESETS, StandingRow
from sports.domain.text import date_phrase, nfc
from sports.extensions import db
from sports.importers.exports import BOLD, BOX, TITLE, header_row, put, to_bytes
from sports.models import Entry, EntryAthlete, Event, Festival, Group, Match, Stage
from sports.services import rankings
from sports.services.draws import Side, bracket_view, match_sides, round_name

PRIZE_WORDS = {1: "Nhất", 2: "Nhì", 3: "Ba"}
MODE_TITLES = {"olympic": "Xếp hạng theo số huy chương (Vàng, rồi Bạc, rồi Đồng)",
               "points": "Xếp hạng theo tổng điểm các thứ hạng, rồi số huy chương"}
OUTCOME_NOTES = {"walkover": "w.o.", "retired": "ret.", "disqualified": "truất quyền",
                 "double_walkover": "cả hai bỏ cuộc"}
PROVISIONAL = "chờ xác nhận"


# ------------------------------------------------------------------------- plain data

@dataclass(frozen=True)
class Heading:
    name: str
    organiser: str
    place: str
    dates: str          # "từ ngày 25 tháng 11 năm 2023 đến ngày 01 tháng 12 năm 2023", or ""
    slug: str


@dataclass(frozen=True)
class MedalLine:
    rank: int
    unit_code: str
    unit_name: str
    gold: int
    silver: int
    bronze: int
    total: int
    points: str | None   # "12" or "12,5" in points mode, else None
    prize: str           # "Nhất" | "Nhì" | "Ba" | "" (giải toàn đoàn)


@dataclass(frozen=True)
class MedalReport:
    heading: Heading
    mode: str                       # "olympic" | "points"
    mode_title: str
    labels: tuple[str, str, str]    # ("Huy chương Vàng", …) or ("Giải Nhất", …)
    rows: tuple[MedalLine, ...]

    @property
    def with_points(self) -> bool:
        return self.mode == "points"

    def headers(self) -> tuple[str, ...]:
        short = tuple(label.split()[-1] for label in self.labels)   # "Vàng" / "Nhất"
        heads = ("Hạng", "Mã", "Đơn vị", *short, "Tổng")
        return heads + (("Điểm",) if self.with_points else ()) + ("Toàn đoàn",)

    def cells(self, line: MedalLine) -> tuple:
        cells = (line.rank, line.unit_code, line.unit_name, line.gold, line.silver, line.bronze, line.total)
        if self.with_points:
            cells += (line.points,)
        return cells + (line.prize,)


@dataclass(frozen=True)
class StandingLine:
    rank: int
    entry: str
    unit: str
    cells: tuple[str, ...]    # one per column of the group's preset
    tied: bool                # only lots can separate it ("bốc thăm")
    withdrawn: bool


@dataclass(frozen=True)
class MatchLine:
    label: str              # "Lượt 1", "Trận 3", "Tranh hạng Ba"
    home: str
    away: str
    winner: str | None      # "home" | "away" | None
    sets: str               # "2-1" (sets won by each side), "" when not played
    scores: str             # "25-20, 23-25, 15-10" from the home side
    note: str               # "w.o.", "ret.", "chưa đấu", "miễn đấu", "chờ xác nhận", …
    provisional: bool


@dataclass(frozen=True)
class GroupReport:
    title: str                      # "Bảng A"
    columns: tuple[str, ...]
    rows: tuple[StandingLine, ...]
    matches: tuple[MatchLine, ...]
    complete: bool


@dataclass(frozen=True)
class RoundReport:
    name: str                       # "Tứ kết", "Bán kết", "Chung kết", "Tranh hạng Ba"
    matches: tuple[MatchLine, ...]


@dataclass(frozen=True)
class PlacingLine:
    place: int
    medal: str                      # "Huy chương Vàng" … or ""
    entry: str
    unit: str


@dataclass(frozen=True)
class EventReport:
    code: str
    name: str
    kind: str                       # "Bóng bàn – Đơn nam"
    rules: str                      # "Xếp hạng bảng: ITTF · Thi đấu 5 ván, mỗi ván 11 điểm"
    groups: tuple[GroupReport, ...]
    rounds: tuple[RoundReport, ...]
    placings: tuple[PlacingLine, ...]
    placings_final: bool            # False while the event is still being played
    recorded: bool                  # placings recorded directly by the organiser


@dataclass(frozen=True)
class ResultsBook:
    heading: Heading
    medals: MedalReport
    events: tuple[EventReport, ...]


# --------------------------------------------------------------------- number formats

def decimal(value: Fraction | int | float, places: int = 3) -> str:
    """A number the Vietnamese way: decimal comma, no trailing zeros ("1,5", "12")."""
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return str(int(value))
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def ratio(won: int, lost: int) -> str:
    """A won/lost ratio as FIVB tables show it: "MAX" for x/0, "–" for nothing counted."""
    if lost == 0:
        return "MAX" if won else "–"
    return f"{won / lost:.3f}".replace(".", ",")


def difference(won: int, lost: int) -> str:
    d = won - lost
    return f"+{d}" if d > 0 else str(d)


# ------------------------------------------------------ standings columns, per preset

Column = tuple[str, Callable[[StandingRow], str]]


def _columns(set_word: str) -> dict[str, tuple[Column, ...]]:
    """The columns of a group's standings, per ranking preset: the figures its criteria use."""
    played: tuple[Column, ...] = (("Trận", lambda r: str(r.played)), ("Thắng", lambda r: str(r.won)),
                                  ("Thua", lambda r: str(r.lost)))
    sets: Column = (set_word, lambda r: f"{r.sets_won}-{r.sets_lost}")
    points: Column = ("Điểm", lambda r: f"{r.points_won}-{r.points_lost}")
    # FIVB and ITTF rank on match points and ratios, BWF on wins and differences.
    ratios = played + (("Điểm XH", lambda r: str(r.match_points)), sets,
                       (f"Tỷ số {set_word.lower()}", lambda r: ratio(r.sets_won, r.sets_lost)), points,
                       ("Tỷ số điểm", lambda r: ratio(r.points_won, r.points_lost)))
    return {
        "fivb": ratios,
        "ittf": ratios,
        "bwf": played + (sets, (f"Hiệu số {set_word.lower()}", lambda r: difference(r.sets_won, r.sets_lost)),
                         points, ("Hiệu số điểm", lambda r: difference(r.points_won, r.points_lost))),
    }


def standing_columns(event: Event) -> tuple[Column, ...]:
    word = scoring.set_word(event.sport)
    return _columns(word).get(event.ranking_preset) or _columns(word)["ittf"]


# --------------------------------------------------------------------------- heading

def heading(festival: Festival) -> Heading:
    if festival.start_date and festival.end_date and festival.start_date != festival.end_date:
        dates = f"Từ {date_phrase(festival.start_date)} đến {date_phrase(festival.end_date)}"
    elif festival.start_date:
        dates = date_phrase(festival.start_date).capitalize()
    else:
        dates = ""
    return Heading(nfc(festival.name), nfc(festival.organiser or ""), nfc(festival.place or ""), dates,
                   festival.slug)


# ----------------------------------------------------------------------- medal table

def medal_report(festival: Festival) -> MedalReport:
    """The festival's medal table in its mode (points in points mode), shared ranks kept."""
    rows = rankings.medal_table(festival)
    prizes = medal_rules.overall_prizes(rows, festival.overall_tiers or (1, 1, 1))
    names = {u.code: nfc(u.name) for u in festival.units}
    style = festival.medal_labels if festival.medal_labels in medal_rules.MEDAL_LABELS else "medals"
    lines = tuple(
        MedalLine(r.rank, r.unit, names.get(r.unit, r.unit), r.gold, r.silver, r.bronze, r.total,
                  None if r.points is None else decimal(r.points, 2), PRIZE_WORDS.get(prizes.get(r.unit, 0), ""))
        for r in rows)
    mode = festival.medal_mode or "olympic"
    return MedalReport(heading(festival), mode, MODE_TITLES.get(mode, mode),
                       medal_rules.MEDAL_LABELS[style], lines)


def medals_workbook(report: MedalReport) -> bytes:
    """The medal table as an Excel workbook: a title block, then one row per unit."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng huy chương"
    headers = report.headers()
    widths = [7, 12, 46, 9, 9, 9, 9] + ([10] if report.with_points else []) + [12]
    lines = [("BẢNG TỔNG SẮP HUY CHƯƠNG", TITLE), (report.heading.name, BOLD), (report.mode_title, None)]
    for row, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        cell = put(ws, row, 1, text, alignment=Alignment(horizontal="center", wrap_text=True))
        if font is not None:
            cell.font = font
    top = len(lines) + 2
    header_row(ws, top, headers, widths)
    for n, line in enumerate(report.rows, start=1):
        for col, value in enumerate(report.cells(line), start=1):
            if report.with_points and col == 8 and value is not None:
                value = _number(value)
            put(ws, top + n, col, value, border=BOX)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.print_title_rows = f"{top}:{top}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return to_bytes(wb)


def _number(text: str) -> int | float:
    """Points back as a number, so that Excel can sum them."""
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


# ---------------------------------------------------------------------- results book

def event_report_options() -> tuple:
    """What :func:`event_report` reads of an event, to load up front (the book, the event page):
    entries with their players and unit, placings, stages with matches (and courts) and groups."""
    return (selectinload(Event.entries).selectinload(Entry.members).selectinload(EntryAthlete.athlete),
            selectinload(Event.entries).selectinload(Entry.unit), selectinload(Event.placings),
            selectinload(Event.stages).selectinload(Stage.matches).joinedload(Match.court),
            selectinload(Event.stages).selectinload(Stage.groups).selectinload(Group.members))


def _events(festival: Festival) -> list[Event]:
    """Every event with what the book shows loaded up front: a fixed number of queries."""
    return list(db.session.scalars(
        select(Event).where(Event.festival_id == festival.id).order_by(Event.position, Event.id)
        .options(*event_report_options())))


def entry_name(event: Event, entry: Entry) -> str:
    """What an entry is called in a list: its players for singles and pairs; for a team its
    name, else its unit (a roster of ten names is not a name)."""
    if event.is_team and not entry.name:
        return nfc(entry.unit.display_name)
    return nfc(entry.display_name)


def _entry_texts(event: Event) -> tuple[dict[int, str], dict[int, str]]:
    names = {e.id: entry_name(event, e) for e in event.entries}
    units = {e.id: nfc(e.unit.short_name or e.unit.name) for e in event.entries}
    return names, units


def _match_line(match: Match, label: str, sides: tuple[str, str], event: Event) -> MatchLine:
    home, away = (nfc(s) for s in sides)
    if match.status != "completed":
        return MatchLine(label, home, away, None, "", "", "chưa đấu", False)
    result = rankings.match_result(match)
    winner = None
    if match.winner_entry_id is not None:
        winner = "home" if match.winner_entry_id == match.home_entry_id else "away"
    sets_text = sets_won(match, result)
    scores = ", ".join(f"{h}-{a}" for h, a in match.sets or ())
    notes = [OUTCOME_NOTES[match.outcome]] if match.outcome in OUTCOME_NOTES else []
    if not match.confirmed:
        notes.append(PROVISIONAL)
    return MatchLine(label, home, away, winner, sets_text, scores, ", ".join(notes), not match.confirmed)


def sets_won(match: Match, result=None) -> str:
    """Sets (games) won by each side as the rules count them, "2-1"; "" before a result. An
    unfinished set of a retired match counts for nobody."""
    result = result if result is not None else rankings.match_result(match)
    if result is None or not result.sets:
        return ""
    a, b, _, _ = scoring.set_totals(result, rankings.event_format(match.event))
    return f"{a}-{b}"


def _groups(event: Event, stage: Stage, names: dict[int, str], units: dict[int, str]) -> list[GroupReport]:
    columns = standing_columns(event)
    by_group: dict[int | None, list[Match]] = {}
    for m in stage.matches:
        by_group.setdefault(m.group_id, []).append(m)
    out = []
    for gs in rankings.group_standings(event, stage):
        rows = tuple(StandingLine(r.rank, names.get(int(r.entry), r.entry), units.get(int(r.entry), ""),
                                  tuple(value(r) for _, value in columns), r.tied, r.withdrawn)
                     for r in gs.rows)
        matches = sorted(by_group.get(gs.group.id, []), key=lambda m: (m.round, m.position, m.id))
        lines = tuple(_match_line(m, f"Lượt {m.round}", (names.get(m.home_entry_id, "chưa xác định"),
                                                         names.get(m.away_entry_id, "chưa xác định")), event)
                      for m in matches)
        out.append(GroupReport(f"Bảng {nfc(gs.group.name)}", tuple(c for c, _ in columns), rows, lines, gs.complete))
    return out


def _rounds(event: Event, stage: Stage, names: dict[int, str]) -> list[RoundReport]:
    view = bracket_view(stage)
    out = []
    number = 0

    def side(s: Side) -> str:
        return names.get(s.entry.id, s.text) if s.entry is not None else nfc(s.text)

    for rnd in view:
        lines = []
        for slot in rnd:
            number += 1
            label = f"Trận {number}"
            home, away = side(slot.home), side(slot.away)
            if slot.bye:
                present = away if slot.home.entry is None and slot.home.text == "miễn đấu" else home
                lines.append(MatchLine(label, home, away, None, "", "", f"{present} vào thẳng vòng sau", False))
            elif slot.match is not None:
                lines.append(_match_line(slot.match, label, (home, away), event))
            else:
                lines.append(MatchLine(label, home, away, None, "", "", "chưa đấu", False))
        out.append(RoundReport(round_name(rnd[0].round, len(view)) if rnd else "", tuple(lines)))
    playoff = [m for m in stage.matches if m.is_playoff]
    if playoff:
        sides = {m.id: (names.get(m.home_entry_id, fallback[0]), names.get(m.away_entry_id, fallback[1]))
                 for m, fallback in ((m, match_sides([m])[m.id]) for m in playoff)}
        out.append(RoundReport("Tranh hạng Ba", tuple(_match_line(m, "Trận tranh hạng Ba", sides[m.id], event)
                                                      for m in playoff)))
    return out


def _placings(event: Event, festival: Festival, names: dict[int, str], units: dict[int, str]) -> list[PlacingLine]:
    style = festival.medal_labels if festival.medal_labels in medal_rules.MEDAL_LABELS else "medals"
    out = []
    for p in rankings.event_placings(event):
        medal = medal_rules.medal_for_place(p.place)
        entry_id = int(p.entry)
        out.append(PlacingLine(p.place, medal_rules.medal_label(medal, style) if medal else "",
                               names.get(entry_id, p.entry), units.get(entry_id, "")))
    return out


def _placings_final(event: Event, placings: list[PlacingLine]) -> bool:
    if event.placings_recorded:
        return True
    if not placings or not event.stages:
        return False
    last = event.stages[-1]
    return all(m.status == "completed" and m.confirmed for m in last.matches) and bool(last.matches)


def _rules_text(event: Event) -> str:
    preset = PRESETS.get(event.ranking_preset)
    word = scoring.set_word(event.sport).lower()
    fmt = f"Thi đấu {event.best_of} {word}, mỗi {word} {event.points} điểm"
    if event.deciding_points and event.deciding_points != event.points:
        fmt += f" ({word} quyết định {event.deciding_points} điểm)"
    if event.cap:
        fmt += f", tối đa {event.cap} điểm"
    return (f"Xếp hạng bảng: {preset.label} · " if preset else "") + fmt


def event_report(event: Event, festival: Festival) -> EventReport:
    names, units = _entry_texts(event)
    groups: list[GroupReport] = []
    rounds: list[RoundReport] = []
    for stage in event.stages:
        if stage.type == "round_robin":
            groups += _groups(event, stage, names, units)
        else:
            rounds += _rounds(event, stage, names)
    placings = _placings(event, festival, names, units)
    return EventReport(event.code, nfc(event.name), nfc(event_label(event.sport, event.discipline)),
                       _rules_text(event), tuple(groups), tuple(rounds), tuple(placings),
                       _placings_final(event, placings), event.placings_recorded)


def results_book(festival: Festival) -> ResultsBook:
    """Every event of the festival: groups with standings and matches, the knockout rounds,
    and the placings with medals; the medal table first."""
    events = _events(festival)
    return ResultsBook(heading(festival), medal_report(festival),
                       tuple(event_report(e, festival) for e in events))

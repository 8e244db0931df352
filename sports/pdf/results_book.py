"""The results book (sổ kết quả): the medal table, then every event on its own pages.

In: a ``sports.services.reports.ResultsBook`` (plain data, built by that service). Out: PDF
bytes, A4 portrait. Per event: each group's standings with its preset's columns and every
match with set scores and outcomes (w.o., ret., results waiting for confirmation marked), the
knockout round by round, then the final placings with medals. Winners are set in bold.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from sports.pdf.layout import MEDAL_FILLS, WIDTH, Grid, Styles, build, styles, text
from sports.pdf.medals import medal_flowables

if TYPE_CHECKING:
    from sports.services.reports import EventReport, GroupReport, MatchLine, ResultsBook, RoundReport

MATCH_WIDTHS = (17 * mm, 50 * mm, 50 * mm, 10 * mm, 33 * mm, 20 * mm)
MATCH_HEADERS = ("Trận", "Bên A", "Bên B", "Tỷ số", "Chi tiết", "Ghi chú")
PROVISIONAL_FILL = "#FFF4D6"
TIED_NOTE = "bốc thăm"
WITHDRAWN_NOTE = "rút lui"


def _matches_table(matches: tuple[MatchLine, ...], s: Styles) -> Flowable:
    grid = Grid(s, MATCH_WIDTHS, MATCH_HEADERS, center=(3,))
    provisional = []
    for m in matches:
        winner = {"home": 1, "away": 2}.get(m.winner or "")
        row = grid.add((m.label, m.home, m.away, m.sets, m.scores, m.note),
                       bold=(3,) + ((winner,) if winner else ()), italic=(5,))
        if m.provisional:
            provisional.append(("BACKGROUND", (0, row), (-1, row), PROVISIONAL_FILL))
    return grid.table(provisional)


def _stat_width(column: str) -> float:
    """Counts are narrow, "62-54" and "1,148" need room; headings wrap onto two lines."""
    if column in ("Trận", "Thắng", "Thua"):
        return 11 * mm
    return 11 * mm if column == "Điểm XH" else 13.5 * mm


def _standings_table(group: GroupReport, s: Styles) -> Flowable:
    stats = [_stat_width(c) for c in group.columns]
    fixed = [10 * mm, 28 * mm]
    widths = [fixed[0], WIDTH - sum(fixed) - sum(stats), fixed[1], *stats]
    grid = Grid(s, widths, ("Hạng", "VĐV / Đôi / Đội", "Đơn vị", *group.columns),
                center=[0, *range(3, 3 + len(stats))])
    for r in group.rows:
        marks = [m for m, on in ((TIED_NOTE, r.tied), (WITHDRAWN_NOTE, r.withdrawn)) if on]
        name = f"{r.entry} ({', '.join(marks)})" if marks else r.entry
        grid.add((r.rank, name, r.unit, *r.cells), bold=(0,))
    return grid.table()


def _group_flowables(group: GroupReport, s: Styles) -> list[Flowable]:
    title = group.title + ("" if group.complete else " (đang thi đấu)")
    out: list[Flowable] = [Paragraph(text(title), s.h3), _standings_table(group, s)]
    if any(r.tied for r in group.rows):
        out.append(Paragraph("“bốc thăm”: các tiêu chí không phân định được thứ hạng, "
                             "ban tổ chức bốc thăm để xếp hạng.", s.note))
    out.append(Spacer(0, 2 * mm))
    if group.matches:
        out.append(_matches_table(group.matches, s))
    out.append(Spacer(0, 3 * mm))
    return out


def _round_flowables(rnd: RoundReport, s: Styles) -> list[Flowable]:
    return [Paragraph(text(rnd.name), s.h3), _matches_table(rnd.matches, s), Spacer(0, 2 * mm)]


def _placings_flowables(event: EventReport, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Thứ hạng chung cuộc", s.h2)]
    if not event.placings:
        out.append(Paragraph("Chưa có kết quả chung cuộc.", s.note))
        return out
    if not event.placings_final:
        out.append(Paragraph("Nội dung chưa kết thúc: các thứ hạng dưới đây là những thứ hạng đã xác định.",
                             s.note))
    grid = Grid(s, (14 * mm, 36 * mm, 80 * mm, 50 * mm), ("Hạng", "Giải", "VĐV / Đôi / Đội", "Đơn vị"),
                center=(0,))
    fills = []
    for p in event.placings:
        row = grid.add((p.place, p.medal, p.entry, p.unit), bold=(0, 1) if p.medal else (0,))
        if 1 <= p.place <= len(MEDAL_FILLS):
            fills.append(("BACKGROUND", (1, row), (1, row), MEDAL_FILLS[p.place - 1]))
    out.append(grid.table(fills))
    if event.recorded:
        out.append(Paragraph("Thứ hạng do ban tổ chức ghi nhận trực tiếp.", s.note))
    return out


def event_flowables(event: EventReport, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph(text(f"{event.name}"), s.h1),
        Paragraph(text(f"Mã nội dung {event.code} · {event.kind} · {event.rules}"), s.note),
    ]
    if event.groups:
        out.append(Paragraph("Vòng bảng", s.h2))
        for group in event.groups:
            out += _group_flowables(group, s)
    if event.rounds:
        out.append(Paragraph("Vòng loại trực tiếp", s.h2))
        for rnd in event.rounds:
            out += _round_flowables(rnd, s)
    if not event.groups and not event.rounds and not event.recorded:
        out.append(Paragraph("Nội dung chưa bốc thăm xếp lịch.", s.note))
    out.append(KeepTogether(_placings_flowables(event, s)))
    return out


def results_book_pdf(book: ResultsBook) -> bytes:
    s = styles(cell_size=7.5)
    h = book.heading
    story: list[Flowable] = [Paragraph("KẾT QUẢ THI ĐẤU", s.title), Paragraph(text(h.name), s.subtitle)]
    for line in (h.organiser, h.dates):
        if line:
            story.append(Paragraph(text(line), s.meta))
    story += [Spacer(0, 6 * mm), Paragraph("Bảng tổng sắp huy chương", s.h2),
              Paragraph(text(book.medals.mode_title), s.note)]
    story += medal_flowables(book.medals, styles(cell_size=8.5))
    story += [Spacer(0, 4 * mm), Paragraph("Các nội dung thi đấu", s.h2)]
    contents = Grid(s, (28 * mm, 82 * mm, 70 * mm), ("Mã", "Nội dung", "Môn – hình thức"))
    for e in book.events:
        contents.add((e.code, e.name, e.kind))
    story.append(contents.table())
    for event in book.events:
        story.append(PageBreak())
        story += event_flowables(event, s)
    return build(story, f"Kết quả thi đấu – {h.name}", h.name)

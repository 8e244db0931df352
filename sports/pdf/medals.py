"""The medal table (bảng tổng sắp huy chương) as a one-table A4 PDF.

In: a ``sports.services.reports.MedalReport`` (plain data, built by that service). Out: PDF bytes. The table follows
the festival's mode: medal counts, plus a points column in points mode; units sharing a rank
show the same rank; the overall prize (giải toàn đoàn) is in the last column.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from sports.pdf.layout import MEDAL_FILLS, WIDTH, Grid, Styles, build, styles, text

if TYPE_CHECKING:
    from sports.services.reports import MedalReport


def medal_flowables(report: MedalReport, s: Styles) -> list[Flowable]:
    """The table itself (also the first part of the results book)."""
    headers = report.headers()
    fixed = [12 * mm, 20 * mm] + [13 * mm] * 4 + ([15 * mm] if report.with_points else []) + [19 * mm]
    widths = fixed[:2] + [WIDTH - sum(fixed)] + fixed[2:]
    n = len(headers)
    grid = Grid(s, widths, headers, center=[0, *range(3, n)])
    for line in report.rows:
        grid.add(report.cells(line), bold=(0, n - 1))
    fills = [("BACKGROUND", (3 + i, 0), (3 + i, 0), fill) for i, fill in enumerate(MEDAL_FILLS)]
    out: list[Flowable] = [grid.table(fills)]
    if not report.rows:
        out.append(Paragraph("Hội thao chưa có đơn vị nào.", s.note))
    return out


def medals_pdf(report: MedalReport) -> bytes:
    s = styles(cell_size=9.5)
    h = report.heading
    story: list[Flowable] = [Paragraph("BẢNG TỔNG SẮP HUY CHƯƠNG", s.title), Paragraph(text(h.name), s.subtitle)]
    if h.dates:
        story.append(Paragraph(text(h.dates), s.meta))
    story += [Paragraph(text(report.mode_title), s.meta), Spacer(0, 3 * mm)]
    story += medal_flowables(report, s)
    return build(story, f"Bảng tổng sắp huy chương – {h.name}", h.name)

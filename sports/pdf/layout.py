"""What the festival's printed lists share: A4 pages with a footer, paragraph styles in the
registered fonts, tables with a repeated header row, and text made safe for Paragraph markup.

Plain data in, PDF bytes out; no database, no Flask.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from sports.domain.text import nfc
from sports.pdf.fonts import FontNames, register

PAGE = A4
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN            # usable width: 180 mm
HEADER_FILL = colors.HexColor("#DDEBF7")
GRID = colors.HexColor("#9AA5B1")
MUTED = colors.HexColor("#4A5560")
MEDAL_FILLS = (colors.HexColor("#F6E7A1"), colors.HexColor("#E3E6EA"), colors.HexColor("#EFD2B8"))


def text(value: object) -> str:
    """Any value as Paragraph markup: NFC, with &, < and > escaped."""
    return escape(nfc("" if value is None else str(value)))


@dataclass(frozen=True)
class Styles:
    fonts: FontNames
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    meta: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle


def styles(cell_size: float = 8) -> Styles:
    f = register()
    base = ParagraphStyle("body", fontName=f.sans, fontSize=9, leading=12)
    cell = ParagraphStyle("cell", parent=base, fontSize=cell_size, leading=cell_size * 1.25)
    return Styles(
        fonts=f,
        title=ParagraphStyle("title", fontName=f.serif_bold, fontSize=20, leading=25, alignment=TA_CENTER,
                             spaceAfter=4),
        subtitle=ParagraphStyle("subtitle", fontName=f.serif, fontSize=13, leading=17, alignment=TA_CENTER,
                                spaceAfter=2),
        h1=ParagraphStyle("h1", fontName=f.serif_bold, fontSize=16, leading=20, spaceAfter=2, keepWithNext=1),
        h2=ParagraphStyle("h2", fontName=f.serif_bold, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=3,
                          keepWithNext=1),
        h3=ParagraphStyle("h3", fontName=f.sans_bold, fontSize=9, leading=12, spaceBefore=4, spaceAfter=2,
                          keepWithNext=1),
        body=base,
        note=ParagraphStyle("note", parent=base, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=3),
        meta=ParagraphStyle("meta", parent=base, fontSize=9, leading=12, textColor=MUTED, alignment=TA_CENTER),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        head=ParagraphStyle("head", parent=cell, fontName=f.sans_bold, alignment=TA_CENTER),
    )


def table(rows: Sequence[Sequence[object]], widths: Sequence[float], extra: Sequence[tuple] = (),
          header_rows: int = 1, size: float = 8) -> Table:
    """A grid table with a shaded header row repeated on every page it runs onto."""
    t = Table(list(rows), colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register().sans),   # not reportlab's unembedded Helvetica
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.25),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]))
    return t


PADDING = 6    # left + right cell padding of :func:`table`, in points


class Grid:
    """Rows for :func:`table`, cheap at the scale of a national results book.

    A value that fits its column is kept as a plain string (drawn in the table's own font, bold
    through a style command); only what must wrap becomes a Paragraph, which costs far more.
    """

    def __init__(self, s: Styles, widths: Sequence[float], headers: Sequence[str], center: Sequence[int] = ()):
        self.s, self.widths, self.center = s, list(widths), set(center)
        self.rows: list[list] = [[Paragraph(text(h), s.head) for h in headers]]
        self.commands: list[tuple] = [("ALIGN", (c, 1), (c, -1), "CENTER") for c in self.center]

    def add(self, values: Sequence[object], bold: Sequence[int] = (), italic: Sequence[int] = ()) -> int:
        """Append a row; returns its index in the table."""
        row_index = len(self.rows)
        f, size = self.s.fonts, self.s.cell.fontSize
        row: list = []
        for col, value in enumerate(values):
            plain = nfc("" if value is None else str(value))
            font = f.sans_bold if col in bold else f.sans
            if "\n" not in plain and stringWidth(plain, font, size) <= self.widths[col] - PADDING:
                row.append(plain)
                if col in bold:
                    self.commands.append(("FONTNAME", (col, row_index), (col, row_index), font))
            else:
                style = self.s.cell_center if col in self.center else self.s.cell
                row.append(para(plain, style, bold=col in bold, italic=col in italic and col not in bold))
        self.rows.append(row)
        return row_index

    def table(self, extra: Sequence[tuple] = ()) -> Table:
        return table(self.rows, self.widths, [*self.commands, *extra], size=self.s.cell.fontSize)


def build(story: list, title: str, footer: str) -> bytes:
    """Lay ``story`` out on A4 pages with ``footer`` and the page number at the bottom."""
    f = register()
    out = io.BytesIO()
    footer = nfc(footer)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(f.sans, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 9 * mm, footer[:120])
        canvas.drawRightString(PAGE[0] - MARGIN, 9 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=nfc(title), author=footer,
                            creator="Hội thao", invariant=1,
                            # reportlab would start each page in an unembedded Helvetica
                            initialFontName=f.sans, initialFontSize=9)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def para(value: object, style: ParagraphStyle, bold: bool = False, italic: bool = False) -> Paragraph:
    markup = text(value)
    if bold:
        markup = f"<b>{markup}</b>"
    if italic:
        markup = f"<i>{markup}</i>"
    return Paragraph(markup, style)

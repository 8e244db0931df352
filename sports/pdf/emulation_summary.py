"""“Bảng tổng hợp điểm thi đua” as a PDF ready to sign: A4 landscape, the Decree 30 heading
(issuing body left, national title right), the ranked table, the criteria legend, the place and
date line and the signature block. Plain data in (a :class:`~sports.services.emulation_table.Summary`),
bytes out; fonts from :mod:`sports.pdf.fonts` (embedded subsets).

What it does not know: how the figures were computed, or where the bytes go.
"""
from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sports.domain.text import date_line
from sports.pdf import fonts
from sports.services.emulation_table import LINK_LABEL, Summary, num, title_of


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _font(names: fonts.FontNames) -> list[tuple]:
    """A table draws in reportlab's unembedded Helvetica unless told otherwise, even around paragraphs."""
    return [("FONTNAME", (0, 0), (-1, -1), names.serif)]


def render(s: Summary, today: date | None = None) -> bytes:
    names = fonts.register()
    base = ParagraphStyle("base", fontName=names.serif, fontSize=10, leading=12.5)
    center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
    bold_center = ParagraphStyle("bold_center", parent=center, fontName=names.serif_bold)
    title = ParagraphStyle("title", parent=bold_center, fontSize=15, leading=19, spaceBefore=6)
    italic_center = ParagraphStyle("italic_center", parent=center, fontName=names.serif_italic)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=11)
    cell_center = ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER)
    head = ParagraphStyle("head", parent=cell_center, fontName=names.serif_bold)

    festival, table = s.festival, s.table
    issuer = (festival.organiser or "").upper() or "KHỐI THI ĐUA"
    heading = Table([[
        [_p(issuer, bold_center), _p("KHỐI THI ĐUA", bold_center), _p("______", center)],
        [_p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_center), _p("Độc lập - Tự do - Hạnh phúc", bold_center),
         _p("______________", center)],
    ]], colWidths=[110 * mm, 150 * mm])
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_font(names)]))
    story = [heading, _p("BẢNG TỔNG HỢP ĐIỂM THI ĐUA", title), _p(title_of(table), bold_center), Spacer(1, 5 * mm)]

    codes = [c.code for c in s.criteria]
    rows = [[_p(h, head) for h in ["Hạng", "Đơn vị", *codes, "Điểm cộng", "Điểm trừ", "Tổng điểm", "Đề nghị"]]]
    rows.append([_p("", cell), _p("Điểm tối đa", cell)] + [_p(num(c.max_score), cell_center) for c in s.criteria]
                + [_p(num(table.bonus_cap) if table.bonus_cap is not None else "", cell_center), _p("", cell),
                   _p(num(s.max_total), cell_center), _p("", cell)])
    for line in s.lines:
        r = line.row
        rows.append([_p(f"{r.rank}" + ("\n(đồng hạng)" if line.tied else ""), cell_center), _p(line.unit.name, cell)]
                    + [_p(num(r.criteria[c]), cell_center) for c in codes]
                    + [_p(num(r.bonus), cell_center), _p(num(r.penalty), cell_center),
                       _p(num(r.total), ParagraphStyle("total", parent=cell_center, fontName=names.serif_bold)),
                       _p(line.proposal, cell)])
    usable = 277 * mm
    fixed = [18 * mm, 62 * mm, 16 * mm, 16 * mm, 17 * mm, 30 * mm]
    each = max((usable - sum(fixed)) / max(len(codes), 1), 9 * mm)
    widths = fixed[:2] + [each] * len(codes) + fixed[2:]
    grid = Table(rows, colWidths=widths, repeatRows=2)
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#EEF2F5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *_font(names),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    story += [grid, Spacer(1, 4 * mm)]
    legend = "; ".join(f"{c.code}: {c.name}" + (f" ({LINK_LABEL})" if c.code == s.linked_code else "")
                       for c in s.criteria)
    small = ParagraphStyle("small", parent=cell, fontSize=8, leading=9.5)
    story.append(_p("Tiêu chí — " + legend + ".", small))
    if table.bonus_cap is not None:
        story.append(_p(f"Điểm cộng tính tối đa {num(table.bonus_cap)} điểm; tổng = điểm tiêu chí + điểm cộng − điểm trừ.",
                        small))
    when = today or date.today()
    signer = [_p(date_line(festival.place or "", when), italic_center),
              _p((table.signer_title or "").upper(), bold_center), Spacer(1, 16 * mm),
              _p(table.signer_name or "", bold_center)]
    sign = Table([[_p("", base), signer]], colWidths=[160 * mm, 110 * mm])
    sign.setStyle(TableStyle(_font(names)))
    story += [Spacer(1, 2 * mm), KeepTogether(sign)]

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=10 * mm, bottomMargin=10 * mm, title="Bảng tổng hợp điểm thi đua",
                            author=festival.organiser or "",
                            initialFontName=names.serif, initialFontSize=10)  # not an unembedded Helvetica
    doc.build(story)
    return out.getvalue()

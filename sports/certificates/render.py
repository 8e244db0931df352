"""Award certificates (giấy chứng nhận) as PDF: plain data in, bytes out.

One A4 landscape page per certificate, laid out as RULES.md §5 says (Decree 30/2020 Appendix I
and convention): the issuing body top left in capitals with a short rule below, the national
title and motto top right with a rule below, the title, the recipient, the unit, the
achievement, the register number, the place-and-date line in italics, and the signer's title and
name; the QR code of the verification address bottom left, drawn as rectangles (reportlab's QR
widget would pull in an unembedded Helvetica). An optional logo (above the title) and background
image (under everything) come from the organiser.

All pages go onto one canvas, one after the other, from an iterator: a batch of thousands of
certificates never holds more than one page's drawing besides the PDF being written, and the
images and fonts are stored once in the file however many pages use them. Every text is NFC;
every font is a TrueType face, embedded as a subset.

What this module does not know: where the data comes from, which certificates exist, or how
register numbers are made.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from sports.domain.text import nfc
from sports.pdf import fonts
from sports.web.qr import qr_matrix

PAGE = landscape(A4)            # 297 × 210 mm
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE_COLOUR = colors.HexColor("#B3151B")
INK = colors.HexColor("#1B1B1B")
FRAME = colors.HexColor("#9C7A2B")
REVOKED = colors.HexColor("#C0392B")


@dataclass(frozen=True)
class Faces:
    """reportlab names of the four faces a certificate draws with."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class OwnFont:
    """An organiser's TrueType files (checked before they get here); a missing bold or italic
    face falls back to the regular one."""

    regular: Path
    bold: Path | None = None
    italic: Path | None = None


@dataclass(frozen=True)
class Design:
    """What every certificate of a festival shares."""

    issuer: tuple[str, ...]         # issuing body, one line each ("SỞ Y TẾ TỈNH LÂM ĐỒNG", "BAN TỔ CHỨC …")
    title: str = "GIẤY CHỨNG NHẬN"
    intro: str = ""                 # above the recipient, e.g. "Ban Tổ chức Hội thao … chứng nhận"
    closing: str = ""               # under the achievement, e.g. "tại Hội thao … năm 2023"
    date_line: str = ""             # "Lâm Đồng, ngày 01 tháng 12 năm 2023" (RULES.md §5)
    signer_title: tuple[str, ...] = ("TM. BAN TỔ CHỨC", "TRƯỞNG BAN")
    signer_name: str = ""
    logo: bytes | None = None       # PNG or JPEG, checked by the caller
    background: bytes | None = None
    font: OwnFont | None = None
    document_title: str = "Giấy chứng nhận"


@dataclass(frozen=True)
class CertificatePage:
    """One certificate."""

    recipient: str                  # "Đoàn Hoàng Anh", "Đội bóng chuyền nam", a unit for the overall prize
    achievement: str                # "HUY CHƯƠNG VÀNG – Đơn nam – Môn Cầu lông"
    register_no: str                # "001/GCN-BTC"
    verify_url: str                 # what the QR code holds
    unit: str = ""                  # "Bệnh viện Đa khoa tỉnh Lâm Đồng"
    partner: str = ""               # the other player of a pair
    revoked: bool = False           # a preview of a revoked certificate carries a stamp
    extra: dict = field(default_factory=dict, compare=False)


def faces(design: Design) -> Faces:
    """Register the fonts the design uses (once per process) and name them."""
    if design.font is None:
        f = fonts.register()
        return Faces(f.serif, f.serif_bold, f.serif_italic, f.serif_bold_italic)
    regular = _own(design.font.regular)
    bold = _own(design.font.bold) if design.font.bold else regular
    italic = _own(design.font.italic) if design.font.italic else regular
    return Faces(regular, bold, italic, bold if design.font.bold else italic)


def _own(path: Path) -> str:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    return fonts.register_ttf(f"CertFont-{digest}", path)


def render(design: Design, pages: Iterable[CertificatePage], progress: Callable[[int], None] | None = None) -> bytes:
    """Every page of ``pages`` in one PDF; ``progress(n)`` is called after each page."""
    out = io.BytesIO()
    write(design, pages, out, progress)
    return out.getvalue()


def write(design: Design, pages: Iterable[CertificatePage], out: BinaryIO | str,
          progress: Callable[[int], None] | None = None) -> int:
    """Draw ``pages`` onto one canvas writing to ``out``; returns the number of pages."""
    names = faces(design)
    canvas = Canvas(out, pagesize=PAGE, invariant=1, pageCompression=1,
                    initialFontName=names.regular, initialFontSize=12)
    canvas.setTitle(nfc(design.document_title))
    canvas.setCreator("Hội thao")
    canvas.setAuthor(nfc(design.issuer[-1]) if design.issuer else "Hội thao")
    logo = ImageReader(io.BytesIO(design.logo)) if design.logo else None
    background = ImageReader(io.BytesIO(design.background)) if design.background else None
    count = 0
    for page in pages:
        _page(canvas, names, design, page, logo, background)
        canvas.showPage()
        count += 1
        if progress is not None:
            progress(1)
    if count == 0:
        canvas.setFont(names.italic, 14)
        canvas.drawCentredString(PAGE[0] / 2, PAGE[1] / 2, "Chưa có giấy chứng nhận nào.")
        canvas.showPage()
    canvas.save()
    return count


# ----------------------------------------------------------------------------- drawing

def _fit(text: str, font: str, size: float, width: float, smallest: float = 8) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width``."""
    w = stringWidth(text, font, size)
    return size if w <= width else max(smallest, size * width / w)


def _centred(c: Canvas, text: str, x: float, y: float, font: str, size: float, width: float) -> float:
    """Draw ``text`` centred on ``x``, shrunk to fit ``width``; returns the size used."""
    size = _fit(text, font, size, width)
    c.setFont(font, size)
    c.drawCentredString(x, y, text)
    return size


def _rule(c: Canvas, x: float, y: float, width: float) -> None:
    c.setLineWidth(0.7)
    c.line(x - width / 2, y, x + width / 2, y)


def _frame(c: Canvas) -> None:
    w, h = PAGE
    c.setStrokeColor(FRAME)
    c.setLineWidth(2.2)
    c.rect(9 * mm, 9 * mm, w - 18 * mm, h - 18 * mm)
    c.setLineWidth(0.6)
    c.rect(11.5 * mm, 11.5 * mm, w - 23 * mm, h - 23 * mm)
    c.setStrokeColor(INK)


def _qr(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code of ``text`` as filled rectangles, one per run of dark modules, lower left at (x, y)."""
    matrix = qr_matrix(text)
    n = len(matrix)
    module = size / n
    c.setFillColor(colors.white)
    c.rect(x - 2 * module, y - 2 * module, size + 4 * module, size + 4 * module, stroke=0, fill=1)
    c.setFillColor(colors.black)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * module
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(x + start * module, top, (col - start) * module, module)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.setFillColor(INK)


def _page(c: Canvas, f: Faces, d: Design, p: CertificatePage, logo: ImageReader | None,
          background: ImageReader | None) -> None:
    w, h = PAGE
    if background is not None:
        c.drawImage(background, 0, 0, w, h, preserveAspectRatio=False, mask="auto")
    else:
        _frame(c)
    c.setFillColor(INK)
    c.setStrokeColor(INK)

    # Heading: the issuing body left, the national title right (Decree 30 Appendix I).
    left_x, right_x, top = 72 * mm, 205 * mm, h - 26 * mm
    issuer = [nfc(line).upper() for line in d.issuer if nfc(line)] or ["BAN TỔ CHỨC"]
    y = top
    for i, line in enumerate(issuer):
        last = i == len(issuer) - 1
        used = _centred(c, line, left_x, y, f.bold if last else f.regular, 12.5, 110 * mm)
        y -= used * 1.3
    _rule(c, left_x, y + 12.5 * 0.45, 30 * mm)
    _centred(c, NATIONAL_TITLE, right_x, top, f.bold, 12.5, 130 * mm)
    used = _centred(c, MOTTO, right_x, top - 12.5 * 1.3, f.bold, 13.5, 120 * mm)
    _rule(c, right_x, top - 12.5 * 1.3 - used * 0.55, stringWidth(MOTTO, f.bold, used))

    centre = w / 2
    text_width = w - 60 * mm
    y = h - 60 * mm
    if logo is not None:
        lw, lh = logo.getSize()
        box = 20 * mm
        scale = min(box / lw, box / lh)
        c.drawImage(logo, centre - lw * scale / 2, y + 1 * mm, lw * scale, lh * scale, mask="auto")
        y -= 6 * mm
    c.setFillColor(TITLE_COLOUR)
    _centred(c, nfc(d.title).upper(), centre, y - 8 * mm, f.bold, 34, text_width)
    c.setFillColor(INK)
    y -= 19 * mm

    if d.intro:
        _centred(c, nfc(d.intro), centre, y, f.italic, 15, text_width)
        y -= 15 * mm
    else:
        y -= 4 * mm
    _centred(c, nfc(p.recipient), centre, y, f.bold, 28, text_width)
    y -= 10.5 * mm
    if p.partner:
        _centred(c, f"cùng vận động viên {nfc(p.partner)}", centre, y, f.italic, 13, text_width)
        y -= 7.5 * mm
    if p.unit:
        _centred(c, f"Đơn vị: {nfc(p.unit)}", centre, y, f.regular, 15, text_width)
        y -= 11.5 * mm
    c.setFillColor(TITLE_COLOUR)
    _centred(c, f"Đã đạt: {nfc(p.achievement)}", centre, y, f.bold, 17, text_width)
    c.setFillColor(INK)
    y -= 10 * mm
    if d.closing:
        lines = simpleSplit(nfc(d.closing), f.italic, 14, text_width)
        for line in lines[:2]:
            _centred(c, line, centre, y, f.italic, 14, text_width)
            y -= 6.5 * mm

    # Foot: the QR code and register number left; place, date and signature right.
    qr_size, qr_x, qr_y = 24 * mm, 24 * mm, 24 * mm
    _qr(c, p.verify_url, qr_x, qr_y, qr_size)
    c.setFont(f.regular, 11)
    c.drawString(qr_x, qr_y + qr_size + 4 * mm, f"Số vào sổ: {nfc(p.register_no)}")
    c.setFont(f.italic, 8)
    c.drawString(qr_x + qr_size + 3 * mm, qr_y + 2 * mm, "Quét mã để kiểm tra")

    sign_x, y = 212 * mm, 56 * mm
    if d.date_line:
        _centred(c, nfc(d.date_line), sign_x, y, f.italic, 14, 120 * mm)
        y -= 7 * mm
    for line in d.signer_title:
        if nfc(line):
            _centred(c, nfc(line).upper(), sign_x, y, f.bold, 13.5, 120 * mm)
            y -= 6.2 * mm
    if d.signer_name:
        _centred(c, nfc(d.signer_name), sign_x, 24 * mm, f.bold, 14, 120 * mm)

    if p.revoked:
        c.saveState()
        c.setFillColor(REVOKED)
        c.setFillAlpha(0.35)
        c.translate(centre, h / 2)
        c.rotate(20)
        c.setFont(f.bold, 64)
        c.drawCentredString(0, 0, "ĐÃ THU HỒI")
        c.restoreState()

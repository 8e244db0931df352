"""QR codes as inline SVG rectangles (for the login cards), from reportlab's pure-Python encoder.

Only the module matrix comes from reportlab; no reportlab drawing or font is involved, so the
code prints crisply from any browser at any size.
"""
from __future__ import annotations

from markupsafe import Markup
from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_matrix(text: str, level: int = QRErrorCorrectLevel.M) -> list[list[bool]]:
    """The dark (True) and light modules, row by row, of the smallest version that holds ``text``
    (UTF-8 bytes, byte mode) at error correction ``level`` (M: 15 % of the code may be lost).

    No ECI header is written, so readers take bytes above ASCII as they please: fine for the
    URLs this is for, not for Vietnamese text."""
    code = QRCode(None, level)
    code.addData(QR8bitByte(text))
    code.make()
    n = code.getModuleCount()
    return [[bool(code.isDark(r, c)) for c in range(n)] for r in range(n)]


def qr_svg(text: str, size: str = "30mm", label: str | None = None) -> Markup:
    """An ``<svg>`` of the QR code of ``text``: one path, a rectangle per run of dark modules."""
    matrix = qr_matrix(text)
    n = len(matrix) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {n} {n}" width="{size}" height="{size}" '
        'role="img" aria-label="{label}" shape-rendering="crispEdges">'
        '<rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d="{d}"/></svg>'
    ).format(n=n, size=size, label=label if label is not None else text, d=Markup("".join(runs)))


__all__ = ["qr_matrix", "qr_svg"]

"""Certificates at scale: 1,000 pages in one PDF through ``sports.certificates.render``,
against raw reportlab drawing the same page (the same texts at the same sizes, the same
embedded font, the same QR code as rectangles) in the same run; and peak memory.

The baseline is the least a certificate page can cost with reportlab: no fitting of long
names, no rules, frame or layout decisions. The ratio says what the real page costs over it.
"""
from __future__ import annotations

import io
import time
import tracemalloc

N_PAGES = 1000
GOAL_THROUGHPUT = 0.80  # of the baseline's pages per second


def _pages(n: int):
    from sports.certificates.render import CertificatePage

    given = ["Anh", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Hương", "Khánh", "Loan", "Ngọc"]
    for i in range(n):
        yield CertificatePage(
            recipient=f"Nguyễn Thị {given[i % len(given)]} {i:04d}",
            achievement="HUY CHƯƠNG VÀNG – Đôi nam nữ – Môn Cầu lông",
            register_no=f"{i + 1:04d}/GCN-BTC",
            verify_url=f"https://hoithao.example.vn/verify/{i:012x}",
            unit="Bệnh viện Đa khoa tỉnh Lâm Đồng",
            partner="Trần Văn Hùng",
        )


def _design():
    from sports.certificates.render import Design

    return Design(issuer=("SỞ Y TẾ TỈNH LÂM ĐỒNG", "BAN TỔ CHỨC HỘI THAO"),
                  intro="Ban Tổ chức Hội thao Khối thi đua số 1 ngành Y tế chứng nhận",
                  closing="tại Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023",
                  date_line="Lâm Đồng, ngày 01 tháng 12 năm 2023", signer_name="Đỗ Hoàng Hải")


def _ours(n: int) -> bytes:
    from sports.certificates.render import render

    return render(_design(), _pages(n))


def _baseline(n: int) -> bytes:
    """Raw reportlab: the same strings, font and QR modules, placed at fixed points."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from sports.pdf import fonts
    from sports.web.qr import qr_matrix

    names = fonts.register()
    width, height = landscape(A4)
    design = _design()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    for page in _pages(n):
        c.setFont(names.serif_bold, 13)
        for k, line in enumerate(design.issuer):
            c.drawCentredString(width * 0.25, height - 60 - 16 * k, line)
        c.drawCentredString(width * 0.72, height - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        c.drawCentredString(width * 0.72, height - 76, "Độc lập - Tự do - Hạnh phúc")
        c.setFont(names.serif_bold, 34)
        c.drawCentredString(width / 2, height - 170, design.title)
        c.setFont(names.serif_italic, 15)
        c.drawCentredString(width / 2, height - 210, design.intro)
        c.setFont(names.serif_bold, 28)
        c.drawCentredString(width / 2, height - 255, page.recipient)
        c.setFont(names.serif, 15)
        c.drawCentredString(width / 2, height - 280, f"cùng vận động viên {page.partner}")
        c.drawCentredString(width / 2, height - 302, page.unit)
        c.setFont(names.serif_bold, 18)
        c.drawCentredString(width / 2, height - 335, page.achievement)
        c.setFont(names.serif, 15)
        c.drawCentredString(width / 2, height - 360, design.closing)
        c.setFont(names.serif_italic, 14)
        c.drawCentredString(width * 0.72, 150, design.date_line)
        c.setFont(names.serif_bold, 14)
        for k, line in enumerate(design.signer_title):
            c.drawCentredString(width * 0.72, 130 - 16 * k, line)
        c.drawCentredString(width * 0.72, 50, design.signer_name)
        c.setFont(names.serif, 12)
        c.drawString(60, 40, f"Số: {page.register_no}")
        matrix = qr_matrix(page.verify_url)
        module = 80 / len(matrix)
        path = c.beginPath()
        for r, row in enumerate(matrix):  # runs of dark modules, one rectangle each (as ours)
            col = 0
            while col < len(row):
                if row[col]:
                    start = col
                    while col < len(row) and row[col]:
                        col += 1
                    path.rect(60 + start * module, 60 + 80 - (r + 1) * module, (col - start) * module, module)
                else:
                    col += 1
        c.drawPath(path, stroke=0, fill=1)
        c.showPage()
    c.save()
    return out.getvalue()


def _peak(fn) -> tuple[float, int]:
    tracemalloc.start()
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak, len(result)


def measure(n: int = N_PAGES) -> dict:
    _ours(3), _baseline(3)  # fonts registered, code warm
    ours = min(_timed(lambda: _ours(n)) for _ in range(2))
    base = min(_timed(lambda: _baseline(n)) for _ in range(2))
    _, peak_ours, size_ours = _peak(lambda: _ours(n))
    _, peak_base, size_base = _peak(lambda: _baseline(n))
    return {"pages": n, "ours_s": ours, "baseline_s": base, "throughput": base / ours,
            "peak_ours": peak_ours, "peak_base": peak_base, "bytes_ours": size_ours, "bytes_base": size_base}


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    import json

    print(json.dumps(measure()))

"""Excel for the score table: the criteria template (download, fill, upload) and the summary.

The template has one sheet, ``Tiêu chí``, headers on row 1 and one criterion per row:

| Mã tiêu chí | Nhóm tiêu chí | Tên tiêu chí | Điểm tối đa |

Reading it is all-or-nothing: :func:`read_criteria` returns every line or raises
:class:`WorkbookProblems` listing each problem at its cell (``Tiêu chí!D5: …``). A formula is
refused (its value is not in the file unless Excel saved it, and a criterion's maximum must
be what the bloc agreed, not a computation). Decimal commas are read (``2,5``).

What it does not know: the database. The caller checks the lines against the table (scores
already given above a new maximum, the linked criterion) and writes them.
"""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sports.domain.text import nfc
from sports.importers.exports import BOLD, BOX, CENTER, ITALIC, TITLE, WRAP, header_row, put, to_bytes
from sports.services.emulation_table import LINK_LABEL, CriterionIn, Summary, criterion_problems, num, title_of

SHEET = "Tiêu chí"
HEADERS = ["Mã tiêu chí", "Nhóm tiêu chí", "Tên tiêu chí", "Điểm tối đa"]
FIELDS = ["code", "group", "name", "max_score"]
MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 30 * 1024 * 1024
MAX_ROWS = 1000
DIFF_FILL = PatternFill("solid", fgColor="FDF0D5")


class WorkbookProblems(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def criteria_template(table_title: str, lines: list[CriterionIn]) -> bytes:
    """The workbook to fill in; ``lines`` (the table's criteria, if any) are already there."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header_row(ws, 1, HEADERS, [14, 34, 70, 12])
    for row, line in enumerate(lines, start=2):
        put(ws, row, 1, line.code)
        put(ws, row, 2, line.group, alignment=WRAP)
        put(ws, row, 3, line.name, alignment=WRAP)
        put(ws, row, 4, float(line.max_score) if line.max_score is not None else None)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 110
    for row, (text, font) in enumerate([
        (table_title, TITLE),
        ("Điền trang “Tiêu chí”, mỗi dòng một tiêu chí, từ dòng 2:", BOLD),
        ("• Mã tiêu chí: ngắn, không có khoảng trắng (ví dụ 1.1, 2.3, TC05); mỗi mã một lần.", None),
        ("• Nhóm tiêu chí: ví dụ “I. Thực hiện nhiệm vụ chuyên môn được giao”; các dòng cùng nhóm đứng liền nhau.", None),
        ("• Tên tiêu chí: nội dung chấm điểm.", None),
        ("• Điểm tối đa: số lớn hơn 0, được ghi số thập phân (2,5).", None),
        ("Khi tải lên, danh sách tiêu chí của bảng điểm được thay bằng nội dung tệp: tiêu chí giữ nguyên mã thì "
         "giữ điểm đã chấm; tiêu chí không còn trong tệp bị xóa cùng điểm của nó. Tệp có một lỗi thì không có "
         "thay đổi nào và hệ thống chỉ rõ ô bị lỗi.", ITALIC),
    ], start=1):
        put(guide, row, 1, text, font=font or Font(), alignment=WRAP)
    return to_bytes(wb)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    if "," in text and "." in text:
        raise ValueError
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError from None


def _open(data: bytes):
    if not data:
        raise WorkbookProblems(["Tệp rỗng (0 byte); hãy chọn tệp mẫu tiêu chí đã điền."])
    if len(data) > MAX_BYTES:
        raise WorkbookProblems([f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); tệp tiêu chí tối đa 2 MB."])
    not_xlsx = "Tệp không phải là sổ Excel .xlsx; hãy tải mẫu tiêu chí từ hệ thống, điền rồi lưu dạng .xlsx."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise WorkbookProblems([not_xlsx]) from None
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise WorkbookProblems([not_xlsx])
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise WorkbookProblems(["Tệp Excel khi giải nén lớn bất thường; hãy lưu lại chỉ với trang Tiêu chí."])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a damaged file can fail anywhere inside openpyxl
        raise WorkbookProblems(["Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng)."]) from None


def _show(text: str, limit: int = 40) -> str:
    """A cell's text as a message quotes it: a whole page pasted into a cell is cut short."""
    text = nfc(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def read_criteria(data: bytes) -> list[CriterionIn]:
    """Every criterion line of the workbook, or WorkbookProblems with every problem located."""
    wb = _open(data)
    try:
        title = next((t for t in wb.sheetnames if nfc(t).casefold() == SHEET.casefold()), None)
        if title is None:
            listed = ", ".join(f"“{t}”" for t in wb.sheetnames)
            raise WorkbookProblems([f"Tệp không có trang tính “{SHEET}” (tệp có: {listed})."])
        ws = wb[title]
        ws.reset_dimensions()
        rows = []
        for number, cells in enumerate(ws.iter_rows(min_row=1, max_col=len(HEADERS)), start=1):
            if number > MAX_ROWS + 1:
                raise WorkbookProblems([f"{SHEET}!A{number}: tệp có hơn {MAX_ROWS} dòng tiêu chí."])
            rows.append((number, [(c.value, c.data_type) for c in cells]))
    finally:
        wb.close()
    problems: list[str] = []
    header = [nfc(str(v or "")) for v, _ in (rows[0][1] if rows else [])]
    for col, wanted in enumerate(HEADERS):
        got = header[col] if col < len(header) else ""
        if got.casefold() != wanted.casefold():
            problems.append(f"{SHEET}!{get_column_letter(col + 1)}1: cần tiêu đề “{wanted}”, tệp ghi “{_show(got)}”. "
                            "Hãy dùng mẫu tải từ hệ thống.")
    if problems:
        raise WorkbookProblems(problems)
    lines: list[CriterionIn] = []
    seen: dict[str, int] = {}
    for number, cells in rows[1:]:
        values = [v for v, _ in cells] + [None] * (len(HEADERS) - len(cells))
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        here: list[str] = []
        for col, (value, kind) in enumerate(cells):
            if kind == "f" or (isinstance(value, str) and value.startswith("=")):
                here.append(f"{SHEET}!{get_column_letter(col + 1)}{number}: ô có công thức; hãy ghi giá trị.")
        if here:
            problems += here
            continue
        text = ["" if v is None else nfc(str(v)) for v in values[:3]]
        try:
            max_score = None if values[3] is None or str(values[3]).strip() == "" else _number(values[3])
        except ValueError:
            problems.append(f"{SHEET}!D{number}: “{_show(str(values[3]))}” không phải là số điểm.")
            continue
        line = CriterionIn(code=text[0], group=text[1], name=text[2], max_score=max_score)
        for name, message in criterion_problems(line).items():
            problems.append(f"{SHEET}!{get_column_letter(FIELDS.index(name) + 1)}{number}: {message}")
        if line.code in seen:
            problems.append(f"{SHEET}!A{number}: mã {_show(line.code)} đã có ở dòng {seen[line.code]}; mỗi mã một lần.")
        seen.setdefault(line.code, number)
        lines.append(line)
    if not lines and not problems:
        problems.append(f"{SHEET}!A2: trang không có tiêu chí nào.")
    if problems:
        raise WorkbookProblems(problems)
    return lines


# ----------------------------------------------------------------------------- summary


def _value(fraction) -> float | int:
    return int(fraction) if fraction.denominator == 1 else float(fraction)


def summary_workbook(s: Summary) -> bytes:
    """“Bảng tổng hợp điểm thi đua”: the ranked table, each unit's scores, the adjustments."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    criteria = s.criteria
    headers = (["Hạng", "Đơn vị"] + [c.code for c in criteria]
               + ["Tổng tiêu chí", "Điểm cộng", "Điểm trừ", "Tổng điểm", "Đề nghị", "Ghi chú"])
    last = len(headers)
    lines = [("BẢNG TỔNG HỢP ĐIỂM THI ĐUA", TITLE), (title_of(s.table), BOLD),
             (s.festival.organiser or "", None)]
    for row, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        put(ws, row, 1, text, font=font or Font(), alignment=Alignment(horizontal="center", wrap_text=True))
    head = len(lines) + 2
    header_row(ws, head, headers, [7, 38] + [9] * len(criteria) + [11, 10, 10, 11, 22, 14])
    for i, line in enumerate(s.lines, start=head + 1):
        r = line.row
        cells = [r.rank, line.unit.name]
        cells += [_value(r.criteria[c.code]) for c in criteria]
        cells += [_value(sum(r.criteria.values())), _value(r.bonus), _value(r.penalty), _value(r.total),
                  line.proposal, "đồng hạng" if line.tied else ""]
        for col, value in enumerate(cells, start=1):
            put(ws, i, col, value, border=BOX, alignment=WRAP if col == 2 else CENTER)
    legend = head + len(s.lines) + 2
    for k, c in enumerate(criteria):
        mark = f" ({LINK_LABEL})" if c.code == s.linked_code else ""
        put(ws, legend + k, 2, f"{c.code}: {c.name} — tối đa {num(c.max_score)}{mark}", alignment=WRAP)
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0

    detail = wb.create_sheet("Chi tiết")
    header_row(detail, 1, ["Mã đơn vị", "Đơn vị", "Nhóm", "Mã tiêu chí", "Tiêu chí", "Điểm tối đa",
                           "Tự chấm", "Khối chấm", "Chênh lệch", "Điểm tính", "Ghi chú"],
               [10, 30, 26, 10, 44, 10, 9, 10, 10, 10, 30])
    row = 2
    for line in sorted(s.lines, key=lambda x: x.unit.id):
        for c in criteria:
            score = line.scores.get(c.id)
            linked = c.code == s.linked_code
            self_v = None if linked or score is None or score.self_score is None else float(score.self_score)
            bloc_v = None if linked or score is None or score.bloc_score is None else float(score.bloc_score)
            diff = None if self_v is None or bloc_v is None else round(bloc_v - self_v, 2)
            note = LINK_LABEL if linked else (score.note if score else "")
            values = [line.unit.code, line.unit.name, c.group, c.code, c.name, float(c.max_score), self_v, bloc_v,
                      diff, _value(line.row.criteria[c.code]), note]
            for col, value in enumerate(values, start=1):
                cell = put(detail, row, col, value, alignment=WRAP)
                if diff:
                    cell.fill = DIFF_FILL
            row += 1
    detail.freeze_panes = "C2"

    adj = wb.create_sheet("Điểm cộng, trừ")
    header_row(adj, 1, ["Mã đơn vị", "Đơn vị", "Loại", "Điểm", "Lý do"], [10, 34, 10, 8, 60])
    row = 2
    for line in s.lines:
        if line.rank_bonus:
            for col, value in enumerate([line.unit.code, line.unit.name, "Cộng", _value(line.rank_bonus),
                                         f"Hạng {line.festival_rank} toàn đoàn hội thao ({LINK_LABEL})"], start=1):
                put(adj, row, col, value, alignment=WRAP)
            row += 1
        for a in line.adjustments:
            for col, value in enumerate([line.unit.code, line.unit.name, "Cộng" if a.kind == "bonus" else "Trừ",
                                         float(a.points), a.reason], start=1):
                put(adj, row, col, value, alignment=WRAP)
            row += 1
    if s.table.bonus_cap is not None:
        put(adj, row + 1, 2, f"Điểm cộng tính tối đa {num(s.table.bonus_cap)} điểm mỗi đơn vị.", font=ITALIC)
    return to_bytes(wb)

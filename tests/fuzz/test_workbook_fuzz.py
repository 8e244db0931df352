"""Property-based fuzzing (hypothesis) of the two Excel workbooks organisers upload: the
registration workbook and the score table's criteria. Any value a spreadsheet can hold — long
or decomposed text, formulas, huge or negative numbers, dates, booleans, blanks — put in any
cell of a valid workbook, and any damaged file, is either read sensibly or refused with located
problems, never with another exception; a refused registration stores nothing. A bounded,
reproducible number of examples (``derandomize``), so it runs in ``make test`` on both databases."""
from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from sports.importers import emulation_workbook as criteria_book
from sports.importers.registration import SHEET, RegistrationProblems, import_workbook, template
from sports.models import Athlete, AuditEntry, Entry, Festival
from sports.services.emulation_table import CriterionIn

BOOK_FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

cell_texts = st.one_of(
    st.text(max_size=30).filter(lambda s: not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in s)),
    st.sampled_from(["=1/0", "=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)", "   ", "x", "X", "*a", "Nam",
                     "Nữ", unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "1e309", "NaN", "-0", "١٩٨٥"]),
    st.integers(min_value=200, max_value=40_000).map(lambda n: "Đ" * n),
)
cell_values = st.one_of(
    st.none(), st.booleans(), cell_texts,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([date(1900, 1, 1), date(2999, 12, 31), datetime(1985, 5, 1, 7, 30), time(8, 0)]),
)


def _count(db) -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(t)) for t in (Athlete, Entry, AuditEntry))


def _with_cell(data: bytes, sheet: str, row: int, column: int, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    wb[sheet].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def registered(db):
    """The demo festival and the workbook of its own registrations (which imports unchanged)."""
    from sports.services.demo import load_demo

    load_demo()
    db.session.commit()
    festival = db.session.scalar(select(Festival))
    data = template(festival, filled=True)
    ws = load_workbook(io.BytesIO(data), read_only=True)[SHEET]
    return festival, data, ws.max_row, ws.max_column


@BOOK_FUZZ
@given(data=st.data())
def test_any_value_in_any_cell_of_a_registration_workbook(ctx, db, registered, data):
    festival, book, rows, columns = registered
    row = data.draw(st.integers(min_value=1, max_value=rows + 2), label="row")
    column = data.draw(st.integers(min_value=1, max_value=columns + 1), label="column")
    value = data.draw(cell_values, label="value")
    raw = _with_cell(book, SHEET, row, column, value)
    before = _count(db)
    try:
        import_workbook(festival, raw, actor="fuzz")
    except RegistrationProblems as exc:
        db.session.rollback()
        assert exc.problems and all(str(p).strip() and len(str(p)) < 1000 for p in exc.problems), exc.problems[:3]
        assert all(p.sheet == "" or p.row is None or 1 <= p.row <= rows + 2 for p in exc.problems)
        assert _count(db) == before
        return
    # Read sensibly: whatever it wrote goes away with the transaction, for the next example.
    db.session.rollback()
    assert _count(db) == before


@BOOK_FUZZ
@given(cut=st.integers(min_value=0, max_value=4000), noise=st.binary(max_size=64))
def test_a_damaged_registration_workbook_is_refused_with_a_reason(ctx, db, registered, cut, noise):
    festival, book, _, _ = registered
    before = _count(db)
    with pytest.raises(RegistrationProblems) as info:
        import_workbook(festival, book[:cut] + noise, actor="fuzz")
    db.session.rollback()
    assert info.value.problems and all(str(p).strip() for p in info.value.problems)
    assert _count(db) == before


LINES = [CriterionIn(code=f"{g}.{n}", group=f"Nhóm {g}", name=f"Tiêu chí {g}.{n}", max_score=Decimal(10))
         for g in (1, 2) for n in (1, 2, 3)]


@BOOK_FUZZ
@given(data=st.data())
def test_any_value_in_any_cell_of_a_criteria_workbook(data):
    book = criteria_book.criteria_template("Bảng điểm thi đua năm 2024", LINES)
    sheet = criteria_book.SHEET
    ws = load_workbook(io.BytesIO(book))[sheet]
    row = data.draw(st.integers(min_value=1, max_value=ws.max_row + 2), label="row")
    column = data.draw(st.integers(min_value=1, max_value=ws.max_column + 1), label="column")
    raw = _with_cell(book, sheet, row, column, data.draw(cell_values, label="value"))
    try:
        lines = criteria_book.read_criteria(raw)
    except criteria_book.WorkbookProblems as exc:
        assert exc.problems and all(p.strip() and len(p) < 1000 for p in exc.problems), exc.problems[:3]
        return
    assert all(line.code and line.name and line.max_score is not None and line.max_score >= 0 for line in lines)


@BOOK_FUZZ
@given(cut=st.integers(min_value=0, max_value=3000), noise=st.binary(max_size=64))
def test_a_damaged_criteria_workbook_is_refused_with_a_reason(cut, noise):
    book = criteria_book.criteria_template("Bảng điểm", LINES)
    with pytest.raises(criteria_book.WorkbookProblems) as info:
        criteria_book.read_criteria(book[:cut] + noise)
    assert info.value.problems and all(p.strip() for p in info.value.problems)

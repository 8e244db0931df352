"""The medal table and results book as PDF: read back with pypdf and poppler.

What is checked: exact Vietnamese text (a name typed decomposed comes out composed), every
font embedded and subset, the page count's order of magnitude, each event with its standings,
matches (w.o., ret., provisional), knockout rounds and placings; the default fonts cover every
Vietnamese letter.
"""
from __future__ import annotations

import io
import json
import subprocess
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from sports.domain import medals as medal_rules
from sports.importers.festival_file import import_file
from sports.pdf import fonts
from sports.pdf.medals import medals_pdf
from sports.pdf.results_book import results_book_pdf
from sports.services import rankings, reports
from sports.services.demo import load_demo

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731  (how some keyboards type it)

UNIT_NAME = "Bệnh viện Đa khoa tỉnh Lâm Đồng"
ATHLETE = "Đoàn Hoàng Anh"
WOMAN = "Nguyễn Thị Hải"


def festival_data(mode: str = "olympic") -> dict:
    """A small festival: a table tennis knockout (a retirement, a walkover in the final) and a
    badminton group of four (BWF, one walkover); names typed decomposed."""
    ranking = {"mode": mode, "points": [7, 5, 4, 3]} if mode == "points" else {"mode": mode}
    units = [("BVDK", UNIT_NAME), ("BV2", "Bệnh viện II Lâm Đồng"), ("PNT", "Bệnh viện Phạm Ngọc Thạch"),
             ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh Lâm Đồng")]
    men = [ATHLETE, "Trần Văn Bình", "Lê Quốc Cường", "Phạm Minh Dũng"]
    women = ["Võ Thị Lan", "Đặng Thị Ánh", "Hồ Thị Ngọc Ước", WOMAN]
    athletes = [{"ref": f"m{i}", "name": NFD(n), "gender": "M", "unit": units[i][0]} for i, n in enumerate(men)]
    athletes += [{"ref": f"w{i}", "name": NFD(n), "gender": "F", "unit": units[i][0]} for i, n in enumerate(women)]
    singles = lambda prefix: [{"ref": f"e{i}", "unit": units[i][0], "athletes": [f"{prefix}{i}"]}  # noqa: E731
                              for i in range(4)]
    return {
        "format": "hoithao/1",
        "festival": {"slug": "thu-nghiem", "name": NFD("Hội thao thử nghiệm ngành Y tế năm 2024"),
                     "organiser": NFD("Sở Y tế tỉnh Lâm Đồng"), "place": "Lâm Đồng",
                     "start_date": "2024-11-23", "end_date": "2024-11-24", "medal_ranking": ranking},
        "units": [{"code": c, "name": NFD(n)} for c, n in units],
        "athletes": athletes,
        "events": [
            {"code": "BB-DNAM", "sport": "table_tennis", "discipline": "men_singles",
             "name": NFD("Bóng bàn – Đơn nam"), "format": {"best_of": 5, "points": 11},
             "third_place": "shared", "entries": singles("m"),
             "stages": [{"type": "knockout", "draw": ["e0", "e1", "e2", "e3"], "matches": [
                 {"home": "e0", "away": "e1", "sets": [[11, 9], [11, 7], [11, 5]]},
                 {"home": "e2", "away": "e3", "outcome": "retired", "winner": "e2",
                  "sets": [[11, 4], [11, 8], [6, 3]]},
                 {"home": "e0", "away": "e2", "outcome": "walkover", "winner": "e0"}]}]},
            {"code": "CL-DNU", "sport": "badminton", "discipline": "women_singles",
             "name": NFD("Cầu lông – Đơn nữ"), "entries": singles("w"),
             "stages": [{"type": "round_robin", "groups": [{"name": "A", "entries": ["e0", "e1", "e2", "e3"]}],
                         "matches": [
                             {"home": "e3", "away": "e0", "sets": [[21, 15], [21, 18]]},
                             {"home": "e3", "away": "e1", "sets": [[21, 10], [21, 12]]},
                             {"home": "e3", "away": "e2", "outcome": "walkover", "winner": "e3"},
                             {"home": "e0", "away": "e1", "sets": [[21, 19], [18, 21], [21, 17]]},
                             {"home": "e0", "away": "e2", "sets": [[21, 11], [21, 13]]},
                             {"home": "e1", "away": "e2", "sets": [[21, 16], [22, 20]]}]}]},
        ],
    }


def make_festival(db, mode: str = "olympic"):
    festival = import_file(json.dumps(festival_data(mode)).encode())
    db.session.commit()
    return festival


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def poppler(tool: str, data: bytes, *args: str) -> str:
    done = subprocess.run([tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
                          input=data, capture_output=True, check=True)
    return done.stdout.decode()


def font_rows(data: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, encoding, emb, sub, uni per font."""
    lines = poppler("pdffonts", data).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def assert_fonts_embedded(data: bytes) -> None:
    rows = font_rows(data)
    assert rows, "no fonts listed"
    for row in rows:
        assert (row["emb"], row["sub"]) == ("yes", "yes"), row
        assert "+" in row["name"], row            # a subset's name: AAAAAA+Family-Face
    names = {row["name"].split("+", 1)[1] for row in rows}
    assert names <= {"CrimsonText-Regular", "CrimsonText-Bold", "CrimsonText-Italic", "CrimsonText-BoldItalic",
                     "BeVietnamPro-Regular", "BeVietnamPro-Bold"}


def flat(text: str) -> str:
    """Text with every run of white space as one space (table headings wrap)."""
    return " ".join(text.split())


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


# ------------------------------------------------------------------------------ fonts

def test_default_families_cover_every_vietnamese_letter():
    letters = fonts.VIETNAMESE_LETTERS
    assert len(letters) == 186 and len(set(letters)) == 186
    for expected in ("a", "à", "ả", "ã", "á", "ạ", "ặ", "Ẫ", "ế", "Ệ", "ỉ", "Ĩ", "ờ", "Ợ", "ữ", "Ự",
                     "ỳ", "Ỵ", "đ", "Đ", "ơ", "Ư"):
        assert expected in letters
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in letters)
    paths = fonts.default_paths()
    assert {p.name for p in paths.values()} == {
        "CrimsonText-Regular.ttf", "CrimsonText-Bold.ttf", "CrimsonText-Italic.ttf", "CrimsonText-BoldItalic.ttf",
        "BeVietnamPro-Regular.ttf", "BeVietnamPro-Bold.ttf"}
    for path in paths.values():
        assert fonts.covers_vietnamese(path) == [], path.name


def test_coverage_check_names_the_letters_a_font_lacks():
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    missing = fonts.covers_vietnamese(vera)
    assert "ơ" in missing and "ự" in missing and "Đ" in missing
    assert "a" not in missing and "é" not in missing      # Latin-1 letters it has


def test_register_once_and_families_for_markup():
    first = fonts.register()
    assert fonts.register() is first
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (first.serif, first.serif_bold, first.serif_italic, first.serif_bold_italic,
                 first.sans, first.sans_bold):
        assert name in registered
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(first.serif, 1, 1) == first.serif_bold_italic
    assert tt2ps(first.sans, 1, 0) == first.sans_bold
    assert fonts.missing_glyphs(first.sans, "Sổ kết quả – Huy chương Vàng") == []


# ------------------------------------------------------------------------- report data

def test_medal_report_follows_the_medal_table(db):
    festival, _ = load_demo()
    db.session.commit()
    report = reports.medal_report(festival)
    table = rankings.medal_table(festival)
    assert [(r.rank, r.unit_code, r.gold, r.silver, r.bronze) for r in report.rows] == \
        [(r.rank, r.unit, r.gold, r.silver, r.bronze) for r in table]
    assert report.rows[0].unit_code == "BVDK" and report.rows[0].prize == "Nhất"
    ranks = [r.rank for r in report.rows]
    assert len(ranks) != len(set(ranks))            # the demo has units sharing a rank
    assert report.headers()[-1] == "Toàn đoàn" and "Điểm" not in report.headers()


def test_number_formats():
    from fractions import Fraction

    assert reports.decimal(Fraction(25, 2), 2) == "12,5"
    assert reports.decimal(Fraction(14, 1)) == "14"
    assert reports.ratio(9, 0) == "MAX" and reports.ratio(0, 0) == "–" and reports.ratio(3, 2) == "1,500"
    assert reports.difference(5, 2) == "+3" and reports.difference(2, 5) == "-3"


def test_results_book_data_from_rankings_and_draws(db):
    festival = make_festival(db)
    book = reports.results_book(festival)
    assert book.heading.name == "Hội thao thử nghiệm ngành Y tế năm 2024"        # NFC again
    tt, bd = book.events
    assert [r.name for r in tt.rounds] == ["Bán kết", "Chung kết"]
    semi_2 = tt.rounds[0].matches[1]
    assert (semi_2.home, semi_2.away, semi_2.note, semi_2.sets) == ("Lê Quốc Cường", "Phạm Minh Dũng", "ret.", "2-0")
    final = tt.rounds[1].matches[0]
    assert (final.home, final.winner, final.note) == (ATHLETE, "home", "w.o.")
    assert [(p.place, p.medal, p.entry) for p in tt.placings] == [
        (1, "Huy chương Vàng", ATHLETE), (2, "Huy chương Bạc", "Lê Quốc Cường"),
        (3, "Huy chương Đồng", "Trần Văn Bình"), (3, "Huy chương Đồng", "Phạm Minh Dũng")]
    group = bd.groups[0]
    assert group.columns == ("Trận", "Thắng", "Thua", "Ván", "Hiệu số ván", "Điểm", "Hiệu số điểm")
    assert [r.entry for r in group.rows] == [WOMAN, "Võ Thị Lan", "Đặng Thị Ánh", "Hồ Thị Ngọc Ước"]
    assert group.rows[0].cells[:4] == ("3", "3", "0", "4-0")
    assert [m.note for m in group.matches].count("w.o.") == 1
    assert [p.place for p in bd.placings] == [1, 2, 3, 4] and bd.placings_final


# ------------------------------------------------------------------------------- PDFs

def test_results_book_pdf_reads_back_in_vietnamese(db):
    festival = make_festival(db)
    from sports.models import Match

    # A referee's result waiting for the second confirmation is shown, marked.
    # (JSON columns are compared in Python: PostgreSQL has no "=" for json.)
    (match,) = [m for m in db.session.query(Match) if m.sets == [[21, 16], [22, 20]]]
    match.confirmed = False
    db.session.commit()
    data = results_book_pdf(reports.results_book(festival))
    text = pdf_text(data)
    poppler_text = poppler("pdftotext", data, "-layout")
    for extracted in (flat(text), flat(poppler_text)):
        assert unicodedata.is_normalized("NFC", extracted)
        for expected in ("KẾT QUẢ THI ĐẤU", "Hội thao thử nghiệm ngành Y tế năm 2024", ATHLETE, WOMAN,
                         "Hồ Thị Ngọc Ước", "Bóng bàn – Đơn nam", "Cầu lông – Đơn nữ", "Bán kết", "Chung kết",
                         "Thứ hạng chung cuộc", "Huy chương Vàng", "Huy chương Đồng", "Hiệu số", "+29",
                         "ret.", "w.o.", "chờ xác nhận", "11-4, 11-8, 6-3", "Bệnh viện Phạm Ngọc Thạch"):
            assert expected in extracted, expected
        assert NFD(ATHLETE) not in extracted
    assert_fonts_embedded(data)
    # The cover with the medal table and the event list, then one event per page.
    assert page_count(data) == 3
    # The badminton group waits for that confirmation before it gives places and medals.
    assert text.count("Chưa có kết quả chung cuộc") == 1
    assert text.index("Chưa có kết quả chung cuộc") > text.index("Cầu lông – Đơn nữ")


def test_medals_pdf_in_points_mode(db):
    festival = make_festival(db, mode="points")
    report = reports.medal_report(festival)
    assert report.with_points and "Điểm" in report.headers()
    data = medals_pdf(report)
    lines = poppler("pdftotext", data, "-layout").splitlines()
    assert page_count(data) == 1
    assert_fonts_embedded(data)
    # BVDK: gold in table tennis (7) and silver in badminton (5) = 12 points, ranked first.
    first = next(line for line in lines if UNIT_NAME in line)
    assert first.split()[:2] == ["1", "BVDK"] and first.split()[-4:] == ["0", "2", "12", "Nhất"]
    assert "Xếp hạng theo tổng điểm" in "\n".join(lines)


def test_demo_results_book(db):
    festival, _ = load_demo()
    db.session.commit()
    book = reports.results_book(festival)
    data = results_book_pdf(book)
    text = flat(pdf_text(data))
    assert 13 <= page_count(data) <= 40          # a cover and at least a page per event
    for event in book.events:
        assert event.name in text
    for event in book.events:
        for p in event.placings:
            assert p.entry in text
    labels = medal_rules.MEDAL_LABELS["medals"]
    assert all(label in text for label in labels)
    # FIVB's columns in the volleyball groups, with the ratio of a group leader that lost no set.
    assert "Tỷ số séc" in text and "Điểm XH" in text and "MAX" in text
    assert_fonts_embedded(data)


def test_medals_pdf_demo_shared_ranks(db):
    festival, _ = load_demo()
    db.session.commit()
    report = reports.medal_report(festival)
    text = poppler("pdftotext", medals_pdf(report), "-layout")
    shared = [r for r in report.rows if r.rank == report.rows[-1].rank]
    assert len(shared) > 1
    for row in report.rows:
        line = next(line for line in text.splitlines() if f" {row.unit_code} " in f" {line} ")
        assert line.split()[0] == str(row.rank)
    assert "BẢNG TỔNG SẮP HUY CHƯƠNG" in text and "Lâm Đồng" in text

"""Certificates: the PDF read back (pypdf, pdftotext, pdffonts), the register (what is issued,
stable numbers, revocation and re-issue after a correction or a renamed athlete), and the font
and image checks of the settings."""
from __future__ import annotations

import io
import json
import subprocess
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sports.certificates import CertificatePage, Design, render
from sports.importers.festival_file import import_file
from sports.models import AuditEntry, Certificate, Match, Stage
from sports.pdf import fonts
from sports.services import certificates as service
from sports.services.errors import FieldErrors
from sports.services.results import record_result

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731  (how some keyboards type it)

UNITS = [("BVDK", "Bệnh viện Đa khoa tỉnh Lâm Đồng"), ("BV2", "Bệnh viện II Lâm Đồng"),
         ("PNT", "Bệnh viện Phạm Ngọc Thạch"), ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh Lâm Đồng")]
MEN = ["Đoàn Hoàng Anh", "Trần Văn Bình", "Lê Quốc Cường", "Phạm Minh Dũng",
       "Nguyễn Hữu Ước", "Võ Đình Ấn", "Hồ Sĩ Ẩn", "Đặng Văn Ỷ"]


def festival_data() -> dict:
    """Men's singles (knockout of 4, decided) and men's doubles (knockout of 4 pairs, decided),
    a volleyball team event with placings recorded; names typed decomposed."""
    athletes = [{"ref": f"m{i}", "name": NFD(n), "gender": "M", "unit": UNITS[i % 4][0]} for i, n in enumerate(MEN)]
    ko = lambda: [{"type": "knockout", "draw": ["e0", "e1", "e2", "e3"], "matches": [  # noqa: E731
        {"home": "e0", "away": "e1", "sets": [[11, 9], [11, 7], [11, 5]]},
        {"home": "e2", "away": "e3", "sets": [[11, 4], [11, 8], [11, 3]]},
        {"home": "e0", "away": "e2", "sets": [[11, 9], [11, 9], [11, 9]]}]}]
    return {
        "format": "hoithao/1",
        "festival": {"slug": "gcn", "name": NFD("Hội thao thử nghiệm ngành Y tế năm 2024"),
                     "organiser": NFD("Sở Y tế tỉnh Lâm Đồng"), "place": "Lâm Đồng",
                     "start_date": "2024-11-23", "end_date": "2024-12-01", "medal_ranking": {"mode": "olympic"}},
        "units": [{"code": c, "name": NFD(n)} for c, n in UNITS],
        "athletes": athletes,
        "events": [
            {"code": "BB-DNAM", "sport": "table_tennis", "discipline": "men_singles", "name": "Đơn nam",
             "format": {"best_of": 5, "points": 11},
             "entries": [{"ref": f"e{i}", "unit": UNITS[i][0], "athletes": [f"m{i}"]} for i in range(4)],
             "stages": ko()},
            {"code": "BB-DOINAM", "sport": "table_tennis", "discipline": "men_doubles", "name": "Đôi nam",
             "format": {"best_of": 5, "points": 11},
             "entries": [{"ref": f"e{i}", "unit": UNITS[i][0], "athletes": [f"m{i}", f"m{i + 4}"]} for i in range(4)],
             "stages": ko()},
            {"code": "BC-NAM", "sport": "volleyball", "discipline": "men_team", "name": "Bóng chuyền nam",
             "entries": [{"ref": f"t{i}", "unit": UNITS[i][0], "athletes": []} for i in range(3)],
             "placings": [{"place": 1, "entry": "t1"}, {"place": 2, "entry": "t0"}, {"place": 3, "entry": "t2"}]},
        ],
    }


@pytest.fixture
def festival(db):
    festival = import_file(json.dumps(festival_data()).encode())
    db.session.commit()
    return festival


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def poppler(tool: str, data: bytes, *args: str) -> str:
    cmd = [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"]
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout.decode()


def assert_fonts_embedded_subset(data: bytes) -> set[str]:
    rows = [line.split() for line in poppler("pdffonts", data).splitlines()[2:]]
    assert rows
    for parts in rows:
        assert (parts[-5], parts[-4]) == ("yes", "yes"), parts     # emb, sub
        assert parts[1] == "TrueType" and "+" in parts[0], parts
    return {parts[0].split("+", 1)[1] for parts in rows}


def render_festival(festival, **filters) -> bytes:
    service.sync_certificates(festival)
    certs = service.register(festival, issued_only=True, **filters)
    return render(service.design(festival), service.pages(festival, certs, "https://hoithao.example.vn"))


# ----------------------------------------------------------------------------- renderer

def test_one_page_reads_back_exactly_with_embedded_subset_fonts():
    page = CertificatePage(NFD("Đoàn Hoàng Anh"), NFD("HUY CHƯƠNG VÀNG – Đôi nam – Môn Cầu lông"), "001/GCN-BTC",
                           "https://x.vn/verify/ABC", unit=NFD("Bệnh viện Đa khoa tỉnh Lâm Đồng"),
                           partner=NFD("Nguyễn Hữu Ước"))
    design = Design(issuer=(NFD("Sở Y tế tỉnh Lâm Đồng"), "BAN TỔ CHỨC HỘI THAO"),
                    date_line="Lâm Đồng, ngày 01 tháng 12 năm 2023", signer_name=NFD("Đỗ Hoàng Hải"))
    data = render(design, [page])
    text = poppler("pdftotext", data)
    for expected in ("GIẤY CHỨNG NHẬN", "Đoàn Hoàng Anh", "cùng vận động viên Nguyễn Hữu Ước",
                     "Đơn vị: Bệnh viện Đa khoa tỉnh Lâm Đồng", "Đã đạt: HUY CHƯƠNG VÀNG – Đôi nam – Môn Cầu lông",
                     "Số vào sổ: 001/GCN-BTC", "Lâm Đồng, ngày 01 tháng 12 năm 2023", "TM. BAN TỔ CHỨC", "TRƯỞNG BAN",
                     "Đỗ Hoàng Hải", "SỞ Y TẾ TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc"):
        assert expected in text, expected
    assert unicodedata.normalize("NFC", text) == text           # nothing decomposed reached the PDF
    assert pdf_text(data)[0].count("Đoàn Hoàng Anh") == 1
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)          # A4 landscape
    assert assert_fonts_embedded_subset(data) <= {"CrimsonText-Regular", "CrimsonText-Bold", "CrimsonText-Italic"}


def test_default_fonts_cover_every_vietnamese_letter():
    assert len(fonts.VIETNAMESE_LETTERS) == 186
    for required in ("ặ", "Ỹ", "ự", "Ữ", "đ", "Đ", "ở", "Ợ"):
        assert required in fonts.VIETNAMESE_LETTERS
    for path in fonts.default_paths().values():
        assert fonts.covers_vietnamese(path) == [], path


# ------------------------------------------------------------------------ the register

def test_what_is_issued_and_the_pdf_of_the_festival(festival, db):
    report = service.sync_certificates(festival)
    db.session.commit()
    certs = service.register(festival)
    # singles 4 (shared bronze), doubles 8 (both players of each pair), volleyball 3 teams,
    # overall prizes: BV2 (1 gold), BVDK, PNT … every event has its final.
    by_kind = {k: [c for c in certs if c.kind == k] for k in ("athlete", "team", "overall")}
    assert len(by_kind["athlete"]) == 12 and len(by_kind["team"]) == 3
    assert by_kind["overall"] and all(c.achievement.endswith("TOÀN ĐOÀN") for c in by_kind["overall"])
    assert report.issued == tuple(range(1, len(certs) + 1))
    first = certs[0]
    assert (first.recipient, first.unit_name, first.achievement) == (
        "Đoàn Hoàng Anh", "Bệnh viện Đa khoa tỉnh Lâm Đồng", "HUY CHƯƠNG VÀNG – Đơn nam – Môn Bóng bàn")
    pair = [c for c in certs if c.event_id and c.achievement.startswith("HUY CHƯƠNG VÀNG – Đôi nam")]
    assert sorted(c.recipient for c in pair) == ["Nguyễn Hữu Ước", "Đoàn Hoàng Anh"]
    assert {c.partner for c in pair} == {"Nguyễn Hữu Ước", "Đoàn Hoàng Anh"}
    team = by_kind["team"][0]
    assert (team.recipient, team.unit_name) == ("Đội bóng chuyền nam", "Bệnh viện II Lâm Đồng")

    data = render_festival(festival)
    pages = pdf_text(data)
    assert len(pages) == len(certs)
    assert "Số vào sổ: 001/GCN-BTC" in pages[0] and "Lâm Đồng, ngày 01 tháng 12 năm 2024" in pages[0]
    assert "Đoàn Hoàng Anh" in pages[0]
    assert_fonts_embedded_subset(data)
    # One event, one unit.
    event = next(e for e in festival.events if e.code == "BB-DOINAM")
    assert len(PdfReader(io.BytesIO(render_festival(festival, event=event))).pages) == 8
    unit = next(u for u in festival.units if u.code == "BVDK")
    unit_pages = pdf_text(render_festival(festival, unit=unit))
    assert unit_pages and all("Bệnh viện Đa khoa tỉnh Lâm Đồng" in p for p in unit_pages)


def test_register_numbers_are_stable_on_re_render(festival, db):
    service.sync_certificates(festival)
    db.session.commit()
    before = [(c.register_no, c.code) for c in service.register(festival)]
    again = service.sync_certificates(festival)
    db.session.commit()
    assert not again.changed
    assert [(c.register_no, c.code) for c in service.register(festival)] == before
    first, second = render_festival(festival), render_festival(festival)
    assert pdf_text(first) == pdf_text(second)


def test_a_corrected_final_revokes_and_reissues(festival, db):
    service.sync_certificates(festival)
    db.session.commit()
    event = next(e for e in festival.events if e.code == "BB-DNAM")
    final = db.session.scalar(select(Match).join(Stage).where(Stage.event_id == event.id, Match.round == 2))
    last_number = max(c.register_no for c in service.register(festival))
    record_result(final, [[9, 11], [9, 11], [9, 11]], reason="Biên bản ghi nhầm người thắng", actor="test")
    db.session.commit()

    report = service.sync_certificates(festival)
    db.session.commit()
    certs = service.register(festival)
    revoked = [c for c in certs if c.status == "revoked"]
    gold_old = next(c for c in revoked if c.recipient == "Đoàn Hoàng Anh" and c.event_id == event.id)
    assert gold_old.achievement.startswith("HUY CHƯƠNG VÀNG")
    assert "Kết quả thay đổi" in gold_old.revoked_reason
    new = db.session.get(Certificate, gold_old.replaced_by_id)
    assert new.status == "issued" and new.achievement == "HUY CHƯƠNG BẠC – Đơn nam – Môn Bóng bàn"
    assert new.register_no > last_number                  # numbers never reused
    assert set(report.revoked) >= {gold_old.register_no}
    assert len({c.register_no for c in certs}) == len(certs)
    # The revoked certificate stays in the register; only issued ones print.
    numbers = [c.register_no for c in service.register(festival, issued_only=True)]
    assert gold_old.register_no not in numbers
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificates.sync")) is not None


def test_a_renamed_athlete_gets_a_new_certificate(festival, db):
    service.sync_certificates(festival)
    db.session.commit()
    athlete = next(a for a in festival.athletes if a.ref == "m4")      # Nguyễn Hữu Ước, in the gold pair
    athlete.name = "Nguyễn Hữu Ưng"
    db.session.commit()
    report = service.sync_certificates(festival)
    db.session.commit()
    assert len(report.revoked) == 2 and len(report.issued) == 2     # his own and his partner's
    revoked = [c for c in service.register(festival) if c.status == "revoked"]
    assert all("Sửa tên" in c.revoked_reason or "sửa tên" in c.revoked_reason for c in revoked)
    texts = "\n".join(pdf_text(render_festival(festival)))
    assert "Nguyễn Hữu Ưng" in texts and "Nguyễn Hữu Ước" not in texts


# ------------------------------------------------------------------------------ settings

def test_settings_change_the_page_and_the_date_rule(festival, db):
    service.save_settings(festival, service.SettingsInput(
        title="Giấy chứng nhận", issuer="SỞ Y TẾ TỈNH LÂM ĐỒNG\nBAN TỔ CHỨC HỘI THAO", signer_title="TRƯỞNG BAN",
        signer_name="Đỗ Hoàng Hải", cert_date=date(2024, 7, 5), place="Đà Lạt", labels="prizes",
        register_pattern="{n:04d}/GCN-HT"))
    db.session.commit()
    text = pdf_text(render_festival(festival))[0]
    assert "Đà Lạt, ngày 05 tháng 7 năm 2024" in text
    assert "Số vào sổ: 0001/GCN-HT" in text and "GIẢI NHẤT – Đơn nam – Môn Bóng bàn" in text


def test_settings_refuse_a_bad_pattern_and_address(festival):
    with pytest.raises(FieldErrors) as exc:
        service.save_settings(festival, service.SettingsInput(register_pattern="GCN-BTC", base_url="hoithao.vn"))
    assert set(exc.value.fields) == {"register_pattern", "base_url"}


def test_an_uploaded_font_must_be_truetype_with_vietnamese(festival, tmp_path):
    with pytest.raises(FieldErrors) as exc:
        service.save_settings(festival, service.SettingsInput(font_regular=b"%PDF-1.4 not a font"))
    assert "không phải phông chữ TrueType" in exc.value.fields["font_regular"][0]
    # A real TrueType font without Vietnamese letters: the DejaVu-less reportlab test font.
    latin = _latin_only_ttf()
    with pytest.raises(FieldErrors) as exc:
        service.save_settings(festival, service.SettingsInput(font_regular=latin))
    message = exc.value.fields["font_regular"][0]
    assert message.startswith("Phông chữ thiếu") and "ặ" in message
    # The default face passes the check and is used.
    good = fonts.default_paths()["HoiThaoSerif"].read_bytes()
    service.save_settings(festival, service.SettingsInput(font_regular=good, font_name="crimson.ttf"))
    data = render_festival(festival)
    assert "Đoàn Hoàng Anh" in pdf_text(data)[0]
    assert_fonts_embedded_subset(data)


def _latin_only_ttf() -> bytes:
    """A TrueType font with no Vietnamese letters: reportlab's bundled Vera."""
    from pathlib import Path

    import reportlab

    path = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    return path.read_bytes()


def test_logo_and_background_are_type_checked(festival, db):
    from PIL import Image

    with pytest.raises(FieldErrors) as exc:
        service.save_settings(festival, service.SettingsInput(logo=b"GIF89a....", background=b"<svg/>"))
    assert set(exc.value.fields) == {"logo", "background"}
    out = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 30, 30)).save(out, format="PNG")
    service.save_settings(festival, service.SettingsInput(logo=out.getvalue(), background=out.getvalue()))
    db.session.commit()
    data = render_festival(festival)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1 and reader.pages[0].images

"""The score table pages (bảng điểm thi đua) on the small example festival.

Units and festival facts used below (tests/fixtures/small-festival.json): BVDK and CDC entered 3
events, PNT 2, BV2 1; the medal table ranks BVDK 1, CDC 2, PNT 3 and BV2 has no medal.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from sports.importers.festival_file import import_file
from sports.models import AuditEntry, EmulationScore, EmulationTable, Event, Match, Stage
from sports.services.results import record_result
from tests.conftest import csrf_token, login

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"
BASE = "/admin/festivals/vidu-2024/emulation"


def _file(with_emulation: bool) -> bytes:
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    if not with_emulation:
        data.pop("emulation")
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.fixture
def festival(db):
    festival = import_file(_file(with_emulation=False))
    db.session.commit()
    return festival


@pytest.fixture
def organiser(client, make_user):
    make_user("btc", "organiser")
    login(client, "btc", "mat-khau-123")
    return client


def _post(client, url: str, data: dict, **kw):
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data}, **kw)


def _new_table(client, year="2024", linked=True, cap="5") -> int:
    r = _post(client, BASE, {"action": "new", "new-year": year, "new-period": "", "new-bonus_cap": cap,
                             "new-titles": "Cờ thi đua; Bằng khen", **({"new-linked": "y"} if linked else {})})
    assert r.status_code == 302, r.get_data(as_text=True)
    return int(re.search(r"/emulation/(\d+)/criteria", r.headers["Location"]).group(1))


def _criterion(client, table_id: int, code: str, group: str, name: str, top: str):
    r = _post(client, f"{BASE}/{table_id}/criteria", {"action": "add", "add-code": code, "add-group": group,
                                                        "add-name": name, "add-max_score": top})
    assert r.status_code == 302, r.get_data(as_text=True)


def _settings(client, table_id: int, **changes) -> object:
    data = {"year": "2024", "period": "", "bonus_cap": "5", "linked": "y", "link_criterion": "TT",
            "participation_points": "20", "min_events": "2", "rank_bonus": "3; 2; 1",
            "titles": "Cờ thi đua; Bằng khen", "title_tiers": "1, 2", "votes": "",
            "signer_title": "TM. KHỐI THI ĐUA\nKHỐI TRƯỞNG", "signer_name": "Đỗ Hoàng Hải"}
    data.update(changes)
    return _post(client, f"{BASE}/{table_id}/settings", {k: v for k, v in data.items() if v is not None})


def _score(client, db, table_id: int, unit: str, **values):
    table = db.session.get(EmulationTable, table_id)
    ids = {c.code: c.id for c in table.criteria}
    data = {"action": "scores"}
    for key, value in values.items():
        kind, code = key.split("_", 1)
        data[f"{kind}_{ids[code]}"] = value
    return _post(client, f"{BASE}/{table_id}/units/{unit}", data)


def _adjust(client, table_id: int, unit: str, kind: str, points: str, reason: str):
    return _post(client, f"{BASE}/{table_id}/units/{unit}", {"action": "adjustment", "adj-kind": kind,
                                                             "adj-points": points, "adj-reason": reason})


def _api(client) -> dict[str, dict]:
    rows = client.get("/api/v1/festivals/vidu-2024/emulation").get_json()
    return {r["unit"]["code"]: r for r in rows}


@pytest.fixture
def built(organiser, db, festival):
    """A linked table built through the pages: NV (max 80) by hand, TT (max 20) from the festival."""
    client = organiser
    table_id = _new_table(client)
    _criterion(client, table_id, "NV", "I. Nhiệm vụ", "Hoàn thành nhiệm vụ được giao", "80")
    _criterion(client, table_id, "TT", "II. Phong trào", "Tham gia hoạt động văn hóa, thể thao do Khối tổ chức", "20")
    assert _settings(client, table_id).status_code == 302
    for unit, own, bloc in (("BVDK", "78", "76,5"), ("CDC", "77", "77"), ("PNT", "79", ""), ("BV2", "75", "75")):
        r = _score(client, db, table_id, unit, self_NV=own, bloc_NV=bloc)
        assert r.status_code == 302, r.get_data(as_text=True)
    return table_id


def test_anonymous_goes_to_login_referee_is_refused(client, make_user, festival):
    assert client.get(BASE).status_code == 302 and "/login" in client.get(BASE).headers["Location"]
    make_user("tt", "referee")
    login(client, "tt", "mat-khau-123")
    assert client.get(BASE).status_code == 403


def test_arithmetic_through_the_pages(built, organiser, db):
    client, table_id = organiser, built
    # Participation threshold: BV2 entered 1 event (< 2) → 0 on TT; the others 20.
    # Rank bonus: BVDK +3, CDC +2, PNT +1, BV2 (no medal) nothing.
    rows = _api(client)
    assert {u: r["criteria"]["TT"] for u, r in rows.items()} == {"BVDK": 20, "CDC": 20, "PNT": 20, "BV2": 0}
    assert {u: r["bonus"] for u, r in rows.items()} == {"BVDK": 3, "CDC": 2, "PNT": 1, "BV2": 0}
    # PNT has no bloc score: its self score counts.
    assert rows["PNT"]["criteria"]["NV"] == 79
    # Bonus cap 5: BVDK's 3 + 4 counts as 5. Penalty: BV2 loses 1.
    assert _adjust(client, table_id, "BVDK", "bonus", "4", "Dẫn đầu phong trào hiến máu").status_code == 302
    assert _adjust(client, table_id, "BV2", "penalty", "1", "Nộp báo cáo chậm").status_code == 302
    rows = _api(client)
    assert rows["BVDK"]["bonus"] == 5 and rows["BVDK"]["total"] == 76.5 + 20 + 5
    assert rows["BV2"]["penalty"] == 1 and rows["BV2"]["total"] == 75 + 0 + 0 - 1
    page = client.get(f"{BASE}/{table_id}").get_data(as_text=True)
    assert "tự động từ hội thao" in page
    # The grid lists units in ranking order, with the totals the API gives.
    order = re.findall(r'<tr id="u-([A-Z0-9]+)"', page)
    assert order == ["BVDK", "PNT", "CDC", "BV2"]  # 101.5, 100, 99, 74
    assert "101,5" in page and "Cờ thi đua" in page and "Bằng khen" in page
    # The difference BVDK self 78 / bloc 76,5 is highlighted, equal scores are not.
    assert re.search(r'em-diff[^>]*data-criterion="NV"[^>]*>\s*76,5<br><span class="em-self">78</span>', page)


def test_ties_are_shared_then_a_recorded_vote_separates(built, organiser, db):
    client, table_id = organiser, built
    # CDC 77 + 20 + 2 = 99; PNT 79 + 20 + 1 = 100. Give PNT's bloc score 78 → 99, but its bonus
    # is lower (1 < 2): the bonus decides, CDC first.
    _score(client, db, table_id, "PNT", self_NV="79", bloc_NV="78")
    rows = _api(client)
    assert rows["CDC"]["total"] == rows["PNT"]["total"] == 99
    assert rows["CDC"]["rank"] < rows["PNT"]["rank"]
    # Equal bonus too (PNT +1 more, one point less on NV): a tie, both ranked 2, marked on the page.
    _adjust(client, table_id, "PNT", "bonus", "1", "Sáng kiến cấp tỉnh")
    _score(client, db, table_id, "PNT", self_NV="79", bloc_NV="77")
    rows = _api(client)
    assert rows["CDC"]["rank"] == rows["PNT"]["rank"] == 2
    page = client.get(f"{BASE}/{table_id}").get_data(as_text=True)
    assert page.count("đồng hạng") >= 2
    # The vote recorded in the settings separates them.
    assert _settings(client, table_id, votes="PNT CDC").status_code == 302
    rows = _api(client)
    assert (rows["PNT"]["rank"], rows["CDC"]["rank"]) == (2, 3)


@pytest.mark.parametrize("field,value,message", [
    ("bloc_NV", "81", "phải từ 0 đến 80"),
    ("self_NV", "-1", "không được âm"),
    ("self_NV", "abc", "không phải là số điểm"),
    ("bloc_NV", "7,555", "hai chữ số thập phân"),
])
def test_score_refusals(built, organiser, db, field, value, message):
    client, table_id = organiser, built
    before = db.session.scalar(select(EmulationScore.bloc_score).where(EmulationScore.self_score == 78))
    r = _score(client, db, table_id, "BVDK", **{field: value})
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(EmulationScore.bloc_score).where(EmulationScore.self_score == 78)) == before


def test_linked_criterion_is_read_only(built, organiser, db):
    client, table_id = organiser, built
    table = db.session.get(EmulationTable, table_id)
    tt = next(c for c in table.criteria if c.code == "TT")
    page = client.get(f"{BASE}/{table_id}/units/BVDK").get_data(as_text=True)
    assert f'name="bloc_{tt.id}"' not in page and "tự động từ hội thao" in page
    # A hand-made POST with a score for it changes nothing.
    r = _post(client, f"{BASE}/{table_id}/units/BVDK", {"action": "scores", f"bloc_{tt.id}": "1"})
    assert r.status_code in (302, 422)
    assert _api(client)["BVDK"]["criteria"]["TT"] == 20


def test_other_refusals(built, organiser, db):
    client, table_id = organiser, built
    # A reason is required for an adjustment, and points must be positive.
    r = _adjust(client, table_id, "BVDK", "bonus", "2", "")
    assert r.status_code == 422 and "Ghi lý do" in r.get_data(as_text=True)
    r = _adjust(client, table_id, "BVDK", "penalty", "0", "x")
    assert r.status_code == 422 and "lớn hơn 0" in r.get_data(as_text=True)
    # A duplicate criterion code; a maximum below a given score.
    r = _post(client, f"{BASE}/{table_id}/criteria", {"action": "add", "add-code": "NV", "add-name": "x",
                                                        "add-max_score": "5"})
    assert r.status_code == 422 and "đã có tiêu chí mã NV" in r.get_data(as_text=True)
    table = db.session.get(EmulationTable, table_id)
    nv = next(c for c in table.criteria if c.code == "NV")
    r = _post(client, f"{BASE}/{table_id}/criteria/{nv.id}", {"code": "NV", "group": "I", "name": "x", "max_score": "70"})
    assert r.status_code == 422 and "hạ điểm tối đa" in r.get_data(as_text=True)
    # A second linked table for the same festival; the same year twice.
    r = _post(client, BASE, {"action": "new", "new-year": "2025", "new-linked": "y", "new-titles": "Cờ thi đua"})
    assert r.status_code == 422 and "mỗi hội thao chỉ tính vào một bảng điểm" in r.get_data(as_text=True)
    r = _post(client, BASE, {"action": "new", "new-year": "2024", "new-titles": "Cờ thi đua"})
    assert r.status_code == 422 and "mỗi năm (mỗi đợt) chỉ có một bảng điểm" in r.get_data(as_text=True)
    # Titles and tiers must agree; a vote names only units of the festival.
    r = _settings(client, table_id, title_tiers="1, 2, 3")
    assert r.status_code == 422 and "số vị trí" in r.get_data(as_text=True)
    r = _settings(client, table_id, votes="XYZ")
    assert r.status_code == 422 and "XYZ" in r.get_data(as_text=True)
    # The linked criterion cannot be deleted while linked.
    tt = next(c for c in table.criteria if c.code == "TT")
    r = _post(client, f"{BASE}/{table_id}/criteria", {})  # a page to take the token from
    page = client.get(f"{BASE}/{table_id}/criteria").get_data(as_text=True)
    r = client.post(f"{BASE}/{table_id}/criteria/{tt.id}/delete", data={"csrf_token": csrf_token(page)},
                    follow_redirects=True)
    assert "nhận điểm tự động từ hội thao" in r.get_data(as_text=True)
    assert any(c.code == "TT" for c in db.session.get(EmulationTable, table_id).criteria)


def test_a_second_period_table(built, organiser, db):
    client = organiser
    r = _post(client, BASE, {"action": "new", "new-year": "2024", "new-period": "Đợt 1", "new-titles": "Cờ thi đua"})
    assert r.status_code == 302
    page = client.get(BASE).get_data(as_text=True)
    assert "Bảng điểm thi đua năm 2024 – Đợt 1" in page and "Bảng điểm thi đua năm 2024" in page
    # The API still answers with the linked table.
    assert set(_api(client)) == {"BVDK", "CDC", "PNT", "BV2"}


def test_result_change_updates_the_linked_scores(built, organiser, db, festival):
    client, table_id = organiser, built
    assert _api(client)["CDC"]["bonus"] == 2
    # The table tennis final BVDK–CDC is corrected: CDC wins. CDC has 2 golds → festival rank 1.
    event = db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == "BB-DNAM"))
    stage = next(s for s in event.stages if s.type == "knockout")
    final = max((m for m in stage.matches if not m.is_playoff), key=lambda m: m.round)
    home_is_bvdk = final.home.unit.code == "BVDK"
    sets = [[9, 11], [11, 8], [7, 11], [9, 11]] if home_is_bvdk else [[11, 9], [8, 11], [11, 7], [11, 9]]
    record_result(final, sets, reason="Biên bản trọng tài ghi nhầm bên thắng", actor="btc")
    db.session.commit()
    rows = _api(client)
    assert (rows["CDC"]["bonus"], rows["PNT"]["bonus"], rows["BVDK"]["bonus"]) == (3, 2, 1)
    page = client.get(f"{BASE}/{table_id}/units/CDC").get_data(as_text=True)
    assert "hạng toàn đoàn 1" in page


def _upload(client, table_id: int, wb: Workbook):
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return _post(client, f"{BASE}/{table_id}/criteria", {"action": "import", "imp-file": (out, "tc.xlsx")},
                 content_type="multipart/form-data")


def test_excel_template_import_is_all_or_nothing(built, organiser, db):
    client, table_id = organiser, built
    template = client.get(f"{BASE}/{table_id}/criteria.xlsx")
    wb = load_workbook(io.BytesIO(template.data))
    ws = wb["Tiêu chí"]
    assert [c.value for c in ws[1]] == ["Mã tiêu chí", "Nhóm tiêu chí", "Tên tiêu chí", "Điểm tối đa"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["NV", "TT"]
    ws.append(["KT", "III. Khác", "Kiểm tra", "abc"])
    ws.append(["NV", "III. Khác", "", 5])
    r = _upload(client, table_id, wb)
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Tiêu chí!D4: “abc” không phải là số điểm." in text
    assert "Tiêu chí!C5: Nhập tên (nội dung) của tiêu chí." in text and "Tiêu chí!A5: mã NV đã có ở dòng 2" in text
    assert [c.code for c in db.session.get(EmulationTable, table_id).criteria] == ["NV", "TT"]
    # A good file: NV keeps its scores, KT is added.
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiêu chí"
    ws.append(["Mã tiêu chí", "Nhóm tiêu chí", "Tên tiêu chí", "Điểm tối đa"])
    ws.append(["NV", "I. Nhiệm vụ", "Hoàn thành nhiệm vụ được giao", 80])
    ws.append(["KT", "I. Nhiệm vụ", "Kiểm tra nội bộ", "2,5"])
    ws.append(["TT", "II. Phong trào", "Tham gia hoạt động văn hóa, thể thao do Khối tổ chức", 20])
    assert _upload(client, table_id, wb).status_code == 302
    db.session.expire_all()
    table = db.session.get(EmulationTable, table_id)
    assert [(c.code, float(c.max_score)) for c in table.criteria] == [("NV", 80), ("KT", 2.5), ("TT", 20)]
    assert _api(client)["BVDK"]["criteria"]["NV"] == 76.5


def test_copy_from_last_year(built, organiser, db):
    client = organiser
    page = client.get(BASE).get_data(as_text=True)
    r = client.post(f"{BASE}/copy", data={"csrf_token": csrf_token(page), "copy-source": str(built),
                                           "copy-year": "2025"})
    assert r.status_code == 302
    copied = db.session.scalar(select(EmulationTable).where(EmulationTable.year == 2025))
    assert [c.code for c in copied.criteria] == ["NV", "TT"]
    assert all(not c.scores for c in copied.criteria)
    assert copied.festival_id is None  # this festival already counts in the 2024 table


def test_exports_read_back(built, organiser, db):
    client, table_id = organiser, built
    _adjust(client, table_id, "BV2", "penalty", "1", "Nộp báo cáo chậm")
    r = client.get(f"{BASE}/{table_id}/summary.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "BẢNG TỔNG HỢP ĐIỂM THI ĐUA"
    header = [c.value for c in ws[5]]
    assert header == ["Hạng", "Đơn vị", "NV", "TT", "Tổng tiêu chí", "Điểm cộng", "Điểm trừ", "Tổng điểm",
                      "Đề nghị", "Ghi chú"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6, max_row=9)]
    # PNT 79 + 20 + 1 = 100; BVDK 76,5 + 20 + 3 = 99,5; CDC 77 + 20 + 2 = 99; BV2 75 + 0 − 1 = 74.
    assert rows[0] == [1, "Bệnh viện Y học cổ truyền Phạm Ngọc Thạch", 79, 20, 99, 1, 0, 100, "Cờ thi đua", None]
    assert rows[1][:2] == [2, "Bệnh viện Đa khoa tỉnh Lâm Đồng"] and rows[1][7:9] == [99.5, "Bằng khen"]
    assert rows[2][7:9] == [99, "Bằng khen"]  # tiers 1, 2: ranks 2 and 3 are proposed for a Bằng khen
    assert rows[3] == [4, "Bệnh viện II Lâm Đồng", 75, 0, 75, 0, 1, 74, None, None]
    detail = wb["Chi tiết"]
    line = next(r for r in detail.iter_rows(values_only=True) if r[0] == "BVDK" and r[3] == "NV")
    assert line[6:10] == (78, 76.5, -1.5, 76.5)
    adjustments = [r for r in wb["Điểm cộng, trừ"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert ("BV2", "Bệnh viện II Lâm Đồng", "Trừ", 1, "Nộp báo cáo chậm") in adjustments


def test_every_score_change_is_audited(built, organiser, db):
    client, table_id = organiser, built
    _score(client, db, table_id, "BVDK", self_NV="78", bloc_NV="77", note_NV="Khối kiểm tra lại")
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "emulation.score")
                              .order_by(AuditEntry.id)).all()
    assert len(rows) == 5  # four units scored, then BVDK corrected
    assert rows[-1].before["bloc"] == "76,5" and rows[-1].after["bloc"] == "77"
    assert rows[-1].after["note"] == "Khối kiểm tra lại" and rows[-1].actor == "btc"
    # Saving the same scores again writes nothing.
    _score(client, db, table_id, "BVDK", self_NV="78", bloc_NV="77", note_NV="Khối kiểm tra lại")
    assert db.session.query(AuditEntry).filter(AuditEntry.action == "emulation.score").count() == 5


def test_post_without_csrf_is_refused(built, organiser, db):
    r = organiser.post(f"{BASE}/{built}/units/BVDK", data={"action": "scores"})
    assert r.status_code == 400


def test_imported_table_shows_in_the_pages(organiser, db):
    import_file(_file(with_emulation=True))
    db.session.commit()
    table = db.session.scalar(select(EmulationTable))
    assert table.home_festival_id is None
    page = organiser.get(BASE).get_data(as_text=True)
    assert "Bảng điểm thi đua năm 2024" in page
    grid = organiser.get(f"{BASE}/{table.id}").get_data(as_text=True)
    assert "tự động từ hội thao" in grid
    api = _api(organiser)
    assert str(api["BVDK"]["total"]).replace(".", ",") in grid


def test_record_result_fixture_sanity(festival, db):
    # The knockout final is played and BVDK won it (the facts the tests above rely on).
    event = db.session.scalar(select(Event).where(Event.code == "BB-DNAM"))
    stage = db.session.scalar(select(Stage).where(Stage.event_id == event.id, Stage.type == "knockout"))
    final = max(db.session.scalars(select(Match).where(Match.stage_id == stage.id)), key=lambda m: m.round)
    assert final.status == "completed" and db.session.get(type(final.winner), final.winner_entry_id).unit.code == "BVDK"


def test_pdf_summary_reads_back(built, organiser, db):
    from pypdf import PdfReader

    r = organiser.get(f"{BASE}/{built}/summary.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(r.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("BẢNG TỔNG HỢP ĐIỂM THI ĐUA", "Bảng điểm thi đua năm 2024", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Bệnh viện Y học cổ truyền Phạm Ngọc Thạch", "Cờ thi đua",
                     "76,5", "99,5", "tự động từ hội thao", "KHỐI TRƯỞNG", "Đỗ Hoàng Hải", "tháng"):
        assert expected in text, expected
    used = {font.get_object()["/BaseFont"] for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}
    # Only embedded subsets (an "ABCDEF+" prefix): no standard font that cannot draw Vietnamese.
    assert used and all("+" in str(name) for name in used), used


def test_criteria_move_up_and_down_and_the_columns_follow(organiser, festival, db):
    table_id = _new_table(organiser)
    for code, name in (("A1", "Chuyên môn"), ("A2", "Tài chính"), ("B1", "Đoàn thể")):
        _criterion(organiser, table_id, code, "Nhóm", name, "10")
    url = f"{BASE}/{table_id}/criteria"

    def order():
        db.session.expire_all()
        return [c.code for c in db.session.get(EmulationTable, table_id).criteria]

    ids = {c.code: c.id for c in db.session.get(EmulationTable, table_id).criteria}
    page = organiser.get(url).get_data(as_text=True)
    assert page.count('name="to" value="up"') == 3 and "disabled>↑" in page
    move = f"{url}/{ids['A1']}/move"
    assert _post_to(organiser, url, move, {"to": "down"}).status_code == 302
    assert order() == ["A2", "A1", "B1"]
    assert _post_to(organiser, url, f"{url}/{ids['A2']}/move", {"to": "up"}).status_code == 302  # already first
    assert order() == ["A2", "A1", "B1"]
    assert _post_to(organiser, url, f"{url}/{ids['B1']}/move", {"to": "up"}).status_code == 302
    assert order() == ["A2", "B1", "A1"]
    assert _post_to(organiser, url, move, {"to": "sideways"}).status_code == 400
    assert order() == ["A2", "B1", "A1"]
    moves = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "emulation.criterion_move")))
    assert [m.after["order"] for m in moves] == [["A2", "A1", "B1"], ["A2", "B1", "A1"]]
    page = organiser.get(url).get_data(as_text=True)
    assert re.findall(r"<code>(A1|A2|B1)</code>", page) == ["A2", "B1", "A1"]
    sheet = load_workbook(io.BytesIO(organiser.get(f"{BASE}/{table_id}/summary.xlsx").data)).active
    headers = [str(c.value) for row in sheet.iter_rows(max_row=12) for c in row if c.value]
    assert [h for h in headers if h in ("A2", "B1", "A1")] == ["A2", "B1", "A1"]  # the columns follow


def _post_to(client, page_url: str, action_url: str, data: dict):
    page = client.get(page_url)
    return client.post(action_url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data})

"""Festival file import/export (CONTRACT.md): all-or-nothing, located problems, exact roundtrip."""
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sports.models import AuditEntry, Entry, Event, Festival, Match, Placing

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


def small() -> dict:
    return json.loads(SMALL.read_text(encoding="utf-8"))


def run_import(runner, tmp_path, data, *args, raw: bytes | None = None):
    path = tmp_path / "festival.json"
    path.write_bytes(raw if raw is not None else json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return runner.invoke(args=["festival", "import", str(path), *args])


def table_counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Festival, Event, Entry, Match, Placing))


def test_import_prints_the_slug_and_stores_everything(runner, db, tmp_path):
    result = run_import(runner, tmp_path, small())
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "vidu-2024"
    festival = db.session.scalar(select(Festival))
    assert (len(festival.units), len(festival.athletes), len(festival.events)) == (4, 8, 3)
    tt = festival.events[0]
    assert [s.type for s in tt.stages] == ["round_robin", "knockout"]
    # Group A (3 entries) has 3 fixtures, group B one; the knockout rows are the 3 played matches.
    assert len(tt.stages[0].matches) == 4 and len(tt.stages[1].matches) == 3
    assert all(m.status == "completed" for m in tt.stages[0].matches)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "festival.import")) == 1


def test_roundtrip_export_import_export_is_identical(runner, db, tmp_path):
    assert run_import(runner, tmp_path, small()).exit_code == 0
    first = runner.invoke(args=["festival", "export", "vidu-2024"])
    assert first.exit_code == 0, first.output
    exported = json.loads(first.output)
    # Import the export into an empty database.
    db.session.delete(db.session.scalar(select(Festival)))
    db.session.commit()
    again = run_import(runner, tmp_path, exported)
    assert again.exit_code == 0, again.output
    second = runner.invoke(args=["festival", "export", "vidu-2024", "-o", str(tmp_path / "out.json")])
    assert second.exit_code == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == exported
    assert exported["events"][1]["stages"][0]["matches"][2] == {
        "home": "v2", "away": "v3", "sets": [[25, 0], [25, 0]], "outcome": "walkover", "winner": "v2"}


def test_demo_festival_roundtrips(runner, db, tmp_path):
    runner.invoke(args=["demo"])
    exported = json.loads(runner.invoke(args=["festival", "export", "lamdong-2023"]).output)
    result = run_import(runner, tmp_path, exported, "--replace")
    assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(args=["festival", "export", "lamdong-2023"]).output) == exported


def test_export_unknown_slug(runner, db):
    result = runner.invoke(args=["festival", "export", "khong-co"])
    assert result.exit_code == 1 and "no festival 'khong-co'" in result.output


def test_existing_slug_is_refused_unless_replace(runner, db, tmp_path):
    assert run_import(runner, tmp_path, small()).exit_code == 0
    again = run_import(runner, tmp_path, small())
    assert again.exit_code == 1
    assert ("festival.slug: đã có hội thao mã 'vidu-2024'; chọn thay thế (hoặc --replace) nếu muốn ghi đè"
            in again.output)
    replaced = run_import(runner, tmp_path, small(), "--replace")
    assert replaced.exit_code == 0
    assert db.session.scalar(select(func.count(Festival.id))) == 1


def _mutate(path_fn):
    data = small()
    path_fn(data)
    return data


BAD_FILES = {
    "unknown unit of an athlete": (
        lambda d: d["athletes"][2].update(unit="XYZ"),
        ["athletes[2].unit: không có đơn vị mã 'XYZ' trong danh sách units"]),
    "unknown athlete in an entry": (
        lambda d: d["events"][0]["entries"][1].update(athletes=["a99"]),
        ["events[0].entries[1].athletes[0]: không có vận động viên mã 'a99' trong danh sách athletes"]),
    "athlete of another unit": (
        lambda d: d["events"][0]["entries"][1].update(athletes=["a3"]),
        ["events[0].entries[1].athletes[0]: vận động viên 'a3' (Lê Quốc Cường) thuộc đơn vị 'PNT', "
         "không thuộc đơn vị 'BV2' của VĐV/đôi/đội này"]),
    "mixed doubles of two men": (
        lambda d: d["events"][2]["entries"][0].update(athletes=["a1", "a7"]),
        ["events[2].entries[0].athletes: Đôi nam nữ gồm một vận động viên nam và một vận động viên nữ."]),
    "singles with two players": (
        lambda d: d["events"][0]["entries"][0].update(athletes=["a1", "a7"]),
        ["events[0].entries[0].athletes: Đơn nam cần đúng 1 vận động viên (có 2)."]),
    "unfinished table tennis game": (
        lambda d: d["events"][0]["stages"][0]["matches"][0].update(sets=[[11, 9], [11, 10], [11, 5]]),
        ["events[0].stages[0].matches[0].sets[1]: 11-10"]),
    "fourth set after a best of three was won": (
        lambda d: d["events"][1]["stages"][0]["matches"][1].update(sets=[[25, 18], [25, 21], [25, 10]]),
        ["events[1].stages[0].matches[1]: Séc 3: trận đấu đã kết thúc"]),
    "knockout match the draw does not produce": (
        lambda d: d["events"][0]["stages"][1]["matches"].append(
            {"home": "e5", "away": "e3", "sets": [[11, 3], [11, 4], [11, 5]]}),
        ["events[0].stages[1].matches[3]: sơ đồ không có trận 'e5' – 'e3' "
         "(kiểm tra sơ đồ và kết quả các vòng trước)"]),
    "knockout double walkover": (
        lambda d: d["events"][0]["stages"][1]["matches"][0].update(outcome="double_walkover", sets=[]),
        ["events[0].stages[1].matches[0]: trận loại trực tiếp phải có bên thắng"]),
    "group match between two groups": (
        lambda d: d["events"][0]["stages"][0]["matches"].append(
            {"home": "e1", "away": "e4", "sets": [[11, 3], [11, 4], [11, 5]]}),
        ["events[0].stages[0].matches[4]: 'e1' và 'e4' không cùng một bảng của vòng này"]),
    "placing of an unknown entry": (
        lambda d: d["events"][2]["placings"].append({"place": 3, "entry": "m9"}),
        ["events[2].placings[2].entry: không có VĐV/đôi/đội mã 'm9' trong entries của nội dung này"]),
    "entry placed twice": (
        lambda d: d["events"][2]["placings"].append({"place": 3, "entry": "m1"}),
        ["events[2].placings: "]),
    "unknown discipline": (
        lambda d: d["events"][0].update(discipline="quad"),
        ['events[0].discipline: "quad" không phải giá trị được chấp nhận — chọn một trong: men_team, '
         'women_team, men_singles, women_singles, men_doubles, women_doubles, mixed_doubles']),
    "missing name": (lambda d: d["units"][0].pop("name"), ["units[0].name: thiếu trường bắt buộc “name”"]),
    "unknown field": (lambda d: d["units"][0].update(colour="red"),
                      ["units[0].colour: trường “colour” không có trong định dạng hoithao/1; "
                       "ở đây chỉ dùng: code, name, short_name"]),
    "misspelt field": (lambda d: d["events"][0]["entries"][0].update(sead=2),
                       ["events[0].entries[0].sead: trường “sead” không có trong định dạng hoithao/1 — "
                        "có phải ý là “seed”?"]),
    "bad ranking option": (
        lambda d: d["events"][0]["ranking"].update(order="points_first"), ["events[0].ranking: "]),
    "duplicate athlete ref": (
        lambda d: d["athletes"].append(dict(d["athletes"][0])),
        ["athletes[8].ref: mã 'a1' bị trùng — đã dùng ở athletes[0]"]),
    "emulation score above the maximum": (
        lambda d: d["emulation"]["scores"][0].update(bloc=81), ["emulation.scores: "]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_each_problem_is_located_and_nothing_is_stored(runner, db, tmp_path, case):
    mutate, expected = BAD_FILES[case]
    before = table_counts(db)
    result = run_import(runner, tmp_path, _mutate(mutate))
    assert result.exit_code == 1, result.output
    assert "nothing was imported" in result.output
    for fragment in expected:
        assert fragment in result.output, result.output
    assert "Traceback" not in result.output
    assert table_counts(db) == before


def test_every_problem_is_reported_at_once(runner, db, tmp_path):
    data = small()
    data["athletes"][2]["unit"] = "XYZ"
    data["events"][0]["stages"][0]["matches"][0]["sets"][1] = [11, 10]
    data["events"][2]["placings"].append({"place": 3, "entry": "m9"})
    result = run_import(runner, tmp_path, data)
    assert "4 problem(s)" in result.output
    for fragment in ("athletes[2].unit: không có đơn vị mã 'XYZ' trong danh sách units",
                     "events[0].entries[2].athletes[0]: vận động viên 'a3' (Lê Quốc Cường) thuộc đơn vị 'XYZ'",
                     "events[0].stages[0].matches[0].sets[1]: 11-10",
                     "events[2].placings[2].entry: không có VĐV/đôi/đội mã 'm9'"):
        assert fragment in result.output
    assert db.session.scalar(select(func.count(Festival.id))) == 0


@pytest.mark.parametrize("raw, sentence", [
    (b"{not json", "Tệp không đúng cú pháp JSON: tên trường phải đặt trong dấu ngoặc kép \"…\" "
                   "(hoặc thừa dấu phẩy trước “}”) (dòng 1, cột 2)."),
    (b'{"format": "hoithao/1",\n "festival": }', "Tệp không đúng cú pháp JSON: thiếu một giá trị, hoặc có chữ "
                                                   "không đặt trong dấu ngoặc kép (dòng 2, cột 14)."),
    (b'{"format": "hoithao/1" "x": 1}', "thiếu dấu phẩy “,” giữa hai phần tử (dòng 1, cột 24)"),
    (b'{"format" "hoithao/1"}', "thiếu dấu hai chấm “:” sau tên trường (dòng 1, cột 11)"),
    (b'{"format": "hoithao/1', "một chuỗi chữ thiếu dấu ngoặc kép đóng (dòng 1, cột 12)"),
    (b'{"format": "hoithao/1"} {}', "còn nội dung thừa sau đối tượng JSON chính (dòng 1, cột 25)"),
    (b'{"format": "hoi\\qthao/1"}', "có dấu “\\” không đúng cách trong chuỗi chữ"),
    ("{\"format\": \"hoithao/1\", \"x\": \"Đà Lạt\"}".encode("utf-16"),
     "Tệp không phải văn bản UTF-8 (byte lạ ở vị trí 0); hãy lưu lại tệp với mã hóa UTF-8 rồi thử lại."),
    (b'{"format": "hoithao/2"}',
     'Đây không phải tệp hội thao định dạng "hoithao/1" (trường "format" của tệp là "hoithao/2").'),
    (b'[1, 2]', 'Tệp phải chứa một đối tượng JSON {…} có "format": "hoithao/1".'),
    (b'{"festival": {}}', 'Đây không phải tệp hội thao định dạng "hoithao/1" (tệp không có trường "format").'),
])
def test_wrong_kind_of_file_gets_one_sentence(runner, db, tmp_path, raw, sentence):
    result = run_import(runner, tmp_path, None, raw=raw)
    assert result.exit_code == 1
    assert sentence in result.output and "1 problem(s)" in result.output
    assert "Traceback" not in result.output


def test_missing_file(runner, db, tmp_path):
    result = runner.invoke(args=["festival", "import", str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_decomposed_vietnamese_is_normalised_on_import(runner, db, tmp_path):
    import unicodedata

    data = small()
    data["units"][0]["name"] = unicodedata.normalize("NFD", "Bệnh viện Đa khoa tỉnh Lâm Đồng")
    assert run_import(runner, tmp_path, data).exit_code == 0
    name = db.session.scalar(select(Festival)).units[0].name
    assert name == unicodedata.normalize("NFC", name) == "Bệnh viện Đa khoa tỉnh Lâm Đồng"


def test_docs_example_imports(runner, db, tmp_path):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "festival-format.md").read_text(encoding="utf-8")
    block = doc.split("```json\n", 1)[1].split("```", 1)[0]
    result = run_import(runner, tmp_path, None, raw=block.encode("utf-8"))
    assert result.exit_code == 0, result.output


def test_entries_may_name_no_athletes_yet(runner, db, tmp_path):
    """A result-only file (e.g. last year's medal table) lists entries by unit alone."""
    data = small()
    for entry in data["events"][2]["entries"]:
        entry["athletes"] = []
    data["events"][1]["entries"][0]["athletes"] = ["a6", "a8"]  # a partial roster is fine too
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output


def test_recorded_placings_may_skip_third_place(runner, db, tmp_path, client):
    """An event without a third place records 1, 2 and the quarter-final losers' shared 5th."""
    data = small()
    event = data["events"][2]
    event["entries"] += [{"ref": f"m{i}", "unit": "BV2"} for i in range(3, 7)]
    event["placings"] = [{"place": 1, "entry": "m2"}, {"place": 2, "entry": "m1"}] + [
        {"place": 5, "entry": f"m{i}"} for i in range(3, 7)]
    assert run_import(runner, tmp_path, data).exit_code == 0
    medals = [p["medal"] for p in client.get("/api/v1/festivals/vidu-2024/events/CL-DNN/placings").get_json()]
    assert medals == ["gold", "silver", None, None, None, None]
    event["placings"][1]["place"] = 1  # two winners is never possible
    data["festival"]["slug"] = "vidu-2"
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 1 and "events[2].placings: " in result.output

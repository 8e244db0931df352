"""Every problem a festival file can have is a Vietnamese sentence after its location.

The organiser reads these on the admin import page, so pydantic's and json's English never
reaches them: each pydantic error type has its own sentence (one file per type below), any
other type a general Vietnamese one, and a scan of many mutated files finds no English.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from sports.importers import schema
from sports.importers.festival_file import ImportProblems, _location, import_file, parse
from sports.importers.schema import FestivalFile, error_message

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"
BASE = json.loads(SMALL.read_text(encoding="utf-8"))
MATCH0 = ("events", 0, "stages", 0, "matches", 0)


def small() -> dict:
    return copy.deepcopy(BASE)


def at(data, path):
    for part in path:
        data = data[part]
    return data


def put(path, value):
    def mutate(data):
        at(data, path[:-1])[path[-1]] = value
    return mutate


def drop(path):
    def mutate(data):
        del at(data, path[:-1])[path[-1]]
    return mutate


def raw_of(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def problems(data) -> list[str]:
    with pytest.raises(ImportProblems) as excinfo:
        parse(raw_of(data))
    return excinfo.value.problems


def pydantic_errors(data) -> list[dict]:
    try:
        FestivalFile.model_validate(data)
    except ValidationError as exc:
        return exc.errors()
    return []


# --------------------------------------------------------------- one file per error type

LONG_NAME = "Bệnh viện " * 40  # 400 characters

FILE_CASES = [
    ("missing", drop(("units", 0, "name")), "units[0].name: thiếu trường bắt buộc “name”"),
    ("missing", put(MATCH0 + ("sets", 0), [11]),
     "events[0].stages[0].matches[0].sets[0][1]: thiếu phần tử thứ 2 trong [11]"),
    ("extra_forbidden", put(("festival", "colour"), "đỏ"),
     "festival.colour: trường “colour” không có trong định dạng hoithao/1; ở đây chỉ dùng: slug, name, "
     "organiser, place, start_date, end_date, medal_ranking, medal_labels, overall_tiers"),
    ("extra_forbidden", put(("events", 0, "format", "pionts"), 11),
     "events[0].format.pionts: trường “pionts” không có trong định dạng hoithao/1 — có phải ý là “points”?"),
    ("literal_error", put(("events", 0, "sport"), "cờ vua"),
     'events[0].sport: "cờ vua" không phải giá trị được chấp nhận — chọn một trong: volleyball, '
     'table_tennis, badminton'),
    ("literal_error", put(("athletes", 0, "gender"), "Nam"),
     'athletes[0].gender: "Nam" không phải giá trị được chấp nhận — chọn một trong: M, F'),
    ("literal_error", put(MATCH0 + ("outcome",), "bỏ cuộc"),
     'events[0].stages[0].matches[0].outcome: "bỏ cuộc" không phải giá trị được chấp nhận — chọn một '
     'trong: normal, walkover, retired, disqualified, double_walkover'),
    ("int_parsing", put(("athletes", 0, "birth_year"), "năm 1990"),
     'athletes[0].birth_year: phải là một số nguyên, không phải "năm 1990"'),
    ("int_parsing", put(MATCH0 + ("sets", 1, 0), "mười một"),
     'events[0].stages[0].matches[0].sets[1][0]: phải là một số nguyên, không phải "mười một"'),
    ("int_type", put(("athletes", 0, "birth_year"), [1990]),
     "athletes[0].birth_year: phải là một số nguyên, không phải [1990]"),
    ("int_from_float", put(("athletes", 0, "birth_year"), 1990.5),
     "athletes[0].birth_year: phải là một số nguyên (không có phần lẻ), không phải 1990.5"),
    ("int_parsing_size", put(("athletes", 0, "birth_year"), "9" * 5000),
     "athletes[0].birth_year: số quá lớn, không đọc được"),
    ("float_parsing", put(("emulation", "criteria", 0, "max"), "tám mươi"),
     'emulation.criteria[0].max: phải là một số, không phải "tám mươi"'),
    ("float_type", put(("emulation", "criteria", 0, "max"), [80]),
     "emulation.criteria[0].max: phải là một số, không phải [80]"),
    ("finite_number", put(("athletes", 0, "birth_year"), float("nan")),
     "athletes[0].birth_year: phải là một số hữu hạn, không phải NaN"),
    ("string_type", put(("units", 0, "name"), 5),
     "units[0].name: phải là một chuỗi chữ trong dấu ngoặc kép, không phải 5"),
    ("string_type", put(("units", 1, "code"), None),
     "units[1].code: phải là một chuỗi chữ trong dấu ngoặc kép, không phải null"),
    ("string_too_short", put(("units", 0, "name"), "   "),  # spaces are stripped first
     "units[0].name: không được để trống"),
    ("string_too_long", put(("units", 0, "name"), LONG_NAME),
     'units[0].name: dài 400 ký tự, tối đa 300 ký tự: "' + LONG_NAME[:47] + '…"'),
    ("string_pattern_mismatch", put(("festival", "slug"), "vidu 2024"),
     'festival.slug: "vidu 2024" không đúng dạng — chỉ dùng chữ cái không dấu, chữ số và các dấu “-”, '
     '“_”, “.”, bắt đầu bằng chữ cái hoặc chữ số, tối đa 80 ký tự (ví dụ lamdong-2023)'),
    ("greater_than_equal", put(("athletes", 0, "birth_year"), 1800),
     "athletes[0].birth_year: phải từ 1900 trở lên, không phải 1800"),
    ("greater_than_equal", put(("emulation", "adjustments", 0, "points"), -1.5),
     "emulation.adjustments[0].points: phải từ 0 trở lên, không phải -1.5"),
    ("less_than_equal", put(("athletes", 0, "birth_year"), 2200),
     "athletes[0].birth_year: phải từ 2100 trở xuống, không phải 2200"),
    ("date_from_datetime_parsing", put(("festival", "start_date"), "23/11/2024"),
     'festival.start_date: phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ "2024-11-23", '
     'không phải "23/11/2024"'),
    ("date_from_datetime_parsing", put(("festival", "end_date"), "2024-13-01"),
     'festival.end_date: phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ "2024-11-23" '
     '(tháng phải từ 01 đến 12), không phải "2024-13-01"'),
    ("date_from_datetime_parsing", put(("festival", "end_date"), "2024-02-30"),
     'festival.end_date: phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ "2024-11-23" '
     '(tháng đó không có ngày này), không phải "2024-02-30"'),
    ("date_from_datetime_inexact", put(("festival", "start_date"), "2024-11-23T08:00:00"),
     'festival.start_date: phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ "2024-11-23", '
     'không phải "2024-11-23T08:00:00"'),
    ("date_type", put(("festival", "start_date"), [2024, 11, 23]),
     'festival.start_date: phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ "2024-11-23", '
     'không phải [2024, 11, 23]'),
    ("bool_parsing", put(("events", 0, "entries", 0, "withdrawn"), "có"),
     'events[0].entries[0].withdrawn: phải là true hoặc false, không phải "có"'),
    ("bool_type", put(("events", 0, "entries", 0, "withdrawn"), None),
     "events[0].entries[0].withdrawn: phải là true hoặc false, không phải null"),
    ("list_type", put(("units",), {"BVDK": "Bệnh viện Đa khoa"}),
     'units: phải là một danh sách trong ngoặc vuông […], không phải {"BVDK": "Bệnh viện Đa khoa"}'),
    ("list_type", put(("events", 0, "entries", 0, "athletes"), "a1"),
     'events[0].entries[0].athletes: phải là một danh sách trong ngoặc vuông […], không phải "a1"'),
    ("tuple_type", put(MATCH0 + ("sets", 0), "11-9"),
     'events[0].stages[0].matches[0].sets[0]: phải là một danh sách trong ngoặc vuông […], không phải "11-9"'),
    ("too_long", put(MATCH0 + ("sets", 0), [11, 9, 3]),
     "events[0].stages[0].matches[0].sets[0]: [11, 9, 3] có 3 phần tử, tối đa 2 phần tử"),
    ("dict_type", put(("emulation", "festival_link", "rank_bonus"), [3, 2, 1]),
     "emulation.festival_link.rank_bonus: phải là một đối tượng trong ngoặc nhọn {…}, không phải [3, 2, 1]"),
    ("model_type", put(("festival", "medal_ranking"), "olympic"),
     'festival.medal_ranking: phải là một đối tượng trong ngoặc nhọn {…}, không phải "olympic"'),
    ("model_type", put(("events", 1), "BC-NU"),
     'events[1]: phải là một đối tượng trong ngoặc nhọn {…}, không phải "BC-NU"'),
]


@pytest.mark.parametrize("kind, mutate, expected", FILE_CASES,
                         ids=[f"{kind}-{i}" for i, (kind, _, _) in enumerate(FILE_CASES)])
def test_each_pydantic_error_type_reads_in_vietnamese(kind, mutate, expected):
    data = small()
    mutate(data)
    # The file really produces the error type the case is about, and only that problem.
    assert [e["type"] for e in pydantic_errors(data)] == [kind]
    assert problems(data) == [expected]


# Types no JSON file can produce against today's schema (pydantic reads every date string
# through its datetime parser, no field has gt/lt or a list minimum); their sentences are
# checked on errors shaped as pydantic's.
SYNTHETIC_CASES = [
    ({"type": "date_parsing", "loc": ("festival", "start_date"), "input": "x",
      "msg": "Input should be a valid date in the format YYYY-MM-DD", "ctx": {"error": "input is too short"}},
     'phải là một ngày dạng YYYY-MM-DD trong dấu ngoặc kép, ví dụ "2024-11-23", không phải "x"'),
    ({"type": "greater_than", "loc": ("x",), "input": 0, "msg": "Input should be greater than 0",
      "ctx": {"gt": 0}}, "phải lớn hơn 0, không phải 0"),
    ({"type": "less_than", "loc": ("x",), "input": 9.5, "msg": "Input should be less than 5",
      "ctx": {"lt": 5.0}}, "phải nhỏ hơn 5, không phải 9.5"),
    ({"type": "too_short", "loc": ("x",), "input": [], "msg": "List should have at least 1 item after validation",
      "ctx": {"field_type": "List", "min_length": 1, "actual_length": 0}},
     "[] có 0 phần tử, cần ít nhất 1 phần tử"),
    ({"type": "string_too_short", "loc": ("x",), "input": "ab", "msg": "String should have at least 3 characters",
      "ctx": {"min_length": 3}}, "cần ít nhất 3 ký tự, mới có 2"),
]


@pytest.mark.parametrize("error, expected", SYNTHETIC_CASES, ids=[e["type"] for e, _ in SYNTHETIC_CASES])
def test_error_types_no_file_produces_today(error, expected):
    assert error_message(error) == expected


def test_every_translated_type_has_a_case():
    covered = {kind for kind, _, _ in FILE_CASES} | {e["type"] for e, _ in SYNTHETIC_CASES}
    assert set(schema._MESSAGES) == covered


@pytest.mark.parametrize("error", [
    {"type": "decimal_parsing", "loc": ("x",), "msg": "Input should be a valid decimal", "input": "1,5"},
    {"type": "url_parsing", "loc": ("x",), "msg": "Input should be a valid URL, relative URL without a base",
     "input": "x" * 200},
    {"type": "value_error", "loc": ("x",), "msg": "Value error, something is wrong",
     "ctx": {"error": ValueError("something is wrong")}},
])
def test_an_untranslated_type_still_gets_a_vietnamese_sentence(error):
    message = error_message(error)
    assert "không hợp lệ ở vị trí này — xem mô tả định dạng hoithao/1" in message
    assert error["msg"] not in message and not english(message)
    if "input" in error:
        assert message.startswith("giá trị ") and len(message) < 140  # the long value is cut short


def test_the_fallback_is_used_by_parse(monkeypatch):
    monkeypatch.delitem(schema._MESSAGES, "int_parsing")
    data = small()
    data["athletes"][0]["birth_year"] = "năm 1990"
    assert problems(data) == ['athletes[0].birth_year: giá trị "năm 1990" không hợp lệ ở vị trí này — '
                              'xem mô tả định dạng hoithao/1']


def test_long_values_are_cut_short():
    assert schema.shown("đ" * 500) == json.dumps("đ" * 47 + "…", ensure_ascii=False)
    assert schema.shown(list(range(100))).endswith("…") and len(schema.shown(list(range(100)))) == 60
    assert schema.shown("ngắn") == '"ngắn"' and schema.shown(None) == "null" and schema.shown(True) == "true"


# --------------------------------------------------------------- no English, anywhere

# Words of pydantic's and json's English messages (and of the importer's former ones); none is
# a Vietnamese word, none is a field name of the format.
ENGLISH = re.compile(
    r"\b(input should|field required|required|valid|invalid|characters?|should|must|unknown|missing|"
    r"expecting|extra|unterminated|delimiter|string|tuple|dictionary|instance|number|integer|boolean|"
    r"greater|less|pattern|already|twice|exists|not|is|the|got|datetimes?|date or|unable|parse|"
    r"items?|after validation|permitted|found)\b",
    re.IGNORECASE,
)


def english(message: str) -> bool:
    return ENGLISH.search(message) is not None


LOCATION = re.compile(r"^[a-z_]+(\[\d+\]|\.[A-Za-z0-9_]+)*: \S")


def _paths(node, path=()):
    """Every value of a file, containers included, as its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))
    if path:
        yield path


def _object_paths(node, path=()):
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from _object_paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _object_paths(value, path + (i,))


# Wrong-typed replacements, none of them English words.
WRONG = ["đ", 7, 2.5, -3, True, None, [1, 2, 3], {"k": 1}, "Đ" * 400, "2024-13-45", "", float("nan")]


def mutated_files():
    """(label, data): every value of the small festival replaced by each wrong value, every key
    removed, an unknown key added to every object, and a few hand-made enum and date mistakes."""
    for path in _paths(BASE):
        if path == ("format",):
            continue  # a file of another format gets its own sentence (below)
        for value in WRONG:
            data = small()
            put(path, value)(data)
            yield f"{path}={value!r:.20}", data
        if not isinstance(path[-1], int):
            data = small()
            drop(path)(data)
            yield f"del {path}", data
    for path in _object_paths(BASE):
        data = small()
        at(data, path)["mau_sac"] = "đỏ"
        yield f"{path}+mau_sac", data
    for path, value in [(("events", 0, "discipline"), "đơn nam"), (("events", 0, "third_place"), "đồng hạng"),
                        (("events", 0, "stages", 0, "type"), "vòng tròn"), (("festival", "medal_labels"), "huy chương"),
                        (("festival", "medal_ranking", "mode"), "điểm"), (("emulation", "adjustments", 0, "kind"), "cộng"),
                        (("festival", "start_date"), "25/11/2023"), (("festival", "end_date"), "2023-11-31"),
                        (("events", 0, "entries", 0, "withdrawn"), "có"),
                        (("events", 0, "entries", 0, "withdrawn"), None)]:
        data = small()
        put(path, value)(data)
        yield f"{path}={value}", data


def test_mutated_files_get_located_vietnamese_problems_only():
    seen_types: set[str] = set()
    files = 0
    for label, data in mutated_files():
        errors = pydantic_errors(data)
        if not errors:
            continue  # e.g. a name replaced by another text: a valid file
        files += 1
        found = problems(data)
        # One problem per pydantic error, at pydantic's location, in the format tools rely on.
        assert [p.split(": ", 1)[0] for p in found] == [_location(e["loc"]) for e in errors], label
        for error, message in zip(errors, found):
            seen_types.add(error["type"])
            # The detector catches the untranslated text pydantic would have given ...
            assert english(error["msg"]), (label, error["msg"])
            # ... and finds none in what the organiser reads.
            assert LOCATION.match(message), (label, message)
            assert not english(message.split(": ", 1)[1]), (label, message)
            assert error["msg"] not in message, (label, message)
    assert files > 300
    # The batch really exercises the many kinds of mistakes it claims to.
    assert {"missing", "extra_forbidden", "literal_error", "int_type", "int_parsing", "string_type",
            "string_too_long", "greater_than_equal", "date_from_datetime_parsing", "bool_type", "list_type",
            "model_type", "float_parsing", "tuple_type", "bool_parsing", "too_long", "dict_type",
            "int_from_float", "finite_number", "string_too_short"} <= seen_types


JSON_MISTAKES = [
    b"{not json", b'{"format": "hoithao/1",}', b'{"format": "hoithao/1" "x": 1}', b'{"format" "hoithao/1"}',
    b'{"format": "hoithao/1', b'{"format": "hoithao/1"} {}', b'{"format": "hoi\\thao/1", "x": "\\q"}',
    b'{"format": "\\u12"}', b'{"format": "a\nb"}', b"", b"[1, 2,]", b'{"festival": }',
]


@pytest.mark.parametrize("raw", JSON_MISTAKES)
def test_json_mistakes_get_one_vietnamese_sentence(raw):
    with pytest.raises(json.JSONDecodeError) as decode:
        json.loads(raw.decode("utf-8"))
    assert english(decode.value.msg)  # json's own words would be caught ...
    with pytest.raises(ImportProblems) as excinfo:
        parse(raw)
    [message] = excinfo.value.problems
    assert message.startswith("Tệp không đúng cú pháp JSON: ")
    assert f"(dòng {decode.value.lineno}, cột {decode.value.colno})" in message
    assert not english(message) and "cú pháp JSON sai" not in message  # ... and each has its own words


@pytest.mark.parametrize("raw", [b"\xff\xfe{}", b"[]", b"42", b'"hoithao/1"', b"{}", b'{"format": 1}',
                                 b'{"format": "hoithao/2"}'])
def test_files_of_the_wrong_kind_get_one_vietnamese_sentence(raw):
    with pytest.raises(ImportProblems) as excinfo:
        parse(raw)
    [message] = excinfo.value.problems
    assert not english(message), message


# Mistakes only the checks after the schema find (references, rules): through the real import.
CHECK_MUTATIONS = [
    put(("athletes", 2, "unit"), "XYZ"),
    put(("events", 0, "entries", 1, "athletes"), ["a99"]),
    put(("events", 0, "entries", 1, "athletes"), ["a3"]),
    put(("events", 0, "entries", 0, "athletes"), ["a1", "a7"]),
    put(("events", 0, "entries", 0, "unit"), "XYZ"),
    lambda d: d["events"][0]["entries"][1]["athletes"].append("a1"),
    lambda d: d["athletes"].append(dict(d["athletes"][0])),
    lambda d: d["units"].append(dict(d["units"][0])),
    lambda d: d["events"].append(dict(d["events"][0])),
    put(("festival", "end_date"), "2024-11-01"),
    put(("festival", "medal_ranking"), {"mode": "points", "points": []}),
    put(("festival", "medal_ranking"), {"mode": "points", "points": [7, -1]}),
    put(("festival", "overall_tiers"), [1, 1, 1, 1]),
    put(("events", 0, "format"), {"best_of": 4, "points": 0}),
    put(("events", 0, "ranking", "order"), "points_first"),
    put(("events", 0, "stages", 0, "draw"), ["e1"]),
    put(("events", 0, "stages", 0, "groups"), []),
    put(("events", 0, "stages", 0, "groups", 1, "entries"), ["e4", "e5", "e1", "e9"]),
    put(("events", 0, "stages", 0, "groups", 0, "lots"), ["e4"]),
    put(("events", 0, "stages", 1, "groups"), [{"name": "A", "entries": ["e1"]}]),
    put(("events", 0, "stages", 1, "draw"), ["e1", "e1", "e9", "e3"]),
    put(("events", 0, "stages", 1, "draw"), ["e1", "e5", "e4"]),
    put(MATCH0 + ("home",), "e9"),
    put(MATCH0 + ("sets",), [[11, 9], [11, 10], [11, 5]]),
    put(MATCH0 + ("sets",), [[11, 9], [11, 7], [11, 5], [11, 3]]),
    put(MATCH0 + ("outcome",), "walkover"),
    lambda d: d["events"][0]["stages"][0]["matches"].append(dict(d["events"][0]["stages"][0]["matches"][0])),
    lambda d: d["events"][0]["stages"][0]["matches"].append({"home": "e1", "away": "e4", "sets": [[11, 3]] * 3}),
    lambda d: d["events"][0]["stages"][1]["matches"].append({"home": "e5", "away": "e3", "sets": [[11, 3]] * 3}),
    put(("events", 0, "stages", 1, "matches", 0, "outcome"), "double_walkover"),
    lambda d: d["events"][2]["placings"].append({"place": 3, "entry": "m9"}),
    lambda d: d["events"][2]["placings"].append({"place": 1, "entry": "m1"}),
    put(("emulation", "scores", 0, "unit"), "XYZ"),
    put(("emulation", "scores", 0, "bloc"), 81),
    put(("emulation", "scores", 0, "criterion"), "ZZ"),
    put(("emulation", "adjustments", 0, "unit"), "XYZ"),
    put(("emulation", "votes"), ["XYZ"]),
    put(("emulation", "festival_link", "criterion"), "ZZ"),
    put(("emulation", "festival_link", "rank_bonus"), {"nhất": 3}),
]


def test_checked_problems_are_vietnamese_too(db):
    assert import_file(raw_of(small())).slug == "vidu-2024"  # then the same slug again: refused
    db.session.flush()
    messages = []
    for mutate in CHECK_MUTATIONS:
        data = small()
        mutate(data)
        with pytest.raises(ImportProblems) as excinfo:
            import_file(raw_of(data))
        assert len(excinfo.value.problems) >= 2, excinfo.value.problems  # the slug, and the mistake
        messages += excinfo.value.problems
    db.session.rollback()
    assert "festival.slug: đã có hội thao mã 'vidu-2024'; chọn thay thế (hoặc --replace) nếu muốn ghi đè" in messages
    for message in messages:
        assert LOCATION.match(message), message
        assert not english(message.split(": ", 1)[1]), message

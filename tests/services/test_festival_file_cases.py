"""Festival files exercising each result type and setting, checked through the API."""
import json

import pytest


def base(events, medal_ranking=None):
    units = [{"code": c, "name": n} for c, n in (("A", "Bệnh viện An"), ("B", "Bệnh viện Bình"),
                                                 ("C", "Trung tâm Cường"), ("D", "Chi cục Dung"))]
    return {"format": "hoithao/1",
            "festival": {"slug": "cases", "name": "Hội thao thử", "medal_ranking": medal_ranking or {"mode": "olympic"}},
            "units": units, "athletes": [], "events": events}


def entries(*pairs):
    return [{"ref": ref, "unit": unit} for ref, unit in pairs]


@pytest.fixture
def load(runner, tmp_path, db, client):
    def load(data):
        path = tmp_path / "f.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = runner.invoke(args=["festival", "import", str(path)])
        assert result.exit_code == 0, result.output
        return json.loads(runner.invoke(args=["festival", "export", "cases"]).output)

    return load


def api(client, path):
    response = client.get("/api/v1/festivals/cases" + path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def roundtrips(runner, tmp_path, exported):
    path = tmp_path / "again.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["festival", "import", "--replace", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(args=["festival", "export", "cases"]).output) == exported


def test_knockout_with_byes_and_a_third_place_playoff(load, client, runner, tmp_path):
    event = {"code": "KO", "sport": "table_tennis", "discipline": "men_singles", "third_place": "playoff",
             "entries": entries(("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"), ("e", "A"), ("f", "B")),
             "stages": [{"type": "knockout", "draw": ["a", None, "c", "d", "e", "f", None, "b"], "matches": [
                 {"home": "c", "away": "d", "sets": [[11, 5], [11, 5], [11, 5]]},
                 {"home": "e", "away": "f", "sets": [[5, 11], [5, 11], [5, 11]]},
                 {"home": "a", "away": "c", "sets": [[11, 5], [11, 5], [11, 5]]},
                 {"home": "f", "away": "b", "sets": [[11, 5], [11, 5], [11, 5]]},
                 {"home": "a", "away": "f", "sets": [[11, 5], [11, 5], [11, 5]]},
                 {"home": "c", "away": "b", "sets": [[11, 9], [9, 11], [11, 9], [11, 9]]}]}]}
    exported = load(base([event]))
    placings = [(p["place"], p["entry"]["ref"], p["medal"]) for p in api(client, "/events/KO/placings")]
    assert placings == [(1, "a", "gold"), (2, "f", "silver"), (3, "c", "bronze"), (4, "b", None),
                        (5, "d", None), (5, "e", None)]
    matches = api(client, "/events/KO/matches")
    assert [m["playoff"] for m in matches].count(True) == 1
    roundtrips(runner, tmp_path, exported)


def test_withdrawn_entry_under_bwf_has_its_results_deleted(load, client, runner, tmp_path):
    event = {"code": "RR", "sport": "badminton", "discipline": "women_singles",
             "entries": entries(("a", "A"), ("b", "B"), ("c", "C")) + [{"ref": "d", "unit": "D", "withdrawn": True}],
             "stages": [{"type": "round_robin", "groups": [{"name": "A", "entries": ["a", "b", "c", "d"]}],
                         "matches": [
                             {"home": "a", "away": "b", "sets": [[21, 10], [21, 10]]},
                             {"home": "b", "away": "c", "sets": [[21, 15], [21, 15]]},
                             {"home": "c", "away": "a", "sets": [[21, 18], [21, 18]]},
                             {"home": "d", "away": "a", "sets": [[21, 10], [21, 10]]},
                             {"home": "d", "away": "b", "outcome": "retired", "winner": "b", "sets": [[21, 19], [3, 1]]}]}]}
    exported = load(base([event]))
    rows = api(client, "/events/RR/standings")["groups"][0]["rows"]
    # a, b, c each won once and each won 2 games of 4: the point difference decides (BWF 16.2):
    # a 78-62 (+16), c 72-78 (-6), b 62-72 (-10).
    assert [r["entry"]["ref"] for r in rows] == ["a", "c", "b", "d"]
    assert rows[-1]["withdrawn"] is True and rows[-1]["played"] == 0
    assert {r["entry"]["ref"]: r["won"] for r in rows[:3]} == {"a": 1, "b": 1, "c": 1}
    # d's last match was never played, yet the group is complete and its places are final.
    assert api(client, "/events/RR/standings")["groups"][0]["complete"] is True
    placings = api(client, "/events/RR/placings")
    assert [(p["place"], p["entry"]["ref"], p["medal"]) for p in placings] == [
        (1, "a", "gold"), (2, "c", "silver"), (3, "b", "bronze")]  # the withdrawn d has no place
    roundtrips(runner, tmp_path, exported)


def test_double_walkover_and_retirement_in_table_tennis(load, client, runner, tmp_path):
    event = {"code": "TT", "sport": "table_tennis", "discipline": "women_singles",
             "entries": entries(("a", "A"), ("b", "B"), ("c", "C")),
             "stages": [{"type": "round_robin", "groups": [{"name": "A", "entries": ["a", "b", "c"]}],
                         "matches": [
                             {"home": "a", "away": "b", "outcome": "retired", "winner": "b",
                              "sets": [[11, 5], [7, 3]]},
                             {"home": "b", "away": "c", "outcome": "double_walkover"},
                             {"home": "c", "away": "a", "sets": [[11, 5], [11, 5], [11, 5]]}]}]}
    exported = load(base([event]))
    rows = {r["entry"]["ref"]: r for r in api(client, "/events/TT/standings")["groups"][0]["rows"]}
    # ITTF: a loss by retirement (an unfinished match) and a double walkover score 0 match points,
    # a played loss 1: a = 0 + 1, b = 2 + 0, c = 0 + 2.
    assert (rows["a"]["match_points"], rows["b"]["match_points"], rows["c"]["match_points"]) == (1, 2, 2)
    assert rows["a"]["points_won"] == 11 + 7 + 5 * 3
    roundtrips(runner, tmp_path, exported)


def test_volleyball_retirement_is_completed_for_the_opponent(load, client, runner, tmp_path):
    event = {"code": "BC", "sport": "volleyball", "discipline": "men_team",
             "entries": entries(("a", "A"), ("b", "B")),
             "stages": [{"type": "round_robin", "groups": [{"name": "A", "entries": ["a", "b"]}],
                         "matches": [{"home": "a", "away": "b", "outcome": "retired", "winner": "a",
                                      "sets": [[25, 20], [10, 8]]}]}]}
    exported = load(base([event]))
    match = api(client, "/events/BC/matches")[0]
    assert match["sets"] == [[25, 20], [25, 8]] and match["winner"] == "a"
    roundtrips(runner, tmp_path, exported)


def test_points_mode_medal_table(load, client):
    events = []
    for code, order in (("E1", "ABCD"), ("E2", "BACD"), ("E3", "CBAD")):
        events.append({"code": code, "sport": "badminton", "discipline": "men_singles",
                       "entries": entries(*[(u.lower(), u) for u in order]),
                       "stages": [], "placings": [{"place": 1, "entry": order[0].lower()},
                                                  {"place": 2, "entry": order[1].lower()},
                                                  {"place": 3, "entry": order[2].lower()},
                                                  {"place": 3, "entry": order[3].lower()}]})
    load(base(events, {"mode": "points", "points": [7, 5, 4]}))
    data = api(client, "/medals")
    assert data["mode"] == "points"
    got = [(r["rank"], r["unit"]["code"], r["points"]) for r in data["rows"]]
    # A: 7+5+4, B: 5+7+5, C: 4+4+7, D: 4+4+4 (shared 3rd places get the full points).
    assert got == [(1, "B", 17), (2, "A", 16), (3, "C", 15), (4, "D", 12)]


def test_short_badminton_formats_get_their_cap_and_roundtrip(load, client, runner, tmp_path):
    """RULES.md §1: an omitted cap is the sport's cap for the points — 15 → 21, 11 → 15."""
    def event(code, fmt, sets):
        return {"code": code, "sport": "badminton", "discipline": "men_singles", "format": fmt,
                "entries": entries(("a", "A"), ("b", "B")),
                "stages": [{"type": "round_robin", "groups": [{"name": "A", "entries": ["a", "b"]}],
                            "matches": [{"home": "a", "away": "b", "sets": sets}]}]}

    exported = load(base([
        event("CL15", {"points": 15}, [[15, 9], [21, 20]]),  # golden point at the default cap 21
        event("CL11", {"best_of": 5, "points": 11}, [[11, 3], [15, 14], [11, 5]]),
        event("CL15-25", {"points": 15, "cap": 25}, [[15, 9], [25, 24]]),  # a given cap wins
        event("CL21", {}, [[21, 9], [30, 29]]),
    ]))
    formats = {ev["code"]: ev["format"] for ev in exported["events"]}
    assert formats == {"CL15": {"best_of": 3, "points": 15, "cap": 21},
                       "CL11": {"best_of": 5, "points": 11, "cap": 15},
                       "CL15-25": {"best_of": 3, "points": 15, "cap": 25},
                       "CL21": {"best_of": 3, "points": 21, "cap": 30}}
    assert api(client, "/events/CL15/matches")[0]["sets"] == [[15, 9], [21, 20]]
    roundtrips(runner, tmp_path, exported)


def test_a_short_badminton_game_beyond_its_default_cap_is_refused(runner, tmp_path, db):
    event = {"code": "CL15", "sport": "badminton", "discipline": "men_singles", "format": {"points": 15},
             "entries": entries(("a", "A"), ("b", "B")),
             "stages": [{"type": "round_robin", "groups": [{"name": "A", "entries": ["a", "b"]}],
                         "matches": [{"home": "a", "away": "b", "sets": [[15, 9], [22, 20]]}]}]}
    path = tmp_path / "f.json"
    path.write_text(json.dumps(base([event]), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["festival", "import", str(path)])
    assert result.exit_code == 1
    assert ("events[0].stages[0].matches[0].sets[1]: 22-20 không hợp lệ — ván cầu lông kết thúc muộn nhất "
            "ở 21 điểm") in result.output

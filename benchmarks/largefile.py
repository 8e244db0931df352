"""A large, valid festival file for the import benchmark (and a smaller one for its test).

Default size: 100 units, 5,000 athletes, 60 events, about 3,300 matches — each event has
8 round-robin groups of 4 (every match played) and a knockout of the 8 group winners.
"""
from __future__ import annotations

import random

SPORTS = [("volleyball", "team"), ("table_tennis", "singles"), ("table_tennis", "doubles"),
          ("badminton", "singles"), ("badminton", "doubles"), ("badminton", "mixed")]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hà", "Hải", "Hạnh", "Lan", "Linh", "Minh", "Nga"]


def _winning_sets(sport: str, rng: random.Random, home_wins: bool) -> list[list[int]]:
    if sport == "volleyball":
        sets = [[25, rng.randint(10, 23)], [25, rng.randint(10, 23)]]
    elif sport == "table_tennis":
        sets = [[11, rng.randint(0, 9)] for _ in range(3)]
    else:
        sets = [[21, rng.randint(5, 19)], [21, rng.randint(5, 19)]]
    return sets if home_wins else [[b, a] for a, b in sets]


def build(n_units: int = 100, n_athletes: int = 5000, n_events: int = 60, groups: int = 8,
          group_size: int = 4, seed: int = 1) -> dict:
    rng = random.Random(seed)
    units = [{"code": f"U{i:03d}", "name": f"Đơn vị số {i}"} for i in range(n_units)]
    per_unit = n_athletes // n_units
    athletes, by_unit = [], {}
    for u in range(n_units):
        for k in range(per_unit):
            gender = "M" if k % 2 == 0 else "F"
            ref = f"a{u}-{k}"
            athletes.append({"ref": ref, "name": f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
                             "gender": gender, "unit": units[u]["code"]})
            by_unit.setdefault((u, gender), []).append(ref)
    events = []
    n_entries = groups * group_size
    for e in range(n_events):
        sport, kind = SPORTS[e % len(SPORTS)]
        gender = "M" if e % 2 == 0 else "F"
        word = "men" if gender == "M" else "women"
        discipline = {"team": f"{word}_team", "singles": f"{word}_singles", "doubles": f"{word}_doubles",
                      "mixed": "mixed_doubles"}[kind]
        entries = []
        for i in range(n_entries):
            u = (e * 7 + i) % n_units
            pool = by_unit[(u, gender)]
            slot = (e // len(SPORTS)) % (len(pool) // 2)  # different athletes across events
            if kind == "team":
                members = pool[:10]
            elif kind == "singles":
                members = [pool[slot]]
            elif kind == "doubles":
                members = [pool[2 * slot], pool[2 * slot + 1]]
            else:
                members = [by_unit[(u, "M")][slot], by_unit[(u, "F")][slot]]
            entries.append({"ref": f"e{i}", "unit": units[u]["code"], "athletes": members})
        group_list, rr = [], []
        for g in range(groups):
            refs = [f"e{g * group_size + j}" for j in range(group_size)]
            group_list.append({"name": chr(65 + g), "entries": refs})
            for x in range(group_size):
                for y in range(x + 1, group_size):
                    rr.append({"home": refs[x], "away": refs[y], "sets": _winning_sets(sport, rng, True)})
        draw = [f"e{g * group_size}" for g in range(groups)]
        ko, alive = [], draw
        while len(alive) > 1:
            nxt = []
            for i in range(0, len(alive), 2):
                home_wins = rng.random() < 0.5
                ko.append({"home": alive[i], "away": alive[i + 1],
                           "sets": _winning_sets(sport, rng, home_wins)})
                nxt.append(alive[i] if home_wins else alive[i + 1])
            alive = nxt
        events.append({"code": f"EV{e:02d}", "sport": sport, "discipline": discipline,
                       "name": f"Nội dung {e + 1}", "entries": entries,
                       "stages": [{"type": "round_robin", "groups": group_list, "matches": rr},
                                  {"type": "knockout", "draw": draw, "matches": ko}]})
    return {"format": "hoithao/1",
            "festival": {"slug": "large", "name": "Hội thao lớn", "start_date": "2024-01-01",
                         "end_date": "2024-01-03", "medal_ranking": {"mode": "olympic"}},
            "units": units, "athletes": athletes, "events": events}


def match_count(data: dict) -> int:
    return sum(len(s["matches"]) for e in data["events"] for s in e["stages"])

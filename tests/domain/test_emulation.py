"""The emulation bloc's score table (RULES.md §6)."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sports.domain.emulation import (
    Adjustment,
    Criterion,
    EmulationRow,
    FestivalLink,
    Score,
    check_scores,
    emulation_table,
    exact,
    festival_facts,
    proposals,
)
from sports.domain.medals import EventResult, Placing, medal_table
from sports.domain.types import RuleError

F = Fraction

# A 100-point table in three groups, as a bloc of health units scores its members.
CRITERIA = [
    Criterion("A1", "A", "Hoàn thành chỉ tiêu khám, chữa bệnh", 15),
    Criterion("A2", "A", "Chất lượng bệnh viện theo Bộ tiêu chí", 15),
    Criterion("A3", "A", "Chuyển đổi số, bệnh án điện tử", 10),
    Criterion("A4", "A", "Quản lý tài chính, tự chủ", 10),
    Criterion("A5", "A", "Sáng kiến, nghiên cứu khoa học", 10),
    Criterion("B1", "B", "Công tác Đảng, đoàn thể", 10),
    Criterion("B2", "B", "Cải cách hành chính", 8),
    Criterion("B3", "B", "Phòng, chống tham nhũng, lãng phí", 7),
    Criterion("C1", "C", "Tham gia hoạt động văn hóa, thể thao do Khối tổ chức", 5),
    Criterion("C2", "C", "Tham gia sinh hoạt Khối", 5),
    Criterion("C3", "C", "Báo cáo đúng hạn cho Khối", 5),
]
UNITS = {
    "BVDK": "Bệnh viện Đa khoa tỉnh Lâm Đồng",
    "PNT": "Bệnh viện Y học cổ truyền Phạm Ngọc Thạch",
    "BL": "Bệnh viện Y học cổ truyền Bảo Lộc",
    "TTYT": "Trung tâm Y tế huyện Đam Rông",
}
HALF = F(1, 2)
# (self, bloc) per criterion; C1 is fed by the festival.
SHEETS = {
    "BVDK": {"A1": (15, 14), "A2": (15, 15), "A3": (10, 9 + HALF), "A4": (10, 10), "A5": (9, 9),
             "B1": (10, 10), "B2": (8, 7 + HALF), "B3": (7, 7), "C2": (5, 5), "C3": (5, None)},
    "PNT": {"A1": (14, 14), "A2": (15, 14 + HALF), "A3": (10, 10), "A4": (9, 9), "A5": (10, 9 + HALF),
            "B1": (10, 10), "B2": (8, 8), "B3": (7, 6 + HALF), "C2": (5, 5), "C3": (None, 5)},
    "BL": {"A1": (None, 13), "A2": (None, 14), "A3": (9, 9), "A4": (9, 9), "A5": (9, 9),
           "B1": (10, 10), "B2": (8, 8), "B3": (7, 7), "C2": (5, 5), "C3": (5, 5)},
}
SCORES = [Score(u, c, s, b) for u, sheet in SHEETS.items() for c, (s, b) in sheet.items()]
LINK = FestivalLink(criterion="C1", participation_points=5, min_events=3,
                    rank_bonus={1: 3, 2: 2, 3: 1})
ADJUSTMENTS = [
    Adjustment("BVDK", "bonus", 2, "Sáng kiến được công nhận cấp tỉnh"),
    Adjustment("BVDK", "penalty", 1, "Nộp báo cáo 6 tháng trễ hạn"),
]
EVENTS_ENTERED = {"BVDK": 6, "PNT": 5, "BL": 2}
FESTIVAL_RANK = {"BVDK": 1, "PNT": 2, "BL": 3}


def full_table(**overrides) -> list[EmulationRow]:
    kwargs = dict(units=UNITS, criteria=CRITERIA, scores=SCORES, adjustments=ADJUSTMENTS,
                  bonus_cap=4, link=LINK, events_entered=EVENTS_ENTERED,
                  festival_rank=FESTIVAL_RANK)
    kwargs.update(overrides)
    return emulation_table(**kwargs)


def test_worked_example_100_point_table():
    rows = full_table()
    by_unit = {r.unit: r for r in rows}
    # BVĐK: criteria 14+15+9.5+10+9+10+7.5+7+5+5 = 92, plus C1 5 (6 events >= 3);
    # bonus 2 + 3 (festival 1st) = 5, capped at 4; penalty 1 → 92 + 5 + 4 − 1 = 100.
    bvdk = by_unit["BVDK"]
    assert (bvdk.total, bvdk.bonus, bvdk.penalty) == (100, 4, 1)
    assert bvdk.criteria["C1"] == 5 and bvdk.criteria["A3"] == F(19, 2)
    assert bvdk.criteria["C3"] == 5            # no bloc score: the self score counts
    assert (bvdk.self_total, bvdk.difference) == (99, -2)   # 94 assessed + 5 linked
    # PNT: 14+14.5+10+9+9.5+10+8+6.5+5+5 = 91.5, C1 5, bonus 2 → 98.5.
    pnt = by_unit["PNT"]
    assert (pnt.total, pnt.bonus, pnt.penalty) == (F(197, 2), 2, 0)
    assert pnt.difference == F(-3, 2)         # A2 −0.5, A5 −0.5, B3 −0.5; C3 has no self score
    # BL: 89, only 2 events → C1 0, bonus 1 (festival 3rd) → 90.
    bl = by_unit["BL"]
    assert (bl.total, bl.criteria["C1"], bl.bonus, bl.difference) == (90, 0, 1, 0)
    # TTYT: nothing scored, no festival.
    assert by_unit["TTYT"].total == 0 and set(by_unit["TTYT"].criteria.values()) == {0}
    assert [(r.rank, r.unit) for r in rows] == [(1, "BVDK"), (2, "PNT"), (3, "BL"), (4, "TTYT")]
    assert list(bvdk.criteria) == [c.code for c in CRITERIA]
    assert all(isinstance(r.total, Fraction) for r in rows)
    assert proposals(rows) == {"BVDK": "Cờ thi đua", "PNT": "Bằng khen"}


def test_totals_add_up():
    for row in full_table():
        assert row.total == sum(row.criteria.values()) + row.bonus - row.penalty


@pytest.mark.parametrize("cap, bonus, total", [(None, 5, 101), (4, 4, 100), (0, 0, 96), (10, 5, 101)])
def test_bonus_cap(cap, bonus, total):
    bvdk = next(r for r in full_table(bonus_cap=cap) if r.unit == "BVDK")
    assert (bvdk.bonus, bvdk.total) == (bonus, total)


def test_penalties_add_up_and_lower_the_rank():
    adjustments = ADJUSTMENTS + [Adjustment("BVDK", "penalty", F(3, 2), "Để xảy ra sai sót chuyên môn"),
                                 Adjustment("BVDK", "penalty", 1, "Vắng họp Khối")]
    rows = full_table(adjustments=adjustments)
    bvdk = next(r for r in rows if r.unit == "BVDK")
    assert (bvdk.penalty, bvdk.total) == (F(7, 2), F(195, 2))
    assert [r.unit for r in rows][:2] == ["PNT", "BVDK"]


def test_festival_changes_flow_into_the_table():
    # BL enters a third event and the festival ranks it 1st: +5 on C1 and +3 bonus.
    rows = full_table(events_entered={**EVENTS_ENTERED, "BL": 3},
                      festival_rank={"BL": 1, "BVDK": 2, "PNT": 3})
    by_unit = {r.unit: r for r in rows}
    assert (by_unit["BL"].criteria["C1"], by_unit["BL"].bonus, by_unit["BL"].total) == (5, 3, 97)
    assert by_unit["BVDK"].total == 92 + 5 + 4 - 1      # bonus 2 + 2 = 4, at the cap
    assert by_unit["PNT"].total == F(195, 2)            # 91.5 + 5 + 1 (festival 3rd)
    assert [r.unit for r in rows] == ["BVDK", "PNT", "BL", "TTYT"]


def test_linked_criterion_overrides_scores_and_is_capped_by_its_max():
    scores = [Score("A", "C1", 2, 1), Score("B", "C1", 5, 5)]
    link = FestivalLink("C1", participation_points=6, min_events=1, rank_bonus={})
    rows = emulation_table({"A": "A", "B": "B"}, CRITERIA, scores, link=link,
                           events_entered={"A": 1, "B": 0})
    assert {r.unit: r.criteria["C1"] for r in rows} == {"A": 5, "B": 0}
    # the linked criterion carries no self-vs-bloc difference
    assert all(r.difference == 0 for r in rows)


def test_rank_bonus_from_a_festival_file_with_string_keys():
    link = FestivalLink("C1", participation_points=5, min_events=0, rank_bonus={"1": 3, "2": 2})
    rows = emulation_table({"A": "A", "B": "B"}, CRITERIA, [], link=link,
                           festival_rank={"A": 2, "B": 1})
    assert [(r.unit, r.bonus, r.total) for r in rows] == [("B", 3, 8), ("A", 2, 7)]


def test_festival_rank_taken_from_the_medal_table():
    units = {"BVDK": UNITS["BVDK"], "PNT": UNITS["PNT"], "BL": UNITS["BL"]}
    events = [EventResult("E1", (Placing(1, "p"), Placing(2, "b")), {"p": "PNT", "b": "BVDK"}),
              EventResult("E2", (Placing(1, "p2"), Placing(2, "l")), {"p2": "PNT", "l": "BL"})]
    medal_ranks = {r.unit: r.rank for r in medal_table(units, events)}
    assert medal_ranks == {"PNT": 1, "BL": 2, "BVDK": 2}
    rows = emulation_table(units, CRITERIA, [], link=LINK, festival_rank=medal_ranks)
    # BL and BVDK share the 2nd rank, so both get the 2nd-rank bonus.
    assert {r.unit: r.bonus for r in rows} == {"PNT": 3, "BL": 2, "BVDK": 2}


# --------------------------------------------------------------------------- ties

TIE_UNITS = {"A": "Trung tâm Y tế Đạ Huoai", "B": "Trung tâm Y tế Di Linh",
             "C": "Trung tâm Y tế Đức Trọng", "D": "Trung tâm Y tế Lạc Dương"}
TIE_CRITERIA = [Criterion("K1", "K", "Nhiệm vụ", 100)]


def tie_table(bloc: dict[str, int], bonus: dict[str, int] | None = None,
              votes: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    scores = [Score(u, "K1", None, s) for u, s in bloc.items()]
    adjustments = [Adjustment(u, "bonus", b, "Khen thưởng đột xuất") for u, b in (bonus or {}).items()]
    rows = emulation_table(TIE_UNITS, TIE_CRITERIA, scores, adjustments, votes=votes)
    return [(r.rank, r.unit) for r in rows]


def test_equal_totals_higher_bonus_first():
    # A 90 + 2 = 92, B 92 + 0 = 92 → A first (more bonus).
    assert tie_table({"A": 90, "B": 92, "C": 50, "D": 40}, {"A": 2})[:2] == [(1, "A"), (2, "B")]


def test_equal_totals_and_bonus_vote_decides():
    bloc = {"A": 90, "B": 90, "C": 90, "D": 10}
    assert tie_table(bloc, votes=("C", "A", "B")) == [(1, "C"), (2, "A"), (3, "B"), (4, "D")]
    # units in the vote come before those not in it
    assert tie_table(bloc, votes=("B",)) == [(1, "B"), (2, "A"), (2, "C"), (4, "D")]


def test_still_equal_share_the_rank_alphabetically():
    # Di Linh < Đạ Huoai < Đức Trọng (d before đ; then a before ư).
    assert tie_table({"A": 80, "B": 80, "C": 80, "D": 90}) == [(1, "D"), (2, "B"), (2, "A"), (2, "C")]


def test_a_vote_does_not_beat_a_higher_total():
    assert tie_table({"A": 80, "B": 81}, votes=("A", "B"))[:2] == [(1, "B"), (2, "A")]


def test_exact_fractions_decide_close_totals():
    # 9.5 + 0.25 vs 9.75 exactly equal: a float sum could split them.
    rows = emulation_table({"A": "A", "B": "B"}, [Criterion("X", "G", "x", 10), Criterion("Y", "G", "y", 1)],
                           [Score("A", "X", None, F(19, 2)), Score("A", "Y", None, F(1, 4)),
                            Score("B", "X", None, 9.75), Score("B", "Y", None, 0)])
    assert [(r.rank, r.total) for r in rows] == [(1, F(39, 4)), (1, F(39, 4))]


def test_floats_are_read_exactly():
    assert exact(9.5) == F(19, 2) and exact(0.1) == F(1, 10) and exact(3) == 3


# --------------------------------------------------------------------------- proposals


@pytest.mark.parametrize("ranks, expected", [
    ([1, 2, 3], {"U0": "Cờ thi đua", "U1": "Bằng khen"}),
    ([1, 1, 3], {"U0": "Cờ thi đua", "U1": "Cờ thi đua"}),
    ([1, 2, 2], {"U0": "Cờ thi đua", "U1": "Bằng khen", "U2": "Bằng khen"}),
    ([], {}),
])
def test_proposals(ranks, expected):
    rows = [EmulationRow(rank=r, unit=f"U{i}", total=F(0), criteria={}, bonus=F(0), penalty=F(0),
                         self_total=F(0), difference=F(0)) for i, r in enumerate(ranks)]
    assert proposals(rows) == expected


def test_proposals_with_one_title():
    assert proposals(full_table(), titles=("Bằng khen của UBND tỉnh",)) == {"BVDK": "Bằng khen của UBND tỉnh"}


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("scores, fragment", [
    ([Score("BVDK", "A1", 16, None)], "phải từ 0 đến 15"),
    ([Score("BVDK", "A1", None, -1)], "phải từ 0 đến 15"),
    ([Score("BVDK", "A3", None, F(21, 2))], "khối chấm 10,5 phải từ 0 đến 10"),
    ([Score("BVDK", "Z9", 1, 1)], "Z9 không có trong bảng điểm"),
    ([Score("BVDK", "A1", 10, 10), Score("BVDK", "A1", 11, 11)], "chấm hai lần"),
])
def test_check_scores_refuses(scores, fragment):
    with pytest.raises(RuleError) as err:
        check_scores(CRITERIA, scores)
    assert any(fragment in m for m in err.value.messages), err.value.messages


def test_check_scores_accepts_the_bounds():
    check_scores(CRITERIA, [Score("BVDK", "A1", 0, 15), Score("PNT", "A1", 15, 0), Score("BL", "A1", None, None)])


def test_check_scores_refuses_a_duplicate_criterion():
    with pytest.raises(RuleError):
        check_scores(CRITERIA + [Criterion("A1", "A", "again", 5)], [])


@pytest.mark.parametrize("overrides, fragment", [
    ({"scores": [Score("XX", "A1", 1, 1)]}, "XX không có"),
    ({"adjustments": [Adjustment("BVDK", "reward", 1, "?")]}, "“reward” không có"),
    ({"adjustments": [Adjustment("BVDK", "bonus", -1, "?")]}, "hãy ghi số dương"),
    ({"adjustments": [Adjustment("XX", "penalty", 1, "?")]}, "XX không có"),
    ({"bonus_cap": -1}, "trần điểm cộng"),
    ({"link": FestivalLink("Z9", 5, 3, {})}, "Z9 không có"),
    ({"link": FestivalLink("C1", -5, 3, {})}, "không được âm"),
    ({"link": FestivalLink("C1", 5, 3, {1: -3})}, "không được âm"),
    ({"votes": ("BVDK", "BVDK")}, "nhiều lần"),
    ({"votes": ("XX",)}, "XX không có"),
    ({"scores": [Score("BVDK", "A1", 99, 1)]}, "phải từ 0 đến 15"),
])
def test_emulation_table_refuses(overrides, fragment):
    with pytest.raises(RuleError) as err:
        full_table(**overrides)
    assert any(fragment in m for m in err.value.messages), err.value.messages


# --------------------------------------------------------------------------- properties

PROP_UNITS = {"A": "Đơn vị Ánh", "B": "Đơn vị An", "C": "Đơn vị Âu", "D": "Đơn vị Bình"}
PROP_CRITERIA = [Criterion("X", "G", "x", 10), Criterion("Y", "G", "y", F(15, 2)), Criterion("Z", "H", "z", 5)]
halves = st.integers(0, 20).map(lambda n: F(n, 2))


@st.composite
def tables(draw):
    scores = []
    for unit in PROP_UNITS:
        for c in PROP_CRITERIA:
            if draw(st.booleans()):
                pick = st.one_of(st.none(), halves.filter(lambda v, m=c.max: v <= m))
                scores.append(Score(unit, c.code, draw(pick), draw(pick)))
    adjustments = draw(st.lists(st.builds(Adjustment, st.sampled_from(list(PROP_UNITS)),
                                          st.sampled_from(["bonus", "penalty"]), halves, st.just("lý do")),
                                max_size=6))
    cap = draw(st.one_of(st.none(), halves))
    order = draw(st.permutations(list(PROP_UNITS)))
    votes = tuple(order[: draw(st.integers(0, len(order)))])
    return scores, adjustments, cap, votes


@settings(max_examples=150, deadline=None)
@given(table=tables())
def test_rows_are_consistent_and_ordered(table):
    scores, adjustments, cap, votes = table
    rows = emulation_table(PROP_UNITS, PROP_CRITERIA, scores, adjustments, cap, votes=votes)
    assert sorted(r.unit for r in rows) == sorted(PROP_UNITS)
    for row in rows:
        assert row.total == sum(row.criteria.values()) + row.bonus - row.penalty
        assert row.difference == sum(row.criteria.values()) - row.self_total
        if cap is not None:
            assert row.bonus <= cap
    for a, b in zip(rows, rows[1:]):
        assert (a.total, a.bonus) >= (b.total, b.bonus)
        assert a.rank <= b.rank


@settings(max_examples=100, deadline=None)
@given(table=tables(), seed=st.integers(0, 10**6))
def test_table_invariant_under_input_order(table, seed):
    scores, adjustments, cap, votes = table
    shuffled_scores, shuffled_adj = list(scores), list(adjustments)
    rng = random.Random(seed)
    rng.shuffle(shuffled_scores)
    rng.shuffle(shuffled_adj)
    assert (emulation_table(PROP_UNITS, PROP_CRITERIA, shuffled_scores, shuffled_adj, cap, votes=votes)
            == emulation_table(PROP_UNITS, PROP_CRITERIA, scores, adjustments, cap, votes=votes))


@settings(max_examples=100, deadline=None)
@given(table=tables())
def test_a_full_vote_leaves_no_shared_rank(table):
    scores, adjustments, cap, _ = table
    rows = emulation_table(PROP_UNITS, PROP_CRITERIA, scores, adjustments, cap, votes=tuple(PROP_UNITS))
    assert [r.rank for r in rows] == [1, 2, 3, 4]


PROP_LINK = FestivalLink(criterion="Z", participation_points=4, min_events=2, rank_bonus={1: 3, 2: 1})
counts = st.dictionaries(st.sampled_from(list(PROP_UNITS)), st.integers(0, 5))
ranks = st.dictionaries(st.sampled_from(list(PROP_UNITS)), st.integers(1, 5))


@settings(max_examples=150, deadline=None)
@given(table=tables(), entered=counts, rank=ranks, other_entered=counts, other_rank=ranks)
def test_the_same_festival_facts_give_the_same_table(table, entered, rank, other_entered, other_rank):
    """``festival_facts`` is a cache key: whatever else differs in the festival (how many events
    beyond the minimum, a rank with no bonus), equal facts give an equal table."""
    scores, adjustments, cap, votes = table

    def rows(e, r):
        return emulation_table(PROP_UNITS, PROP_CRITERIA, scores, adjustments, cap, PROP_LINK, e, r, votes)

    if festival_facts(PROP_LINK, entered, rank) == festival_facts(PROP_LINK, other_entered, other_rank):
        assert rows(entered, rank) == rows(other_entered, other_rank)
    # The same facts reached by changing only what they leave out: counts on the same side
    # of the minimum, ranks outside the bonus.
    moved = {u: (n + 3 if n >= PROP_LINK.min_events else 0) for u, n in entered.items()}
    unbonused = {u: r for u, r in rank.items() if r in PROP_LINK.rank_bonus} | {
        u: 9 for u, r in rank.items() if r not in PROP_LINK.rank_bonus}
    assert festival_facts(PROP_LINK, moved, unbonused) == festival_facts(PROP_LINK, entered, rank)
    assert rows(moved, unbonused) == rows(entered, rank)


def test_festival_facts_tell_apart_what_the_table_reads():
    base = festival_facts(LINK, EVENTS_ENTERED, FESTIVAL_RANK)
    assert festival_facts(LINK, {**EVENTS_ENTERED, "BL": 3}, FESTIVAL_RANK) != base  # BL now takes part
    assert festival_facts(LINK, EVENTS_ENTERED, {**FESTIVAL_RANK, "TTYT": 3}) != base  # a bonus rank
    assert festival_facts(LINK, EVENTS_ENTERED, {**FESTIVAL_RANK, "TTYT": 7}) == base  # no bonus at 7
    assert festival_facts(None, EVENTS_ENTERED, FESTIVAL_RANK) == ()

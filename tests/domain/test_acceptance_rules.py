"""Acceptance cases: the federations' rules as written (RULES.md §1–§2).

Every case is table-driven and says which rule it checks. The tables are our
own data, built to exercise the rule text, and realistic festival groups
(Vietnamese workplace festivals: units, 3–5 entries a group). Sources:

- FIVB Official Volleyball Rules 2021-2024, 6.1 (set to 25, two clear, no cap;
  deciding set to 15) and 6.4 (default: 0-3, 0-25 per set; incomplete team
  keeps its points and sets, the opponent gets what it needs to win).
- FIVB pool ranking criteria as published for FIVB competitions
  (volleyballworld.com "Pool Ranking Criteria"): matches won; match points
  3-0/3-1 → 3/0, 3-2 → 2/1, forfeit 0 (25-0 per set); set quotient; point
  quotient; two teams still tied → their match ("if the two teams did not play
  against each other, the tie will remain"); three or more → a new
  classification using only the matches among them.
- ITTF Laws 2.11 (game to 11, two clear after 10-all) and Handbook 3.7.5.1–4:
  2 points for a win, 1 for a loss in a played match, 0 for an unplayed or
  unfinished match; equal entries compared only on the matches between them
  (match points, games, points); as soon as some are separated, their matches
  are excluded and the rest restart; lots last.
- BWF Laws of Badminton, Law 7 (21 points, two clear from 20-all, the 30th point
  wins at 29-all) and General Competition Regulations 16.2 (matches won; two
  equal → their match; three or more → game difference, then point difference
  in all group matches, two left → their match; lots; a player who cannot
  complete the group has all results deleted).
"""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sports.domain.scoring import format_for, record_result, set_problem, set_totals
from sports.domain.standings import rank_group
from sports.domain.types import MatchFormat, MatchResult, Outcome, RuleError, Sport

VB, TT, BD = Sport.VOLLEYBALL, Sport.TABLE_TENNIS, Sport.BADMINTON
NORMAL, WO, RET, DQ, DWO = (Outcome.NORMAL, Outcome.WALKOVER, Outcome.RETIRED,
                            Outcome.DISQUALIFIED, Outcome.DOUBLE_WALKOVER)

VB_FEST = format_for(VB)  # best of 3, third set to 15
VB_FIVB = format_for(VB, best_of=5)  # best of 5, fifth set to 15
TT_FMT = format_for(TT)  # best of 5 to 11
BD_FMT = format_for(BD)  # best of 3 to 21, cap 30


def m(home: str, away: str, *sets: tuple[int, int], outcome: Outcome = NORMAL,
      winner: str | None = None) -> MatchResult:
    """A result as the ranking sees it; the winner is read from the sets."""
    if winner is None and outcome is not DWO:
        home_sets = sum(1 for h, a in sets if h > a)
        winner = home if home_sets * 2 > len(sets) else away
    return MatchResult(home, away, tuple(sets), outcome, winner)


def rec(sport: Sport, fmt: MatchFormat, home: str, away: str, *sets: tuple[int, int],
        outcome: Outcome = NORMAL, winner: str | None = None) -> MatchResult:
    """A result recorded through the scoring rules (validated and normalised)."""
    return record_result(sport, fmt, home, away, list(sets), outcome, winner)


def order(rows) -> list[str]:
    return [r.entry for r in rows]


def tied(rows) -> set[str]:
    return {r.entry for r in rows if r.tied}


def is_vietnamese_sentence(text: str) -> bool:
    """NFC, and written in Vietnamese (at least one letter outside ASCII)."""
    return unicodedata.normalize("NFC", text) == text and any(ord(c) > 127 for c in text)


# =========================================================================
# §1 Set scores: the parametric rule, case by case from the Laws
# =========================================================================

SET_CASES = [
    # sport, target, cap, score, valid, rule
    # BWF Law 7: to 21; at 20-all two clear; at 29-all the 30th point wins.
    (BD, 21, 30, (21, 19), True, "BWF 7.3 — 21 with a two-point lead"),
    (BD, 21, 30, (21, 0), True, "BWF 7.3"),
    (BD, 21, 30, (22, 20), True, "BWF 7.4 — two clear after 20-all"),
    (BD, 21, 30, (24, 26), True, "BWF 7.4"),
    (BD, 21, 30, (29, 27), True, "BWF 7.4"),
    (BD, 21, 30, (30, 28), True, "BWF 7.4 — 28-all, 29-28, 30-28"),
    (BD, 21, 30, (30, 29), True, "BWF 7.5 — golden point at 29-all"),
    (BD, 21, 30, (29, 30), True, "BWF 7.5"),
    (BD, 21, 30, (21, 20), False, "BWF 7.4 — one point is not enough after 20-all"),
    (BD, 21, 30, (29, 29), False, "BWF 7.5 — 29-all is still open"),
    (BD, 21, 30, (30, 27), False, "a set over at 29-27 cannot reach 30-27"),
    (BD, 21, 30, (31, 29), False, "BWF 7.5 — nobody scores 31"),
    (BD, 21, 30, (23, 20), False, "over at 22-20"),
    (BD, 21, 30, (20, 18), False, "not yet 21"),
    # Short badminton formats (RULES.md §1 setting): 15 capped at 21, 11 at 15.
    (BD, 15, 21, (15, 13), True, "short format"),
    (BD, 15, 21, (21, 20), True, "short format golden point"),
    (BD, 15, 21, (21, 19), True, "short format, two clear at 21"),
    (BD, 15, 21, (22, 20), False, "short format cap is 21"),
    (BD, 11, 15, (15, 14), True, "short format golden point"),
    (BD, 11, 15, (11, 10), False, "short format, two clear"),
    # ITTF Law 2.11: to 11, two clear after 10-all, no cap.
    (TT, 11, None, (11, 9), True, "ITTF 2.11"),
    (TT, 11, None, (13, 11), True, "ITTF 2.11 — two clear after 10-all"),
    (TT, 11, None, (11, 0), True, "ITTF 2.11"),
    (TT, 11, None, (25, 23), True, "ITTF 2.11 — no cap"),
    (TT, 11, None, (11, 10), False, "ITTF 2.11 — one point is not enough"),
    (TT, 11, None, (12, 9), False, "over at 11-9"),
    (TT, 11, None, (10, 8), False, "not yet 11"),
    (TT, 11, None, (12, 12), False, "level"),
    # FIVB 6.1.2: sets to 25, two clear, no cap; deciding set to 15, no cap.
    (VB, 25, None, (25, 23), True, "FIVB 6.1.2"),
    (VB, 25, None, (26, 24), True, "FIVB 6.1.2"),
    (VB, 25, None, (38, 36), True, "FIVB 6.1.2 — no cap"),
    (VB, 25, None, (25, 24), False, "FIVB 6.1.2 — two clear"),
    (VB, 25, None, (27, 24), False, "over at 26-24"),
    (VB, 25, None, (24, 22), False, "not yet 25"),
    (VB, 15, None, (15, 13), True, "FIVB 6.1.2 — deciding set to 15"),
    (VB, 15, None, (21, 19), True, "deciding set has no cap"),
    (VB, 15, None, (15, 14), False, "deciding set, two clear"),
    (VB, 15, None, (16, 13), False, "over at 15-13"),
]


def rule_as_written(score: tuple[int, int], target: int, cap: int | None) -> bool:
    """RULES.md §1, clause by clause."""
    a, b = score
    if a == b or min(a, b) < 0:
        return False
    w, lo = max(a, b), min(a, b)
    return ((w == target and lo <= target - 2)
            or (w > target and w - lo == 2 and (cap is None or w <= cap))
            or (cap is not None and w == cap and lo == cap - 1))


@pytest.mark.parametrize("sport, target, cap, score, valid, rule", SET_CASES,
                         ids=[f"{c[0].value}-{c[1]}-{c[3][0]}-{c[3][1]}" for c in SET_CASES])
def test_set_scores_follow_the_laws(sport, target, cap, score, valid, rule):
    assert rule_as_written(score, target, cap) is valid, rule  # the table itself is right
    problem = set_problem(score, target, cap, sport)
    assert (problem is None) is valid, f"{rule}: {problem}"
    if problem is not None:
        assert problem.startswith(f"{score[0]}-{score[1]} ")
        assert is_vietnamese_sentence(problem)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([(21, 30), (15, 21), (11, 15), (11, None), (25, None), (15, None)]),
       st.integers(0, 40), st.integers(0, 40), st.sampled_from(list(Sport)))
def test_set_rule_is_exactly_the_rule_as_written(target_cap, a, b, sport):
    target, cap = target_cap
    assert (set_problem((a, b), target, cap, sport) is None) == rule_as_written((a, b), target, cap)


def test_golden_point_message_says_the_next_point_wins():
    # BWF Law 7.5: at 29-all the side scoring the 30th point wins; "win by two" is wrong here.
    problem = set_problem((29, 29), 21, 30, BD)
    assert problem == "29-29 chưa kết thúc — hòa 29-29 thì bên nào ghi điểm thứ 30 trước sẽ thắng ván"
    assert "cách 2" not in problem


# =========================================================================
# §1 Matches and result types
# =========================================================================

MATCH_CASES = [
    # sport, fmt, sets, outcome, winner, expected sets, expected winner, rule
    (VB, VB_FEST, [(25, 20), (23, 25), (21, 19)], NORMAL, None,
     ((25, 20), (23, 25), (21, 19)), "h", "deciding set to 15 with no cap: 21-19"),
    (VB, VB_FIVB, [(25, 23), (23, 25), (25, 20), (20, 25), (15, 13)], NORMAL, None,
     ((25, 23), (23, 25), (25, 20), (20, 25), (15, 13)), "h", "FIVB 6.3.1 best of five"),
    (VB, VB_FIVB, [(30, 32), (25, 17), (22, 25), (25, 19), (17, 19)], NORMAL, None,
     ((30, 32), (25, 17), (22, 25), (25, 19), (17, 19)), "a", "fifth set 17-19"),
    (TT, TT_FMT, [(11, 9), (13, 11), (9, 11), (11, 7)], NORMAL, None,
     ((11, 9), (13, 11), (9, 11), (11, 7)), "h", "ITTF 2.12 best of five"),
    (TT, format_for(TT, best_of=7), [(11, 9), (5, 11), (11, 9), (5, 11), (11, 9), (5, 11), (12, 14)],
     NORMAL, None, ((11, 9), (5, 11), (11, 9), (5, 11), (11, 9), (5, 11), (12, 14)), "a",
     "best of seven decided 12-14 in the seventh"),
    (BD, BD_FMT, [(21, 19), (29, 30), (30, 29)], NORMAL, None,
     ((21, 19), (29, 30), (30, 29)), "h", "BWF 7.5 golden points"),
    # FIVB 6.4.1: a team in default forfeits 0-3 (festival: 0-2), 0-25 per set.
    (VB, VB_FIVB, [], WO, "a", ((0, 25), (0, 25), (0, 25)), "a", "FIVB 6.4.1"),
    (VB, VB_FEST, [], WO, "h", ((25, 0), (25, 0)), "h", "FIVB 6.4.1 festival best of 3"),
    (VB, VB_FEST, [], DQ, "a", ((0, 25), (0, 25)), "a", "a disqualified team forfeits"),
    # FIVB 6.4.3: the incomplete team keeps its points and sets.
    (VB, VB_FEST, [(25, 22), (17, 20)], RET, "a", ((25, 22), (17, 25), (0, 15)), "a",
     "FIVB 6.4.3 — opponent given the points and the sets it needs"),
    (VB, VB_FIVB, [(25, 22), (22, 25), (25, 23), (23, 25), (13, 14)], RET, "a",
     ((25, 22), (22, 25), (25, 23), (23, 25), (13, 15)), "a", "FIVB 6.4.3 in the fifth set"),
    (VB, VB_FEST, [(20, 25), (24, 24)], RET, "h", ((20, 25), (26, 24), (15, 0)), "h",
     "FIVB 6.4.3 from 24-all: two clear"),
    # Table tennis / badminton: a retirement keeps the partial score.
    (TT, TT_FMT, [(11, 8), (6, 11), (9, 4)], RET, "a", ((11, 8), (6, 11), (9, 4)), "a",
     "retired at 9-4 in the third game"),
    (BD, BD_FMT, [(21, 17), (29, 29)], RET, "a", ((21, 17), (29, 29)), "a",
     "retired at 29-all: the open game is kept as it stands"),
    (BD, BD_FMT, [], WO, "h", (), "h", "badminton walkover: no score"),
    (TT, TT_FMT, [], DWO, None, (), None, "both absent"),
    (VB, VB_FEST, [], DWO, None, (), None, "both absent"),
]


@pytest.mark.parametrize("sport, fmt, sets, outcome, winner, expected, expected_winner, rule",
                         MATCH_CASES, ids=[c[-1] for c in MATCH_CASES])
def test_matches_and_result_types(sport, fmt, sets, outcome, winner, expected,
                                  expected_winner, rule):
    result = record_result(sport, fmt, "h", "a", sets, outcome, winner)
    assert result.sets == expected, rule
    assert result.winner == expected_winner
    assert result.outcome is outcome


REFUSALS = [
    # sport, fmt, sets, outcome, winner, fragments every message list must contain, rule
    (VB, VB_FEST, [(25, 20), (21, 19)], NORMAL, None,
     ["Séc 2: 21-19", "25 điểm"], "only the deciding set is to 15"),
    (VB, VB_FEST, [(25, 20), (25, 23), (15, 10)], NORMAL, None,
     ["Séc 3:", "đã kết thúc sau séc 2"], "a set after a best of 3 was won"),
    (VB, VB_FEST, [(28, 25), (25, 20)], NORMAL, None,
     ["Séc 1: 28-25", "cách đúng 2 điểm"], "FIVB 6.1.2"),
    (TT, TT_FMT, [(11, 9), (13, 11), (11, 10)], NORMAL, None,
     ["Ván 3: 11-10", "cách 2 điểm"], "ITTF 2.11"),
    (BD, BD_FMT, [(21, 20), (21, 15)], NORMAL, None,
     ["Ván 1: 21-20", "cách 2 điểm"], "BWF 7.4"),
    (BD, BD_FMT, [(21, 15), (29, 29)], NORMAL, None,
     ["Ván 2: 29-29", "điểm thứ 30"], "BWF 7.5"),
    (BD, BD_FMT, [(21, 15), (31, 29)], NORMAL, None,
     ["Ván 2: 31-29", "30 điểm"], "BWF 7.5"),
    (TT, TT_FMT, [(11, 9), (11, 9)], NORMAL, None,
     ["chưa đủ ván", "3 ván"], "best of 5 needs three games"),
    (TT, TT_FMT, [(11, 9)], WO, "h", ["bỏ cuộc", "để trống"], "walkover has no score"),
    (VB, VB_FEST, [(25, 0)], WO, "h", ["FIVB 6.4", "25-0, 25-0"], "forfeit score is fixed"),
    (TT, TT_FMT, [(11, 3), (11, 4), (11, 5)], RET, "a",
     ["đã kết thúc 3-0", "kết quả bình thường"], "a finished match is not a retirement"),
    (BD, BD_FMT, [], RET, "a", ["bỏ dở", "bỏ cuộc"], "a retirement needs the score so far"),
    (BD, BD_FMT, [], WO, None, ["cần chọn bên thắng"], "a walkover needs its winner"),
    (TT, TT_FMT, [], DWO, "h", ["không có bên thắng"], "both absent: no winner"),
]


@pytest.mark.parametrize("sport, fmt, sets, outcome, winner, fragments, rule", REFUSALS,
                         ids=[c[-1] for c in REFUSALS])
def test_refusals_say_why_in_vietnamese(sport, fmt, sets, outcome, winner, fragments, rule):
    with pytest.raises(RuleError) as err:
        record_result(sport, fmt, "h", "a", sets, outcome, winner)
    messages = err.value.messages
    text = " | ".join(messages)
    for fragment in fragments:
        assert fragment in text, f"{rule}: {text}"
    assert all(is_vietnamese_sentence(msg) for msg in messages)


# =========================================================================
# §2 FIVB pool ranking
# =========================================================================

def _fivb_wins_vs_points():
    # Best of 5 (official): X wins two 3-2 matches (2+2) and loses 0-3: 2 wins, 4 points.
    # Y wins 3-0 (3), loses 2-3 twice (1+1): 1 win, 5 points.  Q 3 wins: 3+2+3 = 8.
    # P: lost 2-3 (1) and 0-3 twice: 1 point.
    w, lo, w5 = (25, 20), (20, 25), (15, 12)
    return [
        m("X", "Y", w, lo, w, lo, w5),
        m("X", "P", lo, w, w, lo, w5),
        m("Q", "X", w, w, w),
        m("Y", "P", w, w, w),
        m("Q", "Y", w, lo, lo, w, w5),
        m("Q", "P", w, w, w),
    ]


def _fivb_three_way(top_separated: bool):
    """Festival best of 3. A>B, B>C, C>A, each 2-1; all three beat D 2-0.

    Every team: 2 wins, 2+1+3 = 6 points, sets 5-3. The scores make the point
    quotients over all pool matches equal too, so criteria 1-4 cannot separate
    them; among the three, one team's point quotient differs and the other two
    stay equal: their match decides (B beat C)."""
    if not top_separated:
        # Among them: A 100/120, B 120/110, C 120/110 -> A third, then B>C.
        # All matches: A 100+50 / 120+0 = 5/4; B, C 120+50 / 110+26 = 5/4.
        return [
            m("A", "B", (25, 23), (12, 25), (15, 10)),
            m("B", "C", (25, 22), (22, 25), (15, 11)),
            m("C", "A", (25, 20), (22, 25), (15, 3)),
            m("A", "D", (25, 0), (25, 0)),
            m("B", "D", (25, 13), (25, 13)),
            m("C", "D", (25, 13), (25, 13)),
        ]
    # Among them: A 130/110, B 110/120, C 110/120 -> A first, then B>C.
    # All matches: A 130+50 / 110+25 = 4/3; B, C 110+50 / 120+0 = 4/3.
    return [
        m("A", "B", (25, 10), (30, 32), (15, 8)),
        m("B", "C", (25, 20), (20, 25), (15, 5)),
        m("C", "A", (25, 22), (20, 25), (15, 13)),
        m("A", "D", (25, 13), (25, 12)),
        m("B", "D", (25, 0), (25, 0)),
        m("C", "D", (25, 0), (25, 0)),
    ]


def _fivb_forfeit_pool(forfeit: MatchResult):
    # Best of 5. D forfeits against A (FIVB: 0-3, 0-25 per set, 0 points).
    # A: forfeit win (3), beat C 3-1 (3), lost to B 1-3 (0): 2 wins, 6 pts, sets 7-4.
    # B: beat A 3-1 (3), beat D 3-1 (3), lost to C 1-3 (0): 2 wins, 6 pts, sets 7-5.
    # C: beat B 3-1 (3), lost to A 1-3 (0), lost to D 2-3 (1): 1 win, 4 pts.
    # D: forfeit (0), lost to B 1-3 (0), beat C 3-2 (2): 1 win, 2 pts.
    # A is first on set quotient only because the forfeit counts 3-0 for A;
    # without it A would have 4-4 and fall behind B although both have 6 points.
    w, lo = (25, 20), (20, 25)
    return [
        forfeit,
        m("A", "C", w, w, lo, w),
        m("B", "A", w, lo, w, w),
        m("B", "D", w, w, lo, w),
        m("C", "B", w, lo, w, w),
        m("D", "C", w, lo, lo, w, (15, 10)),
    ]


FIVB_CASES = [
    # id, entries, results, options, format, expected order, tied entries
    ("wins-first-official", list("PQXY"), _fivb_wins_vs_points(), {}, VB_FIVB,
     ["Q", "X", "Y", "P"], set()),
    ("points-first-setting", list("PQXY"), _fivb_wins_vs_points(), {"order": "points_first"},
     VB_FIVB, ["Q", "Y", "X", "P"], set()),
    ("three-way-bottom-separated-then-their-match", list("ABCD"), _fivb_three_way(False), {},
     VB_FEST, ["B", "C", "A", "D"], set()),
    ("three-way-top-separated-then-their-match", list("ABCD"), _fivb_three_way(True), {},
     VB_FEST, ["A", "B", "C", "D"], set()),
    ("forfeit-counted-0-3-and-0-25", list("ABCD"),
     _fivb_forfeit_pool(m("A", "D", outcome=WO, winner="A")), {}, VB_FIVB,
     ["A", "B", "C", "D"], set()),
    ("forfeit-recorded-by-scoring", list("ABCD"),
     _fivb_forfeit_pool(rec(VB, VB_FIVB, "A", "D", outcome=WO, winner="A")), {}, VB_FIVB,
     ["A", "B", "C", "D"], set()),
    ("disqualification-is-a-forfeit", list("ABCD"),
     _fivb_forfeit_pool(m("A", "D", outcome=DQ, winner="A")), {}, VB_FIVB,
     ["A", "B", "C", "D"], set()),
    # Two teams equal on 1-4 that have not met yet: "the tie will remain".
    ("two-equal-not-met-stay-tied", list("ABCD"),
     [m(x, y, (25, 20), (25, 20)) for x in "AB" for y in "CD"] + [m("C", "D", (25, 20), (25, 20))],
     {}, VB_FEST, ["A", "B", "C", "D"], {"A", "B"}),
]


@pytest.mark.parametrize("case", FIVB_CASES, ids=[c[0] for c in FIVB_CASES])
def test_fivb_pool_ranking(case):
    _, entries, results, options, fmt, expected, expected_tied = case
    rows = rank_group(entries, results, "fivb", options, match_format=fmt)
    assert order(rows) == expected
    assert tied(rows) == expected_tied


def test_fivb_three_way_table_is_really_equal_on_criteria_one_to_four():
    for top in (False, True):
        rows = rank_group(list("ABCD"), _fivb_three_way(top), "fivb", match_format=VB_FEST)
        first3 = rows[:3]
        assert {(r.won, r.match_points, r.sets_won, r.sets_lost) for r in first3} == {(2, 6, 5, 3)}
        num, den = (4, 3) if top else (5, 4)  # the common point quotient
        assert all(r.points_won * den == r.points_lost * num for r in first3)


@pytest.mark.parametrize("options, points", [
    ({}, {"Q": 8, "X": 4, "Y": 5, "P": 1}),  # 3-2 → 2/1 in best of 5 whatever the preset
    ({"match_points": "2-1-0"}, {"Q": 8, "X": 4, "Y": 5, "P": 1}),
])
def test_fivb_match_points_three_two_one_zero(options, points):
    rows = rank_group(list("PQXY"), _fivb_wins_vs_points(), "fivb", options, match_format=VB_FIVB)
    assert {r.entry: r.match_points for r in rows} == points


def test_fivb_forfeit_tallies_are_the_same_however_the_forfeit_arrives():
    variants = [m("A", "D", outcome=WO, winner="A"),
                rec(VB, VB_FIVB, "A", "D", outcome=WO, winner="A"),
                m("A", "D", outcome=DQ, winner="A"),
                rec(VB, VB_FIVB, "A", "D", outcome=DQ, winner="A")]
    tables = [rank_group(list("ABCD"), _fivb_forfeit_pool(v), "fivb", match_format=VB_FIVB)
              for v in variants]
    assert all(t == tables[0] for t in tables)
    a = tables[0][0]
    assert (a.entry, a.match_points, a.sets_won, a.sets_lost) == ("A", 6, 7, 4)
    d = tables[0][-1]
    assert (d.entry, d.match_points) == ("D", 2)
    assert d.points_lost == 75 + 95 + 100  # 0-75 from the forfeit, 95 to B, 100 to C
    assert [r.match_points for r in tables[0]] == [6, 6, 4, 2]


def test_fivb_incomplete_team_keeps_its_points_and_sets_in_the_pool():
    # FIVB 6.4.3 through the scoring rules: A led 1-0 and 20-17 when it became
    # incomplete; B is given 25-20 and the deciding set 15-0: B wins 2-1, so the
    # match points are 2 and 1 (3-2-1-0), and A keeps its set.
    result = rec(VB, VB_FEST, "A", "B", (25, 22), (20, 17), outcome=RET, winner="B")
    assert result.sets == ((25, 22), (20, 25), (0, 15))
    rows = rank_group(["A", "B"], [result], "fivb", match_format=VB_FEST)
    assert [(r.entry, r.match_points, r.sets_won, r.sets_lost, r.points_won, r.points_lost)
            for r in rows] == [("B", 2, 2, 1, 62, 45), ("A", 1, 1, 2, 45, 62)]


# =========================================================================
# §2 ITTF group ranking (Handbook 3.7.5)
# =========================================================================

G3 = ((11, 7), (11, 7), (11, 7))  # a 3-0 win
CYCLE = ((11, 7), (11, 7), (7, 11), (11, 7))  # a 3-1 win, 40-32


def _ittf_walkover_loser_group():
    # Cường beat An by walkover: An gets 0 for it (3.7.5.1), not 1.
    # An 2+0+2 = 4, Bình 1+2+2 = 5, Cường 1+2+2 = 5, Dũng 1+1+1 = 3.
    # Bình and Cường: their match (Bình 3-1).  Were the walkover a played loss,
    # An would have 5 too and the three would need their mini-table.
    return [
        m("An", "Bình", *G3),
        m("Bình", "Cường", *CYCLE),
        m("Cường", "An", outcome=WO, winner="Cường"),
        m("An", "Dũng", *G3),
        m("Bình", "Dũng", *G3),
        m("Cường", "Dũng", *G3),
    ]


def _ittf_one_beats_both_group():
    # Group of five. Long: 7 points. Hải, Hùng, Khoa: 6 each; Minh 5.
    #   Hải beat Hùng 3-2 and Khoa 3-0, lost to Long and Minh: 2+2+1+1
    #   Hùng lost to Hải and Khoa 2-3, beat Long and Minh:       1+1+2+2
    #   Khoa lost to Hải, beat Hùng 3-2, lost to Long, beat Minh: 1+2+1+2
    # Among the three (3.7.5.2) match points come first: Hải 4, Khoa 3, Hùng 2,
    # although Hùng has the better game ratio among them (4-6 against 3-5).
    five = ((11, 9), (9, 11), (11, 9), (9, 11), (11, 9))
    return [
        m("Hải", "Hùng", *five),
        m("Hải", "Khoa", *G3),
        m("Khoa", "Hùng", *five),
        m("Long", "Hải", *G3),
        m("Minh", "Hải", *G3),
        m("Hùng", "Long", *G3),
        m("Hùng", "Minh", *G3),
        m("Long", "Khoa", *G3),
        m("Khoa", "Minh", *G3),
        m("Long", "Minh", *G3),
    ]


def _ittf_four_way_group():
    # Group of five; E gave A a walkover (0 points for E, 3.7.5.1), so A, B, C, D
    # all end on 6 points and E on 5:
    #   A: B 2, C 1, D 1, E 2 (w/o)    B: A 1, C 2, D 1, E 2
    #   C: A 2, B 1, D 2, E 1          D: A 2, B 2, C 1, E 1
    # Among the four, match points split C, D (5) from A, B (4). 3.7.5.3: each
    # pair restarts on its own match: C beat D, A beat B. Games among the four
    # would say the opposite (D 8-3 before C 6-7, B 5-6 before A 5-8).
    five = ((11, 9), (9, 11), (11, 9), (9, 11), (11, 9))
    return [
        m("C", "D", *five),
        m("C", "A", *five),
        m("B", "C", *G3),
        m("D", "A", *G3),
        m("D", "B", *G3),
        m("A", "B", *five),
        m("A", "E", outcome=WO, winner="A"),
        m("B", "E", *G3),
        m("E", "C", *G3),
        m("E", "D", *G3),
    ]


def _ittf_all_matches_group():
    # An identical 3-1 cycle A>B>C>A: nothing among them separates them.
    # Against D: A by walkover, B and C 3-0 (11-5 x3).
    # Points: A 2+1+2, B and C 2+1+2 = 5; D 0+1+1 = 2.
    return [
        m("A", "B", *CYCLE), m("B", "C", *CYCLE), m("C", "A", *CYCLE),
        m("A", "D", outcome=WO, winner="A"),
        m("B", "D", (11, 5), (11, 5), (11, 5)),
        m("C", "D", (11, 5), (11, 5), (11, 5)),
    ]


ITTF_CASES = [
    # id, entries, results, options, expected order, tied entries
    ("walkover-loser-gets-0", ["An", "Bình", "Cường", "Dũng"], _ittf_walkover_loser_group(), {},
     ["Bình", "Cường", "An", "Dũng"], set()),
    ("match-points-among-them-before-games", ["Hải", "Hùng", "Khoa", "Long", "Minh"],
     _ittf_one_beats_both_group(), {}, ["Long", "Hải", "Khoa", "Hùng", "Minh"], set()),
    ("four-way-split-then-each-pair-restarts", list("ABCDE"), _ittf_four_way_group(), {},
     ["C", "D", "A", "B", "E"], set()),
    # 3.7.5.4: the cycle cannot be separated: lots.
    ("unresolved-goes-to-lots", list("ABCD"), _ittf_all_matches_group(), {},
     ["A", "B", "C", "D"], {"A", "B", "C"}),
    # NTTB variant, walkovers not in ratios: all games A 4-4, B and C 7-4;
    # B and C still equal (105/87 points) -> head-to-head restarts: B beat C.
    ("all-matches-walkover-not-counted", list("ABCD"), _ittf_all_matches_group(),
     {"unresolved": "all_matches"}, ["B", "C", "A", "D"], set()),
    # Walkovers counted as 3-0 (11-0 per game): games 7-4 for all three; points
    # A 105/72 beat B, C 105/87; B and C restart: B.
    ("all-matches-walkover-counted", list("ABCD"), _ittf_all_matches_group(),
     {"unresolved": "all_matches", "walkover_in_ratios": True}, ["A", "B", "C", "D"], set()),
]


@pytest.mark.parametrize("case", ITTF_CASES, ids=[c[0] for c in ITTF_CASES])
def test_ittf_group_ranking(case):
    _, entries, results, options, expected, expected_tied = case
    rows = rank_group(entries, results, "ittf", options, match_format=TT_FMT)
    assert order(rows) == expected
    assert tied(rows) == expected_tied


def test_ittf_match_points_two_one_zero():
    rows = rank_group(["An", "Bình", "Cường", "Dũng"], _ittf_walkover_loser_group(), "ittf",
                      match_format=TT_FMT)
    assert {r.entry: r.match_points for r in rows} == {"An": 4, "Bình": 5, "Cường": 5, "Dũng": 3}


@pytest.mark.parametrize("walkover_in_ratios, a_games, a_points", [
    (False, (4, 4), (72, 72)),  # the walkover adds nothing to A's ratios
    (True, (7, 4), (105, 72)),  # it adds 3-0 and 33-0
])
def test_ittf_walkover_in_ratios_setting_shows_in_the_row(walkover_in_ratios, a_games, a_points):
    rows = rank_group(list("ABCD"), _ittf_all_matches_group(), "ittf",
                      {"walkover_in_ratios": walkover_in_ratios}, match_format=TT_FMT)
    a = next(r for r in rows if r.entry == "A")
    assert (a.sets_won, a.sets_lost) == a_games
    assert (a.points_won, a.points_lost) == a_points
    assert (a.won, a.lost, a.match_points) == (2, 1, 5)


@pytest.mark.parametrize("outcome, sets, loser_points", [
    (NORMAL, [(11, 4), (11, 4), (11, 4)], 1),  # a loss in a played match
    (RET, [(11, 4), (6, 2)], 0),  # unfinished: 0
    (DQ, [(11, 4)], 0),  # unfinished: 0
    (WO, [], 0),  # unplayed: 0
])
def test_ittf_played_unfinished_and_unplayed_losses(outcome, sets, loser_points):
    result = rec(TT, TT_FMT, "Lan", "Mai", *sets, outcome=outcome,
                 winner=None if outcome is NORMAL else "Lan")
    rows = rank_group(["Lan", "Mai"], [result], "ittf", match_format=TT_FMT)
    assert [(r.entry, r.match_points) for r in rows] == [("Lan", 2), ("Mai", loser_points)]


def test_ittf_retired_match_keeps_its_partial_score_in_the_ratios():
    # Mai retired at 2-6 in the second game after losing the first 4-11:
    # games 1-0 for Lan (the open game counts for nobody), points 17-6.
    result = rec(TT, TT_FMT, "Lan", "Mai", (11, 4), (6, 2), outcome=RET, winner="Lan")
    assert set_totals(result, TT_FMT) == (1, 0, 17, 6)
    rows = rank_group(["Lan", "Mai"], [result], "ittf", match_format=TT_FMT)
    assert [(r.sets_won, r.sets_lost, r.points_won, r.points_lost) for r in rows] == \
        [(1, 0, 17, 6), (0, 1, 6, 17)]


@pytest.mark.parametrize("preset", ["fivb", "ittf", "bwf"])
def test_double_walkover_gives_nothing_to_either_side(preset):
    fmt = {"fivb": VB_FEST, "ittf": TT_FMT, "bwf": BD_FMT}[preset]
    sport = {"fivb": VB, "ittf": TT, "bwf": BD}[preset]
    both_absent = rec(sport, fmt, "A", "B", outcome=DWO)
    rows = rank_group(["A", "B"], [both_absent], preset, match_format=fmt)
    assert [(r.played, r.won, r.lost, r.match_points, r.sets_won, r.points_won)
            for r in rows] == [(1, 0, 1, 0, 0, 0)] * 2
    assert tied(rows) == {"A", "B"}  # their match separates nothing: lots


# =========================================================================
# §2 BWF group ranking (GCR 16.2)
# =========================================================================

def _bwf_five_way():
    """Five pairs, each with 2 wins: A>B, A>C, B>C, B>D, C>D, C>E, D>E, D>A, E>A, E>B.

    Game difference: A +2, B 0, C 0, D 0, E -2 -> A first, E last.
    B, C, D equal on games -> point difference in all group matches:
      B: -12 (A) -2 (E) +4 (C) +2 (D) = -8
      C: -12 (A) +16 (E) -4 (B) +4 (D) = +4
      D: +6 (A) +4 (E) -2 (B) -4 (C) = +4
    C and D are left equal -> their match: C.  (B beat both C and D, but with
    three equal their matches are not used.)"""
    s19 = (21, 19)
    return [
        m("A", "B", (21, 15), (21, 15)),
        m("A", "C", (21, 15), (21, 15)),
        m("D", "A", (21, 15), (15, 21), (21, 15)),
        m("E", "A", (21, 15), (15, 21), (21, 15)),
        m("E", "B", s19, (19, 21), s19),
        m("B", "C", s19, s19),
        m("B", "D", s19, (19, 21), s19),
        m("C", "D", s19, s19),
        m("C", "E", (21, 13), (21, 13)),
        m("D", "E", s19, s19),
    ]


def _bwf_two_equal():
    # Quang and Sơn on 2 wins, Tâm and Uyên on 1: each pair by its own match
    # (16.2.2), whatever the differences say.
    #   games: Quang +1 +1 -2 = 0, Sơn -1 +2 +2 = +3 -> yet Quang (beat Sơn) first
    #          Tâm -1 -2 +1 = -2, Uyên +2 -2 -1 = -1 -> yet Tâm (beat Uyên) third
    return [
        m("Quang", "Sơn", (21, 19), (19, 21), (21, 19)),
        m("Quang", "Tâm", (21, 10), (10, 21), (21, 10)),
        m("Uyên", "Quang", (21, 15), (21, 15)),
        m("Sơn", "Tâm", (21, 5), (21, 5)),
        m("Sơn", "Uyên", (21, 5), (21, 5)),
        m("Tâm", "Uyên", (21, 18), (18, 21), (21, 18)),
    ]


def _bwf_withdrawn():
    # Vũ beat Quang, then withdrew injured (GCR 16.2.5): his results are deleted.
    # Left: Quang 2-0 Sơn, Sơn 2-0 Tâm, Tâm 2-1 Quang -> a cycle, 1 win each;
    # games: Quang 2-0, 1-2 -> +1; Sơn 0-2, 2-0 -> 0; Tâm 0-2, 2-1 -> -1.
    # Kept, Sơn (2 wins) would lead; Quang, Tâm, Vũ (1 win) -> games Vũ 0,
    # Quang -1, Tâm -1 -> Vũ, then Tâm (beat Quang).
    return [
        m("Quang", "Sơn", (21, 12), (21, 12)),
        m("Sơn", "Tâm", (21, 12), (21, 12)),
        m("Tâm", "Quang", (21, 12), (12, 21), (21, 12)),
        m("Vũ", "Quang", (21, 18), (21, 18)),
        m("Sơn", "Vũ", (21, 18), (21, 18)),
    ]


BWF_CASES = [
    # id, entries, results, withdrawn, expected order, tied entries
    ("five-way-games-then-points-then-their-match", list("ABCDE"), _bwf_five_way(), (),
     ["A", "C", "D", "B", "E"], set()),
    ("two-equal-their-match", ["Quang", "Sơn", "Tâm", "Uyên"], _bwf_two_equal(), (),
     ["Quang", "Sơn", "Tâm", "Uyên"], set()),
    ("withdrawn-results-deleted", ["Quang", "Sơn", "Tâm", "Vũ"], _bwf_withdrawn(), ("Vũ",),
     ["Quang", "Sơn", "Tâm", "Vũ"], set()),
    ("withdrawn-kept-would-differ", ["Quang", "Sơn", "Tâm", "Vũ"], _bwf_withdrawn(), (),
     ["Sơn", "Vũ", "Tâm", "Quang"], set()),
]


@pytest.mark.parametrize("case", BWF_CASES, ids=[c[0] for c in BWF_CASES])
def test_bwf_group_ranking(case):
    _, entries, results, withdrawn, expected, expected_tied = case
    rows = rank_group(entries, results, "bwf", withdrawn=withdrawn, match_format=BD_FMT)
    assert order(rows) == expected
    assert tied(rows) == expected_tied


def test_bwf_five_way_totals():
    rows = {r.entry: r for r in rank_group(list("ABCDE"), _bwf_five_way(), "bwf",
                                           match_format=BD_FMT)}
    assert {e: r.won for e, r in rows.items()} == dict.fromkeys("ABCDE", 2)
    assert {e: r.sets_won - r.sets_lost for e, r in rows.items()} == \
        {"A": 2, "B": 0, "C": 0, "D": 0, "E": -2}
    assert {e: r.points_won - r.points_lost for e, r in rows.items()} == \
        {"A": 12, "B": -8, "C": 4, "D": 4, "E": -12}


def test_bwf_withdrawn_player_is_listed_last_with_nothing():
    rows = rank_group(["Quang", "Sơn", "Tâm", "Vũ"], _bwf_withdrawn(), "bwf", withdrawn=["Vũ"],
                      match_format=BD_FMT)
    vu = rows[-1]
    assert (vu.entry, vu.withdrawn, vu.played, vu.won, vu.sets_won, vu.points_won) == \
        ("Vũ", True, 0, 0, 0, 0)
    assert [r.played for r in rows[:3]] == [2, 2, 2]


def test_bwf_golden_point_game_and_retirement_at_29_all():
    # Game 2 went to 30-29 (a finished game for its winner); in a second match
    # the player retired at 29-all in the third: the open game counts its
    # points but no game.
    golden = rec(BD, BD_FMT, "Quang", "Sơn", (21, 15), (29, 30), (30, 29))
    retired = rec(BD, BD_FMT, "Sơn", "Tâm", (21, 19), (19, 21), (29, 29), outcome=RET,
                  winner="Tâm")
    rows = {r.entry: r for r in rank_group(["Quang", "Sơn", "Tâm"], [golden, retired], "bwf",
                                           match_format=BD_FMT)}
    assert (rows["Quang"].sets_won, rows["Quang"].sets_lost) == (2, 1)
    assert (rows["Sơn"].sets_won, rows["Sơn"].sets_lost) == (1 + 1, 2 + 1)
    assert (rows["Sơn"].points_won, rows["Sơn"].points_lost) == (74 + 69, 80 + 69)
    assert (rows["Tâm"].won, rows["Tâm"].sets_won, rows["Tâm"].sets_lost) == (1, 1, 1)


# =========================================================================
# Messages of the ranking module
# =========================================================================

@pytest.mark.parametrize("call, fragment", [
    (lambda: rank_group(["A", "B"], [MatchResult("A", "B", (), DWO, "A")]),
     "hãy bỏ trống bên thắng"),
    (lambda: rank_group(["A", "B"], [MatchResult("A", "B", ((11, 1),) * 3, NORMAL, None)]),
     "bên thắng phải là «A» hoặc «B» (chưa chọn)"),
    (lambda: rank_group(["A", "B", "C"], [MatchResult("A", "B", ((11, 1),) * 3, NORMAL, "C")]),
     "bên thắng phải là «A» hoặc «B» (đang ghi «C»)"),
    (lambda: rank_group(["A", "B"], [], "ittf", {"preset": "bwf"}),
     "ghi cách xếp hạng «bwf», khác với «ittf»"),
])
def test_ranking_refusals_tell_the_organiser_what_to_fix(call, fragment):
    with pytest.raises(RuleError) as err:
        call()
    text = " ".join(err.value.messages)
    assert fragment in text
    assert all(is_vietnamese_sentence(msg) for msg in err.value.messages)


# =========================================================================
# Property: a forfeit counts the same however it is recorded
# =========================================================================

@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list("ABCD")), st.sampled_from(list("ABCD")),
                          st.sampled_from([WO, DQ, NORMAL]), st.booleans()),
                min_size=1, max_size=6),
       st.sampled_from([VB_FEST, VB_FIVB]))
def test_fivb_bare_and_normalised_forfeits_rank_the_same(specs, fmt):
    normalised, bare, seen = [], [], set()
    for home, away, outcome, home_wins in specs:
        if home == away or frozenset((home, away)) in seen:
            continue
        seen.add(frozenset((home, away)))
        winner = home if home_wins else away
        if outcome is NORMAL:
            side = (25, 20) if home_wins else (20, 25)
            sets = [side] * fmt.sets_to_win
            result = rec(VB, fmt, home, away, *sets)
            normalised.append(result)
            bare.append(result)
        else:
            normalised.append(rec(VB, fmt, home, away, outcome=outcome, winner=winner))
            bare.append(MatchResult(home, away, (), outcome, winner))
    assert rank_group(list("ABCD"), bare, "fivb", match_format=fmt) == \
        rank_group(list("ABCD"), normalised, "fivb", match_format=fmt)

"""Set scores, match formats and result normalisation (RULES.md §1)."""
from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sports.domain.scoring import (
    DEFAULT_FORMATS,
    SPORTS,
    format_for,
    record_result,
    set_problem,
    set_totals,
)
from sports.domain.types import MatchFormat, MatchResult, Outcome, RuleError, Sport

VB, TT, BD = Sport.VOLLEYBALL, Sport.TABLE_TENNIS, Sport.BADMINTON
FIVB = MatchFormat(best_of=5, points=25, deciding_points=15)


def messages(excinfo: pytest.ExceptionInfo[RuleError]) -> list[str]:
    return excinfo.value.messages


# --- single sets ---------------------------------------------------------

VALID_SETS = [
    # badminton, BWF Law 7: 21 points, two clear at 20-all, 30th point wins at 29-all
    (BD, 21, 30, (21, 0)), (BD, 21, 30, (21, 19)), (BD, 21, 30, (22, 20)),
    (BD, 21, 30, (19, 21)), (BD, 21, 30, (29, 27)), (BD, 21, 30, (30, 29)),
    (BD, 21, 30, (29, 30)),
    # 28-all, 29-28, 30-28: the two-point lead comes before the cap
    (BD, 21, 30, (30, 28)),
    # badminton short formats
    (BD, 15, 21, (15, 13)), (BD, 15, 21, (21, 20)), (BD, 11, 15, (15, 14)),
    # volleyball: 25 (deciding 15), two clear, no cap
    (VB, 25, None, (25, 23)), (VB, 25, None, (26, 24)), (VB, 25, None, (25, 0)),
    (VB, 25, None, (31, 33)), (VB, 15, None, (15, 13)), (VB, 15, None, (16, 14)),
    # table tennis, ITTF 2.11: 11 points, two clear after 10-all
    (TT, 11, None, (11, 9)), (TT, 11, None, (12, 10)), (TT, 11, None, (15, 13)),
    (TT, 11, None, (0, 11)),
]

INVALID_SETS = [
    (BD, 21, 30, (21, 20)), (BD, 21, 30, (20, 18)), (BD, 21, 30, (30, 27)),
    (BD, 21, 30, (31, 29)), (BD, 21, 30, (31, 30)), (BD, 21, 30, (30, 30)),
    (BD, 21, 30, (22, 19)), (BD, 21, 30, (0, 0)), (BD, 15, 21, (22, 20)),
    (VB, 25, None, (25, 24)), (VB, 25, None, (28, 25)), (VB, 25, None, (24, 22)),
    (VB, 25, None, (15, 13)), (VB, 15, None, (15, 14)), (VB, 25, None, (27, 24)),
    (TT, 11, None, (11, 10)), (TT, 11, None, (10, 8)), (TT, 11, None, (13, 10)),
    (TT, 11, None, (12, 12)), (TT, 11, None, (-1, 11)), (TT, 11, None, (11.0, 9)),
    (TT, 11, None, (True, False)), (TT, 11, None, ("11", 9)),
]


@pytest.mark.parametrize(("sport", "target", "cap", "score"), VALID_SETS)
def test_valid_sets(sport, target, cap, score) -> None:
    assert set_problem(score, target, cap, sport) is None


@pytest.mark.parametrize(("sport", "target", "cap", "score"), INVALID_SETS)
def test_invalid_sets(sport, target, cap, score) -> None:
    problem = set_problem(score, target, cap, sport)
    assert problem is not None
    assert " — " in problem
    assert problem.startswith(f"{score[0]}-{score[1]} ")


@pytest.mark.parametrize(
    ("sport", "target", "cap", "score", "expected"),
    [
        (BD, 21, 30, (21, 20),
         "21-20 chưa kết thúc — cầu lông phải thắng cách 2 điểm, tối đa 30"),
        (VB, 25, None, (28, 25),
         "28-25 không hợp lệ — khi vượt 25 điểm, bóng chuyền phải thắng cách đúng 2 điểm"),
        (VB, 25, None, (25, 24),
         "25-24 chưa kết thúc — bóng chuyền phải thắng cách 2 điểm"),
        (BD, 21, 30, (31, 29),
         "31-29 không hợp lệ — ván cầu lông kết thúc muộn nhất ở 30 điểm"),
        (TT, 11, None, (8, 6),
         "8-6 chưa kết thúc — bóng bàn cần 11 điểm để thắng ván"),
        (VB, 25, None, (15, 13),
         "15-13 chưa kết thúc — bóng chuyền cần 25 điểm để thắng séc"),
        (TT, 11, None, (10, 10),
         "10-10 chưa kết thúc — tỉ số hòa, bóng bàn phải thắng cách 2 điểm"),
        (BD, 21, 30, (30, 30),
         "30-30 không hợp lệ — cầu lông phải thắng cách 2 điểm, tối đa 30"),
        (TT, 11, None, (-1, 11), "-1-11 không hợp lệ — điểm không được âm"),
        (TT, 11, None, (11.5, 9), "11.5-9 không hợp lệ — điểm phải là số nguyên"),
        (TT, 11, None, (11, 9, 2),
         "“(11, 9, 2)” không hợp lệ — mỗi ván cần đúng 2 số điểm (bên 1 - bên 2)"),
        (VB, 25, None, 25,
         "“25” không hợp lệ — mỗi séc cần đúng 2 số điểm (bên 1 - bên 2)"),
    ],
)
def test_set_messages(sport, target, cap, score, expected) -> None:
    assert set_problem(score, target, cap, sport) == expected


def test_set_problem_accepts_sport_names() -> None:
    assert set_problem((21, 20), 21, 30, "badminton") == set_problem(
        (21, 20), 21, 30, BD
    )
    with pytest.raises(RuleError):
        set_problem((21, 0), 21, None, "chess")


# Independent reference: play the set rally by rally and collect the scores
# at which it stops (two clear after reaching the target, or the cap reached).


@lru_cache(maxsize=None)
def rally_states(target: int, cap: int | None, limit: int) -> tuple[frozenset, frozenset]:
    """(final scores, scores where play goes on) with both scores <= limit."""
    finals, open_ = set(), set()
    todo, seen = [(0, 0)], {(0, 0)}
    while todo:
        a, b = todo.pop()
        over = (max(a, b) >= target and abs(a - b) >= 2) or (
            cap is not None and max(a, b) >= cap
        )
        if over:
            finals.add((a, b))
            continue
        open_.add((a, b))
        for nxt in ((a + 1, b), (a, b + 1)):
            if max(nxt) <= limit and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(finals), frozenset(open_)


targets_and_caps = st.integers(1, 30).flatmap(
    lambda t: st.tuples(st.just(t), st.one_of(st.none(), st.integers(t + 1, t + 10)))
)
LIMIT = 45


@settings(max_examples=400, deadline=None)
@given(targets_and_caps, st.integers(0, LIMIT - 1), st.integers(0, LIMIT - 1),
       st.sampled_from(list(Sport)))
def test_set_problem_agrees_with_rally_simulation(tc, a, b, sport) -> None:
    target, cap = tc
    finals, _ = rally_states(target, cap, LIMIT)
    assert (set_problem((a, b), target, cap, sport) is None) == ((a, b) in finals)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([TT, BD]), st.integers(0, 34), st.integers(0, 34))
def test_retired_open_set_is_a_reachable_unfinished_score(sport, a, b) -> None:
    fmt = DEFAULT_FORMATS[sport]
    finals, open_ = rally_states(fmt.points, fmt.cap, 40)
    assume((a, b) not in finals)
    # First set won by home, the second stopped at (a, b).
    sets = [(fmt.points, 0), (a, b)]
    try:
        record_result(sport, fmt, "h", "a", sets, "retired", winner="a")
        accepted = True
    except RuleError:
        accepted = False
    assert accepted == ((a, b) in open_)


# --- formats -------------------------------------------------------------

def test_default_formats() -> None:
    assert DEFAULT_FORMATS == {
        VB: MatchFormat(best_of=3, points=25, deciding_points=15, cap=None),
        TT: MatchFormat(best_of=5, points=11, deciding_points=None, cap=None),
        BD: MatchFormat(best_of=3, points=21, deciding_points=None, cap=30),
    }
    assert set(SPORTS) == set(Sport)


@pytest.mark.parametrize(
    ("sport", "kwargs", "expected"),
    [
        (BD, {}, MatchFormat(3, 21, None, 30)),
        (BD, {"points": 21}, MatchFormat(3, 21, None, 30)),
        # Short formats get their RULES.md §1 cap when none is given.
        (BD, {"points": 15}, MatchFormat(3, 15, None, 21)),
        (BD, {"points": 11}, MatchFormat(3, 11, None, 15)),
        (BD, {"points": 11, "best_of": 5}, MatchFormat(5, 11, None, 15)),
        (BD, {"points": 15, "cap": 21}, MatchFormat(3, 15, None, 21)),
        (BD, {"points": 11, "cap": 15, "best_of": 5}, MatchFormat(5, 11, None, 15)),
        # An explicit cap still wins, and a target outside the table has none.
        (BD, {"points": 15, "cap": 25}, MatchFormat(3, 15, None, 25)),
        (BD, {"points": 11, "cap": 30}, MatchFormat(3, 11, None, 30)),
        (BD, {"points": 21, "cap": 25}, MatchFormat(3, 21, None, 25)),
        (BD, {"points": 7}, MatchFormat(3, 7, None, None)),
        (BD, {"points": 31}, MatchFormat(3, 31, None, None)),
        (BD, {"points": 15, "deciding_points": 11}, MatchFormat(3, 15, 11, 21)),
        # The other sports have no caps, whatever the target.
        (VB, {"points": 15}, MatchFormat(3, 15, None, None)),
        (VB, {"points": 11}, MatchFormat(3, 11, None, None)),
        (TT, {"points": 15}, MatchFormat(5, 15, None, None)),
        (TT, {"points": 21}, MatchFormat(5, 21, None, None)),
        (TT, {"points": 11, "cap": 15}, MatchFormat(5, 11, None, 15)),
        (VB, {"best_of": 5}, FIVB),
        (VB, {"points": 21}, MatchFormat(3, 21, None, None)),
        (VB, {"deciding_points": 25}, MatchFormat(3, 25, 25, None)),
        (TT, {"best_of": 7}, MatchFormat(7, 11, None, None)),
        (TT, {"best_of": 3}, MatchFormat(3, 11, None, None)),
        ("table_tennis", {}, MatchFormat(5, 11, None, None)),
    ],
)
def test_format_for(sport, kwargs, expected) -> None:
    assert format_for(sport, **kwargs) == expected


@pytest.mark.parametrize(
    ("sport", "kwargs", "expected"),
    [
        (TT, {"best_of": 4}, ["số ván tối đa phải là số lẻ (1, 3, 5, 7…), không phải 4"]),
        (TT, {"best_of": 0}, ["số ván tối đa phải là số lẻ (1, 3, 5, 7…), không phải 0"]),
        (VB, {"best_of": -3}, ["số séc tối đa phải là số lẻ (1, 3, 5, 7…), không phải -3"]),
        (TT, {"points": 0}, ["số điểm mỗi ván phải từ 1 trở lên, không phải 0"]),
        (BD, {"cap": 21}, ["điểm tối đa phải lớn hơn số điểm mỗi ván (21), không phải 21"]),
        (BD, {"points": 15, "cap": 15}, ["điểm tối đa phải lớn hơn số điểm mỗi ván (15), không phải 15"]),
        # The default cap of a short format is checked like a given one.
        (BD, {"points": 15, "deciding_points": 21},
         ["điểm tối đa phải lớn hơn số điểm ván quyết định (21), không phải 21"]),
        (VB, {"deciding_points": 0},
         ["số điểm séc quyết định phải từ 1 trở lên, không phải 0"]),
        (TT, {"best_of": 2, "points": 0}, [
            "số ván tối đa phải là số lẻ (1, 3, 5, 7…), không phải 2",
            "số điểm mỗi ván phải từ 1 trở lên, không phải 0",
        ]),
        (TT, {"points": 10.5}, ["số điểm mỗi ván phải là số nguyên, không phải “10.5”"]),
    ],
)
def test_format_for_refusals(sport, kwargs, expected) -> None:
    with pytest.raises(RuleError) as excinfo:
        format_for(sport, **kwargs)
    assert messages(excinfo) == expected


def test_unknown_sport() -> None:
    with pytest.raises(RuleError) as excinfo:
        format_for("chess")
    assert "chess" in messages(excinfo)[0]


def test_short_format_caps_live_in_the_sport_registry() -> None:
    # RULES.md §1: badminton short formats to 15 or 11 are capped at 21 or 15.
    assert SPORTS[BD].caps == {15: 21, 11: 15}
    assert SPORTS[VB].caps == {} and SPORTS[TT].caps == {}
    assert [SPORTS[BD].default_cap(p) for p in (21, 15, 11, 7)] == [30, 21, 15, None]
    assert [SPORTS[VB].default_cap(p) for p in (25, 15, 11)] == [None, None, None]
    assert SPORTS[BD].default_cap(15.5) is None and SPORTS[BD].default_cap("15") is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(Sport)), st.integers(1, 40), st.integers(2, 60))
def test_a_given_cap_always_wins(sport, points, cap) -> None:
    assume(cap > points)
    assert format_for(sport, points=points, cap=cap).cap == cap


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([VB, TT]), st.integers(1, 40))
def test_volleyball_and_table_tennis_have_no_default_cap(sport, points) -> None:
    assert format_for(sport, points=points).cap is None


@pytest.mark.parametrize(("points", "golden", "over_cap", "two_clear"), [
    (15, (21, 20), (22, 20), (17, 15)),
    (11, (15, 14), (16, 14), (13, 11)),
])
def test_short_badminton_format_without_a_cap_plays_to_its_cap(points, golden, over_cap, two_clear) -> None:
    fmt = format_for(BD, points=points)
    one = (points, 3)
    assert record_result(BD, fmt, "h", "a", [one, golden]).winner == "h"
    assert record_result(BD, fmt, "h", "a", [one, two_clear]).winner == "h"
    with pytest.raises(RuleError) as excinfo:
        record_result(BD, fmt, "h", "a", [one, over_cap])
    assert messages(excinfo) == [
        f"Ván 2: {over_cap[0]}-{over_cap[1]} không hợp lệ — ván cầu lông kết thúc muộn nhất ở {fmt.cap} điểm"]


# --- normal matches -------------------------------------------------------

BD_FMT, VB_FMT, TT_FMT = DEFAULT_FORMATS[BD], DEFAULT_FORMATS[VB], DEFAULT_FORMATS[TT]


@pytest.mark.parametrize(
    ("sport", "fmt", "sets", "winner", "normalised"),
    [
        (BD, BD_FMT, [[21, 15], [21, 18]], "h", ((21, 15), (21, 18))),
        (BD, BD_FMT, [(19, 21), (30, 29), (28, 30)], "a", ((19, 21), (30, 29), (28, 30))),
        # festival volleyball: third set to 15
        (VB, VB_FMT, [(25, 20), (22, 25), (15, 13)], "h", ((25, 20), (22, 25), (15, 13))),
        # FIVB best of 5, fifth set to 15
        (VB, FIVB, [(25, 20), (22, 25), (26, 28), (25, 17), (14, 16)], "a",
         ((25, 20), (22, 25), (26, 28), (25, 17), (14, 16))),
        (TT, TT_FMT, [(11, 9), (12, 10), (9, 11), (15, 13)], "h",
         ((11, 9), (12, 10), (9, 11), (15, 13))),
    ],
)
def test_valid_matches(sport, fmt, sets, winner, normalised) -> None:
    result = record_result(sport, fmt, "h", "a", sets)
    assert result == MatchResult("h", "a", normalised, Outcome.NORMAL, winner)
    assert record_result(sport, fmt, "h", "a", sets, winner=winner) == result


@pytest.mark.parametrize(
    ("sport", "fmt", "sets", "winner", "expected"),
    [
        (BD, BD_FMT, [(21, 10), (21, 20)], None,
         ["Ván 2: 21-20 chưa kết thúc — cầu lông phải thắng cách 2 điểm, tối đa 30"]),
        (BD, BD_FMT, [(21, 10), (19, 21), (21, 5), (21, 3)], None,
         ["Ván 4: trận đấu đã kết thúc sau ván 3 (thắng 2-1)"]),
        (VB, VB_FMT, [(25, 10), (25, 20), (15, 10)], None,
         ["Séc 3: trận đấu đã kết thúc sau séc 2 (thắng 2-0)"]),
        (TT, TT_FMT, [(11, 5), (11, 7), (11, 9), (11, 2), (3, 11)], None, [
            "Ván 4: trận đấu đã kết thúc sau ván 3 (thắng 3-0)",
            "Ván 5: trận đấu đã kết thúc sau ván 3 (thắng 3-0)",
        ]),
        (TT, TT_FMT, [(11, 5), (9, 11), (11, 7)], None,
         ["chưa đủ ván: cần thắng 3 ván (hiện tại 2-1)"]),
        (TT, TT_FMT, [], None, ["chưa đủ ván: cần thắng 3 ván (hiện tại 0-0)"]),
        (BD, BD_FMT, [(21, 15), (21, 18)], "a",
         ["bên thắng “a” không khớp với tỉ số: theo các ván, “h” thắng 2-0"]),
        # the deciding set's own target: 15-13 only in the third set
        (VB, VB_FMT, [(15, 13), (25, 20)], None,
         ["Séc 1: 15-13 chưa kết thúc — bóng chuyền cần 25 điểm để thắng séc"]),
        # every problem at once
        (BD, BD_FMT, [(21, 20), (30, 28), (31, 29)], None, [
            "Ván 1: 21-20 chưa kết thúc — cầu lông phải thắng cách 2 điểm, tối đa 30",
            "Ván 3: 31-29 không hợp lệ — ván cầu lông kết thúc muộn nhất ở 30 điểm",
        ]),
        (BD, BD_FMT, [(21, 5), "21-5", (21,)], None, [
            "Ván 2: “21-5” không hợp lệ — mỗi ván cần đúng 2 số điểm (bên 1 - bên 2)",
            "Ván 3: “(21,)” không hợp lệ — mỗi ván cần đúng 2 số điểm (bên 1 - bên 2)",
        ]),
    ],
)
def test_invalid_matches(sport, fmt, sets, winner, expected) -> None:
    with pytest.raises(RuleError) as excinfo:
        record_result(sport, fmt, "h", "a", sets, winner=winner)
    assert messages(excinfo) == expected


def test_match_level_problems_are_collected() -> None:
    with pytest.raises(RuleError) as excinfo:
        record_result(TT, MatchFormat(4, 11), "x", "x", [], "forfeit", winner="z")
    assert messages(excinfo) == [
        "số ván tối đa phải là số lẻ (1, 3, 5, 7…), không phải 4",
        "loại kết quả “forfeit” không hợp lệ — chọn một trong: normal (bình thường), "
        "walkover (bỏ cuộc), retired (bỏ dở), disqualified (truất quyền), "
        "double_walkover (cả hai bỏ cuộc)",
        "hai bên của trận đấu phải khác nhau (cùng là “x”)",
        "bên thắng “z” không phải một trong hai bên của trận đấu",
    ]
    assert str(excinfo.value) == "; ".join(messages(excinfo))


# --- other outcomes -------------------------------------------------------

@pytest.mark.parametrize(
    ("sport", "fmt", "sets", "outcome", "winner", "expected_sets"),
    [
        # volleyball walkover / disqualification: FIVB 6.4, 25-0 per set needed
        (VB, VB_FMT, [], "walkover", "a", ((0, 25), (0, 25))),
        (VB, VB_FMT, [], Outcome.WALKOVER, "h", ((25, 0), (25, 0))),
        (VB, VB_FMT, [(0, 25), (0, 25)], "walkover", "a", ((0, 25), (0, 25))),
        (VB, FIVB, [], "walkover", "a", ((0, 25), (0, 25), (0, 25))),
        (VB, MatchFormat(1, 25, 15), [], "walkover", "h", ((15, 0),)),
        (VB, VB_FMT, [], "disqualified", "h", ((25, 0), (25, 0))),
        # volleyball incomplete team (FIVB 6.4.3): home keeps its points and sets
        (VB, VB_FMT, [(25, 20), (10, 18)], "retired", "a", ((25, 20), (10, 25), (0, 15))),
        (VB, VB_FMT, [(25, 20), (24, 23)], "retired", "a", ((25, 20), (24, 26), (0, 15))),
        (VB, VB_FMT, [(25, 20), (23, 25)], "retired", "a", ((25, 20), (23, 25), (0, 15))),
        (VB, VB_FMT, [(20, 25), (12, 3)], "retired", "a", ((20, 25), (12, 25))),
        (VB, VB_FMT, [(20, 25), (13, 12)], "retired", "h", ((20, 25), (25, 12), (15, 0))),
        (VB, FIVB, [(25, 20), (10, 20)], "retired", "a",
         ((25, 20), (10, 25), (0, 25), (0, 25))),
        (VB, FIVB, [(25, 20), (20, 25), (25, 27), (25, 23), (14, 14)], "retired", "h",
         ((25, 20), (20, 25), (25, 27), (25, 23), (16, 14))),
        # table tennis / badminton walkover: no score
        (TT, TT_FMT, [], "walkover", "h", ()),
        (BD, BD_FMT, [], "walkover", "a", ()),
        # retirement keeps the partial score
        (TT, TT_FMT, [(11, 5), (7, 3)], "retired", "a", ((11, 5), (7, 3))),
        (TT, TT_FMT, [(11, 5), (11, 3)], "retired", "a", ((11, 5), (11, 3))),
        (BD, BD_FMT, [(21, 19), (20, 20)], "retired", "a", ((21, 19), (20, 20))),
        (BD, BD_FMT, [(29, 28)], "retired", "a", ((29, 28),)),
        # disqualification keeps what was played, possibly nothing
        (TT, TT_FMT, [], "disqualified", "a", ()),
        (BD, BD_FMT, [(21, 3), (2, 0)], "disqualified", "a", ((21, 3), (2, 0))),
        # both absent
        (TT, TT_FMT, [], "double_walkover", None, ()),
        (VB, VB_FMT, [], "double_walkover", None, ()),
        (BD, BD_FMT, [], "double_walkover", None, ()),
    ],
)
def test_outcomes(sport, fmt, sets, outcome, winner, expected_sets) -> None:
    result = record_result(sport, fmt, "h", "a", sets, outcome, winner=winner)
    assert result == MatchResult("h", "a", expected_sets, Outcome(outcome), winner)


@pytest.mark.parametrize(
    ("sport", "fmt", "sets", "outcome", "winner", "expected"),
    [
        (VB, VB_FMT, [], "walkover", None, ["trận bỏ cuộc cần chọn bên thắng"]),
        (VB, VB_FMT, [(25, 0), (25, 0)], "walkover", "a",
         ["trận bỏ cuộc bóng chuyền được ghi tỉ số các séc 0-25, 0-25 (FIVB 6.4) "
          "— hãy để trống tỉ số"]),
        (VB, VB_FMT, [(25, 20)], "disqualified", "h",
         ["trận truất quyền bóng chuyền được ghi tỉ số các séc 25-0, 25-0 (FIVB 6.4) "
          "— hãy để trống tỉ số"]),
        (TT, TT_FMT, [(11, 0)], "walkover", "h",
         ["trận bỏ cuộc bóng bàn không có tỉ số — hãy để trống các ván"]),
        (BD, BD_FMT, [], "retired", None, [
            "trận bỏ dở cần chọn bên thắng",
            "trận bỏ dở cần tỉ số các ván đến lúc dừng; nếu trận chưa đấu, "
            "hãy ghi là bỏ cuộc",
        ]),
        (TT, TT_FMT, [(11, 5), (11, 3), (11, 4)], "retired", "a",
         ["trận đấu đã kết thúc 3-0 sau ván 3 — không thể ghi là bỏ dở; "
          "hãy ghi kết quả bình thường"]),
        (VB, VB_FMT, [(25, 5), (25, 5)], "retired", "a",
         ["trận đấu đã kết thúc 2-0 sau séc 2 — không thể ghi là bỏ dở; "
          "hãy ghi kết quả bình thường"]),
        # only the last set may be unfinished
        (TT, TT_FMT, [(7, 3), (5, 2)], "retired", "a",
         ["Ván 1: 7-3 chưa kết thúc — bóng bàn cần 11 điểm để thắng ván"]),
        # an open set must be one play could still continue from
        (BD, BD_FMT, [(21, 19), (31, 29)], "retired", "a",
         ["Ván 2: 31-29 không hợp lệ — ván cầu lông kết thúc muộn nhất ở 30 điểm"]),
        (VB, VB_FMT, [(28, 25)], "retired", "a",
         ["Séc 1: 28-25 không hợp lệ — khi vượt 25 điểm, bóng chuyền phải thắng "
          "cách đúng 2 điểm"]),
        (TT, TT_FMT, [(11, 5), (-2, 3)], "disqualified", "h",
         ["Ván 2: -2-3 không hợp lệ — điểm không được âm"]),
        (TT, TT_FMT, [(11, 5)], "double_walkover", "h", [
            "cả hai bên bỏ cuộc: không ghi tỉ số",
            "cả hai bên bỏ cuộc: không có bên thắng",
        ]),
    ],
)
def test_outcome_refusals(sport, fmt, sets, outcome, winner, expected) -> None:
    with pytest.raises(RuleError) as excinfo:
        record_result(sport, fmt, "h", "a", sets, outcome, winner=winner)
    assert messages(excinfo) == expected


# --- totals ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("sport", "sets", "outcome", "winner", "totals"),
    [
        (TT, [(11, 9), (12, 10), (9, 11), (15, 13)], "normal", None, (3, 1, 47, 43)),
        (TT, [(11, 5), (7, 3)], "retired", "a", (1, 0, 18, 8)),
        (TT, [(11, 5), (11, 3)], "retired", "a", (2, 0, 22, 8)),
        (BD, [(21, 19), (29, 29)], "retired", "h", (1, 0, 50, 48)),
        (VB, [], "walkover", "a", (0, 2, 0, 50)),
        (VB, [(25, 20), (10, 18)], "retired", "a", (1, 2, 35, 60)),
        (TT, [], "double_walkover", None, (0, 0, 0, 0)),
    ],
)
def test_set_totals(sport, sets, outcome, winner, totals) -> None:
    fmt = DEFAULT_FORMATS[sport]
    result = record_result(sport, fmt, "h", "a", sets, outcome, winner=winner)
    assert set_totals(result, fmt) == totals


def test_set_totals_without_format_counts_every_led_set() -> None:
    result = MatchResult("h", "a", ((11, 5), (7, 3)), Outcome.RETIRED, "a")
    assert set_totals(result) == (2, 0, 18, 8)


# --- whole matches by construction ----------------------------------------

def final_scores(target: int, cap: int | None) -> list[tuple[int, int]]:
    """Final scores won by the first side, from the rally simulation."""
    finals, _ = rally_states(target, cap, (cap or target + 12) + 1)
    return sorted(s for s in finals if s[0] > s[1])


@st.composite
def formats(draw) -> tuple[Sport, MatchFormat]:
    sport = draw(st.sampled_from(list(Sport)))
    best_of = draw(st.sampled_from([1, 3, 5, 7]))
    short = draw(st.booleans())
    if sport is BD and short:
        # The short formats' caps come by default (RULES.md §1), or are given.
        points, cap = draw(st.sampled_from([(15, 21), (11, 15)]))
        given_cap = draw(st.sampled_from([cap, None]))
        fmt = format_for(sport, best_of=best_of, points=points, cap=given_cap)
        assert fmt.cap == cap
        return sport, fmt
    return sport, format_for(sport, best_of=best_of)


@st.composite
def played_matches(draw) -> tuple[Sport, MatchFormat, int, list[tuple[int, int]]]:
    sport, fmt = draw(formats())
    side = draw(st.integers(0, 1))
    need = fmt.sets_to_win
    lost = draw(st.integers(0, need - 1))
    order = draw(st.permutations([side] * (need - 1) + [1 - side] * lost))
    set_winners = list(order) + [side]  # the winner takes the last set
    sets = []
    for i, w in enumerate(set_winners):
        score = draw(st.sampled_from(final_scores(fmt.target(i), fmt.cap_for(i))))
        sets.append(score if w == 0 else score[::-1])
    return sport, fmt, side, sets


@settings(max_examples=200, deadline=None)
@given(played_matches())
def test_constructed_matches_are_accepted(match) -> None:
    sport, fmt, side, sets = match
    result = record_result(sport, fmt, "h", "a", sets)
    assert result.winner == ("h", "a")[side]
    sh, sa, ph, pa = set_totals(result, fmt)
    assert (sh > sa) == (side == 0) and max(sh, sa) == fmt.sets_to_win
    assert (ph, pa) == (sum(s[0] for s in sets), sum(s[1] for s in sets))
    assert result.sets == tuple(tuple(s) for s in sets)


@settings(max_examples=100, deadline=None)
@given(played_matches(), st.integers(0, 1))
def test_a_set_after_the_decision_is_refused(match, extra_side) -> None:
    sport, fmt, _, sets = match
    extra = (fmt.points, 0) if extra_side == 0 else (0, fmt.points)
    with pytest.raises(RuleError) as excinfo:
        record_result(sport, fmt, "h", "a", sets + [extra])
    word = SPORTS[sport].set_word
    assert messages(excinfo) == [
        f"{word} {len(sets) + 1}: trận đấu đã kết thúc sau "
        f"{word.lower()} {len(sets)} (thắng {fmt.sets_to_win}-"
        f"{len(sets) - fmt.sets_to_win})"
    ]


@settings(max_examples=150, deadline=None)
@given(played_matches(), st.data())
def test_volleyball_retirement_completes_to_a_valid_match(match, data) -> None:
    _, _, _, sets = match
    fmt = data.draw(st.sampled_from([VB_FMT, FIVB]), label="fmt")
    # Keep an undecided prefix of the constructed sets' pattern, then stop
    # in the middle of the next set at a reachable score.
    played = []
    for i, s in enumerate(sets[: fmt.best_of - 1]):
        if set_problem(s, fmt.target(i), None, VB) is not None:
            break
        trial = played + [s]
        wins = [sum(x[0] > x[1] for x in trial), sum(x[1] > x[0] for x in trial)]
        if max(wins) >= fmt.sets_to_win:
            break
        played = trial
    i = len(played)
    _, open_ = rally_states(fmt.target(i), None, fmt.target(i) + 6)
    current = data.draw(st.sampled_from(sorted(open_)), label="current")
    retiring = data.draw(st.integers(0, 1), label="retiring")
    winner = ("h", "a")[1 - retiring]
    result = record_result(VB, fmt, "h", "a", played + [current], "retired", winner)
    # The completed score is itself a valid, finished match won by the winner.
    replay = record_result(VB, fmt, "h", "a", result.sets)
    assert replay.winner == winner
    # The incomplete team keeps every point and set it had.
    kept = [s[retiring] for s in result.sets[: i + 1]]
    assert kept == [s[retiring] for s in played + [current]]
    assert all(s[retiring] == 0 for s in result.sets[i + 1:])


def test_result_sentences_read_from_the_winner_side():
    from sports.domain.scoring import format_for, record_result, result_sentence

    fmt = format_for("badminton")
    names = {"a": "Đội A", "b": "Đội B"}
    normal = record_result("badminton", fmt, "a", "b", [(21, 15), (18, 21), (21, 19)])
    assert result_sentence(normal, names) == "Đội A thắng 2-1: 21-15, 18-21, 21-19."
    away = record_result("badminton", fmt, "a", "b", [(15, 21), (19, 21)])
    assert result_sentence(away, names) == "Đội B thắng 2-0: 21-15, 21-19."
    wo = record_result("badminton", fmt, "a", "b", [], "walkover", "b")
    assert result_sentence(wo, names) == "Đội B thắng do Đội A bỏ cuộc (w.o.)."
    ret = record_result("badminton", fmt, "a", "b", [(21, 15), (3, 5)], "retired", "b")
    assert result_sentence(ret, names) == "Đội B thắng do Đội A bỏ dở (ret.): 15-21, 5-3."
    dwo = record_result("badminton", fmt, "a", "b", [], "double_walkover")
    assert result_sentence(dwo, names) == "Cả hai bên không thi đấu: Đội A và Đội B cùng bỏ cuộc."

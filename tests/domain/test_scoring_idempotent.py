"""Recording a stored result again changes nothing (export → import keeps every result)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from sports.domain.scoring import DEFAULT_FORMATS, record_result
from sports.domain.types import Outcome, RuleError, Sport


@st.composite
def results(draw):
    sport = draw(st.sampled_from(list(Sport)))
    fmt = DEFAULT_FORMATS[sport]
    outcome = draw(st.sampled_from(list(Outcome)))
    n_sets = draw(st.integers(0, fmt.best_of))
    sets = []
    for i in range(n_sets):
        target = fmt.target(i)
        if draw(st.booleans()):  # a finished set, so normal results are generated too
            loser = draw(st.integers(0, target - 2))
            a, b = (target, loser) if draw(st.booleans()) else (loser, target)
        else:  # anything at all, often a set still being played
            a = draw(st.integers(0, target + 3))
            b = draw(st.integers(0, target + 3))
        sets.append((a, b))
    winner = draw(st.sampled_from(["h", "a", None]))
    return sport, fmt, sets, outcome, winner


@settings(max_examples=600, deadline=None)
@given(results())
def test_a_recorded_result_records_to_itself(case):
    sport, fmt, sets, outcome, winner = case
    try:
        first = record_result(sport, fmt, "h", "a", sets, outcome, winner)
    except RuleError:
        return  # refused input: nothing to re-record
    again = record_result(sport, fmt, "h", "a", [list(s) for s in first.sets], first.outcome, first.winner)
    assert again == first


def test_a_completed_volleyball_retirement_re_records_unchanged():
    fmt = DEFAULT_FORMATS[Sport.VOLLEYBALL]
    first = record_result(Sport.VOLLEYBALL, fmt, "h", "a", [(25, 20), (10, 8)], "retired", "h")
    assert first.sets == ((25, 20), (25, 8))
    assert record_result(Sport.VOLLEYBALL, fmt, "h", "a", first.sets, "retired", "h") == first

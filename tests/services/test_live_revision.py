"""Exact revisions under concurrent writers, and the cache of derived results they key."""
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from sports.extensions import db as _db
from sports.importers.festival_file import import_file
from sports.models import Event, Festival, Match, Unit
from sports.services import derived, rankings
from sports.services.people import UnitData, update_unit
from sports.services.results import record_result

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


@pytest.fixture
def pending(db):
    """The small festival with its knockout final still to be played."""
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["events"][0]["stages"][1]["matches"].pop()
    import_file(json.dumps(data).encode())
    db.session.commit()
    return db.session.scalar(select(Match).where(Match.status == "scheduled", Match.round == 2))


def _counters(db, festival_id):
    db.session.expire_all()
    festival = db.session.get(Festival, festival_id)
    return festival.revision, festival.epoch, {e.code: e.revision for e in festival.events}


def test_concurrent_bumps_are_all_counted(app, db, pending):
    """Several writers, each with its own session and connection, bump at once: none is lost."""
    festival_id, event_id = pending.event.festival_id, pending.event_id
    start_revision, start_epoch, start_events = _counters(db, festival_id)
    code = pending.event.code
    db.session.commit()
    writers, rounds = 4, 25
    errors = []
    barrier = threading.Barrier(writers)

    def writer(n: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for i in range(rounds):
                    festival = _db.session.get(Festival, festival_id)
                    if (n + i) % 2:
                        festival.bump(_db.session.get(Event, event_id))
                    else:
                        festival.bump()
                    _db.session.commit()
                _db.session.remove()
        except Exception as exc:  # reported below, with the thread that raised it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    revision, epoch, events = _counters(db, festival_id)
    assert revision == start_revision + writers * rounds
    with_event = sum((n + i) % 2 for n in range(writers) for i in range(rounds))
    assert events[code] == start_events[code] + with_event
    assert epoch == start_epoch + writers * rounds - with_event
    assert {c: r for c, r in events.items() if c != code} == {c: r for c, r in start_events.items() if c != code}


def test_the_new_revision_reads_back_at_once(db, pending):
    festival = pending.event.festival
    before = festival.revision
    festival.bump(pending.event)
    assert festival.revision == before + 1  # no flush, no reload needed
    assert pending.event.revision >= 1
    db.session.commit()
    assert festival.revision == before + 1
    fresh = Festival(slug="moi", name="Mới")
    fresh.bump()
    assert (fresh.revision, fresh.epoch) == (1, 1)


def test_a_result_bumps_its_event_and_a_unit_change_every_event(db, pending):
    festival_id = pending.event.festival_id
    code = pending.event.code
    revision, epoch, events = _counters(db, festival_id)
    match = db.session.scalar(select(Match).where(Match.status == "scheduled", Match.round == 2))
    record_result(match, [[11, 9], [11, 7], [11, 5]], expected_version=match.version)
    db.session.commit()
    after = _counters(db, festival_id)
    assert after[0] == revision + 1 and after[1] == epoch
    assert after[2] == {**events, code: events[code] + 1}
    unit = db.session.scalar(select(Unit).where(Unit.festival_id == festival_id).order_by(Unit.id))
    update_unit(unit, UnitData(code=unit.code, name=unit.name + " mới", short_name=unit.short_name))
    db.session.commit()
    assert _counters(db, festival_id)[1] == epoch + 1


def _medals(festival):
    return [(r.unit, r.gold, r.silver, r.bronze) for r in rankings.medal_table(festival)]


def _count_derivations(monkeypatch) -> list[str]:
    """The codes of the events whose placings are derived from now on, one per derivation."""
    computed: list[str] = []
    original = rankings._event_placings

    def counting(event, confirmed_only):
        computed.append(event.code)
        return original(event, confirmed_only)

    monkeypatch.setattr(rankings, "_event_placings", counting)
    return computed


def test_after_a_result_only_its_event_is_computed_again(db, pending, monkeypatch):
    derived.clear()
    festival = pending.event.festival
    before = _medals(festival)
    db.session.commit()
    computed = _count_derivations(monkeypatch)
    db.session.remove()
    festival = db.session.scalar(select(Festival))
    assert _medals(festival) == before and computed == []  # warm: nothing computed
    match = db.session.scalar(select(Match).where(Match.status == "scheduled", Match.round == 2))
    record_result(match, [[11, 9], [11, 7], [11, 5]], expected_version=match.version)
    db.session.commit()
    assert computed == [match.event.code]  # once, by the commit, which stores the placings
    computed.clear()
    after = _medals(festival)
    assert computed == []  # the table reads what the commit stored: no event derived again
    assert after != before  # the final's winner now has gold, the loser silver
    derived.clear()  # another worker, with nothing cached: still nothing derived
    db.session.remove()
    assert _medals(db.session.scalar(select(Festival))) == after and computed == []


def test_stored_placings_are_the_derived_ones_and_lapse_with_the_epoch(db, monkeypatch):
    """Every event's stored placings are exactly what deriving it gives; a festival-wide write
    (a unit withdrawn) leaves them unread until the event is written again."""
    from sports.services.demo import load_demo
    from sports.services.people import set_unit_withdrawn

    load_demo(day=True)
    db.session.commit()
    db.session.remove()
    festival = db.session.scalar(select(Festival))
    events = list(festival.events)
    assert events and all(e.final_placings for e in events)
    for event in events:
        stored = rankings.stored_placings(event.final_placings, festival.epoch, event.revision)
        assert stored is not None, event.code
        derived_places = [(p.place, p.entry) for p in rankings._event_placings(event, True)]
        assert [(place, str(entry)) for place, entry, _ in stored["places"]] == derived_places
        assert stored["team"] == event.is_team
    placed = [e for e in events if e.final_placings["places"]]
    assert placed  # the demo has finished events
    unit_id = placed[0].final_placings["places"][0][2]
    set_unit_withdrawn(db.session.get(Unit, unit_id), True)
    db.session.commit()
    db.session.remove()
    festival = db.session.scalar(select(Festival))
    # The unit's entries were marked withdrawn: their events were derived again at that commit,
    # under the new epoch; every other event's stored placings lapsed with the old one.
    touched = {e.id for e in festival.events if any(n.unit_id == unit_id for n in e.entries)}
    valid = {e.id for e in festival.events
             if rankings.stored_placings(e.final_placings, festival.epoch, e.revision) is not None}
    assert touched and valid == touched
    for event in festival.events:
        if event.id in valid:
            assert [(p, str(n)) for p, n, _ in event.final_placings["places"]] == \
                [(p.place, p.entry) for p in rankings._event_placings(event, True)]
    derived.clear()
    computed = _count_derivations(monkeypatch)
    rankings.medal_table(festival)
    assert sorted(computed) == sorted(e.code for e in festival.events if e.id not in valid)  # the others derived
    # The next write to one event stores its placings under the new epoch: that one is read.
    first = next(e for e in festival.events if e.id not in valid)
    code = first.code
    festival.bump(first)
    db.session.commit()
    db.session.remove()
    festival = db.session.scalar(select(Festival))
    fresh = {e.code for e in festival.events
             if rankings.stored_placings(e.final_placings, festival.epoch, e.revision) is not None}
    assert fresh == {e.code for e in festival.events if e.id in valid} | {code}


def test_a_change_that_forgets_to_bump_still_refreshes_the_stored_placings(db, pending):
    """The safety net under Festival.bump: a match changed through the ORM without a bump marks
    its event, so the commit stores its placings again (the final's winner gets the gold)."""
    event = pending.event
    assert [p[0] for p in event.final_placings["places"]] == [3, 3]  # the final still to play
    pending.sets, pending.status, pending.outcome = [[11, 9], [11, 7], [11, 5]], "completed", "normal"
    pending.winner_entry_id, pending.confirmed = pending.home_entry_id, True
    db.session.commit()
    db.session.expire_all()
    places = [(p, n) for p, n, _ in event.final_placings["places"]]
    assert places[:2] == [(1, pending.home_entry_id), (2, pending.away_entry_id)]


def test_cached_results_are_copies_and_hold_no_session_objects(db, pending):
    derived.clear()
    festival = pending.event.festival
    event = db.session.scalar(select(Event).where(Event.festival_id == festival.id).order_by(Event.position))
    stage = event.stages[0]
    first = rankings.group_standings(event, stage)
    first[0].rows.clear()
    first.clear()
    rankings.medal_table(festival).clear()
    assert rankings.group_standings(event, stage)[0].rows
    assert rankings.medal_table(festival)
    for value in [*derived.EVENTS._data.values(), *derived.FESTIVALS._data.values()]:
        assert "sports.models" not in repr(type(value)) and "<sports.models" not in repr(value)


def test_uncommitted_writes_neither_read_nor_fill_the_cache(db, pending):
    derived.clear()
    festival = pending.event.festival
    before = _medals(festival)
    db.session.commit()
    match = db.session.scalar(select(Match).where(Match.status == "scheduled", Match.round == 2))
    record_result(match, [[11, 9], [11, 7], [11, 5]], expected_version=match.version)
    inside = _medals(festival)  # computed from the write in progress, not from the cache
    assert inside != before
    db.session.rollback()
    assert _medals(db.session.get(Festival, festival.id)) == before


def test_a_replaced_festival_never_meets_the_old_ones_results(db, pending):
    derived.clear()
    festival = pending.event.festival
    before = _medals(festival)
    db.session.commit()
    import_file(SMALL.read_bytes(), replace=True)  # the full file: the final has been played
    db.session.commit()
    db.session.remove()
    assert _medals(db.session.scalar(select(Festival))) != before


def test_the_placings_revision_moves_only_when_a_placing_does(db):
    """The medal table is cached under the placings revision: a group match leaves it (and the
    table) as it was; the final, or a confirmation that makes a result count, moves it."""
    from sqlalchemy import select

    from sports.models import Event, Festival, Match
    from sports.services import rankings
    from sports.services.demo import load_demo
    from sports.services.results import confirm_result, record_result

    festival, _ = load_demo(day=True)
    db.session.commit()

    def state():
        db.session.expire_all()
        f = db.session.scalar(select(Festival))
        return f.placings_revision, {r.unit: (r.gold, r.silver, r.bronze) for r in rankings.medal_table(f)}

    def open_match(code, **where):
        stmt = select(Match).join(Event).where(Event.code == code, Match.status != "completed",
                                               Match.home_entry_id.is_not(None), Match.away_entry_id.is_not(None))
        return db.session.scalars(stmt.order_by(Match.round.desc(), Match.id)).first()

    before, table = state()
    record_result(open_match("CL-DOINN"), [[21, 10], [21, 12]], actor="test")  # a group still under way
    db.session.commit()
    assert state() == (before, table)

    ko = open_match("BB-DOINAM")  # the other semi-final, then the final
    record_result(ko, [[11, 5], [11, 6], [11, 7]], actor="test")
    db.session.commit()
    after_semi, table_semi = state()
    assert after_semi == before + 1  # its loser is now third: a bronze
    assert sum(b for _, _, b in table_semi.values()) == sum(b for _, _, b in table.values()) + 1

    festival = db.session.scalar(select(Festival))
    festival.needs_confirmation = True
    festival.bump()
    db.session.commit()
    from sports.services.accounts import create_user

    referee, _ = create_user("tt-final", "referee", "mat-khau-123")
    final = open_match("BB-DOINAM")
    record_result(final, [[11, 9], [11, 9], [11, 9]], actor=referee)  # waits for the second confirmation
    db.session.commit()
    waiting, table_waiting = state()
    assert sum(g for g, _, _ in table_waiting.values()) == sum(g for g, _, _ in table_semi.values())
    organiser, _ = create_user("btc-final", "organiser", "mat-khau-123")
    confirm_result(db.session.get(Match, final.id), actor=organiser)
    db.session.commit()
    confirmed, table_confirmed = state()
    assert confirmed == waiting + 1
    assert sum(g for g, _, _ in table_confirmed.values()) == sum(g for g, _, _ in table_semi.values()) + 1

"""The court schedule from rows: courts, sessions, settings, the automatic schedule written to
the matches, moving a match by hand, the running-late list, and times on both databases."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from sports.models import AuditEntry, Court, Match
from sports.services import draws as ds
from sports.services import schedule as sch
from sports.services.errors import FieldErrors, RuleError
from sports.services.results import record_result
from tests.services.test_draws_service import build

DAY = date(2025, 5, 10)


def setup_schedule(db, n=6, **kw):
    festival, event = build(db, n, **kw)
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=1))
    sch.add_courts(festival, "table_tennis", ["Bàn 1", "Bàn 2"])
    # Round 2 waits for round 1: 5 rounds of 3 matches on 2 tables take 10 half-hours.
    sch.add_session(festival, DAY, time(7, 30), time(13, 0))
    db.session.commit()
    return festival, event


def test_times_read_back_as_the_local_time_written(db):
    festival, event = setup_schedule(db)
    match = event.stages[0].matches[0]
    court = sch.courts(festival)[0]
    sch.move(match, court, datetime(2025, 5, 10, 8, 15))
    db.session.commit()
    db.session.expire_all()
    assert sch.local(db.session.get(Match, match.id).scheduled_at) == datetime(2025, 5, 10, 8, 15)


def test_generate_places_every_match_with_no_athlete_on_two_courts(db):
    festival, event = setup_schedule(db, 6)
    result = sch.generate(festival)
    db.session.commit()
    assert result.placed == 15 and result.unplaced == {}
    rows = list(db.session.scalars(select(Match)))
    assert all(m.court_id and m.scheduled_at for m in rows)
    spans = [(sch.local(m.scheduled_at), m) for m in rows]
    for t, m in spans:
        assert time(7, 30) <= t.time() and (datetime.combine(DAY, time(13, 0)) - t).total_seconds() >= 30 * 60
        for t2, m2 in spans:
            if m2.id <= m.id or t2 != t:
                continue
            assert m.court_id != m2.court_id
            assert not ({m.home_entry_id, m.away_entry_id} & {m2.home_entry_id, m2.away_entry_id})
    assert db.session.scalar(select(AuditEntry.after).where(AuditEntry.action == "schedule.generate")) == {
        "placed": 15, "unplaced": 0}
    assert [c.name for day, per in sch.order_of_play(festival) for c, _ in per] == ["Bàn 1", "Bàn 2"]


def test_matches_that_do_not_fit_are_reported_and_the_fit_check_says_so(db):
    festival, event = build(db, 8)
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=1))
    sch.add_courts(festival, "table_tennis", ["Bàn 1"])
    sch.add_session(festival, DAY, time(8, 0), time(10, 0))  # 4 slots of 30 minutes for 28 matches
    db.session.commit()
    fit = sch.fit(festival)
    assert fit.messages == ["Bóng bàn: cần 14 giờ sân, hiện có 2 giờ — thêm sân hoặc buổi thi đấu."]
    result = sch.generate(festival)
    assert result.placed == 4 and len(result.unplaced) == 24
    assert any("Không còn giờ sân bóng bàn" in reason for reason in result.unplaced.values())
    assert all(reason.endswith(".") and len(reason) > 20 for reason in result.unplaced.values())


def test_played_matches_keep_their_court_and_time(db):
    festival, event = setup_schedule(db, 4)
    sch.generate(festival)
    played = event.stages[0].matches[0]
    record_result(played, [[11, 3], [11, 4], [11, 5]])
    db.session.commit()
    where = (played.court_id, sch.local(played.scheduled_at))
    sch.add_session(festival, DAY, time(6, 0), time(7, 0))
    sch.generate(festival)
    db.session.commit()
    assert (played.court_id, sch.local(played.scheduled_at)) == where
    with pytest.raises(RuleError, match="Trận đã có kết quả"):
        sch.move(played, sch.courts(festival)[1], datetime(2025, 5, 10, 10, 0))


def test_a_hand_move_into_a_clash_is_refused_with_the_reason_and_a_free_slot_is_taken(db):
    festival, event = setup_schedule(db, 4)
    sch.generate(festival)
    db.session.commit()
    matches = event.stages[0].matches
    m = max(matches, key=lambda x: (x.round, x.id))  # a last-round match: nothing waits for it
    other = next(x for x in matches if x.id != m.id and {x.home_entry_id, x.away_entry_id} & {m.home_entry_id, m.away_entry_id})
    shared = ({other.home_entry_id, other.away_entry_id} & {m.home_entry_id, m.away_entry_id}).pop()
    name = next(e for e in event.entries if e.id == shared).display_name
    free_court = next(c for c in sch.courts(festival) if c.id != other.court_id)
    at = sch.local(other.scheduled_at)
    with pytest.raises(RuleError) as info:
        sch.move(m, free_court, at)
    assert any(msg.startswith(f"{name} đang thi đấu trận BB-DN #{other.id}") for msg in info.value.messages), info.value.messages
    db.session.rollback()
    late = datetime(2025, 5, 10, 12, 30)
    sch.move(m, free_court, late, reason="đổi theo yêu cầu")
    db.session.commit()
    assert (m.court_id, sch.local(m.scheduled_at)) == (free_court.id, late)
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "schedule.move"))
    assert row.reason == "đổi theo yêu cầu" and row.after["at"] == "2025-05-10T12:30:00"
    with pytest.raises(RuleError, match="ngoài|buổi"):
        sch.move(m, free_court, datetime(2025, 5, 10, 13, 30))  # outside every session


def test_court_of_another_sport_is_refused(db):
    festival, event = setup_schedule(db, 4)
    badminton = sch.add_courts(festival, "badminton", ["Sân CL 1"])[0]
    with pytest.raises(RuleError) as info:
        sch.move(event.stages[0].matches[0], badminton, datetime(2025, 5, 10, 8, 0))
    assert any("Sân CL 1" in m and "cầu lông" in m for m in info.value.messages), info.value.messages


@pytest.mark.parametrize("args, field, message", [
    (("table_tennis", ["Bàn 1"]), "names", "Đã có sân tên Bàn 1"),
    (("table_tennis", []), "names", "Nhập tên sân"),
    (("chess", ["Bàn 9"]), "sport", "Chọn môn của sân."),
])
def test_court_refusals(db, args, field, message):
    festival, event = setup_schedule(db, 4)
    with pytest.raises(FieldErrors) as info:
        sch.add_courts(festival, *args)
    db.session.rollback()
    assert any(message in m for m in info.value.fields[field])
    assert [c.name for c in sch.courts(festival)] == ["Bàn 1", "Bàn 2"]


@pytest.mark.parametrize("day, start, end, field, message", [
    (DAY, time(9, 0), time(8, 0), "end", "Giờ kết thúc phải sau giờ bắt đầu."),
    (DAY, time(12, 0), time(14, 0), "start", "Trùng với buổi Thứ Bảy 10/05/2025, 07:30–13:00."),
    (None, time(9, 0), time(10, 0), "day", "Chọn ngày thi đấu."),
])
def test_session_refusals(db, day, start, end, field, message):
    festival, event = setup_schedule(db, 4)
    with pytest.raises(FieldErrors) as info:
        sch.add_session(festival, day, start, end)
    db.session.rollback()
    assert info.value.fields[field] == [message]
    assert len(sch.sessions(festival)) == 1


def test_rest_setting_and_per_event_length_are_used(db):
    festival, event = setup_schedule(db, 4)
    sch.update_settings(festival, sch.ScheduleSettings(min_rest=30, slot_minutes={"table_tennis": 20}))
    event.slot_minutes = 25
    db.session.commit()
    sch.generate(festival)
    db.session.commit()
    rows = sorted(event.stages[0].matches, key=lambda m: sch.local(m.scheduled_at))
    by_entry: dict[int, list[datetime]] = {}
    for m in rows:
        for e in (m.home_entry_id, m.away_entry_id):
            by_entry.setdefault(e, []).append(sch.local(m.scheduled_at))
    for times in by_entry.values():
        for a, b in zip(times, times[1:]):
            assert (b - a).total_seconds() >= (25 + 30) * 60
    with pytest.raises(FieldErrors):
        sch.update_settings(festival, sch.ScheduleSettings(min_rest=-5))


def test_running_late_lists_passed_matches_without_result(db):
    festival, event = setup_schedule(db, 4)
    sch.generate(festival)
    first = min(event.stages[0].matches, key=lambda m: sch.local(m.scheduled_at))
    record_result(first, [[11, 3], [11, 4], [11, 5]])
    db.session.commit()
    late = sch.running_late(festival, at=datetime(2025, 5, 10, 8, 1))
    assert first not in late and late and all(sch.local(m.scheduled_at) <= datetime(2025, 5, 10, 8, 1) for m in late)
    assert sch.running_late(festival, at=datetime(2025, 5, 9, 23, 0)) == []


def test_removing_a_court_unschedules_its_matches(db):
    festival, event = setup_schedule(db, 4)
    sch.generate(festival)
    db.session.commit()
    court = sch.courts(festival)[0]
    on_it = [m.id for m in event.stages[0].matches if m.court_id == court.id]
    sch.remove_court(court)
    db.session.commit()
    assert on_it and all(db.session.get(Match, i).scheduled_at is None for i in on_it)
    assert db.session.scalar(select(Court).where(Court.id == court.id)) is None


def test_knockout_placeholders_get_times_after_the_groups(db):
    festival, event = build(db, 8)
    ds.make_draw(event, ds.DrawSpec("groups_knockout", groups=2, qualifiers=2, rng_seed=4))
    sch.add_courts(festival, "table_tennis", ["Bàn 1", "Bàn 2", "Bàn 3"])
    sch.add_session(festival, DAY, time(7, 30), time(17, 0))
    db.session.commit()
    result = sch.generate(festival)
    db.session.commit()
    assert result.unplaced == {}
    groups, ko = event.stages
    last_group_end = max(sch.local(m.scheduled_at) for m in groups.matches)
    first_ko = min(sch.local(m.scheduled_at) for m in ko.matches)
    assert first_ko > last_group_end
    final = next(m for m in ko.matches if m.round == 2)
    assert sch.local(final.scheduled_at) > max(sch.local(m.scheduled_at) for m in ko.matches if m.round == 1)

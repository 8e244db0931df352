"""The demo as `make run` serves it: a festival day in progress, built through the services."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sports.models import Event, Festival, Match, User
from sports.services import draws, rankings
from sports.services import schedule as schedule_service
from sports.services.demo import SLUG, load_demo
from sports.services.desk import desk
from tests.conftest import login


@pytest.fixture
def festival(db):
    festival, created = load_demo(day=True)
    db.session.commit()
    assert created
    return festival


def _event(db, code: str) -> Event:
    return db.session.scalar(select(Event).join(Festival).where(Festival.slug == SLUG, Event.code == code))


def test_a_knockout_with_winners_moving_on_and_the_final_open(festival, db):
    event = _event(db, "BB-DOINAM")
    (stage,) = event.stages
    played = [m for m in stage.matches if m.status == "completed"]
    final = max(stage.matches, key=lambda m: m.round)
    assert len(played) == 5 and final.status == "scheduled"
    # The winner of the played semi-final already stands in the final; the other place is open.
    semi = next(m for m in played if m.round == final.round - 1)
    (final_slot,) = draws.bracket_view(stage)[-1]
    sides = [final_slot.home, final_slot.away]
    assert [s.entry.id for s in sides if s.entry] == [semi.winner_entry_id]
    assert [s.text for s in sides if not s.entry] == ["Thắng trận 2 bán kết"]
    # Before the final: the beaten semi-finalist is third (shared bronze), nobody is first or second.
    places = {p.place for p in rankings.event_placings(event)}
    assert 3 in places and not places & {1, 2}


def test_groups_then_knockout_and_a_group_under_way(festival, db):
    gk = _event(db, "CL-DOINAM")
    groups, ko = sorted(gk.stages, key=lambda s: s.position)
    assert all(m.status == "completed" for m in groups.matches)
    assert ko.draw and all(ko.draw)  # qualifiers confirmed into the semi-finals
    rr = _event(db, "CL-DOINN")
    statuses = [m.status for m in rr.stages[0].matches]
    assert 0 < statuses.count("completed") < len(statuses)


def test_every_open_match_is_on_a_court_and_the_schedule_pages_work(festival, db, client):
    open_matches = db.session.scalars(select(Match).join(Event).where(
        Event.festival_id == festival.id, Match.status == "scheduled", Match.home_entry_id.is_not(None),
        Match.away_entry_id.is_not(None), Match.court_id.is_not(None))).all()
    assert len(open_matches) > 20
    # The court-time check must cope with matches that wait for ones already played.
    report = schedule_service.fit(festival)
    assert {f.sport for f in report.sports} >= {"badminton", "table_tennis"}
    assert client.get(f"/f/{SLUG}/schedule").status_code == 200
    assert login(client, "btc", "hoithao-btc").status_code == 302
    page = client.get(f"/admin/festivals/{SLUG}/schedule")
    assert page.status_code == 200 and "Sân 1" in page.get_data(as_text=True)


def test_the_demo_referee_has_court_one(festival, db, client):
    referee = db.session.scalar(select(User).where(User.username == "trongtai"))
    assert referee.scopes == {"festivals": [SLUG], "courts": ["Sân 1"], "events": []}
    mine = desk(referee)
    assert mine.upcoming and all(m.court.name == "Sân 1" for m in mine.upcoming)
    assert login(client, "trongtai", "hoithao-trongtai").headers["Location"].endswith("/referee/")
    page = client.get("/referee/").get_data(as_text=True)
    assert "Sân 1" in page and "Không có trận" not in page


def test_reset_rebuilds_the_same_day(festival, db):
    first = sorted((m.event.code, m.round, m.position, m.status, tuple(map(tuple, m.sets or [])))
                   for e in festival.events for s in e.stages for m in s.matches)
    again, created = load_demo(reset=True, day=True)
    db.session.commit()
    assert created
    second = sorted((m.event.code, m.round, m.position, m.status, tuple(map(tuple, m.sets or [])))
                    for e in again.events for s in e.stages for m in s.matches)
    assert first == second


def test_deleting_a_session_frees_its_matches_or_is_refused_once_one_was_played(festival, db, client):
    from sports.models import ScheduleSession
    from tests.conftest import csrf_token

    assert login(client, "btc", "hoithao-btc").status_code == 302
    page = client.get(f"/admin/festivals/{SLUG}/schedule").get_data(as_text=True)
    sessions = db.session.scalars(select(ScheduleSession).order_by(ScheduleSession.starts_at)).all()

    def inside(s):
        start, end = schedule_service.local(s.starts_at), schedule_service.local(s.ends_at)
        return [m for m in db.session.scalars(select(Match).where(Match.scheduled_at.is_not(None)))
                if start <= schedule_service.local(m.scheduled_at) < end]

    played = next(s for s in sessions if any(m.status == "completed" for m in inside(s)))
    free = next(s for s in sessions if inside(s) and all(m.status != "completed" for m in inside(s)))
    freed_ids = [m.id for m in inside(free)]
    token = csrf_token(page)

    refused = client.post(f"/admin/festivals/{SLUG}/schedule/sessions/{played.id}/delete",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "đã có trận có kết quả: không xóa được" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ScheduleSession, played.id) is not None

    done = client.post(f"/admin/festivals/{SLUG}/schedule/sessions/{free.id}/delete",
                       data={"csrf_token": token}, follow_redirects=True)
    assert f"{len(freed_ids)} trận của buổi này cần xếp lại" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ScheduleSession, free.id) is None
    assert all(db.session.get(Match, i).scheduled_at is None and db.session.get(Match, i).court_id is None
               for i in freed_ids)

"""The public results pages (Flask test client, real database): festival home, event, unit,
projector, the revision poll — what a spectator sees without logging in."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from sports.models import Event, Festival, Match, Unit
from sports.services import draws
from sports.services.demo import SLUG, load_demo
from sports.services.results import record_result

HOME = f"/f/{SLUG}/"


@pytest.fixture
def day(db):
    """The demo with its festival day in progress (draws, courts, part of the results)."""
    festival, _ = load_demo(day=True)
    db.session.commit()
    return festival


def event_of(db, code: str) -> Event:
    return db.session.scalar(select(Event).join(Festival).where(Festival.slug == SLUG, Event.code == code))


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def cells(html: str, row_text: str) -> list[str]:
    """The cells of the first table row that contains ``row_text``, tags stripped."""
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S) if row_text in r)
    return [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_home_shows_the_medal_table_prizes_latest_and_next_with_courts(day, client):
    html = text(client.get(HOME))
    # The demo's table: BVĐK first with 3 gold, 2 bronze, and the overall first prize.
    first = cells(html, "Bệnh viện Đa khoa tỉnh Lâm Đồng")
    assert first[0] == "1" and first[2:6] == ["3", "0", "2", "5"] and "Giải Nhất" in first[-1]
    assert "Giải toàn đoàn" in html and "Giải Nhì" in html and "Giải Ba" in html
    assert '6<span class="shared" title="Đồng hạng">=</span>' in html  # units sharing a rank say so
    # Latest results and next matches, with court and time.
    latest = html.split('id="latest-title"')[1].split('id="next-title"')[0]
    assert latest.count('class="match-item done') == 8 and "Cầu lông – Đôi nam nữ" in latest
    upcoming = html.split('id="next-title"')[1].split('id="events-title"')[0]
    assert re.search(r"(Sân|Bàn) \d · \d\d:\d\d \d\d/\d\d", upcoming)
    assert "Thắng trận 2 bán kết" in upcoming  # the final's open place, by name
    # The chart is an inline SVG with one bar per medal kind a unit has.
    chart = html.split("<svg")[1].split("</svg>")[0]
    assert chart.count('class="gold"') >= 3 and "BVĐK Lâm Đồng" in chart
    # Every event and unit is a link.
    assert f'href="/f/{SLUG}/events/BB-DOINAM"' in html and f'href="/f/{SLUG}/units/CDC"' in html
    assert "/static/js/live.js" in html and f'data-live="/f/{SLUG}/revision"' in html


def test_points_mode_shows_the_points_column(day, client, db):
    day.medal_mode, day.medal_points = "points", [7, 5, 3]
    day.bump()
    db.session.commit()
    html = text(client.get(HOME))
    assert ">Điểm</th>" in html
    first = cells(html, "Bệnh viện Đa khoa tỉnh Lâm Đồng")
    assert first[0] == "1" and first[6] == str(3 * 7 + 2 * 3)


def test_root_shows_the_current_festival(day, client, db):
    other = Festival(slug="khac-2024", name="Hội thao khác 2024", start_date=date(2024, 5, 1))
    db.session.add(other)
    db.session.commit()
    assert "Hội thao khác 2024" in text(client.get("/")).split("<h1>")[1].split("</h1>")[0]
    day.is_current = True
    db.session.commit()
    assert day.name in text(client.get("/")).split("<h1>")[1].split("</h1>")[0]


def test_event_page_groups_with_the_presets_columns_and_the_knockout(day, client):
    html = text(client.get(f"/f/{SLUG}/events/CL-DOINAM"))
    assert "Bảng A" in html and "Bảng B" in html
    assert "Hiệu số ván" in html and "Hiệu số điểm" in html  # BWF's columns
    assert "Vòng loại trực tiếp" in html and "Bán kết" in html and "Chung kết" in html
    volleyball = text(client.get(f"/f/{SLUG}/events/BC-NU"))
    assert "Điểm XH" in volleyball and "Tỷ số điểm" in volleyball  # FIVB's columns
    assert "Xếp hạng chung cuộc" in volleyball and "Huy chương Vàng" in volleyball


def test_the_bracket_shows_the_winner_moving_on_and_the_open_places(day, client, db):
    event = event_of(db, "BB-DOINAM")
    (stage,) = event.stages
    view = draws.bracket_view(stage)
    semi_winner = next(m for m in stage.matches if m.round == len(view) - 1 and m.status == "completed").winner
    html = text(client.get(f"/f/{SLUG}/events/BB-DOINAM"))
    final = html.split("<h4>Chung kết</h4>")[1].split("</ol>")[0]
    assert semi_winner.display_name in final and "Thắng trận 2 bán kết" in final
    assert 'bracket-side won' in html.split("<h4>Tứ kết</h4>")[1]
    # Recording the other semi-final fills the final's open place.
    other = next(m for m in stage.matches if m.round == len(view) - 1 and m.status != "completed")
    record_result(other, [[11, 5], [11, 6], [11, 7]], actor="test")
    db.session.commit()
    final = text(client.get(f"/f/{SLUG}/events/BB-DOINAM")).split("<h4>Chung kết</h4>")[1].split("</ol>")[0]
    assert other.home.display_name in final and "Thắng trận" not in final


def test_byes_and_lots_are_marked(day, client, db):
    # A knockout of five: three byes in the first round.
    event = event_of(db, "BB-DOINU")
    for entry in event.entries[5:]:
        entry.withdrawn = True
    draws.make_draw(event, draws.DrawSpec(structure="knockout", rng_seed=5))
    # Three badminton pairs that beat each other by the same scores: only lots separate them.
    mixed = event_of(db, "CL-DOINU")
    a, b, c = mixed.entries[:3]
    stage = draws.create_round_robin_stage(mixed, [("A", [a, b, c])])
    winners = {frozenset((a.id, b.id)): a.id, frozenset((b.id, c.id)): b.id, frozenset((a.id, c.id)): c.id}
    for m in stage.matches:
        home_wins = winners[frozenset((m.home_entry_id, m.away_entry_id))] == m.home_entry_id
        record_result(m, [[21, 10], [21, 10]] if home_wins else [[10, 21], [10, 21]], actor="test")
    db.session.commit()
    assert text(client.get(f"/f/{SLUG}/events/BB-DOINU")).count("miễn đấu") == 3
    html = text(client.get(f"/f/{SLUG}/events/CL-DOINU"))
    assert html.count(">bốc thăm</span>") == 3


def test_provisional_results_are_marked_and_do_not_count(day, client, db):
    day.needs_confirmation = True
    db.session.commit()
    from sports.services.accounts import create_user

    referee, _ = create_user("tt-x", "referee", "mat-khau-123")
    match = next(m for m in event_of(db, "CL-DOINN").stages[0].matches if m.status != "completed")
    record_result(match, [[21, 15], [21, 17]], actor=referee)
    db.session.commit()
    assert not match.confirmed
    html = text(client.get(f"/f/{SLUG}/events/CL-DOINN"))
    assert "chờ xác nhận" in html
    assert "chờ xác nhận" in text(client.get(HOME)).split('id="latest-title"')[1]


def test_unit_page_lists_athletes_entries_results_and_medals(day, client, db):
    html = text(client.get(f"/f/{SLUG}/units/BVDK"))
    assert "<h1>Bệnh viện Đa khoa tỉnh Lâm Đồng</h1>" in html
    assert "Đoàn Hoàng Anh" in html  # the bloc's 2023 badminton winner
    medals = html.split('id="unit-medals"')[1].split('id="unit-entries"')[0]
    assert medals.count("Huy chương Vàng") == 3 and "Cầu lông – Đơn nam" in medals
    entries = html.split('id="unit-entries"')[1].split('id="unit-matches"')[0]
    assert "Bóng bàn – Đôi nam" in entries
    matches = html.split('id="unit-matches"')[1].split('id="unit-athletes"')[0]
    assert "match-item done" in matches
    unit = db.session.scalar(select(Unit).where(Unit.code == "BVDK"))
    assert html.split('id="unit-athletes"')[1].count("<tr>") == len(unit.athletes) + 1
    for missing in (f"/f/{SLUG}/units/KHONGCO", f"/f/{SLUG}/events/KHONGCO", "/f/khong-co/", "/f/khong-co/units/BVDK"):
        assert client.get(missing).status_code == 404


def test_display_has_every_panel_and_reloads_itself_without_javascript(day, client):
    html = text(client.get(f"/f/{SLUG}/display"))
    for panel in ('id="medals"', 'id="latest"', 'id="next"', 'id="courts"'):
        assert panel in html
    assert '<noscript><meta http-equiv="refresh"' in html
    assert "Sân bóng chuyền" in html and "Đang / sắp đấu" in html
    assert "/static/js/display.js" in html


def test_revision_answers_304_until_a_result_then_the_page_changes(day, client, db):
    first = client.get(f"/f/{SLUG}/revision")
    assert first.status_code == 200 and first.get_json() == {"revision": day.revision}
    tag = first.headers["ETag"]
    assert client.get(f"/f/{SLUG}/revision", headers={"If-None-Match": tag}).status_code == 304
    page = client.get(f"/f/{SLUG}/events/CL-DOINN")
    assert client.get(f"/f/{SLUG}/events/CL-DOINN", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    match = next(m for m in event_of(db, "CL-DOINN").stages[0].matches if m.status != "completed")
    record_result(match, [[21, 3], [21, 4]], actor="test")
    db.session.commit()
    again = client.get(f"/f/{SLUG}/revision", headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.get_json()["revision"] > first.get_json()["revision"]
    fresh = client.get(f"/f/{SLUG}/events/CL-DOINN", headers={"If-None-Match": page.headers["ETag"]})
    assert fresh.status_code == 200 and "21-3, 21-4" in fresh.get_data(as_text=True)
    missing = client.get("/f/khong-co/revision")
    assert missing.status_code == 404 and missing.get_json() == {"error": "Không có hội thao này."}


def test_user_text_is_escaped(day, client, db):
    unit = db.session.scalar(select(Unit).where(Unit.code == "CDC"))
    unit.name = "<script>alert(1)</script> CDC"
    day.bump()
    db.session.commit()
    for path in (HOME, f"/f/{SLUG}/units/CDC", f"/f/{SLUG}/display"):
        html = text(client.get(path))
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_matches_shown_in_order_of_play(day, client, db):
    html = text(client.get(f"/f/{SLUG}/events/CL-DOINN"))
    times = re.findall(r'class="mi-when">[^<]*?(\d\d:\d\d \d\d/\d\d)', html.split('id="upcoming-title"')[1])
    assert times
    order = [(t[-5:], t[:5]) for t in times]  # (dd/mm, hh:mm) within one year and month
    assert order == sorted(order)
    assert db.session.scalar(select(Match.id).where(Match.status == "completed")) is not None


def test_an_event_page_stays_cached_when_another_event_changes(day, client, db):
    page = client.get(f"/f/{SLUG}/events/BB-DOINAM")
    tag = page.headers["ETag"]
    match = next(m for m in event_of(db, "CL-DOINN").stages[0].matches if m.status != "completed")
    record_result(match, [[21, 8], [21, 9]], actor="test")
    db.session.commit()
    assert client.get(f"/f/{SLUG}/events/BB-DOINAM", headers={"If-None-Match": tag}).status_code == 304
    changed = client.get(f"/f/{SLUG}/events/CL-DOINN")
    assert changed.status_code == 200 and "21-8, 21-9" in changed.get_data(as_text=True)
    # A festival-wide change (a unit renamed) reaches every event page.
    from sports.services.people import UnitData, update_unit

    unit = db.session.scalar(select(Unit).where(Unit.code == "BVDK"))
    update_unit(unit, UnitData(code=unit.code, name=unit.name, short_name="BV Đa khoa LĐ"))
    db.session.commit()
    fresh = client.get(f"/f/{SLUG}/events/BB-DOINAM", headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and "BV Đa khoa LĐ" in fresh.get_data(as_text=True)


def test_api_reads_are_cached_until_their_event_changes(day, client, db):
    url = f"/api/v1/festivals/{SLUG}/events/CL-DOINN/matches"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    medals = client.get(f"/api/v1/festivals/{SLUG}/medals")
    match = next(m for m in event_of(db, "CL-DOINN").stages[0].matches if m.status != "completed")
    record_result(match, [[21, 11], [21, 12]], actor="test")
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    (row,) = [m for m in after.get_json() if m["id"] == match.id]
    assert row["sets"] == [[21, 11], [21, 12]] and row["status"] == "completed"
    # The medal table moved no placing but its festival revision did: answered again, the same.
    again = client.get(f"/api/v1/festivals/{SLUG}/medals", headers={"If-None-Match": medals.headers["ETag"]})
    assert again.status_code == 200 and again.get_json() == medals.get_json()
    assert client.get(f"/api/v1/festivals/{SLUG}/events/KHONGCO/matches").status_code == 404


def test_the_projector_shows_the_festivals_public_address(day, client, db):
    from sports.services.certificates import settings_of

    assert f"· /f/{SLUG}/</p>" in text(client.get(f"/f/{SLUG}/display"))
    row = settings_of(day)  # the row the organiser's certificate settings page edits
    row.base_url = "https://hoithao.soyte.lamdong.gov.vn/"
    day.bump()
    db.session.commit()
    assert f"https://hoithao.soyte.lamdong.gov.vn/f/{SLUG}/</p>" in text(client.get(f"/f/{SLUG}/display"))


def test_a_unit_page_stays_cached_until_one_of_its_events_or_the_medal_table_changes(day, client, db):
    from sports.models import Entry

    def playable(event):
        return [m for st in event.stages for m in st.matches
                if m.status != "completed" and m.home_entry_id and m.away_entry_id]

    # An event X with a match to play, and a unit not in X that has a match to play elsewhere.
    group, unit, own = next((x, m.home.unit, m) for x in day.events if playable(x)
                            for y in day.events if y.id != x.id for m in playable(y)
                            if m.home.unit_id not in {e.unit_id for e in x.entries})
    assert not any(e.event_id == group.id for e in db.session.scalars(select(Entry).where(Entry.unit_id == unit.id)))
    url = f"/f/{SLUG}/units/{unit.code}"
    tag = client.get(url).headers["ETag"]
    other = playable(group)[0]
    other_sets = {"volleyball": [[25, 3], [25, 4]], "badminton": [[21, 3], [21, 4]]}.get(group.sport,
                                                                                        [[11, 1], [11, 2], [11, 3]])
    record_result(other, other_sets, actor="test")  # an event the unit is not in
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    sets = {"volleyball": [[25, 3], [25, 4]], "badminton": [[21, 3], [21, 4]]}.get(own.event.sport,
                                                                                  [[11, 1], [11, 2], [11, 3]])
    record_result(own, sets, actor="test")  # one of its own
    db.session.commit()
    fresh = client.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and ", ".join(f"{a}-{b}" for a, b in sets) in fresh.get_data(as_text=True)


def _sets_for(sport: str) -> list[list[int]]:
    return {"volleyball": [[25, 3], [25, 4]], "badminton": [[21, 3], [21, 4]]}.get(sport, [[11, 1], [11, 2], [11, 3]])


def _uncached(client, url: str) -> str:
    """The page as it is computed with nothing cached anywhere (another worker, just started)."""
    from sports.services import derived
    from sports.web.public.cache import PAGES

    derived.clear()
    PAGES.clear()
    return text(client.get(url))


def test_pages_assembled_from_cached_parts_equal_pages_computed_from_scratch(day, client, db):
    """After results (a group match, a knockout one that moves placings), every public page
    built from what the cache kept and what the commit stored is the page computed anew."""
    from sports.models import Entry

    def playable(code):
        return db.session.scalars(select(Match).join(Event).where(
            Event.code == code, Match.status != "completed", Match.home_entry_id.is_not(None),
            Match.away_entry_id.is_not(None)).order_by(Match.round, Match.id)).first()

    ko = playable("BB-DOINAM")
    unit = db.session.get(Entry, ko.home_entry_id).unit.code
    urls = [HOME, f"/f/{SLUG}/display", f"/f/{SLUG}/units/{unit}", f"/f/{SLUG}/events/BB-DOINAM",
            f"/f/{SLUG}/events/CL-DOINN", f"/api/v1/festivals/{SLUG}/emulation",
            f"/api/v1/festivals/{SLUG}/medals"]
    for url in urls:
        text(client.get(url))  # warm
    for code in ("CL-DOINN", "BB-DOINAM"):
        match = playable(code)
        record_result(match, _sets_for(match.event.sport), actor="test")
        db.session.commit()
        warm = {url: text(client.get(url)) for url in urls}
        for url in urls:
            # The one difference allowed: a page kept through a result elsewhere names the
            # festival revision it was made at (live.js then takes the poll's number).
            assert _no_revision(warm[url]) == _no_revision(_uncached(client, url)), url


def _no_revision(html: str) -> str:
    return re.sub(r'data-revision="\d+"', "", html)


def test_a_unit_page_reads_again_only_the_event_that_changed(day, client, db, monkeypatch):
    from sports.models import Entry
    from sports.services import public

    calls = []
    original = public._unit_events

    def counting(unit, ids):
        calls.append(sorted(ids))
        return original(unit, ids)

    monkeypatch.setattr(public, "_unit_events", counting)
    unit = db.session.scalar(select(Unit).where(Unit.code == "BVDK"))
    events = {e.event_id for e in db.session.scalars(select(Entry).where(Entry.unit_id == unit.id))}
    match = db.session.scalars(select(Match).join(Entry, Entry.id == Match.home_entry_id).where(
        Entry.unit_id == unit.id, Match.status != "completed", Match.away_entry_id.is_not(None))).first()
    url = f"/f/{SLUG}/units/BVDK"
    text(client.get(url))
    assert calls == [sorted(events)]  # cold: every event of the unit, in one go
    record_result(match, _sets_for(match.event.sport), actor="test")
    db.session.commit()
    html = text(client.get(url))
    assert calls[1:] == [[match.event_id]]
    assert ", ".join(f"{a}-{b}" for a, b in _sets_for(match.event.sport)) in html


def test_url_each_builds_what_url_for_builds(app, day, db):
    from flask import url_for

    from sports.web.helpers import url_each

    with app.test_request_context("/"):
        units, events = url_each("public.unit", "code", slug=SLUG), url_each("public.event", "code", slug=SLUG)
        for unit in db.session.scalars(select(Unit)):
            assert units(unit.code) == url_for("public.unit", slug=SLUG, code=unit.code)
        for event in db.session.scalars(select(Event)):
            assert events(event.code) == url_for("public.event", slug=SLUG, code=event.code)
        for odd in ("A B", "Đ/1", "x?y#z", "100%"):
            assert units(odd) == url_for("public.unit", slug=SLUG, code=odd), odd


def test_the_score_table_is_computed_again_only_when_what_it_reads_of_the_festival_changes(day, client, db,
                                                                                          monkeypatch):
    from sports.services import rankings

    calls = []
    original = rankings.emulation_table

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(rankings, "emulation_table", counting)
    url = f"/api/v1/festivals/{SLUG}/emulation"
    first = client.get(url).get_json()
    assert len(first) == 11 and calls == [1]
    match = db.session.scalars(select(Match).join(Event).where(
        Event.code == "CL-DOINN", Match.status != "completed", Match.home_entry_id.is_not(None),
        Match.away_entry_id.is_not(None))).first()
    record_result(match, _sets_for("badminton"), actor="test")  # a group match: no rank, no entry moves
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": "x"})
    assert response.status_code == 200 and response.get_json() == first
    assert calls == [1]  # the festival's revision moved, the rows were not computed again

"""Making draws from the organiser's choices: structures, the recorded seed, the lock, seeds,
qualification from groups into the knockout, lots, and the bracket's open places."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from sports.models import AuditEntry, Entry, EntryAthlete, Match
from sports.services import draws as ds
from sports.services import events as ev
from sports.services import festivals as fs
from sports.services import people
from sports.services.errors import FieldErrors, RuleError
from sports.services.rankings import event_placings, group_standings
from sports.services.results import check_result, record_result, void_result

UNITS = ["BVA", "BVB", "BVC", "BVD"]


def build(db, n_entries=8, discipline="men_singles", sport="table_tennis", code="BB-DN", **event_kw):
    festival = fs.create_festival(fs.FestivalSettings(name="Hội thao thử", slug="thu-2025", place="Đà Lạt",
                                                      start_date=date(2025, 5, 10), end_date=date(2025, 5, 11)))
    for u in UNITS:
        people.create_unit(festival, people.UnitData(u, f"Bệnh viện {u}"))
    event = ev.create_event(festival, ev.EventSettings(code, sport, discipline, **event_kw))
    units = {u.code: u for u in festival.units}
    for i in range(n_entries):
        unit = units[UNITS[i % len(UNITS)]]
        athlete = people.create_athlete(festival, people.AthleteData(unit.code, f"Nguyễn Văn {chr(65 + i)}", "M", 1980 + i))
        entry = Entry(event=event, unit=unit, ref=f"e{i + 1}", position=i)
        entry.members.append(EntryAthlete(athlete=athlete, position=0))
        db.session.add(entry)
    db.session.flush()
    db.session.refresh(event)
    db.session.commit()
    return festival, event


def win(match, home_wins=True):
    sets = [[11, 5], [11, 6], [11, 7]]
    record_result(match, sets if home_wins else [[b, a] for a, b in sets])


def test_round_robin_draw_makes_every_group_match_and_records_the_seed(db):
    festival, event = build(db, 5)
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=42))
    db.session.commit()
    assert len(event.stages) == 1 and event.stages[0].rng_seed == 42
    assert len(event.stages[0].matches) == 10  # 5 entries: 5·4/2
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "draw.make"))
    assert row.after["rng_seed"] == 42 and row.after["structure"] == "round_robin"


def test_the_same_seed_gives_the_same_draw_and_a_new_one_is_recorded(db):
    festival, event = build(db, 12)
    ds.make_draw(event, ds.DrawSpec("knockout", rng_seed=7))
    first = list(event.stages[0].draw)
    ds.make_draw(event, ds.DrawSpec("knockout", rng_seed=7))
    assert list(event.stages[0].draw) == first
    ds.make_draw(event, ds.DrawSpec("knockout"))  # a new random seed
    db.session.commit()
    seeds = [r.after["rng_seed"] for r in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "draw.make"))]
    assert seeds[:2] == [7, 7] and isinstance(seeds[2], int)
    assert len(event.stages) == 1  # regenerating replaces the draw


def test_knockout_draw_places_seeds_and_byes_and_rows_for_the_whole_bracket(db):
    festival, event = build(db, 6)
    by_ref = {e.ref: e for e in event.entries}
    ds.set_seeds(event, {by_ref["e3"].id: 1, by_ref["e5"].id: 2})
    ds.make_draw(event, ds.DrawSpec("knockout", rng_seed=1))
    db.session.commit()
    draw = event.stages[0].draw
    assert len(draw) == 8 and draw[0] == by_ref["e3"].id and draw[-1] == by_ref["e5"].id
    assert draw[1] is None and draw[-2] is None  # the byes face the seeds
    rows = event.stages[0].matches
    assert sorted((m.round, m.position) for m in rows) == [(1, 1), (1, 2), (2, 0), (2, 1), (3, 0)]
    view = ds.bracket_view(event.stages[0])
    assert view[1][0].home.entry.id == by_ref["e3"].id  # the seed went through its bye
    assert view[1][0].away.text == "Thắng trận 2 tứ kết"
    assert view[2][0].home.text == "Thắng trận 1 bán kết"


@pytest.mark.parametrize("seeds, message", [
    ({"e1": 1, "e2": 1}, "Hạt giống số 1 được gán cho hai VĐV/đôi/đội."),
    ({"e1": 2}, "Hạt giống phải đánh số liên tiếp từ 1"),
    ({"e1": 99}, "Số hạt giống là số từ 1 đến 6."),
])
def test_seed_refusals_store_nothing(db, seeds, message):
    festival, event = build(db, 6)
    by_ref = {e.ref: e for e in event.entries}
    with pytest.raises(FieldErrors) as info:
        ds.set_seeds(event, {by_ref[k].id: v for k, v in seeds.items()})
    db.session.rollback()
    assert any(message in m for m in info.value.messages), info.value.messages
    assert db.session.scalar(select(func.count()).select_from(Entry).where(Entry.seed.is_not(None))) == 0


@pytest.mark.parametrize("spec, field, message", [
    (ds.DrawSpec("groups", groups=5), "groups", "Không chia được 8 VĐV/đôi/đội thành 5 bảng"),
    (ds.DrawSpec("groups_knockout", groups=3, qualifiers=2), "qualifiers", "Chưa hỗ trợ ghép 3 bảng"),
    (ds.DrawSpec("knockout", separation="nhat"), "separation", "Chọn mức tách đơn vị"),
    (ds.DrawSpec("knockout", seeds=9), "seeds", "Số hạt giống phải từ 0 đến 8."),
    (ds.DrawSpec("knockout", rng_seed=-1), "rng_seed", "Mã bốc thăm là số từ 0 đến"),
])
def test_draw_refusals_store_nothing(db, spec, field, message):
    festival, event = build(db, 8)
    with pytest.raises(FieldErrors) as info:
        ds.make_draw(event, spec)
    db.session.rollback()
    assert any(message in m for m in info.value.fields[field]), info.value.fields
    assert db.session.scalar(select(func.count()).select_from(Match)) == 0


def test_a_locked_draw_or_a_played_one_cannot_be_made_again(db):
    festival, event = build(db, 4)
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=3))
    ds.set_locked(event, True)
    db.session.commit()
    with pytest.raises(RuleError, match="Ban tổ chức đã khóa sơ đồ"):
        ds.make_draw(event, ds.DrawSpec("round_robin"))
    ds.set_locked(event, False)
    win(event.stages[0].matches[0])
    db.session.commit()
    assert ds.lock_reason(event).startswith("Nội dung đã có kết quả thi đấu")
    with pytest.raises(RuleError, match="không bốc thăm lại được"):
        ds.make_draw(event, ds.DrawSpec("round_robin"))
    with pytest.raises(RuleError, match="không mở khóa được"):
        ds.set_locked(event, False)
    with pytest.raises(RuleError):
        ds.set_seeds(event, {event.entries[0].id: 1})


def test_groups_then_knockout_qualifiers_by_the_crossover(db):
    festival, event = build(db, 8, code="BB-DN")
    ds.make_draw(event, ds.DrawSpec("groups_knockout", groups=2, qualifiers=2, rng_seed=11))
    db.session.commit()
    groups_stage, ko = event.stages
    assert ko.draw == [] and ko.draw_labels == ["A1", "B2", "B1", "A2"]
    assert [[s.home.text, s.away.text] for s in ds.bracket_view(ko)[0]] == [
        ["Nhất bảng A", "Nhì bảng B"], ["Nhất bảng B", "Nhì bảng A"]]
    assert len(ko.matches) == 3 and all(m.home is None for m in ko.matches)  # schedulable already
    q = ds.qualification(event)
    assert not q.ready and q.waiting == ["Bảng A còn 6 trận chưa có kết quả.", "Bảng B còn 6 trận chưa có kết quả."]
    with pytest.raises(RuleError, match="Bảng A còn 6 trận"):
        ds.confirm_qualification(event)
    # Play every group: the entry listed first in the group wins all its matches, and so on.
    for gs in group_standings(event, groups_stage):
        order = [m.entry_id for m in gs.group.members]
        for m in [m for m in groups_stage.matches if m.group_id == gs.group.id]:
            win(m, home_wins=order.index(m.home_entry_id) < order.index(m.away_entry_id))
    db.session.commit()
    q = ds.qualification(event)
    assert q.ready
    firsts = {g.name: [m.entry_id for m in g.members] for g in groups_stage.groups}
    assert [e.id for _, e in q.lines] == [firsts["A"][0], firsts["B"][1], firsts["B"][0], firsts["A"][1]]
    ds.confirm_qualification(event)
    db.session.commit()
    assert ko.draw == [e.id for _, e in q.lines]
    semis = sorted((m for m in ko.matches if m.round == 1), key=lambda m: m.position)
    assert [{m.home_entry_id, m.away_entry_id} for m in semis] == [
        {firsts["A"][0], firsts["B"][1]}, {firsts["B"][0], firsts["A"][1]}]
    assert len(ko.matches) == 3  # the placeholder rows were filled, not duplicated
    with pytest.raises(RuleError, match="đã được xác nhận"):
        ds.confirm_qualification(event)


def _confirmed_groups_knockout(db):
    """Two groups of four (the first listed in each wins all its matches), qualifiers confirmed."""
    festival, event = build(db, 8, code="BB-DN")
    ds.make_draw(event, ds.DrawSpec("groups_knockout", groups=2, qualifiers=2, rng_seed=11))
    groups_stage, ko = event.stages
    for gs in group_standings(event, groups_stage):
        order = [m.entry_id for m in gs.group.members]
        for m in [m for m in groups_stage.matches if m.group_id == gs.group.id]:
            win(m, home_wins=order.index(m.home_entry_id) < order.index(m.away_entry_id))
    ds.confirm_qualification(event)
    db.session.commit()
    return event, groups_stage, ko, {g.name: [m.entry_id for m in g.members] for g in groups_stage.groups}


def _sides(ko):
    return sorted(({m.home_entry_id, m.away_entry_id} for m in ko.matches if m.round == 1),
                  key=lambda pair: sorted(x or 0 for x in pair))


def test_a_corrected_group_result_moves_the_new_qualifier_into_the_knockout(db):
    event, groups_stage, ko, order = _confirmed_groups_knockout(db)
    a = order["A"]
    b = order["B"]
    assert _sides(ko) == sorted([{a[0], b[1]}, {b[0], a[1]}], key=lambda p: sorted(p))
    second_v_third = next(m for m in groups_stage.matches if {m.home_entry_id, m.away_entry_id} == {a[1], a[2]})
    sets = [[11, 5], [11, 6], [11, 7]]
    flipped = sets if second_v_third.home_entry_id == a[2] else [[y, x] for x, y in sets]
    record_result(second_v_third, [[11, 5], [11, 6], [11, 8]] if second_v_third.home_entry_id == a[1]
                  else [[5, 11], [6, 11], [8, 11]], reason="sửa điểm ván 3")  # same winner: nothing moves
    db.session.commit()
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "draw.requalify"))
    record_result(second_v_third, flipped, reason="ghi nhầm bên thắng")  # now A3 is second
    db.session.commit()
    assert ko.draw == [a[0], b[1], b[0], a[2]]
    assert _sides(ko) == sorted([{a[0], b[1]}, {b[0], a[2]}], key=lambda p: sorted(p))
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "draw.requalify"))
    assert row.before["draw"] == [a[0], b[1], b[0], a[1]] and row.after["draw"] == ko.draw

    # Once the knockout has a result, a correction that changes who went through is refused.
    semi = next(m for m in ko.matches if m.round == 1)
    win(semi)
    db.session.commit()
    with pytest.raises(RuleError, match="vòng đó đã có kết quả"):
        record_result(second_v_third, [[y, x] for x, y in flipped], reason="lại nhầm")
    db.session.rollback()
    db.session.expire_all()
    assert ko.draw == [a[0], b[1], b[0], a[2]] and second_v_third.winner_entry_id == a[2]


def test_a_winner_the_sets_contradict_is_named_not_numbered(db):
    event, groups_stage, ko, order = _confirmed_groups_knockout(db)
    match = groups_stage.matches[0]
    home, away = match.home, match.away
    with pytest.raises(RuleError) as info:
        check_result(match, [[11, 5], [11, 6], [11, 7]], "normal", away.id)
    message = " ".join(info.value.messages)
    assert f"bên thắng “{away.display_name}” không khớp với tỉ số" in message
    assert f"“{home.display_name}” thắng 3-0" in message and str(away.id) not in message.split(":")[0]


def test_a_group_result_taken_off_sends_the_knockout_back_to_waiting(db):
    event, groups_stage, ko, order = _confirmed_groups_knockout(db)
    match = next(m for m in groups_stage.matches if m.group_id == groups_stage.groups[0].id)
    void_result(match, reason="trận đấu lại")
    db.session.commit()
    assert ko.draw == [] and all(m.home_entry_id is None and m.away_entry_id is None for m in ko.matches)
    assert [[s.home.text, s.away.text] for s in ds.bracket_view(ko)[0]] == [
        ["Nhất bảng A", "Nhì bảng B"], ["Nhất bảng B", "Nhì bảng A"]]
    win(match, home_wins=order["A"].index(match.home_entry_id) < order["A"].index(match.away_entry_id))
    ds.confirm_qualification(event)  # played again: the organiser confirms the qualifiers again
    db.session.commit()
    assert len(ko.draw) == 4


def test_lots_decide_a_perfect_tie_and_placings_follow(db):
    festival, event = build(db, 3, ranking_preset="ittf")
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=5))
    stage = event.stages[0]
    group = stage.groups[0]
    a, b, c = [m.entry_id for m in group.members]
    beats = {(a, b), (b, c), (c, a)}  # a circle, every match 3-0 with the same points
    with pytest.raises(RuleError, match="không có đội nào phải bốc thăm"):
        ds.record_lots(group, [a, b, c])  # still playing: nothing to draw yet
    for m in stage.matches:
        win(m, home_wins=(m.home_entry_id, m.away_entry_id) in beats)
    db.session.commit()
    assert sorted(ds.tied_without_lots(group)) == sorted([a, b, c])
    assert event_placings(event) == []  # only lots can separate them: no placing yet
    with pytest.raises(RuleError, match="mỗi đội đồng hạng đúng một lần"):
        ds.record_lots(group, [a, b])
    ds.record_lots(group, [c, a, b])
    db.session.commit()
    assert [(p.place, int(p.entry)) for p in event_placings(event)] == [(1, c), (2, a), (3, b)]
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "draw.lots"))
    assert row.after == [c, a, b] and row.before == []
    ds.record_lots(group, [a, b, c])  # a corrected lot
    db.session.commit()
    assert [int(p.entry) for p in event_placings(event)] == [a, b, c]


def test_playoff_event_gets_a_third_place_row(db):
    festival, event = build(db, 4, third_place="playoff")
    ds.make_draw(event, ds.DrawSpec("knockout", rng_seed=2))
    db.session.commit()
    assert sorted((m.round, m.position, m.is_playoff) for m in event.stages[0].matches) == [
        (1, 0, False), (1, 1, False), (2, 0, False), (2, 1, True)]
    sides = ds.match_sides(event.stages[0].matches)
    playoff = next(m for m in event.stages[0].matches if m.is_playoff)
    assert sides[playoff.id] == ("Thua trận 1 bán kết", "Thua trận 2 bán kết")


def test_changing_the_third_place_after_the_draw_adds_or_removes_the_playoff_row(db):
    from sports.services.errors import FieldErrors

    festival, event = build(db, 4, third_place="shared")
    ds.make_draw(event, ds.DrawSpec("knockout", rng_seed=2))
    db.session.commit()
    stage = event.stages[0]

    def playoffs():
        db.session.expire_all()
        return [m for m in db.session.get(type(stage), stage.id).matches if m.is_playoff]

    def set_third(value):
        data = ev.settings_of(event)
        data.third_place = value
        ev.update_event(event, data)
        db.session.commit()

    assert playoffs() == []
    set_third("playoff")
    assert [(m.round, m.position) for m in playoffs()] == [(2, 1)]
    set_third("shared")
    assert playoffs() == []
    set_third("shared")
    semis = sorted((m for m in stage.matches if m.round == 1), key=lambda m: m.position)
    for m in semis:
        win(m)
    db.session.commit()
    set_third("playoff")  # after the semi-finals: the play-off has their losers at once
    losers = {m.away_entry_id for m in semis}
    assert {playoffs()[0].home_entry_id, playoffs()[0].away_entry_id} == losers
    win(playoffs()[0])
    db.session.commit()
    data = ev.settings_of(event)
    data.third_place = "shared"
    with pytest.raises(FieldErrors) as info:
        ev.update_event(event, data)
    db.session.rollback()
    assert info.value.fields["third_place"] == [
        "Trận tranh hạng Ba đã đấu hoặc có kết quả: không đổi được cách xác định hạng Ba."]
    assert len(playoffs()) == 1 and playoffs()[0].status == "completed"


def test_the_api_shows_a_place_decided_by_lot(db, client):
    festival, event = build(db, 3, ranking_preset="ittf")
    ds.make_draw(event, ds.DrawSpec("round_robin", rng_seed=5))
    group = event.stages[0].groups[0]
    a, b, c = [m.entry_id for m in group.members]
    for m in event.stages[0].matches:
        win(m, home_wins=(m.home_entry_id, m.away_entry_id) in {(a, b), (b, c), (c, a)})
    db.session.commit()
    rows = client.get(f"/api/v1/festivals/{festival.slug}/events/{event.code}/standings").get_json()["groups"][0]["rows"]
    assert [(r["tied"], r["by_lot"]) for r in rows] == [(True, False)] * 3
    ds.record_lots(group, [b, c, a])
    db.session.commit()
    rows = client.get(f"/api/v1/festivals/{festival.slug}/events/{event.code}/standings").get_json()["groups"][0]["rows"]
    assert [(r["rank"], r["tied"], r["by_lot"]) for r in rows] == [(1, False, True), (2, False, True), (3, False, True)]


def _second_v_third(db):
    event, groups_stage, ko, order = _confirmed_groups_knockout(db)
    a = order["A"]
    match = next(m for m in groups_stage.matches if {m.home_entry_id, m.away_entry_id} == {a[1], a[2]})
    sets = [[11, 5], [11, 6], [11, 7]]
    return event, groups_stage, ko, a, match, sets if match.home_entry_id == a[2] else [[y, x] for x, y in sets]


def test_a_phone_correction_with_a_submission_id_reaches_the_knockout_through_warm_standings(db):
    """The submission id's SAVEPOINT ends inside the write: that is not the write's end, so the
    cached standings (someone viewed the event) must not be read for the correction."""
    event, groups_stage, ko, a, match, flipped = _second_v_third(db)
    group_standings(event, groups_stage)  # the event page was viewed: standings cached
    record_result(match, flipped, reason="ghi nhầm bên thắng", submission_id="abcdefgh-123")
    db.session.commit()
    db.session.expire_all()
    assert ko.draw[3] == a[2]


def test_a_refused_correction_neither_bypasses_the_refusal_nor_poisons_the_cache(db):
    from sports.services import derived

    event, groups_stage, ko, a, match, flipped = _second_v_third(db)
    win(next(m for m in ko.matches if m.round == 1))
    db.session.commit()
    before = [r.entry for r in group_standings(event, groups_stage)[0].rows]
    with pytest.raises(RuleError, match="vòng đó đã có kết quả"):
        record_result(match, flipped, reason="x", submission_id="abcdefgh-123")  # standings warm
    db.session.rollback()
    derived.clear()
    with pytest.raises(RuleError, match="vòng đó đã có kết quả"):
        record_result(match, flipped, reason="x", submission_id="abcdefgh-456")  # standings cold
    db.session.rollback()
    db.session.expire_all()
    assert match.winner_entry_id == a[1]
    assert [r.entry for r in group_standings(event, groups_stage)[0].rows] == before

"""Organiser setup services: festivals, current festival, units, athletes, events, replacing a festival.

Each refusal asserts its message and that nothing was stored.
"""
from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sports.models import Athlete, AuditEntry, Entry, EntryAthlete, Event, Festival, Unit
from sports.services import events as ev
from sports.services import festivals as fs
from sports.services import people
from sports.services.errors import FieldErrors
from sports.services.accounts import create_user
from sports.services.results import record_result

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "small-festival.json"


def make_festival(db, slug="hoi-thao-2024", **kw) -> Festival:
    data = fs.FestivalSettings(name=kw.pop("name", "Hội thao ngành Y tế 2024"), slug=slug, place="Lâm Đồng",
                               start_date=date(2024, 11, 20), end_date=date(2024, 11, 22), **kw)
    festival = fs.create_festival(data)
    db.session.commit()
    return festival


def refused(db, fn, *args) -> dict[str, list[str]]:
    with pytest.raises(FieldErrors) as info:
        fn(*args)
    db.session.rollback()
    return info.value.fields


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------------------- festivals

def test_create_festival_stores_settings_and_audits(db):
    festival = make_festival(db, medal_mode="points", medal_points=[7, 5, 4], overall_tiers=[1, 2, 0],
                             max_events_per_athlete=3, needs_confirmation=True)
    assert festival.overall_tiers == [1, 2]  # trailing empty tiers dropped
    assert festival.medal_points == [7, 5, 4] and festival.needs_confirmation
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "festival.create"))
    assert row.festival_id == festival.id and row.after["max_events_per_athlete"] == 3


@pytest.mark.parametrize("changes, field, message", [
    ({"name": "   "}, "name", "Nhập tên hội thao."),
    ({"end_date": date(2024, 11, 1)}, "end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
    ({"medal_mode": "points", "medal_points": []}, "medal_points", "cần điểm cho từng hạng"),
    ({"medal_mode": "points", "medal_points": [5, 7]}, "medal_points", "không được cao hơn hạng trước"),
    ({"overall_tiers": [0, 1, 1]}, "overall_tiers", "mỗi mức ít nhất một đơn vị"),
    ({"max_events_per_athlete": 0}, "max_events_per_athlete", "Phải từ 1 trở lên"),
    ({"slug": "Có Dấu"}, "slug", "chữ thường không dấu"),
])
def test_festival_refusals_store_nothing(db, changes, field, message):
    data = fs.FestivalSettings(name="Hội thao", slug="ht-2024", start_date=date(2024, 11, 20),
                               end_date=date(2024, 11, 22))
    for k, v in changes.items():
        setattr(data, k, v)
    fields = refused(db, fs.create_festival, data)
    assert any(message in m for m in fields[field]), fields
    assert count(db, Festival) == 0


def test_duplicate_slug_refused(db):
    make_festival(db)
    fields = refused(db, fs.create_festival, fs.FestivalSettings(name="Khác", slug="hoi-thao-2024"))
    assert fields["slug"] == ["Đã có hội thao mã “hoi-thao-2024”: chọn mã khác."]
    assert count(db, Festival) == 1


def test_update_records_only_changed_settings(db):
    festival = make_festival(db)
    revision = festival.revision
    data = fs.FestivalSettings(**{k: getattr(festival, k) for k in fs.EDITABLE})
    data.place = "Đà Lạt"
    fs.update_festival(festival, data)
    db.session.commit()
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "festival.update"))
    assert row.before == {"place": "Lâm Đồng"} and row.after == {"place": "Đà Lạt"}
    assert festival.revision == revision + 1


def test_current_festival_is_the_marked_one_not_the_latest(db):
    old = make_festival(db, slug="ht-2023", name="Hội thao 2023")
    old.start_date = date(2023, 11, 25)
    new = make_festival(db, slug="ht-2025", name="Hội thao 2025")
    new.start_date = date(2025, 11, 25)
    db.session.commit()
    assert fs.current_festival().slug == "ht-2025"  # nothing marked: the latest
    fs.set_current(old)
    db.session.commit()
    assert fs.current_festival().slug == "ht-2023"
    fs.set_current(new)
    db.session.commit()
    assert [f.slug for f in db.session.scalars(select(Festival).where(Festival.is_current))] == ["ht-2025"]


# ------------------------------------------------------------------------------- units

def test_units_sorted_in_vietnamese_order_and_searchable(db):
    festival = make_festival(db)
    for code, name in [("TTYT", "Trung tâm Y tế"), ("BVDK", "Bệnh viện Đa khoa"), ("BVD", "Bệnh viện Da liễu"),
                       ("CDC", "Chi cục Dân số")]:
        people.create_unit(festival, people.UnitData(code, name))
    db.session.commit()
    assert [u.code for u in people.units(festival)] == ["BVD", "BVDK", "CDC", "TTYT"]  # Da < Đa
    assert [u.code for u in people.units(festival, "da khoa")] == ["BVDK"]  # accents optional
    assert [u.code for u in people.units(festival, "Đa khoa")] == ["BVDK"]


def test_unit_names_stored_nfc(db):
    festival = make_festival(db)
    decomposed = unicodedata.normalize("NFD", "Bệnh viện  Nhi")
    unit = people.create_unit(festival, people.UnitData("NHI", decomposed))
    db.session.commit()
    assert unit.name == "Bệnh viện Nhi" and unicodedata.is_normalized("NFC", unit.name)


@pytest.mark.parametrize("code, name, field, message", [
    ("BV DK", "Bệnh viện", "code", "Mã đơn vị dùng chữ không dấu"),
    ("bvdk", "Bệnh viện khác", "code", "Mã “bvdk” đã dùng cho Bệnh viện Đa khoa."),
    ("BV2", "bệnh viện đa khoa", "name", "Đã có đơn vị tên “Bệnh viện Đa khoa” (mã BVDK)."),
    ("BV3", "", "name", "Nhập tên đơn vị."),
])
def test_unit_refusals(db, code, name, field, message):
    festival = make_festival(db)
    people.create_unit(festival, people.UnitData("BVDK", "Bệnh viện Đa khoa"))
    db.session.commit()
    fields = refused(db, people.create_unit, festival, people.UnitData(code, name))
    assert any(message in m for m in fields[field]), fields
    assert count(db, Unit) == 1


def _unit_with_entries(db):
    festival = make_festival(db)
    unit = people.create_unit(festival, people.UnitData("BVDK", "Bệnh viện Đa khoa"))
    a = people.create_athlete(festival, people.AthleteData("BVDK", "Trần Văn An", "M", 1985))
    b = people.create_athlete(festival, people.AthleteData("BVDK", "Lê Văn Bình", "M", 1990))
    singles = ev.create_event(festival, ev.EventSettings("CL-DNAM", "badminton", "men_singles"))
    doubles = ev.create_event(festival, ev.EventSettings("CL-DOINAM", "badminton", "men_doubles"))
    team = ev.create_event(festival, ev.EventSettings("BC-NAM", "volleyball", "men_team"))
    entries = []
    for event, members in ((singles, [a]), (doubles, [a, b]), (team, [a, b])):
        entry = Entry(event=event, unit=unit, ref=f"{event.code}-1")
        for i, m in enumerate(members):
            entry.members.append(EntryAthlete(athlete=m, position=i))
        db.session.add(entry)
        entries.append(entry)
    db.session.commit()
    return festival, unit, a, b, entries


def test_withdrawing_a_unit_withdraws_its_entries_and_restoring_brings_them_back(db):
    festival, unit, a, b, entries = _unit_with_entries(db)
    assert people.set_unit_withdrawn(unit, True, "không đủ người") == 3
    db.session.commit()
    assert all(e.withdrawn for e in entries) and unit.withdrawn
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.withdraw"))
    assert row.reason == "không đủ người"
    assert people.set_unit_withdrawn(unit, False) == 3
    db.session.commit()
    assert not any(e.withdrawn for e in entries)
    fields = refused(db, people.create_athlete, festival, people.AthleteData("BVDK", "Người Mới", "M", 1980)) \
        if people.set_unit_withdrawn(unit, True) else {}
    assert fields["unit_code"] == ["Bệnh viện Đa khoa đã rút khỏi hội thao: không nhận thêm vận động viên."]


def test_withdrawing_an_athlete_withdraws_singles_and_pairs_but_not_team_rosters(db):
    festival, unit, a, b, (singles, doubles, team) = _unit_with_entries(db)
    assert people.set_athlete_withdrawn(a, True) == 2
    db.session.commit()
    assert singles.withdrawn and doubles.withdrawn and not team.withdrawn
    assert people.set_athlete_withdrawn(a, False) == 2
    db.session.commit()
    assert not singles.withdrawn and not doubles.withdrawn


def test_restoring_a_unit_brings_back_its_team_even_with_a_withdrawn_player(db):
    """A withdrawn player leaves the team's roster as it is, so the team comes back with its
    unit; the player's own singles and pair stay withdrawn."""
    festival, unit, a, b, (singles, doubles, team) = _unit_with_entries(db)
    assert people.set_athlete_withdrawn(a, True) == 2
    assert people.set_unit_withdrawn(unit, True) == 1  # only the team was still in
    db.session.commit()
    assert team.withdrawn and singles.withdrawn and doubles.withdrawn
    assert people.set_unit_withdrawn(unit, False) == 1
    db.session.commit()
    assert not team.withdrawn and singles.withdrawn and doubles.withdrawn


def test_an_entered_athletes_gender_and_birth_year_must_still_fit_their_events(db):
    festival, unit, a, b, (singles, doubles, team) = _unit_with_entries(db)
    singles.event.birth_year_min = 1980  # the singles is for players born in 1980 or later
    db.session.commit()

    def edit(**change):
        data = people.AthleteData("BVDK", a.name, a.gender, a.birth_year)
        for key, value in change.items():
            setattr(data, key, value)
        return refused(db, people.update_athlete, a, data)

    fields = edit(gender="F")
    assert fields["gender"] == [
        "Trần Văn An đang thi đấu nội dung Cầu lông – Đơn nam: Đơn nam chỉ dành cho nam. "
        "Rút khỏi nội dung đó trước khi đổi giới tính.",
        "Trần Văn An đang thi đấu nội dung Cầu lông – Đôi nam: Đôi nam chỉ dành cho nam. "
        "Rút khỏi nội dung đó trước khi đổi giới tính.",
        "Trần Văn An đang thi đấu nội dung Bóng chuyền nam: Đồng đội nam chỉ dành cho nam. "
        "Rút khỏi nội dung đó trước khi đổi giới tính."]
    assert edit(birth_year=1975)["birth_year"] == [
        "Trần Văn An đang thi đấu nội dung Cầu lông – Đơn nam (sinh từ năm 1980 trở về sau): năm sinh 1975 "
        "ngoài độ tuổi đó. Rút khỏi nội dung đó trước khi sửa."]
    assert edit(birth_year=None)["birth_year"] == [
        "Trần Văn An đang thi đấu nội dung Cầu lông – Đơn nam (sinh từ năm 1980 trở về sau): "
        "nội dung này cần biết năm sinh."]
    db.session.expire_all()
    assert (a.gender, a.birth_year) == ("M", 1985)  # every refusal changed nothing
    people.update_athlete(a, people.AthleteData("BVDK", a.name, "M", 1982))  # still in the band
    db.session.commit()
    assert a.birth_year == 1982
    # Out of the singles and the pair (withdrawn), only the team still holds the gender.
    assert people.set_athlete_withdrawn(a, True) == 2
    db.session.commit()
    assert len(edit(gender="F")["gender"]) == 1 and people.update_athlete(
        a, people.AthleteData("BVDK", a.name, "M", 1970)).birth_year == 1970
    db.session.commit()
    # Edited while withdrawn (born 1970, out of the singles' band): restored, the singles stays out.
    assert people.set_athlete_withdrawn(a, False) == 1
    db.session.commit()
    assert singles.withdrawn and not doubles.withdrawn


# ---------------------------------------------------------------------------- athletes

def test_athletes_sorted_by_given_name_and_searchable_without_accents(db):
    festival = make_festival(db)
    people.create_unit(festival, people.UnitData("BVDK", "Bệnh viện Đa khoa"))
    for name in ("Nguyễn Văn Bình", "Trần Thị Ánh", "Lê Văn An", "Đỗ Minh Đức", "Phạm Văn Dũng"):
        people.create_athlete(festival, people.AthleteData("BVDK", name, "M", 1980))
    db.session.commit()
    assert [a.name for a in people.athletes(festival)] == [
        "Lê Văn An", "Trần Thị Ánh", "Nguyễn Văn Bình", "Phạm Văn Dũng", "Đỗ Minh Đức"]
    assert [a.name for a in people.athletes(festival, "nguyen")] == ["Nguyễn Văn Bình"]
    assert [a.name for a in people.athletes(festival, "DUC")] == ["Đỗ Minh Đức"]


@pytest.mark.parametrize("data, field, message", [
    (("", "Trần Văn An", "M", 1985), "unit_code", "Chọn đơn vị của vận động viên."),
    (("BVDK", "  ", "M", 1985), "name", "Nhập họ và tên."),
    (("BVDK", "=HYPERLINK(1)", "M", 1985), "name", "không chứa chữ số hay công thức"),
    (("BVDK", "Trần Văn An", "X", 1985), "gender", "Chọn giới tính: Nam hoặc Nữ."),
    (("BVDK", "Trần Văn An", "M", 85), "birth_year", "Năm sinh là năm có bốn chữ số"),
    (("BVDK", "trần  văn an", "M", 1990), "name", "BVĐK đã có vận động viên Trần Văn An sinh năm 1990."),
])
def test_athlete_refusals(db, data, field, message):
    festival = make_festival(db)
    people.create_unit(festival, people.UnitData("BVDK", "Bệnh viện Đa khoa", "BVĐK"))
    people.create_athlete(festival, people.AthleteData("BVDK", "Trần Văn An", "M", 1990))
    db.session.commit()
    fields = refused(db, people.create_athlete, festival, people.AthleteData(*data))
    assert any(message in m for m in fields[field]), fields
    assert count(db, Athlete) == 1


def test_same_name_other_birth_year_is_another_person(db):
    festival = make_festival(db)
    people.create_unit(festival, people.UnitData("BVDK", "Bệnh viện Đa khoa"))
    people.create_athlete(festival, people.AthleteData("BVDK", "Trần Văn An", "M", 1990))
    people.create_athlete(festival, people.AthleteData("BVDK", "Trần Văn An", "M", 1975))
    db.session.commit()
    assert count(db, Athlete) == 2
    assert len({a.ref for a in festival.athletes}) == 2


def test_athlete_with_entries_cannot_move_unit(db):
    festival, unit, a, b, _ = _unit_with_entries(db)
    people.create_unit(festival, people.UnitData("CDC", "Trung tâm Kiểm soát bệnh tật"))
    db.session.commit()
    fields = refused(db, people.update_athlete, a, people.AthleteData("CDC", a.name, "M", a.birth_year))
    assert "hủy các nội dung đó trước khi đổi đơn vị" in fields["unit_code"][0]
    assert db.session.get(Athlete, a.id).unit.code == "BVDK"


# ------------------------------------------------------------------------------ events

def test_standard_events_in_one_action_and_repeatable(db):
    festival = make_festival(db, max_entries_per_unit=2)
    created = ev.create_standard_events(festival)
    db.session.commit()
    assert [e.code for e in created] == [c for c, _, _ in ev.STANDARD_EVENTS]
    by_code = {e.code: e for e in festival.events}
    assert by_code["BC-NAM"].name == "Bóng chuyền nam" and by_code["BC-NAM"].roster_min == 6
    assert by_code["CL-DOINN"].name == "Cầu lông – Đôi nam nữ"
    assert (by_code["CL-DNAM"].points, by_code["CL-DNAM"].cap) == (21, 30)
    assert (by_code["BC-NU"].best_of, by_code["BC-NU"].deciding_points) == (3, 15)
    assert by_code["BB-DNU"].ranking_preset == "ittf" and by_code["BB-DNU"].max_entries_per_unit == 2
    assert ev.create_standard_events(festival) == []
    db.session.commit()
    assert count(db, Event) == 12


def test_badminton_short_format_gets_its_cap(db):
    festival = make_festival(db)
    event = ev.create_event(festival, ev.EventSettings("CL-45", "badminton", "men_singles",
                                                       name="Đơn nam trên 45 tuổi", points=15, birth_year_max=1979))
    db.session.commit()
    assert (event.points, event.cap, event.birth_year_max) == (15, 21, 1979)


@pytest.mark.parametrize("settings, field, message", [
    (dict(code="CL DN"), "code", "Mã nội dung dùng chữ không dấu"),
    (dict(best_of=4), "format", "phải là số lẻ"),
    (dict(points=21, cap=20), "format", "phải lớn hơn số điểm mỗi ván"),
    (dict(ranking_preset="abc"), "ranking_preset", "Chọn cách xếp hạng vòng tròn"),
    (dict(third_place="maybe"), "third_place", "Chọn cách xác định hạng Ba."),
    (dict(birth_year_min=1990, birth_year_max=1980), "birth_year_max", "không nhỏ hơn năm sinh “từ”"),
    (dict(max_entries_per_unit=0), "max_entries_per_unit", "Phải từ 1 trở lên"),
])
def test_event_refusals(db, settings, field, message):
    festival = make_festival(db)
    data = ev.EventSettings("CL-DN", "badminton", "men_singles")
    for k, v in settings.items():
        setattr(data, k, v)
    fields = refused(db, ev.create_event, festival, data)
    assert any(message in m for m in fields[field]), fields
    assert count(db, Event) == 0


def test_team_roster_limits_checked(db):
    festival = make_festival(db)
    fields = refused(db, ev.create_event, festival,
                     ev.EventSettings("BC", "volleyball", "men_team", roster_min=12, roster_max=6))
    assert fields["roster_max"] == ["Số vận động viên tối đa phải không nhỏ hơn tối thiểu."]


def test_format_of_an_event_with_results_cannot_change(db):
    festival, unit, a, b, _ = _unit_with_entries(db)
    other = people.create_unit(festival, people.UnitData("CDC", "Trung tâm Kiểm soát bệnh tật"))
    c = people.create_athlete(festival, people.AthleteData("CDC", "Võ Văn Cường", "M", 1988))
    event = ev.get_event(festival, "CL-DNAM")
    entry = Entry(event=event, unit=other, ref="CL-DNAM-2")
    entry.members.append(EntryAthlete(athlete=c, position=0))
    db.session.add(entry)
    db.session.flush()
    from sports.services.draws import create_round_robin_stage

    stage = create_round_robin_stage(event, [("A", list(event.entries))])
    record_result(stage.matches[0], [[21, 15], [21, 18]])
    db.session.commit()
    data = ev.settings_of(event)
    data.points = 15
    fields = refused(db, ev.update_event, event, data)
    assert fields["format"][0].startswith("Nội dung đã có kết quả thi đấu: không thể đổi thể thức")
    assert db.session.get(Event, event.id).points == 21
    data = ev.settings_of(db.session.get(Event, event.id))
    data.name = "Cầu lông – Đơn nam (mở rộng)"
    ev.update_event(db.session.get(Event, event.id), data)  # other settings still change
    db.session.commit()
    assert db.session.get(Event, event.id).name == "Cầu lông – Đơn nam (mở rộng)"


def test_discipline_of_an_event_with_entries_cannot_change(db):
    festival, *_ = _unit_with_entries(db)
    event = ev.get_event(festival, "CL-DNAM")
    data = ev.settings_of(event)
    data.discipline = "women_singles"
    fields = refused(db, ev.update_event, event, data)
    assert fields["discipline"] == ["Nội dung đã có đăng ký thi đấu: không thể đổi môn hay loại nội dung."]


# ---------------------------------------------------------------------- replacing a file

def test_replacing_a_festival_keeps_its_audit_trail_and_id(db):
    from sports.importers.festival_file import import_file

    raw = FIXTURE.read_bytes()
    festival = import_file(raw)
    db.session.commit()
    festival_id, slug = festival.id, festival.slug
    match = next(m for e in festival.events for s in e.stages if s.type == "round_robin" for m in s.matches
                 if m.status == "completed" and m.outcome == "normal")
    referee, _ = create_user("trongtai", "referee", "mat-khau-123")
    record_result(match, match.sets, reason="trọng tài ghi lại", actor=referee)
    db.session.commit()
    fs.set_current(festival)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.festival_id == festival_id))
    assert before >= 3  # import, the referee's correction, marking current
    revision = festival.revision
    replaced = import_file(raw, replace=True)
    db.session.commit()
    assert replaced.id == festival_id and replaced.is_current and replaced.revision > revision
    rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.festival_id == festival_id)
                                   .order_by(AuditEntry.id)))
    assert len(rows) == before + 1
    assert any(r.action == "match.result" and r.actor == "trongtai" for r in rows)
    assert rows[-1].action == "festival.replace" and rows[-1].before["name"] == json.loads(raw)["festival"]["name"]
    assert db.session.scalar(select(Festival.slug).where(Festival.id == festival_id)) == slug

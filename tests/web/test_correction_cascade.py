"""An organiser corrects a quarter-final after the semi-finals, the play-off for third place and
the final were played, through the referee pages: the preview names the later matches and what
will happen, nothing changes before the explicit confirmation, and afterwards (one request, one
transaction) those results are voided but kept in the audit trail, the pairings follow the new
winner, and placings, medals and the audit pages agree.

The draw (badminton singles, 8 entries, play-off for third):
QF e0–e1 (e0), e2–e3 (e2), e4–e5 (e4), e6–e7 (e6); SF e0–e2 (e0), e4–e6 (e4);
third place e2–e6 (e2); final e0–e4 (e0). The correction: e3 won the second quarter-final.
"""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from sports.importers.festival_file import import_file
from sports.models import AuditEntry, Entry, Event, Festival, Match
from sports.services import rankings
from tests.conftest import csrf_token, login

SLUG = "suaketqua-2024"
UNITS = ["BVDK", "BV2", "PNT", "CDC", "BVNHI", "PHCN", "TTKN", "CCDS"]
WIN, LOSE = [[21, 12], [21, 15]], [[12, 21], [15, 21]]


def festival_file() -> bytes:
    athletes = [{"ref": f"a{i}", "name": name, "gender": "M", "unit": UNITS[i]} for i, name in enumerate([
        "Đoàn Hoàng Anh", "Trần Văn Bình", "Lê Quốc Cường", "Phạm Minh Dũng",
        "Võ Thanh Hải", "Hồ Văn Ân", "Đặng Hữu Long", "Bùi Xuân Sơn"])]

    def played(home: int, away: int, home_wins: bool = True) -> dict:
        return {"home": f"e{home}", "away": f"e{away}", "sets": WIN if home_wins else LOSE}

    return json.dumps({
        "format": "hoithao/1",
        "festival": {"slug": SLUG, "name": "Hội thao sửa kết quả", "organiser": "Ban tổ chức", "place": "Lâm Đồng",
                     "start_date": "2024-11-23", "end_date": "2024-11-24", "medal_ranking": {"mode": "olympic"}},
        "units": [{"code": u, "name": f"Đơn vị {u}"} for u in UNITS],
        "athletes": athletes,
        "events": [{
            "code": "CL-DNAM", "sport": "badminton", "discipline": "men_singles", "name": "Cầu lông – Đơn nam",
            "third_place": "playoff",
            "entries": [{"ref": f"e{i}", "unit": UNITS[i], "athletes": [f"a{i}"]} for i in range(8)],
            "stages": [{"type": "knockout", "draw": [f"e{i}" for i in range(8)], "matches": [
                played(0, 1), played(2, 3), played(4, 5), played(6, 7),
                played(0, 2), played(4, 6), played(2, 6), played(0, 4)]}],
        }],
    }, ensure_ascii=False).encode()


@pytest.fixture
def organiser(client, db, make_user):
    import_file(festival_file())
    db.session.commit()
    make_user("btc", "organiser", "mat-khau-123")
    assert login(client, "btc", "mat-khau-123").status_code == 302
    return client


def ref(db, entry_id: int | None) -> str | None:
    return db.session.get(Entry, entry_id).ref if entry_id else None


def rows(db) -> dict[str, Match]:
    """The bracket's rows by name: QF1..QF4, SF1, SF2, F, P3."""
    out = {}
    for m in db.session.scalars(select(Match).order_by(Match.round, Match.position)):
        name = "P3" if m.is_playoff else {1: "QF", 2: "SF", 3: "F"}[m.round] + (str(m.position + 1) if m.round < 3 else "")
        out[name] = m
    return out


def state(db) -> dict:
    """Everything a correction may change: each row's sides, result and version, and the audit count."""
    db.session.expire_all()
    return {"rows": {name: (ref(db, m.home_entry_id), ref(db, m.away_entry_id), m.status, m.sets,
                            ref(db, m.winner_entry_id), m.version) for name, m in rows(db).items()},
            "audit": db.session.scalar(select(func.count()).select_from(AuditEntry)),
            "revision": db.session.scalar(select(Festival.revision))}


def placings(db) -> list[tuple[int, str]]:
    event = db.session.scalar(select(Event))
    return sorted((p.place, ref(db, int(p.entry))) for p in rankings.event_placings(event))


def medals(db) -> dict[str, tuple[int, int, int]]:
    return {r.unit: (r.gold, r.silver, r.bronze) for r in rankings.medal_table(db.session.scalar(select(Festival)))
            if r.total}


def correction_form(client, match: Match, **fields) -> dict:
    html = client.get(f"/referee/matches/{match.id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "version": re.search(r'name="version" value="(\d+)"', html).group(1),
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', html).group(1),
            "outcome": "normal", "s1h": "19", "s1a": "21", "s2h": "18", "s2a": "21",
            "reason": "Biên bản trận: Phạm Minh Dũng thắng, thư ký ghi nhầm bên"}
    return {**form, **fields}


def test_a_correction_through_a_played_semi_final(organiser, db):
    before = state(db)
    assert before["rows"]["SF1"][:3] == ("e0", "e2", "completed") and before["rows"]["P3"][4] == "e2"
    assert placings(db) == [(1, "e0"), (2, "e4"), (3, "e2"), (4, "e6"), (5, "e1"), (5, "e3"), (5, "e5"), (5, "e7")]
    assert medals(db) == {"BVDK": (1, 0, 0), "BVNHI": (0, 1, 0), "PNT": (0, 0, 1)}
    qf2 = rows(db)["QF2"]
    data = correction_form(organiser, qf2)

    # The preview: the result in words, each affected match with its result, and what will happen.
    preview = organiser.post(f"/referee/matches/{qf2.id}", data={**data, "step": "check"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Phạm Minh Dũng thắng 2-0: 21-19, 21-18." in html
    assert "Sửa kết quả này làm thay đổi các trận sau, đã có kết quả:" in html
    affected = re.findall(r"<li>([^<]+)</li>", html.split("đã có kết quả:")[1].split("</ul>")[0])
    assert len(affected) == 3
    assert affected[0].startswith("Bán kết: Đoàn Hoàng Anh – Lê Quốc Cường (Đoàn Hoàng Anh thắng 2-0")
    assert any(a.startswith("Chung kết: Đoàn Hoàng Anh – Võ Thanh Hải (Đoàn Hoàng Anh thắng 2-0") for a in affected)
    assert any(a.startswith("Tranh hạng Ba: Lê Quốc Cường – Đặng Hữu Long (Lê Quốc Cường thắng 2-0") for a in affected)
    assert "kết quả các trận này bị hủy (vẫn lưu trong nhật ký), các cặp đấu được cập nhật" in html
    assert 'name="void_later" value="1"' in html and "Xác nhận và hủy kết quả các trận trên" in html
    assert state(db) == before  # a preview stores nothing

    # A confirmation that skipped the preview (no void_later) only shows the preview again.
    again = organiser.post(f"/referee/matches/{qf2.id}", data={**data, "step": "confirm"})
    assert again.status_code == 200 and "Xác nhận và hủy kết quả các trận trên" in again.get_data(as_text=True)
    assert state(db) == before
    # Back to the form from the preview ("Sửa lại"): the entry is kept, nothing stored.
    edit = organiser.post(f"/referee/matches/{qf2.id}", data={**data, "step": "edit", "void_later": "1"})
    assert edit.status_code == 200 and 'value="19"' in edit.get_data(as_text=True)
    assert state(db) == before
    # A stale preview (someone changed the match since): a conflict, nothing stored.
    stale = organiser.post(f"/referee/matches/{qf2.id}", data={**data, "step": "confirm", "void_later": "1",
                                                               "version": str(qf2.version - 1)})
    assert stale.status_code == 409 and "Kết quả của bạn chưa được ghi" in stale.get_data(as_text=True)
    assert state(db) == before

    done = organiser.post(f"/referee/matches/{qf2.id}", data={**data, "step": "confirm", "void_later": "1"})
    assert done.status_code == 302
    after = state(db)
    r = after["rows"]
    assert r["QF2"] == ("e2", "e3", "completed", [[19, 21], [18, 21]], "e3", before["rows"]["QF2"][5] + 1)
    for name in ("QF1", "QF3", "QF4", "SF2"):
        assert r[name] == before["rows"][name]  # untouched
    # Voided, and paired by the new bracket (sides still open where they wait for a result).
    assert r["SF1"][:5] == ("e0", "e3", "scheduled", [], None)
    assert r["F"][:5] == (None, "e4", "scheduled", [], None)
    assert r["P3"][:5] == (None, "e6", "scheduled", [], None)
    # One audit row per change: the correction (with its reason) and one per voided result.
    assert after["audit"] == before["audit"] + 4
    assert after["revision"] > before["revision"]
    audit = list(db.session.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id.desc()).limit(4)))
    by_action = {}
    for a in audit:
        by_action.setdefault(a.action, []).append(a)
    (correction,) = by_action["match.result"]
    assert correction.object_id == qf2.id and correction.reason == data["reason"] and correction.actor == "btc"
    assert correction.before["winner"] != correction.after["winner"]
    voided = {a.object_id: a for a in by_action["match.void"]}
    assert set(voided) == {rows(db)[n].id for n in ("SF1", "F", "P3")}
    for name in ("SF1", "F", "P3"):
        entry = voided[rows(db)[name].id]
        assert entry.before["status"] == "completed" and entry.before["sets"] == WIN  # kept in the trail
        assert entry.after["status"] == "scheduled" and entry.after["sets"] == []
        assert entry.reason.startswith(f"Hủy do sửa kết quả trận CL-DNAM #{qf2.id}: Biên bản trận")

    # Placings and medals follow: no final and no play-off any more, e2 now a quarter-final loser.
    assert placings(db) == [(5, "e1"), (5, "e2"), (5, "e5"), (5, "e7")]
    assert medals(db) == {}

    # The audit pages show the correction and the voided results, with who and why.
    page = organiser.get(f"/admin/festivals/{SLUG}/audit").get_data(as_text=True)
    assert page.count("Hủy do sửa kết quả trận CL-DNAM") == 3 and "thư ký ghi nhầm bên" in page
    sf1 = rows(db)["SF1"]
    trail = organiser.get(f"/admin/festivals/{SLUG}/matches/{sf1.id}/audit")
    assert trail.status_code == 200
    text = trail.get_data(as_text=True)
    assert "Trận CL-DNAM #%d: Bán kết, Đoàn Hoàng Anh gặp Phạm Minh Dũng" % sf1.id in text  # the new pair
    assert "Hủy kết quả" in text and "Hủy do sửa kết quả trận CL-DNAM" in text
    assert "21\u201112, 21\u201115" in text  # the voided score, with non-breaking hyphens

    # The semi-final is played again with its new pair; the bracket and medals fill in again.
    replay = correction_form(organiser, sf1, s1h="21", s1a="10", s2h="21", s2a="11", reason="")
    assert organiser.post(f"/referee/matches/{sf1.id}", data={**replay, "step": "confirm"}).status_code == 302
    r = state(db)["rows"]
    assert r["F"][:3] == ("e0", "e4", "scheduled") and r["P3"][:3] == ("e3", "e6", "scheduled")


def test_a_correction_without_a_reason_is_refused(organiser, db):
    before = state(db)
    qf2 = rows(db)["QF2"]
    data = correction_form(organiser, qf2, reason="  ")
    for step, extra in (("check", {}), ("confirm", {"void_later": "1"})):
        response = organiser.post(f"/referee/matches/{qf2.id}", data={**data, "step": step, **extra})
        assert response.status_code == 422
        assert "Sửa kết quả cần ghi lý do." in response.get_data(as_text=True)
        assert state(db) == before
    # The same through the API (an organiser's token): refused with the reason, nothing stored.
    from sports.services.accounts import issue_token

    token = issue_token("btc", "cli", "Máy ban tổ chức")
    db.session.commit()
    before = state(db)
    api = organiser.post(f"/api/v1/matches/{qf2.id}/result", json={"sets": [[19, 21], [18, 21]], "version": qf2.version},
                         headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 422 and api.get_json() == {"errors": ["Trận đấu đã có kết quả: sửa kết quả cần ghi lý do."]}
    assert state(db) == before


def test_a_group_correction_previews_and_moves_the_new_qualifier(client, db, make_user):
    """Groups then a knockout, qualifiers confirmed: correcting the group match between the
    second and third of group A shows who goes through instead, stores nothing until confirmed,
    then the knockout has the new second; once a knockout match is played it is refused."""
    from tests.services.test_draws_service import _confirmed_groups_knockout

    event, groups_stage, ko, order = _confirmed_groups_knockout(db)
    make_user("btc", "organiser", "mat-khau-123")
    assert login(client, "btc", "mat-khau-123").status_code == 302
    a = order["A"]
    match = next(m for m in groups_stage.matches if {m.home_entry_id, m.away_entry_id} == {a[1], a[2]})
    names = {e.id: e.display_name for e in event.entries}
    third_wins = match.home_entry_id == a[2]
    html = client.get(f"/referee/matches/{match.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "version": re.search(r'name="version" value="(\d+)"', html).group(1),
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', html).group(1),
            "outcome": "normal", "reason": "Biên bản: ghi nhầm bên thắng",
            # The form comes with the recorded winner still marked (it matters only for a walkover,
            # a retirement or a disqualification): new sets saying otherwise must not be refused.
            "winner": "home" if match.winner_entry_id == match.home_entry_id else "away"}
    for n in (1, 2, 3):
        data[f"s{n}h"], data[f"s{n}a"] = ("11", "5") if third_wins else ("5", "11")
    draw_before = list(ko.draw)
    preview = client.post(f"/referee/matches/{match.id}", data={**data, "step": "check"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Sửa kết quả này làm thay đổi các đội vào vòng loại trực tiếp:" in text
    assert f"Nhì bảng A: {names[a[2]]} (thay {names[a[1]]})" in text
    db.session.expire_all()
    assert ko.draw == draw_before and match.winner_entry_id == a[1]  # a preview stores nothing
    done = client.post(f"/referee/matches/{match.id}", data={**data, "step": "confirm"})
    assert done.status_code in (200, 302)
    db.session.expire_all()
    assert ko.draw == [a[0], order["B"][1], order["B"][0], a[2]]

    # With a knockout result, the same kind of correction is refused at the preview.
    from sports.services.results import record_result

    semi = next(m for m in ko.matches if m.round == 1)
    record_result(semi, [[11, 5], [11, 6], [11, 7]])
    db.session.commit()
    html = client.get(f"/referee/matches/{match.id}").get_data(as_text=True)
    data = {**data, "csrf_token": csrf_token(html), "version": re.search(r'name="version" value="(\d+)"', html).group(1),
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', html).group(1)}
    for n in (1, 2, 3):
        data[f"s{n}h"], data[f"s{n}a"] = data[f"s{n}a"], data[f"s{n}h"]
    refused = client.post(f"/referee/matches/{match.id}", data={**data, "step": "check"})
    assert refused.status_code == 422
    assert "mà vòng đó đã có kết quả" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert match.winner_entry_id == a[2] and ko.draw[-1] == a[2]

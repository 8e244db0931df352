"""The demo festival: the 11 provincial health units of Lâm Đồng's emulation bloc no. 1.

Modelled on the bloc's 2023 festival (seed documents): 12 events, plausible athletes, and
results for part of the events. Deterministic (fixed random seed) and idempotent.
"""
from __future__ import annotations

import random
from datetime import date

from flask import current_app
from sqlalchemy import select

from sports.domain.disciplines import DISCIPLINES
from sports.domain.scoring import DEFAULT_FORMATS
from sports.domain.standings import DEFAULT_PRESET, preset_options
from sports.domain.types import Sport
from sports.extensions import db
from sports.models import Athlete, Entry, EntryAthlete, Event, Festival, Placing, Unit, User
from sports.services.accounts import create_user
from sports.services.demo_emulation import build_emulation
from sports.services.demo_play import build_day
from sports.services.draws import create_round_robin_stage
from sports.services.results import record_result

SLUG = "lamdong-2023"

UNITS = [
    ("BVDK", "Bệnh viện Đa khoa tỉnh Lâm Đồng", "BVĐK Lâm Đồng"),
    ("BV2", "Bệnh viện II Lâm Đồng", "BV II Lâm Đồng"),
    ("PNT", "Bệnh viện Y học cổ truyền Phạm Ngọc Thạch", "BV YHCT Phạm Ngọc Thạch"),
    ("YHCTBL", "Bệnh viện Y học cổ truyền Bảo Lộc", "BV YHCT Bảo Lộc"),
    ("BVNHI", "Bệnh viện Nhi Lâm Đồng", "BV Nhi Lâm Đồng"),
    ("PHCN", "Bệnh viện Phục hồi chức năng Lâm Đồng", "BV PHCN Lâm Đồng"),
    ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh Lâm Đồng", "CDC Lâm Đồng"),
    ("TTKN", "Trung tâm Kiểm nghiệm Lâm Đồng", "TT Kiểm nghiệm"),
    ("TTGDYK", "Trung tâm Giám định y khoa Lâm Đồng", "TT Giám định y khoa"),
    ("CCATTP", "Chi cục An toàn vệ sinh thực phẩm Lâm Đồng", "Chi cục ATVSTP"),
    ("CCDS", "Chi cục Dân số - Kế hoạch hóa gia đình Lâm Đồng", "Chi cục DS-KHHGĐ"),
]

EVENTS = [
    ("BC-NAM", "volleyball", "men_team", "Bóng chuyền nam"),
    ("BC-NU", "volleyball", "women_team", "Bóng chuyền nữ"),
    ("BB-DNAM", "table_tennis", "men_singles", "Bóng bàn – Đơn nam"),
    ("BB-DNU", "table_tennis", "women_singles", "Bóng bàn – Đơn nữ"),
    ("BB-DOINAM", "table_tennis", "men_doubles", "Bóng bàn – Đôi nam"),
    ("BB-DOINU", "table_tennis", "women_doubles", "Bóng bàn – Đôi nữ"),
    ("BB-DOINN", "table_tennis", "mixed_doubles", "Bóng bàn – Đôi nam nữ"),
    ("CL-DNAM", "badminton", "men_singles", "Cầu lông – Đơn nam"),
    ("CL-DNU", "badminton", "women_singles", "Cầu lông – Đơn nữ"),
    ("CL-DOINAM", "badminton", "men_doubles", "Cầu lông – Đôi nam"),
    ("CL-DOINU", "badminton", "women_doubles", "Cầu lông – Đôi nữ"),
    ("CL-DOINN", "badminton", "mixed_doubles", "Cầu lông – Đôi nam nữ"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Trịnh", "Mai", "Cao"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Tuấn", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hoài", "Phương", "Thị Thanh"]
GIVEN_M = ["Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Lâm", "Long",
           "Minh", "Nam", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Trung", "Tú", "Việt", "Vinh"]
GIVEN_F = ["An", "Ánh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan",
           "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang",
           "Tuyết", "Vy", "Yến"]

# Named winners from the bloc's 2023 report.
KNOWN_ATHLETES = {("BVDK", "M"): "Đoàn Hoàng Anh", ("CDC", "F"): "Nguyễn Thị Hải"}

DEMO_USERS = [
    ("admin", "admin", "hoithao-admin", "Quản trị hệ thống"),
    ("btc", "organiser", "hoithao-btc", "Ban tổ chức"),
    ("trongtai", "referee", "hoithao-trongtai", "Trọng tài sân 1"),
]


def demo_exists() -> bool:
    return db.session.scalar(select(Festival.id).where(Festival.slug == SLUG)) is not None


def load_demo(reset: bool = False, day: bool | None = None) -> tuple[Festival, bool]:
    """Load the demo festival; returns it and whether anything was created.

    ``day``: also set up the festival day in progress (courts, sessions, draws, part of the
    results, the demo referee on court 1); by default as the app's ``DEMO_DAY`` setting says
    (on, except in the tests that want a blank slate).
    """
    if day is None:
        day = current_app.config.get("DEMO_DAY", True)
    existing = db.session.scalar(select(Festival).where(Festival.slug == SLUG))
    if existing is not None and not reset:
        _ensure_users()
        return existing, False
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        # Courts, sessions and matches went with the festival by the database's cascade; forget
        # them so that rows reusing their ids are not mistaken for them.
        db.session.expunge_all()
    _ensure_users()
    festival = _build(day)
    return festival, True


def _ensure_users() -> None:
    for username, role, password, full_name in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(username, role, password, full_name=full_name, actor="demo")


def _build(day: bool) -> Festival:
    rng = random.Random(2023)
    festival = Festival(
        slug=SLUG,
        name="Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023",
        organiser="Sở Y tế tỉnh Lâm Đồng",
        place="Lâm Đồng",
        start_date=date(2023, 11, 25),
        end_date=date(2023, 12, 1),
        cert_issuer="SỞ Y TẾ TỈNH LÂM ĐỒNG\nBAN TỔ CHỨC HỘI THAO",
        cert_signer_name="Đỗ Hoàng Hải",
        medal_points=[],
        overall_tiers=[1, 1, 1],
        settings={},
    )
    db.session.add(festival)
    units = {code: Unit(festival=festival, code=code, name=name, short_name=short)
             for code, name, short in UNITS}
    db.session.add_all(units.values())
    db.session.flush()

    roster = _athletes(festival, units, rng)
    events = {}
    for pos, (code, sport, discipline, name) in enumerate(EVENTS):
        fmt = DEFAULT_FORMATS[Sport(sport)]
        events[code] = Event(
            festival=festival, code=code, sport=sport, discipline=discipline, name=name,
            position=pos, best_of=fmt.best_of, points=fmt.points,
            deciding_points=fmt.deciding_points, cap=fmt.cap,
            ranking_preset=DEFAULT_PRESET[sport], ranking_options=preset_options(DEFAULT_PRESET[sport]),
            third_place="shared",
            max_entries_per_unit=1 if DISCIPLINES[discipline].team else 2,
            roster_min=6 if DISCIPLINES[discipline].team else None,
            roster_max=12 if DISCIPLINES[discipline].team else None,
        )
    db.session.add_all(events.values())
    db.session.flush()

    entries = {code: _entries(ev, units, roster, rng) for code, ev in events.items()}
    db.session.flush()
    _volleyball(events, entries, rng)
    _recorded_placings(events, entries)
    db.session.flush()
    if day:
        build_day(festival, events)  # courts, sessions, draws and part of the results
    build_emulation(festival)  # the bloc's 2023 score table, linked to the festival
    festival.bump()
    festival.bump(*events.values())  # each event's placings derived and stored at commit
    return festival


def _athletes(festival, units, rng) -> dict[tuple[str, str], list[Athlete]]:
    roster: dict[tuple[str, str], list[Athlete]] = {}
    n = 0
    for code, unit in units.items():
        for gender, middles, givens, count in (("M", MIDDLE_M, GIVEN_M, 14), ("F", MIDDLE_F, GIVEN_F, 12)):
            people = []
            used = set()
            for i in range(count):
                name = KNOWN_ATHLETES.get((code, gender)) if i == 0 else None
                while name is None or name in used:
                    name = f"{rng.choice(FAMILY)} {rng.choice(middles)} {rng.choice(givens)}"
                used.add(name)
                n += 1
                people.append(Athlete(festival=festival, unit=unit, ref=f"a{n}", name=name,
                                      gender=gender, birth_year=rng.randint(1968, 2000),
                                      staff_no=f"{code}-{n:04d}"))
            roster[(code, gender)] = people
    db.session.add_all(a for people in roster.values() for a in people)
    return roster


# Which units enter which events: volleyball by the 2023 report; the others broad.
VOLLEYBALL_UNITS = {
    "BC-NAM": ["YHCTBL", "BVDK", "BV2", "PNT", "CDC", "BVNHI"],
    "BC-NU": ["PNT", "YHCTBL", "BVDK", "BV2", "CDC"],
}


def _entries(event: Event, units, roster, rng) -> list[Entry]:
    discipline = DISCIPLINES[event.discipline]
    codes = VOLLEYBALL_UNITS.get(event.code) or [c for c, *_ in UNITS if rng.random() < 0.75]
    if event.code in ("BB-DNAM",) and "BVDK" not in codes:
        codes.append("BVDK")
    if event.code in ("BB-DNU",) and "CDC" not in codes:
        codes.append("CDC")
    taken: dict[tuple[str, str], int] = {}
    out = []
    for pos, code in enumerate(codes):
        if discipline.team:
            people = roster[(code, discipline.genders[0])][:8]
        else:
            people = []
            for gender in discipline.genders:
                idx = taken.get((code, gender), 0) % len(roster[(code, gender)])
                taken[(code, gender)] = idx + 1
                people.append(roster[(code, gender)][idx])
        entry = Entry(event=event, unit=units[code], ref=f"{event.code}-{code}", position=pos,
                      name=units[code].short_name if discipline.team else "")  # a team goes by its unit
        for i, athlete in enumerate(people):
            entry.members.append(EntryAthlete(athlete=athlete, position=i))
        db.session.add(entry)
        out.append(entry)
    return out


def _volleyball(events, entries, rng) -> None:
    """Women's volleyball: one group, fully played; men's: two groups, partly played."""
    women = entries["BC-NU"]
    order = {e.unit.code: i for i, e in enumerate(women)}  # strength: listed order
    stage = create_round_robin_stage(events["BC-NU"], [("A", women)])
    for match in stage.matches:
        stronger = order[match.home.unit.code] < order[match.away.unit.code]
        _play_volleyball(match, home_wins=stronger, rng=rng)

    men = entries["BC-NAM"]
    stage = create_round_robin_stage(events["BC-NAM"], [("A", men[0::2]), ("B", men[1::2])])
    for match in stage.matches:
        if match.round == 1:
            _play_volleyball(match, home_wins=match.home.position < match.away.position, rng=rng)


def _play_volleyball(match, home_wins: bool, rng) -> None:
    sets = []
    loser_sets = rng.choice([0, 1])
    for i in range(loser_sets):
        sets.append((rng.randint(15, 23), 25))
    sets.append((25, rng.randint(14, 23)))
    sets.append((25, rng.randint(12, 23)) if loser_sets == 0 else (15, rng.randint(8, 13)))
    if not home_wins:
        sets = [(b, a) for a, b in sets]
    record_result(match, sets, actor="demo")


# Final placings recorded directly (played outside the system), per the 2023 report's winners.
RECORDED = {
    "BB-DNAM": ["BVDK", "PNT", "BV2", "CDC"],
    "BB-DNU": ["CDC", "BVDK", "PNT", "YHCTBL"],
    "CL-DNAM": ["BVDK", "YHCTBL", "BV2", "PNT"],
    "CL-DNU": ["BVDK", "PNT", "CDC", "YHCTBL"],
}


def _recorded_placings(events, entries) -> None:
    for code, unit_order in RECORDED.items():
        by_unit = {e.unit.code: e for e in entries[code]}
        chosen = [by_unit[u] for u in unit_order if u in by_unit]
        places = [1, 2, 3, 3][: len(chosen)]
        for place, entry in zip(places, chosen):
            events[code].placings.append(Placing(entry_id=entry.id, place=place))
        events[code].placings_recorded = True

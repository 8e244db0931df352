"""Festivals as organisers set them up: create, edit, and which one is current.

Business checks (dates in order, points mode needs points, prize tiers) live here so the
web form, the CLI and tests all get the same refusals; WTForms only checks shapes.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select, update

from sports.domain.text import nfc
from sports.extensions import db
from sports.models import Festival
from sports.services import audit
from sports.services.errors import NotFound, Problems

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


@dataclass
class FestivalSettings:
    name: str
    slug: str = ""
    organiser: str = ""
    place: str = ""
    start_date: date | None = None
    end_date: date | None = None
    medal_mode: str = "olympic"          # "olympic" | "points"
    medal_points: list[int] = field(default_factory=list)
    team_multiplier: int = 1
    shared_points: str = "full"          # "full" | "average"
    medal_labels: str = "medals"         # "medals" | "prizes"
    overall_tiers: list[int] = field(default_factory=lambda: [1, 1, 1])
    max_events_per_athlete: int | None = None
    max_entries_per_unit: int | None = None
    needs_confirmation: bool = False


EDITABLE = [k for k in FestivalSettings.__dataclass_fields__ if k != "slug"]


def get_festival(slug: str) -> Festival:
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        raise NotFound(f"Không có hội thao mã “{slug}”.")
    return festival


def list_festivals() -> list[Festival]:
    """Every festival, the latest first (by start date; undated ones last)."""
    return list(db.session.scalars(
        select(Festival).order_by(Festival.start_date.desc().nulls_last(), Festival.id.desc())))


def pick_current(festivals: list[Festival]) -> Festival | None:
    """Of ``festivals`` (latest first), the one marked current, else the latest (CONTRACT.md, "/")."""
    return next((f for f in festivals if f.is_current), festivals[0] if festivals else None)


def current_festival() -> Festival | None:
    return pick_current(list_festivals())


def _check(data: FestivalSettings, problems: Problems) -> FestivalSettings:
    data.name = nfc(data.name or "")
    data.organiser = nfc(data.organiser or "")
    data.place = nfc(data.place or "")
    if not data.name:
        problems.add("name", "Nhập tên hội thao.")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems.add("end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    if data.medal_mode not in ("olympic", "points"):
        problems.add("medal_mode", "Chọn cách xếp hạng toàn đoàn: theo huy chương hoặc theo điểm.")
    if data.medal_mode == "points":
        if not data.medal_points:
            problems.add("medal_points", "Xếp hạng theo điểm cần điểm cho từng hạng, ví dụ 7, 5, 4, 3, 2, 1.")
        elif any(p < 0 for p in data.medal_points):
            problems.add("medal_points", "Điểm của một hạng không thể âm.")
        elif any(a < b for a, b in zip(data.medal_points, data.medal_points[1:])):
            problems.add("medal_points", "Điểm của hạng sau không được cao hơn hạng trước.")
    if len(data.medal_points) > 16:
        problems.add("medal_points", "Chỉ tính điểm tối đa cho 16 hạng.")
    if data.team_multiplier < 1:
        problems.add("team_multiplier", "Hệ số nội dung đồng đội phải từ 1 trở lên.")
    if data.shared_points not in ("full", "average"):
        problems.add("shared_points", "Chọn cách tính điểm khi đồng hạng.")
    if data.medal_labels not in ("medals", "prizes"):
        problems.add("medal_labels", "Chọn tên gọi: Huy chương hoặc Giải.")
    tiers = list(data.overall_tiers)
    while tiers and tiers[-1] == 0:
        tiers.pop()
    if not tiers or any(t < 1 for t in tiers) or len(tiers) > 3:
        problems.add("overall_tiers", "Giải toàn đoàn cần 1–3 mức (Nhất, Nhì, Ba), mỗi mức ít nhất một đơn vị; "
                                      "chỉ bỏ trống các mức sau cùng.")
    data.overall_tiers = tiers
    for name in ("max_events_per_athlete", "max_entries_per_unit"):
        value = getattr(data, name)
        if value is not None and value < 1:
            problems.add(name, "Phải từ 1 trở lên (để trống nếu không giới hạn).")
    return data


def _snapshot(festival: Festival) -> dict:
    out = {}
    for k in EDITABLE:
        v = getattr(festival, k)
        out[k] = v.isoformat() if isinstance(v, date) else v
    return out


def grant_to_creator(festival: Festival, user) -> None:
    """An organiser limited to some festivals also gets the one they just created (else their
    own festival would refuse them). Audited like any change of scope."""
    from sports.services.permissions import festivals_limited

    if user is None or not festivals_limited(user):
        return
    before = dict(user.scopes or {})
    user.scopes = {**before, "festivals": sorted({*before.get("festivals", []), festival.slug})}
    db.session.flush()
    audit.record("user.scope", user, before=before, after=user.scopes, festival_id=festival.id)


def create_festival(data: FestivalSettings) -> Festival:
    problems = Problems()
    data = _check(data, problems)
    data.slug = (data.slug or "").strip().lower()
    if not SLUG_RE.match(data.slug):
        problems.add("slug", "Mã hội thao dùng chữ thường không dấu, số, dấu gạch ngang (-), chấm hoặc gạch dưới, "
                             "tối đa 80 ký tự, ví dụ lamdong-2024.")
    elif db.session.scalar(select(Festival.id).where(Festival.slug == data.slug)) is not None:
        problems.add("slug", f"Đã có hội thao mã “{data.slug}”: chọn mã khác.")
    problems.raise_if_any()
    festival = Festival(settings={}, **asdict(data))
    db.session.add(festival)
    db.session.flush()
    festival.bump()
    audit.record("festival.create", festival, after=_snapshot(festival), festival_id=festival.id)
    return festival


def update_festival(festival: Festival, data: FestivalSettings) -> Festival:
    problems = Problems()
    data = _check(data, problems)
    problems.raise_if_any()
    before = _snapshot(festival)
    for k in EDITABLE:
        setattr(festival, k, getattr(data, k))
    after = _snapshot(festival)
    if after != before:
        festival.bump()
        db.session.flush()
        changed = [k for k in EDITABLE if before[k] != after[k]]
        audit.record("festival.update", festival, before={k: before[k] for k in changed},
                     after={k: after[k] for k in changed}, festival_id=festival.id)
    return festival


def set_current(festival: Festival) -> None:
    """Mark ``festival`` as the one "/" shows (and no other)."""
    previous = db.session.scalar(select(Festival).where(Festival.is_current.is_(True), Festival.id != festival.id))
    db.session.execute(update(Festival).where(Festival.id != festival.id).values(is_current=False))
    festival.is_current = True
    festival.bump()
    db.session.flush()
    audit.record("festival.current", festival, before={"current": previous.slug if previous else None},
                 after={"current": festival.slug}, festival_id=festival.id)

"""The ceremony desk (bàn trao giải): per event, the podium in the order it is read out, and a
"đã trao" tick per placing so the committee sees what is still to be handed out.

The podium comes from the recorded results (:func:`rankings.event_placings`); a tick records
the place it was given for, so a correction that moves an entry leaves it "still to hand out".
Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sports.domain import medals as medal_rules
from sports.extensions import db
from sports.models import AwardHandover, Entry, EntryAthlete, Event, Festival
from sports.models._base import utcnow
from sports.services import audit, rankings
from sports.services.certificates import labels_style, team_recipient
from sports.services.errors import RuleError


@dataclass(frozen=True)
class PodiumLine:
    place: int
    medal: str                  # "Huy chương Đồng" …
    medal_code: str             # gold | silver | bronze
    entry_id: int
    names: str                  # "Đoàn Hoàng Anh – Trần Văn Bình", "Đội bóng chuyền nam"
    unit: str
    handed: bool
    handed_at: datetime | None
    handed_by: str


@dataclass(frozen=True)
class EventDesk:
    event: Event
    lines: tuple[PodiumLine, ...]

    @property
    def to_hand(self) -> int:
        return sum(1 for line in self.lines if not line.handed)


def _names(event: Event, entry: Entry) -> str:
    if event.is_team:
        return team_recipient(event, entry)
    return " – ".join(a.name for a in entry.athletes) or entry.unit.name


def podium(festival: Festival, event: Event) -> EventDesk:
    """The medalled placings in ceremony order: bronze first, gold last (read out Ba, Nhì, Nhất)."""
    style = labels_style(festival)
    entries = {e.id: e for e in event.entries}
    ticks = {t.entry_id: t for t in db.session.scalars(select(AwardHandover).where(AwardHandover.event_id == event.id))}
    lines = []
    placings = [p for p in rankings.event_placings(event) if medal_rules.medal_for_place(p.place)]
    for p in sorted(placings, key=lambda p: (-p.place, entries[int(p.entry)].position, int(p.entry))):
        entry = entries[int(p.entry)]
        medal = medal_rules.medal_for_place(p.place)
        tick = ticks.get(entry.id)
        handed = tick is not None and tick.place == p.place
        lines.append(PodiumLine(p.place, medal_rules.medal_label(medal, style), medal, entry.id, _names(event, entry),
                                entry.unit.name, handed, tick.handed_at if handed else None,
                                tick.handed_by if handed else ""))
    return EventDesk(event, tuple(lines))


def desks(festival: Festival) -> list[EventDesk]:
    events = db.session.scalars(
        select(Event).where(Event.festival_id == festival.id).order_by(Event.position, Event.id)
        .options(selectinload(Event.entries).selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                 selectinload(Event.entries).selectinload(Entry.unit)))
    return [podium(festival, e) for e in events]


def set_handed(festival: Festival, event: Event, entry_id: int, handed: bool, actor=None) -> PodiumLine:
    """Tick (or untick) one placing of the podium as handed out."""
    line = next((x for x in podium(festival, event).lines if x.entry_id == entry_id), None)
    if line is None:
        raise RuleError("Đội/vận động viên này không có huy chương ở nội dung này (kết quả có thể vừa thay đổi).")
    tick = db.session.scalar(select(AwardHandover).where(AwardHandover.event_id == event.id,
                                                         AwardHandover.entry_id == entry_id))
    before = {"place": tick.place, "handed_by": tick.handed_by} if tick else None
    name = getattr(actor, "username", None) or (actor if isinstance(actor, str) else "")
    if handed:
        if tick is None:
            tick = AwardHandover(event_id=event.id, entry_id=entry_id, place=line.place)
            db.session.add(tick)
        tick.place, tick.handed_at, tick.handed_by = line.place, utcnow(), name
    elif tick is not None:
        db.session.delete(tick)
    db.session.flush()
    audit.record("ceremony.handed" if handed else "ceremony.not_handed", event, before=before,
                 after={"place": line.place, "entry": entry_id, "names": line.names} if handed else None,
                 festival_id=festival.id, actor=actor)
    festival.bump(event)
    return line

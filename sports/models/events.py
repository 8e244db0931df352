"""Events, their entries, and the stages and groups of their draws."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sports.extensions import db

if TYPE_CHECKING:
    from sports.models.awards import Placing
    from sports.models.festival import Athlete, Festival, Unit
    from sports.models.matches import Match

TEAM_DISCIPLINES = frozenset({"men_team", "women_team"})


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("festival_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    sport: Mapped[str] = mapped_column(String(20))
    discipline: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Match format (RULES.md §1).
    best_of: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    deciding_points: Mapped[int | None] = mapped_column(Integer)
    cap: Mapped[int | None] = mapped_column(Integer)
    # Ranking preset and its options (RULES.md §2).
    ranking_preset: Mapped[str] = mapped_column(String(10))
    ranking_options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    third_place: Mapped[str] = mapped_column(String(10), default="shared")
    # Entry limits: entries per unit, and roster size for team events.
    max_entries_per_unit: Mapped[int | None] = mapped_column(Integer)
    roster_min: Mapped[int | None] = mapped_column(Integer)
    roster_max: Mapped[int | None] = mapped_column(Integer)
    # Age band as birth years (e.g. "trên 45 tuổi" in 2023 → born in 1978 or earlier).
    birth_year_min: Mapped[int | None] = mapped_column(Integer)
    birth_year_max: Mapped[int | None] = mapped_column(Integer)
    # Pairs or teams combining players of several units (đội ghép, RULES.md §4).
    combined_allowed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # True once the organiser records final placings directly (RULES.md §4).
    placings_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    # The organiser locked the draw (no more regenerating); a first result locks it too.
    draw_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Minutes a match of this event takes on a court (None: the festival's figure for the sport).
    slot_minutes: Mapped[int | None] = mapped_column(Integer)
    # Bumped (atomically, through Festival.bump(event)) by every write that changes what this
    # event's derived results depend on: with Festival.epoch, the key of its cached results.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A fingerprint of the event's final (confirmed) placings, kept by services.derived.
    placings_key: Mapped[str | None] = mapped_column(String(64))
    # The same placings themselves, written at the commit that raised ``revision`` (see
    # services.rankings.stored_placings): {"epoch": …, "revision": …, "places": [[place,
    # entry id, unit id], …]}. Read only while both numbers still match the database's, so the
    # medal table needs no event reloaded in any worker; otherwise derived again.
    final_placings: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    festival: Mapped[Festival] = relationship(back_populates="events")
    entries: Mapped[list[Entry]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Entry.position"
    )
    stages: Mapped[list[Stage]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Stage.position"
    )
    placings: Mapped[list[Placing]] = relationship(
        cascade="all, delete-orphan", order_by="(Placing.place, Placing.id)"
    )

    @property
    def is_team(self) -> bool:
        return self.discipline in TEAM_DISCIPLINES


class Entry(db.Model):
    __tablename__ = "entry"
    __table_args__ = (UniqueConstraint("event_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")  # team name; pairs show players
    position: Mapped[int] = mapped_column(Integer, default=0)
    seed: Mapped[int | None] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    # The entry cannot play before this local time (e.g. a doctor on duty until noon).
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    event: Mapped[Event] = relationship(back_populates="entries")
    unit: Mapped[Unit] = relationship()
    members: Mapped[list[EntryAthlete]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="EntryAthlete.position"
    )

    @property
    def athletes(self) -> list[Athlete]:
        return [m.athlete for m in self.members]

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        names = [a.name for a in self.athletes]
        return " / ".join(names) if names else self.unit.display_name


class EntryAthlete(db.Model):
    __tablename__ = "entry_athlete"
    __table_args__ = (UniqueConstraint("entry_id", "athlete_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    entry: Mapped[Entry] = relationship(back_populates="members")
    athlete: Mapped[Athlete] = relationship()


class Stage(db.Model):
    """One phase of an event: a round robin in groups, or a knockout."""

    __tablename__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(20))  # "round_robin" | "knockout"
    # Knockout: first-round positions as entry ids (None = bye), and how the draw was made,
    # so that it can be reproduced (RULES.md §3).
    draw: Mapped[list[int | None]] = mapped_column(JSON, default=list)
    rng_seed: Mapped[int | None] = mapped_column(Integer)
    seeds: Mapped[int | None] = mapped_column(Integer)
    separation: Mapped[str] = mapped_column(String(20), default="full")
    qualifiers: Mapped[int | None] = mapped_column(Integer)  # per group, into the next stage
    # A knockout fed by groups: its first-round lines as group places ("A1", "B2", …) until the
    # qualifiers are confirmed into ``draw``.
    draw_labels: Mapped[list[str]] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship(back_populates="stages")
    groups: Mapped[list[Group]] = relationship(
        back_populates="stage", cascade="all, delete-orphan", order_by="Group.position"
    )
    matches: Mapped[list[Match]] = relationship(
        back_populates="stage", cascade="all, delete-orphan", order_by="Match.id"
    )


class Group(db.Model):
    __tablename__ = "group"
    __table_args__ = (UniqueConstraint("stage_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The organiser's recorded lot result: entry ids in drawn order (RULES.md §2).
    lots: Mapped[list[int]] = mapped_column(JSON, default=list)

    stage: Mapped[Stage] = relationship(back_populates="groups")
    members: Mapped[list[GroupEntry]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupEntry.position"
    )


class GroupEntry(db.Model):
    __tablename__ = "group_entry"
    __table_args__ = (UniqueConstraint("group_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[Group] = relationship(back_populates="members")
    entry: Mapped[Entry] = relationship()

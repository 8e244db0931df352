"""A festival, its member units and their athletes."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sports.extensions import db
from sports.models._base import TimestampMixin

if TYPE_CHECKING:
    from sports.models.events import Event


class Festival(TimestampMixin, db.Model):
    __tablename__ = "festival"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Medal ranking (RULES.md §4): "olympic" or "points" with points per place.
    medal_mode: Mapped[str] = mapped_column(String(20), default="olympic")
    medal_points: Mapped[list[int]] = mapped_column(JSON, default=list)
    team_multiplier: Mapped[int] = mapped_column(Integer, default=1)
    shared_points: Mapped[str] = mapped_column(String(10), default="full")
    # "medals" → Huy chương Vàng/Bạc/Đồng; "prizes" → Giải Nhất/Nhì/Ba.
    medal_labels: Mapped[str] = mapped_column(String(10), default="medals")
    overall_tiers: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 1, 1])
    mixed_units: Mapped[str] = mapped_column(String(10), default="refuse")
    # The festival the public home page "/" shows (at most one is marked).
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Entry rules (registration checks): events one athlete may enter, and the default
    # number of entries a unit may have in one event (an event may set its own).
    max_events_per_athlete: Mapped[int | None] = mapped_column(Integer)
    max_entries_per_unit: Mapped[int | None] = mapped_column(Integer)
    # A referee's result waits for a second confirmation before it counts.
    needs_confirmation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Scheduling: minutes of rest between one athlete's matches, and minutes per match by sport.
    min_rest_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    slot_minutes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Certificate settings (RULES.md §5); cert_date None → end_date.
    cert_title: Mapped[str] = mapped_column(String(120), default="GIẤY CHỨNG NHẬN")
    cert_issuer: Mapped[str] = mapped_column(String(300), default="")
    cert_signer_title: Mapped[str] = mapped_column(String(120), default="TM. BAN TỔ CHỨC\nTRƯỞNG BAN")
    cert_signer_name: Mapped[str] = mapped_column(String(120), default="")
    cert_date: Mapped[date | None] = mapped_column(Date)
    cert_font: Mapped[str | None] = mapped_column(String(300))
    cert_register_suffix: Mapped[str] = mapped_column(String(40), default="GCN-BTC")
    # Extra settings that have no column yet (kept in the festival file round trip).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Bumped by every write; part of every cache key and the public pages' ETag.
    revision: Mapped[int] = mapped_column(Integer, default=0)

    units: Mapped[list[Unit]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Unit.id"
    )
    athletes: Mapped[list[Athlete]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Athlete.id"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Event.position"
    )

    def bump(self) -> None:
        self.revision = (self.revision or 0) + 1


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("festival_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    # Withdrawn from the festival (rút khỏi hội thao): kept for history, takes no new entries.
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    festival: Mapped[Festival] = relationship(back_populates="units")
    athletes: Mapped[list[Athlete]] = relationship(back_populates="unit")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Athlete(db.Model):
    __tablename__ = "athlete"
    __table_args__ = (UniqueConstraint("festival_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str] = mapped_column(String(1))  # "M" | "F"
    birth_year: Mapped[int | None] = mapped_column(Integer)
    # Eligibility data (staff of the unit): employee number and a free note.
    staff_no: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    festival: Mapped[Festival] = relationship(back_populates="athletes")
    unit: Mapped[Unit] = relationship(back_populates="athletes")

"""Final placings recorded directly, and issued certificates."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sports.extensions import db
from sports.models._base import utcnow

if TYPE_CHECKING:
    from sports.models.events import Entry


class Placing(db.Model):
    """An event's official final place for one entry (events not played through the system)."""

    __tablename__ = "placing"
    __table_args__ = (UniqueConstraint("event_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    place: Mapped[int] = mapped_column(Integer)

    entry: Mapped[Entry] = relationship()


class Certificate(db.Model):
    """An issued certificate. Register numbers are unique per festival and never reused."""

    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("festival_id", "register_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    register_no: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # verification code for /verify/<code>
    kind: Mapped[str] = mapped_column(String(10))  # athlete | team | overall
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="SET NULL"))
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athlete.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    award: Mapped[str] = mapped_column(String(20))  # gold|silver|bronze|prize1|prize2|prize3
    recipient: Mapped[str] = mapped_column(String(300))
    achievement: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="issued")  # issued | revoked
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_reason: Mapped[str] = mapped_column(String(300), default="")

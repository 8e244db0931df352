"""Final placings recorded directly, issued certificates with their festival settings, and the
ceremony desk's "handed out" ticks."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

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
    # What the certificate is for, independent of its content: "a:<event>:<entry>:<athlete>",
    # "t:<event>:<entry>" (a team) or "o:<unit>" (giải toàn đoàn). A replacement has the same slot.
    slot: Mapped[str] = mapped_column(String(120), default="", server_default="", index=True)
    place: Mapped[int | None] = mapped_column(Integer)
    partner: Mapped[str] = mapped_column(String(300), default="", server_default="")   # the other player of a pair
    unit_name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id", ondelete="SET NULL"))

    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id])


class CertificateSettings(db.Model):
    """A festival's certificate settings beyond the ``cert_*`` columns of the festival (title,
    issuer, signer, date): the wording, the place, the register-number pattern, the public
    address in QR codes, the medal labels, and the organiser's own font, logo and background."""

    __tablename__ = "certificate_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), unique=True)
    intro: Mapped[str] = mapped_column(String(300), default="")          # above the recipient
    closing: Mapped[str] = mapped_column(String(300), default="")        # under the achievement
    place: Mapped[str] = mapped_column(String(120), default="")          # "" → the festival's place
    register_pattern: Mapped[str] = mapped_column(String(60), default="")  # "" → "{n:03d}/" + suffix
    base_url: Mapped[str] = mapped_column(String(300), default="")       # "" → the address of the request
    labels: Mapped[str] = mapped_column(String(10), default="")          # "" → the festival's medal labels
    font_name: Mapped[str] = mapped_column(String(200), default="")      # the uploaded file's name
    font_regular: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    font_bold: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    font_italic: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    background: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    notes: Mapped[str] = mapped_column(Text, default="")


class AwardHandover(db.Model):
    """The ceremony desk's tick: this entry's award in this event has been handed out (đã trao).

    ``place`` is the place it was handed out for; after a correction that moves the entry the
    tick no longer matches its place and the desk shows it as still to hand out."""

    __tablename__ = "award_handover"
    __table_args__ = (UniqueConstraint("event_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    place: Mapped[int] = mapped_column(Integer)
    handed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    handed_by: Mapped[str] = mapped_column(String(80), default="")

"""A festival, its member units and their athletes."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, false, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

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
    # Bumped by writes that may change every event's derived results (a unit renamed, the
    # festival's settings, a file replacing it): part of every per-event cache key, beside
    # Event.revision, which only the writes to that one event bump.
    epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Raised (at commit) only when some event's final placings changed: the medal table's key.
    placings_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    units: Mapped[list[Unit]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Unit.id"
    )
    athletes: Mapped[list[Athlete]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Athlete.id"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Event.position"
    )

    def bump(self, *events: Event) -> None:
        """Record a write: ``bump(event, …)`` after a change to those events only (a result, a
        draw, an entry, an event's settings); ``bump()`` after anything else, which counts as a
        change to every event of the festival.

        Each counter goes up by one in the database itself (``UPDATE … SET revision = revision
        + 1``), so simultaneous writers in several processes never lose a bump; the new values
        are read back at once (``RETURNING``), so ``festival.revision`` is right straight away.
        The festival row is always locked first, then the events by id: no two writers wait
        for each other in a circle.
        """
        _increment(self, ("revision",) if events else ("revision", "epoch"))
        for event in sorted(set(events), key=lambda e: e.id or 0):
            _increment(event, ("revision",))
        # Whether these events' placings changed is decided at commit, when the write is
        # complete (services.derived.check_placings); a festival-wide bump raises the epoch,
        # which every cached result's key holds anyway.
        pending = db.session.info.setdefault("placings_events", set())
        pending.update(e.id for e in events if e.id is not None)


def _increment(obj, fields: tuple[str, ...]) -> None:
    """Add one to counters of ``obj`` in its database row, atomically, and keep ``obj`` in step.

    An object not yet in the database (a festival being created) has no row another writer
    could touch: its counters are simply raised in Python and inserted with it.
    """
    state = sa_inspect(obj)
    if not state.persistent:
        for name in fields:
            setattr(obj, name, (getattr(obj, name) or 0) + 1)
        return
    table = type(obj).__table__
    values = {name: table.c[name] + 1 for name in fields}
    row = db.session.execute(
        update(table).where(table.c.id == obj.id).values(values).returning(*(table.c[n] for n in fields))
    ).one()
    for name, value in zip(fields, row, strict=True):
        set_committed_value(obj, name, value)


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

"""Courts and matches (the results referees enter)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sports.extensions import db
from sports.models._base import utcnow

if TYPE_CHECKING:
    from sports.models.accounts import User
    from sports.models.events import Entry, Event, Group, Stage


class Court(db.Model):
    __tablename__ = "court"
    __table_args__ = (UniqueConstraint("festival_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    sport: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ScheduleSession(db.Model):
    """A block of playing time (buổi thi đấu), e.g. 10/05 07:30–11:30, for every court."""

    __tablename__ = "schedule_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Match(db.Model):
    __tablename__ = "match"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)  # index within its round
    home_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    away_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    # [[home, away], …] as entered; outcome per RULES.md §1.
    sets: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(20), default="normal")
    winner_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")  # scheduled|in_progress|completed
    court_id: Mapped[int | None] = mapped_column(ForeignKey("court.id", ondelete="SET NULL"))
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bracket links: the winner moves on to next_match in slot "home" or "away".
    next_match_id: Mapped[int | None] = mapped_column(ForeignKey("match.id", ondelete="SET NULL"))
    next_slot: Mapped[str | None] = mapped_column(String(4))
    is_playoff: Mapped[bool] = mapped_column(default=False)  # third-place play-off
    # Not before this local time (set by an organiser); the scheduler respects it.
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    referee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Who recorded the result and when; with the festival's second confirmation, a referee's
    # result waits (confirmed False, "chờ xác nhận") until an organiser or another referee confirms.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), onupdate=utcnow)
    # Optimistic locking: every UPDATE checks and bumps it (a stale submit is a conflict).
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship()
    stage: Mapped[Stage] = relationship(back_populates="matches")
    group: Mapped[Group | None] = relationship()
    home: Mapped[Entry | None] = relationship(foreign_keys=[home_entry_id])
    away: Mapped[Entry | None] = relationship(foreign_keys=[away_entry_id])
    winner: Mapped[Entry | None] = relationship(foreign_keys=[winner_entry_id])
    court: Mapped[Court | None] = relationship()
    referee: Mapped[User | None] = relationship(foreign_keys=[referee_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    next_match: Mapped[Match | None] = relationship(remote_side=[id])

    @property
    def is_decided(self) -> bool:
        return self.status == "completed"


class ResultSubmission(db.Model):
    """A result submission by its id generated on the phone: a retried submit is recorded once."""

    __tablename__ = "result_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer)  # the match's version once this submission was stored
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

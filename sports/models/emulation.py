"""The bloc's yearly emulation score table (bảng điểm thi đua), RULES.md §6.

A table scores the units of one festival (``home_festival_id``; the bloc's member units are
that festival's units) for a year or a period of it (Đợt 1, Đợt 2). At most one table per
festival is *linked* to it (``festival_id``): that table's linked criterion and rank bonus
follow the festival's results, and it is the one the festival file and the API carry. A
table imported from a festival file has ``home_festival_id`` empty: its home is then its
linked festival.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sports.extensions import db

SCORE = Numeric(8, 2)


class EmulationTable(db.Model):
    __tablename__ = "emulation_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int | None] = mapped_column(
        ForeignKey("festival.id", ondelete="CASCADE"), index=True, unique=True
    )
    name: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(60), default="")  # "" = whole year, or "Đợt 1"
    bonus_cap: Mapped[Decimal | None] = mapped_column(SCORE)
    # The festival link: criterion fed by festival participation and rank.
    link_criterion: Mapped[str | None] = mapped_column(String(40))
    participation_points: Mapped[Decimal | None] = mapped_column(SCORE)
    min_events: Mapped[int | None] = mapped_column(Integer)
    rank_bonus: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    votes: Mapped[list[str]] = mapped_column(JSON, default=list)  # unit codes, recorded tie-break vote
    titles: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["Cờ thi đua", "Bằng khen"])
    # Where the table lives when it is not (or no longer) linked to a festival.
    home_festival_id: Mapped[int | None] = mapped_column(
        ForeignKey("festival.id", ondelete="CASCADE"), index=True
    )
    # How many table positions each title covers (default one each).
    title_tiers: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Unit leaders see the whole ranked table only once it is published.
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The signature block of the printed summary.
    signer_title: Mapped[str] = mapped_column(String(120), default="TM. KHỐI THI ĐUA\nKHỐI TRƯỞNG",
                                              server_default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="", server_default="")

    criteria: Mapped[list[EmulationCriterion]] = relationship(
        back_populates="table", cascade="all, delete-orphan", order_by="EmulationCriterion.position"
    )
    adjustments: Mapped[list[EmulationAdjustment]] = relationship(
        back_populates="table", cascade="all, delete-orphan", order_by="EmulationAdjustment.id"
    )


class EmulationCriterion(db.Model):
    __tablename__ = "emulation_criterion"
    __table_args__ = (UniqueConstraint("table_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("emulation_table.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    group: Mapped[str] = mapped_column(String(300), default="")
    name: Mapped[str] = mapped_column(String(500))
    max_score: Mapped[Decimal] = mapped_column(SCORE)
    position: Mapped[int] = mapped_column(Integer, default=0)

    table: Mapped[EmulationTable] = relationship(back_populates="criteria")
    scores: Mapped[list[EmulationScore]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan"
    )


class EmulationScore(db.Model):
    __tablename__ = "emulation_score"
    __table_args__ = (UniqueConstraint("criterion_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("emulation_criterion.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    self_score: Mapped[Decimal | None] = mapped_column(SCORE)
    bloc_score: Mapped[Decimal | None] = mapped_column(SCORE)
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    criterion: Mapped[EmulationCriterion] = relationship(back_populates="scores")


class EmulationAdjustment(db.Model):
    __tablename__ = "emulation_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("emulation_table.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # bonus | penalty
    points: Mapped[Decimal] = mapped_column(SCORE)
    reason: Mapped[str] = mapped_column(String(500), default="")

    table: Mapped[EmulationTable] = relationship(back_populates="adjustments")

"""The bloc's yearly emulation score table (bảng điểm thi đua), RULES.md §6."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String, UniqueConstraint
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

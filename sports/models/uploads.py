"""Uploaded files waiting for the organiser's confirmation (preview, then confirm).

Kept in the database, not on one machine's disk, so the confirm request may reach any
app process; rows older than a day are removed when a new file is staged.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from sports.extensions import db
from sports.models._base import utcnow


class StagedUpload(db.Model):
    __tablename__ = "staged_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "festival_file" | "registration"
    festival_id: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

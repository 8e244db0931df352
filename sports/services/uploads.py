"""Files an organiser uploaded and has not confirmed yet (preview → confirm).

The confirm step sends back only a random token; the file itself stays in the database,
bound to the user who uploaded it and to its kind, for a day at most.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

from sports.extensions import db
from sports.models import StagedUpload, User

MAX_AGE = timedelta(days=1)


def stage(user: User, kind: str, data: bytes, filename: str = "", festival_id: int | None = None) -> str:
    db.session.execute(delete(StagedUpload).where(StagedUpload.created_at < datetime.now(timezone.utc) - MAX_AGE))
    token = secrets.token_urlsafe(32)
    db.session.add(StagedUpload(token=token, user_id=user.id, kind=kind, data=data,
                                filename=(filename or "")[:200], festival_id=festival_id))
    db.session.flush()
    return token


def take(user: User, kind: str, token: str, festival_id: int | None = None) -> StagedUpload | None:
    """The staged file for this user, kind (and festival), or None when unknown or expired."""
    if not token or len(token) > 64:
        return None
    row = db.session.scalar(select(StagedUpload).where(StagedUpload.token == token))
    if row is None or row.user_id != user.id or row.kind != kind or row.festival_id != festival_id:
        return None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
    if created < datetime.now(timezone.utc) - MAX_AGE:
        return None
    return row


def discard(row: StagedUpload) -> None:
    db.session.delete(row)
    db.session.flush()

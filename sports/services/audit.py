"""Writing the audit trail (who, when, what, before, after, reason)."""
from __future__ import annotations

from typing import Any

from flask_login import current_user

from sports.extensions import db
from sports.models import AuditEntry, User


def record(action: str, obj: Any, *, before: Any = None, after: Any = None, reason: str = "",
           festival_id: int | None = None, actor: User | str | None = None) -> AuditEntry:
    user = actor if isinstance(actor, User) else _current_user()
    entry = AuditEntry(
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        festival_id=festival_id,
        user_id=user.id if user else None,
        actor=user.username if user else (actor if isinstance(actor, str) else "system"),
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _current_user() -> User | None:
    try:
        user = current_user._get_current_object()
    except (RuntimeError, AttributeError):  # outside a request (CLI)
        return None
    return user if getattr(user, "is_authenticated", False) else None

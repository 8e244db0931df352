"""The two error kinds services raise besides bugs.

``RuleError`` (re-exported from the domain) is a rule violation the user can fix: its
messages are safe to show, nothing was stored. ``ConflictError`` means someone else changed
the object first (optimistic locking).
"""
from __future__ import annotations

from sports.domain.types import RuleError


class ConflictError(Exception):
    def __init__(self, message: str, current_version: int | None = None):
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class NotFound(RuleError):
    """A named object (user, festival, event) does not exist."""


__all__ = ["ConflictError", "NotFound", "RuleError"]

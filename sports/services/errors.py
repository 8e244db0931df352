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


class FieldErrors(RuleError):
    """Rule violations tied to named form fields: ``fields`` maps a field name to its messages.

    Views show each message beside its field; ``messages`` holds them all (for the CLI/API).
    """

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = {name: list(msgs) for name, msgs in fields.items() if msgs}
        super().__init__([m for msgs in self.fields.values() for m in msgs])


class Problems:
    """Collects field problems; ``raise_if_any()`` raises them together as FieldErrors."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise FieldErrors(self.fields)


__all__ = ["ConflictError", "FieldErrors", "NotFound", "Problems", "RuleError"]

"""User accounts and API tokens."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from sports.extensions import db
from sports.models._base import TimestampMixin

ROLES = ("admin", "organiser", "referee", "unit")  # unit: a unit leader, read-only


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    # Where a referee may record results: {"festivals": [slug…], "events": [code…], "courts": [name…]};
    # empty = everywhere. Organisers may be limited to festivals the same way.
    scopes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an organiser printed a login card with a one-time password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Part of the id kept in the session and the remember-me cookie: raised by logout, a password
    # change or an organiser's "sign out everywhere", it ends every session of the user at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: what the session and the remember-me cookie hold
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie issued so far stops working."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        # An admin may do whatever an organiser or referee may.
        return self.role == "admin" or self.role in roles


def hash_token(token: str) -> str:
    """API tokens are high-entropy random strings: a plain SHA-256 is the right hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class LoginFailure(db.Model):
    """A failed login, by client address: the limit holds across every worker and machine."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ApiToken(TimestampMixin, db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to tell tokens apart
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None: until revoked
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")  # e.g. "Máy ghi điểm sân 2"

    user: Mapped[User] = relationship(back_populates="tokens")

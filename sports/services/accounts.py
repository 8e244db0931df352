"""User accounts and API tokens."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from sports.domain.text import nfc
from sports.extensions import db
from sports.models import ApiToken, User
from sports.models.accounts import ROLES, hash_token
from sports.services import audit
from sports.services.errors import NotFound, RuleError

MIN_PASSWORD_LENGTH = 8
# Checked against when a user name does not exist, so that case takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))
ROLE_LABELS = {"admin": "Quản trị", "organiser": "Ban tổ chức", "referee": "Trọng tài"}


def create_user(username: str, role: str, password: str | None = None,
                full_name: str = "", actor: str = "cli") -> tuple[User, str]:
    """Create a user; returns it and its password (generated when none was given)."""
    username = nfc(username or "")
    problems = []
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        problems.append("Tên đăng nhập phải có 1–80 ký tự và không chứa khoảng trắng.")
    if role not in ROLES:
        problems.append(f"Vai trò '{role}' không tồn tại; chọn một trong: {', '.join(ROLES)}.")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if username and get_user(username) is not None:
        problems.append(f"Người dùng '{username}' đã tồn tại.")
    if problems:
        raise RuleError(problems)
    password = password or secrets.token_urlsafe(12)
    user = User(username=username, role=role, full_name=nfc(full_name), scopes={})
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, after={"username": username, "role": role}, actor=actor)
    return user, password


def get_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def authenticate(username: str, password: str) -> User | None:
    user = get_user(nfc(username or ""))
    if user is None:
        # Spend the same time as a real check so timing does not tell whether the name exists.
        User(password_hash=_DUMMY_HASH).check_password(password or "")
        return None
    if not user.active or not user.check_password(password or ""):
        return None
    return user


def issue_token(username: str, actor: str = "cli") -> str:
    """A new API token for the user: returned once, stored hashed."""
    user = get_user(username)
    if user is None:
        raise NotFound(f"Người dùng '{username}' không tồn tại.")
    token = "ht_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=hash_token(token), prefix=token[:10]))
    db.session.flush()
    audit.record("token.create", user, after={"prefix": token[:10]}, actor=actor)
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(False))
    )
    if row is None or not row.user.active:
        return None
    row.last_used_at = datetime.now(timezone.utc)
    return row.user


"""User accounts, passwords (one-time ones for login cards), API tokens, and the failed-login
limit kept in the database so that every worker process and machine counts the same failures."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from sports.domain.text import nfc
from sports.extensions import db
from sports.models import ApiToken, Festival, User
from sports.models.accounts import ROLES, LoginFailure, hash_token
from sports.services import audit
from sports.services.errors import NotFound, Problems, RuleError

MIN_PASSWORD_LENGTH = 8
# Checked against when a user name does not exist, so that case takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))
ROLE_LABELS = {"admin": "Quản trị", "organiser": "Ban tổ chức", "referee": "Trọng tài", "unit": "Lãnh đạo đơn vị"}


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


MAX_TOKEN_DAYS = 3650


def issue_token(username: str, actor: User | str = "cli", name: str = "", *,
                festival_id: int | None = None, expires_in_days: int | None = None) -> str:
    """A new API token for the user, ``name`` telling the device (e.g. "Máy ghi điểm sân 2"):
    returned once, stored hashed. With ``expires_in_days`` it stops working after that many days."""
    user = get_user(username)
    if user is None:
        raise NotFound(f"Người dùng '{username}' không tồn tại.")
    name = nfc(name or "").strip()
    if len(name) > 80:
        raise RuleError(["Tên thiết bị tối đa 80 ký tự."])
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
            raise RuleError([f"Số ngày hiệu lực phải từ 1 đến {MAX_TOKEN_DAYS}."])
        expires_at = datetime.now(timezone.utc) + timedelta(days=expires_in_days)
    token = "ht_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=hash_token(token), prefix=token[:10], name=name,
                            expires_at=expires_at))
    db.session.flush()
    after = {"prefix": token[:10], "name": name} | ({"expires_at": expires_at.isoformat()} if expires_at else {})
    audit.record("token.create", user, after=after, actor=actor, festival_id=festival_id)
    return token


def revoke_token(token_id: int, actor: User | str = "cli", *, festival_id: int | None = None) -> ApiToken:
    """Revoke a token (it stops working at once). Revoking a revoked token changes nothing."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"Không có mã API số {token_id}.")
    if not row.revoked:
        row.revoked = True
        db.session.flush()
        audit.record("token.revoke", row.user, before={"prefix": row.prefix, "name": row.name, "revoked": False},
                     after={"prefix": row.prefix, "name": row.name, "revoked": True}, actor=actor,
                     festival_id=festival_id)
    return row


def festival_referees(festival: Festival) -> list[User]:
    """Referee accounts assigned to this festival (its slug in ``scopes["festivals"]``)."""
    rows = db.session.scalars(select(User).where(User.role == "referee").order_by(User.username))
    return [u for u in rows if festival.slug in ((u.scopes or {}).get("festivals") or [])]


def festival_tokens(festival: Festival) -> list[ApiToken]:
    """API tokens of the festival's referee accounts, newest first."""
    ids = [u.id for u in festival_referees(festival)]
    if not ids:
        return []
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id.in_(ids)).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


# Token use is recorded at most this often: a read must not take a write lock on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def token_expired(row: ApiToken, now: datetime | None = None) -> bool:
    return row.expires_at is not None and _aware(row.expires_at) <= (now or datetime.now(timezone.utc))


def user_for_token(token: str) -> User | None:
    """The active user of a valid (not revoked, not expired) token. Its last use is updated
    only when the stored one is older than a minute."""
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(False))
    )
    now = datetime.now(timezone.utc)
    if row is None or not row.user.active or token_expired(row, now):
        return None
    if row.last_used_at is None or now - _aware(row.last_used_at) >= TOKEN_USE_RESOLUTION:
        row.last_used_at = now
    return row.user


def user_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def end_sessions(user: User, actor: User | str = "cli", *, festival_id: int | None = None) -> None:
    """Sign the user out everywhere: every session and remember-me cookie stops working."""
    user.end_sessions()
    db.session.flush()
    audit.record("user.sessions_end", user, after={"session_version": user.session_version}, actor=actor,
                 festival_id=festival_id)



# ----------------------------------------------------------------------------- passwords

# Lowercase letters and digits without the ones read alike on paper (0/o, 1/l/i).
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """Three groups of four characters, e.g. ``k7mp-3xra-9dtq`` (about 59 bits)."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))


def reset_to_one_time(festival: Festival, user_ids: list[int]) -> list[tuple[User, str]]:
    """Give each referee of the festival a new one-time password that must be changed at the
    next login. Returns (user, password) pairs, in the order asked; the passwords are stored
    hashed only and never written to the audit trail."""
    mine = {u.id: u for u in festival_referees(festival)}
    problems = Problems()
    if not user_ids:
        problems.add("users", "Chọn ít nhất một trọng tài.")
    unknown = [str(i) for i in user_ids if i not in mine]
    if unknown:
        problems.add("users", f"Không phải tài khoản trọng tài của hội thao này: {', '.join(unknown)}.")
    problems.raise_if_any()
    issued = []
    for user_id in dict.fromkeys(user_ids):
        user = mine[user_id]
        password = one_time_password()
        user.set_password(password)
        user.must_change_password = True
        user.end_sessions()
        issued.append((user, password))
    db.session.flush()
    for user, _password in issued:
        audit.record("user.password_reset", user, after={"must_change_password": True}, festival_id=festival.id)
    return issued


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    """The user's own change: the current password (the one-time one from the card, if that is
    what they logged in with), then the new one twice."""
    problems = Problems()
    if not user.check_password(current or ""):
        problems.add("current", "Mật khẩu hiện tại không đúng.")
    if len(new or "") < MIN_PASSWORD_LENGTH:
        problems.add("new", f"Mật khẩu mới phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    elif len(new) > 200:
        problems.add("new", "Mật khẩu mới tối đa 200 ký tự.")
    elif user.check_password(new):
        problems.add("new", "Mật khẩu mới phải khác mật khẩu hiện tại (và khác mật khẩu một lần trên thẻ).")
    if (new or "") != (repeat or ""):
        problems.add("repeat", "Hai lần nhập mật khẩu mới không giống nhau.")
    problems.raise_if_any()
    was_one_time = user.must_change_password
    user.set_password(new)
    user.must_change_password = False
    user.end_sessions()  # a stolen session or remember-me cookie dies with the old password
    db.session.flush()
    audit.record("user.password_change", user, before={"must_change_password": was_one_time},
                 after={"must_change_password": False}, actor=user)


# --------------------------------------------------------------------- failed-login limit

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class LoginLimit:
    attempts: int  # failed logins allowed per client address …
    window: timedelta  # … within this moving window


def parse_login_limit(text: str) -> LoginLimit:
    """"5 per 5 minutes", "10 per hour", "5/minute" (the Flask-Limiter notation, one limit)."""
    match = _RATE.match(text or "")
    if match is None or int(match.group(1)) < 1 or match.group(2) == "0":
        raise ValueError(f"LOGIN_RATE_LIMIT={text!r}: expected e.g. '5 per 5 minutes' or '10 per hour'")
    count, amount, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3).lower()
    return LoginLimit(count, timedelta(seconds=amount * _UNITS[unit]))


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)  # SQLite gives UTC back naive


def begin_login_attempt(key: str, limit: LoginLimit, now: datetime | None = None) -> LoginFailure:
    """Record an attempt as a failure *before* the password is checked (the caller commits it
    at once, so that other workers see it), and delete failures too old to count.

    Counting after recording makes the limit exact under concurrency: of N simultaneous
    attempts, the last to commit sees all N, so no more than ``limit.attempts`` get through.
    A successful login takes its row back with ``forget_login_attempt``."""
    now = now or datetime.now(timezone.utc)
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - limit.window))
    row = LoginFailure(key=key[:100], at=now)
    db.session.add(row)
    db.session.flush()
    return row


def login_refused(attempt: LoginFailure, limit: LoginLimit) -> timedelta | None:
    """None when this attempt may check a password; else how long until the oldest failure
    in the window expires (for Retry-After)."""
    since = _aware(attempt.at) - limit.window
    count, oldest = db.session.execute(
        select(func.count(), func.min(LoginFailure.at))
        .where(LoginFailure.key == attempt.key, LoginFailure.at > since)
    ).one()
    if count <= limit.attempts:
        return None
    return max(_aware(oldest) + limit.window - _aware(attempt.at), timedelta(seconds=1))


def forget_login_attempt(attempt: LoginFailure) -> None:
    """A successful login, or a refused attempt that checked no password: it does not count."""
    db.session.delete(attempt)
    db.session.flush()

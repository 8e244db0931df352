"""Settings read from the environment, with safe defaults for a laptop at the venue."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path, overrides: dict) -> str:
    """SECRET_KEY from the caller or the environment, else one generated once into instance/."""
    if overrides.get("SECRET_KEY"):
        return overrides["SECRET_KEY"]
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions; never committed (.gitignore has instance/).
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


# Keys that appear in tutorials, examples and templates: anyone can sign a session with them.
KNOWN_WEAK_KEYS = {"dev", "development", "secret", "secret-key", "secretkey", "changeme", "change-me",
                   "change_me", "your-secret-key", "your_secret_key", "supersecret", "default", "test",
                   "testing", "password", "flask", "hoithao", "please-change-me"}
MIN_SECRET_KEY_LENGTH = 32


def secret_key_problem(key: object) -> str | None:
    """Why a SECRET_KEY cannot protect sessions, or None. Sessions, remember-me cookies and CSRF
    tokens are signed with it: a short or well-known key lets anyone forge a login."""
    if not isinstance(key, (str, bytes)) or not key:
        return "SECRET_KEY is empty"
    text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
    if text.strip().lower() in KNOWN_WEAK_KEYS:
        return "SECRET_KEY is a well-known default"
    if len(text) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY has {len(text)} characters, at least {MIN_SECRET_KEY_LENGTH} are needed"
    if len(set(text)) < 8:
        return "SECRET_KEY repeats too few characters"
    return None


def check_settings(config) -> None:
    """Refuse to start with settings that would make the app unsafe (a clear message, no traceback hunt)."""
    problem = secret_key_problem(config.get("SECRET_KEY"))
    if problem:
        raise RuntimeError(
            f"{problem}. Set a random SECRET_KEY of {MIN_SECRET_KEY_LENGTH}+ characters, e.g. "
            "`python -c \"import secrets; print(secrets.token_hex(32))\"`, or unset it to have one "
            "generated into instance/secret_key.")
    if int(config.get("SESSION_IDLE_MINUTES") or 0) < 1:
        raise RuntimeError("SESSION_IDLE_MINUTES must be a whole number of minutes, at least 1.")


def normalise_database_url(url: str) -> str:
    """Accept the URL forms hosting panels hand out and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def settings_from_env(instance_path: Path, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    database_url = os.environ.get("DATABASE_URL")
    if not database_url and "SQLALCHEMY_DATABASE_URI" not in overrides:
        # The default SQLite file lives in instance/, which a fresh clone does not have (the
        # secret key creates it only when none is given in the environment).
        instance_path.mkdir(parents=True, exist_ok=True)
    database_url = database_url or f"sqlite:///{instance_path / 'hoithao.sqlite3'}"
    return {
        "SECRET_KEY": _secret_key(instance_path, overrides),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per 5 minutes"),
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # A login unused this long ends (remember-me included); 0 is refused.
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "240")),
    }

"""The app factory and its settings."""
import stat

from sqlalchemy import text

from sports import create_app
from sports.config import normalise_database_url, settings_from_env


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = settings_from_env(tmp_path)["SECRET_KEY"]
    second = settings_from_env(tmp_path)["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text()
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert settings_from_env(tmp_path)["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = settings_from_env(tmp_path, {"SECRET_KEY": "x"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'hoithao.sqlite3'}"


def test_a_fresh_clone_with_the_secret_key_in_the_environment_gets_its_sqlite_file(tmp_path, monkeypatch):
    """`SECRET_KEY=… make run` on a fresh clone: no instance/ folder yet, and no key file to create it."""
    from flask_migrate import upgrade

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "d41f0a9c7e3b58e2a6c1f04b9d7e2a35c8b1f6e0")
    instance = tmp_path / "instance"
    settings = settings_from_env(instance)
    assert instance.is_dir()
    app = create_app({"SQLALCHEMY_DATABASE_URI": settings["SQLALCHEMY_DATABASE_URI"]})
    with app.app_context():
        upgrade()
    assert (instance / "hoithao.sqlite3").stat().st_size > 0


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/hoithao")
    settings = settings_from_env(tmp_path, {"SECRET_KEY": "x"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/hoithao"


def test_normalise_database_url_keeps_explicit_driver():
    assert normalise_database_url("postgresql+psycopg://h/d") == "postgresql+psycopg://h/d"
    assert normalise_database_url("postgresql://h/d") == "postgresql+psycopg://h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_config_mapping_overrides_everything(tmp_path):
    app = create_app({"SECRET_KEY": "test-secret-key-of-the-suite-0123456789", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db",
                      "LOGIN_RATE_LIMIT": "1 per minute"})
    assert app.config["SECRET_KEY"] == "test-secret-key-of-the-suite-0123456789"
    assert app.config["LOGIN_RATE_LIMIT"] == "1 per minute"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"
    assert {"public", "auth", "admin", "api"} <= set(app.blueprints)


def test_sqlite_connections_have_foreign_keys_wal_and_busy_timeout(db):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_app_module_exposes_app():
    import app as entry

    assert entry.app.name == "sports"

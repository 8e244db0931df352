"""Hội thao: results system for workplace sports festivals.

``create_app`` reads as a table of contents: each ``register_*`` step adds one concern.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
        static_folder=str(Path(__file__).resolve().parent.parent / "static"),
    )
    from sports.config import check_settings, settings_from_env

    app.config.update(settings_from_env(Path(app.instance_path), config))
    if config:
        app.config.update(config)
    check_settings(app.config)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    from sports.web.headers import register as register_headers

    register_headers(app)
    return app


def register_extensions(app: Flask) -> None:
    from sports import models  # noqa: F401  (registers the tables)
    from sports.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)


def register_url_converters(app: Flask) -> None:
    """Ids in URLs stay within the database's integer columns: a bigger number is a 404, not a crash."""
    from werkzeug.routing import IntegerConverter

    class DatabaseId(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseId


def register_blueprints(app: Flask) -> None:
    from sports.web.admin import bp as admin_bp
    from sports.web.api import bp as api_bp
    from sports.web.auth import bp as auth_bp
    from sports.web.public import bp as public_bp
    from sports.web.public.exports import bp as exports_bp
    from sports.web.referee import bp as referee_bp
    from sports.web.unit import bp as unit_bp
    from sports.web.verify import bp as verify_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(referee_bp, url_prefix="/referee")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(unit_bp, url_prefix="/unit")
    app.register_blueprint(verify_bp)


def register_errorhandlers(app: Flask) -> None:
    from sports.web.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from sports.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from sports.web.helpers import register

    register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # pragma: no cover - trivial
    """Foreign keys on, WAL and a busy timeout for every SQLite connection."""
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass  # e.g. an in-memory database
    cursor.close()

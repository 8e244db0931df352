"""Template filters and globals shared by every blueprint."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from sports.domain.disciplines import DISCIPLINES, SPORTS, event_label
from sports.domain.text import date_phrase
from sports.services.accounts import ROLE_LABELS
from sports.services.reports import OUTCOME_NOTES


def short_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def local_time(dt: datetime | None) -> str:
    """A stored match time as "08:30 25/11" (festival-local)."""
    from sports.services.schedule import local

    value = local(dt)
    return value.strftime("%H:%M %d/%m") if value else ""


def clock(dt: datetime | None) -> str:
    from sports.services.schedule import local

    value = local(dt)
    return value.strftime("%H:%M") if value else ""


def stamp(dt: datetime | None) -> str:
    """A UTC moment (when a result was recorded) as "08:30 25/11" local time."""
    from sports.services.schedule import local_from_utc

    value = local_from_utc(dt)
    return value.strftime("%H:%M %d/%m") if value else ""


def register(app: Flask) -> None:
    app.jinja_env.filters["stamp"] = stamp
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["long_date"] = lambda d: date_phrase(d) if d else ""
    app.jinja_env.globals.update(
        SPORTS=SPORTS, DISCIPLINES=DISCIPLINES, ROLE_LABELS=ROLE_LABELS, event_label=event_label,
        OUTCOME_NOTES=OUTCOME_NOTES
    )

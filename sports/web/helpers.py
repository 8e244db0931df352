"""Template filters and globals shared by every blueprint."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import quote

from flask import Flask, url_for

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


_MARK = "~each~"


def url_each(endpoint: str, key: str, **values) -> Callable[[object], str]:
    """``url_each("public.unit", "code", slug=s)(code)`` is ``url_for("public.unit", slug=s,
    code=code)``, with the address built once: a list of a hundred links makes one ``url_for``,
    not a hundred (each costs more than the rest of its row)."""
    head, tail = url_for(endpoint, **values, **{key: _MARK}).split(_MARK)
    # What werkzeug's path converter does to a value (BaseConverter.to_url).
    return lambda value: head + quote(str(value), safe="!$&'()*+,/:;=@") + tail


def register(app: Flask) -> None:
    app.jinja_env.filters["stamp"] = stamp
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["long_date"] = lambda d: date_phrase(d) if d else ""
    app.jinja_env.globals.update(
        SPORTS=SPORTS, DISCIPLINES=DISCIPLINES, ROLE_LABELS=ROLE_LABELS, event_label=event_label,
        OUTCOME_NOTES=OUTCOME_NOTES, url_each=url_each,
    )

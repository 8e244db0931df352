"""What every organiser page needs: the festival from the URL (with the organiser's scope),
and service refusals shown beside their form fields."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from sports.extensions import db
from sports.models import Festival
from sports.services.errors import FieldErrors, RuleError


def festival_or_404(slug: str) -> Festival:
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    allowed = (current_user.scopes or {}).get("festivals") or []
    if allowed and current_user.role != "admin" and slug not in allowed:
        abort(403)
    return festival


def show_errors(form: FlaskForm, exc: RuleError, aliases: dict[str, str] | None = None) -> list[str]:
    """Attach a service refusal to the form's fields; returns the messages no field took.

    ``aliases`` names the form field that shows a service field's messages (e.g. the match
    format's problems beside "best of").
    """
    db.session.rollback()
    loose: list[str] = []
    fields = exc.fields if isinstance(exc, FieldErrors) else {}
    for name, messages in fields.items():
        target = getattr(form, (aliases or {}).get(name, name), None)
        if target is None:
            loose += messages
        else:
            target.errors = list(target.errors) + messages
    if not fields:
        loose = list(exc.messages)
    return loose

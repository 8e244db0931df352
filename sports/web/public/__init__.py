"""Public pages: no login. The full results pages come with their own issue."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from sports.extensions import db
from sports.models import Festival

bp = Blueprint("public", __name__)


def _festivals() -> list[Festival]:
    return list(db.session.scalars(select(Festival).order_by(Festival.start_date.desc(), Festival.id.desc())))


@bp.route("/")
def index():
    festivals = _festivals()
    festival = festivals[0] if festivals else None
    return render_template("public/index.html", festival=festival, festivals=festivals)


@bp.route("/f/<slug>")
def festival(slug: str):
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    return render_template("public/index.html", festival=festival, festivals=_festivals())

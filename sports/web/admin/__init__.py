"""Organiser pages. Every request needs the organiser or admin role."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import func, select
from wtforms import BooleanField

from sports.extensions import db
from sports.importers.festival_file import ImportProblems, dumps, export, import_file
from sports.models import Athlete, Event, Festival, Match, Unit
from sports.web.access import require_role

bp = Blueprint("admin", __name__)
bp.before_request(require_role("organiser"))

MAX_FESTIVAL_FILE = 20 * 1024 * 1024


def _count_by_festival(stmt) -> dict[int, int]:
    return dict(db.session.execute(stmt).all())


@bp.route("/")
def index():
    festivals = list(db.session.scalars(select(Festival).order_by(Festival.id.desc())))
    counts = {
        "units": _count_by_festival(select(Unit.festival_id, func.count()).group_by(Unit.festival_id)),
        "athletes": _count_by_festival(select(Athlete.festival_id, func.count()).group_by(Athlete.festival_id)),
        "events": _count_by_festival(select(Event.festival_id, func.count()).group_by(Event.festival_id)),
        "matches": _count_by_festival(
            select(Event.festival_id, func.count()).select_from(Match)
            .join(Event, Event.id == Match.event_id).group_by(Event.festival_id)
        ),
    }
    return render_template("admin/index.html", festivals=festivals, counts=counts)


class ImportForm(FlaskForm):
    file = FileField("Tệp hội thao (.json)", validators=[
        FileRequired("Chọn tệp hội thao cần nhập."),
        FileAllowed(["json"], "Chỉ nhận tệp .json (định dạng hoithao/1)."),
    ])
    replace = BooleanField("Thay thế hội thao đã có cùng mã (slug)")


@bp.route("/import", methods=["GET", "POST"])
def import_festival():
    form = ImportForm()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_FESTIVAL_FILE + 1)
        if len(raw) > MAX_FESTIVAL_FILE:
            problems = [_("Tệp lớn hơn 20 MB.")]
        else:
            try:
                festival = import_file(raw, replace=form.replace.data)
            except ImportProblems as exc:
                db.session.rollback()
                problems = exc.problems
            else:
                db.session.commit()
                flash(_("Đã nhập hội thao “%(name)s” (%(slug)s).", name=festival.name, slug=festival.slug), "info")
                return redirect(url_for("admin.index"))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("admin/import.html", form=form, problems=problems), status


@bp.route("/festivals/<slug>/export.json")
def export_festival(slug: str):
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        abort(404)
    return Response(dumps(export(festival)), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.json"'})

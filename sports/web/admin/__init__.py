"""Organiser pages. Every request needs the organiser or admin role.

The blueprint's pages live in modules by subject (festivals, people, events, registration);
this module holds the blueprint, the festival list and the festival-file import.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import func, select
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired

from sports.extensions import db
from sports.importers.festival_file import ImportProblems, check, dumps, export, parse, write
from sports.models import Athlete, Event, Festival, Match, Unit
from sports.services import uploads
from sports.services.festivals import current_festival
from sports.web.access import require_role
from sports.web.admin.common import festival_or_404

bp = Blueprint("admin", __name__)
bp.before_request(require_role("organiser"))

MAX_FESTIVAL_FILE = 20 * 1024 * 1024


def _count_by_festival(stmt) -> dict[int, int]:
    return dict(db.session.execute(stmt).all())


@bp.route("/")
def index():
    listed = list(db.session.scalars(select(Festival).order_by(Festival.id.desc())))
    allowed = (current_user.scopes or {}).get("festivals") or []
    if allowed and current_user.role != "admin":
        listed = [f for f in listed if f.slug in allowed]
    counts = {
        "units": _count_by_festival(select(Unit.festival_id, func.count()).group_by(Unit.festival_id)),
        "athletes": _count_by_festival(select(Athlete.festival_id, func.count()).group_by(Athlete.festival_id)),
        "events": _count_by_festival(select(Event.festival_id, func.count()).group_by(Event.festival_id)),
        "matches": _count_by_festival(
            select(Event.festival_id, func.count()).select_from(Match)
            .join(Event, Event.id == Match.event_id).group_by(Event.festival_id)
        ),
    }
    shown = current_festival()
    return render_template("admin/index.html", festivals=listed, counts=counts,
                           shown_id=shown.id if shown else None)


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp hội thao (.json)"), validators=[
        FileRequired(_l("Chọn tệp hội thao cần nhập.")),
        FileAllowed(["json"], _l("Chỉ nhận tệp .json (định dạng hoithao/1). Tệp Excel đăng ký vận động viên "
                                 "được nhập ở trang “Đăng ký (Excel)” của từng hội thao.")),
    ])


class ReplaceForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(_l("Tôi hiểu: toàn bộ dữ liệu hiện có của hội thao này (đơn vị, vận động viên, nội dung, "
                              "kết quả) được thay bằng nội dung của tệp. Nhật ký thay đổi được giữ lại."),
                           validators=[DataRequired(_l("Đánh dấu ô xác nhận để thay thế."))])


def _festival_summary(festival: Festival) -> dict:
    completed = db.session.scalar(select(func.count()).select_from(Match).join(Event).where(
        Event.festival_id == festival.id, Match.status == "completed"))
    return {"units": len(festival.units), "athletes": len(festival.athletes), "events": len(festival.events),
            "results": completed}


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
                # Checked as a replacement, so the organiser confirms only a file that will import.
                checked = check(parse(raw), replace=True)
                existing = db.session.scalar(select(Festival).where(Festival.slug == checked.file.festival.slug))
                if existing is None:
                    festival = write(checked)
            except ImportProblems as exc:
                db.session.rollback()
                problems = exc.problems
            else:
                if existing is not None:
                    festival_or_404(existing.slug)  # an organiser limited to festivals replaces only those
                    token = uploads.stage(current_user, "festival_file", raw, form.file.data.filename or "")
                    db.session.commit()
                    return render_template("admin/import_confirm.html", existing=existing,
                                           summary=_festival_summary(existing), incoming=checked.file,
                                           form=ReplaceForm(token=token))
                db.session.commit()
                flash(_("Đã nhập hội thao “%(name)s” (%(slug)s).", name=festival.name, slug=festival.slug), "info")
                return redirect(url_for("admin.festival", slug=festival.slug))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("admin/import.html", form=form, problems=problems), status


@bp.route("/import/replace", methods=["POST"])
def import_replace():
    form = ReplaceForm()
    staged = uploads.take(current_user, "festival_file", form.token.data or "")
    if staged is None:
        flash(_("Tệp đã tải lên không còn (quá một ngày hoặc đã dùng). Hãy tải tệp lên lại."), "error")
        return redirect(url_for("admin.import_festival"))
    raw = staged.data
    target = db.session.scalar(select(Festival).where(Festival.slug == parse(raw).festival.slug))
    if target is not None:
        festival_or_404(target.slug)
    if not form.validate_on_submit():
        incoming = parse(raw)  # parsed before it was staged
        existing = db.session.scalar(select(Festival).where(Festival.slug == incoming.festival.slug))
        if existing is None:
            abort(409)
        return render_template("admin/import_confirm.html", existing=existing, summary=_festival_summary(existing),
                               incoming=incoming, form=form), 422
    try:
        festival = write(check(parse(raw), replace=True), replace=True)
    except ImportProblems as exc:
        db.session.rollback()
        return render_template("admin/import.html", form=ImportForm(), problems=exc.problems), 422
    uploads.discard(staged)
    db.session.commit()
    flash(_("Đã thay thế hội thao “%(name)s” (%(slug)s) bằng nội dung của tệp; nhật ký thay đổi được giữ lại.",
            name=festival.name, slug=festival.slug), "info")
    return redirect(url_for("admin.festival", slug=festival.slug))


@bp.route("/festivals/<slug>/export.json")
def export_festival(slug: str):
    festival = festival_or_404(slug)
    return Response(dumps(export(festival)), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.json"'})


from sports.web.admin import accounts, audit, certificates, draws, emulation, events, festivals, people, registration, schedule  # noqa: E402,F401  (register their routes)

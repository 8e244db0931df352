"""Excel registration: the template, upload → preview (every problem located) → confirm, and Excel out."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from sports.extensions import db
from sports.importers import exports, registration
from sports.services import uploads
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404

MAX_WORKBOOK = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 400


class UploadForm(FlaskForm):
    file = FileField(_l("Tệp đăng ký (.xlsx)"), validators=[
        FileRequired(_l("Chọn tệp Excel đăng ký cần nhập.")),
        FileAllowed(["xlsx"], _l("Chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên). Tệp .xls cũ: mở bằng Excel và "
                                 "“Lưu thành” .xlsx.")),
    ])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


def _xlsx(data: bytes, name: str) -> Response:
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/festivals/<slug>/registration", methods=["GET", "POST"], endpoint="registration")
def registration_page(slug: str):
    festival = festival_or_404(slug)
    form = UploadForm()
    plan = None
    confirm = None
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_WORKBOOK + 1)
        filename = form.file.data.filename or ""
        if len(raw) > MAX_WORKBOOK:
            form.file.errors = [_("Tệp lớn hơn 10 MB.")]
            status = 422
        else:
            plan = registration.read(festival, raw, filename)
            db.session.rollback()  # reading never writes; nothing half-loaded stays in the session
            if plan.ok:
                confirm = ConfirmForm(token=uploads.stage(current_user, "registration", raw, filename, festival.id))
                db.session.commit()
            else:
                status = 422
    elif form.is_submitted():
        status = 422
    return render_template("admin/registration.html", festival=festival, form=form, plan=plan, confirm=confirm,
                           preview_rows=PREVIEW_ROWS), status


@bp.route("/festivals/<slug>/registration/confirm", methods=["POST"])
def registration_confirm(slug: str):
    festival = festival_or_404(slug)
    form = ConfirmForm()
    staged = uploads.take(current_user, "registration", form.token.data or "", festival.id) \
        if form.validate_on_submit() else None
    if staged is None:
        flash(_("Tệp đã tải lên không còn (quá một ngày hoặc đã nhập). Hãy tải tệp lên lại."), "error")
        return redirect(url_for("admin.registration", slug=slug))
    try:
        plan = registration.import_workbook(festival, staged.data, filename=staged.filename)
    except registration.RegistrationProblems:
        # The festival changed between preview and confirm (e.g. another organiser's edit).
        db.session.rollback()
        flash(_("Chưa nhập được: dữ liệu hội thao đã thay đổi từ lúc xem trước. Hãy xem lại các lỗi."), "error")
        plan = registration.read(festival, staged.data, staged.filename)
        db.session.rollback()
        return render_template("admin/registration.html", festival=festival, form=UploadForm(), plan=plan,
                               confirm=None, preview_rows=PREVIEW_ROWS), 422
    uploads.discard(staged)
    db.session.commit()
    flash(_("Đã nhập đăng ký: %(na)d vận động viên mới, %(ua)d cập nhật; %(ne)d đăng ký thi đấu mới, %(re)d bỏ.",
            na=plan.new_athletes, ua=plan.updated_athletes, ne=plan.new_entries, re=plan.removed_entries), "info")
    return redirect(url_for("admin.athletes", slug=slug))


@bp.route("/festivals/<slug>/registration/template.xlsx")
def registration_template(slug: str):
    festival = festival_or_404(slug)
    return _xlsx(registration.template(festival), f"dang-ky-{slug}.xlsx")


@bp.route("/festivals/<slug>/athletes.xlsx")
def athletes_xlsx(slug: str):
    festival = festival_or_404(slug)
    return _xlsx(exports.athletes_workbook(festival), f"van-dong-vien-{slug}.xlsx")


@bp.route("/festivals/<slug>/entries.xlsx")
def entries_xlsx(slug: str):
    festival = festival_or_404(slug)
    return _xlsx(exports.entries_workbook(festival), f"dang-ky-thi-dau-{slug}.xlsx")

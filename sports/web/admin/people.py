"""Units and athletes: lists with search, create, edit, withdraw and restore."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from sports.extensions import db
from sports.services import people as service
from sports.services.errors import RuleError
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import OptionalInteger


class UnitForm(FlaskForm):
    code = StringField(_l("Mã đơn vị"), validators=[DataRequired(_l("Nhập mã đơn vị.")), Length(max=40, message=_l("Mã tối đa 40 ký tự."))],
                       description=_l("Ngắn, không dấu, ví dụ BVDK; dùng trong tệp Excel đăng ký."))
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(_l("Nhập tên đơn vị.")), Length(max=300, message=_l("Tên tối đa 300 ký tự."))])
    short_name = StringField(_l("Tên viết tắt (hiển thị trên bảng tổng sắp)"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])

    def data_(self) -> service.UnitData:
        return service.UnitData(code=self.code.data or "", name=self.name.data or "", short_name=self.short_name.data or "")


class AthleteForm(FlaskForm):
    unit_code = SelectField(_l("Đơn vị"), validate_choice=False)
    name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Nhập họ và tên.")), Length(max=200, message=_l("Tối đa 200 ký tự."))])
    gender = SelectField(_l("Giới tính"), choices=[("M", "Nam"), ("F", "Nữ")], validate_choice=False)
    birth_year = OptionalInteger(_l("Năm sinh"), minimum=1900, maximum=2100)
    staff_no = StringField(_l("Mã nhân viên / số hiệu"), validators=[Length(max=40, message=_l("Tối đa 40 ký tự."))])
    note = StringField(_l("Ghi chú"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])

    def data_(self) -> service.AthleteData:
        return service.AthleteData(unit_code=self.unit_code.data or "", name=self.name.data or "",
                                   gender=self.gender.data or "", birth_year=self.birth_year.data,
                                   staff_no=self.staff_no.data or "", note=self.note.data or "")


class WithdrawForm(FlaskForm):
    withdrawn = HiddenField()
    reason = StringField(_l("Lý do"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])


def _unit_choices(festival, keep: str | None = None):
    return [("", _("— chọn đơn vị —"))] + [(u.code, f"{u.code} · {u.name}") for u in service.units(festival)
                                           if not u.withdrawn or u.code == keep]


# ------------------------------------------------------------------------------- units

@bp.route("/festivals/<slug>/units")
def units(slug: str):
    festival = festival_or_404(slug)
    query = request.args.get("q", "")[:100]
    rows = service.units(festival, query)
    counts: dict[int, int] = {}
    for a in festival.athletes:
        counts[a.unit_id] = counts.get(a.unit_id, 0) + 1
    return render_template("admin/units.html", festival=festival, rows=rows, query=query, counts=counts,
                           withdraw_form=WithdrawForm())


@bp.route("/festivals/<slug>/units/new", methods=["GET", "POST"])
@bp.route("/festivals/<slug>/units/<code>/edit", methods=["GET", "POST"])
def unit_form(slug: str, code: str | None = None):
    festival = festival_or_404(slug)
    unit = _get(service.get_unit, festival, code) if code else None
    form = UnitForm(obj=unit)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            if unit is None:
                unit = service.create_unit(festival, form.data_())
                message = _("Đã thêm đơn vị “%(name)s”.", name=unit.name)
            else:
                service.update_unit(unit, form.data_())
                message = _("Đã lưu đơn vị “%(name)s”.", name=unit.name)
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(message, "info")
            return redirect(url_for("admin.units", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/unit_form.html", festival=festival, unit=unit, form=form, problems=problems), status


@bp.route("/festivals/<slug>/units/<code>/withdraw", methods=["POST"])
def unit_withdraw(slug: str, code: str):
    festival = festival_or_404(slug)
    unit = _get(service.get_unit, festival, code)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    withdrawn = form.withdrawn.data == "1"
    changed = service.set_unit_withdrawn(unit, withdrawn, reason=form.reason.data or "")
    db.session.commit()
    if withdrawn:
        flash(_("%(name)s đã rút khỏi hội thao; %(n)d đăng ký thi đấu được đánh dấu rút lui.", name=unit.name, n=changed), "info")
    else:
        flash(_("%(name)s tham gia trở lại; %(n)d đăng ký thi đấu được khôi phục.", name=unit.name, n=changed), "info")
    return redirect(url_for("admin.units", slug=slug))


# ---------------------------------------------------------------------------- athletes

@bp.route("/festivals/<slug>/athletes")
def athletes(slug: str):
    festival = festival_or_404(slug)
    query = request.args.get("q", "")[:100]
    unit_code = request.args.get("unit", "")[:40]
    rows = service.athletes(festival, query, unit_code)
    return render_template("admin/athletes.html", festival=festival, rows=rows, query=query, unit_code=unit_code,
                           units=service.units(festival), entries=service.entries_by_athlete(festival),
                           withdraw_form=WithdrawForm())


@bp.route("/festivals/<slug>/athletes/new", methods=["GET", "POST"])
@bp.route("/festivals/<slug>/athletes/<int:athlete_id>/edit", methods=["GET", "POST"])
def athlete_form(slug: str, athlete_id: int | None = None):
    festival = festival_or_404(slug)
    athlete = _get(service.get_athlete, festival, athlete_id) if athlete_id else None
    form = AthleteForm()
    if request.method == "GET":
        if athlete is not None:
            form.process(obj=athlete)
            form.unit_code.data = athlete.unit.code
        else:
            form.unit_code.data = request.args.get("unit", "")
    form.unit_code.choices = _unit_choices(festival, athlete.unit.code if athlete else None)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            if athlete is None:
                athlete = service.create_athlete(festival, form.data_())
                message = _("Đã thêm vận động viên %(name)s.", name=athlete.name)
            else:
                service.update_athlete(athlete, form.data_())
                message = _("Đã lưu vận động viên %(name)s.", name=athlete.name)
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(message, "info")
            if request.form.get("again"):
                return redirect(url_for("admin.athlete_form", slug=slug, unit=athlete.unit.code))
            return redirect(url_for("admin.athletes", slug=slug, unit=athlete.unit.code))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/athlete_form.html", festival=festival, athlete=athlete, form=form,
                           problems=problems), status


@bp.route("/festivals/<slug>/athletes/<int:athlete_id>/withdraw", methods=["POST"])
def athlete_withdraw(slug: str, athlete_id: int):
    festival = festival_or_404(slug)
    athlete = _get(service.get_athlete, festival, athlete_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    withdrawn = form.withdrawn.data == "1"
    changed = service.set_athlete_withdrawn(athlete, withdrawn, reason=form.reason.data or "")
    db.session.commit()
    if withdrawn:
        flash(_("%(name)s đã rút; %(n)d đăng ký thi đấu được đánh dấu rút lui.", name=athlete.name, n=changed), "info")
    else:
        flash(_("%(name)s tham gia trở lại; %(n)d đăng ký thi đấu được khôi phục.", name=athlete.name, n=changed), "info")
    return redirect(url_for("admin.athletes", slug=slug, unit=request.args.get("unit", "")))


def _get(getter, festival, key):
    try:
        return getter(festival, key)
    except RuleError:
        abort(404)

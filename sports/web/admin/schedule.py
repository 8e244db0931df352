"""The court schedule (courts, sessions, match lengths, automatic schedule, moving a match by
hand, running late) and the referees' assignments to courts and events."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from sports.domain.disciplines import SPORTS
from sports.extensions import db
from sports.models import Court, Entry, Match, ScheduleSession, User
from sports.services import referees as referee_service
from sports.services import schedule as service
from sports.services.accounts import create_user
from sports.services.draws import match_sides
from sports.services.errors import RuleError
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import OptionalInteger, VietDate, VietTime, small_int


class CourtsForm(FlaskForm):
    sport = SelectField(_l("Môn"), choices=list(SPORTS.items()), validate_choice=False)
    names = StringField(_l("Tên sân (cách nhau bằng dấu phẩy)"), validators=[Length(max=1000, message=_l("Tối đa 1000 ký tự."))],
                        description=_l("Ví dụ: Sân 1, Sân 2 — hoặc để trống và ghi số sân cần thêm."))
    count = OptionalInteger(_l("Hoặc số sân cần thêm"), minimum=1, maximum=50)


class CourtNameForm(FlaskForm):
    name = StringField(_l("Tên mới"), validators=[DataRequired(message=_l("Nhập tên mới của sân.")),
                                                  Length(max=80, message=_l("Tên sân tối đa 80 ký tự."))])


class SessionForm(FlaskForm):
    day = VietDate(_l("Ngày"), render_kw={"type": "date"})
    start = VietTime(_l("Từ"), render_kw={"placeholder": "07:30", "inputmode": "numeric"})
    end = VietTime(_l("Đến"), render_kw={"placeholder": "11:30", "inputmode": "numeric"})


class SettingsForm(FlaskForm):
    min_rest = OptionalInteger(_l("Nghỉ tối thiểu giữa hai trận của một VĐV (phút)"), minimum=0, maximum=600, default=0)
    slot_volleyball = OptionalInteger(_l("Bóng chuyền: phút mỗi trận"), minimum=5, maximum=300)
    slot_table_tennis = OptionalInteger(_l("Bóng bàn: phút mỗi trận"), minimum=5, maximum=300)
    slot_badminton = OptionalInteger(_l("Cầu lông: phút mỗi trận"), minimum=5, maximum=300)


class ActionForm(FlaskForm):
    pass


class NotBeforeForm(FlaskForm):
    entry = SelectField(_l("VĐV/đôi/đội"), validate_choice=False)
    day = VietDate(_l("Vào ngày"), render_kw={"type": "date"})
    start = VietTime(_l("Không thi đấu trước"), render_kw={"placeholder": "13:30", "inputmode": "numeric"})


class MoveForm(FlaskForm):
    court = SelectField(_l("Sân"), validate_choice=False)
    day = VietDate(_l("Ngày"), render_kw={"type": "date"})
    start = VietTime(_l("Giờ bắt đầu"), render_kw={"placeholder": "08:30", "inputmode": "numeric"})
    reason = StringField(_l("Ghi chú (không bắt buộc)"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])


def _page(festival, courts_form=None, session_form=None, settings_form=None, status=200, problems=(),
          limit_form=None):
    days = service.order_of_play(festival)
    late = service.running_late(festival)
    unscheduled = _unscheduled(festival)
    sides = match_sides([m for _, per in days for _, ms in per for m in ms] + late + unscheduled)
    settings_form = settings_form or SettingsForm(formdata=None, min_rest=festival.min_rest_minutes,
                                                  **{f"slot_{k}": v for k, v in (festival.slot_minutes or {}).items()})
    return render_template(
        "admin/schedule.html", festival=festival, courts=service.courts(festival),
        sessions=service.sessions(festival), courts_form=courts_form or CourtsForm(formdata=None),
        session_form=session_form or SessionForm(formdata=None), settings_form=settings_form,
        action=ActionForm(), fit=service.fit(festival), days=days, sides=sides,
        late=late, unscheduled=unscheduled, describe=service.describe_session,
        day_text=service.day_text, defaults=service.DEFAULT_SLOT, problems=problems,
        limits=service.entry_limits(festival), limit_form=_limit_form(festival, limit_form),
    ), status


def _limit_form(festival, form=None):
    form = form or NotBeforeForm(formdata=None, prefix="limit")
    form.entry.choices = [(e.name, [(str(x.id), f"{x.display_name} · {x.unit.display_name}") for x in e.entries])
                          for e in festival.events if e.entries]
    return form


def _unscheduled(festival) -> list[Match]:
    data = service.load(festival)
    return [m for m in data.matches if m.status == "scheduled" and (m.court_id is None or m.scheduled_at is None)]


@bp.route("/festivals/<slug>/schedule")
def schedule(slug: str):
    return _page(festival_or_404(slug))


@bp.route("/festivals/<slug>/schedule/courts", methods=["POST"])
def schedule_courts(slug: str):
    festival = festival_or_404(slug)
    form = CourtsForm()
    if form.validate_on_submit():
        names = [n for n in (form.names.data or "").split(",") if n.strip()]
        if not names and form.count.data:
            prefix = {"volleyball": "Sân bóng chuyền", "table_tennis": "Bàn", "badminton": "Sân cầu lông"}.get(form.sport.data, "Sân")
            names = service.next_court_names(festival, form.count.data, prefix)
        try:
            added = service.add_courts(festival, form.sport.data, names)
        except RuleError as exc:
            return _page(festival, courts_form=form, problems=show_errors(form, exc), status=422)
        db.session.commit()
        flash(_("Đã thêm %(n)d sân: %(names)s.", n=len(added), names=", ".join(c.name for c in added)), "info")
        return redirect(url_for("admin.schedule", slug=slug))
    return _page(festival, courts_form=form, status=422)


@bp.route("/festivals/<slug>/schedule/courts/<int:court_id>/rename", methods=["POST"])
def schedule_court_rename(slug: str, court_id: int):
    festival = festival_or_404(slug)
    court = db.session.get(Court, court_id)
    if court is None or court.festival_id != festival.id:
        abort(404)
    form = CourtNameForm()
    if not form.validate_on_submit():
        return _page(festival, problems=[m for ms in form.errors.values() for m in ms], status=422)
    old = court.name
    try:
        service.rename_court(court, form.name.data)
    except RuleError as exc:
        db.session.rollback()
        return _page(festival, problems=list(exc.messages), status=422)
    db.session.commit()
    flash(_("Đã đổi tên %(old)s thành %(new)s.", old=old, new=court.name), "info")
    return redirect(url_for("admin.schedule", slug=slug))


@bp.route("/festivals/<slug>/schedule/courts/<int:court_id>/delete", methods=["POST"])
def schedule_court_delete(slug: str, court_id: int):
    festival = festival_or_404(slug)
    court = db.session.get(Court, court_id)
    if court is None or court.festival_id != festival.id or not ActionForm().validate_on_submit():
        abort(404)
    try:
        service.remove_court(court)
    except RuleError as exc:
        db.session.rollback()
        flash(exc.messages[0], "error")
    else:
        db.session.commit()
        flash(_("Đã xóa %(name)s; các trận của sân này cần xếp lại.", name=court.name), "info")
    return redirect(url_for("admin.schedule", slug=slug))


@bp.route("/festivals/<slug>/schedule/sessions", methods=["POST"])
def schedule_sessions(slug: str):
    festival = festival_or_404(slug)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            row = service.add_session(festival, form.day.data, form.start.data, form.end.data)
        except RuleError as exc:
            return _page(festival, session_form=form, problems=show_errors(form, exc), status=422)
        db.session.commit()
        flash(_("Đã thêm buổi thi đấu %(s)s.", s=service.describe_session(row)), "info")
        return redirect(url_for("admin.schedule", slug=slug))
    return _page(festival, session_form=form, status=422)


@bp.route("/festivals/<slug>/schedule/sessions/<int:session_id>/delete", methods=["POST"])
def schedule_session_delete(slug: str, session_id: int):
    festival = festival_or_404(slug)
    row = db.session.get(ScheduleSession, session_id)
    if row is None or row.festival_id != festival.id or not ActionForm().validate_on_submit():
        abort(404)
    try:
        freed = service.remove_session(row)
    except RuleError as exc:
        db.session.rollback()
        flash(exc.messages[0], "error")
    else:
        db.session.commit()
        flash(_("Đã xóa buổi thi đấu; %(n)d trận của buổi này cần xếp lại.", n=freed) if freed
              else _("Đã xóa buổi thi đấu."), "info")
    return redirect(url_for("admin.schedule", slug=slug))


@bp.route("/festivals/<slug>/schedule/settings", methods=["POST"])
def schedule_settings(slug: str):
    festival = festival_or_404(slug)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            service.update_settings(festival, service.ScheduleSettings(
                min_rest=form.min_rest.data or 0,
                slot_minutes={s: getattr(form, f"slot_{s}").data for s in SPORTS}))
        except RuleError as exc:
            return _page(festival, settings_form=form, problems=show_errors(form, exc), status=422)
        db.session.commit()
        flash(_("Đã lưu cài đặt lịch thi đấu."), "info")
        return redirect(url_for("admin.schedule", slug=slug))
    return _page(festival, settings_form=form, status=422)


@bp.route("/festivals/<slug>/schedule/generate", methods=["POST"])
def schedule_generate(slug: str):
    festival = festival_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = service.generate(festival)
    except RuleError as exc:
        db.session.rollback()
        for m in exc.messages:
            flash(m, "error")
        return redirect(url_for("admin.schedule", slug=slug))
    db.session.commit()
    flash(_("Đã xếp lịch %(n)d trận.", n=result.placed), "info")
    if result.unplaced:
        flash(_("%(n)d trận chưa xếp được (xem danh sách “Chưa xếp lịch”): thêm sân hoặc buổi thi đấu, rồi xếp lại.",
                n=len(result.unplaced)), "error")
    return redirect(url_for("admin.schedule", slug=slug) + "#lich")


@bp.route("/festivals/<slug>/schedule/limits", methods=["POST"])
def schedule_limit(slug: str):
    festival = festival_or_404(slug)
    form = _limit_form(festival, NotBeforeForm(prefix="limit"))
    entry_id = small_int(form.entry.data)
    entry = db.session.get(Entry, entry_id) if entry_id is not None else None
    if entry is None or entry.event.festival_id != festival.id:
        form.entry.errors = [_("Chọn VĐV/đôi/đội.")]
        return _page(festival, limit_form=form, status=422)
    if not form.validate_on_submit():
        return _page(festival, limit_form=form, status=422)
    clear = request.form.get("clear") == "1"
    if not clear and (form.day.data is None or form.start.data is None):
        form.start.errors = [_("Chọn ngày và giờ.")]
        return _page(festival, limit_form=form, status=422)
    at = None if clear else datetime.combine(form.day.data, form.start.data)
    service.set_not_before(entry, at)
    db.session.commit()
    flash(_("Đã bỏ giới hạn giờ của %(e)s.", e=entry.display_name) if clear else
          _("%(e)s không thi đấu trước %(t)s; xếp lịch lại để áp dụng.", e=entry.display_name, t=at.strftime("%H:%M %d/%m")),
          "info")
    return redirect(url_for("admin.schedule", slug=slug) + "#gioi-han")


@bp.route("/festivals/<slug>/schedule/matches/<int:match_id>/not-before", methods=["POST"])
def schedule_match_limit(slug: str, match_id: int):
    festival = festival_or_404(slug)
    match = _match(festival, match_id)
    form = NotBeforeForm()
    if not form.validate_on_submit():
        abort(400)
    at = datetime.combine(form.day.data, form.start.data) if form.day.data and form.start.data else None
    service.set_not_before(match, at)
    db.session.commit()
    flash(_("Trận %(m)s không xếp trước %(t)s.", m=service.match_label(match), t=at.strftime("%H:%M %d/%m"))
          if at else _("Đã bỏ giới hạn giờ của trận %(m)s.", m=service.match_label(match)), "info")
    return redirect(url_for("admin.schedule_move", slug=slug, match_id=match.id))


def _match(festival, match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or match.event.festival_id != festival.id:
        abort(404)
    return match


@bp.route("/festivals/<slug>/schedule/matches/<int:match_id>", methods=["GET", "POST"])
def schedule_move(slug: str, match_id: int):
    festival = festival_or_404(slug)
    match = _match(festival, match_id)
    form = MoveForm()
    form.court.choices = [("", _("— bỏ khỏi lịch —"))] + [
        (str(c.id), c.name) for c in service.courts(festival) if c.sport in (None, match.event.sport)]
    if request.method == "GET":
        form.court.data = str(match.court_id or "")
        when = service.local(match.scheduled_at)
        form.day.data, form.start.data = (when.date(), when.time()) if when else (None, None)
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        court_id = small_int(form.court.data)
        court = db.session.get(Court, court_id) if court_id is not None else None
        if form.court.data and court is None:
            form.court.errors = [_("Chọn một sân trong danh sách.")]
            return render_template("admin/schedule_move.html", festival=festival, match=match, form=form,
                                   limit=NotBeforeForm(formdata=None), problems=[], label=service.match_label(match),
                                   sides=match_sides([match])[match.id]), 422
        start = datetime.combine(form.day.data, form.start.data) if form.day.data and form.start.data else None
        try:
            service.move(match, court, start, reason=form.reason.data or "")
        except RuleError as exc:
            db.session.rollback()
            problems, status = list(exc.messages), 422
        else:
            db.session.commit()
            flash(_("Đã chuyển trận %(m)s.", m=service.match_label(match)), "info")
            return redirect(url_for("admin.schedule", slug=slug) + "#lich")
    elif form.is_submitted():
        status = 422
    limit = NotBeforeForm(formdata=None)
    when = service.local(match.not_before)
    limit.day.data, limit.start.data = (when.date(), when.time()) if when else (None, None)
    return render_template("admin/schedule_move.html", festival=festival, match=match, form=form, limit=limit,
                           problems=problems, label=service.match_label(match),
                           sides=match_sides([match])[match.id]), status


# ---------------------------------------------------------------------------- referees

class RefereeForm(FlaskForm):
    courts = SelectMultipleField(_l("Sân"), coerce=str, validate_choice=False)
    events = SelectMultipleField(_l("Nội dung"), coerce=str, validate_choice=False)


class NewRefereeForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), Length(max=80, message=_l("Tối đa 80 ký tự."))])
    full_name = StringField(_l("Họ tên hiển thị"), validators=[Length(max=200, message=_l("Tối đa 200 ký tự."))], description=_l("Ví dụ: Trọng tài sân 2"))
    password = PasswordField(_l("Mật khẩu (ít nhất 8 ký tự)"), validators=[DataRequired(_l("Nhập mật khẩu.")), Length(max=200, message=_l("Tối đa 200 ký tự."))])


def _referees_page(festival, new_form=None, status=200):
    return render_template("admin/referees.html", festival=festival, rows=referee_service.referees(festival),
                           courts=service.courts(festival), events=festival.events, action=ActionForm(),
                           new_form=new_form or NewRefereeForm(formdata=None)), status


@bp.route("/festivals/<slug>/referees")
def referees(slug: str):
    return _referees_page(festival_or_404(slug))


@bp.route("/festivals/<slug>/referees/<int:user_id>", methods=["POST"])
def referee_assign(slug: str, user_id: int):
    festival = festival_or_404(slug)
    user = db.session.get(User, user_id)
    form = RefereeForm()
    if user is not None and user not in referee_service.referees(festival):
        user = None  # a referee of another festival is not this organiser's to reassign
    if user is None or user.role != "referee" or not form.validate_on_submit():
        abort(404 if user is None or user.role != "referee" else 400)
    try:
        referee_service.assign(festival, user, courts=form.courts.data, events=form.events.data)
    except RuleError as exc:
        db.session.rollback()
        for m in exc.messages:
            flash(m, "error")
    else:
        db.session.commit()
        flash(_("Đã lưu phân công của %(u)s.", u=user.full_name or user.username), "info")
    return redirect(url_for("admin.referees", slug=slug))


@bp.route("/festivals/<slug>/referees/new", methods=["POST"])
def referee_new(slug: str):
    festival = festival_or_404(slug)
    form = NewRefereeForm()
    if form.validate_on_submit():
        try:
            user, _password = create_user(form.username.data, "referee", form.password.data, full_name=form.full_name.data or "")
            referee_service.assign(festival, user, courts=[], events=[])
        except RuleError as exc:
            db.session.rollback()
            for m in exc.messages:
                form.username.errors = list(form.username.errors) + [m]
            return _referees_page(festival, form, 422)
        db.session.commit()
        flash(_("Đã tạo tài khoản trọng tài %(u)s.", u=user.username), "info")
        return redirect(url_for("admin.referees", slug=slug))
    return _referees_page(festival, form, 422)



"""Login cards (one-time passwords for the festival's referees, printed with a QR code of the
login address) and API tokens for scorer devices.

Passwords and tokens are shown only on the response that made them, marked not to be cached;
they are stored hashed and never logged or audited in clear.
"""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from sports.extensions import db
from sports.services import accounts as service
from sports.services.errors import RuleError
from sports.services.schedule import local_from_utc
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.qr import qr_svg


class CardsForm(FlaskForm):
    users = SelectMultipleField(_l("Trọng tài"), coerce=str, validate_choice=False,
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class TokenForm(FlaskForm):
    user = SelectField(_l("Tài khoản trọng tài"), validate_choice=False,
                       validators=[DataRequired(_l("Chọn tài khoản trọng tài."))])
    name = StringField(_l("Tên thiết bị"), validators=[
        DataRequired(_l("Nhập tên thiết bị, ví dụ “Máy ghi điểm sân 2”.")),
        Length(max=80, message=_l("Tên thiết bị tối đa 80 ký tự."))],
        description=_l("Để nhận ra mã này trong danh sách, ví dụ “Máy ghi điểm sân 2”."))
    days = IntegerField(_l("Hiệu lực (ngày)"), validators=[
        Optional(), NumberRange(min=1, max=service.MAX_TOKEN_DAYS,
                                message=_l("Số ngày hiệu lực phải từ 1 đến %(n)d.", n=service.MAX_TOKEN_DAYS))],
        description=_l("Để trống: dùng đến khi thu hồi. Ví dụ 3 cho một hội thao ba ngày."))


class ActionForm(FlaskForm):
    pass


def _no_store(body, status: int = 200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _referee_label(user) -> str:
    return f"{user.full_name} ({user.username})" if user.full_name else user.username


def _when(dt: datetime | None) -> str:
    value = local_from_utc(dt)
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


# --------------------------------------------------------------------------- login cards

@bp.route("/festivals/<slug>/referees/cards", methods=["GET", "POST"])
def login_cards(slug: str):
    festival = festival_or_404(slug)
    referees = service.festival_referees(festival)
    form = CardsForm()
    form.users.choices = [(str(u.id), _referee_label(u)) for u in referees]
    problems: list[str] = []
    if form.validate_on_submit():
        ids = [int(v) if v.isdigit() else -1 for v in form.users.data or []]
        try:
            issued = service.reset_to_one_time(festival, ids)
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            login_url = url_for("auth.login", _external=True)
            return _no_store(render_template(
                "admin/login_cards.html", festival=festival, cards=issued, login_url=login_url,
                qr=qr_svg(login_url, size="28mm", label=_("Mã QR của địa chỉ đăng nhập %(u)s", u=login_url))))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/login_cards.html", festival=festival, form=form, referees=referees,
                           problems=problems, cards=None), status


# ---------------------------------------------------------------------------- API tokens

def _tokens_page(festival, form: TokenForm, *, new_token: str | None = None, new_for: str = "",
                 status: int = 200):
    tokens = service.festival_tokens(festival)
    return _no_store(render_template("admin/tokens.html", festival=festival, form=form, tokens=tokens,
                                     new_token=new_token, new_for=new_for, revoke_form=ActionForm(), when=_when,
                                     referee_label=_referee_label, referees=service.festival_referees(festival),
                                     expired=service.token_expired), status)


def _token_form(referees: dict, **kw) -> TokenForm:
    form = TokenForm(**kw)
    form.user.choices = [("", _("— chọn trọng tài —"))] + [(k, _referee_label(u)) for k, u in referees.items()]
    return form


@bp.route("/festivals/<slug>/tokens", methods=["GET", "POST"])
def tokens(slug: str):
    festival = festival_or_404(slug)
    referees = {str(u.id): u for u in service.festival_referees(festival)}
    form = _token_form(referees)
    if form.validate_on_submit():
        user = referees.get(form.user.data)
        if user is None:
            form.user.errors = list(form.user.errors) + [_("Chỉ cấp được mã cho tài khoản trọng tài của hội thao này.")]
            return _tokens_page(festival, form, status=422)
        try:
            token = service.issue_token(user.username, current_user._get_current_object(), form.name.data,
                                        festival_id=festival.id, expires_in_days=form.days.data)
        except RuleError as exc:
            for m in show_errors(form, exc):
                form.name.errors = list(form.name.errors) + [m]
            return _tokens_page(festival, form, status=422)
        db.session.commit()
        return _tokens_page(festival, _token_form(referees, formdata=None), new_token=token,
                            new_for=f"{form.name.data.strip()} · {_referee_label(user)}", status=201)
    return _tokens_page(festival, form, status=422 if form.is_submitted() else 200)


@bp.route("/festivals/<slug>/tokens/<int:token_id>/revoke", methods=["POST"])
def token_revoke(slug: str, token_id: int):
    festival = festival_or_404(slug)
    token = next((t for t in service.festival_tokens(festival) if t.id == token_id), None)
    if token is None:
        abort(404)  # no such token, or it is not of one of this festival's referees
    if not ActionForm().validate_on_submit():
        abort(400)
    service.revoke_token(token.id, current_user._get_current_object(), festival_id=festival.id)
    db.session.commit()
    flash(_("Đã thu hồi mã API %(p)s… (%(n)s); thiết bị dùng mã này không gửi được kết quả nữa.",
            p=token.prefix, n=token.name or token.user.username), "info")
    return redirect(url_for("admin.tokens", slug=slug))


@bp.route("/festivals/<slug>/referees/<int:user_id>/sessions/end", methods=["POST"])
def referee_sessions_end(slug: str, user_id: int):
    """Sign a referee of the festival out on every phone and browser (a lost phone, a shared
    laptop); their API tokens are revoked one by one above."""
    festival = festival_or_404(slug)
    user = next((u for u in service.festival_referees(festival) if u.id == user_id), None)
    if user is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.end_sessions(user, current_user._get_current_object(), festival_id=festival.id)
    db.session.commit()
    flash(_("Đã đăng xuất %(u)s khỏi mọi thiết bị.", u=_referee_label(user)), "info")
    return redirect(url_for("admin.tokens", slug=slug))

"""Login, logout and the user's own password change.

Failed logins are limited per client address, counted in the database (table login_failure)
so that every worker process and machine shares the count; the message never tells whether a
name exists. A user holding a one-time password (from a printed login card) is sent to the
password change page from every page until they have chosen their own.
"""
from __future__ import annotations

import math
import time
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user, user_loaded_from_cookie
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from sports.extensions import db, login_manager
from sports.models import User
from sports.services import accounts
from sports.services.accounts import authenticate
from sports.services.errors import RuleError

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

# Pages a user with a one-time password may still open.
_OPEN_WHILE_ONE_TIME = {"auth.change_password", "auth.logout", "static"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's (or remember-me cookie's) "id:version": a version the user has moved past
    (logout, password change, signed out everywhere) is no login."""
    ident, _, version = user_id.partition(":")
    if not (ident.isdigit() and version.isdigit()) or len(ident) > 10:
        return None
    user = db.session.get(User, int(ident))
    if user is None or str(user.session_version or 0) != version:
        return None
    return user


@user_loaded_from_cookie.connect
def _remembered(sender, user) -> None:
    """A login restored from the remember-me cookie gets the session mark of this browser;
    without it, "strong" session protection would drop the session on the next request and
    clear the cookie with it (Flask-Login sets the mark only in login_user)."""
    session["_id"] = login_manager._session_identifier_generator()


@bp.before_app_request
def _idle_expiry():
    """A session unused for SESSION_IDLE_MINUTES ends (the remember-me cookie with it). The
    last-seen time is written at most once a minute, so that not every page sets a cookie."""
    if request.path.startswith(("/api/", "/static/")) or not current_user.is_authenticated:
        return None
    now = time.time()
    seen = session.get("_seen")
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if isinstance(seen, (int, float)) and now - seen > idle:
        logout_user()
        session.pop("_seen", None)
        flash(_("Phiên đăng nhập đã hết hạn vì lâu không dùng. Vui lòng đăng nhập lại."), "info")
        return redirect(url_for("auth.login", next=_safe_next(request.full_path.rstrip("?"))
                                if request.method == "GET" else None))
    if not isinstance(seen, (int, float)) or now - seen >= 60:
        session["_seen"] = now
    return None


@lru_cache(maxsize=8)
def _limit(text: str) -> accounts.LoginLimit:
    return accounts.parse_login_limit(text)


@bp.record_once
def _check_limit_setting(state) -> None:
    _limit(state.app.config["LOGIN_RATE_LIMIT"])  # a typo in the setting stops the start, not a login


@bp.before_app_request
def _one_time_password_first():
    """Everything but the password change page (and logout, static files) waits for a user who
    logged in with a one-time password. The API authenticates by token, not by this session."""
    if (request.endpoint in _OPEN_WHILE_ONE_TIME or request.path.startswith("/api/")
            or not current_user.is_authenticated or not current_user.must_change_password):
        return None
    return redirect(url_for("auth.change_password", next=_safe_next(request.full_path.rstrip("?"))
                            if request.method == "GET" else None))


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập."), Length(max=80)])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu."), Length(max=200)])
    remember = BooleanField("Ghi nhớ đăng nhập")


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(_l("Nhập mật khẩu mới."))],
                        description=_l("Ít nhất %(n)d ký tự.", n=accounts.MIN_PASSWORD_LENGTH),
                        render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[DataRequired(_l("Nhập lại mật khẩu mới."))],
                           render_kw={"autocomplete": "new-password"})


def _safe_next(target: str | None) -> str | None:
    """Only local paths: an open redirect would let a phishing link borrow our login page."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: User) -> str:
    if user.has_role("organiser"):
        return url_for("admin.index")
    if user.has_role("referee"):
        return url_for("referee.index")
    if user.role == "unit":
        return url_for("unit.index")
    return url_for("public.index")


def _too_many(form: LoginForm, wait_seconds: float):
    minutes = max(1, math.ceil(wait_seconds / 60))
    message = _("Bạn đã thử quá nhiều lần. Vui lòng đợi khoảng %(n)d phút rồi thử lại.", n=minutes)
    response = current_app.make_response((render_template("auth/login.html", form=form, refused=message), 429))
    response.headers["Retry-After"] = str(math.ceil(wait_seconds))
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        limit = _limit(current_app.config["LOGIN_RATE_LIMIT"])
        # Counted as a failure until proven otherwise, and committed before the (slow) password
        # check so that a simultaneous attempt on another worker already sees it.
        attempt = accounts.begin_login_attempt(request.remote_addr or "?", limit)
        db.session.commit()
        wait = accounts.login_refused(attempt, limit)
        if wait is not None:
            accounts.forget_login_attempt(attempt)  # no password was checked: it does not count
            db.session.commit()
            return _too_many(form, wait.total_seconds())
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            accounts.forget_login_attempt(attempt)  # successful logins do not count
            db.session.commit()
            login_user(user, remember=form.remember.data)
            target = _safe_next(request.args.get("next"))
            if user.must_change_password:
                return redirect(url_for("auth.change_password", next=target))
            return redirect(target or home_for(user))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
        status = 401
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    one_time = current_user.must_change_password
    if one_time:
        form.current.label.text = _("Mật khẩu một lần (in trên thẻ đăng nhập)")
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.new.data, form.repeat.data)
        except RuleError as exc:
            db.session.rollback()
            for name, messages in getattr(exc, "fields", {"new": exc.messages}).items():
                target = getattr(form, name)
                target.errors = list(target.errors) + messages
            status = 422
        else:
            db.session.commit()
            # Every other session of the user has ended with the old password; this one goes on.
            login_user(current_user._get_current_object(), remember=bool(request.cookies.get(
                current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))))
            flash(_("Đã đổi mật khẩu."), "info")
            return redirect(_safe_next(request.args.get("next")) or home_for(current_user))
    elif form.is_submitted():
        status = 422
    return render_template("auth/password.html", form=form, one_time=one_time), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    user = current_user._get_current_object()
    user.end_sessions()  # a copy of this session or of the remember-me cookie is no login either
    db.session.commit()
    logout_user()
    session.pop("_seen", None)
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("public.index"))

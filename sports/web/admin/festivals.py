"""Festival pages: create, overview, settings, and marking the current festival."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from sports.extensions import db
from sports.models import Athlete, Entry, Event, Match
from sports.services import festivals as service
from sports.services.errors import RuleError
from sports.services.permissions import may_choose_home_festival
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import IntegerList, OptionalInteger, VietDate


class FestivalForm(FlaskForm):
    name = TextAreaField(_l("Tên hội thao"), validators=[DataRequired(_l("Nhập tên hội thao.")), Length(max=300, message=_l("Tên hội thao tối đa 300 ký tự."))],
                         render_kw={"rows": 2})
    slug = StringField(_l("Mã hội thao (dùng trong địa chỉ trang)"), validators=[Length(max=80, message=_l("Mã tối đa 80 ký tự."))],
                       description=_l("Chữ thường không dấu, số và dấu gạch ngang, ví dụ lamdong-2024. Không đổi được sau khi tạo."))
    organiser = StringField(_l("Đơn vị tổ chức"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])
    place = StringField(_l("Địa điểm (dùng trong dòng “…, ngày … tháng … năm …”)"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])
    start_date = VietDate(_l("Ngày bắt đầu"), render_kw={"type": "date"})
    end_date = VietDate(_l("Ngày kết thúc"), render_kw={"type": "date"})
    medal_mode = SelectField(_l("Xếp hạng toàn đoàn"), choices=[
        ("olympic", _l("Theo huy chương (Vàng, rồi Bạc, rồi Đồng)")),
        ("points", _l("Theo điểm của từng hạng")),
    ])
    medal_points = IntegerList(_l("Điểm hạng 1, 2, 3… (khi xếp theo điểm)"), description=_l("Ví dụ: 7, 5, 4, 3, 2, 1"))
    team_multiplier = OptionalInteger(_l("Hệ số điểm nội dung đồng đội"), minimum=1, maximum=10, default=1)
    shared_points = SelectField(_l("Đồng hạng được"), choices=[
        ("full", _l("Đủ điểm của hạng đó")), ("average", _l("Điểm trung bình của các hạng chia nhau")),
    ])
    medal_labels = SelectField(_l("Tên gọi"), choices=[
        ("medals", _l("Huy chương Vàng / Bạc / Đồng")), ("prizes", _l("Giải Nhất / Nhì / Ba")),
    ])
    tier_first = OptionalInteger(_l("Số đơn vị đạt giải Nhất toàn đoàn"), minimum=0, maximum=20, default=1)
    tier_second = OptionalInteger(_l("Số đơn vị đạt giải Nhì toàn đoàn"), minimum=0, maximum=20, default=1)
    tier_third = OptionalInteger(_l("Số đơn vị đạt giải Ba toàn đoàn"), minimum=0, maximum=20, default=1)
    max_events_per_athlete = OptionalInteger(_l("Số nội dung tối đa mỗi vận động viên"), minimum=1, maximum=50,
                                             description=_l("Để trống nếu không giới hạn."))
    max_entries_per_unit = OptionalInteger(_l("Số đội/VĐV tối đa của một đơn vị trong một nội dung"), minimum=1, maximum=50,
                                           description=_l("Mặc định cho các nội dung; mỗi nội dung có thể đặt riêng."))
    needs_confirmation = BooleanField(_l("Kết quả trọng tài nhập cần ban tổ chức xác nhận lần hai"))

    def settings(self) -> service.FestivalSettings:
        tiers = [t or 0 for t in (self.tier_first.data, self.tier_second.data, self.tier_third.data)]
        return service.FestivalSettings(
            name=self.name.data or "", slug=self.slug.data or "", organiser=self.organiser.data or "",
            place=self.place.data or "", start_date=self.start_date.data, end_date=self.end_date.data,
            medal_mode=self.medal_mode.data, medal_points=self.medal_points.data or [],
            team_multiplier=self.team_multiplier.data or 1, shared_points=self.shared_points.data,
            medal_labels=self.medal_labels.data, overall_tiers=tiers,
            max_events_per_athlete=self.max_events_per_athlete.data,
            max_entries_per_unit=self.max_entries_per_unit.data, needs_confirmation=self.needs_confirmation.data,
        )

    def load(self, festival) -> None:
        for name in ("name", "slug", "organiser", "place", "start_date", "end_date", "medal_mode", "medal_points",
                     "team_multiplier", "shared_points", "medal_labels", "max_events_per_athlete",
                     "max_entries_per_unit", "needs_confirmation"):
            getattr(self, name).data = getattr(festival, name)
        tiers = list(festival.overall_tiers or []) + [0, 0, 0]
        self.tier_first.data, self.tier_second.data, self.tier_third.data = tiers[:3]


@bp.route("/festivals/new", methods=["GET", "POST"])
def new_festival():
    form = FestivalForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            festival = service.create_festival(form.settings())
            service.grant_to_creator(festival, current_user)
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã tạo hội thao “%(name)s”.", name=festival.name), "info")
            return redirect(url_for("admin.festival", slug=festival.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/festival_form.html", form=form, festival=None, problems=problems), status


@bp.route("/festivals/<slug>/")
def festival(slug: str):
    festival = festival_or_404(slug)
    counts = {
        "units": len(festival.units),
        "athletes": db.session.scalar(select(func.count()).select_from(Athlete).where(Athlete.festival_id == festival.id)),
        "events": len(festival.events),
        "entries": db.session.scalar(select(func.count()).select_from(Entry).join(Event)
                                     .where(Event.festival_id == festival.id)),
        "matches": db.session.scalar(select(func.count()).select_from(Match).join(Event)
                                     .where(Event.festival_id == festival.id)),
    }
    shown = service.current_festival()
    return render_template("admin/festival.html", festival=festival, counts=counts,
                           shown=shown is not None and shown.id == festival.id)


@bp.route("/festivals/<slug>/edit", methods=["GET", "POST"])
def edit_festival(slug: str):
    festival = festival_or_404(slug)
    form = FestivalForm()
    form.slug.render_kw = {"readonly": True}
    if request.method == "GET":
        form.load(festival)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            service.update_festival(festival, form.settings())
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu thông tin hội thao."), "info")
            return redirect(url_for("admin.festival", slug=slug))
    form.slug.data = festival.slug
    status = 422 if form.is_submitted() else 200
    return render_template("admin/festival_form.html", form=form, festival=festival, problems=problems), status


@bp.route("/festivals/<slug>/current", methods=["POST"])
def make_current(slug: str):
    festival = festival_or_404(slug)
    if not may_choose_home_festival(current_user):
        abort(403, description=_("Trang chủ công khai là của cả hệ thống: chỉ quản trị viên hoặc ban tổ chức "
                                 "không giới hạn hội thao mới chọn được hội thao hiển thị."))
    service.set_current(festival)
    db.session.commit()
    flash(_("Trang chủ công khai giờ hiển thị “%(name)s”.", name=festival.name), "info")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("admin.festival", slug=slug))

"""Events: the standard set in one action, new events, and each event's settings."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from sports.domain.disciplines import DISCIPLINES, SPORTS
from sports.domain.scoring import DEFAULT_FORMATS
from sports.domain.standings import DEFAULT_PRESET
from sports.domain.types import Sport
from sports.extensions import db
from sports.services import events as service
from sports.services.errors import RuleError
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import OptionalInteger

ALIASES = {"format": "best_of", "ranking_options": "ranking_preset"}


class EventForm(FlaskForm):
    code = StringField(_l("Mã nội dung"), validators=[DataRequired(_l("Nhập mã nội dung.")), Length(max=40, message=_l("Mã tối đa 40 ký tự."))],
                       description=_l("Ngắn, không dấu, ví dụ CL-DNAM; là tên cột trong tệp Excel đăng ký."))
    sport = SelectField(_l("Môn"), choices=list(SPORTS.items()), validate_choice=False)
    discipline = SelectField(_l("Loại nội dung"), choices=[(d.code, d.label) for d in DISCIPLINES.values()],
                             validate_choice=False)
    name = StringField(_l("Tên nội dung"), validators=[Length(max=200, message=_l("Tối đa 200 ký tự."))],
                       description=_l("Để trống để dùng tên chuẩn, ví dụ “Cầu lông – Đơn nam”; "
                                      "ghi thêm nhóm tuổi nếu có, ví dụ “Đơn nam trên 45 tuổi”."))
    best_of = OptionalInteger(_l("Số ván/hiệp tối đa (đánh mấy thắng mấy)"), minimum=1, maximum=9,
                              description=_l("Để trống: theo mặc định của môn."))
    points = OptionalInteger(_l("Điểm mỗi ván/hiệp"), minimum=1, maximum=99)
    deciding_points = OptionalInteger(_l("Điểm ván/hiệp quyết định"), minimum=1, maximum=99,
                                      description=_l("Ví dụ bóng chuyền: hiệp 3 (hoặc 5) đánh đến 15."))
    cap = OptionalInteger(_l("Điểm tối đa (chạm điểm này là thắng)"), minimum=2, maximum=99,
                          description=_l("Cầu lông: 21 điểm → 30; 15 điểm → 21; 11 điểm → 15."))
    ranking_preset = SelectField(_l("Xếp hạng vòng tròn theo"), choices=[
        ("", _l("Mặc định của môn")), ("fivb", "FIVB (bóng chuyền)"), ("ittf", "ITTF (bóng bàn)"), ("bwf", "BWF (cầu lông)"),
    ], validate_choice=False)
    fivb_order = SelectField(_l("FIVB: thứ tự tiêu chí"), choices=[
        ("wins_first", _l("Số trận thắng trước, rồi điểm")), ("points_first", _l("Điểm trước, rồi số trận thắng")),
    ], validate_choice=False)
    fivb_match_points = SelectField(_l("FIVB: điểm trận (đánh 3 hiệp)"), choices=[
        ("3-2-1-0", _l("2-0 được 3 điểm, 2-1 được 2/1")), ("2-1-0", _l("Thắng 2, thua 1-2 được 1, thua 0-2 được 0")),
    ], validate_choice=False)
    ittf_walkover = SelectField(_l("ITTF: trận bỏ cuộc có tính vào tỷ số ván, điểm"), choices=[
        ("false", _l("Không (mặc định)")), ("true", _l("Có")),
    ], validate_choice=False)
    ittf_unresolved = SelectField(_l("ITTF: khi đối đầu vẫn bằng nhau"), choices=[
        ("lots", _l("Bốc thăm (ITTF 3.7.5.4)")), ("all_matches", _l("Xét tỷ số ván, điểm của mọi trận trong bảng, rồi mới bốc thăm")),
    ], validate_choice=False)
    third_place = SelectField(_l("Hạng Ba"), choices=[
        ("shared", _l("Đồng hạng Ba (hai đội thua bán kết)")), ("playoff", _l("Đấu tranh hạng Ba")), ("none", _l("Không xét hạng Ba")),
    ], validate_choice=False)
    max_entries_per_unit = OptionalInteger(_l("Số đội/VĐV tối đa của mỗi đơn vị"), minimum=1, maximum=50,
                                           description=_l("Để trống: theo quy định chung của hội thao."))
    roster_min = OptionalInteger(_l("Đội hình: số VĐV tối thiểu"), minimum=1, maximum=50)
    roster_max = OptionalInteger(_l("Đội hình: số VĐV tối đa"), minimum=1, maximum=50)
    birth_year_min = OptionalInteger(_l("Sinh từ năm"), minimum=1900, maximum=2100)
    birth_year_max = OptionalInteger(_l("Sinh đến năm"), minimum=1900, maximum=2100,
                                     description=_l("Ví dụ nội dung trên 45 tuổi năm 2024: sinh đến năm 1979."))
    combined_allowed = BooleanField(_l("Cho phép đôi/đội ghép giữa các đơn vị"))
    slot_minutes = OptionalInteger(_l("Thời gian một trận trên sân (phút)"), minimum=5, maximum=300,
                                   description=_l("Để trống: theo cài đặt của môn ở trang Lịch thi đấu."))

    def settings(self) -> service.EventSettings:
        preset = self.ranking_preset.data or DEFAULT_PRESET.get(self.sport.data, "")
        options = {}
        if preset == "fivb":
            options = {"order": self.fivb_order.data, "match_points": self.fivb_match_points.data}
        elif preset == "ittf":
            options = {"walkover_in_ratios": self.ittf_walkover.data == "true", "unresolved": self.ittf_unresolved.data}
        return service.EventSettings(
            code=self.code.data or "", sport=self.sport.data or "", discipline=self.discipline.data or "",
            name=self.name.data or "", best_of=self.best_of.data, points=self.points.data,
            deciding_points=self.deciding_points.data, cap=self.cap.data, ranking_preset=preset,
            ranking_options=options, third_place=self.third_place.data or "",
            max_entries_per_unit=self.max_entries_per_unit.data, roster_min=self.roster_min.data,
            roster_max=self.roster_max.data, birth_year_min=self.birth_year_min.data,
            birth_year_max=self.birth_year_max.data, combined_allowed=self.combined_allowed.data,
            slot_minutes=self.slot_minutes.data,
        )

    def load(self, event) -> None:
        for name in ("code", "sport", "discipline", "name", "best_of", "points", "deciding_points", "cap",
                     "ranking_preset", "third_place", "max_entries_per_unit", "roster_min", "roster_max",
                     "birth_year_min", "birth_year_max", "combined_allowed", "slot_minutes"):
            getattr(self, name).data = getattr(event, name)
        options = event.ranking_options or {}
        self.fivb_order.data = options.get("order", "wins_first")
        self.fivb_match_points.data = options.get("match_points", "3-2-1-0")
        self.ittf_walkover.data = "true" if options.get("walkover_in_ratios") else "false"
        self.ittf_unresolved.data = options.get("unresolved", "lots")


class StandardEventsForm(FlaskForm):
    pass


def _defaults() -> dict:
    return {sport: DEFAULT_FORMATS[Sport(sport)] for sport in SPORTS}


@bp.route("/festivals/<slug>/events")
def events(slug: str):
    festival = festival_or_404(slug)
    return render_template("admin/events.html", festival=festival, counts=service.entry_counts(festival),
                           standard_form=StandardEventsForm(), standard=service.STANDARD_EVENTS,
                           have={e.code for e in festival.events})


@bp.route("/festivals/<slug>/events/standard", methods=["POST"])
def standard_events(slug: str):
    festival = festival_or_404(slug)
    form = StandardEventsForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.events", slug=slug))
    created = service.create_standard_events(festival)
    db.session.commit()
    if created:
        flash(_("Đã tạo %(n)d nội dung: %(names)s.", n=len(created), names=", ".join(e.name for e in created)), "info")
    else:
        flash(_("Hội thao đã có đủ các nội dung chuẩn; không tạo thêm."), "info")
    return redirect(url_for("admin.events", slug=slug))


@bp.route("/festivals/<slug>/events/new", methods=["GET", "POST"])
@bp.route("/festivals/<slug>/events/<code>/edit", methods=["GET", "POST"])
def event_form(slug: str, code: str | None = None):
    festival = festival_or_404(slug)
    event = None
    if code is not None:
        try:
            event = service.get_event(festival, code)
        except RuleError:
            abort(404)
    form = EventForm()
    if request.method == "GET" and event is not None:
        form.load(event)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            if event is None:
                event = service.create_event(festival, form.settings())
                message = _("Đã thêm nội dung “%(name)s”.", name=event.name)
            else:
                service.update_event(event, form.settings())
                message = _("Đã lưu nội dung “%(name)s”.", name=event.name)
        except RuleError as exc:
            problems = show_errors(form, exc, ALIASES)
        else:
            db.session.commit()
            flash(message, "info")
            return redirect(url_for("admin.events", slug=slug))
    locked = event is not None and service.has_results(event)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/event_form.html", festival=festival, event=event, form=form, problems=problems,
                           locked=locked, defaults=_defaults()), status

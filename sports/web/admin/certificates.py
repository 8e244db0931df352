"""Certificates and the ceremony desk: settings, the register (brought up to date with the
results on every visit), one certificate's preview, the batch PDF and the register as Excel;
per event, the podium to read out with a "đã trao" tick per placing."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from sports.certificates import render
from sports.extensions import db
from sports.models import Event, Festival, Unit
from sports.services import ceremony
from sports.services import certificates as service
from sports.services.errors import RuleError
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import VietDate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SettingsForm(FlaskForm):
    title = StringField(_l("Tên giấy"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))],
                        description=_l("Mặc định “GIẤY CHỨNG NHẬN”. “Giấy khen” chỉ thủ trưởng cơ quan được ký."))
    issuer = TextAreaField(_l("Cơ quan ban hành (mỗi dòng một dòng trên giấy)"), render_kw={"rows": 2},
                           validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))],
                           description=_l("Ví dụ: SỞ Y TẾ TỈNH LÂM ĐỒNG / BAN TỔ CHỨC HỘI THAO; dòng cuối in đậm."))
    intro = StringField(_l("Lời dẫn trên tên người nhận"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))],
                        description=_l("Để trống: “Ban Tổ chức chứng nhận”."))
    closing = StringField(_l("Dòng dưới thành tích"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))],
                          description=_l("Để trống: “tại” và tên hội thao."))
    labels = SelectField(_l("Tên giải trên giấy"), choices=[
        ("", _l("Theo cài đặt của hội thao")), ("medals", _l("Huy chương Vàng, Bạc, Đồng")),
        ("prizes", _l("Giải Nhất, Nhì, Ba"))], validate_choice=False)
    signer_title = TextAreaField(_l("Chức danh người ký (mỗi dòng một dòng)"), render_kw={"rows": 2},
                                 validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])
    signer_name = StringField(_l("Họ tên người ký"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])
    cert_date = VietDate(_l("Ngày ký"), description=_l("Để trống: ngày cuối của hội thao."))
    place = StringField(_l("Địa danh ghi trước ngày"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))],
                        description=_l("Để trống: địa điểm của hội thao."))
    register_pattern = StringField(_l("Mẫu số vào sổ"), validators=[Length(max=60, message=_l("Tối đa 60 ký tự."))],
                                   description=_l("{n:03d} là số thứ tự 3 chữ số; ví dụ {n:03d}/GCN-BTC cho 001/GCN-BTC."))
    base_url = StringField(_l("Địa chỉ công khai của trang kiểm tra (trong mã QR)"),
                           validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))],
                           description=_l("Ví dụ https://hoithao.syt.lamdong.gov.vn; để trống: địa chỉ đang dùng."))
    font_regular = FileField(_l("Phông chữ riêng: kiểu thường (.ttf)"),
                             description=_l("Ví dụ times.ttf; phải có đủ chữ tiếng Việt. Để trống: giữ phông hiện tại."))
    font_bold = FileField(_l("Phông chữ riêng: kiểu đậm (.ttf, không bắt buộc)"))
    font_italic = FileField(_l("Phông chữ riêng: kiểu nghiêng (.ttf, không bắt buộc)"))
    remove_font = BooleanField(_l("Bỏ phông chữ riêng, dùng phông mặc định"))
    logo = FileField(_l("Biểu trưng (PNG hoặc JPEG, tối đa 3 MB)"))
    remove_logo = BooleanField(_l("Bỏ biểu trưng"))
    background = FileField(_l("Ảnh nền cả trang (PNG hoặc JPEG, tối đa 3 MB)"))
    remove_background = BooleanField(_l("Bỏ ảnh nền"))

    def load(self, festival: Festival) -> None:
        row = service.settings_of(festival)
        self.title.data, self.issuer.data = festival.cert_title, festival.cert_issuer
        self.signer_title.data, self.signer_name.data = festival.cert_signer_title, festival.cert_signer_name
        self.cert_date.data = festival.cert_date
        self.intro.data, self.closing.data, self.place.data = row.intro, row.closing, row.place
        self.labels.data, self.register_pattern.data, self.base_url.data = row.labels, row.register_pattern, row.base_url

    def settings(self) -> service.SettingsInput:
        def raw(field, limit: int) -> bytes | None:
            upload = field.data
            if not upload or not getattr(upload, "filename", ""):
                return None
            return upload.read(limit + 1)

        return service.SettingsInput(
            title=self.title.data or "", issuer=self.issuer.data or "", intro=self.intro.data or "",
            closing=self.closing.data or "", signer_title=self.signer_title.data or "",
            signer_name=self.signer_name.data or "", cert_date=self.cert_date.data, place=self.place.data or "",
            labels=self.labels.data or "", register_pattern=self.register_pattern.data or "",
            base_url=self.base_url.data or "",
            font_regular=raw(self.font_regular, service.MAX_FONT), font_bold=raw(self.font_bold, service.MAX_FONT),
            font_italic=raw(self.font_italic, service.MAX_FONT),
            font_name=getattr(self.font_regular.data, "filename", "") or "",
            logo=raw(self.logo, service.MAX_IMAGE), background=raw(self.background, service.MAX_IMAGE),
            remove_font=self.remove_font.data, remove_logo=self.remove_logo.data,
            remove_background=self.remove_background.data)


class TickForm(FlaskForm):
    handed = HiddenField()


def _base_url(festival: Festival) -> str:
    return service.base_url_of(festival, request.url_root)


def _sync(festival: Festival) -> service.SyncReport:
    report = service.sync_certificates(festival)
    db.session.commit()
    return report


def _filters(festival: Festival) -> tuple[Event | None, Unit | None]:
    event = unit = None
    code = (request.args.get("event") or "").strip()
    if code:
        event = db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == code))
        if event is None:
            abort(404)
    code = (request.args.get("unit") or "").strip()
    if code:
        unit = db.session.scalar(select(Unit).where(Unit.festival_id == festival.id, Unit.code == code))
        if unit is None:
            abort(404)
    return event, unit


@bp.route("/festivals/<slug>/certificates")
def certificates(slug: str):
    festival = festival_or_404(slug)
    report = _sync(festival)
    event, unit = _filters(festival)
    rows = service.register(festival, event=event, unit=unit)
    pattern = service.pattern_of(festival)
    numbers = {c.id: pattern.format(n=c.register_no) for c in service.register(festival)}
    issued = sum(1 for c in rows if c.status == "issued")
    return render_template("admin/certificates.html", festival=festival, rows=rows, numbers=numbers,
                           issued=issued, report=report, event=event, unit=unit)


@bp.route("/festivals/<slug>/certificates/settings", methods=["GET", "POST"])
def certificate_settings(slug: str):
    festival = festival_or_404(slug)
    form = SettingsForm()
    if request.method == "GET":
        form.load(festival)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            service.save_settings(festival, form.settings())
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu cài đặt giấy chứng nhận."), "info")
            return redirect(url_for("admin.certificate_settings", slug=slug))
    row = service.settings_of(festival)
    db.session.commit()
    status = 422 if form.is_submitted() else 200
    return render_template("admin/certificate_settings.html", festival=festival, form=form, problems=problems,
                           row=row, default_pattern=service.default_pattern(festival),
                           has_logo=row.logo is not None, has_background=row.background is not None,
                           has_font=row.font_regular is not None), status


def _pdf(data: bytes, filename: str, inline: bool) -> Response:
    kind = "inline" if inline else "attachment"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'{kind}; filename="{filename}"'})


@bp.route("/festivals/<slug>/certificates/<int:number>.pdf")
def certificate_preview(slug: str, number: int):
    festival = festival_or_404(slug)
    _sync(festival)
    cert = service.by_number(festival, number)
    if cert is None:
        abort(404)
    data = render(service.design(festival), service.pages(festival, [cert], _base_url(festival)))
    return _pdf(data, f"gcn-{festival.slug}-{number:03d}.pdf", inline=True)


@bp.route("/festivals/<slug>/certificates.pdf")
def certificates_pdf(slug: str):
    festival = festival_or_404(slug)
    _sync(festival)
    event, unit = _filters(festival)
    certs = service.register(festival, event=event, unit=unit, issued_only=True)
    data = render(service.design(festival), service.pages(festival, certs, _base_url(festival)))
    suffix = "".join(f"-{x.code}" for x in (event, unit) if x is not None)
    return _pdf(data, f"giay-chung-nhan-{festival.slug}{suffix}.pdf", inline=False)


@bp.route("/festivals/<slug>/certificates.xlsx")
def certificates_xlsx(slug: str):
    festival = festival_or_404(slug)
    _sync(festival)
    data = service.register_workbook(festival, _base_url(festival))
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="so-cap-gcn-{festival.slug}.xlsx"'})


# ------------------------------------------------------------------------- ceremony desk

@bp.route("/festivals/<slug>/ceremony")
def ceremony_desks(slug: str):
    festival = festival_or_404(slug)
    return render_template("admin/ceremony.html", festival=festival, desks=ceremony.desks(festival))


def _event(festival: Festival, code: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == code))
    if event is None:
        abort(404)
    return event


@bp.route("/festivals/<slug>/ceremony/<code>")
def ceremony_event(slug: str, code: str):
    festival = festival_or_404(slug)
    event = _event(festival, code)
    return render_template("admin/ceremony_event.html", festival=festival, desk=ceremony.podium(festival, event),
                           form=TickForm())


@bp.route("/festivals/<slug>/ceremony/<code>/<int:entry_id>", methods=["POST"])
def ceremony_tick(slug: str, code: str, entry_id: int):
    festival = festival_or_404(slug)
    event = _event(festival, code)
    form = TickForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        line = ceremony.set_handed(festival, event, entry_id, form.handed.data == "1", actor=current_user)
    except RuleError as exc:
        db.session.rollback()
        flash(" ".join(exc.messages), "error")
    else:
        db.session.commit()
        flash(_("%(names)s: %(state)s.", names=line.names,
                state=_("đã trao") if form.handed.data == "1" else _("chưa trao")), "info")
    return redirect(url_for("admin.ceremony_event", slug=slug, code=code))

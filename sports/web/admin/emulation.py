"""The score table pages (bảng điểm thi đua): tables per year or period, criteria (by hand, from
the Excel template, copied from last year), scoring a unit, adjustments, the ranked grid,
exports, and the unit leaders' accounts."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import TextInput

from sports.extensions import db
from sports.importers import emulation_workbook as workbook
from sports.models import EmulationAdjustment, EmulationCriterion, Festival, Unit, User
from sports.services import accounts
from sports.services import emulation_table as service
from sports.services.errors import RuleError
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import IntegerList, OptionalInteger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_score(raw: str) -> Decimal:
    """A score typed as 9,5 or 9.5 (at most two decimals, not negative); ValueError otherwise."""
    text = raw.strip().replace(" ", "")
    if not text or text.count(",") + text.count(".") > 1 or not text.replace(",", "").replace(".", "").isascii():
        raise ValueError(f"“{raw[:20]}” không phải là số điểm (ví dụ 9 hoặc 9,5).")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"“{raw[:20]}” không phải là số điểm (ví dụ 9 hoặc 9,5).") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"“{raw[:20]}”: điểm không được âm.")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"“{raw[:20]}”: điểm ghi tối đa hai chữ số thập phân.")
    if value > service.MAX_SCORE:
        raise ValueError(f"“{raw[:20]}”: điểm quá lớn.")
    return value


class ScoreField(Field):
    """A score, or None when left empty."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kw):
        kw.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kw)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return service.num(self.data)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_score(valuelist[0])


class ScoreList(Field):
    """Scores separated by semicolons: the rank bonus “3; 2; 1” (rank 1 first)."""

    widget = TextInput()

    def _value(self) -> str:
        return "; ".join(service.num(v) for v in self.data or [])

    def process_formdata(self, valuelist):
        self.data = []
        if valuelist and valuelist[0].strip():
            parts = valuelist[0].replace("–", ";").split(";")
            if len(parts) > 20:
                raise ValueError("Nhập tối đa 20 mức thưởng.")
            self.data = [parse_score(p) for p in parts if p.strip()]


class TableForm(FlaskForm):
    year = OptionalInteger(_l("Năm"), minimum=2000, maximum=2100)
    period = SelectField(_l("Kỳ chấm điểm"), choices=list(service.PERIODS.items()), validate_choice=False)
    name = StringField(_l("Tên bảng điểm (để trống: “Bảng điểm thi đua năm …”)"),
                       validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])
    bonus_cap = ScoreField(_l("Mức trần điểm cộng"),
                           description=_l("Điểm cộng của một đơn vị (cả thưởng hạng hội thao) chỉ tính đến mức này. "
                                          "Để trống: không giới hạn."))
    linked = BooleanField(_l("Tính kết quả hội thao này vào bảng điểm"))
    link_criterion = SelectField(_l("Tiêu chí nhận điểm tham gia hội thao"), validate_choice=False)
    participation_points = ScoreField(_l("Điểm tham gia"),
                                      description=_l("Đơn vị dự đủ số nội dung dưới đây được số điểm này (không quá điểm "
                                                     "tối đa của tiêu chí), nếu không được 0."))
    min_events = OptionalInteger(_l("Số nội dung tối thiểu"), minimum=0, maximum=999)
    rank_bonus = ScoreList(_l("Điểm thưởng theo hạng toàn đoàn (Nhất; Nhì; Ba; …)"),
                           description=_l("Ví dụ “3; 2; 1”: hạng Nhất +3, Nhì +2, Ba +1, cộng vào điểm cộng."))
    titles = StringField(_l("Danh hiệu đề nghị, theo thứ tự (cách nhau bằng dấu ;)"),
                         validators=[Length(max=500, message=_l("Tối đa 500 ký tự."))])
    title_tiers = IntegerList(_l("Số đơn vị được đề nghị mỗi danh hiệu"),
                              description=_l("Ví dụ “1, 2”: hạng 1 đề nghị Cờ thi đua, hạng 2–3 đề nghị Bằng khen. "
                                             "Để trống: mỗi danh hiệu một đơn vị."))
    votes = StringField(_l("Kết quả biểu quyết khi bằng điểm (mã đơn vị, xếp trước đứng trước)"),
                        validators=[Length(max=500, message=_l("Tối đa 500 ký tự."))],
                        description=_l("Đơn vị bằng tổng điểm xếp theo điểm cộng, rồi theo biểu quyết này; "
                                       "còn bằng nhau thì đồng hạng."))
    signer_title = TextAreaField(_l("Chức danh người ký (mỗi dòng một dòng in)"),
                                 validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])
    signer_name = StringField(_l("Họ tên người ký"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])
    published = BooleanField(_l("Công bố bảng tổng hợp cho lãnh đạo các đơn vị"))

    def settings(self) -> service.TableSettings:
        return service.TableSettings(
            name=self.name.data or "", year=self.year.data, period=self.period.data or "",
            bonus_cap=self.bonus_cap.data, linked=self.linked.data, link_criterion=self.link_criterion.data or "",
            participation_points=self.participation_points.data, min_events=self.min_events.data,
            rank_bonus={i: v for i, v in enumerate(self.rank_bonus.data or [], start=1)},
            titles=[t.strip() for t in (self.titles.data or "").split(";") if t.strip()],
            title_tiers=list(self.title_tiers.data or []),
            votes=[v.strip() for v in (self.votes.data or "").replace(",", " ").split() if v.strip()],
            signer_title=self.signer_title.data or "", signer_name=self.signer_name.data or "",
            published=self.published.data,
        )

    def load(self, s: service.TableSettings) -> None:
        for name in ("name", "year", "period", "bonus_cap", "linked", "link_criterion", "participation_points",
                     "min_events", "title_tiers", "signer_title", "signer_name", "published"):
            getattr(self, name).data = getattr(s, name)
        self.rank_bonus.data = [s.rank_bonus[k] for k in sorted(s.rank_bonus)]
        self.titles.data = "; ".join(s.titles)
        self.votes.data = " ".join(s.votes)


class CopyForm(FlaskForm):
    source = SelectField(_l("Sao chép tiêu chí và thiết lập từ"), validate_choice=False)
    year = OptionalInteger(_l("Cho năm"), minimum=2000, maximum=2100)


class CriterionForm(FlaskForm):
    code = StringField(_l("Mã"), validators=[Length(max=40, message=_l("Tối đa 40 ký tự."))])
    group = StringField(_l("Nhóm tiêu chí"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])
    name = StringField(_l("Tên tiêu chí"), validators=[Length(max=500, message=_l("Tối đa 500 ký tự."))])
    max_score = ScoreField(_l("Điểm tối đa"))

    def line(self) -> service.CriterionIn:
        return service.CriterionIn(code=self.code.data or "", group=self.group.data or "",
                                   name=self.name.data or "", max_score=self.max_score.data)


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp tiêu chí (.xlsx)"), validators=[FileRequired(_l("Chọn tệp tiêu chí đã điền."))])


class AdjustmentForm(FlaskForm):
    kind = SelectField(_l("Loại"), choices=[("bonus", _l("Điểm cộng")), ("penalty", _l("Điểm trừ"))],
                       validate_choice=False)
    points = ScoreField(_l("Số điểm"))
    reason = StringField(_l("Lý do"), validators=[Length(max=500, message=_l("Tối đa 500 ký tự."))])


class LeaderForm(FlaskForm):
    unit = SelectField(_l("Đơn vị"), validate_choice=False)
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")),
                                                             Length(max=80, message=_l("Tối đa 80 ký tự."))])
    full_name = StringField(_l("Họ tên"), validators=[Length(max=200, message=_l("Tối đa 200 ký tự."))])


class PlainForm(FlaskForm):
    pass


def _table(festival: Festival, table_id: int):
    table = service.get_table(festival, table_id)
    if table is None:
        abort(404)
    return table


def _unit(festival: Festival, code: str) -> Unit:
    unit = next((u for u in festival.units if u.code == code), None)
    if unit is None:
        abort(404)
    return unit


def _visible_festivals() -> set[int] | None:
    allowed = (current_user.scopes or {}).get("festivals") or []
    if not allowed or current_user.role == "admin":
        return None
    return set(db.session.scalars(select(Festival.id).where(Festival.slug.in_(allowed))))


# ----------------------------------------------------------------------------- tables


@bp.route("/festivals/<slug>/emulation", methods=["GET", "POST"])
def emulation(slug: str):
    festival = festival_or_404(slug)
    form = TableForm(prefix="new")
    copy_form = CopyForm(prefix="copy")
    sources = [(t, f) for t, f in service.copy_sources(festival, _visible_festivals())]
    copy_form.source.choices = [(str(t.id), f"{service.title_of(t)} · {f.name}") for t, f in sources]
    problems: list[str] = []
    if request.method == "GET":
        year = festival.start_date.year if festival.start_date else None
        form.year.data = year
        form.linked.data = not any(t.festival_id == festival.id for t in service.tables_of(festival))
        form.titles.data = "; ".join(service.DEFAULT_TITLES)
        form.signer_title.data = service.TableSettings().signer_title
        copy_form.year.data = year
    form.link_criterion.choices = [("", "")]
    if request.form.get("action") == "new" and form.validate_on_submit():
        try:
            table = service.create_table(festival, form.settings())
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã tạo “%(t)s”. Thêm tiêu chí: nhập tay, hoặc tải mẫu Excel, điền rồi tải lên.",
                    t=service.title_of(table)), "info")
            return redirect(url_for("admin.emulation_criteria", slug=slug, table_id=table.id))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/emulation_list.html", festival=festival, tables=service.tables_of(festival),
                           form=form, copy_form=copy_form, problems=problems, title_of=service.title_of,
                           periods=service.PERIODS), status


@bp.route("/festivals/<slug>/emulation/copy", methods=["POST"])
def emulation_copy(slug: str):
    festival = festival_or_404(slug)
    form = CopyForm(prefix="copy")
    visible = _visible_festivals()
    sources = {str(t.id): t for t, _f in service.copy_sources(festival, visible)}
    form.source.choices = [(k, k) for k in sources]
    if not form.validate_on_submit():
        flash(_("Chưa sao chép được: %(e)s", e="; ".join(m for msgs in form.errors.values() for m in msgs)), "error")
        return redirect(url_for("admin.emulation", slug=slug))
    source = sources.get(form.source.data or "")
    if source is None:
        flash(_("Chọn bảng điểm để sao chép."), "error")
        return redirect(url_for("admin.emulation", slug=slug))
    try:
        table = service.copy_table(festival, source, form.year.data)
    except RuleError as exc:
        db.session.rollback()
        flash(_("Chưa sao chép được: %(e)s", e=" ".join(exc.messages)), "error")
        return redirect(url_for("admin.emulation", slug=slug))
    db.session.commit()
    flash(_("Đã tạo “%(t)s” với %(n)d tiêu chí sao chép từ “%(s)s”; chưa có điểm chấm.",
            t=service.title_of(table), n=len(table.criteria), s=service.title_of(source)), "info")
    return redirect(url_for("admin.emulation_table", slug=slug, table_id=table.id))


@bp.route("/festivals/<slug>/emulation/<int:table_id>")
def emulation_table(slug: str, table_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    return render_template("admin/emulation_table.html", festival=festival, s=service.summary(festival, table),
                           num=service.num, difference=service.difference, title=service.title_of(table),
                           link_label=service.LINK_LABEL)


@bp.route("/festivals/<slug>/emulation/<int:table_id>/settings", methods=["GET", "POST"])
def emulation_settings(slug: str, table_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    form = TableForm()
    form.link_criterion.choices = [("", _("— chọn tiêu chí —"))] + [
        (c.code, f"{c.code} · {c.name[:60]} (tối đa {service.num(c.max_score)})") for c in table.criteria]
    if request.method == "GET":
        form.load(service.settings_of(table))
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            service.update_table(festival, table, form.settings())
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu thiết lập bảng điểm."), "info")
            return redirect(url_for("admin.emulation_table", slug=slug, table_id=table.id))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/emulation_settings.html", festival=festival, table=table, form=form,
                           problems=problems, title=service.title_of(table)), status


# ----------------------------------------------------------------------------- criteria


def _lines(table) -> list[service.CriterionIn]:
    return [service.CriterionIn(c.code, c.group, c.name, c.max_score) for c in table.criteria]


@bp.route("/festivals/<slug>/emulation/<int:table_id>/criteria", methods=["GET", "POST"])
def emulation_criteria(slug: str, table_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    form = CriterionForm(prefix="add")
    import_form = ImportForm(prefix="imp")
    problems: list[str] = []
    import_problems: list[str] = []
    if request.method == "GET" and table.criteria:
        form.group.data = table.criteria[-1].group
    if request.form.get("action") == "add" and form.validate_on_submit():
        try:
            row = service.add_criterion(festival, table, form.line())
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã thêm tiêu chí %(c)s.", c=row.code), "info")
            return redirect(url_for("admin.emulation_criteria", slug=slug, table_id=table.id))
    elif request.form.get("action") == "import" and import_form.validate_on_submit():
        data = import_form.file.data.read(workbook.MAX_BYTES + 1)
        try:
            lines = workbook.read_criteria(data)
            _check_import(table, lines)
            added, changed, removed = service.replace_criteria(festival, table, lines)
        except workbook.WorkbookProblems as exc:
            db.session.rollback()
            import_problems = exc.problems
        else:
            db.session.commit()
            flash(_("Đã nhập %(n)d tiêu chí: thêm %(a)d, sửa %(c)d, xóa %(r)d.", n=len(lines), a=added, c=changed,
                    r=removed), "info")
            return redirect(url_for("admin.emulation_criteria", slug=slug, table_id=table.id))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/emulation_criteria.html", festival=festival, table=table, form=form,
                           import_form=import_form, problems=problems, import_problems=import_problems,
                           title=service.title_of(table), num=service.num, delete_form=PlainForm(),
                           linked=table.link_criterion if table.festival_id else None,
                           link_label=service.LINK_LABEL), status


def _check_import(table, lines: list[service.CriterionIn]) -> None:
    """Problems the workbook cannot know: scores above a new maximum, the linked criterion left out."""
    problems = []
    new = {line.code: line for line in lines}
    if table.festival_id and table.link_criterion and table.link_criterion not in new:
        problems.append(f"{workbook.SHEET}: thiếu tiêu chí {table.link_criterion}, tiêu chí nhận điểm "
                        f"{service.LINK_LABEL}; hãy giữ dòng này hoặc đổi tiêu chí liên kết trước.")
    for c in table.criteria:
        line = new.get(c.code)
        if line is None or line.max_score is None:
            continue
        above = sorted(str(s.unit_id) for s in c.scores if max(s.self_score or 0, s.bloc_score or 0) > line.max_score)
        if above:
            row = lines.index(line) + 2
            problems.append(f"{workbook.SHEET}!D{row}: đã có đơn vị được chấm cao hơn {service.num(line.max_score)} "
                            f"ở tiêu chí {c.code}; hãy sửa điểm trước khi hạ điểm tối đa.")
    if problems:
        raise workbook.WorkbookProblems(problems)


@bp.route("/festivals/<slug>/emulation/<int:table_id>/criteria.xlsx")
def emulation_template(slug: str, table_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    data = workbook.criteria_template(service.title_of(table), _lines(table))
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="tieu-chi-{table.year or ""}.xlsx"'})


def _criterion(table, criterion_id: int) -> EmulationCriterion:
    row = next((c for c in table.criteria if c.id == criterion_id), None)
    if row is None:
        abort(404)
    return row


@bp.route("/festivals/<slug>/emulation/<int:table_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
def emulation_criterion(slug: str, table_id: int, criterion_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    row = _criterion(table, criterion_id)
    form = CriterionForm()
    if request.method == "GET":
        form.code.data, form.group.data, form.name.data, form.max_score.data = row.code, row.group, row.name, row.max_score
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            service.update_criterion(festival, table, row, form.line())
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu tiêu chí %(c)s.", c=row.code), "info")
            return redirect(url_for("admin.emulation_criteria", slug=slug, table_id=table.id))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/emulation_criterion.html", festival=festival, table=table, row=row, form=form,
                           problems=problems, title=service.title_of(table)), status


@bp.route("/festivals/<slug>/emulation/<int:table_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
def emulation_criterion_delete(slug: str, table_id: int, criterion_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    row = _criterion(table, criterion_id)
    if PlainForm().validate_on_submit():
        try:
            service.delete_criterion(festival, table, row)
        except RuleError as exc:
            db.session.rollback()
            flash(" ".join(exc.messages), "error")
        else:
            db.session.commit()
            flash(_("Đã xóa tiêu chí và điểm chấm của tiêu chí."), "info")
    return redirect(url_for("admin.emulation_criteria", slug=slug, table_id=table.id))


@bp.route("/festivals/<slug>/emulation/<int:table_id>/criteria/<int:criterion_id>/move", methods=["POST"])
def emulation_criterion_move(slug: str, table_id: int, criterion_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    row = _criterion(table, criterion_id)
    step = {"up": -1, "down": 1}.get(request.form.get("to", ""))
    if not PlainForm().validate_on_submit() or step is None:
        abort(400)
    if service.move_criterion(festival, table, row, step):
        db.session.commit()
    return redirect(url_for("admin.emulation_criteria", slug=slug, table_id=table.id) + f"#c{row.id}")


# ----------------------------------------------------------------------------- scoring a unit


def _score_form(table, linked: str | None):
    class UnitScoreForm(FlaskForm):
        reason = StringField(_l("Lý do sửa (ghi vào nhật ký, không bắt buộc)"),
                             validators=[Length(max=500, message=_l("Tối đa 500 ký tự."))])

    for c in table.criteria:
        if c.code == linked:
            continue
        setattr(UnitScoreForm, f"self_{c.id}", ScoreField(_l("Tự chấm")))
        setattr(UnitScoreForm, f"bloc_{c.id}", ScoreField(_l("Khối chấm")))
        setattr(UnitScoreForm, f"note_{c.id}", StringField(_l("Ghi chú"), validators=[
            Length(max=500, message=_l("Tối đa 500 ký tự."))]))
    return UnitScoreForm()


@bp.route("/festivals/<slug>/emulation/<int:table_id>/units/<code>", methods=["GET", "POST"])
def emulation_unit(slug: str, table_id: int, code: str):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    unit = _unit(festival, code)
    linked = table.link_criterion if table.festival_id else None
    form = _score_form(table, linked)
    adjustment_form = AdjustmentForm(prefix="adj")
    s = service.summary(festival, table)
    line = s.line(unit.code)
    if request.method == "GET" and line is not None:
        for c in table.criteria:
            score = line.scores.get(c.id)
            if c.code != linked and score is not None:
                form[f"self_{c.id}"].data = score.self_score
                form[f"bloc_{c.id}"].data = score.bloc_score
                form[f"note_{c.id}"].data = score.note
    problems: list[str] = []
    adjustment_problems: list[str] = []
    action = request.form.get("action")
    if action == "scores" and form.validate_on_submit():
        lines = [service.ScoreIn(c, form[f"self_{c.id}"].data, form[f"bloc_{c.id}"].data, form[f"note_{c.id}"].data or "")
                 for c in table.criteria if c.code != linked]
        try:
            changed = service.set_scores(festival, table, unit, lines, form.reason.data or "")
        except RuleError as exc:
            problems = show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu điểm của %(u)s (%(n)d tiêu chí thay đổi).", u=unit.display_name, n=changed), "info")
            return redirect(url_for("admin.emulation_table", slug=slug, table_id=table.id) + f"#u-{unit.code}")
    elif action == "scores" and form.errors:
        problems = [_("Có ô điểm chưa hợp lệ; xem các ô đánh dấu đỏ.")]
    elif action == "adjustment" and adjustment_form.validate_on_submit():
        try:
            service.add_adjustment(festival, table, unit, adjustment_form.kind.data, adjustment_form.points.data,
                                   adjustment_form.reason.data or "")
        except RuleError as exc:
            adjustment_problems = show_errors(adjustment_form, exc)
        else:
            db.session.commit()
            flash(_("Đã ghi điểm %(k)s cho %(u)s.", k=_("cộng") if adjustment_form.kind.data == "bonus" else _("trừ"),
                    u=unit.display_name), "info")
            return redirect(url_for("admin.emulation_unit", slug=slug, table_id=table.id, code=unit.code))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/emulation_unit.html", festival=festival, table=table, unit=unit, s=s, line=line,
                           form=form, adjustment_form=adjustment_form, problems=problems,
                           adjustment_problems=adjustment_problems, linked=linked, num=service.num,
                           title=service.title_of(table), link_label=service.LINK_LABEL,
                           delete_form=PlainForm()), status


@bp.route("/festivals/<slug>/emulation/<int:table_id>/adjustments/<int:adjustment_id>/delete", methods=["POST"])
def emulation_adjustment_delete(slug: str, table_id: int, adjustment_id: int):
    festival = festival_or_404(slug)
    table = _table(festival, table_id)
    row = db.session.get(EmulationAdjustment, adjustment_id)
    if row is None or row.table_id != table.id:
        abort(404)
    unit = db.session.get(Unit, row.unit_id)
    if PlainForm().validate_on_submit():
        service.delete_adjustment(festival, table, row)
        db.session.commit()
        flash(_("Đã xóa dòng điểm cộng/trừ."), "info")
    return redirect(url_for("admin.emulation_unit", slug=slug, table_id=table.id, code=unit.code))


# ----------------------------------------------------------------------------- exports


def _filename(table, ext: str) -> str:
    period = (table.period or "").replace(" ", "").replace("Đợt", "dot")
    return f"bang-tong-hop-diem-thi-dua-{table.year or ''}{'-' + period if period else ''}.{ext}"


def summary_xlsx(festival: Festival, table) -> Response:
    data = workbook.summary_workbook(service.summary(festival, table))
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_filename(table, "xlsx")}"'})


def summary_pdf(festival: Festival, table) -> Response:
    from sports.pdf import emulation_summary

    data = emulation_summary.render(service.summary(festival, table))
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{_filename(table, "pdf")}"'})


@bp.route("/festivals/<slug>/emulation/<int:table_id>/summary.xlsx")
def emulation_xlsx(slug: str, table_id: int):
    festival = festival_or_404(slug)
    return summary_xlsx(festival, _table(festival, table_id))


@bp.route("/festivals/<slug>/emulation/<int:table_id>/summary.pdf")
def emulation_pdf(slug: str, table_id: int):
    festival = festival_or_404(slug)
    return summary_pdf(festival, _table(festival, table_id))


# ----------------------------------------------------------------------------- unit leaders


def unit_leaders(festival: Festival) -> list[User]:
    rows = db.session.scalars(select(User).where(User.role == "unit").order_by(User.username))
    return [u for u in rows if festival.slug in ((u.scopes or {}).get("festivals") or [])]


@bp.route("/festivals/<slug>/emulation/leaders", methods=["GET", "POST"])
def emulation_leaders(slug: str):
    festival = festival_or_404(slug)
    form = LeaderForm()
    form.unit.choices = [("", _("— chọn đơn vị —"))] + [(u.code, f"{u.code} · {u.name}") for u in festival.units]
    problems: list[str] = []
    created = None
    if form.validate_on_submit():
        unit = next((u for u in festival.units if u.code == form.unit.data), None)
        if unit is None:
            form.unit.errors = [_("Chọn đơn vị.")]
        else:
            try:
                user, password = accounts.create_user(form.username.data, "unit", full_name=form.full_name.data or "")
                user.scopes = {"festivals": [festival.slug], "units": [unit.code]}
                user.must_change_password = True
            except RuleError as exc:
                problems = show_errors(form, exc)
            else:
                db.session.commit()
                created = (user, password, unit)
                form = LeaderForm(formdata=None)
                form.unit.choices = [("", _("— chọn đơn vị —"))] + [(u.code, f"{u.code} · {u.name}")
                                                                    for u in festival.units]
    status = 422 if request.method == "POST" and created is None else 200
    return render_template("admin/emulation_leaders.html", festival=festival, form=form, problems=problems,
                           leaders=unit_leaders(festival), created=created), status

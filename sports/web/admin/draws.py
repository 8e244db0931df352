"""An event's draw: seeds, structure, (re)draw with a recorded seed, lock, qualification and lots."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from sports.domain import draws as rules
from sports.extensions import db
from sports.models import Group
from sports.services import draws as service
from sports.services.errors import RuleError
from sports.services.events import get_event
from sports.services.rankings import group_standings
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404, show_errors
from sports.web.fields import OptionalInteger, small_int


class DrawForm(FlaskForm):
    structure = SelectField(_l("Thể thức"), choices=list(service.STRUCTURES.items()), validate_choice=False)
    groups = OptionalInteger(_l("Số bảng"), minimum=2, maximum=16, default=2)
    qualifiers = SelectField(_l("Mỗi bảng lấy vào vòng loại trực tiếp"), choices=[("2", _l("2 đội (Nhất, Nhì)")), ("1", _l("1 đội (Nhất)"))],
                             default="2")
    seeds = OptionalInteger(_l("Số hạt giống"), minimum=0, maximum=64,
                            description=_l("Để trống: 2 khi dưới 16 đội, 4 khi 16–31, 8 khi 32–63 (theo các hạt giống đã đánh số)."))
    separation = SelectField(_l("Tách các đội cùng đơn vị"), choices=[
        ("full", _l("Đầy đủ: hai đội mạnh nhất ở hai nửa, đội 3–4 ở các phần tư còn lại")),
        ("first_round", _l("Chỉ tránh gặp nhau ở vòng đầu")), ("none", _l("Không tách")),
    ], validate_choice=False)
    rng_seed = OptionalInteger(_l("Mã bốc thăm (để trống: bốc thăm ngẫu nhiên mới)"), minimum=0, maximum=service.MAX_RNG_SEED,
                               description=_l("Nhập lại mã của một lần bốc thăm để tạo lại đúng sơ đồ đó."))

    def spec(self) -> service.DrawSpec:
        return service.DrawSpec(structure=self.structure.data, groups=self.groups.data or 2,
                                qualifiers=small_int(self.qualifiers.data) or 2, seeds=self.seeds.data,
                                separation=self.separation.data, rng_seed=self.rng_seed.data)


class ActionForm(FlaskForm):
    pass


def _page(festival, event, form=None, problems=(), status=200):
    form = form or DrawForm()
    if not form.is_submitted() and event.stages:
        first = event.stages[0]
        form.structure.data = ("knockout" if first.type == "knockout" else
                               "groups_knockout" if len(event.stages) > 1 else
                               "groups" if len(first.groups) > 1 else "round_robin")
        if first.type == "round_robin":
            form.groups.data = max(2, len(first.groups))
            form.qualifiers.data = str(event.stages[-1].qualifiers or 2)
        else:
            form.separation.data = first.separation or "full"
            form.seeds.data = first.seeds
    entries = sorted(event.entries, key=lambda e: (e.withdrawn, e.seed is None, e.seed or 0, e.position, e.id))
    stages = []
    for stage in event.stages:
        if stage.type == "round_robin":
            stages.append(("groups", stage, group_standings(event, stage)))
        else:
            stages.append(("knockout", stage, service.bracket_view(stage)))
    lots = []
    for stage in event.stages:
        for group in stage.groups:
            tied = service.tied_without_lots(group)
            if tied:
                by_id = {e.id: e for e in event.entries}
                order = {eid: i + 1 for i, eid in enumerate(group.lots or [])}
                lots.append((group, [(by_id[i], order.get(i)) for i in tied]))
    return render_template(
        "admin/draw.html", festival=festival, event=event, form=form, problems=problems, entries=entries,
        stages=stages, lock_reason=service.lock_reason(event), action=ActionForm(), lots=lots,
        qualification=service.qualification(event), round_name=service.round_name,
        entry_by_key={str(e.id): e for e in event.entries},
        default_seeds=rules.default_seed_count(len(service.drawable_entries(event)))
        if len(service.drawable_entries(event)) >= 2 else 0,
        rng_seed=next((s.rng_seed for s in event.stages if s.rng_seed is not None), None),
    ), status


def _event(slug: str, code: str):
    festival = festival_or_404(slug)
    try:
        return festival, get_event(festival, code)
    except RuleError:
        abort(404)


@bp.route("/festivals/<slug>/events/<code>/draw", methods=["GET", "POST"])
def draw(slug: str, code: str):
    festival, event = _event(slug, code)
    form = DrawForm()
    if form.validate_on_submit():
        try:
            service.make_draw(event, form.spec())
        except RuleError as exc:
            problems = show_errors(form, exc)
            return _page(festival, event, form, problems, 422)
        db.session.commit()
        seed = next((s.rng_seed for s in event.stages if s.rng_seed is not None), None)
        flash(_("Đã bốc thăm %(name)s (mã bốc thăm %(seed)s). Xem sơ đồ bên dưới; bốc thăm lại nếu cần, rồi khóa sơ đồ.",
                name=event.name, seed=seed), "info")
        return redirect(url_for("admin.draw", slug=slug, code=code) + "#so-do")
    if form.is_submitted():
        return _page(festival, event, form, (), 422)
    return _page(festival, event)


def _act(slug: str, code: str, fn, message: str):
    festival, event = _event(slug, code)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        fn(event)
    except RuleError as exc:
        db.session.rollback()
        for m in exc.messages:
            flash(m, "error")
        return redirect(url_for("admin.draw", slug=slug, code=code))
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("admin.draw", slug=slug, code=code))


@bp.route("/festivals/<slug>/events/<code>/draw/seeds", methods=["POST"])
def draw_seeds(slug: str, code: str):
    def save(event):
        seeds = {}
        for entry in event.entries:
            raw = request.form.get(f"seed-{entry.id}", "").strip()
            if raw and small_int(raw, 3) is None:
                raise RuleError(f"Hạt giống của {entry.display_name}: “{raw[:10]}” không phải là số.")
            seeds[entry.id] = small_int(raw, 3)
        service.set_seeds(event, seeds)
    return _act(slug, code, save, _("Đã lưu hạt giống."))


@bp.route("/festivals/<slug>/events/<code>/draw/lock", methods=["POST"])
def draw_lock(slug: str, code: str):
    return _act(slug, code, lambda e: service.set_locked(e, True), _("Đã khóa sơ đồ."))


@bp.route("/festivals/<slug>/events/<code>/draw/unlock", methods=["POST"])
def draw_unlock(slug: str, code: str):
    return _act(slug, code, lambda e: service.set_locked(e, False), _("Đã mở khóa sơ đồ."))


@bp.route("/festivals/<slug>/events/<code>/draw/qualify", methods=["POST"])
def draw_qualify(slug: str, code: str):
    return _act(slug, code, service.confirm_qualification,
                _("Đã xác nhận các đội đi tiếp vào sơ đồ loại trực tiếp."))


@bp.route("/festivals/<slug>/events/<code>/draw/lots/<int:group_id>", methods=["POST"])
def draw_lots(slug: str, code: str, group_id: int):
    def save(event):
        group = db.session.get(Group, group_id)
        if group is None or group.stage.event_id != event.id:
            abort(404)
        order = []
        for entry_id in service.tied_without_lots(group):
            number = small_int(request.form.get(f"lot-{entry_id}"), 3)
            if number is None:
                raise RuleError("Ghi thứ tự bốc thăm (1, 2, 3…) cho mỗi đội đồng hạng.")
            order.append((number, entry_id))
        if len({n for n, _ in order}) != len(order):
            raise RuleError("Mỗi đội đồng hạng một thứ tự bốc thăm khác nhau.")
        service.record_lots(group, [entry_id for _, entry_id in sorted(order)])
    return _act(slug, code, save, _("Đã ghi kết quả bốc thăm; xếp hạng đã cập nhật."))

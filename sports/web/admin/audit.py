"""The audit trail pages: the festival's, an event's and a match's changes (who, when, before,
after, reason), filtered by person and kind, a page at a time, and the same rows as Excel."""
from __future__ import annotations

from flask import Response, abort, render_template, request, url_for

from sports.services import audit_log
from sports.services.errors import NotFound
from sports.web.admin import bp
from sports.web.admin.common import festival_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> dict:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    return {"actor": request.args.get("actor", "")[:80] or None, "kind": request.args.get("kind", "")[:40] or None,
            "page": page}


def _show(slug: str, *, event_code: str | None = None, match_id: int | None = None):
    festival = festival_or_404(slug)
    filters = _filters()
    if event_code is None and match_id is None:
        event_code = request.args.get("event", "")[:40] or None
    try:
        page = audit_log.query(festival, match_id=match_id, event_code=event_code, **filters)
    except NotFound:
        abort(404)
    here = _endpoint_args(slug, page)
    return render_template("admin/audit.html", festival=festival, log=page, here=here,
                           url=lambda **changes: page_url(here, **changes))


def _endpoint_args(slug: str, page: audit_log.Page) -> dict:
    """The page's own endpoint and arguments (the filter form, pages and the Excel link keep them)."""
    scope = page.scope
    filters = {"actor": page.actor, "kind": page.kind, "page": page.page if page.page > 1 else None}
    if scope.kind == "match":
        endpoint, base = "admin.match_audit", {"slug": slug, "match_id": scope.match.id}
    elif scope.kind == "event" and request.endpoint == "admin.event_audit":
        endpoint, base = "admin.event_audit", {"slug": slug, "code": scope.event.code}
    else:
        endpoint, base = "admin.audit", {"slug": slug}
        filters["event"] = scope.event.code if scope.event else None
    return {"endpoint": endpoint, "xlsx": endpoint + "_xlsx", "base": base, "args": {**base, **filters},
            "action": url_for(endpoint, **base)}


def _xlsx(slug: str, name: str, *, event_code: str | None = None, match_id: int | None = None) -> Response:
    festival = festival_or_404(slug)
    filters = _filters()
    filters.pop("page")
    if event_code is None and match_id is None:
        event_code = request.args.get("event", "")[:40] or None
    try:
        data = audit_log.workbook(festival, match_id=match_id, event_code=event_code, **filters)
    except NotFound:
        abort(404)
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/festivals/<slug>/audit")
def audit(slug: str):
    return _show(slug)


@bp.route("/festivals/<slug>/audit.xlsx")
def audit_xlsx(slug: str):
    return _xlsx(slug, f"nhat-ky-{_safe(slug)}.xlsx")


@bp.route("/festivals/<slug>/events/<code>/audit")
def event_audit(slug: str, code: str):
    return _show(slug, event_code=code)


@bp.route("/festivals/<slug>/events/<code>/audit.xlsx")
def event_audit_xlsx(slug: str, code: str):
    return _xlsx(slug, f"nhat-ky-{_safe(slug)}-{_safe(code)}.xlsx", event_code=code)


@bp.route("/festivals/<slug>/matches/<int:match_id>/audit")
def match_audit(slug: str, match_id: int):
    return _show(slug, match_id=match_id)


@bp.route("/festivals/<slug>/matches/<int:match_id>/audit.xlsx")
def match_audit_xlsx(slug: str, match_id: int):
    return _xlsx(slug, f"nhat-ky-{_safe(slug)}-tran-{match_id}.xlsx", match_id=match_id)


def _safe(text: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)[:40]


def page_url(here: dict, xlsx: bool = False, **changes) -> str:
    """This audit page's URL (or its Excel's) with some query arguments changed (None drops one)."""
    args = {k: v for k, v in {**here["args"], **changes}.items() if v not in (None, "")}
    if xlsx or args.get("page") == 1:
        args.pop("page", None)
    return url_for(here["xlsx" if xlsx else "endpoint"], **args)

"""Public pages and read API at national scale, through the Flask test client.

The festival of ``benchmarks.largefile`` (100 units, 5,000 athletes, 60 events) with the
semi-finals and finals still to play, imported into a SQLite file by the real importer.
Every figure is a ratio to a bare Flask route registered in the same app and measured in
the same run. For each page: (a) nothing changed since the last view (warm caches), and
(b) the first view after one result recorded through ``results.record_result`` (the event
that changed is cold; for the event page, it is the event shown).

Run alone with ``python -m benchmarks.pages`` (prints JSON); ``benchmarks.run`` calls it.
"""
from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.largefile import _winning_sets, build, match_count  # noqa: E402

PAGES = ["/", "/f/{slug}/", "/f/{slug}/events/{code}", "/f/{slug}/units/{unit}", "/f/{slug}/schedule",
         "/f/{slug}/display", "/f/{slug}/revision"]
GOAL_UNCHANGED, GOAL_AFTER_RESULT = 3.0, 100.0


def festival_data(**kw) -> dict:
    """The large festival with each event's last two knockout rounds still to play, and the
    bloc's emulation score table (ten criteria scored for every unit, one fed by the festival)."""
    data = build(**kw)
    for ev in data["events"]:
        ko = ev["stages"][1]["matches"]
        del ko[-3:]  # the two semi-finals and the final
    rng = random.Random(11)
    criteria = [{"code": f"C{i}", "group": f"Nhóm {i // 4 + 1}", "name": f"Tiêu chí {i + 1}", "max": 10}
                for i in range(10)]
    data["emulation"] = {
        "name": "Bảng điểm thi đua", "year": 2024, "criteria": criteria,
        "scores": [{"unit": u["code"], "criterion": c["code"], "self": rng.randint(5, 10), "bloc": rng.randint(5, 10)}
                   for u in data["units"] for c in criteria[:-1]],
        "adjustments": [], "bonus_cap": 5,
        "festival_link": {"criterion": criteria[-1]["code"], "participation_points": 10, "min_events": 2,
                          "rank_bonus": {"1": 3, "2": 2, "3": 1}}}
    return data


def api_routes(app) -> list[str]:
    """Every GET route of the read API, with its arguments as ``{slug}``/``{code}`` fields."""
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or not rule.rule.startswith("/api/"):
            continue
        if set(rule.arguments) - {"slug", "code"}:
            continue  # an argument this benchmark cannot fill
        out.append(rule.rule.replace("<slug>", "{slug}").replace("<code>", "{code}"))
    return out


def endpoint(app, path: str) -> str | None:
    from werkzeug.exceptions import MethodNotAllowed, NotFound
    from werkzeug.routing import RequestRedirect

    try:
        return app.url_map.bind("localhost").match(path, method="GET")[0]
    except RequestRedirect:
        return endpoint(app, path.rstrip("/") + "/")
    except (NotFound, MethodNotAllowed):
        return None


def exists(app, path: str) -> bool:
    return endpoint(app, path) is not None


def _timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return median(samples)


def measure(repeat: int = 15, after_repeat: int = 5, **size) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from sports import create_app

    data = festival_data(**size)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'pages.sqlite3'}"
        app = create_app({"SECRET_KEY": "bench-secret-key-of-the-benchmarks-0123", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})

        @app.route("/__bare")
        def bare():
            return "ok"

        with app.app_context():
            upgrade()
            from sports.extensions import db
            from sports.importers.festival_file import import_file

            festival = import_file(json.dumps(data).encode())
            festival.is_current = True
            db.session.commit()
            slug = festival.slug
            db.session.remove()
        client = app.test_client()
        fields = {"slug": slug, "code": data["events"][0]["code"], "unit": data["units"][0]["code"]}
        sports = {ev["code"]: ev["sport"] for ev in data["events"]}
        rng = random.Random(5)
        codes = [ev["code"] for ev in data["events"]]
        turn = iter(range(10**6))

        def record_one(code: str | None = None) -> str:
            """Record the next playable match (of event ``code``, else of the next event in turn)."""
            from sports.extensions import db
            from sports.models import Event, Festival, Match
            from sports.services.results import record_result

            with app.app_context():
                for _ in range(len(codes)):
                    c = code or codes[next(turn) % len(codes)]
                    match = db.session.scalar(
                        select(Match).join(Event).join(Festival)
                        .where(Festival.slug == slug, Event.code == c, Match.status == "scheduled",
                               Match.home_entry_id.is_not(None), Match.away_entry_id.is_not(None))
                        .order_by(Match.round, Match.position).limit(1))
                    if match is not None:
                        record_result(match, _winning_sets(sports[c], rng, rng.random() < 0.5),
                                      expected_version=match.version)
                        db.session.commit()
                        db.session.remove()
                        return c
                    if code:
                        break
                raise RuntimeError(f"no match left to record ({code or 'any event'})")

        def get(path: str) -> int:
            return client.get(path).status_code

        get("/__bare")
        base = _timed(lambda: get("/__bare"), repeat * 20)
        templates = PAGES + api_routes(app)
        rows = [measure_page(t, app, fields, get, record_one, repeat, after_repeat) for t in templates]
        # The same pages with the whole-page cache applied here (views that take a slug and
        # are not decorated yet): what ``@cached_page`` would give them.
        from sports.web.public.cache import cached_page

        wrapped = []
        for rule in app.url_map.iter_rules():
            view = app.view_functions.get(rule.endpoint)
            if "slug" in rule.arguments and view is not None and not getattr(view, "cached_page", False):
                app.view_functions[rule.endpoint] = cached_page(view)
                wrapped.append(rule.endpoint)
        with_cache = [measure_page(t, app, fields, get, record_one, repeat, after_repeat) for t in templates
                      if endpoint(app, t.format(**fields)) in wrapped]
        with app.app_context():
            from sports.extensions import db

            db.session.remove()
            db.engine.dispose()
    return {"bare_s": base, "rows": rows, "with_cache": with_cache, "matches": match_count(build(**size)),
            "units": len(data["units"]), "athletes": len(data["athletes"]), "events": len(data["events"])}


def measure_page(template, app, fields, get, record_one, repeat, after_repeat) -> dict:
        path = template.format(**fields)
        row = {"page": template.replace("{slug}", "<slug>").replace("{code}", "<code>")
               .replace("{unit}", "<code>"), "built": exists(app, path)}
        if not row["built"]:
            return row
        row["status"] = get(path)
        if row["status"] != 200:
            return row
        row["unchanged_s"] = _timed(lambda p=path: get(p), repeat)
        after = []
        for _ in range(after_repeat):
            if "{code}" in template:  # the event shown is the one that changed
                code = record_one()
                p = template.format(**{**fields, "code": code})
            else:
                record_one()
                p = path
            t0 = time.perf_counter()
            get(p)
            after.append(time.perf_counter() - t0)
        row["after_result_s"] = median(after)
        return row


if __name__ == "__main__":
    print(json.dumps(measure()))

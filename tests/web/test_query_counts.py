"""Read pages and endpoints cost a bounded number of queries, whatever the number of entries."""
import contextlib

import pytest
from sqlalchemy import event, select


@contextlib.contextmanager
def count_queries(engine):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.mark.parametrize("url, limit", [
    # Measured: 24, 11, 7, 9, each +1 on the API for the cache's revision lookup. A query per event (12) or per entry (6–11) breaks the limit of
    # the API routes; the home page (medal table, prizes, latest and next matches with their
    # sides' players and units, events, units) is held to its measured count, and the test
    # below shows it does not grow with the festival.
    ("/", 24),
    ("/api/v1/festivals/lamdong-2023/events/BC-NAM/standings", 13),
    ("/api/v1/festivals/lamdong-2023/events/CL-DOINN/placings", 9),
    ("/api/v1/festivals/lamdong-2023/medals", 11),
])
def test_no_query_per_entry_or_event(client, runner, db, url, limit):
    runner.invoke(args=["demo"])
    db.session.remove()
    with count_queries(db.engine) as statements:
        assert client.get(url).status_code == 200
    assert len(statements) <= limit, "\n".join(statements)


def _public_read_routes(app) -> list[str]:
    """Every GET page of the public blueprint and every GET route of the read API, as templates."""
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not (rule.endpoint.startswith("public.") or rule.rule.startswith("/api/")):
            continue
        if set(rule.arguments) - {"slug", "code"} or rule.rule.endswith((".pdf", ".xlsx")):
            continue  # arguments this test cannot fill; exports are documents, not polled pages
        out.append(rule.rule)
    return sorted(set(out))


def _import_generated(db, slug: str, **size):
    from benchmarks.pages import festival_data
    from sports.importers.festival_file import import_file

    data = festival_data(**size)
    data["festival"]["slug"] = slug
    import_file(__import__("json").dumps(data).encode())
    db.session.commit()
    return data


def _count(client, db, path: str) -> tuple[int, int]:
    db.session.remove()
    with count_queries(db.engine) as cold:
        status = client.get(path).status_code
    with count_queries(db.engine) as warm:
        assert client.get(path).status_code == status
    return status, len(cold), len(warm)


def test_queries_do_not_grow_with_the_festival(app, client, db):
    """A small and a larger generated festival: each page costs the same queries,
    on its first view (derived results computed) and on the next (cached)."""
    from sports.services import derived

    derived.clear()
    small = _import_generated(db, "nho", n_units=8, n_athletes=160, n_events=6, groups=2)
    # Twice the units, athletes and events; the same shape of event (2 groups of 4, a final).
    large = _import_generated(db, "lon", n_units=16, n_athletes=320, n_events=12, groups=2)
    routes = _public_read_routes(app)
    assert "/api/v1/festivals/<slug>/medals" in routes and "/f/<slug>/" in routes
    measured = []
    for rule in routes:
        counts = []
        for slug, data in (("nho", small), ("lon", large)):
            if rule == "/":  # the festival marked current
                from sports.models import Festival
                from sports.services.festivals import set_current

                set_current(db.session.scalar(select(Festival).where(Festival.slug == slug)))
                db.session.commit()
            unit = data["units"][1]["code"]
            path = rule.replace("<slug>", slug).replace("<code>", unit if "/units/" in rule else data["events"][1]["code"])
            counts.append(_count(client, db, path))
        (s_status, s_cold, s_warm), (l_status, l_cold, l_warm) = counts
        assert s_status == l_status, rule
        measured.append(rule)
        assert l_cold <= s_cold and l_warm <= s_warm, f"{rule}: {counts}"
    assert len(measured) == len(routes)

"""Read pages and endpoints cost a bounded number of queries, whatever the number of entries."""
import contextlib

import pytest
from sqlalchemy import event


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
    # Measured: 11, 11, 7, 9. A query per event (12) or per entry (6–11) breaks the limit.
    ("/", 12),
    ("/api/v1/festivals/lamdong-2023/events/BC-NAM/standings", 12),
    ("/api/v1/festivals/lamdong-2023/events/CL-DOINN/placings", 8),
    ("/api/v1/festivals/lamdong-2023/medals", 10),
])
def test_no_query_per_entry_or_event(client, runner, db, url, limit):
    runner.invoke(args=["demo"])
    db.session.remove()
    with count_queries(db.engine) as statements:
        assert client.get(url).status_code == 200
    assert len(statements) <= limit, "\n".join(statements)

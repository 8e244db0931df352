"""Backup and restore of the whole database (services.backup, `flask backup …`), on every backend
and across them: a restore gives back every row exactly as it was at backup time."""
from __future__ import annotations

import gzip
import json
from datetime import timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy import types as sqltypes

from sports import create_app
from sports.models import ApiToken, AuditEntry, Certificate, Festival, Match, Placing, User
from sports.services.accounts import (
    authenticate,
    begin_login_attempt,
    create_user,
    issue_token,
    parse_login_limit,
    revoke_token,
    user_for_token,
)
from sports.services.ceremony import set_handed
from sports.services.certificates import settings_of, sync_certificates
from sports.services.backup import LOCAL_TIME_COLUMNS, BackupError, read_backup, restore, write_backup
from sports.services.demo import load_demo
from sports.services.results import record_result
from sports.services.schedule import VN
from tests.conftest import _empty_all_tables, login
from tests.services.test_migrations import empty_database  # noqa: F401  (a fixture: a new database per backend)

PASSWORD = "mat-khau-sao-luu"


def _open_match(db):
    """A scheduled match with both sides known, of a best-of-N table tennis or badminton event."""
    for match in db.session.scalars(select(Match).where(Match.status == "scheduled",
                                                        Match.home_entry_id.is_not(None),
                                                        Match.away_entry_id.is_not(None)).order_by(Match.id)):
        if match.event.sport == "table_tennis":
            return match
    raise AssertionError("the demo day has no open table tennis match")


def _win(match) -> list[list[int]]:
    return [[11, 5]] * (match.event.best_of // 2 + 1)


@pytest.fixture
def festival_day(db):
    """The demo with its festival day, one more result, a user with a token and a staged upload."""
    load_demo(day=True)
    db.session.flush()
    match = _open_match(db)
    record_result(match, _win(match), actor="cli", submission_id="sao-luu-0001")
    festival = db.session.scalar(select(Festival))
    sync_certificates(festival, actor="cli")
    db.session.flush()
    first, last = db.session.scalar(select(Certificate).order_by(Certificate.id)), \
        db.session.scalar(select(Certificate).order_by(Certificate.id.desc()))
    first.replaced_by_id = last.id  # a row pointing at a later row of its own table
    settings_of(festival).logo = bytes(range(256))
    placing = db.session.scalar(select(Placing).order_by(Placing.id))
    set_handed(festival, placing.entry.event, placing.entry_id, True, actor="cli")
    begin_login_attempt("10.0.0.1", parse_login_limit("5 per 5 minutes"))
    create_user("saoluu", "organiser", PASSWORD, full_name="Người sao lưu")
    token = issue_token("saoluu", name="Máy ghi điểm sân 1")
    from sports.models import StagedUpload

    db.session.add(StagedUpload(token="t" * 64, user_id=db.session.scalar(select(User.id).where(User.username == "saoluu")),
                                kind="festival_file", filename="tệp.json", data=b"\x00\xffbytes"))
    db.session.commit()
    return token


def _normal(table, column, value):
    """A value comparable across backends: instants in UTC (SQLite keeps wall times), bytes as bytes."""
    if value is None:
        return None
    if isinstance(column.type, sqltypes.DateTime) and column.type.timezone:
        if value.tzinfo is None:
            value = value.replace(tzinfo=VN if (table.name, column.name) in LOCAL_TIME_COLUMNS else timezone.utc)
        return value.astimezone(timezone.utc)
    if isinstance(column.type, sqltypes.LargeBinary):
        return bytes(value)
    return value


def snapshot(session) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order; JSON columns also say whether they are SQL NULL."""
    from sports.extensions import db

    state = {}
    for table in db.metadata.sorted_tables:
        # A festival's revision and epoch only move forward, restore included (see
        # test_a_restore_moves_revisions_forward): the rest of the row must come back as it was.
        columns = [c for c in table.columns if not (table.name == "festival" and c.name in ("revision", "epoch"))]
        flags = [c.is_(None) for c in columns if isinstance(c.type, sqltypes.JSON)]
        rows = session.execute(select(*columns, *flags).order_by(*table.primary_key.columns)).all()
        state[table.name] = [tuple(_normal(table, c, v) for c, v in zip(columns, row)) + tuple(row[len(columns):])
                             for row in rows]
    return state


def _rewrite(src, dst, change) -> None:
    """Copy a backup line by line through change(number, obj) -> obj, or None to drop the line,
    or a tuple of objects to write several lines."""
    with gzip.open(src, "rb") as fh, gzip.open(dst, "wb") as out:
        for number, raw in enumerate(fh, 1):
            obj = change(number, json.loads(raw))
            for one in obj if isinstance(obj, tuple) else () if obj is None else (obj,):
                out.write(json.dumps(one).encode() + b"\n")


def _row_of(path, table_name):
    """(line number, columns) of the first row of a table in a backup."""
    columns, current = None, None
    with gzip.open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            obj = json.loads(raw)
            if isinstance(obj, dict) and "table" in obj:
                current, columns = obj["table"], obj["columns"]
            elif isinstance(obj, list) and current == table_name:
                return number, columns
    raise AssertionError(f"no row of {table_name}")


def test_restore_gives_back_every_row_after_changes_and_deletions(db, festival_day, client, tmp_path):
    before = snapshot(db.session)
    assert all(before[name] for name in ("user", "api_token", "audit_entry", "match", "result_submission",
                                         "schedule_session", "court", "emulation_table", "emulation_score",
                                         "staged_upload", "placing")), [k for k, v in before.items() if not v]
    assert all(before.values()), [k for k, v in before.items() if not v]  # every table has rows
    path = tmp_path / "hoithao.backup"
    summary = write_backup(path)
    assert summary.counts == {name: len(rows) for name, rows in before.items()}

    # Change and delete things after the backup.
    match = _open_match(db)
    record_result(match, _win(match), actor="cli")
    revoke_token(db.session.scalar(select(ApiToken.id).join(User).where(User.username == "saoluu")))
    db.session.execute(text('UPDATE "user" SET password_hash = \'x\' WHERE username = \'saoluu\''))
    create_user("moi", "referee", "mat-khau-moi-123")
    db.session.delete(db.session.scalar(select(Festival)))
    db.session.commit()
    assert snapshot(db.session) != before

    plan = read_backup(path)
    assert plan.revision == summary.revision and plan.rows == summary.rows
    counts = restore(plan)
    db.session.commit()
    assert counts == summary.counts
    assert snapshot(db.session) == before

    # The old password logs in, the old token is accepted (by the service and by the API).
    assert authenticate("saoluu", PASSWORD) is not None
    assert user_for_token(festival_day).username == "saoluu"
    db.session.rollback()
    assert login(client, "saoluu", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    match = _open_match(db)
    response = client.post(f"/api/v1/matches/{match.id}/result", json={"sets": _win(match), "version": match.version},
                           headers={"Authorization": f"Bearer {festival_day}"})
    assert response.status_code in (200, 201), response.get_data(as_text=True)


def test_restore_into_an_emptied_database_and_new_rows_get_fresh_ids(db, festival_day, tmp_path):
    before = snapshot(db.session)
    path = tmp_path / "b.gz"
    write_backup(path)
    _empty_all_tables()  # on PostgreSQL also restarts every sequence at 1
    restore(read_backup(path))
    db.session.commit()
    assert snapshot(db.session) == before
    top_user = max(row[0] for row in before["user"])
    top_audit = max(row[0] for row in before["audit_entry"])
    user, _ = create_user("sau-khoi-phuc", "referee", "mat-khau-123")  # also writes an audit row
    db.session.commit()
    assert user.id == top_user + 1
    assert db.session.scalar(select(func.max(AuditEntry.id))) > top_audit


@pytest.fixture
def other_database(empty_database):  # noqa: F811
    """A second, freshly migrated app on each backend (a separate PostgreSQL database)."""
    from flask_migrate import upgrade

    other = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-of-the-suite-0123456789",
                        "SQLALCHEMY_DATABASE_URI": empty_database})
    with other.app_context():
        upgrade()
    yield other
    with other.app_context():
        from sports.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_a_backup_restores_on_the_other_database(db, festival_day, app, other_database, tmp_path):
    """SQLite → PostgreSQL and PostgreSQL → SQLite (and each onto a fresh database of its own kind)."""
    before = snapshot(db.session)
    path = tmp_path / "cross.gz"
    write_backup(path)
    with other_database.app_context():
        from sports.extensions import db as other_db

        restore(read_backup(path))
        other_db.session.commit()
        assert snapshot(other_db.session) == before, f"{app.config['BACKEND']} → {other_db.engine.dialect.name}"
        assert authenticate("saoluu", PASSWORD) is not None
        assert user_for_token(festival_day) is not None
        user, _ = create_user("tren-may-khac", "referee", "mat-khau-123")
        other_db.session.commit()
        assert user.id == max(row[0] for row in before["user"]) + 1
        other_db.session.remove()


# --------------------------------------------------------------------------------- refusals

@pytest.fixture
def backed_up(db, festival_day, tmp_path):
    path = tmp_path / "good.gz"
    write_backup(path)
    match = _open_match(db)
    record_result(match, _win(match), actor="cli")  # the database now differs from the file
    db.session.commit()
    return path, snapshot(db.session)


def _refused(db, plan_or_path, *needles) -> str:
    with pytest.raises(BackupError) as caught:
        plan = read_backup(plan_or_path)
        restore(plan)
    db.session.rollback()
    message = " ".join(caught.value.messages)
    for needle in needles:
        assert needle in message, message
    return message


def test_refused_when_the_schema_revision_differs(db, backed_up):
    path, state = backed_up
    revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.execute(text("UPDATE alembic_version SET version_num = '0007_certificates'"))
    db.session.commit()
    try:
        _refused(db, path, "0007_certificates", revision, "flask db upgrade")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        db.session.commit()
    assert snapshot(db.session) == state


def test_refused_when_the_file_is_truncated_or_not_a_backup(db, backed_up, tmp_path):
    path, state = backed_up
    raw = path.read_bytes()
    cut = tmp_path / "cut.gz"
    cut.write_bytes(raw[: len(raw) // 2])
    _refused(db, cut, "cắt cụt")
    # Cut at a line boundary: the gzip stream is whole, the backup is not.
    total = sum(1 for _ in gzip.open(path, "rb"))
    short = tmp_path / "short.gz"
    _rewrite(path, short, lambda n, obj: obj if n < total * 2 // 3 else None)
    _refused(db, short, "cắt cụt")
    # A row dropped inside a table: its count no longer matches.
    line, _ = _row_of(path, "audit_entry")
    dropped = tmp_path / "dropped.gz"
    _rewrite(path, dropped, lambda n, obj: None if n == line else obj)
    _refused(db, dropped, "audit_entry")
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    _refused(db, plain, "hỏng")
    assert snapshot(db.session) == state


def test_refused_on_a_tampered_value_located_by_table_row_and_column(db, backed_up, tmp_path):
    path, state = backed_up
    line, columns = _row_of(path, "match")
    for column, value, reason in (("version", "một", "số nguyên"), ("recorded_at", "hôm qua", "thời điểm"),
                                  ("sets", "[[11, 5]]", "JSON"), ("confirmed", 1, "true/false"),
                                  ("status", None, "NULL")):
        bad = tmp_path / f"bad-{column}.gz"
        index = columns.index(column)

        def change(n, obj, index=index, value=value):
            if n == line:
                obj[index] = value
            return obj
        _rewrite(path, bad, change)
        _refused(db, bad, "bảng match, hàng 1", f"cột {column}", reason)
        assert snapshot(db.session) == state
    # Unknown table and unknown column: refused before anything is read.
    renamed = tmp_path / "renamed.gz"
    _rewrite(path, renamed, lambda n, obj: {**obj, "columns": [("vong" if c == "round" else c) for c in obj["columns"]]}
             if isinstance(obj, dict) and obj.get("table") == "match" else obj)
    _refused(db, renamed, "match", "vong")
    foreign = tmp_path / "foreign.gz"
    _rewrite(path, foreign, lambda n, obj: {**obj, "table": "bang_la"} if isinstance(obj, dict) and obj.get("table") == "court" else obj)
    _refused(db, foreign, "bang_la")
    # A value the database itself refuses (a second user with the same name): the row is named.
    line, columns = _row_of(path, "user")
    twice = tmp_path / "twice.gz"

    def duplicate(n, obj):
        if n == line:
            return obj, [obj[0] + 1000, *obj[1:]]
        if isinstance(obj, dict) and obj.get("end") == "user":
            return {**obj, "rows": obj["rows"] + 1}
        return obj
    _rewrite(path, twice, duplicate)
    _refused(db, twice, "bảng user, hàng 2")
    assert snapshot(db.session) == state


# -------------------------------------------------------------------------------------- CLI

def test_cli_backup_create_and_restore(runner, db, festival_day, tmp_path):
    state = snapshot(db.session)
    path = tmp_path / "cli.gz"
    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output and path.exists() and not (tmp_path / "cli.gz.partial").exists()

    db.session.delete(db.session.scalar(select(Festival)))
    db.session.commit()
    changed = snapshot(db.session)

    result = runner.invoke(args=["backup", "restore", str(path)], input="n\n")
    assert result.exit_code == 1 and "không thay đổi gì" in result.output
    assert snapshot(db.session) == changed

    result = runner.invoke(args=["backup", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    db.session.rollback()
    assert snapshot(db.session) == state

    cut = tmp_path / "cut.gz"
    cut.write_bytes(path.read_bytes()[:200])
    result = runner.invoke(args=["backup", "restore", str(cut), "--yes"])
    assert result.exit_code == 1 and "cắt cụt" in result.output and "Traceback" not in result.output
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "none.gz"), "--yes"])
    assert result.exit_code == 1 and "Không có tệp" in result.output
    db.session.rollback()
    assert snapshot(db.session) == state


def test_cli_in_the_issues_words_backup_o_and_restore(runner, db, festival_day, tmp_path):
    """`flask backup -o FILE` and `flask restore FILE`, as issue 14 names them."""
    state = snapshot(db.session)
    path = tmp_path / "hoithao.backup.gz"
    result = runner.invoke(args=["backup", "-o", str(path)])
    assert result.exit_code == 0 and "Đã sao lưu" in result.output, result.output
    assert runner.invoke(args=["backup"]).exit_code == 2  # neither -o nor a subcommand: the help
    db.session.delete(db.session.scalar(select(Festival)))
    db.session.commit()
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0 and "Đã khôi phục" in result.output, result.output
    db.session.rollback()
    assert snapshot(db.session) == state


def test_a_restore_moves_revisions_forward(runner, db, festival_day, tmp_path):
    """Workers may hold results cached under any revision they have seen: after a restore every
    festival's revision and epoch are past all of them, so no cache answers for the old data."""
    path = tmp_path / "forward.gz"
    assert runner.invoke(args=["backup", "-o", str(path)]).exit_code == 0
    festival = db.session.scalar(select(Festival))
    for _ in range(3):
        festival.bump()
    db.session.commit()
    before = db.session.execute(select(Festival.revision, Festival.epoch)).one()
    assert runner.invoke(args=["restore", str(path), "--yes"]).exit_code == 0
    db.session.rollback()
    after = db.session.execute(select(Festival.revision, Festival.epoch)).one()
    assert after.revision > before.revision and after.epoch > before.epoch

"""Backup and restore of the whole database: every row of every table, on SQLite and PostgreSQL
and across them (a backup taken on one restores on the other).

The file is gzip'd JSON Lines (``FORMAT``), read and written as a stream, table by table::

    {"format": "hoithao-backup", "version": 1, "revision": "0008_hardening", "created_at": …,
     "dialect": "sqlite", "tables": ["festival", …]}
    {"table": "festival", "columns": ["id", "slug", …]}
    [1, "lamdong-2023", …]                  one JSON array per row, in primary-key order
    {"end": "festival", "rows": 1}
    …                                       tables in foreign-key order, parents first
    {"end_of_backup": true, "tables": 26, "rows": 5120}

Values by column type, losslessly: dates and datetimes ISO 8601 (datetimes with their UTC
offset), bytes base64, Decimals as strings, JSON columns as ``[document]`` (``null`` is SQL
NULL, ``[null]`` a JSON null), everything else as JSON itself.

``write_backup`` reads in one transaction (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite's WAL), so the copy is consistent while the app serves. ``read_backup``
checks the file's structure (format, tables, columns, row counts, its end) without keeping
rows; ``restore`` checks the schema revision, then in the session's transaction deletes every
row and inserts the file's, checking every value against its column, and resets PostgreSQL's
sequences. It flushes and never commits: the caller commits, or rolls back on ``BackupError``
— a refused restore changes nothing.

SQLite keeps no UTC offset: it stores the wall time of the value written. The app writes UTC
instants except in the columns of ``LOCAL_TIME_COLUMNS`` (schedule times, written as festival
local time, see ``services.schedule``); those naive values are read as local time, every
other naive value as UTC, and written back the same way.

What this module does not know: the meaning of any table. Anything the app caches in its
processes (``services.derived``) is keyed by revisions a restore may set back: restart the
app after a restore.
"""
from __future__ import annotations

import base64
import binascii
import gzip
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from sqlalchemy import Table, func, select, sql, text, update
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import DBAPIError

from sports.extensions import db
from sports.models import Festival
from sports.services.errors import RuleError
from sports.services.schedule import VN

FORMAT = "hoithao-backup"
VERSION = 1
BATCH = 500

LOCAL_TIME_COLUMNS = {
    ("schedule_session", "starts_at"), ("schedule_session", "ends_at"),
    ("match", "scheduled_at"), ("match", "not_before"), ("entry", "not_before"),
}

_INT_RANGE = {"sqlite": 63, "postgresql": 31}


class BackupError(RuleError):
    """A backup file that cannot be restored here; messages say where and why. Nothing changed."""

    def __init__(self, messages: str | list[str]):
        super().__init__([messages] if isinstance(messages, str) else list(messages))


def _tables() -> list[Table]:
    import sports.models  # noqa: F401  (registers every table)

    return list(db.metadata.sorted_tables)


def _zone(table: Table, column) -> timezone:
    return VN if (table.name, column.name) in LOCAL_TIME_COLUMNS else timezone.utc


def database_revision(connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


# ---------------------------------------------------------------------------------------- write

def _encoder(table: Table, column):
    kind = column.type
    if isinstance(kind, sqltypes.JSON):
        return None  # handled with its IS NULL flag
    if isinstance(kind, sqltypes.DateTime):
        zone = _zone(table, column)
        aware = kind.timezone

        def dt(v):
            if v.tzinfo is None and aware:
                v = v.replace(tzinfo=zone)
            return v.isoformat()
        return dt
    if isinstance(kind, sqltypes.Date):
        return date.isoformat
    if isinstance(kind, sqltypes.LargeBinary):
        return lambda v: base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(kind, sqltypes.Numeric) and not isinstance(kind, sqltypes.Float):
        return lambda v: str(v)
    return lambda v: v


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


@dataclass
class BackupSummary:
    revision: str | None
    created_at: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def write_backup(out: str | os.PathLike | IO[bytes]) -> BackupSummary:
    """Write every table to ``out`` (a path, written atomically, or a binary file object)."""
    if isinstance(out, (str, os.PathLike)):
        partial = f"{os.fspath(out)}.partial"
        try:
            with open(partial, "wb") as fh:
                summary = write_backup(fh)
            os.replace(partial, out)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        return summary

    engine = db.engine
    dialect = engine.dialect.name
    if dialect == "postgresql":
        conn = engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        begin, end = conn.begin, None
    else:
        # pysqlite starts no transaction for a SELECT: open one by hand, so every table is read
        # from the same snapshot of the WAL.
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        begin, end = None, "ROLLBACK"
    try:
        if begin is not None:
            tx = begin()
        else:
            conn.exec_driver_sql("BEGIN")
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz:
            summary = _write_all(conn, gz, dialect)
        if begin is not None:
            tx.rollback()
        else:
            conn.exec_driver_sql(end)
    finally:
        conn.close()
    return summary


def _write_all(conn, gz, dialect: str) -> BackupSummary:
    tables = _tables()
    revision = database_revision(conn)
    created = datetime.now(timezone.utc).isoformat()
    summary = BackupSummary(revision, created)

    def line(obj: Any) -> None:
        gz.write(_dumps(obj).encode("ascii") + b"\n")

    line({"format": FORMAT, "version": VERSION, "revision": revision, "created_at": created,
          "dialect": dialect, "tables": [t.name for t in tables]})
    for table in tables:
        columns = list(table.columns)
        encoders = [_encoder(table, c) for c in columns]
        json_flags = [c.is_(None) for c in columns if isinstance(c.type, sqltypes.JSON)]
        line({"table": table.name, "columns": [c.name for c in columns]})
        query = select(*columns, *json_flags).order_by(*table.primary_key.columns)
        count = 0
        for row in conn.execution_options(yield_per=BATCH).execute(query):
            flags = iter(row[len(columns):])
            values = []
            for value, enc in zip(row[:len(columns)], encoders):
                if enc is None:  # JSON
                    values.append(None if next(flags) else [value])
                else:
                    values.append(None if value is None else enc(value))
            line(values)
            count += 1
        line({"end": table.name, "rows": count})
        summary.counts[table.name] = count
    line({"end_of_backup": True, "tables": len(tables), "rows": summary.rows})
    return summary


# ----------------------------------------------------------------------------------------- read

@dataclass
class TablePlan:
    name: str
    columns: list[str]
    rows: int


@dataclass
class BackupPlan:
    """A backup file whose structure was checked; its rows are read again by ``restore``."""

    path: str
    revision: str | None
    created_at: str
    dialect: str
    tables: list[TablePlan]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _lines(path: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) of the file; BackupError for anything unreadable."""
    try:
        with gzip.open(path, "rb") as fh:
            number = 0
            for raw in fh:
                number += 1
                try:
                    yield number, json.loads(raw)
                except (ValueError, RecursionError):
                    raise BackupError(f"{path}: dòng {number} không phải JSON hợp lệ / line {number} is not valid JSON.") from None
    except BackupError:
        raise
    except FileNotFoundError:
        raise BackupError(f"Không có tệp {path} / no such file.") from None
    except OSError as exc:  # not gzip, or cut short (EOFError is an OSError's sibling below)
        raise BackupError(f"{path}: tệp hỏng hoặc không phải bản sao lưu / corrupt or not a backup ({exc}).") from None
    except (EOFError, zlib.error) as exc:
        raise BackupError(f"{path}: tệp bị cắt cụt hoặc hỏng / truncated or corrupt ({exc or 'unexpected end'}).") from None


def _structure(path: str) -> Iterator[tuple[str, Any, Any]]:
    """The file as events: ("header", h, None), ("table", name, columns), ("row", line, values),
    ("end", name, count), ("trailer", t, None); BackupError for any break of the structure."""
    known = {t.name: t for t in _tables()}
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise BackupError(f"{path}: tệp rỗng / the file is empty.")
    _, header = first
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path}: không phải bản sao lưu Hội thao / not a Hội thao backup.")
    if header.get("version") != VERSION:
        raise BackupError(f"{path}: phiên bản định dạng {header.get('version')!r} không đọc được "
                          f"(chỉ đọc {VERSION}) / unsupported format version.")
    yield "header", header, None
    current: str | None = None
    width = count = 0
    seen: list[str] = []
    for number, item in lines:
        where = f"{path}: dòng {number}"
        if isinstance(item, list):
            if current is None:
                raise BackupError(f"{where}: dòng dữ liệu ngoài bảng / a row outside any table.")
            count += 1
            if len(item) != width:
                raise BackupError(f"{where}: bảng {current}, hàng {count}: có {len(item)} giá trị, "
                                  f"cần {width} / table {current}, row {count}: wrong number of values.")
            yield "row", number, item
        elif isinstance(item, dict) and "table" in item:
            name, columns = item.get("table"), item.get("columns")
            if current is not None:
                raise BackupError(f"{where}: bảng {current} chưa kết thúc / table {current} has no end.")
            if name not in known:
                raise BackupError(f"{where}: bảng không có trong cơ sở dữ liệu này: {name!r} / unknown table.")
            if name in seen:
                raise BackupError(f"{where}: bảng {name} xuất hiện hai lần / table {name} twice.")
            if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
                raise BackupError(f"{where}: bảng {name}: danh sách cột hỏng / bad column list.")
            have = {c.name for c in known[name].columns}
            unknown = [c for c in columns if c not in have]
            if unknown:
                raise BackupError(f"{where}: bảng {name}: cột không có trong cơ sở dữ liệu này: "
                                  f"{', '.join(map(str, unknown))} / unknown column(s).")
            missing = sorted(have - set(columns))
            if missing or len(set(columns)) != len(columns):
                raise BackupError(f"{where}: bảng {name}: thiếu hoặc lặp cột {', '.join(missing)} / missing or repeated column(s).")
            current, width, count = name, len(columns), 0
            yield "table", name, columns
        elif isinstance(item, dict) and "end" in item:
            if item.get("end") != current or current is None:
                raise BackupError(f"{where}: kết thúc bảng không khớp / an end of table that does not match.")
            if item.get("rows") != count:
                raise BackupError(f"{where}: bảng {current} ghi {item.get('rows')!r} hàng nhưng có {count} "
                                  f"/ row count does not match (file cut or edited).")
            seen.append(current)
            yield "end", current, count
            current = None
        elif isinstance(item, dict) and item.get("end_of_backup") is True:
            if current is not None:
                raise BackupError(f"{where}: bảng {current} chưa kết thúc / table {current} has no end.")
            if next(lines, None) is not None:
                raise BackupError(f"{where}: còn dữ liệu sau dòng kết thúc / data after the end.")
            missing = [n for n in known if n not in seen]
            if missing:
                raise BackupError(f"{path}: thiếu bảng {', '.join(missing)} / table(s) missing.")
            yield "trailer", item, None
            return
        else:
            raise BackupError(f"{where}: dòng không hiểu được / a line that is not part of the format.")
    raise BackupError(f"{path}: tệp bị cắt cụt (không có dòng kết thúc) / truncated: the end of the backup is missing.")


def read_backup(path: str | os.PathLike) -> BackupPlan:
    """Check the file's structure from start to end; BackupError, located, when it is broken."""
    path = os.fspath(path)
    plan: BackupPlan | None = None
    columns: list[str] = []
    for kind, a, b in _structure(path):
        if kind == "header":
            plan = BackupPlan(path, a.get("revision"), str(a.get("created_at", "")), str(a.get("dialect", "")), [])
        elif kind == "table":
            columns = b
        elif kind == "end":
            plan.tables.append(TablePlan(a, columns, b))
    return plan


# -------------------------------------------------------------------------------------- restore

def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory
    from flask import current_app

    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory)).get_current_head()


def check_revision(plan: BackupPlan) -> None:
    """BackupError unless this database's schema is the one of the backup."""
    here = database_revision(db.session.connection())
    if here == plan.revision:
        return
    try:
        head = _head_revision()
    except Exception:  # noqa: BLE001 - only to word the advice
        head = None
    advice = ("Chạy `flask db upgrade` rồi khôi phục lại / run `flask db upgrade`, then restore again."
              if plan.revision == head else
              f"Cần phiên bản phần mềm có lược đồ {plan.revision} (rồi `flask db upgrade`) / "
              f"use the app version whose schema is {plan.revision}, then `flask db upgrade`.")
    raise BackupError(f"Lược đồ cơ sở dữ liệu là {here or 'trống (chưa có bảng)'}, bản sao lưu là {plan.revision}: "
                      f"không khôi phục / the database schema is {here or 'empty'}, the backup's is "
                      f"{plan.revision}: nothing restored. {advice}")


def _decoder(table: Table, column, dialect: str):
    """A function from the file's value to the value to insert; raises ValueError(reason)."""
    kind = column.type
    name = type(kind).__name__
    if isinstance(kind, sqltypes.JSON):
        def js(v):
            if not isinstance(v, list) or len(v) != 1:
                raise ValueError("cần [tài liệu JSON] / expected [JSON document]")
            return v[0]  # a JSON null is stored as JSON null (the column's none_as_null is off)
        return js
    if isinstance(kind, sqltypes.Boolean):
        def boolean(v):
            if not isinstance(v, bool):
                raise ValueError(f"cần true/false, có {v!r} / expected a boolean")
            return v
        return boolean
    if isinstance(kind, sqltypes.Integer):
        bits = 63 if isinstance(kind, sqltypes.BigInteger) else 15 if isinstance(kind, sqltypes.SmallInteger) \
            else _INT_RANGE.get(dialect, 63)

        def integer(v):
            if not isinstance(v, int) or isinstance(v, bool):
                raise ValueError(f"cần số nguyên, có {_short(v)} / expected an integer")
            if not -(2 ** bits) <= v < 2 ** bits:
                raise ValueError(f"số nguyên {_short(v)} vượt giới hạn của cột / integer out of range")
            return v
        return integer
    if isinstance(kind, sqltypes.DateTime):
        zone = _zone(table, column)

        def dt(v):
            if not isinstance(v, str):
                raise ValueError(f"cần thời điểm ISO 8601, có {_short(v)} / expected an ISO datetime")
            try:
                value = datetime.fromisoformat(v)
            except ValueError:
                raise ValueError(f"thời điểm không hợp lệ {_short(v)} / invalid datetime") from None
            if kind.timezone and value.tzinfo is None:
                raise ValueError(f"thời điểm {_short(v)} thiếu múi giờ / datetime without UTC offset")
            if dialect == "sqlite" and value.tzinfo is not None:
                value = value.astimezone(zone).replace(tzinfo=None)  # the wall time the app stores
            return value
        return dt
    if isinstance(kind, sqltypes.Date):
        def d(v):
            if not isinstance(v, str):
                raise ValueError(f"cần ngày YYYY-MM-DD, có {_short(v)} / expected a date")
            try:
                return date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"ngày không hợp lệ {_short(v)} / invalid date") from None
        return d
    if isinstance(kind, sqltypes.LargeBinary):
        def binary(v):
            if not isinstance(v, str):
                raise ValueError("cần chuỗi base64 / expected base64 text")
            try:
                return base64.b64decode(v, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("base64 không hợp lệ / invalid base64") from None
        return binary
    if isinstance(kind, sqltypes.Numeric) and not isinstance(kind, sqltypes.Float):
        precision, scale = kind.precision, kind.scale

        def number(v):
            if not isinstance(v, str):
                raise ValueError(f"cần số thập phân dạng chuỗi, có {_short(v)} / expected a decimal as text")
            try:
                value = Decimal(v)
            except InvalidOperation:
                raise ValueError(f"số thập phân không hợp lệ {_short(v)} / invalid decimal") from None
            if not value.is_finite():
                raise ValueError(f"số {v} không hữu hạn / not a finite number")
            if scale is not None and value != value.quantize(Decimal(1).scaleb(-scale)):
                raise ValueError(f"{v} có quá {scale} chữ số thập phân / too many decimal places")
            if precision is not None and scale is not None and abs(value) >= Decimal(10) ** (precision - scale):
                raise ValueError(f"{v} vượt giới hạn của cột / out of the column's range")
            return value
        return number
    if isinstance(kind, sqltypes.Float):
        def flt(v):
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise ValueError(f"cần số, có {_short(v)} / expected a number")
            return v
        return flt
    if isinstance(kind, sqltypes.String):
        length = kind.length

        def string(v):
            if not isinstance(v, str):
                raise ValueError(f"cần chuỗi, có {_short(v)} / expected text")
            if dialect == "postgresql":
                if "\x00" in v:
                    raise ValueError("chuỗi chứa ký tự NUL / text contains NUL")
                if length is not None and len(v) > length:
                    raise ValueError(f"dài {len(v)} ký tự, cột chỉ chứa {length} / longer than the column")
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("chuỗi chứa ký tự không hợp lệ (surrogate) / text with an unpaired surrogate") from None
            return v
        return string
    raise TypeError(f"backup: no decoder for column {table.name}.{column.name} of type {name}")


def _short(v: Any) -> str:
    text_ = repr(v)
    return text_ if len(text_) <= 40 else text_[:37] + "…"


def restore(plan: BackupPlan) -> dict[str, int]:
    """Replace every row of the database by the backup's, in the session's transaction.

    Flushes, never commits. BackupError (located: table, row, column) on any value that does not
    fit; the caller rolls back and nothing has changed. Returns the rows restored per table.
    """
    check_revision(plan)
    db.session.flush()
    conn = db.session.connection()
    dialect = conn.dialect.name
    tables = {t.name: t for t in _tables()}
    # The highest revisions this database has shown: a running worker may hold derived results
    # cached under any of them, so the restored festivals must move past them, never back.
    seen = int(conn.execute(select(func.coalesce(func.max(Festival.__table__.c.revision), 0))).scalar()) + \
        int(conn.execute(select(func.coalesce(func.max(Festival.__table__.c.epoch), 0))).scalar())
    for table in reversed(list(tables.values())):
        conn.execute(table.delete())

    counts: dict[str, int] = {}
    table: Table | None = None
    for kind, a, b in _structure(plan.path):
        if kind == "table":
            table = tables[a]
            state = _TableLoad(conn, table, b, dialect, plan.path)
        elif kind == "row":
            state.add(a, b)
        elif kind == "end":
            counts[a] = state.finish()
    if dialect == "postgresql":
        _reset_sequences(conn, tables.values())
    if seen:
        # Raise every restored festival's revision and epoch past anything seen before the
        # restore (the epoch is part of every event's key): no cache, in any worker, can answer
        # for the restored data with results of the data it replaced.
        f = Festival.__table__
        conn.execute(update(f).values(revision=f.c.revision + seen + 1, epoch=f.c.epoch + seen + 1))
    db.session.expunge_all()
    return counts


class _TableLoad:
    """Decodes and inserts one table's rows in batches; self-references are set afterwards."""

    def __init__(self, conn, table: Table, columns: list[str], dialect: str, path: str):
        self.conn, self.table, self.path = conn, table, path
        self.columns = [table.c[name] for name in columns]
        self.decoders = [_decoder(table, c, dialect) for c in self.columns]
        self.is_json = [isinstance(c.type, sqltypes.JSON) for c in self.columns]
        self.self_refs = [c.name for c in self.columns
                          if any(fk.column.table is table for fk in c.foreign_keys)]
        self.pk = list(table.primary_key.columns)
        self.batch: list[tuple[int, int, dict]] = []
        self.updates: list[tuple[int, dict]] = []
        self.count = 0

    def _where(self, line: int, row: int, column: str | None = None) -> str:
        at = f"{self.path}: dòng {line}: bảng {self.table.name}, hàng {row}"
        return at + (f", cột {column}" if column else "")

    def add(self, line: int, values: list) -> None:
        self.count += 1
        record = {}
        for column, decode, is_json, value in zip(self.columns, self.decoders, self.is_json, values):
            if value is None:
                if not column.nullable:
                    raise BackupError(f"{self._where(line, self.count, column.name)}: "
                                      f"cột không được để trống / the column does not allow NULL.")
                record[column.name] = sqltypes.JSON.NULL if is_json else None
                continue
            try:
                record[column.name] = decode(value)
            except ValueError as exc:
                raise BackupError(f"{self._where(line, self.count, column.name)}: {exc}.") from None
        if self.self_refs:
            later = {name: record[name] for name in self.self_refs if record[name] is not None}
            if later:
                self.updates.append((line, {**{f"pk_{c.name}": record[c.name] for c in self.pk}, **later}))
                for name in later:
                    record[name] = None
        self.batch.append((line, self.count, record))
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.batch:
            return
        try:
            with self.conn.begin_nested():
                self.conn.execute(self.table.insert(), [r for _, _, r in self.batch])
        except DBAPIError:
            self._locate()
        self.batch = []

    def _locate(self) -> None:
        """Insert the failed batch row by row to name the row the database refused."""
        for line, number, record in self.batch:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(self.table.insert(), [record])
            except DBAPIError as exc:
                raise BackupError(f"{self._where(line, number)}: cơ sở dữ liệu từ chối / the database refused "
                                  f"the row: {_first_line(exc)}.") from None
        raise BackupError(f"{self.path}: bảng {self.table.name}: cơ sở dữ liệu từ chối một nhóm hàng / "
                          f"the database refused a batch of rows.")

    def finish(self) -> int:
        self._flush()
        groups: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
        for line, params in self.updates:
            groups.setdefault(tuple(sorted(k for k in params if not k.startswith("pk_"))), []).append((line, params))
        for names, rows in groups.items():
            stmt = self.table.update().where(*[c == sql.bindparam(f"pk_{c.name}") for c in self.pk]).values(
                {name: sql.bindparam(f"v_{name}") for name in names})
            params = [{(k if k.startswith("pk_") else f"v_{k}"): v for k, v in p.items()} for _, p in rows]
            try:
                with self.conn.begin_nested():
                    self.conn.execute(stmt, params)
            except DBAPIError:
                for (line, _), one in zip(rows, params):
                    try:
                        with self.conn.begin_nested():
                            self.conn.execute(stmt, [one])
                    except DBAPIError as exc:
                        raise BackupError(f"{self.path}: dòng {line}: bảng {self.table.name}, cột "
                                          f"{', '.join(names)}: cơ sở dữ liệu từ chối / the database refused: "
                                          f"{_first_line(exc)}.") from None
                raise
        return self.count


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)


def _reset_sequences(conn, tables) -> None:
    """Every integer primary key's sequence to max(id) + 1."""
    preparer = conn.dialect.identifier_preparer
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sqltypes.Integer):
            continue
        column = pk[0]
        sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": preparer.format_table(table), "c": column.name})
        if sequence is None:
            continue
        top = conn.scalar(select(func.max(column)))
        conn.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": (top or 0) + 1})


__all__ = ["BackupError", "BackupPlan", "BackupSummary", "check_revision", "read_backup", "restore", "write_backup"]

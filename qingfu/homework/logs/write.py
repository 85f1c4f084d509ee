"""The evening rush's hot path: a log and its entries written with hand-made SQL (the
ORM's insert machinery cost more than the statements themselves). On PostgreSQL the
evening's first log is one statement with the class-day's rollup mark folded in; a
correction (or SQLite) is an upsert and the entries replaced. The columns come from the
models; a test fails when a concrete field is missing from the statements."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection

from qingfu.core.changes import MARKED_TO_SEND
from qingfu.core.sql import bound_cursor
from qingfu.homework.models import TimeLog, TimeLogEntry

Entry = tuple[int, int, int, bool]  # subject, minutes, estimated minutes, done at school

# Every concrete field but the key, in the model's order: the statements' columns come from
# here, so a field added to either model is in them, and a write that has no value for it
# (or a value for a field the model lacks) is refused instead of silently losing it.
_LOG_FIELDS = tuple(f for f in TimeLog._meta.concrete_fields if not f.primary_key)
_LOG_ATTNAMES = frozenset(f.attname for f in _LOG_FIELDS)
_ENTRY_MODEL_FIELDS = tuple(
    f for f in TimeLogEntry._meta.concrete_fields if not f.primary_key and f.name != "log"
)
# The entry fields a log write sets, in the order of ``Entry`` (the model's order).
ENTRY_FIELDS = tuple(f.name for f in _ENTRY_MODEL_FIELDS)


def _log_row(
    student_id: int, day: dt.date, values: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """The log's row, column → database value, for every concrete field of ``TimeLog``.
    ``values`` holds the fields the submit decides, by attribute name (``school_id``);
    the student, the day and the two timestamps come from the arguments."""
    given = {"student_id": student_id, "date": day, "created_at": now, "updated_at": now}
    given.update(values)
    if given.keys() != _LOG_ATTNAMES:
        raise ValueError(
            f"the time-log write has no value for {sorted(_LOG_ATTNAMES - given.keys())}"
            f" and values for fields TimeLog lacks: {sorted(given.keys() - _LOG_ATTNAMES)}"
        )
    return {
        str(f.column): f.get_db_prep_value(given[f.attname], connection, prepared=False)
        for f in _LOG_FIELDS
    }


def _entry_rows(entries: list[Entry]) -> list[tuple[Any, ...]]:
    """The entries as database values, in ``ENTRY_FIELDS``' order; an entry with more or
    fewer values than the model has fields is refused."""
    fields = _ENTRY_MODEL_FIELDS
    if any(len(entry) != len(fields) for entry in entries):
        raise ValueError(f"a time-log entry has one value per field of {ENTRY_FIELDS}: {entries}")
    return [
        tuple(
            f.get_db_prep_value(v, connection, prepared=False)
            for f, v in zip(fields, entry, strict=True)
        )
        for entry in entries
    ]


def _entry_columns() -> list[str]:
    return [str(f.column) for f in _ENTRY_MODEL_FIELDS]


@functools.cache
def _log_insert_sql(log_columns: tuple[str, ...]) -> str:
    """``log_insert``'s statement up to its mark (PostgreSQL's, built once)."""
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in _ENTRY_MODEL_FIELDS)
    columns = ", ".join(_entry_columns())
    return (
        f"WITH log AS (INSERT INTO {TimeLog._meta.db_table} ({', '.join(log_columns)})"  # noqa: S608 - our own tables and columns
        f" VALUES ({', '.join(['%s'] * len(log_columns))})"
        " ON CONFLICT (student_id, date) DO NOTHING RETURNING id),"
        f" entries AS (INSERT INTO {TimeLogEntry._meta.db_table} (log_id, {columns})"
        f" SELECT log.id, e.* FROM log, unnest({arrays}) AS e)"
    )


def log_insert(
    student_id: int,
    day: dt.date,
    values: dict[str, Any],
    entries: list[Entry],
    mark: tuple[str, list[Any]] | None,
    *,
    now: dt.datetime,
) -> tuple[int | None, set[tuple[int, dt.date]]]:
    """On PostgreSQL, the evening's first log: the log, its entries and the class-day's
    rollup mark (``mark``) in one statement, so one round trip and atomic without a
    transaction. Returns the log's id and the class-days its mark says to send (see
    ``qingfu.core.changes``). The id is ``None`` when the evening already has a log (or on
    SQLite): then the log and its entries were left alone (the mark, harmless twice, was
    still made) and ``log_save`` corrects them.

    The statement's text is the same for every log (the entries travel as arrays), so the
    connection prepares it once. Two first logs at once: the second waits for the first to
    commit, inserts nothing, and replaces the first's entries in ``log_save``."""
    if connection.vendor != "postgresql":
        return None, set()
    row = _log_row(student_id, day, values, now)
    sql = _log_insert_sql(tuple(row))
    rows = _entry_rows(entries)
    params = [*row.values(), *(list(column) for column in zip(*rows, strict=True))]
    if not rows:
        params += [[]] * len(ENTRY_FIELDS)
    if mark is None:
        sql += " SELECT id, NULL, NULL FROM log"
    else:
        # The log's id, then one row per class-day its mark says to send.
        sql += f", mark AS ({mark[0]}) SELECT id, NULL::bigint, NULL::date FROM log"  # noqa: S608 - our own statements
        sql += f" UNION ALL SELECT NULL, * FROM ({MARKED_TO_SEND}) AS sending"  # noqa: S608
        params += mark[1]
    with bound_cursor() as cursor:
        cursor.execute(sql, params)
        answer = cursor.fetchall()
    found = [int(row[0]) for row in answer if row[0] is not None]
    return (found[0] if found else None), {(int(row[1]), row[2]) for row in answer if row[1]}


def log_save(
    student_id: int,
    day: dt.date,
    values: dict[str, Any],
    entries: list[Entry],
    *,
    now: dt.datetime,
) -> int:
    """Insert the evening's log or update the one already there, and replace its entries
    (subject, minutes, estimate, done at school): three statements.

    ``ON CONFLICT … RETURNING`` runs on PostgreSQL and on SQLite 3.35+. Two guardians at
    once: the second upsert waits for the first's row lock and then replaces its entries,
    so a log never mixes the two."""
    row = _log_row(student_id, day, values, now)
    rows = _entry_rows(entries)
    table, entry_table = TimeLog._meta.db_table, TimeLogEntry._meta.db_table
    changed = [c for c in row if c not in ("student_id", "date", "created_at")]
    with bound_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})"  # noqa: S608 - our own table and columns
            " ON CONFLICT (student_id, date) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in changed)
            + " RETURNING id",
            list(row.values()),
        )
        log_id = cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM {entry_table} WHERE log_id = %s", [log_id])  # noqa: S608
        if rows:
            columns = ", ".join(_entry_columns())
            cursor.execute(
                f"INSERT INTO {entry_table} (log_id, {columns}) VALUES "  # noqa: S608 - our own table and columns
                + ", ".join(["(%s" + ", %s" * len(ENTRY_FIELDS) + ")"] * len(rows)),
                [v for entry in rows for v in (log_id, *entry)],
            )
    return int(log_id)

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

# The entry fields a log write sets, in the order of ``Entry``; a test checks that with
# the log's they are every concrete field of the model, so a new field cannot be lost.
ENTRY_FIELDS = ("subject", "minutes", "estimated_minutes", "at_school")


def _log_row(
    student_id: int, day: dt.date, values: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    ops = connection.ops
    return {
        "student_id": student_id,
        "date": ops.adapt_datefield_value(day),
        **values,
        "finished_at": ops.adapt_timefield_value(values["finished_at"]),
        "created_at": ops.adapt_datetimefield_value(now),
        "updated_at": ops.adapt_datetimefield_value(now),
    }


def _entry_columns() -> list[str]:
    return [str(TimeLogEntry._meta.get_field(name).column) for name in ENTRY_FIELDS]  # type: ignore[union-attr]


@functools.cache
def _log_insert_sql(log_columns: tuple[str, ...]) -> str:
    """``log_insert``'s statement up to its mark (PostgreSQL's, built once)."""
    fields = [TimeLogEntry._meta.get_field(name) for name in ENTRY_FIELDS]
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
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
    params = [*row.values(), *(list(column) for column in zip(*entries, strict=True))]
    if not entries:
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
        rows = cursor.fetchall()
    found = [int(row[0]) for row in rows if row[0] is not None]
    return (found[0] if found else None), {(int(row[1]), row[2]) for row in rows if row[1]}


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
        if entries:
            columns = ", ".join(_entry_columns())
            cursor.execute(
                f"INSERT INTO {entry_table} (log_id, {columns}) VALUES "  # noqa: S608 - our own table and columns
                + ", ".join(["(%s" + ", %s" * len(ENTRY_FIELDS) + ")"] * len(entries)),
                [v for entry in entries for v in (log_id, *entry)],
            )
    return int(log_id)

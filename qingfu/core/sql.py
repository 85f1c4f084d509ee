"""A cursor for the hot paths' hand-written SQL (the evening rush's time-log write)."""

from __future__ import annotations

import psycopg
from django.db import connection
from django.db.backends.utils import CursorWrapper


def bound_cursor() -> CursorWrapper:
    """Django's cursor, except that on PostgreSQL the parameters travel apart from the SQL.

    Django quotes every parameter into the statement text in Python (client-side binding),
    which was a tenth of the app's time on a time-log post. psycopg's own cursor sends them
    as values, dumped in C, and prepares a statement the connection runs again and again,
    so PostgreSQL skips parsing and planning it too. Use it only where each placeholder is
    a plain column value: PostgreSQL must infer a bound value's type from where it stands.
    Queries are still counted and logged as Django's own."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.validate_thread_sharing()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)  # type: ignore[arg-type]  # stubs: the raw cursor
    return connection.make_cursor(raw)  # type: ignore[arg-type]

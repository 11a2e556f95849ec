"""Writing many rows at once, the fast way each database offers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Many rows at once. On PostgreSQL through COPY (the driver's executemany goes row by row, and a compiled
    multi-row INSERT costs more to build than to run); on SQLite, in process, executemany is already fast.
    Values must be ready for the database as they are (UTC datetimes, plain str and int)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[name] for name in names])

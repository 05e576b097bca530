"""The SQL that differs between SQLite and PostgreSQL, and nothing else.

Everything outside this module is backend-agnostic; code that needs a backend-specific statement
asks the :class:`Dialect` of its session's engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Insert, Table, text
from sqlalchemy.dialects import postgresql, sqlite


@dataclass(frozen=True)
class Dialect:
    """Backend-specific SQL for one engine."""

    name: str

    def insert_ignoring_duplicates(self, table: Table) -> Insert:
        """An INSERT that silently skips rows whose primary key already exists."""
        if self.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    @property
    def placeholder(self) -> str:
        """The DB-API parameter marker of the driver (qmark for sqlite3, format for psycopg)."""
        return "%s" if self.name == "postgresql" else "?"

    def insert_many(
        self, connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert positional rows straight through the driver's executemany.

        Bulk imports write millions of child rows; SQLAlchemy's per-row parameter processing
        costs more than SQLite's insert itself, and these rows need none of it (plain text,
        integers and booleans, no defaults).
        """
        if not rows:
            return
        names = ", ".join(f'"{column}"' for column in columns)
        markers = ", ".join([self.placeholder] * len(columns))
        statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({markers})'
        connection.exec_driver_sql(statement, list(rows))

    def select_in(
        self, connection: Connection, query: str, column: str, values: Sequence[Any]
    ) -> list[tuple[Any, ...]]:
        """Rows of ``query WHERE column IN (values)`` through the driver.

        SQLAlchemy re-renders an expanding IN of a thousand values on every call, which costs
        fifty times the lookup itself; a batch import does this once per thousand rows.
        """
        if not values:
            return []
        markers = ", ".join([self.placeholder] * len(values))
        result = connection.exec_driver_sql(f"{query} WHERE {column} IN ({markers})", tuple(values))
        return [tuple(row) for row in result]

    def allocate_ids(self, connection: Connection, table: Table, count: int) -> list[int]:
        """Reserve ``count`` new primary keys of ``table`` inside the caller's transaction.

        PostgreSQL draws them from the table's sequence; SQLite has one writer at a time, so
        the next ids after the current maximum are free until the transaction ends (a
        concurrent writer makes this transaction fail, never share ids).  The maximum counts the
        numbers of deleted rows too (an AUTOINCREMENT table's counter, see db/models.py
        NEVER_REUSED_IDS), which SQLite raises itself when the rows are inserted.
        """
        if count <= 0:
            return []
        if self.name == "postgresql":
            result = connection.execute(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                {"table": table.name, "n": count},
            )
            return [row[0] for row in result]
        start = connection.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"')).scalar_one()
        if table.kwargs.get("sqlite_autoincrement"):
            used = connection.execute(
                text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}
            ).scalar()
            start = max(start, used or 0)
        return list(range(start + 1, start + 1 + count))

    def datetime_value(self, value: dt.datetime) -> object:
        """A timestamp as :meth:`insert_many` must pass it (SQLAlchemy's text form on SQLite)."""
        return value.isoformat(sep=" ") if self.name == "sqlite" else value

    def empty_tables(self, connection: Connection, tables: list[Table]) -> None:
        """Delete every row of ``tables`` and restart their id counters (tests, `demo --reset`)."""
        if not tables:
            return
        if self.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(tables):
            connection.execute(table.delete())
        if connection.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
            connection.execute(text("DELETE FROM sqlite_sequence"))


def dialect_of(bind: Engine | Connection) -> Dialect:
    """The :class:`Dialect` of an engine or connection."""
    return Dialect(bind.dialect.name)

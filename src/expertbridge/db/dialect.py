"""The SQL that differs between SQLite and PostgreSQL, and nothing else.

Everything outside this module is backend-agnostic; code that needs a backend-specific statement
asks the :class:`Dialect` of its session's engine.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        if connection.execute(
            text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
        ).first():
            connection.execute(text("DELETE FROM sqlite_sequence"))


def dialect_of(bind: Engine | Connection) -> Dialect:
    """The :class:`Dialect` of an engine or connection."""
    return Dialect(bind.dialect.name)

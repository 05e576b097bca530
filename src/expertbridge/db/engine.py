"""Engines and sessions.  No engine exists at import time: callers build one from their settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker


class DatabaseURLError(ValueError):
    """The configured database URL cannot be used."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver would begin transactions itself, only before a write, and a SAVEPOINT outside one
    # commits on release: an import that keeps each row in a savepoint then kept the rows before a
    # bad one.  SQLAlchemy begins every transaction instead (_begin), so savepoints nest in it.
    dbapi_connection.isolation_level = None
    # WAL lets the web app read while an import writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 64 MB of page cache keeps the indexes of a large import in memory.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; for SQLite the file's folder is created when missing."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise DatabaseURLError(
            f"EXPERTBRIDGE_DATABASE_URL={database_url!r} is not a database URL; "
            "use sqlite:///var/expertbridge.db or postgresql+psycopg://user@host/db"
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return create_engine(url, pool_pre_ping=True)
    raise DatabaseURLError(f"database backend {backend!r} is not supported; use SQLite or PostgreSQL")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` that keeps objects readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with factory() as session, session.begin():
        yield session

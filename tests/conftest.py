"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from EXPERTBRIDGE_TEST_POSTGRES_URL (default: the local server's `test` database).
Each test run works in a schema of its own, emptied between tests.  When the server cannot be
reached the PostgreSQL variants are skipped with one line of explanation, except in CI (CI=true or
EXPERTBRIDGE_REQUIRE_POSTGRES=1), where they fail: CI must prove both backends.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.dialect import dialect_of
from expertbridge.db.engine import make_engine, session_factory
from expertbridge.db.models import Base
from expertbridge.registry.setup import initialize

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
KEPT_TABLES = {"sectors", "alembic_version"}


def _postgres_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true" or os.environ.get("EXPERTBRIDGE_REQUIRE_POSTGRES") == "1"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded SQLite file that each test copies (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    initialize(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a fresh schema on the PostgreSQL test server, migrated and seeded."""
    base = os.environ.get("EXPERTBRIDGE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        message = f"PostgreSQL at {base} is not reachable ({type(error).__name__})"
        if _postgres_required():
            pytest.fail(message + "; CI needs it: start the server or set EXPERTBRIDGE_TEST_POSTGRES_URL")
        pytest.skip(message + "; PostgreSQL tests skipped")
    schema = f"eb_test_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    engine = make_engine(url)
    initialize(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _empty(engine: Engine) -> None:
    tables = [table for table in Base.metadata.sorted_tables if table.name not in KEPT_TABLES]
    with engine.begin() as connection:
        dialect_of(connection).empty_tables(connection, tables)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database on each backend; yields its URL."""
    if request.param == "sqlite":
        path = tmp_path / "registry.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _empty(engine)
    engine.dispose()
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the test database."""
    return session_factory(engine)


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the command line at the test database and a search index of its own."""
    monkeypatch.setenv("EXPERTBRIDGE_DATABASE_URL", database_url)
    monkeypatch.setenv("EXPERTBRIDGE_INDEX_DIR", str(tmp_path / "index"))
    return database_url


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A folder for the files a test writes."""
    folder = tmp_path / "files"
    folder.mkdir()
    return folder

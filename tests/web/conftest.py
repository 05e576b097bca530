"""An app on each test database with a small demo dataset.

The demo is loaded once per test run and backend, then copied into each test's database: loading
it (683 organizations, 60 experts, their events) took 4 s a test on SQLite and 10 s on PostgreSQL,
most of the web tests' time.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.db.models import Base
from expertbridge.demo.load import load_demo
from expertbridge.registry.setup import initialize
from expertbridge.settings import load_settings
from expertbridge.web.app import create_app
from tests.conftest import DEFAULT_POSTGRES, KEPT_TABLES

TOKEN = "test-token-123"
DEMO = {"experts": 60, "seed": 11}


@pytest.fixture(scope="session")
def sqlite_demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo, which each test copies."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo(session_factory(engine), **DEMO)  # type: ignore[arg-type]
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_demo(postgres_url: str) -> Iterator[str]:
    """A schema beside the tests' one holding the demo, which each test copies; yields its name."""
    base = os.environ.get("EXPERTBRIDGE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    schema = f"eb_demo_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    engine = make_engine(f"{base}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        initialize(engine)
        load_demo(session_factory(engine), **DEMO)  # type: ignore[arg-type]
        engine.dispose()
        yield schema
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _copy_postgres_demo(engine: Engine, schema: str) -> None:
    # The test's schema was emptied by the database_url fixture; both were built by the same
    # migrations, so their columns are in the same order.
    tables = [table for table in Base.metadata.sorted_tables if table.name not in KEPT_TABLES]
    with engine.begin() as connection:
        for table in tables:
            connection.exec_driver_sql(f'INSERT INTO "{table.name}" SELECT * FROM "{schema}"."{table.name}"')
        for table in tables:
            if "id" not in table.c:
                continue
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": f'"{table.name}"'}
            ).scalar()
            if sequence:
                connection.execute(
                    text(
                        f'SELECT setval(:sequence, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, '
                        "false)"
                    ),
                    {"sequence": sequence},
                )


def _load_demo_copy(request: pytest.FixtureRequest, database_url: str, engine: Engine) -> None:
    if database_url.startswith("sqlite:///"):
        engine.dispose()
        path = Path(database_url.removeprefix("sqlite:///"))
        for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copy(request.getfixturevalue("sqlite_demo"), path)
        return
    _copy_postgres_demo(engine, request.getfixturevalue("postgres_demo"))


@pytest.fixture
def client(
    request: pytest.FixtureRequest, database_url: str, factory: sessionmaker[Session], tmp_path: Path
) -> Iterator[TestClient]:
    """A test client of the app over a database holding 60 demo experts."""
    _load_demo_copy(request, database_url, factory.kw["bind"])
    settings = load_settings(
        {
            "EXPERTBRIDGE_DATABASE_URL": database_url,
            "EXPERTBRIDGE_API_TOKEN": TOKEN,
            "EXPERTBRIDGE_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.engine.dispose()

"""An app on each test database with a small demo dataset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.demo.load import load_demo
from expertbridge.settings import load_settings
from expertbridge.web.app import create_app

TOKEN = "test-token-123"


@pytest.fixture
def client(database_url: str, factory: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    """A test client of the app over a database holding 60 demo experts."""
    load_demo(factory, experts=60, seed=11)
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

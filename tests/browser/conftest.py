"""A live server and Debian's Chromium driven by Playwright.

Without Chromium the browser tests are skipped with the reason, except in CI (CI=true or
EXPERTBRIDGE_REQUIRE_BROWSER=1), where they fail: CI must run them (`.ci/run` installs Chromium).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.demo.load import load_demo
from expertbridge.settings import load_settings
from expertbridge.web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _browser_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("EXPERTBRIDGE_REQUIRE_BROWSER") == "1"


def _chromium() -> str:
    for path in CHROMIUM_PATHS:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("chromium")
    if found:
        return found
    message = "Chromium is not installed (Debian: apt-get install chromium, or `make chromium`)"
    if _browser_required():
        pytest.fail(message + "; CI must run the browser tests")
    pytest.skip(message + "; browser tests skipped")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system, driven by Playwright."""
    executable = _chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """The app served by uvicorn in a thread, on a database of its own."""

    def __init__(self, database_url: str, index_dir: Path):
        settings = load_settings(
            {"EXPERTBRIDGE_DATABASE_URL": database_url, "EXPERTBRIDGE_INDEX_DIR": str(index_dir)}
        )
        self.app = create_app(settings)
        self.port = _free_port()
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", ws="none", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.engine.dispose()


@pytest.fixture
def live(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[LiveServer, sessionmaker[Session]]]:
    """A live server over a SQLite copy with 60 demo experts, and a session factory on it."""
    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    factory = session_factory(engine)
    load_demo(factory, experts=60, seed=11)
    with LiveServer(url, tmp_path / "index") as server:
        yield server, factory
    engine.dispose()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder screenshots go to (kept out of git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

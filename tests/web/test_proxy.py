"""Behind a reverse proxy: the client's address (for sign-in throttling) and scheme (for Secure
cookies) come from X-Forwarded-For/-Proto only when the proxy is one of EXPERTBRIDGE_TRUSTED_PROXIES."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import LoginFailure
from expertbridge.registry import accounts
from expertbridge.registry.accounts import FAILURES_PER_ADDRESS
from expertbridge.registry.audit import utcnow
from expertbridge.settings import SettingsError, load_settings
from expertbridge.web.app import create_app
from tests.helpers import csrf_token

PROXY = ("10.0.0.2", 40000)
PASSWORD = "correct horse battery"


@pytest.fixture
def apps(database_url: str, factory: sessionmaker[Session], tmp_path: Path) -> Iterator[dict[str, FastAPI]]:
    """The app behind a trusted proxy network, and the same app trusting no proxy."""
    with factory() as session:
        accounts.create_user(
            session, email="admin@example.org", role="admin", actor="test", password=PASSWORD
        )
        session.commit()
    made = {}
    for name, trusted in (("trusting", "10.0.0.0/8, ::1"), ("default", "")):
        settings = load_settings(
            {
                "EXPERTBRIDGE_DATABASE_URL": database_url,
                "EXPERTBRIDGE_INDEX_DIR": str(tmp_path / f"index-{name}"),
                "EXPERTBRIDGE_TRUSTED_PROXIES": trusted,
            }
        )
        made[name] = create_app(settings)
    yield made
    for app in made.values():
        app.state.engine.dispose()


def _sign_in(
    app: FastAPI, forwarded_for: str, password: str, proto: str = "http", browser_scheme: str = "http"
) -> object:
    # ``browser_scheme``: what the browser talked to the proxy (its cookies follow it);
    # ``proto``: what the proxy says it was.
    client = TestClient(
        app, base_url=f"{browser_scheme}://testserver", raise_server_exceptions=False, client=PROXY
    )
    headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": proto}
    token = csrf_token(client.get("/signin", headers=headers).text)
    return client.post(
        "/signin",
        data={"csrf": token, "email": "admin@example.org", "password": password},
        headers=headers,
        follow_redirects=False,
    )


def _lock(factory: sessionmaker[Session], address: str) -> None:
    with factory() as session:
        session.add_all(LoginFailure(key=f"ip:{address}", at=utcnow()) for _ in range(FAILURES_PER_ADDRESS))
        session.commit()


def test_a_trusted_proxy_passes_on_the_client_address(
    apps: dict[str, FastAPI], factory: sessionmaker[Session]
) -> None:
    app = apps["trusting"]
    wrong = _sign_in(app, "198.51.100.7", "wrong password")
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    with factory() as session:
        keys = set(session.scalars(select(LoginFailure.key)))
    assert "ip:198.51.100.7" in keys and "ip:10.0.0.2" not in keys
    # one client locked out of sign-in locks out nobody else behind the same proxy
    _lock(factory, "203.0.113.1")
    assert _sign_in(app, "203.0.113.1", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    assert _sign_in(app, "203.0.113.2", PASSWORD).status_code == 303  # type: ignore[attr-defined]
    # an address the client wrote itself, left of the proxy's own, is not believed
    assert _sign_in(app, "203.0.113.2, 203.0.113.1", PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_forwarded_headers_are_ignored_unless_the_proxy_is_trusted(
    apps: dict[str, FastAPI], factory: sessionmaker[Session]
) -> None:
    _lock(factory, PROXY[0])
    # everyone behind an untrusted proxy is the proxy: a forged header does not escape the lock
    assert _sign_in(apps["default"], "203.0.113.2", PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_the_scheme_of_a_trusted_proxy_makes_cookies_secure(apps: dict[str, FastAPI]) -> None:
    # The proxy talks plain HTTP to the app and says the browser used HTTPS.
    said = {"X-Forwarded-For": "198.51.100.8", "X-Forwarded-Proto": "https"}
    for name, secure in (("trusting", True), ("default", False)):
        client = TestClient(apps[name], raise_server_exceptions=False, client=PROXY)
        cookie = client.get("/signin", headers=said).headers["set-cookie"]
        assert cookie.startswith("eb_csrf=") and ("Secure" in cookie) is secure, name
    signed_in = _sign_in(apps["trusting"], "198.51.100.8", PASSWORD, proto="https", browser_scheme="https")
    assert signed_in.status_code == 303 and "Secure" in signed_in.headers["set-cookie"]  # type: ignore[attr-defined]


def test_a_setting_that_is_not_an_address_is_refused_with_what_to_write() -> None:
    assert load_settings({"EXPERTBRIDGE_TRUSTED_PROXIES": " 127.0.0.1 , 10.0.0.0/8"}).trusted_proxies == (
        "127.0.0.1/32",
        "10.0.0.0/8",
    )
    with pytest.raises(SettingsError, match=r"'proxy\.local' is not an IP address or network"):
        load_settings({"EXPERTBRIDGE_TRUSTED_PROXIES": "proxy.local"})

"""Accounts for web tests: people of every role, and browsers (test clients) signed in as them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, Organization
from expertbridge.registry import accounts
from expertbridge.registry.audit import utcnow
from expertbridge.registry.consent import give_consent
from tests.helpers import csrf_token

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class People:
    """The ids the accounts of a test point at."""

    expert_id: int  # an approved Moscow expert with an account
    other_expert_id: int  # an approved Beijing expert without one
    organization_id: int


EMAILS = {
    "admin": "admin@example.org",
    "moscow": "moscow@example.org",
    "beijing": "beijing@example.org",
    "partner": "partner@example.org",
    "expert": "expert@example.org",
}


def create_people(factory: sessionmaker[Session]) -> People:
    """An admin, a coordinator per side, a partner and an expert, all with PASSWORD."""
    with factory() as session:
        expert_id = session.scalar(
            select(Expert.id).where(Expert.city == "Moscow", Expert.status == "approved").order_by(Expert.id)
        )
        other = session.scalar(
            select(Expert.id).where(Expert.city == "Beijing", Expert.status == "approved").order_by(Expert.id)
        )
        organization_id = session.scalar(select(Organization.id).order_by(Organization.id))
        assert expert_id and other and organization_id
        for key, role, extra in (
            ("admin", "admin", {}),
            ("moscow", "coordinator", {"city": "Moscow"}),
            ("beijing", "coordinator", {"city": "Beijing"}),
            ("partner", "partner", {"organization_id": organization_id}),
            ("expert", "expert", {"expert_id": expert_id}),
        ):
            accounts.create_user(
                session, email=EMAILS[key], role=role, actor="test", password=PASSWORD, **extra
            )
        give_consent(session, expert_id, utcnow(), actor="test")
        session.commit()
    return People(expert_id, other, organization_id)


def browser(client: TestClient) -> TestClient:
    """Another browser on the same app, with cookies of its own."""
    return TestClient(client.app, raise_server_exceptions=False)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    """Sign ``client`` in through the sign-in form; returns it."""
    token = csrf_token(client.get("/signin").text)
    answer = client.post(
        "/signin", data={"csrf": token, "email": email, "password": password}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return client


def as_role(client: TestClient, key: str) -> TestClient:
    """A new browser signed in as one of EMAILS (or the public for "public")."""
    other = browser(client)
    return other if key == "public" else sign_in(other, EMAILS[key])


def post_form(client: TestClient, page: str, action: str, data: dict[str, str], **kwargs: object) -> object:
    """Open ``page``, then send a form to ``action`` with the page's CSRF token."""
    token = csrf_token(client.get(page).text)
    return client.post(action, data={"csrf": token, **data}, follow_redirects=False, **kwargs)  # type: ignore[arg-type]

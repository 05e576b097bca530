"""An id no record can have (beyond the database's integers) is a page that is not there: 404, never a
500 (SQLite cannot even bind a number beyond 64 bits)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import csrf_token
from tests.web.accounts import as_role, create_people
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
BEYOND_64_BITS = "99999999999999999999"
BEYOND_32_BITS = "2147483648"  # PostgreSQL's INTEGER ends one below
HUGE_NEGATIVE = "-99999999999999999999"

PAGES = (
    "/experts/{id}",
    "/organizations/{id}",
    "/opportunities/{id}",
    "/events/{id}",
    "/opportunities/{id}/edit",
    "/vetting/organizations/{id}",
    "/vetting/{id}",
    "/profiles/{id}/edit",
    "/events/{id}/meetings",
    "/events/{id}/meetings/grid.pdf",
    "/events/{id}/agenda/1",
    "/events/1/agenda/{id}",
    "/events/{id}/agenda/1.pdf",
    "/events/{id}/agenda/1.ics",
    "/events/{id}/entries",
    "/events/{id}/panels",
    "/events/1/panels/{id}",
    "/events/1/panels/{id}.csv",
)
API = (
    ("/api/v1/experts/{id}", "no expert with id {id}"),
    ("/api/v1/experts/{id}/similar", "no expert with id {id}"),
    ("/api/v1/organizations/{id}", "no organization with id {id}"),
    ("/api/v1/opportunities/{id}", "no opportunity with id {id}"),
    ("/api/v1/opportunities/{id}/experts", "no opportunity with id {id}"),
    ("/api/v1/events/{id}", "no event with id {id}"),
    ("/api/v1/events/{id}/meetings/schedule", "no event with id {id}"),
    ("/api/v1/events/{id}/meetings/requests", "no event with id {id}"),
    ("/api/v1/events/1/meetings/agenda/{id}.ics", "no participant with id {id}"),
)


@pytest.fixture
def admin(client: TestClient, factory: sessionmaker[Session]) -> TestClient:
    """A browser signed in as an admin, who may open every page."""
    create_people(factory)
    return as_role(client, "admin")


@pytest.mark.parametrize("number", [BEYOND_64_BITS, BEYOND_32_BITS, HUGE_NEGATIVE])
def test_pages_answer_a_huge_id_with_the_not_found_page(admin: TestClient, number: str) -> None:
    for page in PAGES:
        url = page.format(id=number)
        answer = admin.get(url, params={"lang": "en"})
        assert answer.status_code == 404, (url, answer.status_code)
        assert "There is no such page" in answer.text, url


def test_the_not_found_page_of_a_huge_id_is_translated(client: TestClient) -> None:
    answer = client.get(f"/experts/{BEYOND_64_BITS}", params={"lang": "ru"})
    assert answer.status_code == 404 and "Такой страницы нет" in answer.text


@pytest.mark.parametrize("number", [BEYOND_64_BITS, BEYOND_32_BITS, HUGE_NEGATIVE])
def test_the_api_answers_a_huge_id_as_any_missing_record(client: TestClient, number: str) -> None:
    for path, detail in API:
        url = path.format(id=number)
        answer = client.get(url, headers=AUTH)
        assert answer.status_code == 404, (url, answer.status_code)
        assert answer.json() == {"detail": detail.format(id=number)}, url


def test_api_writes_to_a_huge_id_are_not_found(client: TestClient) -> None:
    for method, url in (
        ("PATCH", f"/api/v1/experts/{BEYOND_64_BITS}"),
        ("DELETE", f"/api/v1/experts/{BEYOND_64_BITS}"),
        ("PATCH", f"/api/v1/organizations/{BEYOND_64_BITS}"),
        ("PATCH", f"/api/v1/opportunities/{BEYOND_64_BITS}"),
        ("PATCH", f"/api/v1/events/{BEYOND_64_BITS}"),
    ):
        answer = client.request(method, url, json={}, headers=AUTH)
        assert answer.status_code == 404, (method, url, answer.status_code)


def test_a_huge_id_in_a_query_or_a_body_is_a_4xx(client: TestClient) -> None:
    suggestions = client.get("/api/v1/events/1/meetings/suggestions", params={"participant": BEYOND_64_BITS})
    assert suggestions.status_code == 422
    request = {"requester": BEYOND_64_BITS, "counterpart": 1}
    assert client.post("/api/v1/events/1/meetings/requests", json=request, headers=AUTH).status_code == 422


def test_what_answered_before_still_does(client: TestClient) -> None:
    assert client.get("/experts/abc").status_code == 404
    assert client.get("/experts/-1").status_code == 404
    assert client.get("/api/v1/experts/abc").status_code == 422
    assert client.get("/api/v1/experts/-1").json() == {"detail": "no expert with id -1"}
    assert client.get("/api/v1/experts/999999").json() == {"detail": "no expert with id 999999"}


def test_page_forms_with_a_huge_id_do_not_fail(admin: TestClient) -> None:
    token = csrf_token(admin.get("/invitations").text)
    for action, data in (
        (f"/admin/users/{BEYOND_64_BITS}/active", {"active": "0"}),
        ("/invitations", {"email": "x@example.org", "role": "expert", "expert_id": BEYOND_64_BITS}),
        ("/invitations", {"email": "y@example.org", "role": "partner", "organization": BEYOND_64_BITS}),
        ("/events/1/entries/link", {"opportunity": BEYOND_64_BITS}),
        ("/events/1/meetings/requests", {"requester": BEYOND_64_BITS, "counterpart": "1"}),
        ("/events/1/meetings/profile", {"participant": BEYOND_64_BITS}),
        ("/events/1/meetings/organizations", {"organization": BEYOND_64_BITS}),
        ("/events/1/meetings/move", {"meeting": BEYOND_64_BITS, "table": BEYOND_64_BITS}),
    ):
        answer = admin.post(action, data={"csrf": token, **data}, follow_redirects=False)
        assert answer.status_code < 500, (action, data, answer.status_code)

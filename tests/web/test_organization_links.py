"""The API checks an organization's identifiers, website and parent as the import does, and the
organization page links a website only when it is a web address."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
LAB = {"id": "api-lab", "name_en": "Api Laboratory", "type": "research_institute", "city": "Beijing"}


def _problems(answer: Any) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    return {problem["field"]: problem["message"] for problem in answer.json()["problems"]}


def test_the_api_refuses_a_script_website_and_wrong_identifiers(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    body = {**LAB, "website": "javascript:alert(1)", "ror_id": "0zzzzzz03", "wikidata_id": "P31"}
    problems = _problems(client.post("/api/v1/organizations", headers=AUTH, json=body))
    assert problems["website"].startswith("not a website address")
    assert problems["ror_id"].startswith("not a ROR id")
    assert problems["wikidata_id"].startswith("not a Wikidata id")
    with factory() as session:
        assert session.scalar(select(Organization.id).where(Organization.external_id == "api-lab")) is None

    created = client.post(
        "/api/v1/organizations", headers=AUTH, json={**LAB, "website": "https://lab.example.cn"}
    )
    assert created.status_code == 201, created.text
    changed = client.patch(
        f"/api/v1/organizations/{created.json()['id']}",
        headers=AUTH,
        json={"website": "data:text/html,<b>x</b>"},
    )
    assert _problems(changed) == {
        "website": "not a website address: write the whole address, starting with https:// or http://"
    }
    assert (
        client.get(f"/api/v1/organizations/{created.json()['id']}").json()["website"]
        == "https://lab.example.cn"
    )


def test_the_api_refuses_a_parent_that_is_one_of_the_organizations_units(client: TestClient) -> None:
    upper = client.post("/api/v1/organizations", headers=AUTH, json=LAB)
    lower = client.post(
        "/api/v1/organizations",
        headers=AUTH,
        json={**LAB, "id": "api-unit", "name_en": "Api Unit", "parent": "api-lab"},
    )
    assert (upper.status_code, lower.status_code) == (201, 201), lower.text
    loop = _problems(
        client.patch(f"/api/v1/organizations/{upper.json()['id']}", headers=AUTH, json={"parent": "api-unit"})
    )
    lower_id, upper_id = lower.json()["id"], upper.json()["id"]
    assert loop["parent"] == (
        f"“Api Unit” (number {lower_id}) is part of “Api Laboratory” (number {upper_id}), so it cannot be "
        "its parent; correct the parent of one of the two"
    )
    itself = _problems(
        client.patch(f"/api/v1/organizations/{upper.json()['id']}", headers=AUTH, json={"parent": "api-lab"})
    )
    assert itself["parent"].startswith("an organization cannot be its own parent")
    by_name = _problems(
        client.patch(f"/api/v1/organizations/{lower.json()['id']}", headers=AUTH, json={"parent": "Api Unit"})
    )
    assert "“Api Unit”" in by_name["parent"] and "cannot be its own parent" in by_name["parent"]


def test_the_page_links_a_website_only_when_it_is_a_web_address(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    with factory() as session:
        organization_id = session.scalar(
            select(Organization.id).where(Organization.status == "approved").order_by(Organization.id)
        )
        # stored before the import and the API refused such addresses
        session.execute(
            update(Organization)
            .where(Organization.id == organization_id)
            .values(website="javascript:alert(1)")
        )
        session.commit()
    page = client.get(f"/organizations/{organization_id}", params={"lang": "en"}).text
    assert "javascript:alert(1)" in page and 'href="javascript' not in page

    with factory() as session:
        session.execute(
            update(Organization)
            .where(Organization.id == organization_id)
            .values(website="HTTPS://www.msu.ru/")
        )
        session.commit()
    page = client.get(f"/organizations/{organization_id}", params={"lang": "en"}).text
    assert '<a href="HTTPS://www.msu.ru/" rel="noopener nofollow">' in page


def test_a_change_keeps_a_parent_that_shares_its_name_with_another_organization(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # The API and exports name a parent without ids by its name; a later change must not move the
    # unit to an older organization of the same name.
    older = client.post(
        "/api/v1/organizations", headers=AUTH, json={**LAB, "id": None, "name_en": "Twin Lab"}
    )
    newer = client.post(
        "/api/v1/organizations", headers=AUTH, json={**LAB, "id": None, "name_en": "Twin Lab"}
    )
    unit = client.post(
        "/api/v1/organizations", headers=AUTH, json={**LAB, "id": "twin-unit", "name_en": "Unit"}
    )
    assert (older.status_code, newer.status_code, unit.status_code) == (201, 201, 201), newer.text
    unit_id, newer_id = unit.json()["id"], newer.json()["id"]
    with factory() as session:
        session.execute(update(Organization).where(Organization.id == unit_id).values(parent_id=newer_id))
        session.commit()
    changed = client.patch(
        f"/api/v1/organizations/{unit_id}", headers=AUTH, json={"website": "https://unit.example.cn"}
    )
    assert changed.status_code == 200, changed.text
    with factory() as session:
        assert session.scalar(select(Organization.parent_id).where(Organization.id == unit_id)) == newer_id

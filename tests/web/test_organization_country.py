"""An organization's country agrees with its city when the registry knows the city: the web form,
the API and an imported row refuse "北京" in Russia, naming the country field in the reader's
language, and take a city the registry does not know with any country."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.registry.organizations import read_organizations
from tests.helpers import write_csv
from tests.web.accounts import as_role, create_people, post_form
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
LAB = {"name_zh": "量子传感实验室", "name_en": "Quantum Sensing Lab", "type": "research_institute"}


def _beijing_organization(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        found = session.scalar(
            select(Organization.id)
            .where(Organization.city == "Beijing", Organization.status == "approved")
            .order_by(Organization.id)
        )
    assert found is not None
    return found


def _place(factory: sessionmaker[Session], organization_id: int) -> tuple[str | None, str | None]:
    with factory() as session:
        organization = session.get(Organization, organization_id)
        assert organization is not None
        return organization.city, organization.country


def _form_values(factory: sessionmaker[Session], organization_id: int) -> dict[str, str]:
    with factory() as session:
        record = read_organizations(session, [organization_id])[organization_id]
    return {
        "name_ru": record.names.get("ru", ""),
        "name_zh": record.names.get("zh", ""),
        "name_en": record.names.get("en", ""),
        "type": record.type,
        "ror_id": record.ror_id or "",
    }


@pytest.mark.parametrize(
    ("language", "problem"),
    [
        ("zh", "国家：北京所在的国家是中国：请更正国家或城市"),
        ("ru", "Страна: страна города 北京 — Китай: исправьте страну или город"),
        ("en", "Country: the country of 北京 is China: correct the country or the city"),
    ],
)
def test_the_form_refuses_a_country_other_than_the_citys(
    client: TestClient, factory: sessionmaker[Session], language: str, problem: str
) -> None:
    create_people(factory)
    organization_id = _beijing_organization(factory)
    before = _place(factory, organization_id)
    edit = f"/organizations/{organization_id}/edit"
    values = {**_form_values(factory, organization_id), "city": "北京", "country": "俄罗斯"}
    answer = post_form(as_role(client, "admin"), edit, f"{edit}?lang={language}", values)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    assert problem in page and 'value="俄罗斯"' in page
    assert _place(factory, organization_id) == before == ("Beijing", "CN")

    agreeing = post_form(as_role(client, "admin"), edit, edit, {**values, "country": "中国"})
    assert agreeing.status_code == 303  # type: ignore[attr-defined]
    assert _place(factory, organization_id) == ("Beijing", "CN")


def test_the_api_refuses_it_naming_the_country(client: TestClient, factory: sessionmaker[Session]) -> None:
    created = client.post(
        "/api/v1/organizations", headers=AUTH, json={**LAB, "city": "Beijing", "country": "RU"}
    )
    assert created.status_code == 422
    assert [(p["field"], p["value"]) for p in created.json()["problems"]] == [("country", "RU")]
    assert "the country of Beijing is China" in created.json()["problems"][0]["message"]

    organization_id = _beijing_organization(factory)
    changed = client.patch(
        f"/api/v1/organizations/{organization_id}", headers=AUTH, json={"country": "Россия"}
    )
    assert changed.status_code == 422
    assert [p["field"] for p in changed.json()["problems"]] == ["country"]
    assert _place(factory, organization_id) == ("Beijing", "CN")

    # A city the registry does not know is taken with the country given; no country: the city's.
    kyoto = client.post("/api/v1/organizations", headers=AUTH, json={**LAB, "city": "Kyoto", "country": "JP"})
    assert kyoto.status_code == 201 and kyoto.json()["country"] == "JP"
    beijing = client.post(
        "/api/v1/organizations", headers=AUTH, json={**LAB, "name_en": "Another Lab", "city": "北京"}
    )
    assert beijing.status_code == 201 and (beijing.json()["city"], beijing.json()["country"]) == (
        "Beijing",
        "CN",
    )


def test_an_imported_row_is_refused_naming_row_and_column(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [
        {**LAB, "id": "lab-1", "city": "Москва", "country": "RU"},
        {**LAB, "id": "lab-2", "name_en": "Second Lab", "city": "北京", "country": "Россия"},
    ]
    path = write_csv(data_dir / "organizations.csv", rows, columns=ORGANIZATION_COLUMNS)
    report = Importer(factory, ImportOptions()).run("organizations", path)
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [(3, "country", "Россия")]
    assert report.issues[0].message.startswith("the country of 北京 is China")
    assert not report.written

"""The vetting page of an organization links to its form, so a coordinator corrects a misspelt name
or a wrong type before approving it; only those who may change the organization see the link."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization, OrganizationName
from tests.web.accounts import as_role, create_people

EDIT = {"ru": "Изменить организацию", "zh": "编辑机构", "en": "Edit the organization"}


def _organization(factory: sessionmaker[Session], city: str, status: str) -> int:
    with factory() as session:
        organization = Organization(type="research_institute", city=city, status=status)
        session.add(organization)
        session.flush()
        name = "Институт квантовых котов"
        session.add(
            OrganizationName(
                organization_id=organization.id,
                text=name,
                normalized=name.lower(),
                language="ru",
                is_primary=True,
            )
        )
        session.commit()
        return organization.id


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_a_coordinator_of_its_side_can_open_the_form_from_the_vetting_page(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    create_people(factory)
    organization_id = _organization(factory, "Moscow", "pending")
    for role in ("moscow", "admin"):
        viewer = as_role(client, role)
        page = viewer.get(f"/vetting/organizations/{organization_id}", params={"lang": language}).text
        assert f'<a href="/organizations/{organization_id}/edit">{EDIT[language]}</a>' in page, role
        assert viewer.get(f"/organizations/{organization_id}/edit").status_code == 200, role


def test_a_coordinator_of_the_other_side_gets_no_link(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    # Approved, so a Beijing coordinator may look at it, but it is Moscow's to change.
    organization_id = _organization(factory, "Moscow", "approved")
    page = as_role(client, "beijing").get(f"/vetting/organizations/{organization_id}")
    assert page.status_code == 200
    assert f"/organizations/{organization_id}/edit" not in page.text

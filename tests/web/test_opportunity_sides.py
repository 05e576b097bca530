"""A coordinator edits the opportunities of their own side only (its city, or its organization's when
it names none); admins edit every one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Opportunity, Organization
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.visibility import (
    OPERATOR,
    Viewer,
    may_edit_opportunity,
    opportunity_side,
)
from tests.helpers import csrf_token
from tests.web.accounts import as_role, create_people, post_form

MOSCOW = Viewer("coordinator", city="Moscow")
BEIJING = Viewer("coordinator", city="Beijing")


def test_the_side_of_an_opportunity_is_its_city_or_its_organizations() -> None:
    assert opportunity_side("Beijing", "Moscow") == "Beijing"
    assert opportunity_side(None, "Moscow") == "Moscow"
    assert opportunity_side(None, None) is None


@pytest.mark.parametrize(
    ("viewer", "organization_id", "side", "allowed"),
    [
        (MOSCOW, 3, "Moscow", True),
        (MOSCOW, 3, "Beijing", False),
        (BEIJING, 3, "Moscow", False),
        (MOSCOW, None, None, False),  # an opportunity of no side is the admins'
        (Viewer("coordinator"), 3, None, False),
        (Viewer("admin"), 3, "Beijing", True),
        (OPERATOR, None, None, True),
        (Viewer("partner", organization_id=3), 3, "Beijing", True),
        (Viewer("partner", organization_id=4), 3, "Moscow", False),
        (Viewer("expert", expert_id=1), 3, "Moscow", False),
    ],
)
def test_who_may_edit_an_opportunity(
    viewer: Viewer, organization_id: int | None, side: str | None, allowed: bool
) -> None:
    assert may_edit_opportunity(viewer, organization_id, side) is allowed


def _opportunity_of(factory: sessionmaker[Session], city: str) -> int:
    """An opportunity of an organization in ``city`` that names no city of its own."""
    with factory() as session:
        found = session.scalar(
            select(Opportunity.id)
            .join(Organization, Organization.id == Opportunity.organization_id)
            .where(Organization.city == city)
            .order_by(Opportunity.id)
        )
        assert found is not None
        session.execute(update(Opportunity).where(Opportunity.id == found).values(city=None))
        session.commit()
    return found


def _title(factory: sessionmaker[Session], opportunity_id: int) -> str:
    with factory() as session:
        return read_opportunities(session, [opportunity_id])[opportunity_id].texts["en"].title


def _edit(client: TestClient, opportunity_id: int, title: str) -> int:
    edit = f"/opportunities/{opportunity_id}/edit"
    token = csrf_token(client.get("/account").text)
    answer = client.post(
        edit, data={"csrf": token, "title_en": title, "status": "open"}, follow_redirects=False
    )
    return answer.status_code


def test_a_coordinator_of_the_other_side_may_not_edit(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow_opportunity = _opportunity_of(factory, "Moscow")
    before = _title(factory, moscow_opportunity)
    beijing = as_role(client, "beijing")
    page = f"/opportunities/{moscow_opportunity}"
    assert beijing.get(f"{page}/edit").status_code == 403
    assert f'href="{page}/edit"' not in beijing.get(page).text
    assert _edit(beijing, moscow_opportunity, "Taken over from Beijing") == 403
    assert _title(factory, moscow_opportunity) == before


def test_the_coordinator_of_its_side_and_admins_edit(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow_opportunity = _opportunity_of(factory, "Moscow")
    page = f"/opportunities/{moscow_opportunity}"
    for role in ("moscow", "admin"):
        editor = as_role(client, role)
        assert editor.get(f"{page}/edit").status_code == 200, role
        assert f'href="{page}/edit"' in editor.get(page).text, role
        assert _edit(editor, moscow_opportunity, f"Edited by {role}") == 303, role
        assert _title(factory, moscow_opportunity) == f"Edited by {role}"


def test_the_city_of_the_opportunity_decides_before_its_organizations(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    opportunity_id = _opportunity_of(factory, "Moscow")
    with factory() as session:
        session.execute(update(Opportunity).where(Opportunity.id == opportunity_id).values(city="Beijing"))
        session.commit()
    assert as_role(client, "moscow").get(f"/opportunities/{opportunity_id}/edit").status_code == 403
    assert as_role(client, "beijing").get(f"/opportunities/{opportunity_id}/edit").status_code == 200


def test_a_coordinator_may_not_post_for_an_organization_of_the_other_side(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    with factory() as session:
        moscow_organization = session.scalar(
            select(Organization.id)
            .where(Organization.city == "Moscow", Organization.status == "approved")
            .order_by(Organization.id)
        )
        count = session.scalar(select(func.count()).select_from(Opportunity))
    data = {"kind": "expert_wanted", "title_en": "Posted across", "organization": str(moscow_organization)}
    beijing = as_role(client, "beijing")
    answer = post_form(beijing, "/account/opportunities/new", "/account/opportunities/new", data)
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert "side" in answer.text  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Opportunity)) == count

"""An organization's page names the organization it is part of, in the page's language and linked
to its page, and only when the reader may see that parent."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from expertbridge.db.models import Organization, OrganizationName
from tests.web.accounts import as_role, create_people

PART_OF = {"en": "Part of", "ru": "Входит в состав", "zh": "上级机构"}


def _unit_of_a_ror_parent(factory: sessionmaker[Session]) -> tuple[int, int]:
    """An approved unit whose approved parent has a ROR id and a Chinese and an English label."""
    parent = aliased(Organization)
    chinese = aliased(OrganizationName)
    english = aliased(OrganizationName)
    with factory() as session:
        found = session.execute(
            select(Organization.id, parent.id)
            .join(parent, parent.id == Organization.parent_id)
            .join(chinese, (chinese.organization_id == parent.id) & (chinese.language == "zh"))
            .join(english, (english.organization_id == parent.id) & (english.language == "en"))
            .where(
                Organization.status == "approved",
                parent.status == "approved",
                parent.ror_id.is_not(None),
                chinese.kind == "label",
                english.kind == "label",
            )
            .order_by(Organization.id)
        ).first()
    assert found is not None, "the demo has no unit of a ROR organization"
    return found[0], found[1]


def _label(factory: sessionmaker[Session], organization_id: int, language: str) -> str:
    with factory() as session:
        text = session.scalar(
            select(OrganizationName.text)
            .where(
                OrganizationName.organization_id == organization_id,
                OrganizationName.language == language,
                OrganizationName.kind == "label",
            )
            .order_by(OrganizationName.position)
        )
    assert text
    return text


def _part_of(page: str, language: str) -> str | None:
    """The inside of the "Part of" entry of an organization page (None: there is none)."""
    found = re.search(rf"<dt>{PART_OF[language]}</dt><dd>(.*?)</dd>", page, re.S)
    return found.group(1) if found else None


def test_the_parent_is_named_in_the_page_language_and_linked(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    unit, parent = _unit_of_a_ror_parent(factory)
    for language in ("zh", "en"):
        page = client.get(f"/organizations/{unit}", params={"lang": language})
        assert page.status_code == 200
        entry = _part_of(page.text, language)
        assert entry is not None, language
        assert entry == f'<a href="/organizations/{parent}">{_label(factory, parent, language)}</a>', entry
        assert "ror.org" not in entry


def test_a_parent_the_reader_may_not_see_is_not_named(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    unit, parent = _unit_of_a_ror_parent(factory)
    with factory() as session:
        session.execute(
            update(Organization).where(Organization.id == parent).values(status="pending", city="Beijing")
        )
        session.commit()
    name = _label(factory, parent, "en")
    for role in ("public", "moscow", "expert"):
        page = as_role(client, role).get(f"/organizations/{unit}", params={"lang": "en"}).text
        assert _part_of(page, "en") is None, role
        assert name not in page and f'href="/organizations/{parent}"' not in page, role
    for role in ("beijing", "admin"):
        page = as_role(client, role).get(f"/organizations/{unit}", params={"lang": "en"}).text
        assert _part_of(page, "en") == f'<a href="/organizations/{parent}">{name}</a>', role

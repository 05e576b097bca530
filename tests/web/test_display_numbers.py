"""Every number a page shows is grouped the page language's way, a count in a sentence ("1 200
организаций", "共1,200家机构") as much as a facet's count or the registry's figures beside it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization, OrganizationName
from expertbridge.web.i18n import Translator

ADDED = 1200
CITY = "Testville"  # no city of the registry's tables: shown as written in every language
GROUPED = {"ru": "1\u00a0200", "zh": "1,200", "en": "1,200"}
TOTAL = {"ru": "{} организаций", "zh": "共{}家机构", "en": "{} organizations"}


def _add_organizations(factory: sessionmaker[Session]) -> int:
    """ADDED approved organizations in CITY; returns how many approved ones (what the public sees)
    the registry holds now."""
    with factory() as session:
        organizations = [Organization(type="enterprise", city=CITY, status="approved") for _ in range(ADDED)]
        session.add_all(organizations)
        session.flush()
        session.add_all(
            OrganizationName(
                organization_id=organization.id,
                text=f"Test Works {number}",
                normalized=f"test works {number}",
                language="en",
                is_primary=True,
            )
            for number, organization in enumerate(organizations)
        )
        session.commit()
        approved = select(func.count()).select_from(Organization).where(Organization.status == "approved")
        return int(session.scalar(approved) or 0)


def _total(page: str) -> str:
    found = re.search(r'<p class="total">([^<]*)</p>', page)
    assert found, "no total"
    return found.group(1)


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_a_count_in_a_sentence_is_grouped_like_the_facet_beside_it(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    _add_organizations(factory)
    page = client.get("/organizations", params={"city": CITY, "lang": language}).text
    assert _total(page) == TOTAL[language].format(GROUPED[language])
    assert f"{CITY} ({GROUPED[language]})" in page


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_the_registry_figures_and_the_list_total_write_the_same_number_the_same_way(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    held = _add_organizations(factory)
    shown = Translator(language).number(held)
    assert shown != str(held)  # grouped: more than a thousand
    intro = client.get("/", params={"lang": language}).text.split('<section class="intro">', 1)[1]
    assert shown in intro.split("</section>", 1)[0]
    assert shown in _total(client.get("/organizations", params={"lang": language}).text)


def test_the_plural_still_follows_the_count() -> None:
    russian = Translator("ru")
    assert russian.ngettext("%(num)s expert", "%(num)s experts", 2403) == "2\u00a0403 эксперта"
    assert russian.ngettext("%(num)s expert", "%(num)s experts", 2405) == "2\u00a0405 экспертов"
    assert Translator("zh").ngettext("%(num)s expert", "%(num)s experts", 2412) == "共2,412位专家"
    assert Translator("en").ngettext("%(num)s expert", "%(num)s experts", 1) == "1 expert"

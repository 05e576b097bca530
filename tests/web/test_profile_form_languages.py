"""The profile form shows stored values in the page's language (the city, the country, the
organization's name) and stores them canonically: a Russian or Chinese form saved as it is
changes nothing, and sends nothing back to vetting."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, ExpertAffiliation, Organization
from tests.web.accounts import as_role, create_people
from tests.web.profile_form_pages import form_fields, send_profile

OWN = "/account/profile"
LOMONOSOV_ROR = "https://ror.org/010pmpe69"
SHOWN = {
    "ru": ("Москва", "Россия", "Московский государственный университет имени М.В. Ломоносова"),
    "zh": ("莫斯科", "俄罗斯", "Lomonosov Moscow State University"),  # no Chinese name: its primary one
    "en": ("Moscow", "Russia", "Lomonosov Moscow State University"),
}


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_the_form_speaks_the_pages_language_and_stores_canonical_values(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    people = create_people(factory)
    with factory() as session:
        lomonosov = session.scalar(select(Organization.id).where(Organization.ror_id == LOMONOSOV_ROR))
    expert, moscow = as_role(client, "expert"), as_role(client, "moscow")
    typed = {
        "city": "Москва",
        "country": "Россия",
        "organization": "Московский государственный университет имени М.В. Ломоносова",
    }
    # typed in Russian by the coordinator (who vets what they change: the profile stays approved)
    saved = send_profile(moscow, f"/profiles/{people.expert_id}/edit", typed, language=language)
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    with factory() as session:
        stored = session.get(Expert, people.expert_id)
        assert stored is not None and (stored.city, stored.country) == ("Moscow", "RU")
        affiliation = select(ExpertAffiliation.organization_id).where(
            ExpertAffiliation.expert_id == people.expert_id
        )
        assert session.scalar(affiliation) == lomonosov
        assert stored.status == "approved"

    shown = form_fields(expert.get(OWN, params={"lang": language}).text)
    city, country, organization = SHOWN[language]
    assert (shown["city"], shown["country"], shown["organization"]) == (city, country, organization)
    # the expert saves it again as shown: the same city, country and organization, no new vetting
    again = send_profile(expert, OWN, {}, language=language)
    assert again.status_code == 303 and "vetting" not in again.headers["location"]  # type: ignore[attr-defined]
    with factory() as session:
        stored = session.get(Expert, people.expert_id)
        assert stored is not None and (stored.city, stored.country, stored.status) == (
            "Moscow",
            "RU",
            "approved",
        )
        assert session.scalar(affiliation) == lomonosov

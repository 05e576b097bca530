"""A profile waiting for vetting opens for those who may see it, on every channel: the coordinators
of its side (who created it or vet it), its own expert, admins; not for the other side or the
public."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from tests.web.accounts import as_role, create_people, post_form

PROFILE = {"name_ru": "Белкина Дарья Игоревна", "expertise_ru": "тоннельная вентиляция", "city": ""}


def test_a_coordinator_opens_the_page_of_the_profile_they_created(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    created = post_form(moscow, "/profiles/new", "/profiles/new", PROFILE)
    assert created.status_code == 303  # type: ignore[attr-defined]
    found = re.search(r"/profiles/(\d+)/edit", created.headers["location"])  # type: ignore[attr-defined]
    assert found is not None
    expert_id = int(found.group(1))

    page = moscow.get(f"/experts/{expert_id}")
    assert page.status_code == 200 and "Белкина Дарья Игоревна" in page.text
    assert moscow.get(f"/vetting/{expert_id}").status_code == 200
    for channel in (f"/api/v1/experts/{expert_id}", f"/api/v1/experts/{expert_id}/similar"):
        assert moscow.get(channel).status_code == 200, channel
        assert as_role(client, "admin").get(channel).status_code == 200, channel
    for role in ("beijing", "public", "partner", "expert"):
        other = as_role(client, role)
        assert other.get(f"/experts/{expert_id}").status_code == 404, role
        assert other.get(f"/api/v1/experts/{expert_id}/similar").status_code == 404, role


def test_an_expert_finds_profiles_like_their_own_pending_one(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    with factory() as session:
        session.execute(update(Expert).where(Expert.id == people.expert_id).values(status="pending"))
        session.commit()
    expert = as_role(client, "expert")
    assert expert.get(f"/experts/{people.expert_id}").status_code == 200
    similar = expert.get(f"/api/v1/experts/{people.expert_id}/similar")
    assert similar.status_code == 200 and "items" in similar.json()
    assert as_role(client, "public").get(f"/api/v1/experts/{people.expert_id}/similar").status_code == 404

"""An expert's own change of who they are (names, organization, city, country) sends an approved
profile back to the coordinators of its side; what they know and how to reach them does not.  An
expert never moves their profile to another side: a coordinator of the side, or an admin, does."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Expert
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import Viewer
from tests.web.accounts import as_role, browser, create_people, post_form
from tests.web.profile_form_pages import send_profile

OWN = "/account/profile"


def _stored(factory: sessionmaker[Session], expert_id: int) -> tuple[str, str | None]:
    with factory() as session:
        expert = session.get(Expert, expert_id)
        assert expert is not None
        return expert.status, expert.city


def _audit(factory: sessionmaker[Session], expert_id: int) -> list[tuple[str, dict[str, object]]]:
    with factory() as session:
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "expert", AuditEntry.entity_id == expert_id)
            .order_by(AuditEntry.id)
        )
        return [(entry.action, json.loads(entry.changes or "null")) for entry in entries]


def test_an_expert_who_renames_themself_sends_the_approved_profile_back_to_vetting(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    expert = as_role(client, "expert")
    before = expert.get(OWN, params={"lang": "en"}).text
    # told before saving which changes go back to vetting
    assert "If you change your name, organization, city or country, it goes back" in before

    saved = send_profile(expert, OWN, {"name_ru": "Новикова Ольга Сергеевна"})
    assert saved.status_code == 303 and "vetting=1" in saved.headers["location"]  # type: ignore[attr-defined]
    after = expert.get(saved.headers["location"]).text  # type: ignore[attr-defined]
    assert "your profile has gone back to the coordinators of your city for vetting" in after
    assert _stored(factory, people.expert_id) == ("pending", "Moscow")
    # hidden until a coordinator of its side approves it again
    assert browser(client).get(f"/experts/{people.expert_id}").status_code == 404
    assert f'href="/vetting/{people.expert_id}"' in as_role(client, "moscow").get("/vetting").text
    statuses = [details for action, details in _audit(factory, people.expert_id) if action == "status"]
    assert statuses[-1] == {"status": ["approved", "pending"]}
    assert ("update", {"vetting_again": {"changed": ["names"]}}) in _audit(factory, people.expert_id)

    approved = post_form(
        as_role(client, "moscow"),
        f"/vetting/{people.expert_id}",
        f"/vetting/{people.expert_id}",
        {"decision": "approve"},
    )
    assert approved.status_code == 303  # type: ignore[attr-defined]
    assert "Новикова Ольга Сергеевна" in browser(client).get(f"/experts/{people.expert_id}").text


def test_keywords_biographies_contacts_and_visibility_need_no_vetting(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    expert = as_role(client, "expert")
    saved = send_profile(
        expert,
        OWN,
        {
            "expertise_en": "tunnel ventilation\nmetro signalling",
            "bio_en": "Works on tunnel ventilation.",
            "visibility_bios": "partners",
            "contact_kind_3": "email",
            "contact_value_3": "new.address@example.org",
            "contact_level_3": "coordinators",
        },
    )
    assert saved.status_code == 303 and "vetting" not in saved.headers["location"]  # type: ignore[attr-defined]
    assert _stored(factory, people.expert_id) == ("approved", "Moscow")
    assert browser(client).get(f"/experts/{people.expert_id}").status_code == 200
    # the city written in Russian is the same city: no change of side, nor of who the expert is
    same_city = send_profile(expert, OWN, {"city": "Москва"})
    assert same_city.status_code == 303, same_city.text  # type: ignore[attr-defined]
    assert _stored(factory, people.expert_id) == ("approved", "Moscow")


def test_coordinators_of_the_side_vet_what_they_change_themselves(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    moscow = as_role(client, "moscow")
    page = f"/profiles/{people.expert_id}/edit"
    assert "it goes back to the coordinators" not in moscow.get(page).text
    saved = send_profile(moscow, page, {"name_ru": "Новикова Ольга Сергеевна", "country": "RU"})
    assert saved.status_code == 303 and "vetting" not in saved.headers["location"]  # type: ignore[attr-defined]
    assert _stored(factory, people.expert_id) == ("approved", "Moscow")


@pytest.mark.parametrize("city", ["Санкт-Петербург", "Атлантида", "Пекин", ""])
def test_an_expert_cannot_move_their_profile_to_another_side(
    client: TestClient, factory: sessionmaker[Session], city: str
) -> None:
    people = create_people(factory)
    expert = as_role(client, "expert")
    page = expert.get(OWN, params={"lang": "ru"}).text
    assert "Перенести профиль в другой город может только координатор вашего города" in page
    refused = send_profile(expert, OWN, {"city": city}, language="ru")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "Попросите координатора города Москва изменить ваш город." in refused.text  # type: ignore[attr-defined]
    assert _stored(factory, people.expert_id) == ("approved", "Moscow")


def test_a_coordinator_of_the_side_moves_the_expert_to_another(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    moscow = as_role(client, "moscow")
    page = f"/profiles/{people.expert_id}/edit"
    moved = send_profile(moscow, page, {"city": "Пекин", "country": "CN"})
    assert moved.status_code == 303, moved.text  # type: ignore[attr-defined]
    assert _stored(factory, people.expert_id) == ("approved", "Beijing")
    # now of Beijing's side: its coordinators edit it, Moscow's no longer
    assert moscow.get(page).status_code == 403
    assert as_role(client, "beijing").get(page).status_code == 200


def test_an_invited_expert_stays_on_the_side_that_invited_them(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    invited = post_form(
        moscow, "/invitations", "/invitations", {"email": "o.n@example.org", "role": "expert"}
    )
    link = re.search(r'value="http://testserver(/register/[^"]+)"', invited.text).group(1)  # type: ignore[attr-defined,union-attr]
    expert = browser(client)
    password = "a long password 1"
    registered = post_form(
        expert, link, link, {"password": password, "password2": password, "consent": "2024-1"}
    )
    assert registered.status_code == 303  # type: ignore[attr-defined]
    for city in ("Санкт-Петербург", "Атлантида"):
        refused = send_profile(expert, OWN, {"name_ru": "Орлова Нина", "city": city})
        assert refused.status_code == 403, city  # type: ignore[attr-defined]
        assert "Ask a coordinator of Moscow to change your city." in refused.text  # type: ignore[attr-defined]
    kept = send_profile(expert, OWN, {"name_ru": "Орлова Нина", "city": "Москва"})
    assert kept.status_code == 303, kept.text  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(Expert.city).order_by(Expert.id.desc()).limit(1)) == "Moscow"


def test_a_profile_without_a_city_takes_one() -> None:
    from expertbridge.registry.profile_edits import check_side_kept

    expert = Viewer("expert", expert_id=7)
    check_side_kept(expert, None, "Kazan")  # no side yet: the expert gives it
    check_side_kept(expert, "Kazan", "Kazan")
    with pytest.raises(Refused) as refused:
        check_side_kept(expert, "Kazan", "Atlantis")
    assert refused.value.status == 403 and refused.value.values == {"city": "Kazan"}
    check_side_kept(Viewer("admin"), "Kazan", "Atlantis")
    check_side_kept(Viewer("coordinator", city="Kazan"), "Kazan", "Moscow")
    with pytest.raises(Refused):
        check_side_kept(Viewer("coordinator", city="Moscow"), "Kazan", "Moscow")

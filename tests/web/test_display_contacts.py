"""A profile says its contact details are private only when there are details the reader may not
see; an expert who gave none is said to have given none, not to hide them."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry.experts import ExpertWriter
from expertbridge.registry.records import ExpertRecord, NameRecord
from tests.web.accounts import as_role, create_people

PRIVATE = {
    "ru": "Контактные данные не публикуются",
    "zh": "联系方式不公开",
    "en": "Contact details are private",
}
NONE_GIVEN = {
    "ru": "Контактные данные не указаны.",
    "zh": "未提供联系方式。",
    "en": "No contact details given.",
}
NAME = (NameRecord("Смирнова Ольга Игоревна", "Cyrl", "ru", is_primary=True),)


def _write(factory: sessionmaker[Session], record: ExpertRecord) -> int:
    with factory() as session, session.begin():
        return ExpertWriter(session, actor="test").write([record]).ids[0]


def _contact(page: str) -> str:
    found = re.search(r"<div><dt>(?:Contact|Контакты|联系方式)</dt><dd>(.*?)</dd></div>", page, re.S)
    assert found, "no contact row"
    return found.group(1)


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_a_profile_without_contact_details_does_not_say_they_are_private(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    expert_id = _write(factory, ExpertRecord(names=NAME, city="Moscow"))
    contact = _contact(client.get(f"/experts/{expert_id}", params={"lang": language}).text)
    assert contact == NONE_GIVEN[language]


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_details_withheld_from_the_reader_are_said_to_be_private_and_shown_to_who_may_see_them(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    create_people(factory)
    expert_id = _write(
        factory, ExpertRecord(names=NAME, city="Moscow", contacts=(("email", "o.smirnova@example.org"),))
    )
    public = _contact(client.get(f"/experts/{expert_id}", params={"lang": language}).text)
    assert PRIVATE[language] in public and "@" not in public
    # The coordinators of the expert's city see the private address: nothing is said to be hidden.
    moscow = _contact(as_role(client, "moscow").get(f"/experts/{expert_id}", params={"lang": language}).text)
    assert "o.smirnova@example.org" in moscow and PRIVATE[language] not in moscow

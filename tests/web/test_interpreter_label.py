"""An opportunity's matches say an interpreter is needed only from languages the viewer may see: an
expert whose languages are hidden from the viewer is said to have languages not shown, on the page
(in its language) and in the API (``needs_interpreter`` null), never to need an interpreter."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry.privacy import set_visibility
from tests.web.accounts import as_role, create_people

NEEDED = "No shared working language: an interpreter is needed"
NOT_SHOWN = "The expert&#39;s languages are not shown to you"


def _cards(page: str) -> dict[int, str]:
    """Each expert card of a page, by expert id."""
    return {
        int(found.group(1)): found.group(0)
        for found in re.finditer(r'<li class="card">\s*<h3><a href="/experts/(\d+)">.*?</li>', page, re.S)
    }


def _opportunity_and_matches(client: TestClient) -> tuple[int, list[int]]:
    """An opportunity with matches anywhere, and the ids of those matches."""
    for item in client.get("/api/v1/opportunities", params={"per_page": 50}).json()["items"]:
        matches = client.get(f"/api/v1/opportunities/{item['id']}/experts", params={"side": "any"}).json()
        if matches["items"]:
            return item["id"], [match["id"] for match in matches["items"]]
    raise AssertionError("no opportunity of the demo has matching experts")


def test_hidden_languages_are_said_to_be_hidden_not_to_need_an_interpreter(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    opportunity_id, expert_ids = _opportunity_and_matches(client)
    with factory() as session:
        for expert_id in expert_ids:
            set_visibility(session, expert_id, {"languages": "partners"}, actor="test")
        session.commit()
    path = f"/opportunities/{opportunity_id}"

    public = _cards(client.get(path, params={"side": "any", "lang": "en"}).text)
    hidden = [public[expert_id] for expert_id in expert_ids if expert_id in public]
    assert hidden, "the matches are no longer shown"
    for card in hidden:
        assert NEEDED not in card and NOT_SHOWN in card
    russian = _cards(client.get(path, params={"side": "any", "lang": "ru"}).text)
    assert any("Языки эксперта вам не показаны" in card for card in russian.values())
    assert not any("Нет общего рабочего языка" in card for card in russian.values())

    api = client.get(f"/api/v1/opportunities/{opportunity_id}/experts", params={"side": "any"}).json()
    for item in api["items"]:
        if item["id"] in expert_ids:
            assert item["languages"] == [] and item["needs_interpreter"] is None

    # A partner sees the languages: their cards judge from them and never say they are hidden.
    partner = as_role(client, "partner")
    seen = _cards(partner.get(path, params={"side": "any", "lang": "en"}).text)
    assert seen and not any(NOT_SHOWN in card for card in seen.values())
    answer = partner.get(f"/api/v1/opportunities/{opportunity_id}/experts", params={"side": "any"}).json()
    assert all(isinstance(item["needs_interpreter"], bool) for item in answer["items"])

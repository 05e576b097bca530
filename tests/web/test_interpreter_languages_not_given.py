"""An expert who lists no language at all is not said to need an interpreter on an opportunity's
matches: the card says the languages are not given (in the page's language) and the API answers
``needs_interpreter: null``, as it does for languages hidden from the viewer."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.visibility import (
    LANGUAGES_HIDDEN,
    LANGUAGES_NOT_GIVEN,
    OPERATOR,
    PUBLIC,
    languages_unknown,
)
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEEDED = {
    "en": "No shared working language: an interpreter is needed",
    "ru": "Нет общего рабочего языка: нужен переводчик",
    "zh": "无共同工作语言：需要翻译",
}
NOT_GIVEN = {
    "en": "Languages not given: whether an interpreter is needed is not known",
    "ru": "Языки эксперта не указаны, поэтому неизвестно, нужен ли переводчик",
    "zh": "该专家未填写语言，因此无法判断是否需要翻译",
}


def _card(page: str, expert_id: int) -> str:
    found = re.search(rf'<li class="card">\s*<h3><a href="/experts/{expert_id}">.*?</li>', page, re.S)
    assert found is not None, f"expert {expert_id} is no longer among the matches"
    return found.group(0)


def _silent_match(client: TestClient) -> tuple[int, int]:
    """An opportunity and one of its matches, whose languages are then taken away."""
    for item in client.get("/api/v1/opportunities", params={"per_page": 50}).json()["items"]:
        path = f"/api/v1/opportunities/{item['id']}/experts"
        matches = client.get(path, params={"side": "any"}).json()["items"]
        if matches:
            expert_id = matches[0]["id"]
            changed = client.patch(f"/api/v1/experts/{expert_id}", headers=AUTH, json={"languages": []})
            assert changed.status_code == 200 and changed.json()["languages"] == []
            return item["id"], expert_id
    raise AssertionError("no opportunity of the demo has matching experts")


def test_an_expert_without_languages_is_not_said_to_need_an_interpreter(client: TestClient) -> None:
    opportunity_id, expert_id = _silent_match(client)
    for language in ("en", "ru", "zh"):
        page = client.get(f"/opportunities/{opportunity_id}", params={"side": "any", "lang": language}).text
        card = _card(page, expert_id)
        assert NOT_GIVEN[language] in card and NEEDED[language] not in card

    answer = client.get(f"/api/v1/opportunities/{opportunity_id}/experts", params={"side": "any"}).json()
    silent = [item for item in answer["items"] if item["id"] == expert_id]
    assert silent and silent[0]["languages"] == [] and silent[0]["needs_interpreter"] is None
    # The others are still judged from their languages.
    assert all(isinstance(item["needs_interpreter"], bool) for item in answer["items"] if item["languages"])


def test_hidden_languages_stay_hidden_even_when_none_are_given() -> None:
    hidden_and_empty = ExpertRecord(names=(), city="Moscow", visibility=(("languages", "partners"),))
    # The public may not learn that the list is empty: for them it is hidden.
    assert languages_unknown(PUBLIC, hidden_and_empty) == LANGUAGES_HIDDEN
    assert languages_unknown(OPERATOR, hidden_and_empty) == LANGUAGES_NOT_GIVEN
    spoken = ExpertRecord(names=(), city="Moscow", languages=(("ru", "native"),))
    assert languages_unknown(PUBLIC, spoken) is None

"""The API's 422s say what is wrong in words a caller can act on: the allowed values of `side`
(not a regular expression), a body that is not JSON at its line and column (not a "field" named
by a character offset), a value sent back no longer than 200 characters; an unassigned country
code is refused as imports and forms refuse it; an opportunity's matches come a page at a time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from expertbridge.web.api.problems import MAX_ECHO
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**AUTH, "Content-Type": "application/json"}


def _opportunity_with_matches(client: TestClient, at_least: int) -> int:
    for item in client.get("/api/v1/opportunities", params={"per_page": 50}).json()["items"]:
        found = client.get(f"/api/v1/opportunities/{item['id']}/experts", params={"side": "any"}).json()
        if found["total"] >= at_least:
            return int(item["id"])
    raise AssertionError(f"no opportunity of the demo has {at_least} matches")


# --- side -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("side", "hint"), [("mars", ""), ("Any", " Did you mean `any`?")])
def test_an_unknown_side_is_refused_with_the_values_allowed(client: TestClient, side: str, hint: str) -> None:
    answer = client.get("/api/v1/opportunities/1/experts", params={"side": side})
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["field"] == "side"
    message = problem["message"]
    assert message.startswith(f"`{side}` is not a side to take experts from.{hint} Use `counterpart`")
    assert "`any`" in message and "pattern" not in message and "^(" not in message


def test_both_sides_are_still_taken(client: TestClient) -> None:
    opportunity_id = _opportunity_with_matches(client, 1)
    path = f"/api/v1/opportunities/{opportunity_id}/experts"
    default = client.get(path).json()
    assert client.get(path, params={"side": "counterpart"}).json() == default
    assert client.get(path, params={"side": "any"}).json()["total"] >= default["total"]


# --- values sent back -------------------------------------------------------------------------------


def test_a_record_problem_repeats_only_the_start_of_a_huge_value(client: TestClient) -> None:
    huge = "y" * 3_000_000
    answer = client.post("/api/v1/experts", headers=AUTH, json={"name_en": "Ivan Petrov", "status": huge})
    assert answer.status_code == 422
    assert len(answer.content) < 2_000
    [problem] = answer.json()["problems"]
    assert problem["field"] == "status"
    assert problem["value"] == "y" * MAX_ECHO + "…"
    assert huge not in problem["message"]


def test_a_parameter_problem_repeats_only_the_start_of_a_long_value(client: TestClient) -> None:
    long = "z" * 400
    answer = client.get("/api/v1/experts", params={"sector": long})
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["field"] == "sector"
    assert problem["message"].startswith("`" + "z" * MAX_ECHO + "…` is not a sector code")
    assert long not in problem["message"]


def test_a_short_value_is_repeated_whole(client: TestClient) -> None:
    answer = client.get("/api/v1/experts", params={"language": "Russian"})
    assert answer.json()["problems"][0]["message"].startswith("`Russian` is not")


# --- bodies that are not JSON ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b'{"name_en": "Ivan Petrov",\n "city": }', "Expecting value at line 2, column 10"),
        (b'{"name_en": "Ivan Petrov"', "Expecting ',' delimiter at line 1, column 26"),
        (b"name_en=Ivan", "Expecting value at line 1, column 1"),
    ],
)
def test_a_body_that_is_not_json_is_said_to_be_so_at_its_line_and_column(
    client: TestClient, body: bytes, where: str
) -> None:
    answer = client.post("/api/v1/experts", headers=JSON, content=body)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {"field": "", "message": f"the body is not valid JSON: {where}; send one JSON object"}
    ]


# --- countries ----------------------------------------------------------------------------------------


def test_the_api_refuses_an_unassigned_country_code_as_imports_do(client: TestClient) -> None:
    expert = {"name_en": "Ivan Petrov", "city": "Helsinki", "sectors": ["science.ai"]}
    refused = client.post("/api/v1/experts", headers=AUTH, json={**expert, "country": "ZZ"})
    assert refused.status_code == 422
    assert [(p["field"], p["value"]) for p in refused.json()["problems"]] == [("country", "ZZ")]
    assert "unknown country" in refused.json()["problems"][0]["message"]
    taken = client.post("/api/v1/experts", headers=AUTH, json={**expert, "country": "fi"})
    assert taken.status_code == 201 and taken.json()["country"] == "FI"
    assert client.get("/api/v1/experts", params={"country": "ZZ"}).status_code == 422


# --- paging of an opportunity's matches ---------------------------------------------------------------------


def test_an_opportunitys_matches_come_a_page_at_a_time(client: TestClient) -> None:
    opportunity_id = _opportunity_with_matches(client, 12)
    path = f"/api/v1/opportunities/{opportunity_id}/experts"
    first = client.get(path, params={"side": "any"}).json()
    assert (first["page"], first["per_page"], len(first["items"])) == (1, 10, 10)
    everyone = client.get(path, params={"side": "any", "per_page": 200}).json()
    ranked = [item["id"] for item in everyone["items"]]
    assert len(ranked) == everyone["total"] == first["total"]
    assert [item["id"] for item in first["items"]] == ranked[:10]

    paged: list[int] = []
    for page in range(1, (len(ranked) + 4) // 5 + 1):
        answer = client.get(path, params={"side": "any", "page": page, "per_page": 5}).json()
        assert (answer["page"], answer["per_page"], answer["total"]) == (page, 5, first["total"])
        paged += [item["id"] for item in answer["items"]]
    assert paged == ranked

    past = client.get(path, params={"side": "any", "page": 1_000, "per_page": 200}).json()
    assert (past["items"], past["total"]) == ([], first["total"])
    # `limit`, the parameter before paging, still sets the page size.
    assert len(client.get(path, params={"side": "any", "limit": 3}).json()["items"]) == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"page": 0}, "page", "Input should be greater than or equal to 1"),
        ({"per_page": 201}, "per_page", "Input should be less than or equal to 200"),
        ({"page": "two"}, "page", "Input should be a valid integer"),
    ],
)
def test_paging_is_checked_as_the_expert_list_checks_it(
    client: TestClient, params: dict[str, object], field: str, message: str
) -> None:
    opportunity_id = _opportunity_with_matches(client, 1)
    for path in (f"/api/v1/opportunities/{opportunity_id}/experts", "/api/v1/experts"):
        answer = client.get(path, params=params)
        assert answer.status_code == 422, path
        [problem] = answer.json()["problems"]
        assert problem["field"] == field and problem["message"].startswith(message), path

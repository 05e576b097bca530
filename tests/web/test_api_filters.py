"""The API's closed-vocabulary filters refuse a value the vocabulary lacks (422, naming the parameter,
the value and what is allowed) instead of answering an empty list; the city stays open.  Country
names and organization-type synonyms are taken (tests/web/test_api_city_filters.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# path, parameter, an unknown value, the code it hints at (None: no hint), a code that is allowed
CLOSED_FILTERS = [
    ("/api/v1/experts", "sector", "Transport", "transport", "transport.metro"),
    ("/api/v1/experts", "sector", "交通运输", "transport", "transport"),
    ("/api/v1/experts", "sector", "transport.subway", "transport.metro", "science.ai"),
    ("/api/v1/experts", "sector", "transport.maglev", None, "transport.rail"),
    ("/api/v1/experts", "organization_type", "uni", None, "University"),
    ("/api/v1/experts", "language", "Russian", "ru", "zh"),
    ("/api/v1/experts", "country", "ZZ", None, "CN"),
    ("/api/v1/experts", "country", "Russ", None, "Russia"),
    ("/api/v1/organizations", "type", "institute", None, "Research institute"),
    ("/api/v1/organizations", "country", "XX", None, "Китай"),
    ("/api/v1/opportunities", "kind", "Technology offer", "technology_offer", "technology_offer"),
    ("/api/v1/opportunities", "status", "OPEN", "open", "closed"),
    ("/api/v1/opportunities", "sector", "Научно-технические инновации", "science", "science"),
    ("/api/v1/events", "kind", "Форум", "forum", "forum"),
    ("/api/v1/events", "kind", "summit", None, "roundtable"),
]


@pytest.mark.parametrize(("path", "parameter", "value", "hint", "allowed"), CLOSED_FILTERS)
def test_a_closed_filter_refuses_an_unknown_value_with_what_is_allowed(
    client: TestClient, path: str, parameter: str, value: str, hint: str | None, allowed: str
) -> None:
    answer = client.get(path, params={parameter: value})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["detail"] == "invalid request"
    [problem] = body["problems"]
    assert problem["field"] == parameter
    message = problem["message"]
    assert f"`{value}`" in message
    if hint is None:
        assert "Did you mean" not in message
    else:
        assert f"Did you mean `{hint}`?" in message
    good = client.get(path, params={parameter: allowed})
    assert good.status_code == 200, good.text


def test_the_allowed_values_are_listed(client: TestClient) -> None:
    def message(path: str, **params: str) -> str:
        answer = client.get(path, params=params)
        assert answer.status_code == 422
        return str(answer.json()["problems"][0]["message"])

    assert "`enterprise`, `university`, `research_institute`" in message(
        "/api/v1/experts", organization_type="uni"
    )
    assert "`ru`, `zh`, `en`" in message("/api/v1/experts", language="xx")
    assert "`roundtable`, `forum`" in message("/api/v1/events", kind="summit")
    assert "`draft`, `open`, `closed`, `archived`" in message("/api/v1/opportunities", status="active")
    areas = message("/api/v1/experts", sector="astrology")
    assert "`transport`" in areas and "`science`" in areas and "transport.metro" in areas
    subsectors = message("/api/v1/experts", sector="transport.subway")
    assert "`transport.metro`" in subsectors and "`science.ai`" not in subsectors
    assert "`RU`" in message("/api/v1/organizations", country="ZZ")
    # every problem of the request at once
    answer = client.get("/api/v1/experts", params={"sector": "Transport", "language": "Russian"})
    assert {problem["field"] for problem in answer.json()["problems"]} == {"sector", "language"}


def test_filters_that_match_records_still_list_them(client: TestClient) -> None:
    everyone = client.get("/api/v1/experts", params={"per_page": 200}).json()
    russian = client.get("/api/v1/experts", params={"language": "ru", "per_page": 200}).json()
    assert 0 < russian["total"] <= everyone["total"]
    assert all("ru" in {spoken["language"] for spoken in item["languages"]} for item in russian["items"])
    from_russia = client.get("/api/v1/experts", params={"country": "RU", "per_page": 200}).json()
    assert from_russia["total"] > 0 and {item["country"] for item in from_russia["items"]} == {"RU"}
    # an empty value is no filter
    empty = {"sector": "", "organization_type": "", "language": "", "country": "", "per_page": "200"}
    assert client.get("/api/v1/experts", params=empty).json()["total"] == everyone["total"]
    assert client.get("/api/v1/events", params={"kind": ""}).status_code == 200
    open_ones = client.get("/api/v1/opportunities", params={"status": "open", "kind": ""}).json()
    assert {item["status"] for item in open_ones["items"]} <= {"open"}


def test_the_city_stays_open(client: TestClient) -> None:
    answer = client.get("/api/v1/experts", params={"city": "Novgorod"})
    assert answer.status_code == 200 and answer.json()["total"] == 0
    assert client.get("/api/v1/organizations", params={"city": "Novgorod"}).status_code == 200
    assert client.get("/api/v1/opportunities", params={"city": "Novgorod"}).status_code == 200


def test_the_openapi_document_says_unknown_values_are_refused(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").text
    assert "no error" not in document
    parameters = {
        (path, parameter["name"]): parameter.get("description", "")
        for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
    }
    for key in [
        ("/api/v1/experts", "sector"),
        ("/api/v1/experts", "organization_type"),
        ("/api/v1/experts", "language"),
        ("/api/v1/experts", "country"),
        ("/api/v1/organizations", "type"),
        ("/api/v1/opportunities", "kind"),
        ("/api/v1/opportunities", "status"),
        ("/api/v1/events", "kind"),
    ]:
        assert "refused (422)" in parameters[key], key
    assert "refused" not in parameters[("/api/v1/experts", "city")]


def test_the_pages_show_nothing_for_an_unknown_value_instead_of_failing(client: TestClient) -> None:
    for path, params in [
        ("/experts", {"sector": "Transport", "organization_type": "University", "language": "Russian"}),
        ("/organizations", {"type": "University"}),
        ("/opportunities", {"kind": "Technology offer", "sector": "Транспорт", "status": "OPEN"}),
        ("/events", {"kind": "summit"}),
    ]:
        assert client.get(path, params={**params, "lang": "en"}).status_code == 200, path

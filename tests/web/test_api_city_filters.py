"""The API's place and organization-type filters take what imports and forms take: a city by its
name in any of the three languages and any case, a country by its code or name (a code ISO does not
assign is refused), an organization type by the import's synonyms; the experts page reads its city
the same way, and the opportunities page explains a filter value the registry does not use."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient


def _listing(client: TestClient, path: str, **params: str) -> dict[str, Any]:
    answer = client.get(path, params={"per_page": "200", **params})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize(
    ("canonical", "spellings"),
    [
        ("Moscow", ["Москва", "москва", "莫斯科", "moscow", "MOSCOW", " Moscow "]),
        ("Beijing", ["北京", "Пекин", "beijing", "北京市"]),
    ],
)
def test_a_city_named_in_any_language_or_case_lists_its_records(
    client: TestClient, canonical: str, spellings: list[str]
) -> None:
    experts = _listing(client, "/api/v1/experts", city=canonical)
    assert experts["total"] > 0
    for path in ("/api/v1/experts", "/api/v1/organizations", "/api/v1/opportunities"):
        expected = _listing(client, path, city=canonical)
        for spelling in spellings:
            found = _listing(client, path, city=spelling)
            assert found["total"] == expected["total"], (path, spelling)
            assert {item["city"] for item in found["items"]} <= {canonical}, (path, spelling)


def test_a_city_the_registry_has_no_name_for_is_matched_as_written(client: TestClient) -> None:
    answer = client.get("/api/v1/experts", params={"city": "Novgorod"})
    assert answer.status_code == 200 and answer.json()["total"] == 0
    described = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/experts"]["get"]
    city = next(p for p in described["parameters"] if p["name"] == "city")["description"]
    assert "`Москва`" in city and "`Moscow`" in city


@pytest.mark.parametrize("value", ["ZZ", "XX", "zz", "Narnia"])
def test_a_country_iso_does_not_assign_is_refused(client: TestClient, value: str) -> None:
    for path in ("/api/v1/experts", "/api/v1/organizations"):
        answer = client.get(path, params={"country": value})
        assert answer.status_code == 422, (path, value, answer.text)
        [problem] = answer.json()["problems"]
        assert problem["field"] == "country"
        assert f"`{value}`" in problem["message"] and "`RU`" in problem["message"]


def test_a_country_is_taken_by_its_code_in_any_case_or_its_name(client: TestClient) -> None:
    for path in ("/api/v1/experts", "/api/v1/organizations"):
        chinese = _listing(client, path, country="CN")
        assert chinese["total"] > 0
        for spelling in ("cn", "China", "Китай", "中国", "КНР"):
            found = _listing(client, path, country=spelling)
            assert found["total"] == chinese["total"], (path, spelling)
            assert {item["country"] for item in found["items"]} == {"CN"}
    # A country no record is in is a real country: nothing, but no error.
    assert _listing(client, "/api/v1/experts", country="FI")["total"] == 0


def test_an_organization_type_is_taken_by_the_import_s_synonyms(client: TestClient) -> None:
    for path, parameter in (("/api/v1/experts", "organization_type"), ("/api/v1/organizations", "type")):
        for code, synonyms in (
            ("research_institute", ["НИИ", "Research institute", "研究所"]),
            ("university", ["вуз", "高校", "University"]),
        ):
            expected = _listing(client, path, **{parameter: code})["total"]
            for synonym in synonyms:
                assert _listing(client, path, **{parameter: synonym})["total"] == expected, (path, synonym)
        refused = client.get(path, params={parameter: "uni"})
        assert refused.status_code == 422
        assert "`research_institute`" in refused.json()["problems"][0]["message"]
    organizations = _listing(client, "/api/v1/organizations", type="НИИ")
    assert organizations["total"] > 0


def test_the_experts_page_reads_a_city_in_any_language(client: TestClient) -> None:
    def total(page: str) -> str:
        found = re.search(r'<p class="total">([^<]*)</p>', page)
        assert found, "no total on the page"
        return found.group(1)

    moscow = client.get("/experts", params={"city": "Moscow", "lang": "ru"}).text
    for spelling in ("Москва", "莫斯科", "moscow"):
        page = client.get("/experts", params={"city": spelling, "lang": "ru"}).text
        chips = re.search(r'<ul class="active-filters".*?</ul>', page, re.S)
        assert chips, spelling
        assert "Город: <strong>Москва</strong>" in chips.group(0)
        assert "такого значения в реестре нет" not in chips.group(0)
        assert "Возможно, вы имели в виду" not in chips.group(0)
        assert total(page) == total(moscow) and not total(page).startswith("0 ")


def test_the_opportunities_page_explains_a_value_the_registry_does_not_use(client: TestClient) -> None:
    page = client.get("/opportunities", params={"kind": "bogus", "lang": "en"}).text
    chips = re.search(r'<ul class="active-filters".*?</ul>', page, re.S)
    assert chips, "a bad filter is not explained"
    shown = chips.group(0)
    assert "Kind: <strong>bogus</strong>" in shown and "not a value the registry uses" in shown
    assert 'href="/opportunities" class="remove"' in shown
    labelled = client.get(
        "/opportunities", params={"kind": "Technology offer", "sector": "Транспорт", "lang": "ru"}
    ).text
    chips = re.search(r'<ul class="active-filters".*?</ul>', labelled, re.S)
    assert chips
    assert "Вид: <strong>Technology offer</strong>" in chips.group(0)
    assert "такого значения в реестре нет" in chips.group(0)
    assert "kind=technology_offer" in chips.group(0) and "sector=transport" in chips.group(0)
    # Codes the registry uses are no news: the boxes show them.
    fine = client.get("/opportunities", params={"kind": "technology_offer", "status": "open", "lang": "en"})
    assert 'class="active-filters"' not in fine.text
    assert client.get("/api/v1/opportunities", params={"kind": "bogus"}).status_code == 422

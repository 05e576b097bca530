"""Searching opportunities by text, on the list page and in the API: across the three languages,
title matches first, never revealing who posted an anonymous one, whatever the query."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry.records import LocalizedText, OpportunityRecord
from expertbridge.registry.visibility import PUBLIC
from expertbridge.search.opportunities import (
    AnalysisCache,
    OpportunityFilters,
    OpportunityTerms,
    Searchable,
    analyse_opportunity,
    score_opportunities,
    search_opportunities,
)
from expertbridge.search.query import analyse_query
from expertbridge.text.concepts import concept_label
from tests.web.accounts import browser
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _post(client: TestClient, path: str, body: dict[str, Any]) -> int:
    answer = client.post(f"/api/v1/{path}", headers=AUTH, json=body)
    assert answer.status_code == 201, answer.text
    identifier: int = answer.json()["id"]
    return identifier


def _opportunity(client: TestClient, *, days: int = 300, **fields: Any) -> int:
    deadline = (dt.date.today() + dt.timedelta(days=days)).isoformat()  # open: not past
    return _post(client, "opportunities", {"kind": "rd_cooperation", "deadline": deadline, **fields})


def _found(client: TestClient, q: str, headers: dict[str, str] | None = None, **params: Any) -> list[int]:
    answer = client.get("/api/v1/opportunities", params={"q": q, "per_page": 200, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def test_a_russian_query_finds_chinese_and_english_opportunities_by_concept(client: TestClient) -> None:
    chinese = _opportunity(
        client,
        title_zh="薄膜太阳能电池中试线联合研发",
        description_zh="北京一家企业寻求莫斯科合作伙伴，共同开发柔性薄膜太阳能电池的中试生产线。",
    )
    english = _opportunity(
        client,
        title_en="Thin-film photovoltaics for building facades",
        description_en="We look for a laboratory to test our modules on office towers.",
    )
    unrelated = _opportunity(client, title_ru="Вибродиагностика эскалаторов метрополитена")
    found = _found(client, "солнечные элементы")
    assert chinese in found and english in found
    assert unrelated not in found
    # The page says why, in its own language: the concept both share with the query.
    page = client.get("/opportunities", params={"q": "солнечные элементы", "lang": "en"})
    assert page.status_code == 200
    assert "薄膜太阳能电池中试线联合研发" in page.text
    assert "Thin-film photovoltaics for building facades" in page.text
    assert "Matched concepts" in page.text
    assert concept_label("science.energy.thin_film_solar_cells", "en") in page.text


def test_a_word_query_finds_the_title_match_first(client: TestClient) -> None:
    # Soonest deadline first is the list's order: the description match would come first.
    in_description = _opportunity(
        client,
        days=30,
        title_en="Industrial partners wanted",
        description_en="Our pilot plant purifies wastewater with a xylotron reactor.",
    )
    in_title = _opportunity(
        client,
        days=600,
        title_en="Xylotron reactor pilot for wastewater",
        description_en="A pilot plant in the Moscow region.",
    )
    found = _found(client, "xylotron")
    assert found[:2] == [in_title, in_description]
    page = client.get("/opportunities", params={"q": "xylotron", "lang": "en"}).text
    assert page.index("Xylotron reactor pilot for wastewater") < page.index("Industrial partners wanted")
    assert "Matching words" in page and "Xylotron" in page


def test_an_anonymous_posters_name_is_not_searchable_by_the_public(client: TestClient) -> None:
    _post(
        client,
        "organizations",
        {"id": "quokka", "name_en": "Quokka Photonics Cluster", "type": "enterprise", "city": "Moscow"},
    )
    named = _opportunity(client, title_en="Laser optics partners", organization="Quokka Photonics Cluster")
    anonymous = _opportunity(
        client, title_en="Detector cooperation", organization="Quokka Photonics Cluster", anonymous=True
    )
    public = browser(client)
    found = _found(public, "quokka")
    assert named in found and anonymous not in found
    page = public.get("/opportunities", params={"q": "quokka", "lang": "en"}).text
    assert "Laser optics partners" in page and "Detector cooperation" not in page
    # Its own words find it, and still do not name who posted it.
    page = public.get("/opportunities", params={"q": "detector", "lang": "en"}).text
    assert "Detector cooperation" in page and "Quokka" not in page
    # The operator (the API token) may know who posted it, and so may find it by that name.
    assert {named, anonymous} <= set(_found(client, "quokka", headers=AUTH))


def test_drafts_are_not_found_by_the_public(client: TestClient) -> None:
    draft = _opportunity(client, title_en="Xylotron draft offer", status="draft")
    published = _opportunity(client, title_en="Xylotron published offer")
    found = _found(browser(client), "xylotron")
    assert published in found and draft not in found


@pytest.mark.parametrize(
    "query",
    [
        'AND OR NOT "unclosed',
        "title:(solar* NEAR/3 cells) -metro",
        "*",
        "'; DROP TABLE opportunities; --",
        "100% _solar_ \\ cells",
        "😀🚀 ☀️",
        "\x00 solar",
        "солнечные элементы " * 500,  # 10,000 characters
        "太阳能 solar " * 1000,  # 10,000 characters, a third of them Chinese
    ],
)
def test_hostile_queries_give_results_or_nothing(client: TestClient, query: str) -> None:
    answer = client.get("/api/v1/opportunities", params={"q": query})
    assert answer.status_code == 200, answer.text
    assert isinstance(answer.json()["items"], list)
    page = client.get("/opportunities", params={"q": query, "lang": "en"})
    assert page.status_code == 200
    assert "Traceback" not in page.text


@pytest.mark.parametrize("query", ["", "   ", "и в на", "the of and", "😀"])
def test_an_empty_or_stop_word_query_lists_everything(client: TestClient, query: str) -> None:
    everything = client.get("/api/v1/opportunities", params={"per_page": 200}).json()
    searched = client.get("/api/v1/opportunities", params={"q": query, "per_page": 200}).json()
    assert searched["total"] == everything["total"] > 0
    assert [item["id"] for item in searched["items"]] == [item["id"] for item in everything["items"]]


def test_api_q_pages_through_the_ranked_matches(client: TestClient) -> None:
    created = {_opportunity(client, days=10 + n, title_en=f"Xylotron batch {n}") for n in range(5)}
    _opportunity(client, title_en="Nothing to do with it")
    ranked = _found(client, "xylotron")
    assert set(ranked) == created
    pages = [
        client.get("/api/v1/opportunities", params={"q": "xylotron", "per_page": 2, "page": n}).json()
        for n in (1, 2, 3, 4)
    ]
    assert [page["total"] for page in pages] == [5, 5, 5, 5]
    assert [len(page["items"]) for page in pages] == [2, 2, 1, 0]
    assert [item["id"] for page in pages for item in page["items"]] == ranked


def test_the_search_keeps_the_other_filters(client: TestClient) -> None:
    wanted = _opportunity(client, kind="technology_offer", title_en="Xylotron licence", city="Beijing")
    other_kind = _opportunity(client, title_en="Xylotron joint lab", city="Beijing")
    other_city = _opportunity(client, kind="technology_offer", title_en="Xylotron sale", city="Moscow")
    assert _found(client, "xylotron", kind="technology_offer", city="Beijing") == [wanted]
    page = client.get(
        "/opportunities", params={"q": "xylotron", "kind": "technology_offer", "lang": "en"}
    ).text
    assert "Xylotron licence" in page and "Xylotron sale" in page and "Xylotron joint lab" not in page
    # The box keeps the query, the form its filters.
    assert 'name="q" type="search" value="xylotron"' in page
    assert '<option value="technology_offer" selected>' in page
    assert other_kind not in _found(client, "xylotron", kind="technology_offer")
    assert other_city not in _found(client, "xylotron", city="Beijing")


def test_a_changed_opportunity_is_searched_as_it_now_is(client: TestClient) -> None:
    opportunity = _opportunity(client, title_en="Xylotron catalyst trials")
    assert opportunity in _found(client, "xylotron")  # analysed and cached
    changed = client.patch(
        f"/api/v1/opportunities/{opportunity}", headers=AUTH, json={"title_en": "Zeolite catalyst trials"}
    )
    assert changed.status_code == 200, changed.text
    assert opportunity not in _found(client, "xylotron")
    assert opportunity in _found(client, "zeolite")


def test_the_analysis_cache_is_bounded() -> None:
    cache = AnalysisCache(entries=2)
    empty = OpportunityTerms.of(())
    for key in ("a", "b", "a", "c"):
        cache.put(key, empty)
    assert len(cache) == 2
    assert cache.get_many(["a", "b", "c"]) == [empty, None, empty]  # "b" was the least recently used


def test_a_search_analyses_only_what_changed_since_the_last(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    opportunity = _opportunity(client, title_en="Xylotron catalyst trials")
    cache = AnalysisCache()

    def search() -> list[int]:
        with factory() as session:
            found = search_opportunities(session, PUBLIC, OpportunityFilters(query="xylotron"), cache=cache)
            return found.ids

    assert search() == [opportunity]
    analysed = cache.stored
    assert analysed > 1  # every listed opportunity, and the posters' names
    assert search() == [opportunity] and cache.stored == analysed
    client.patch(f"/api/v1/opportunities/{opportunity}", headers=AUTH, json={"title_en": "Xylotron tests"})
    assert search() == [opportunity] and cache.stored == analysed + 1


@cache
def _two_analysed() -> dict[int, Searchable]:
    """A trilingual opportunity about solar cells and one with no text at all."""
    record = OpportunityRecord(
        kind="rd_cooperation",
        texts={
            "zh": LocalizedText("薄膜太阳能电池中试线", "柔性组件"),
            "en": LocalizedText("Thin-film photovoltaics", "Pilot line for flexible modules"),
        },
        sectors=("science.energy",),
    )
    return {
        1: (analyse_opportunity(record),),
        2: (analyse_opportunity(OpportunityRecord(kind="partner_wanted", texts={})),),
    }


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_scores_or_matches_nothing(text: str) -> None:
    scores = score_opportunities(analyse_query(text), _two_analysed())
    assert set(scores) <= {1}
    assert all(score > 0 for score in scores.values())

"""Search in the web app and the API: explanations, similar experts, experts for an opportunity."""

from __future__ import annotations

from fastapi.testclient import TestClient

from expertbridge.text.concepts import concept_label
from expertbridge.web.deps import get_reranking
from tests.web.conftest import TOKEN


def test_search_results_explain_themselves_in_the_page_language(client: TestClient) -> None:
    found = client.get("/api/v1/experts", params={"q": "компьютерное зрение", "per_page": 5}).json()
    assert found["total"] > 0
    first = found["items"][0]
    assert first["explanation"]["concepts"], first
    page = client.get("/experts", params={"q": "компьютерное зрение", "lang": "zh"})
    assert page.status_code == 200
    assert "<mark>" in page.text
    # The shared concept is named in the page's language, whatever the query's language.
    assert concept_label(first["explanation"]["concepts"][0]["code"], "zh") in page.text


def test_expert_page_shows_experts_like_this_one(client: TestClient) -> None:
    expert = client.get("/api/v1/experts", params={"per_page": 1}).json()["items"][0]
    page = client.get(f"/experts/{expert['id']}", params={"lang": "en"})
    assert page.status_code == 200
    assert "Experts like this one" in page.text
    similar = client.get(f"/api/v1/experts/{expert['id']}/similar").json()
    assert similar["items"]
    assert expert["id"] not in [item["id"] for item in similar["items"]]


def test_opportunity_page_lists_experts_from_the_other_side(client: TestClient) -> None:
    opportunities = client.get("/api/v1/opportunities", params={"per_page": 50}).json()["items"]
    moscow = next(item for item in opportunities if item.get("city") == "Moscow")
    matches = client.get(f"/api/v1/opportunities/{moscow['id']}/experts").json()
    assert matches["items"]
    assert {item["city"] for item in matches["items"]} == {"Beijing"}
    for item in matches["items"]:
        assert isinstance(item["needs_interpreter"], bool)
    anywhere = client.get(f"/api/v1/opportunities/{moscow['id']}/experts", params={"side": "any"}).json()
    assert anywhere["total"] >= matches["total"]
    page = client.get(f"/opportunities/{moscow['id']}", params={"lang": "ru"})
    assert page.status_code == 200
    assert "Эксперты для этой возможности" in page.text or "Experts for this opportunity" in page.text


def test_bad_match_parameters_are_refused(client: TestClient) -> None:
    assert client.get("/api/v1/opportunities/1/experts", params={"side": "mars"}).status_code == 422
    assert client.get("/api/v1/experts/999999/similar").status_code == 404


def test_any_query_returns_a_page_never_an_error(client: TestClient) -> None:
    for query in [
        '"unbalanced',
        "NEAR(метро 地铁)",
        "metro*",
        "AND OR NOT",
        "🚇" * 50,
        "x" * 10_000,
        "<script>",
    ]:
        page = client.get("/experts", params={"q": query})
        assert page.status_code == 200, query
        assert "<script>" not in page.text.split("</header>", 1)[-1]
        found = client.get("/api/v1/experts", params={"q": query[:500]})
        assert found.status_code == 200, query


def test_an_opportunity_without_a_city_is_matched_from_its_organizations_side(client: TestClient) -> None:
    posted = client.post(
        "/api/v1/opportunities",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "kind": "partner_wanted",
            "organization": "Tsinghua University",
            "title_zh": "寻求人工智能与城市交通合作伙伴",
            "description_zh": "我们寻求在人工智能、大数据、地铁信号系统和城市规划方面的俄罗斯合作伙伴。",
        },
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["city"] == "Beijing"
    matches = client.get(f"/api/v1/opportunities/{posted.json()['id']}/experts").json()
    assert matches["items"]
    assert {item["city"] for item in matches["items"]} == {"Moscow"}


def test_an_opportunity_outside_the_programmes_cities_offers_no_counterpart_filter(
    client: TestClient,
) -> None:
    posted = client.post(
        "/api/v1/opportunities",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"kind": "partner_wanted", "title_en": "Partners for metro signalling", "city": "Kazan"},
    )
    assert posted.status_code == 201, posted.text
    page = client.get(f"/opportunities/{posted.json()['id']}", params={"lang": "ru"}).text
    assert 'value="counterpart"' not in page
    assert "не указан город программы" in page


class _Reversed:
    """A stand-in for semantic re-ranking that reverses the order, so its use shows."""

    def apply(self, _text: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
        return list(reversed(ranked))


def test_the_api_ranks_an_opportunitys_experts_as_its_page_does_under_semantic_reranking(
    client: TestClient,
) -> None:
    opportunities = client.get("/api/v1/opportunities", params={"per_page": 50}).json()["items"]
    moscow = next(item for item in opportunities if item.get("city") == "Moscow")
    path = f"/api/v1/opportunities/{moscow['id']}/experts"
    plain = [item["id"] for item in client.get(path).json()["items"]]
    client.app.dependency_overrides[get_reranking] = _Reversed  # type: ignore[attr-defined]
    try:
        reranked = [item["id"] for item in client.get(path).json()["items"]]
    finally:
        client.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    assert len(plain) > 1 and reranked != plain

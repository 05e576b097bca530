"""The JSON API: lists, details, writes with the token, validation answers."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW_EXPERT = {
    "id": "api-1",
    "name_ru": "Смирнова Ольга Игоревна",
    "name_en": "Olga Smirnova",
    "city": "Moscow",
    "country": "RU",
    "sectors": ["science.energy"],
    "expertise": ["тонкоплёночные солнечные элементы"],
    "languages": "ru:native;zh:B1",
    "email": "o.smirnova@example.org",
    "status": "approved",
}


def test_list_paginates_filters_and_hides_contacts(client: TestClient) -> None:
    body = client.get("/api/v1/experts", params={"per_page": 5, "city": "Beijing"}).json()
    assert body["per_page"] == 5 and len(body["items"]) == 5
    assert body["total"] > 5
    assert {item["city"] for item in body["items"]} == {"Beijing"}
    assert all(item["contacts"] == [] for item in body["items"])
    assert {"sector", "city", "organization_type", "language"} <= set(body["facets"])
    second = client.get("/api/v1/experts", params={"per_page": 5, "page": 2, "city": "Beijing"}).json()
    assert {i["id"] for i in second["items"]}.isdisjoint({i["id"] for i in body["items"]})


def test_create_needs_the_token(client: TestClient) -> None:
    assert client.post("/api/v1/experts", json=NEW_EXPERT).status_code == 401
    assert (
        client.post("/api/v1/experts", json=NEW_EXPERT, headers={"Authorization": "Bearer wrong"}).status_code
        == 401
    )


def test_create_read_update(client: TestClient) -> None:
    created = client.post("/api/v1/experts", json=NEW_EXPERT, headers=AUTH)
    assert created.status_code == 201, created.text
    expert = created.json()
    assert expert["external_id"] == "api-1" and expert["sectors"] == ["science.energy"]
    public = client.get(f"/api/v1/experts/{expert['id']}").json()
    assert public["contacts"] == []
    assert [n["text"] for n in public["names"] if n["primary"]] == ["Смирнова Ольга Игоревна"]

    updated = client.patch(f"/api/v1/experts/{expert['id']}", json={"city": "Пекин"}, headers=AUTH)
    assert updated.status_code == 200, updated.text
    assert updated.json()["city"] == "Beijing"
    assert updated.json()["expertise"] == [{"text": "тонкоплёночные солнечные элементы", "language": "ru"}]
    assert client.post("/api/v1/experts", json=NEW_EXPERT, headers=AUTH).status_code == 422
    assert client.delete(f"/api/v1/experts/{expert['id']}", headers=AUTH).status_code == 204
    assert client.get(f"/api/v1/experts/{expert['id']}").status_code == 404


def test_invalid_bodies_get_the_problems_listed(client: TestClient) -> None:
    response = client.post(
        "/api/v1/experts", json={**NEW_EXPERT, "email": "x", "sectors": ["astrology"]}, headers=AUTH
    )
    assert response.status_code == 422
    problems = {p["field"]: p["message"] for p in response.json()["problems"]}
    assert "not an e-mail address" in problems["email"]
    assert "unknown sector" in problems["sectors"]
    assert (
        client.post(
            "/api/v1/experts", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"}
        ).status_code
        == 422
    )
    assert client.patch("/api/v1/experts/999999", json={"city": "Moscow"}, headers=AUTH).status_code == 404


def test_new_experts_wait_for_approval(client: TestClient) -> None:
    created = client.post(
        "/api/v1/experts", json={k: v for k, v in NEW_EXPERT.items() if k != "status"}, headers=AUTH
    )
    assert created.json()["status"] == "pending"
    assert client.get(f"/api/v1/experts/{created.json()['id']}").status_code == 404


def test_other_kinds(client: TestClient) -> None:
    organizations = client.get("/api/v1/organizations", params={"q": "清华"}).json()
    assert organizations["total"] >= 1
    organization = client.post(
        "/api/v1/organizations",
        headers=AUTH,
        json={
            "id": "org-x",
            "name_ru": "Кластер Альфа",
            "name_en": "Alpha Cluster",
            "type": "innovation_cluster",
            "city": "Moscow",
        },
    )
    assert organization.status_code == 201, organization.text
    opportunity = client.post(
        "/api/v1/opportunities",
        headers=AUTH,
        json={
            "kind": "partner_wanted",
            "title_ru": "Ищем партнёров",
            "title_zh": "寻找合作伙伴",
            "organization": "Alpha Cluster",
            "sectors": "science.energy",
            "deadline": (dt.date.today() + dt.timedelta(days=365)).isoformat(),  # open: not past
        },
    )
    assert opportunity.status_code == 201, opportunity.text
    assert opportunity.json()["organization"] == "Alpha Cluster"
    changed = client.patch(
        f"/api/v1/opportunities/{opportunity.json()['id']}", headers=AUTH, json={"anonymous": True}
    )
    assert changed.json()["organization"] is None
    page = client.get(f"/opportunities/{opportunity.json()['id']}", params={"lang": "en"}).text
    assert "Alpha Cluster" not in page and "Posted anonymously" in page
    listing = client.get("/opportunities", params={"lang": "en", "status": ""}).text
    assert "Alpha Cluster" not in listing
    event = client.post(
        "/api/v1/events",
        headers=AUTH,
        json={
            "kind": "roundtable",
            "title_en": "Solar roundtable",
            "starts_on": "2027-05-01",
            "organizers": ["Alpha Cluster"],
            "expert_participants": ["no-such-expert"],
        },
    )
    assert event.status_code == 422
    assert client.get("/api/v1/events").json()["total"] >= 1
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "expertbridge API"


def test_draft_opportunities_stay_private(client: TestClient) -> None:
    draft = client.post(
        "/api/v1/opportunities",
        headers=AUTH,
        json={"kind": "technology_offer", "title_en": "Unfinished offer", "status": "draft"},
    )
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["id"]
    assert client.get(f"/api/v1/opportunities/{draft_id}").status_code == 404
    assert client.get(f"/opportunities/{draft_id}").status_code == 404
    listed = client.get("/api/v1/opportunities", params={"per_page": 200}).json()["items"]
    assert draft_id not in {item["id"] for item in listed}


def test_name_search_in_any_script(client: TestClient) -> None:
    created = client.post(
        "/api/v1/experts",
        headers=AUTH,
        json={"id": "cheremin", "name_ru": "Черёмин Сергей Петрович", "city": "Moscow", "status": "approved"},
    )
    assert created.status_code == 201
    for asked in ("谢尔盖·切廖明", "Sergei Cheremin", "Cheryomin", "С. П. Черёмин"):
        body = client.get("/api/v1/experts", params={"name": asked}).json()
        assert body["items"][0]["external_id"] == "cheremin", asked
        assert "Черёмин" in body["items"][0]["match"]
    page = client.get("/experts", params={"q": "谢尔盖·切廖明", "lang": "zh"}).text
    assert f'href="/experts/{created.json()["id"]}"' in page and "姓名匹配" in page

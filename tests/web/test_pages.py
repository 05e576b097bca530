"""The pages in Russian, Chinese and English, language choice, escaping and errors."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Event, Expert, Opportunity, Organization
from expertbridge.registry.experts import ExpertWriter, read_experts
from expertbridge.registry.records import ExpertRecord, NameRecord
from tests.helpers import csrf_token

HEADINGS = {"en": ("Experts", "Organizations"), "ru": ("Эксперты", "Организации"), "zh": ("专家", "机构")}


def _first_id(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        value = session.scalar(select(model.id).order_by(model.id))  # type: ignore[attr-defined]
    assert value is not None
    return int(value)


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_every_page_renders_in_each_language(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    pages = [
        "/",
        "/experts",
        "/experts?sector=transport",
        "/organizations",
        "/opportunities",
        "/events",
        f"/experts/{_first_id(factory, Expert)}",
        f"/organizations/{_first_id(factory, Organization)}",
        f"/opportunities/{_first_id(factory, Opportunity)}",
        f"/events/{_first_id(factory, Event)}",
    ]
    for page in pages:
        response = client.get(page, params={"lang": language})
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.text
        assert HEADINGS[language][0] in response.text, page
        # no untranslated English menu left on a Russian or Chinese page
        if language != "en":
            assert ">Organizations<" not in response.text, page


def test_accept_language_decides_without_a_choice_and_the_choice_sticks(client: TestClient) -> None:
    assert '<html lang="zh">' in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert '<html lang="ru">' in client.get("/", headers={"Accept-Language": "ru-RU"}).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "de-DE"}).text
    chosen = client.get("/experts", params={"lang": "ru"})
    assert chosen.cookies.get("lang") == "ru"
    assert '<html lang="ru">' in client.get("/events", headers={"Accept-Language": "zh"}).text


def test_facets_filter_the_list(client: TestClient) -> None:
    page = client.get("/experts", params={"sector": "transport", "lang": "en"}).text
    total = int(re.search(r'class="total">(\d+) expert', page).group(1))  # type: ignore[union-attr]
    everyone = client.get("/experts", params={"lang": "en"}).text
    assert 0 < total < int(re.search(r'class="total">(\d+) expert', everyone).group(1))  # type: ignore[union-attr]
    assert "✓ Transport" in page
    for facet in ("Sector", "City", "Organization type", "Languages spoken"):
        assert f"<h2>{facet}</h2>" in everyone


def test_search_box_finds_by_keyword_in_any_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    with factory() as session:
        expert = session.scalar(select(Expert.id).order_by(Expert.id))
    detail = client.get(f"/experts/{expert}", params={"lang": "en"}).text
    keyword = re.search(r'<li lang="(?:ru|zh|en)">([^<]+)</li>', detail).group(1)  # type: ignore[union-attr]
    results = client.get("/experts", params={"q": keyword}).text
    assert f'href="/experts/{expert}"' in results


def test_names_are_shown_as_text_never_as_markup(client: TestClient, factory: sessionmaker[Session]) -> None:
    hostile = '<script>alert(1)</script>" onmouseover="x'
    with factory() as session, session.begin():
        expert_id = (
            ExpertWriter(session, actor="test")
            .write(
                [ExpertRecord(names=(NameRecord(hostile, "Latn", "en", is_primary=True),), status="approved")]
            )
            .ids[0]
        )
    page = client.get(f"/experts/{expert_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_private_and_unapproved_are_not_shown(client: TestClient, factory: sessionmaker[Session]) -> None:
    with factory() as session, session.begin():
        pending = (
            ExpertWriter(session, actor="test")
            .write(
                [
                    ExpertRecord(
                        names=(NameRecord("Pending Person", "Latn", "en", is_primary=True),),
                        status="pending",
                        contacts=(("email", "hidden@example.org"),),
                    )
                ]
            )
            .ids[0]
        )
    assert client.get(f"/experts/{pending}").status_code == 404
    assert f'href="/experts/{pending}"' not in client.get("/experts", params={"q": "Pending Person"}).text
    first = _first_id(factory, Expert)
    assert "@example." not in client.get(f"/experts/{first}").text


@pytest.mark.parametrize(
    ("language", "text"), [("ru", "Такой страницы нет"), ("zh", "页面"), ("en", "There is no such page")]
)
def test_not_found_is_a_translated_page(client: TestClient, language: str, text: str) -> None:
    response = client.get("/experts/999999", params={"lang": language})
    assert response.status_code == 404
    assert text in response.text


def test_bad_parameters_get_a_4xx_page_not_a_trace(client: TestClient) -> None:
    for url in ("/experts/abc", "/experts?page=-1", "/experts?q=" + "x" * 20_001):
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
        assert "Traceback" not in response.text


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "*", "a%_\\", "😀 метро 地铁", "x" * 400])
def test_odd_queries_return_a_page(client: TestClient, query: str) -> None:
    assert client.get("/experts", params={"q": query}).status_code == 200


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_name_lookup_page_takes_a_pasted_list_or_a_file(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).order_by(Expert.id))
        record = read_experts(session, [expert_id])[expert_id]  # type: ignore[list-item]
    generated = next(name.text for name in record.names if name.generated)
    form = client.get("/names", params={"lang": "zh"})
    assert form.status_code == 200
    token = csrf_token(form.text)
    refused = client.post("/names", data={"text": generated, "top": "3", "output": "html"})
    assert refused.status_code == 403  # a form without its CSRF token
    page = client.post("/names", data={"csrf": token, "text": generated, "top": "3", "output": "html"})
    assert page.status_code == 200 and f'href="/experts/{expert_id}"' in page.text
    csv_answer = client.post(
        "/names",
        data={"csrf": token, "top": "1", "output": "csv"},
        files={"file": ("list.csv", f"query_id,name\nq1,{generated}\n".encode(), "text/csv")},
    )
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text.splitlines()[1].startswith(f"q1,1,{record.external_id},")
    empty = client.post("/names", data={"csrf": token, "text": "  "})
    assert empty.status_code == 422 and "请输入或粘贴姓名" in empty.text

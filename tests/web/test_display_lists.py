"""Things shown side by side are joined the page language's way: a place and an organization with a
position take ", " in Russian and English and the full-width "，" in Chinese, never an ASCII comma
(and never a space before it); lists of items take "、" in Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Event, EventText
from expertbridge.registry.experts import ExpertWriter
from expertbridge.registry.records import ExpertRecord, NameRecord
from expertbridge.web.i18n import Translator
from tests.web.accounts import as_role, create_people

PROFESSOR = ExpertRecord(
    names=(NameRecord("李建国", "Hani", "zh", is_primary=True),),
    organization="北京未来轨道研究院",
    position_title="教授",
    city="Beijing",
    country="CN",
    sectors=("transport.rail",),
)
# What the facts of the profile say, tags stripped, per page language.
PROFILE = {
    "zh": ("北京未来轨道研究院，教授", "北京，中国"),
    "ru": ("北京未来轨道研究院, 教授", "Пекин, Китай"),
    "en": ("北京未来轨道研究院, 教授", "Beijing, China"),
}


def _write(factory: sessionmaker[Session], record: ExpertRecord) -> int:
    with factory() as session, session.begin():
        return ExpertWriter(session, actor="test").write([record]).ids[0]


def _facts(page: str) -> dict[str, str]:
    """The facts list of a record's page: each label with its value as text."""
    facts = {}
    for label, value in re.findall(r"<div><dt>(.*?)</dt><dd[^>]*>(.*?)</dd></div>", page, re.S):
        facts[_text(label)] = _text(value)
    return facts


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@pytest.mark.parametrize("language", ["zh", "ru", "en"])
def test_a_profile_joins_its_place_and_position_the_page_language_way(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    expert_id = _write(factory, PROFESSOR)
    facts = _facts(client.get(f"/experts/{expert_id}", params={"lang": language}).text)
    organization, place = PROFILE[language]
    assert organization in facts.values(), facts
    assert place in facts.values(), facts
    if language == "zh":
        assert not any(", " in value or " ," in value for value in facts.values()), facts


@pytest.mark.parametrize("language", ["zh", "ru", "en"])
def test_the_vetting_page_joins_them_the_same_way(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    create_people(factory)
    expert_id = _write(factory, ExpertRecord(**{**PROFESSOR.__dict__, "status": "pending"}))
    beijing = as_role(client, "beijing")
    page = beijing.get(f"/vetting/{expert_id}", params={"lang": language})
    assert page.status_code == 200
    organization, place = PROFILE[language]
    assert {organization, place} <= set(_facts(page.text).values())


def test_a_linked_organization_keeps_its_link_and_is_joined_to_the_position(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # The demo registry holds this university, approved: the profile links to it.
    expert_id = _write(factory, ExpertRecord(**{**PROFESSOR.__dict__, "organization": "北京交通大学"}))
    page = client.get(f"/experts/{expert_id}", params={"lang": "zh"}).text
    assert re.search(r'<a href="/organizations/\d+">北京交通大学</a>，教授</dd>', page)


def test_joined_text_is_escaped(client: TestClient, factory: sessionmaker[Session]) -> None:
    hostile = "<script>alert(1)</script>"
    expert_id = _write(factory, ExpertRecord(**{**PROFESSOR.__dict__, "position_title": hostile}))
    page = client.get(f"/experts/{expert_id}", params={"lang": "zh"}).text
    assert hostile not in page
    assert re.search(r"北京未来轨道研究院(</a>)?，&lt;script&gt;alert\(1\)&lt;/script&gt;</dd>", page)


def test_a_country_without_a_city_is_shown_without_a_comma(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    expert_id = _write(factory, ExpertRecord(names=PROFESSOR.names, country="CN", sectors=PROFESSOR.sectors))
    facts = _facts(client.get(f"/experts/{expert_id}", params={"lang": "zh"}).text)
    assert "中国" in facts.values(), facts


@pytest.mark.parametrize(
    ("language", "place"),
    [("zh", "国家会议中心，北京"), ("ru", "国家会议中心, Пекин"), ("en", "国家会议中心, Beijing")],
)
def test_an_event_joins_its_venue_and_city_the_page_language_way(
    client: TestClient, factory: sessionmaker[Session], language: str, place: str
) -> None:
    with factory() as session:
        event = Event(
            kind="forum",
            starts_on=dt.date(2027, 3, 15),
            ends_on=dt.date(2027, 3, 15),
            city="Beijing",
            venue="国家会议中心",
        )
        session.add(event)
        session.flush()
        session.add(EventText(event_id=event.id, language="zh", title="论坛", description=""))
        session.commit()
        event_id = event.id
    page = client.get(f"/events/{event_id}", params={"lang": language}).text
    assert place in _facts(page).values()


def test_the_translator_has_one_way_to_join_a_list_and_one_to_join_the_parts_of_a_description() -> None:
    assert Translator("zh").join_items(["交通", "能源", ""]) == "交通、能源"
    assert Translator("zh").join_parts(["北京", None, "中国"]) == "北京，中国"
    assert Translator("ru").join_items(["Транспорт", "Энергетика"]) == "Транспорт, Энергетика"
    assert Translator("en").join_parts(["Beijing", "China"]) == "Beijing, China"

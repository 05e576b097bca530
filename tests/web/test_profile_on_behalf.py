"""A coordinator submits a profile on an expert's behalf: it is pending, of the coordinator's side,
and the expert may be invited to claim it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, User
from expertbridge.registry.experts import read_experts
from tests.web.accounts import as_role, browser, create_people, post_form

PROFILE = {
    "name_ru": "Белкина Дарья Игоревна",
    "expertise_ru": "тоннельная вентиляция",
    "contact_kind_0": "email",
    "contact_value_0": "d.belkina@example.org",
    "contact_level_0": "coordinators",
    "visibility_bios": "private",
}


def test_a_coordinator_submits_a_profile_that_waits_for_its_side(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    page = moscow.get("/vetting")
    assert 'href="/profiles/new"' in page.text
    form = moscow.get("/profiles/new")
    assert form.status_code == 200 and 'action="/profiles/new"' in form.text
    created = post_form(moscow, "/profiles/new", "/profiles/new", {**PROFILE, "city": ""})
    assert created.status_code == 303  # type: ignore[attr-defined]
    expert_id = int(re.search(r"/profiles/(\d+)/edit", created.headers["location"]).group(1))  # type: ignore[attr-defined,union-attr]
    with factory() as session:
        record = read_experts(session, [expert_id])[expert_id]
    assert (record.status, record.city, record.country) == ("pending", "Moscow", "RU")
    assert record.contacts == (("email", "d.belkina@example.org"),)
    assert record.contact_levels == ("coordinators",) and dict(record.visibility)["bios"] == "private"

    assert f'href="/vetting/{expert_id}"' in moscow.get("/vetting").text
    assert f'href="/vetting/{expert_id}"' not in as_role(client, "beijing").get("/vetting").text
    assert browser(client).get(f"/api/v1/experts/{expert_id}").status_code == 404
    approved = post_form(moscow, f"/vetting/{expert_id}", f"/vetting/{expert_id}", {"decision": "approve"})
    assert approved.status_code == 303  # type: ignore[attr-defined]
    assert browser(client).get(f"/api/v1/experts/{expert_id}").status_code == 200


def test_the_side_is_the_coordinators_own_and_others_may_not(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    other_side = post_form(moscow, "/profiles/new?lang=ru", "/profiles/new", {**PROFILE, "city": "Пекин"})
    assert other_side.status_code == 403 and "своей стороны" in other_side.text  # type: ignore[attr-defined]
    invalid = post_form(
        moscow, "/profiles/new", "/profiles/new", {"contact_kind_0": "email", "contact_value_0": "nope"}
    )
    assert invalid.status_code == 422  # type: ignore[attr-defined]
    # the page speaks Russian since the coordinator chose it: so do the problems, with the labels
    assert "это не адрес электронной почты (ожидается name@example.org) (nope)" in invalid.text  # type: ignore[attr-defined]
    assert "Имя на русском: нет имени" in invalid.text  # type: ignore[attr-defined]
    for role in ("partner", "expert"):
        assert as_role(client, role).get("/profiles/new").status_code == 403, role
    assert browser(client).get("/profiles/new").status_code == 401
    with factory() as session:
        assert session.scalar(select(Expert.id).where(Expert.status == "pending")) is None


def test_the_invited_expert_claims_the_profile(client: TestClient, factory: sessionmaker[Session]) -> None:
    create_people(factory)
    beijing = as_role(client, "beijing")
    answer = post_form(
        beijing,
        "/profiles/new",
        "/profiles/new",
        {"name_zh": "白丽", "invite_email": "bai.li@example.cn"},
    )
    assert answer.status_code == 200 and "bai.li@example.cn" in answer.text  # type: ignore[attr-defined]
    link = re.search(r'href="http://testserver(/register/[^"]+)"', answer.text).group(1)  # type: ignore[attr-defined,union-attr]
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.status == "pending"))
        assert expert_id is not None and session.get(Expert, expert_id).city == "Beijing"  # type: ignore[union-attr]
    expert = browser(client)
    registered = post_form(
        expert,
        link,
        link,
        {"password": "a long password 1", "password2": "a long password 1", "consent": "2024-1"},
    )
    assert registered.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        user = session.scalars(select(User).where(User.email == "bai.li@example.cn")).one()
        assert user.expert_id == expert_id
        assert session.scalar(select(Expert.status).where(Expert.id == expert_id)) == "pending"
    editor = expert.get("/account/profile")
    assert editor.status_code == 200 and "白丽" in editor.text

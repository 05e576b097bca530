"""Smaller things of the profile's flow: keywords stay in the box they were typed in, the name given
at registration starts the draft profile, a wrong password for erasure is called wrong, and an
invitation for an expert who does not exist says so."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import User
from expertbridge.registry.experts import read_experts
from tests.web.accounts import PASSWORD, as_role, browser, create_people, post_form
from tests.web.profile_form_pages import form_fields, send_profile

OWN = "/account/profile"


def test_keywords_stay_in_the_box_they_were_typed_in(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    expert = as_role(client, "expert")
    boxes = {
        "expertise_ru": "CBTC\nтоннельная вентиляция",
        "expertise_zh": "地铁信号",
        "expertise_en": "метро\nsignalling",
    }
    saved = send_profile(expert, OWN, boxes)
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    shown = form_fields(expert.get(OWN).text)
    assert {box: shown[box] for box in boxes} == boxes
    with factory() as session:
        record = read_experts(session, [people.expert_id])[people.expert_id]
    assert ("CBTC", "ru") in record.expertise and ("метро", "en") in record.expertise


def test_one_line_is_one_keyword_commas_and_all(client: TestClient, factory: sessionmaker[Session]) -> None:
    people = create_people(factory)
    boxes = {"expertise_ru": "", "expertise_zh": "", "expertise_en": "Cu, Zn alloys"}
    saved = send_profile(as_role(client, "expert"), OWN, boxes)
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    with factory() as session:
        assert read_experts(session, [people.expert_id])[people.expert_id].expertise == (
            ("Cu, Zn alloys", "en"),
        )


def test_the_name_given_at_registration_starts_the_draft_profile(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    beijing = as_role(client, "beijing")
    invited = post_form(
        beijing, "/invitations", "/invitations", {"email": "wang.fang@example.cn", "role": "expert"}
    )
    link = re.search(r'value="http://testserver(/register/[^"]+)"', invited.text).group(1)  # type: ignore[attr-defined,union-attr]
    expert = browser(client)
    password = "a long password 1"
    registered = post_form(
        expert,
        link,
        link,
        {"password": password, "password2": password, "consent": "2024-1", "display_name": "王芳"},
    )
    assert registered.status_code == 303  # type: ignore[attr-defined]
    shown = form_fields(expert.get(OWN).text)
    assert shown["name_zh"] == "王芳" and shown["name_en"] == "Wang Fang"  # with its generated pinyin
    with factory() as session:
        expert_id = session.scalar(select(User.expert_id).where(User.email == "wang.fang@example.cn"))
        assert expert_id is not None
        record = read_experts(session, [expert_id])[expert_id]
    assert (record.status, record.city, record.primary_name()) == ("draft", "Beijing", "王芳")


def test_a_name_in_mixed_scripts_is_left_for_the_form(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    invited = post_form(
        admin, "/invitations", "/invitations", {"email": "x@example.org", "role": "expert", "city": "Moscow"}
    )
    link = re.search(r'value="http://testserver(/register/[^"]+)"', invited.text).group(1)  # type: ignore[attr-defined,union-attr]
    expert = browser(client)
    password = "a long password 1"
    data = {"password": password, "password2": password, "consent": "2024-1", "display_name": "Dr. 王 Fang"}
    assert post_form(expert, link, link, data).status_code == 303  # type: ignore[attr-defined]
    shown = form_fields(expert.get(OWN).text)
    assert (shown["name_ru"], shown["name_zh"], shown["name_en"]) == ("", "", "")


def test_a_wrong_password_for_erasure_is_called_wrong(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    expert = as_role(client, "expert")
    expert.get("/account", params={"lang": "ru"})
    wrong = post_form(
        expert, "/account", "/account/erase", {"password": "not my password", "confirm_erase": "yes"}
    )
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "Пароль неверен: ничего не удалено." in wrong.text  # type: ignore[attr-defined]
    assert "отметьте флажок" not in wrong.text  # type: ignore[attr-defined]
    unticked = post_form(expert, "/account", "/account/erase", {"password": PASSWORD})
    assert unticked.status_code == 400 and "отметьте флажок" in unticked.text  # type: ignore[attr-defined]
    assert expert.get("/account").status_code == 200  # nothing erased


def test_an_invitation_for_an_expert_who_does_not_exist_says_so(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    for role in ("moscow", "admin"):
        inviter = as_role(client, role)
        data = {"email": f"{role}.nobody@example.org", "role": "expert", "expert_id": "99999"}
        answer = post_form(inviter, "/invitations", "/invitations", data)
        assert answer.status_code == 400, role  # type: ignore[attr-defined]
        assert "There is no expert with id 99999." in answer.text, role  # type: ignore[attr-defined]
        assert "not of your side" not in answer.text, role  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(User.id).where(User.email.like("%nobody@example.org"))) is None

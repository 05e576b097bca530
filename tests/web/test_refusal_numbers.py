"""Refusals on the pages, in Russian and Chinese: a record id or a line number is written as it is
(12345, never 12 345 or 12,345), a quantity the reader's way (2 000 in Russian, 2,000 in Chinese),
a side by its name in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Event, EventText, Expert
from expertbridge.registry import accounts
from tests.web.accounts import PASSWORD, as_role, create_people, post_form
from tests.web.test_event_edit import MOSCOW_FORUM

NBSP = "\xa0"  # Russian groups thousands with a no-break space
LANGUAGES = {"ru": {"Accept-Language": "ru"}, "zh": {"Accept-Language": "zh"}}
TAKEN_ID, MISSING_ID = 12345, 54321


def _expert_with_an_account(factory: sessionmaker[Session], expert_id: int) -> None:
    with factory() as session:
        session.add(Expert(id=expert_id, status="approved", city="Moscow"))
        session.flush()
        accounts.create_user(
            session,
            email="expert12345@example.org",
            role="expert",
            actor="test",
            password=PASSWORD,
            expert_id=expert_id,
        )
        session.commit()


@pytest.mark.parametrize(
    ("language", "taken", "missing"),
    [
        ("ru", "У эксперта 12345 уже есть учётная запись.", "Эксперта с номером 54321 нет."),
        ("zh", "专家 12345 已有账户。", "不存在编号为 54321 的专家。"),
    ],
    ids=["ru", "zh"],
)
def test_an_invitation_refused_for_an_expert_names_the_expert_by_the_id_as_written(
    client: TestClient, factory: sessionmaker[Session], language: str, taken: str, missing: str
) -> None:
    create_people(factory)
    _expert_with_an_account(factory, TAKEN_ID)
    admin = as_role(client, "admin")
    headers = LANGUAGES[language]
    for expert_id, said in ((TAKEN_ID, taken), (MISSING_ID, missing)):
        form = {"email": f"new{expert_id}@example.org", "role": "expert", "expert_id": str(expert_id)}
        answer = post_form(admin, "/invitations", "/invitations", form, headers=headers)
        assert answer.status_code == 400, answer.text  # type: ignore[attr-defined]
        assert said in answer.text  # type: ignore[attr-defined]
        assert f"{expert_id // 1000}{NBSP}{expert_id % 1000}" not in answer.text  # type: ignore[attr-defined]
        assert f"{expert_id // 1000},{expert_id % 1000}" not in answer.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ru", f"Причина слишком длинная (не более 2{NBSP}000 символов)."),
        ("zh", "理由太长（最多 2,000 个字符）。"),
    ],
    ids=["ru", "zh"],
)
def test_a_vetting_refusal_writes_a_quantity_the_readers_way(
    client: TestClient, factory: sessionmaker[Session], language: str, said: str
) -> None:
    people = create_people(factory)
    with factory() as session:
        expert = session.get_one(Expert, people.expert_id)
        expert.status = "pending"
        session.commit()
    page = f"/vetting/{people.expert_id}"
    answer = post_form(
        as_role(client, "moscow"),
        page,
        page,
        {"decision": "reject", "reason": "x" * 2001},
        headers=LANGUAGES[language],
    )
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert said in answer.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "said"), [("ru", "Слоты, строка 1201:"), ("zh", "时段，第 1201 行")], ids=["ru", "zh"]
)
def test_a_meeting_set_up_refusal_names_the_line_as_written(
    client: TestClient, factory: sessionmaker[Session], language: str, said: str
) -> None:
    create_people(factory)
    with factory() as session:
        day = dt.date(2023, 9, 12)
        event = Event(kind="forum", starts_on=day, ends_on=day, city="Beijing")
        session.add(event)
        session.flush()
        session.add(EventText(event_id=event.id, language="en", title="Matchmaking forum", description=""))
        session.commit()
        page = f"/events/{event.id}/meetings"
    slots = "\n" * 1200 + "s1 2023-09-12T09:00+08:00"  # line 1201 lacks its end and tables
    answer = post_form(
        as_role(client, "admin"),
        page,
        f"{page}/setup",
        {"slots": slots, "interpreters": ""},
        headers=LANGUAGES[language],
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert said in answer.text  # type: ignore[attr-defined]
    for grouped in ("1 201", f"1{NBSP}201", "1,201"):
        assert grouped not in answer.text  # type: ignore[attr-defined]


def test_the_event_form_refused_for_the_other_side_names_the_side_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    beijing = as_role(client, "beijing")
    answer = post_form(beijing, "/events/new", "/events/new", MOSCOW_FORUM, headers=LANGUAGES["ru"])
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert "только своей стороны (Пекин)" in answer.text  # type: ignore[attr-defined]
    assert "Roundtable on driverless transport" in answer.text  # type: ignore[attr-defined]

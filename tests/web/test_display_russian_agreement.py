"""Russian words agree with what they describe: a meeting (встреча) is «запрошена», not «запрошен»;
a sentence about a person who may be a man or a woman is worded so that it does not depend on it
(«входит в комиссию», not «включён»)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry import accounts
from expertbridge.web.i18n import Translator
from tests.web.accounts import as_role, create_people, post_form
from tests.web.test_meetings import _event

# Explanations of a panel and import refusals that name an expert (any gender), with sample values.
ABOUT_A_PERSON = {
    "%(expert)s (%(score)s) assigned to reach min load %(low)s": {"low": 2},
    "%(expert)s (%(score)s) gave way to experts at min load %(low)s": {"low": 2},
    "%(expert)s (%(score)s) not assigned: the loads and quotas of other entries required it": {},
    "%(expert)s (%(score)s) not assigned: the solver stopped before proving the optimum": {},
    "%(expert)s (%(score)s) not drawn (probability %(probability)s)": {"probability": "0,4"},
    "forced: %(expert)s (%(score)s)": {},
    "quota %(quota)s brought in %(expert)s (%(score)s)": {"quota": "Пекин"},
    "row %(row)s: %(expert)s withdrew consent to the processing of their data; the row was skipped and "
    "the profile stays hidden. Remove the row; only the expert can give consent again": {"row": 3},
}
# Past participles and past-tense verbs with a masculine ending, and "(а)" patched on.
MASCULINE = re.compile(r"\b(включён|назначен|уступил|выпал|отозвал|приглашён)\b|\(а\)")


@pytest.mark.parametrize("message", sorted(ABOUT_A_PERSON))
def test_sentences_about_an_expert_do_not_depend_on_their_gender(message: str) -> None:
    russian = Translator("ru")
    said = russian.gettext(message, expert="Смирнова Ольга", score="0,9", **ABOUT_A_PERSON[message])
    assert said != message, "not translated"
    assert "Смирнова Ольга" in said and not MASCULINE.search(said), said


def test_a_requested_meeting_is_feminine_on_the_meetings_page(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup = _event(factory)
    page = f"/events/{setup.event_id}/meetings"
    moscow = as_role(client, "expert")
    answer = post_form(moscow, page, f"{page}/requests", {"counterpart": str(setup.beijing)})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    shown = moscow.get(page, params={"lang": "ru"}).text
    assert "— запрошена" in shown and "запрошен<" not in shown and "— запрошен\n" not in shown
    statuses = {status: Translator("ru").gettext(status) for status in ("accepted", "declined", "cancelled")}
    assert statuses == {"accepted": "принята", "declined": "отклонена", "cancelled": "отменена"}


def test_an_invited_account_is_not_said_to_be_a_man(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    with factory() as session:
        accounts.create_user(
            session, email="olga@example.org", role="coordinator", actor="test", city="Moscow"
        )
        session.commit()
    page = as_role(client, "admin").get("/admin/users", params={"lang": "ru"}).text
    row = page.split("olga@example.org", 1)[1].split("</tr>", 1)[0]
    assert "приглашение отправлено" in row and "приглашён" not in row

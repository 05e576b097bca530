"""An event's dates are one range that says the month and year once (CLDR interval formats):
«15–16 марта 2027 г.», "2027年3月15日至16日", "15–16 Mar 2027", on the event's page and in the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Event, EventText
from expertbridge.web.i18n import Translator

MARCH_15, MARCH_16, APRIL_2, JANUARY_5 = (
    dt.date(2027, 3, 15),
    dt.date(2027, 3, 16),
    dt.date(2027, 4, 2),
    dt.date(2028, 1, 5),
)
TWO_DAYS = {"ru": "15–16 марта 2027 г.", "zh": "2027年3月15日至16日", "en": "15–16 Mar 2027"}


def _plain(text: str) -> str:
    """Babel writes no-break and thin spaces around "г." and dashes: compared as plain spaces."""
    return re.sub(r"[\u00a0\u202f\u2009]", " ", text)


def _event(factory: sessionmaker[Session], starts_on: dt.date, ends_on: dt.date) -> int:
    with factory() as session:
        event = Event(kind="forum", starts_on=starts_on, ends_on=ends_on, city="Moscow")
        session.add(event)
        session.flush()
        for language, title in (("ru", "Форум о метро"), ("zh", "地铁论坛"), ("en", "Metro forum")):
            session.add(EventText(event_id=event.id, language=language, title=title, description=""))
        session.commit()
        return event.id


@pytest.mark.parametrize("language", ["ru", "zh", "en"])
def test_an_event_of_two_days_names_its_month_and_year_once(
    client: TestClient, factory: sessionmaker[Session], language: str
) -> None:
    event_id = _event(factory, MARCH_15, MARCH_16)
    page = _plain(client.get(f"/events/{event_id}", params={"lang": language}).text)
    assert f"<dd>{TWO_DAYS[language]}</dd>" in page
    listed = _plain(client.get("/events", params={"lang": language, "kind": "forum"}).text)
    card = listed.split(f'href="/events/{event_id}"', 1)[1].split("</li>", 1)[0]
    assert TWO_DAYS[language] in card


@pytest.mark.parametrize(
    ("language", "end", "shown"),
    [
        ("ru", APRIL_2, "15 марта – 2 апреля 2027 г."),
        ("ru", JANUARY_5, "15 марта 2027 г. – 5 января 2028 г."),
        ("zh", APRIL_2, "2027年3月15日至4月2日"),
        ("zh", JANUARY_5, "2027年3月15日至2028年1月5日"),
        ("en", APRIL_2, "15 Mar – 2 Apr 2027"),
        ("ru", MARCH_15, "15 марта 2027 г."),
        ("zh", MARCH_15, "2027年3月15日"),
    ],
)
def test_a_range_says_once_what_both_ends_share(language: str, end: dt.date, shown: str) -> None:
    assert _plain(Translator(language).date_range(MARCH_15, end)) == shown


def test_a_range_stored_the_wrong_way_round_is_shown_as_it_is() -> None:
    assert _plain(Translator("en").date_range(MARCH_16, MARCH_15)) == "16 Mar 2027 – 15 Mar 2027"

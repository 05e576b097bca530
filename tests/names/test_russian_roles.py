"""Roles of the words of a Russian name (patronymics in -ич, surname or given name first) and the
renderings that follow from them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from expertbridge.names.keys import name_keys
from expertbridge.names.parse import parse_name
from expertbridge.names.transliterate import renderings, romanize_russian, russian_to_chinese

PATRONYMIC = "patronymic"


def roles(text: str) -> list[tuple[str, str]]:
    return [(part.text, part.role) for part in parse_name(text).parts]


def rendered(text: str, scheme: str) -> str:
    return next(r.text for r in renderings(text) if r.scheme == scheme)


@pytest.mark.parametrize("patronymic", ["Кузьмич", "Фомич", "Лукич", "Никитич", "Ильич", "Саввич"])
def test_patronymics_in_ich_are_recognised(patronymic: str) -> None:
    assert roles(f"Князев Руслан {patronymic}") == [
        ("Князев", "surname"),
        ("Руслан", "given"),
        (patronymic, "patronymic"),
    ]
    assert roles(f"Руслан {patronymic} Князев") == [
        ("Руслан", "given"),
        (patronymic, "patronymic"),
        ("Князев", "surname"),
    ]
    # As with -ович: the short form, given name first, no patronymic.
    assert russian_to_chinese(f"Князев Руслан {patronymic}") == "鲁斯兰·克尼亚泽夫"
    assert rendered(f"Князев Руслан {patronymic}", "press") == "Ruslan Knyazev"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # A surname in -ич (Serbian, Belarusian) is never the first word's patronymic ...
        ("Бабич Иван Лукич", [("Бабич", "surname"), ("Иван", "given"), ("Лукич", "patronymic")]),
        (
            "Петрович Иван Сергеевич",
            [("Петрович", "surname"), ("Иван", "given"), ("Сергеевич", "patronymic")],
        ),
        (
            "Кузьмич Андрей Петрович",
            [("Кузьмич", "surname"), ("Андрей", "given"), ("Петрович", "patronymic")],
        ),
        # ... nor the last word after a patronymic ...
        ("Андрей Петрович Лукич", [("Андрей", "given"), ("Петрович", "patronymic"), ("Лукич", "surname")]),
        # ... nor a word of a two-word name: Serbs, and Russians with a surname in -вич.
        ("Йован Лукич", [("Йован", "unknown"), ("Лукич", "unknown")]),
        ("Милошевич Слободан", [("Милошевич", "unknown"), ("Слободан", "unknown")]),
        ("Дмитрий Шостакович", [("Дмитрий", "unknown"), ("Шостакович", "unknown")]),
        # A female patronymic is one anywhere after the first word.
        ("Мария Александровна", [("Мария", "unknown"), ("Александровна", "patronymic")]),
        (
            "Фёдорова Анна Кузьминична",
            [("Фёдорова", "surname"), ("Анна", "given"), ("Кузьминична", "patronymic")],
        ),
        # -ич after a stem that is no given name is no patronymic.
        ("Бабич Иван", [("Бабич", "surname"), ("Иван", "given")]),
    ],
)
def test_surnames_in_ich_are_not_patronymics(name: str, expected: list[tuple[str, str]]) -> None:
    assert roles(name) == expected


def test_a_surname_in_ich_stays_in_the_renderings_and_the_keys() -> None:
    assert russian_to_chinese("Петрович Иван Сергеевич") == "伊万·佩特罗维奇"
    assert rendered("Дмитрий Шостакович", "press") == "Dmitry Shostakovich"
    assert "·" in russian_to_chinese("Милошевич Слободан")
    assert rendered("Абрамович", "xinhua") == "阿布拉莫维奇"
    assert name_keys(parse_name("Абрамович"))


@pytest.mark.parametrize(
    ("name", "given_name", "surname", "press"),
    [
        ("Иванов Иван", "Иван", "Иванов", "Ivan Ivanov"),
        ("Иван Иванов", "Иван", "Иванов", "Ivan Ivanov"),
        ("Кожедуб Иван", "Иван", "Кожедуб", "Ivan Kozhedub"),
        ("Ильина Марина", "Марина", "Ильина", "Marina Ilyina"),
        ("Шевченко Тарас", "Тарас", "Шевченко", "Taras Shevchenko"),
    ],
)
def test_surname_first_names_are_rendered_given_name_first(
    name: str, given_name: str, surname: str, press: str
) -> None:
    assert russian_to_chinese(name) == f"{russian_to_chinese(given_name)}·{russian_to_chinese(surname)}"
    assert rendered(name, "press") == press


def test_ivanov_ivan_in_chinese() -> None:
    assert russian_to_chinese("Иванов Иван") == "伊万·伊万诺夫"


@pytest.mark.parametrize("name", ["Роман Марк", "Марк Роман", "Орлов Соколов", "Альфа Бета"])
def test_an_ambiguous_order_is_kept_as_written(name: str) -> None:
    assert [p.role for p in parse_name(name).parts] == ["unknown", "unknown"]
    assert rendered(name, "press") == romanize_russian(name, "press")


GIVEN = st.sampled_from(["Иван", "Анна", "Сергей", "Ольга", "Кузьма", "Марина", "Руслан", "Нина"])
SURNAME = st.sampled_from(["Иванов", "Петрова", "Соколовский", "Шевченко", "Черных", "Ковальчук", "Толстая"])


@given(GIVEN, SURNAME)
def test_given_name_and_surname_are_told_apart_in_either_order(given_name: str, surname: str) -> None:
    expected = {(given_name, "given"), (surname, "surname")}
    assert set(roles(f"{surname} {given_name}")) == expected
    assert set(roles(f"{given_name} {surname}")) == expected
    assert russian_to_chinese(f"{surname} {given_name}") == russian_to_chinese(f"{given_name} {surname}")

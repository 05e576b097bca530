"""What the words of a Russian name say about their roles: given names, surname endings and
patronymics.

>>> patronymic_form("Николаевна"), patronymic_form("Петрович"), patronymic_form("Кузьмич")
('female', 'male', 'derived')
>>> patronymic_form("Бабич") is None
True
>>> surname_first("Иванов", "Иван"), surname_first("Иван", "Иванов"), surname_first("Роман", "Марк")
(True, False, None)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from expertbridge.names.dictionary import hand_written_given_names

# A patronymic is longer than four letters (Ильич, Фомич); shorter words ending so are not one.
MIN_PATRONYMIC = 5
_FEMALE_PATRONYMIC = re.compile(r"(?:вна|ична)$")
# -ович/-евич and -ьич (Ильич): also the ending of surnames (Абрамович, Петрович, Шостакович).
_MALE_PATRONYMIC = re.compile(r"(?:вич|ьич)$")
# The patronymics of the given names in -а/-я: Кузьма Кузьмич, Фома Фомич, Лука Лукич, Никита
# Никитич.  Serbian and Belarusian surnames end so too (Лукич, Бабич): only the form derived from
# a known given name counts, and only where a patronymic stands (see expertbridge.names.parse).
_DERIVED_PATRONYMIC = re.compile(r"^(\w+)ич$")
# Surname endings of Russian, Ukrainian and Belarusian surnames, male and female.
_SURNAME_ENDING = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий|ской|цкой|ой|ых|их|енко|ук|юк|ова|ева|ёва|ина|ына|ская|цкая|ая)$"
)


@cache
def _given_names() -> frozenset[str]:
    text = resources.files("expertbridge.data").joinpath("names/ru_given_names.txt").read_text("utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    names = listed | hand_written_given_names()
    return frozenset(names | {name.replace("ё", "е") for name in names})


def is_given_name(word: str) -> bool:
    """Whether a Cyrillic word is a common Russian given name (Иван, Анна, Кузьма; ё or е)."""
    return word.lower() in _given_names()


@lru_cache(maxsize=65_536)
def patronymic_form(word: str) -> str | None:
    """Whether a Cyrillic word has the form of a patronymic: ``female`` (-овна, -ична: no surname
    ends so), ``male`` (-ович, -ьич: some surnames do), ``derived`` (-ич after a given name in
    -а/-я: Кузьмич), or None."""
    lower = word.lower()
    if len(lower) < MIN_PATRONYMIC:
        return None
    if _FEMALE_PATRONYMIC.search(lower):
        return "female"
    if _MALE_PATRONYMIC.search(lower):
        return "male"
    stem = _DERIVED_PATRONYMIC.match(lower)
    if stem and (is_given_name(stem.group(1) + "а") or is_given_name(stem.group(1) + "я")):
        return "derived"
    return None


def _kind(word: str) -> str:
    """``given`` for a known given name, ``surname`` for a word with a surname's ending, else ``""``."""
    if is_given_name(word):
        return "given"
    return "surname" if _SURNAME_ENDING.search(word.lower()) else ""


def surname_first(first: str, second: str) -> bool | None:
    """Whether a two-word Russian name is written surname first (True), given name first (False),
    or cannot be told (None).

    Clear when one word is a known given name and the other is not (Иванов Иван, Кожедуб Иван),
    or when one has a surname's ending and the other does not (Петров Азамат).  Two given names
    (Роман Марк), two surnames, or a word with a patronymic's form (Пётр Ильич, Дмитрий
    Шостакович) leave the order as written.
    """
    if patronymic_form(first) or patronymic_form(second):
        return None
    kinds = (_kind(first), _kind(second))
    if kinds in (("surname", "given"), ("", "given"), ("surname", "")):
        return True
    if kinds in (("given", "surname"), ("given", ""), ("", "surname")):
        return False
    return None

"""Chinese surnames with their readings, and Chinese names written in Palladius Cyrillic.

Russian writes a Chinese name by the Palladius system, surname first (张伟 Чжан Вэй, 王小明 Ван
Сяомин): such a name is Chinese, not Russian, and its Latin form is its pinyin.

>>> palladius_chinese_name(["Чжан", "Вэй"])
(('zhang',), ('wei',))
>>> palladius_chinese_name(["Ван", "Сяо", "Мин"])
(('wang',), ('xiao', 'ming'))
>>> palladius_chinese_name(["Иванов", "Иван"]), palladius_chinese_name(["Ли", "Анна"])
(None, None)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources

from pypinyin import lazy_pinyin

from expertbridge.names.pinyin import palladius, segment_palladius, segment_pinyin
from expertbridge.names.russian import is_given_name

COMPOUND_SURNAMES = frozenset(
    (
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "司徒", "慕容", "尉迟", "夏侯",
        "令狐", "公孙", "长孙", "宇文", "轩辕", "端木", "西门", "南宫", "独孤", "澹台",
    )
)  # fmt: skip
# A Chinese given name is one or two syllables.
MAX_GIVEN_SYLLABLES = 2
# A surname and a given name, the given name written whole or syllable by syllable (Ван Сяо Мин).
MAX_WORDS = 1 + MAX_GIVEN_SYLLABLES


@cache
def surname_readings() -> dict[str, str]:
    """Chinese surnames with the reading they take as a surname (单 Shan, 曾 Zeng, 解 Xie …)."""
    text = resources.files("expertbridge.data").joinpath("demo/names_zh.json").read_text("utf-8")
    readings = {entry["zh"]: entry["pinyin"].lower() for entry in json.loads(text)["surnames"]}
    for surname in COMPOUND_SURNAMES:
        readings.setdefault(surname, "".join(lazy_pinyin(surname)))
    return readings


@cache
def _palladius_surnames() -> dict[str, tuple[str, ...]]:
    """The Palladius spelling of every known surname (lower case) → its pinyin syllables."""
    found: dict[str, tuple[str, ...]] = {}
    for reading in sorted(set(surname_readings().values())):
        # The table writes ü as yu after l and n (Lyu 吕); pinyin's syllables write it v.
        syllables = segment_pinyin(reading) or segment_pinyin(reading.replace("yu", "v"))
        if syllables:
            found.setdefault("".join(palladius(s) for s in syllables), syllables)
    return found


@lru_cache(maxsize=65_536)
def _surname_syllables(word: str) -> tuple[str, ...] | None:
    return _palladius_surnames().get(word.lower())


def palladius_chinese_name(words: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The pinyin syllables of the surname and of the given name of a Chinese name written in
    Palladius Cyrillic, surname first, or None when the words are not such a name.

    The first word must be a known Chinese surname in Palladius spelling and the rest one or two
    Palladius syllables.  A Russian given name that happens to spell two syllables (Анна, Лина,
    Нина) keeps the name Russian: a Korean-Russian Ли Анна is more likely than a Chinese Angna.
    One syllable (Ван Ян) is a whole Chinese given name far more often than Ян after a Chinese
    surname.
    """
    if not 2 <= len(words) <= MAX_WORDS:
        return None
    surname = _surname_syllables(words[0])
    if surname is None:
        return None
    given: list[str] = []
    for word in words[1:]:
        syllables = segment_palladius(word)
        if not syllables:
            return None
        given.extend(syllables)
    if not 1 <= len(given) <= MAX_GIVEN_SYLLABLES:
        return None
    if len(words) == 2 and len(given) > 1 and is_given_name(words[1]):
        return None
    return surname, tuple(given)

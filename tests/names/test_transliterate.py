"""Renderings across scripts, and the round trips that must hold."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from expertbridge.names.parse import parse_name
from expertbridge.names.pinyin import palladius, palladius_name, segment_palladius, segment_pinyin, syllables
from expertbridge.names.score import compare
from expertbridge.names.transliterate import (
    RUSSIAN_SCHEMES,
    gost_to_cyrillic,
    latin_to_cyrillic,
    palladius_of,
    pinyin_name,
    renderings,
    romanize_russian,
    russian_to_chinese,
)

PALLADIUS_SYLLABLES = sorted(s for s in syllables() if palladius(s))
# Russian spelling never puts ъ or ь after a vowel, after another sign or first; GOST 7.79 B
# relies on that (``` and y``` would be ambiguous).
RUSSIAN_WORD = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=1, max_size=12).filter(
    lambda word: not re.search("(^|[аеёиоуыэюяйъь])[ъь]", word)
)


def test_known_renderings() -> None:
    assert pinyin_name("许心超") == "Xu Xinchao"
    assert palladius_of("许心超") == "Сюй Синьчао"
    assert pinyin_name("单雷") == "Shan Lei"  # surname reading
    assert russian_to_chinese("Сергей Черёмин") == "谢尔盖·切廖明"
    assert romanize_russian("Сергей", "passport") == "Sergei"
    assert romanize_russian("Сергей", "press") == "Sergey"
    assert latin_to_cyrillic("Cheryomin") == "Черёмин"
    assert {r.scheme for r in renderings("Черёмин Сергей Петрович")} == {"press", "xinhua"}
    assert {r.scheme for r in renderings("许心超")} == {"pinyin", "palladius"}


@given(RUSSIAN_WORD)
def test_gost_7_79_b_round_trip(word: str) -> None:
    assert gost_to_cyrillic(romanize_russian(word, "gost_7_79_b")) == word
    if word[0] not in "ъь":  # signs have no capital in Latin; no name starts with one
        assert gost_to_cyrillic(romanize_russian(word.capitalize(), "gost_7_79_b")) == word.capitalize()


@settings(max_examples=200)
@given(st.lists(st.sampled_from(PALLADIUS_SYLLABLES), min_size=1, max_size=3))
def test_pinyin_palladius_round_trip(pinyin: list[str]) -> None:
    spelled = palladius_name(pinyin)
    back = segment_palladius(spelled)
    assert back is not None
    assert palladius_name(list(back)) == spelled
    assert segment_pinyin("".join(pinyin)) is not None


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["Черёмин Сергей", "Иванова Анна", "Чайковский Пётр", "Кожедуб Иван", "Семин Алексей"]),
    st.sampled_from(sorted(RUSSIAN_SCHEMES)),
)
def test_every_romanization_still_matches_the_original(name: str, scheme: str) -> None:
    latin = romanize_russian(name, scheme)
    assert compare(parse_name(latin), parse_name(name)).score >= 0.75, latin
    if scheme in ("press", "passport", "bgn_pcgn"):
        # back-transliteration reads the everyday spellings; GOST 7.79 B has its exact inverse
        assert compare(parse_name(latin_to_cyrillic(latin)), parse_name(name)).score >= 0.8, latin


@given(st.text(max_size=100))
def test_renderings_accept_any_text(text: str) -> None:
    for rendering in renderings(text):
        assert rendering.text.strip()

"""Chinese names written in Palladius Cyrillic (Чжан Вэй) or with a space after the surname (王 小明)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from expertbridge.names.chinese import palladius_chinese_name, surname_readings
from expertbridge.names.parse import parse_name
from expertbridge.names.pinyin import palladius, palladius_name, segment_palladius, segment_pinyin, syllables
from expertbridge.names.russian import is_given_name
from expertbridge.names.transliterate import (
    Rendering,
    palladius_of,
    palladius_to_pinyin,
    pinyin_name,
    renderings,
    russian_to_chinese,
)
from expertbridge.registry.visibility import OPERATOR
from expertbridge.search.document import name_entry
from expertbridge.search.index import ExpertIndex
from expertbridge.search.names import find_by_name

PALLADIUS_CHINESE = [
    ("Чжан Вэй", "Zhang Wei"),
    ("Ван Сяомин", "Wang Xiaoming"),
    ("Сюй Синьчао", "Xu Xinchao"),
    ("Ван Сяо Мин", "Wang Xiaoming"),  # the given name syllable by syllable
    ("Оуян Минъюй", "Ouyang Mingyu"),  # compound surname; ъ ends a syllable (ming-yu, not mi-nü)
    ("Ло Ган", "Luo Gang"),  # ло is luo (罗, two hundred characters), not lo (咯)
    ("Чжан Цзяньань", "Zhang Jian'an"),  # pinyin's apostrophe: jian-an, not jia-nan
    ("У Вэй", "Wu Wei"),  # a one-letter surname, not an initial
]


@pytest.mark.parametrize(("cyrillic", "pinyin"), PALLADIUS_CHINESE)
def test_a_chinese_name_in_palladius_is_rendered_in_pinyin_and_not_in_characters(
    cyrillic: str, pinyin: str
) -> None:
    assert renderings(cyrillic) == [Rendering(pinyin, "Latn", "en", "pinyin")]
    # Characters would be a guess among homophones (张 or 章, 伟 or 维): none are generated.
    assert russian_to_chinese(cyrillic) == ""
    roles = [part.role for part in parse_name(cyrillic).parts]
    assert roles[0] == "surname" and set(roles[1:]) == {"given"}


@pytest.mark.parametrize(
    "name",
    [
        "Иванов Иван",
        "Иван Иванов",
        "Ли Анна",  # a Korean-Russian surname and a Russian given name of two Palladius syllables
        "Ли Лина",
        "Ян Нина",
        "Ма Инна",
        "Лина Ли",  # the surname last: Russian order
        "Ли Сергей Иванович",
        "У. Вэй",  # an initial, not the surname У
        "Сергей Черёмин",
    ],
)
def test_russian_names_are_not_taken_for_chinese(name: str) -> None:
    assert palladius_to_pinyin(name) == ""
    assert {r.scheme for r in renderings(name)} == {"press", "xinhua"}


def test_a_name_in_palladius_is_found_from_characters_and_pinyin(tmp_path: Path) -> None:
    names = ["Чжан Вэй", "Ван Сяомин", "Чжан Вэйго", "Ван Вэй", "Иванов Иван", "Сюй Синьчао"]
    index = ExpertIndex(tmp_path / "index")
    index.write(
        [
            name_entry(number, "approved", [(name, False), *((r.text, True) for r in renderings(name))])
            for number, name in enumerate(names)
        ],
        removed=[],
    )
    for query, expected in [
        ("张伟", "Чжан Вэй"),
        ("Zhang Wei", "Чжан Вэй"),
        ("王小明", "Ван Сяомин"),
        ("王 小明", "Ван Сяомин"),
        ("Wang Xiaoming", "Ван Сяомин"),
        ("许心超", "Сюй Синьчао"),
    ]:
        hits = find_by_name(index, query, OPERATOR, top=3)
        assert hits and names[hits[0].expert_id] == expected, query


@pytest.mark.parametrize("spaced", ["王 小明", "王\u3000小明", "王  小明"])
def test_a_space_after_the_surname_is_the_surname_boundary(spaced: str) -> None:
    assert [(p.text, p.role) for p in parse_name(spaced).parts] == [("王", "surname"), ("小明", "given")]
    assert [r.text for r in renderings(spaced)] == ["Wang Xiaoming", "Ван Сяомин"]
    assert [r.text for r in renderings(spaced)] == [r.text for r in renderings("王小明")]


def test_a_compound_surname_with_a_space() -> None:
    assert [r.text for r in renderings("欧阳 明宇")] == ["Ouyang Mingyu", "Оуян Минъюй"]


@pytest.mark.parametrize(
    ("chinese", "cyrillic", "given_syllables"),
    [("欧阳明宇", "Оуян Минъюй", ("ming", "yu")), ("王平安", "Ван Пинъань", ("ping", "an"))],
)
def test_palladius_separates_a_syllable_in_ng_from_a_vowel(
    chinese: str, cyrillic: str, given_syllables: tuple[str, ...]
) -> None:
    # Минюй would read mi-nü, Пинань pi-nan.
    assert palladius_of(chinese) == cyrillic
    assert segment_palladius(cyrillic.split()[1]) == given_syllables


def test_the_surname_lyu_in_every_script() -> None:
    # 吕 reads lü; its Palladius form was empty, and pinyin wrote it Lv.
    assert palladius_of("吕星媛") == "Люй Синъюань"
    assert pinyin_name("吕星媛") == "Lyu Xingyuan"
    assert [r.text for r in renderings("Люй Бувэй")] == ["Lyu Buwei"]


def test_pinyin_writes_the_apostrophe_between_syllables() -> None:
    assert pinyin_name("王建安") == "Wang Jian'an"
    assert pinyin_name("许心超") == "Xu Xinchao"


SURNAMES = sorted(
    {
        (syllable,)
        for syllable in surname_readings().values()
        if segment_pinyin(syllable) == (syllable,) and palladius(syllable)
    }
)
GIVEN_SYLLABLES = sorted(s for s in syllables() if palladius(s))


@given(st.sampled_from(SURNAMES), st.lists(st.sampled_from(GIVEN_SYLLABLES), min_size=1, max_size=2))
def test_any_surname_and_given_name_in_palladius_read_as_chinese(
    surname: tuple[str, ...], given: list[str]
) -> None:
    written = [palladius_name(list(surname)), palladius_name(given)]
    assume(not is_given_name(written[1]) or len(segment_palladius(written[1]) or ()) < 2)
    # Fewest syllables first: the given name may read as fewer syllables than it was made of.
    assume(len(segment_palladius(written[1]) or ()) == len(given))
    reading = palladius_chinese_name(written)
    assert reading is not None
    assert palladius_name(list(reading[0])) == written[0]
    assert palladius_name(list(reading[1])) == written[1]
    [latin] = renderings(" ".join(written))
    assert latin.scheme == "pinyin"

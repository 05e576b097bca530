"""Sounds (pinyin with vowels), the keys they give, and the readings that rescue hard renderings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from expertbridge.names.keys import query_keys, stored_keys
from expertbridge.names.parse import foreign_reading, parse_name
from expertbridge.names.score import compare, match_score
from expertbridge.names.sound import cyrillic_sounds, fold_syllable, sound_similarity
from expertbridge.names.xinhua import xinhua_word


def score(asked: str, stored: str) -> float:
    return compare(parse_name(asked), parse_name(stored)).score


def test_vowels_tell_apart_what_skeletons_cannot() -> None:
    # Соколов and Соколова are both S-G-L-V; the sound of 索科洛娃 ends in -wa.
    assert score("索科洛娃", "Соколова Любовь") > score("索科洛娃", "Соколов Вадим")
    assert score("安德烈·格列奇科", "Гречко Андрей") > score("安德烈·格列奇科", "Краско Андрей")


def test_folding_keeps_what_renderings_agree_on() -> None:
    assert fold_syllable("luo") == fold_syllable("lo") == "Lo"
    assert fold_syllable("ke") == fold_syllable("ge")
    assert fold_syllable("ting") == "Din"
    assert fold_syllable("xi") == fold_syllable("si")


def test_cyrillic_sounds_include_conventional_and_western_renderings() -> None:
    sounds = {sound.partition("|")[0] for sound in cyrillic_sounds("Денисов")}
    assert {"jienisuofu", "denisuofu"} <= sounds  # 杰尼索夫 by the table, 德尼索夫 as English has it
    assert "yuehan" in {sound.partition("|")[0] for sound in cyrillic_sounds("Иван")}  # John 约翰


def test_xinhua_iotation_and_merged_consonants() -> None:
    assert xinhua_word("Васильев") == "瓦西利耶夫"
    assert xinhua_word("Андреев").endswith("耶夫")
    assert xinhua_word("Высотская") == "维索茨卡亚"
    assert xinhua_word("Ильин") == "伊林"


def test_sound_similarity_names_the_sounds_that_met() -> None:
    left = parse_name("索科洛娃").parts[0].sounds
    right = parse_name("Соколова").parts[0].sounds
    similarity, asked, found = sound_similarity(left, right)
    assert similarity == 1.0 and asked == found == "suokeluowa"


def test_renderings_that_drop_a_consonant_share_keys() -> None:
    # Chinese often leaves out an r before a consonant: Карпин 卡宾.
    assert query_keys(parse_name("卡宾")) & stored_keys(parse_name("Карпин Валерий"))
    # A syllable pair is a key of its own: a short Chinese name in Palladius finds its characters.
    assert query_keys(parse_name("Коу Лей")) & stored_keys(parse_name("寇磊")) & {"s:Go_Le"}


def test_western_counterparts_of_given_names() -> None:
    assert score("约翰·德米扬鲁克", "Иван Николаевич Демьянюк") > 0.85
    assert score("保罗·彼得罗夫", "Павел Петров") > score("保罗·彼得罗夫", "Пётр Петров")


def test_double_surnames_match_by_either_half() -> None:
    assert score("安娜·彼得罗娃", "Петрова-Водкина Анна Сергеевна") > 0.85
    assert score("Усманова Ирина", "Винер-Усманова Ирина") > 0.9


def test_notes_in_brackets_are_not_part_of_a_name() -> None:
    assert [p.text for p in parse_name("谢尔盖·希洛金 (赛车手)").parts] == ["谢尔盖", "希洛金"]
    assert [p.text for p in parse_name("(Иванов)").parts] == ["Иванов"]


def test_a_short_chinese_name_may_be_a_foreign_one() -> None:
    reading = foreign_reading(parse_name("杜连"))
    assert reading is not None and reading[0].text == "杜连"
    assert score("杜连", "Турлин Дмитрий") > score("杜连", "Дудин Дмитрий") - 0.2
    # … but not when the other name reads as Chinese too.
    assert score("Du Lian", "杜连") == 1.0


def test_patronymics_written_in_characters() -> None:
    roles = [(p.text, p.role) for p in parse_name("玛丽亚·亚历山德罗芙娜").parts]
    assert roles == [("玛丽亚", "given"), ("亚历山德罗芙娜", "patronymic")]
    roles = [(p.text, p.role) for p in parse_name("里兹柯夫·瑟吉·瑟吉欧维奇").parts]
    assert roles[0] == ("里兹柯夫", "surname")


def test_score_without_explanation_is_the_same_score() -> None:
    pairs = [
        ("谢尔盖·切廖明", "Черёмин Сергей Петрович"),
        ("索科洛娃", "Соколов Вадим"),
        ("许心超", "Xu Xinchao"),
    ]
    for asked, stored in pairs:
        assert match_score(parse_name(asked), parse_name(stored)) == score(asked, stored)


@given(st.text(max_size=60), st.text(max_size=60))
def test_scores_are_bounded_and_explained(left: str, right: str) -> None:
    match = compare(parse_name(left), parse_name(right))
    assert 0.0 <= match.score <= 1.0
    assert match.explanation

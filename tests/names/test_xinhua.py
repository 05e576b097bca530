"""Russian → Chinese by the Xinhua table: the ё, ю and я cells after consonants."""

from __future__ import annotations

import pytest

from expertbridge.names.transliterate import russian_to_chinese
from expertbridge.names.xinhua import xinhua_word


@pytest.mark.parametrize(
    ("russian", "chinese"),
    [
        ("Семёнов", "谢苗诺夫"),  # мё 苗
        ("Алёшин", "阿廖申"),  # лё 廖
        ("Королёв", "科罗廖夫"),
        ("Огнёв", "奥格尼奥夫"),  # нё 尼奥
        ("Сёмин", "肖明"),  # сё 肖
        ("Зёрнов", "焦尔诺夫"),  # зё 焦
        ("Чернышёв", "切尔内绍夫"),  # шё 绍
        ("Дёмин", "焦明"),
        ("Артём", "阿尔乔姆"),
    ],
)
def test_yo_after_a_consonant_takes_the_tables_cell(russian: str, chinese: str) -> None:
    assert xinhua_word(russian) == chinese


def test_the_conventional_form_of_a_name_with_yo() -> None:
    assert russian_to_chinese("Семёнов Иван Петрович") == "伊万·谢苗诺夫"
    assert russian_to_chinese("Семёнова Анна") == "安娜·谢苗诺瓦"

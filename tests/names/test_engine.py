"""The names engine: parsing, skeletons, scoring and lookup across scripts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from expertbridge.names.keys import name_keys
from expertbridge.names.parse import parse_name
from expertbridge.names.score import compare
from expertbridge.registry.visibility import OPERATOR
from expertbridge.search.document import name_entry as entry
from expertbridge.search.index import ExpertIndex
from expertbridge.search.names import NameMatch, find_by_name

SAME_PERSON = [
    ("Сергей Черёмин", "Sergei Cheremin"),
    ("Сергей Черёмин", "Sergey Cheryomin"),
    ("Сергей Черёмин", "谢尔盖·切廖明"),
    ("许心超", "Xu Xinchao"),
    ("许心超", "Xinchao Xu"),
    ("许心超", "Сюй Синьчао"),
    ("許心超", "许心超"),
    ("Семин Алексей Алексеевич", "Alexey Semin"),
    ("Семин Алексей Алексеевич", "А. А. Семин"),
    ("Семин Алексей Алексеевич", "Семин, Алексей"),
    ("Чайковский Пётр Ильич", "Pyotr Tchaikovsky"),
    ("Филиппов, Дмитрий Николаевич", "迪米特里菲利波夫"),
    ("张伟", "Chang Wei"),
    ("欧阳明宇", "Ouyang Mingyu"),
]


@pytest.mark.parametrize(("stored", "asked"), SAME_PERSON)
def test_renderings_of_one_person_score_high(stored: str, asked: str) -> None:
    match = compare(parse_name(asked), parse_name(stored))
    assert match.score >= 0.85, match.explanation
    assert match.explanation


@pytest.mark.parametrize(
    ("left", "right"),
    [("Сергей Черёмин", "Иван Петров"), ("许心超", "王芳"), ("Sergei Cheremin", "Anna Volkova")],
)
def test_different_people_score_low(left: str, right: str) -> None:
    assert compare(parse_name(left), parse_name(right)).score < 0.6


def test_parsing_orders_and_roles() -> None:
    roles = lambda text: [(p.text, p.role) for p in parse_name(text).parts]  # noqa: E731
    assert roles("Иван Никитович Кожедуб") == [
        ("Иван", "given"),
        ("Никитович", "patronymic"),
        ("Кожедуб", "surname"),
    ]
    assert roles("Семин Алексей Алексеевич") == [
        ("Семин", "surname"),
        ("Алексей", "given"),
        ("Алексеевич", "patronymic"),
    ]
    assert roles("欧阳明宇") == [("欧阳", "surname"), ("明宇", "given")]
    assert roles("单雷")[0] == ("单", "surname")
    assert roles("А.А. Семин")[:2] == [("А", "initial"), ("А", "initial")]


def test_surname_readings_are_used() -> None:
    assert compare(parse_name("单雷"), parse_name("Shan Lei")).score >= 0.9
    assert compare(parse_name("曾华"), parse_name("Zeng Hua")).score >= 0.9


def test_index_finds_across_scripts_and_explains(tmp_path: Path) -> None:
    index = ExpertIndex(tmp_path / "index")
    names = [(1, "Черёмин Сергей Петрович"), (2, "许心超"), (3, "Иванова Анна"), (4, "王芳")]
    index.write([entry(identifier, "approved", [(name, False)]) for identifier, name in names], removed=[])

    def lookup(name: str) -> list[NameMatch]:
        return find_by_name(index, name, OPERATOR)

    assert lookup("谢尔盖·切廖明")[0].expert_id == 1
    assert lookup("Xu Xinchao")[0].expert_id == 2
    assert lookup("Сюй Синьчао")[0].expert_id == 2
    hit = lookup("Anna Ivanova")[0]
    assert hit.expert_id == 3 and "Иванова" in hit.explanation


def test_keys_are_shared_by_renderings() -> None:
    assert name_keys(parse_name("谢尔盖·切廖明")) & name_keys(parse_name("Сергей Черёмин"))
    assert name_keys(parse_name("Xu Xinchao")) & name_keys(parse_name("许心超"))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_accepted(text: str) -> None:
    parsed = parse_name(text)
    name_keys(parsed)
    assert 0.0 <= compare(parsed, parse_name("Сергей Черёмин")).score <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Чайковский 许心超 Sergei·" * 500,
        "许" * 10_000,
        "·".join(["谢尔盖"] * 2500),
        "-".join(["Винер"] * 1700),
        "(" * 5000 + "Иванов" + ")" * 5000,
        "Ааааа Бббб, " * 900,
    ],
)
def test_a_very_long_input_returns_quickly(text: str) -> None:
    # The tables (dictionary, pinyin, Palladius) load on first use; time the input, not the loading.
    compare(parse_name("许心超 Sergei"), parse_name("Чайковский Пётр"))
    timings = []
    # Three variants, the quickest counts: a shared machine may stall any one of them.
    for variant in (text, f"{text} Ан", f"{text} Бо"):
        started = time.perf_counter()
        parsed = parse_name(variant)
        name_keys(parsed)
        compare(parsed, parse_name("Чайковский Пётр"))
        compare(parse_name("Чайковский Пётр"), parsed)
        timings.append(time.perf_counter() - started)
    # The issue asks for 50 ms; it takes about 1 ms here.
    assert min(timings) < 0.05

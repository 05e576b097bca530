"""Conventional Russian ↔ Chinese renderings of name tokens (александр ↔ 亚历山大).

Built by tools/build_ru_zh_tokens.py from Wikidata name tokens (CC0); read once.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import resources


@cache
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    text = resources.files("expertbridge.data").joinpath("names/ru_zh_tokens.tsv").read_text("utf-8")
    to_chinese: dict[str, set[str]] = defaultdict(set)
    to_russian: dict[str, set[str]] = defaultdict(set)
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        russian, chinese, _count = line.split("\t")
        to_chinese[russian].add(chinese)
        to_russian[chinese].add(russian)
    return (
        {key: frozenset(value) for key, value in to_chinese.items()},
        {key: frozenset(value) for key, value in to_russian.items()},
    )


def chinese_forms(russian: str) -> frozenset[str]:
    """Chinese renderings of a Russian name token (lower case, ё as е or ё)."""
    table = _tables()[0]
    word = russian.lower()
    return table.get(word, frozenset()) | table.get(word.replace("ё", "е"), frozenset())


def russian_forms(chinese: str) -> frozenset[str]:
    """Russian forms a Chinese rendering stands for."""
    return _tables()[1].get(chinese, frozenset())

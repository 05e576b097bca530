"""Conventional Russian ↔ Chinese renderings of name tokens (александр ↔ 亚历山大).

Three tables, read once: ru_zh_tokens.tsv, built by tools/build_ru_zh_tokens.py from Wikidata name
tokens (CC0); ru_zh_given_names.tsv, the usual and common forms of Russian given names
(ольга ↔ 奥尔加, 奥莉加, 欧嘉), written by hand; and ru_zh_given_counterparts.tsv, the Chinese forms
of their Western counterparts (иван ↔ John 约翰, павел ↔ Paul 保罗), also written by hand.
Counterparts are other names, not renderings: they never become the usual form.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache
from importlib import resources

GIVEN_NAME_WEIGHT = 100_000


@cache
def _tables() -> tuple[dict[str, dict[str, int]], dict[str, frozenset[str]]]:
    text = resources.files("expertbridge.data").joinpath("names/ru_zh_tokens.tsv").read_text("utf-8")
    to_chinese: dict[str, dict[str, int]] = defaultdict(dict)
    to_russian: dict[str, set[str]] = defaultdict(set)
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        russian, chinese, count = line.split("\t")
        to_chinese[russian][chinese] = int(count)
        to_russian[chinese].add(russian)
    # The hand-written table of given names outranks what the token data saw.
    given = resources.files("expertbridge.data").joinpath("names/ru_zh_given_names.tsv").read_text("utf-8")
    for line in given.splitlines():
        if not line or line.startswith("#"):
            continue
        russian, *forms = line.split("\t")
        for rank, chinese in enumerate(forms):
            for key in {russian, russian.replace("ё", "е")}:
                to_chinese[key][chinese] = GIVEN_NAME_WEIGHT - rank
            to_russian[chinese].add(russian)
    return dict(to_chinese), {key: frozenset(value) for key, value in to_russian.items()}


@cache
def _counterparts() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    path = "names/ru_zh_given_counterparts.tsv"
    text = resources.files("expertbridge.data").joinpath(path).read_text("utf-8")
    to_chinese: dict[str, tuple[str, ...]] = {}
    to_russian: dict[str, set[str]] = defaultdict(set)
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        russian, _western, *forms = line.split("\t")
        for key in {russian, russian.replace("ё", "е")}:
            to_chinese[key] = tuple(forms)
        for chinese in forms:
            to_russian[chinese].add(russian)
    return to_chinese, {key: frozenset(value) for key, value in to_russian.items()}


def counterpart_forms(russian: str) -> tuple[str, ...]:
    """Chinese forms of the Western counterparts of a Russian given name (иван → 约翰, 扬)."""
    return _counterparts()[0].get(russian.lower(), ())


@lru_cache(maxsize=50_000)
def _counts(russian: str) -> dict[str, int]:
    table = _tables()[0]
    word = russian.lower()
    return {**table.get(word.replace("ё", "е"), {}), **table.get(word, {})}


def chinese_forms(russian: str) -> frozenset[str]:
    """Chinese renderings of a Russian name token (lower case, ё as е or ё)."""
    return frozenset(_counts(russian))


def ranked_chinese_forms(russian: str) -> tuple[str, ...]:
    """Chinese renderings of a Russian name token, the most often seen first."""
    counts = _counts(russian)
    return tuple(sorted(counts, key=lambda form: (-counts[form], form)))


def usual_chinese_form(russian: str) -> str | None:
    """The most often seen Chinese rendering of a Russian name token, if any is known."""
    counts = _counts(russian)
    return max(sorted(counts), key=lambda form: counts[form]) if counts else None


def russian_forms(chinese: str) -> frozenset[str]:
    """Russian forms a Chinese rendering stands for, and Russian names it is a counterpart of."""
    return _tables()[1].get(chinese, frozenset()) | _counterparts()[1].get(chinese, frozenset())


@cache
def hand_written_given_names() -> frozenset[str]:
    """The Russian given names of the hand-written tables (lower case, as written there)."""
    names: set[str] = set()
    for path in ("names/ru_zh_given_names.tsv", "names/ru_zh_given_counterparts.tsv"):
        text = resources.files("expertbridge.data").joinpath(path).read_text("utf-8")
        names.update(line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(names)

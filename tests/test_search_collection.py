"""Integrity of the hand-judged cross-language search test collection (tests/data/search_collection)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

from expertbridge.registry.taxonomy import load_taxonomy

COLLECTION = Path(__file__).parent / "data" / "search_collection"
HEADER = (
    "id,name_ru,name_zh,name_en,organization,city,country,sectors,expertise,languages,bio_ru,bio_zh,bio_en"
)
LANGUAGES = ("ru", "zh", "en")
ACRONYM = re.compile(r"[A-Z0-9]{2,6}")  # acronym-only queries, such as CCUS typed by a Beijing user
SCRIPT = {
    "ru": re.compile(r"[А-Яа-яЁё]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "en": re.compile(r"[A-Za-z]"),
}


@cache
def experts() -> dict[str, dict[str, str]]:
    with (COLLECTION / "experts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    return {row["id"]: row for row in rows}


@cache
def topics() -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for line in (COLLECTION / "topics.jsonl").read_text(encoding="utf-8").splitlines():
        topic = json.loads(line)
        assert topic["id"] not in result, topic["id"]
        result[topic["id"]] = topic["texts"]
    return result


@cache
def qrels() -> dict[str, dict[str, int]]:
    lines = (COLLECTION / "qrels.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "topic_id\texpert_id\tgrade"
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for line in lines[1:]:
        topic_id, expert_id, grade = line.split("\t")
        assert expert_id not in result[topic_id], (topic_id, expert_id)
        result[topic_id][expert_id] = int(grade)
    return dict(result)


def profile_language(row: dict[str, str]) -> str:
    return next(language for language in LANGUAGES if row[f"bio_{language}"].strip())


def test_csv_header_is_the_import_format() -> None:
    with (COLLECTION / "experts.csv").open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\r\n") == HEADER


def test_each_expert_writes_one_profile_in_one_language() -> None:
    assert len(experts()) >= 200
    for expert_id, row in experts().items():
        bios = [language for language in LANGUAGES if row[f"bio_{language}"].strip()]
        assert len(bios) == 1, (expert_id, bios)
        language = bios[0]
        keywords = [item.strip() for item in row["expertise"].split(";") if item.strip()]
        assert 2 <= len(keywords) <= 5, (expert_id, keywords)
        # keywords may include acronyms (CBTC, BIM, POCT), but the profile is written in its language
        for text in (row[f"bio_{language}"], row["expertise"]):
            assert SCRIPT[language].search(text), (expert_id, text)
        if language == "en":
            english = row["bio_en"] + row["expertise"]
            assert not SCRIPT["ru"].search(english) and not SCRIPT["zh"].search(english), expert_id


def test_experts_are_in_moscow_or_beijing_with_a_native_name() -> None:
    for expert_id, row in experts().items():
        assert (row["city"], row["country"]) in {("Moscow", "RU"), ("Beijing", "CN")}, expert_id
        native = "name_ru" if row["country"] == "RU" else "name_zh"
        assert SCRIPT[native[-2:]].search(row[native]), expert_id
        assert row["organization"].strip(), expert_id
        assert row["languages"].strip(), expert_id
    languages = Counter(profile_language(row) for row in experts().values())
    assert min(languages.values()) >= len(experts()) // 4, languages


def test_sector_codes_exist_in_the_taxonomy() -> None:
    nodes = load_taxonomy().nodes
    for expert_id, row in experts().items():
        for code in filter(None, (item.strip() for item in row["sectors"].split(";"))):
            assert code in nodes, (expert_id, code)


def test_topics_have_three_texts() -> None:
    assert len(topics()) >= 72
    for topic_id, texts in topics().items():
        assert set(texts) == set(LANGUAGES), topic_id
        for language in LANGUAGES:
            assert texts[language].strip(), (topic_id, language)
            text = texts[language].strip()
            assert SCRIPT[language].search(text) or ACRONYM.fullmatch(text), (topic_id, language)


def test_qrels_reference_known_topics_and_experts() -> None:
    assert set(qrels()) <= set(topics())
    for topic_id, judged in qrels().items():
        for expert_id, grade in judged.items():
            assert expert_id in experts(), (topic_id, expert_id)
            assert grade in {1, 2}, (topic_id, expert_id, grade)


def test_every_topic_has_relevant_experts_across_languages() -> None:
    for topic_id in topics():
        judged = qrels().get(topic_id, {})
        assert 3 <= len(judged) <= 8, (topic_id, len(judged))
        best = {profile_language(experts()[e]) for e, grade in judged.items() if grade == 2}
        assert len(best) >= 2, (topic_id, best)
        # whatever the query language, some relevant expert wrote in another language
        written = {profile_language(experts()[e]) for e in judged}
        for language in LANGUAGES:
            assert written - {language}, (topic_id, language)

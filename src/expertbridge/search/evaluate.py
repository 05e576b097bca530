"""Measuring search quality on a judged collection: nDCG@k and recall@k per language pair.

A collection is a set of topics (the same need written in Russian, Chinese and English), expert
profiles each written in one language, and graded judgements (2 = the right expert, 1 = worth
contacting).  Ranking a topic's text in language A and keeping only the experts whose profile is in
language B measures how well A finds B: the cross-language pairs are what the product is for.
Operators can run the same measurement on a collection of their own (see bench/search_quality.py).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("ru", "zh", "en")


@dataclass(frozen=True)
class PairScore:
    """Mean quality of topics written in ``query_language`` over profiles in ``profile_language``."""

    query_language: str
    profile_language: str
    ndcg: float
    recall: float
    topics: int


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """Normalised discounted cumulative gain of the first ``k`` of ``ranked`` (gain 2^grade − 1)."""
    gains: list[float] = [2.0 ** grades.get(item, 0) - 1 for item in ranked[:k]]
    ideal: list[float] = sorted((2.0**grade - 1 for grade in grades.values()), reverse=True)[:k]
    best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    if best == 0:
        return 0.0
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains)) / best


def recall_at(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """The share of the relevant items found in the first ``k``."""
    relevant = [item for item, grade in grades.items() if grade > 0]
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def evaluate(
    rank: Callable[[str], list[str]],
    topics: Mapping[str, Mapping[str, str]],
    judgements: Mapping[str, Mapping[str, int]],
    profile_language: Mapping[str, str],
    *,
    k: int = 10,
) -> list[PairScore]:
    """Scores per (query language, profile language) pair.

    ``rank(text)`` returns expert ids best first (enough of them to fill ``k`` per language);
    ``topics[topic][language]`` is the topic's text; ``judgements[topic][expert]`` the grade.
    Topics without a relevant expert in a profile language do not count for that language.
    """
    sums: dict[tuple[str, str], list[float]] = {}
    for topic, texts in topics.items():
        grades = judgements.get(topic, {})
        for query_language, text in texts.items():
            ranked = rank(text)
            for target in LANGUAGES:
                wanted = {e: g for e, g in grades.items() if profile_language.get(e) == target}
                if not wanted:
                    continue
                in_target = [e for e in ranked if profile_language.get(e) == target]
                scores = sums.setdefault((query_language, target), [0.0, 0.0, 0.0])
                scores[0] += ndcg_at(in_target, wanted, k)
                scores[1] += recall_at(in_target, wanted, k)
                scores[2] += 1
    return [
        PairScore(query, target, values[0] / values[2], values[1] / values[2], int(values[2]))
        for (query, target), values in sorted(
            sums.items(), key=lambda item: (LANGUAGES.index(item[0][0]), LANGUAGES.index(item[0][1]))
        )
    ]


def evaluate_pooled(
    rank: Callable[[str], list[str]],
    topics: Mapping[str, Mapping[str, str]],
    judgements: Mapping[str, Mapping[str, int]],
    *,
    k: int = 10,
) -> list[PairScore]:
    """Scores per query language over every profile at once (profile language "any").

    The per-pair scores of :func:`evaluate` compare profiles of one language with each other, so
    they cannot see a ranking that puts profiles in the query's own language first whatever they
    say; this one can: an irrelevant profile in the query's language ranked above a relevant one
    in another language costs here.
    """
    sums: dict[str, list[float]] = {}
    for topic, texts in topics.items():
        grades = judgements.get(topic, {})
        if not grades:
            continue
        for query_language, text in texts.items():
            ranked = rank(text)
            scores = sums.setdefault(query_language, [0.0, 0.0, 0.0])
            scores[0] += ndcg_at(ranked, grades, k)
            scores[1] += recall_at(ranked, grades, k)
            scores[2] += 1
    return [
        PairScore(query, "any", values[0] / values[2], values[1] / values[2], int(values[2]))
        for query, values in sorted(sums.items(), key=lambda item: LANGUAGES.index(item[0]))
    ]


def read_collection(
    folder: Path,
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, int]], dict[str, str]]:
    """Topics, judgements and the profile language of each expert, from a collection folder.

    The folder holds ``topics.jsonl``, ``qrels.tsv`` and ``experts.csv`` (the import format, each
    expert with one biography column filled), as tests/data/search_collection does.
    """
    topics = {}
    for line in (folder / "topics.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            topic = json.loads(line)
            topics[topic["id"]] = topic["texts"]
    judgements: dict[str, dict[str, int]] = {}
    with (folder / "qrels.tsv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file, delimiter="\t"):
            judgements.setdefault(row["topic_id"], {})[row["expert_id"]] = int(row["grade"])
    languages = {}
    with (folder / "experts.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            languages[row["id"]] = next(lang for lang in ("ru", "zh", "en") if row[f"bio_{lang}"].strip())
    return topics, judgements, languages

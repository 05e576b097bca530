"""Plain-text expert search over names, organization names and expertise keywords.

Each query word must match somewhere in a profile; a match in a name weighs more than one in a
keyword, which weighs more than one in the organization's name, and whole-word matches beat
partial ones.  Only experts the viewer may see are ever counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Expert,
    ExpertAffiliation,
    ExpertKeyword,
    ExpertName,
    OrganizationName,
)
from expertbridge.registry.catalog import contains_pattern
from expertbridge.registry.visibility import Viewer, visible_statuses
from expertbridge.text.normalize import fold

NAME_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.7
ORGANIZATION_WEIGHT = 0.4
MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 64


@dataclass(frozen=True)
class Hit:
    """One ranked expert."""

    expert_id: int
    score: float
    matched: tuple[str, ...]


def _query_words(query: str) -> list[str]:
    words = fold(query).split()[:MAX_QUERY_WORDS]
    return [word[:MAX_WORD_CHARS] for word in words]


def _closeness(word: str, text: str) -> float:
    """1 for a whole-word match, 0.8 for a word prefix, 0.6 for any other substring."""
    tokens = text.split()
    if word in tokens or word == text:
        return 1.0
    if any(token.startswith(word) for token in tokens):
        return 0.8
    return 0.6


def _matches(session: Session, word: str, statuses: tuple[str, ...] | None) -> dict[int, tuple[float, str]]:
    pattern = contains_pattern(word)
    best: dict[int, tuple[float, str]] = {}

    def consider(query: Select[tuple[int, str]], weight: float, field: str) -> None:
        if statuses is not None:
            query = query.join(Expert, Expert.id == query.selected_columns[0]).where(
                Expert.status.in_(statuses)
            )
        for expert_id, text in session.execute(query):
            score = weight * _closeness(word, text)
            if score > best.get(expert_id, (0.0, ""))[0]:
                best[expert_id] = (score, field)

    consider(
        select(ExpertName.expert_id, ExpertName.normalized).where(
            ExpertName.normalized.like(pattern, escape="\\")
        ),
        NAME_WEIGHT,
        "name",
    )
    consider(
        select(ExpertKeyword.expert_id, ExpertKeyword.normalized).where(
            ExpertKeyword.normalized.like(pattern, escape="\\")
        ),
        KEYWORD_WEIGHT,
        "expertise",
    )
    consider(
        select(ExpertAffiliation.expert_id, OrganizationName.normalized)
        .join(OrganizationName, OrganizationName.organization_id == ExpertAffiliation.organization_id)
        .where(OrganizationName.normalized.like(pattern, escape="\\")),
        ORGANIZATION_WEIGHT,
        "organization",
    )
    return best


def search_experts(session: Session, query: str, viewer: Viewer) -> list[Hit]:
    """Every expert the viewer may see that matches all words of ``query``, best first."""
    words = _query_words(query)
    if not words:
        return []
    statuses = visible_statuses(viewer)
    scores: dict[int, float] = defaultdict(float)
    fields: dict[int, list[str]] = defaultdict(list)
    candidates: set[int] | None = None
    for word in words:
        found = _matches(session, word, statuses)
        candidates = set(found) if candidates is None else candidates & set(found)
        for expert_id, (score, field) in found.items():
            scores[expert_id] += score
            if field not in fields[expert_id]:
                fields[expert_id].append(field)
    hits = [
        Hit(expert_id, round(scores[expert_id] / len(words), 4), tuple(fields[expert_id]))
        for expert_id in candidates or set()
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.expert_id))
    return hits

"""Find experts by a name in any script: index candidates, rescored by the names engine."""

from __future__ import annotations

from dataclasses import dataclass

from expertbridge.names.keys import query_keys
from expertbridge.names.parse import parse_name
from expertbridge.names.score import compare
from expertbridge.registry.visibility import Viewer, visible_statuses
from expertbridge.search.index import ExpertIndex
from expertbridge.text.normalize import script_of

CANDIDATES = 40
GENERATED_DISCOUNT = 0.95


@dataclass(frozen=True)
class NameMatch:
    """An expert whose name matches, with the name that met and why."""

    expert_id: int
    score: float
    name: str
    explanation: str


def find_by_name(index: ExpertIndex, name: str, viewer: Viewer, *, top: int = 10) -> list[NameMatch]:
    """The experts the viewer may see whose names best match ``name``, best first."""
    parsed = parse_name(name)
    if not parsed.parts:
        return []
    query_script = parsed.script
    matches = []
    for candidate in index.name_candidates(query_keys(parsed), visible_statuses(viewer), CANDIDATES):
        # The names the expert gave, and generated forms in the query's own script: a generated
        # form in a third script adds nothing the original does not.
        scored = [
            (compare(parsed, parse_name(text)), text, generated)
            for text, generated in candidate.names
            if not generated or script_of(text) == query_script
        ]
        if not scored:
            continue
        # A generated rendering is a guess: it counts a little less than a name the expert gave.
        weighted = [
            (match.score * (GENERATED_DISCOUNT if generated else 1), match, text)
            for match, text, generated in scored
        ]
        score, best, stored = max(weighted, key=lambda item: item[0])
        matches.append(NameMatch(candidate.id, round(score, 4), stored, best.explanation))
    matches.sort(key=lambda match: (-match.score, match.expert_id))
    return matches[:top]

"""An in-memory name index: keys → ids, and ranked lookup with the scorer.

The registry keeps the same keys in its database; this index serves the engine's tests, the
recall benchmark and small registries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from expertbridge.names.keys import query_keys, stored_keys
from expertbridge.names.parse import ParsedName, parse_name
from expertbridge.names.score import compare

CANDIDATES = 200


@dataclass(frozen=True)
class NameHit:
    """One ranked match of a lookup."""

    id: str
    score: float
    name: str
    explanation: str


class NameIndex:
    """Names by id, findable by any rendering."""

    def __init__(self) -> None:
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._names: dict[str, list[ParsedName]] = defaultdict(list)

    def add(self, identifier: str, name: str) -> None:
        """Index one more name of ``identifier``."""
        parsed = parse_name(name)
        if not parsed.parts:
            return
        self._names[identifier].append(parsed)
        for key in stored_keys(parsed):
            self._postings[key].add(identifier)

    def candidates(self, parsed: ParsedName, limit: int = CANDIDATES) -> list[str]:
        """Ids sharing keys with the name, rarest keys weighing most."""
        total = max(len(self._names), 1)
        weights: dict[str, float] = defaultdict(float)
        for key in query_keys(parsed):
            posting = self._postings.get(key)
            if posting:
                idf = math.log(1 + total / len(posting))
                for identifier in posting:
                    weights[identifier] += idf
        ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        return [identifier for identifier, _ in ranked[:limit]]

    def lookup(self, name: str, top: int = 5) -> list[NameHit]:
        """The ``top`` best matches of a name in any script."""
        parsed = parse_name(name)
        hits = []
        for identifier in self.candidates(parsed):
            best = max(
                ((compare(parsed, stored), stored) for stored in self._names[identifier]),
                key=lambda pair: pair[0].score,
            )
            hits.append(NameHit(identifier, best[0].score, best[1].original, best[0].explanation))
        hits.sort(key=lambda hit: (-hit.score, hit.id))
        return hits[:top]

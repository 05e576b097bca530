"""Find experts by a name in any script: index candidates, rescored by the names engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from expertbridge.names.keys import is_selective, query_keys, surname_keys
from expertbridge.names.parse import ParsedName, parse_name
from expertbridge.names.score import NAMED_ROLES, NameExplanation, compare, match_score
from expertbridge.registry.visibility import Viewer, visible_statuses
from expertbridge.search.index import Candidate, ExpertIndex

CANDIDATES = 40
SELECTIVE_CANDIDATES = 20
SURNAME_CANDIDATES = 20
# A match this good found by the selective keys alone ends the lookup; otherwise every key is
# searched too (short keys are shared by much of a large registry and cost the most to search).
CONFIDENT = 0.95


@dataclass(frozen=True)
class NameMatch:
    """An expert whose name matches ``query``, with the name that met and the names the expert
    gave (the others the engine reads itself).

    Why it matched is worked out when asked (:attr:`why`): a list ranks a hundred matches and
    shows a page of them.
    """

    expert_id: int
    score: float
    name: str
    query: str
    given: tuple[str, ...]

    @cached_property
    def _compared(self) -> NameExplanation:
        return compare(parse_name(self.query), parse_name(self.name)).why

    @cached_property
    def why(self) -> NameExplanation:
        """Part by part, each part's role read from the expert's other names when the names that
        met do not tell it (see :func:`with_roles`)."""
        return with_roles(self._compared, self.query, self.given)

    @property
    def explanation(self) -> str:
        """Why, as one line of plain English (the CSV lists write it)."""
        return self._compared.text


# Expert id → (score, the name that met, the names the expert gave).
_Scores = dict[int, tuple[float, str, tuple[str, ...]]]


def _scored(parsed: ParsedName, candidates: list[Candidate], known: _Scores) -> _Scores:
    scores = {}
    for candidate in candidates:
        if candidate.id in known:
            scores[candidate.id] = known[candidate.id]
            continue
        # The names the expert gave: the engine reads each in the other scripts itself (a Russian
        # name meets a query in characters through its Xinhua and conventional forms), so the
        # generated renderings would only add guesses.
        given = tuple(text for text, generated in candidate.names if not generated)
        best = max(((match_score(parsed, parse_name(text)), text) for text in given), default=None)
        if best is not None:
            scores[candidate.id] = (*best, given)
    return scores


def find_by_name(index: ExpertIndex, name: str, viewer: Viewer, *, top: int = 10) -> list[NameMatch]:
    """The experts the viewer may see whose names best match ``name``, best first.

    Candidates come from the index by shared name keys, the selective keys first, and are
    rescored against the names the experts gave; a match is explained when asked.
    """
    parsed = parse_name(name)
    if not parsed.parts:
        return []
    keys = query_keys(parsed)
    statuses = visible_statuses(viewer)
    selective = {key for key in keys if is_selective(key)}
    found = index.name_candidates(selective, statuses, SELECTIVE_CANDIDATES) if selective else []
    scores = _scored(parsed, found, {})
    if max((score for score, _text, _given in scores.values()), default=0.0) < CONFIDENT:
        scores = _scored(parsed, index.name_candidates(keys, statuses, CANDIDATES), scores)
        if len(parsed.parts) > 1:
            # A registry may hold a surname alone (巴塔查), which shares few keys with a full name.
            alone = index.name_candidates(surname_keys(parsed), statuses, SURNAME_CANDIDATES)
            scores |= _scored(parsed, alone, scores)
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[0]))
    return [
        NameMatch(expert_id, score, text, name, given) for expert_id, (score, text, given) in ranked[:top]
    ]


def with_roles(why: NameExplanation, query: str, names: Iterable[str]) -> NameExplanation:
    """``why`` with the roles it leaves unknown read from another name the same expert gave.

    Names in Latin letters seldom say which part is the surname (Boris Belyaev ≈ Boris Belyayev);
    the expert's name in Cyrillic or in characters often does (Беляев Борис Георгиевич, 姚书红).
    Each part of the query that met a part of unknown role takes the role it plays when the query
    is read against such a name.  Scores and the plain-English line are left as they are.
    """
    unknown = [part.query for part in why.parts if part.role == "unknown"]
    if not unknown or len({part.query for part in why.parts}) < len(why.parts):
        return why
    parsed = parse_name(query)
    for text in names:
        other = compare(parsed, parse_name(text)).why
        roles = {part.query: part.role for part in other.parts if part.role in NAMED_ROLES}
        if len(set(roles.values())) < len(roles) or not set(unknown) & set(roles):
            continue  # two parts read as surnames, say: no better than not knowing
        parts = tuple(
            replace(part, role=roles.get(part.query, part.role)) if part.role == "unknown" else part
            for part in why.parts
        )
        return replace(why, parts=parts)
    return why

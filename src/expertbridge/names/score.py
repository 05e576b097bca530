"""Compare two parsed names part by part and explain the match.

The score is in [0, 1].  Parts are aligned in whichever order fits best (a Chinese rendering puts
the surname last, a Russian registry first), the surname weighs more than the given name, a
missing patronymic or initial costs nothing, an initial matches a name with the same first letter,
and a name written as one unsegmented run of characters is compared with the other name read in
each usual order.  Other readings of a name count too: a double surname by either half, a short
Chinese name as a foreign one written in characters (杜连 Турлин).

Two parts are compared by their consonant skeletons and by their sounds (pinyin, vowels included;
see :mod:`expertbridge.names.sound`) when either is written in characters, or by their skeletons
and letters between Cyrillic and Latin.  An explanation lists the parts that met, each with its role,
both texts and their similarity (:class:`MatchedPart`, for pages to say in their language); its
plain-English line also names the variants that met: the skeletons, then the sounds or letters,
each as ``query/candidate`` when they differ.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from expertbridge.names.parse import NamePart, ParsedName, foreign_reading
from expertbridge.names.phonetic import concrete
from expertbridge.names.sound import Sound, sound_similarity

WEIGHTS = {"surname": 1.0, "given": 0.8, "patronymic": 0.4, "initial": 0.3, "unknown": 0.8, "whole": 1.8}
OPTIONAL_ROLES = ("patronymic", "initial")
NAMED_ROLES = ("surname", "given", "patronymic")
ROLE_MISMATCH = 0.92
MISSING_PART = 0.35
VOWEL_SHARE = 0.2
SOUND_SHARE = 0.6
LITERAL_SHARE = 0.1
WHOLE_DISCOUNT = 0.97
MAX_JOINED = 8


@dataclass(frozen=True)
class MatchedPart:
    """One aligned pair of parts: the role the part plays, what the query said, what it met, and
    how well (in [0, 1]).

    ``role`` is ``surname``, ``given``, ``patronymic``, ``initial``, ``whole`` (a run of characters
    standing for a whole name) or ``unknown`` (a part whose role neither name tells).
    """

    role: str
    query: str
    matched: str
    similarity: float


@dataclass(frozen=True)
class NameExplanation:
    """Which parts met, part by part, and the same as one line of plain English (for CSV)."""

    parts: tuple[MatchedPart, ...]
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class NameMatch:
    """How well two names match, and why."""

    score: float
    why: NameExplanation

    @property
    def explanation(self) -> str:
        """The explanation as one line of plain English, with the variants that met."""
        return self.why.text


@dataclass(frozen=True)
class PartMatch:
    """How well two parts match, and the variants that met (skeletons or sounds)."""

    similarity: float
    met: str


@lru_cache(maxsize=50_000)
def skeleton_similarity(left: frozenset[str], right: frozenset[str]) -> float:
    """The best similarity of any reading of ``left`` with any reading of ``right``."""
    return _skeletons_met(left, right)[0]


@lru_cache(maxsize=100_000)
def _skeletons_met(left: frozenset[str], right: frozenset[str]) -> tuple[float, str, str]:
    best, met = 0.0, ("", "")
    for a in sorted(left):
        for b in sorted(right):
            similarity = _skeleton_pair(a, b)
            if similarity > best:
                best, met = similarity, (a, b)
                if best == 1.0:
                    return best, a, b
    return best, *met


@lru_cache(maxsize=100_000)
def _skeleton_pair(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    # A wildcard that had to stand for another class is weaker evidence than the same class on
    # both sides: part of the score compares the skeletons as written.
    literal = LITERAL_SHARE * Levenshtein.normalized_similarity(a, b)
    best = 0.0
    for x in concrete(a):
        for y in concrete(b):
            best = max(best, Levenshtein.normalized_similarity(x, y))
            if best == 1.0:
                break
    return (1 - LITERAL_SHARE) * best + literal


def _first_letter(part: NamePart) -> str:
    return part.latin[:1]


def _met(left: str, right: str) -> str:
    return left or "-" if left == right else f"{left or '-'}/{right or '-'}"


@lru_cache(maxsize=100_000)
def match_parts(a: NamePart, b: NamePart) -> PartMatch:
    """Similarity of two name parts in [0, 1], with the variants that met."""
    if a.role == "initial" or b.role == "initial":
        same = bool(_first_letter(a)) and _first_letter(a) == _first_letter(b)
        return PartMatch(1.0 if same else 0.0, _first_letter(a).upper() or "-")
    if a.script == b.script and a.romanized == b.romanized:
        return PartMatch(1.0, "same")
    if "Hani" in (a.script, b.script):
        sound, p, q = sound_similarity(a.sounds, b.sounds)
        if a.syllables and b.syllables:
            # Both may be Chinese names: syllables tell Zhao Cheng from Qiu Jungang, whose
            # consonant skeletons agree.
            return PartMatch(sound, _met(p, q))
        skeleton, x, y = _skeletons_met(a.skeletons, b.skeletons)
        similarity = (1 - SOUND_SHARE) * skeleton + SOUND_SHARE * sound
        return PartMatch(similarity, f"{_met(x, y)}, {_met(p, q)}")
    skeleton, x, y = _skeletons_met(a.skeletons, b.skeletons)
    letters = Levenshtein.normalized_similarity(a.latin, b.latin)
    if not any(a.skeletons) or not any(b.skeletons):
        # Vowel-only names (Ия, Ou): compare the letters themselves.
        return PartMatch(letters, _met(a.latin, b.latin))
    # Between Cyrillic and Latin the vowels agree too, and tell Исаев from Zuyeva.
    similarity = (1 - VOWEL_SHARE) * skeleton + VOWEL_SHARE * letters
    return PartMatch(similarity, f"{_met(x, y)}, {_met(a.latin, b.latin)}")


def _weight(a: NamePart, b: NamePart) -> float:
    if "whole" in (a.role, b.role):
        # A run of characters stands for a whole name, or a surname alone far more often than for
        # a given name alone.
        other = b.role if a.role == "whole" else a.role
        return WEIGHTS["whole"] if other in ("surname", "unknown", "whole") else WEIGHTS[other]
    return max(WEIGHTS[a.role], WEIGHTS[b.role])


def _role(q: NamePart, c: NamePart) -> str:
    return c.role if c.role not in ("unknown", "whole") else q.role


# An alignment: its score, and how to say which parts met (said only for the matches shown).
Aligned = tuple[float, Callable[[], NameExplanation]]


def _aligned(query: tuple[NamePart, ...], candidate: tuple[NamePart, ...]) -> Aligned:
    flipped = len(query) > len(candidate)
    small, big = (candidate, query) if flipped else (query, candidate)
    # Every pair once; the orders below only add up the table.
    table: list[list[tuple[float, float, PartMatch]]] = []
    for a in small:
        row = []
        for b in big:
            match = match_parts(b, a) if flipped else match_parts(a, b)
            similarity = match.similarity
            if a.role != b.role and a.role in NAMED_ROLES and b.role in NAMED_ROLES:
                similarity *= ROLE_MISMATCH
            row.append((similarity, _weight(a, b), match))
        table.append(row)
    # A part the other name lacks makes the match less certain, not wrong.
    missing = [0.0 if part.role in OPTIONAL_ROLES else WEIGHTS[part.role] * MISSING_PART for part in big]
    all_missing = sum(missing)
    best_score = -1.0
    best_order: tuple[int, ...] = ()
    for order in itertools.permutations(range(len(big)), len(small)):
        total = weight = 0.0
        lacking = all_missing
        for i, j in enumerate(order):
            similarity, w, _match = table[i][j]
            total += w * similarity
            weight += w
            lacking -= missing[j]
        weight += lacking
        score = total / weight if weight else 0.0
        if score > best_score:
            best_score, best_order = score, order

    def explain() -> NameExplanation:
        parts, pairs = [], []
        for i, j in enumerate(best_order):
            similarity, _w, match = table[i][j]
            q, c = (big[j], small[i]) if flipped else (small[i], big[j])
            role = _role(q, c)
            # A run of characters met one part of a longer name: which part, neither name says.
            shown = "unknown" if role == "whole" and len(big) > 1 else role
            parts.append(MatchedPart(shown, q.text, c.text, similarity))
            pairs.append(f"{role} {q.text} ≈ {c.text} ({match.met}, {similarity:.2f})")
        return NameExplanation(tuple(parts), "; ".join(pairs))

    return max(best_score, 0.0), explain


def _orders(parts: tuple[NamePart, ...]) -> list[tuple[NamePart, ...]]:
    """The usual orders a name is said in, without patronymic: given-first and surname-first."""
    named = tuple(p for p in parts if p.role not in OPTIONAL_ROLES)
    surnames = [p for p in named if p.role == "surname"]
    others = [p for p in named if p.role != "surname"]
    orders = [named]
    if surnames and others:
        orders += [tuple(others + surnames), tuple(surnames + others)]
    elif len(named) >= 2:
        orders.append(tuple(reversed(named)))
    return list(dict.fromkeys(order for order in orders if len(order) >= 2))


@lru_cache(maxsize=20_000)
def _joined_sounds(parts: tuple[NamePart, ...]) -> tuple[Sound, ...]:
    options = [[sound.partition("|") for sound in part.sounds] or [("", "", "")] for part in parts]
    return tuple(
        "".join(raw for raw, _, _ in choice) + "|" + "".join(folded for _, _, folded in choice)
        for choice in itertools.islice(itertools.product(*options), MAX_JOINED)
    )


@lru_cache(maxsize=20_000)
def _joined_skeletons(parts: tuple[NamePart, ...]) -> frozenset[str]:
    options = [sorted(part.skeletons) or [""] for part in parts]
    return frozenset("".join(choice) for choice in itertools.islice(itertools.product(*options), 16))


def _whole(whole: NamePart, other: tuple[NamePart, ...], whole_is_query: bool) -> Aligned:
    """A run of characters read as the other name's given name and surname run together."""
    best, best_order = 0.0, other
    for order in _orders(other):
        skeleton = skeleton_similarity(whole.skeletons, _joined_skeletons(order))
        sound, _p, _q = sound_similarity(whole.sounds, _joined_sounds(order))
        similarity = ((1 - SOUND_SHARE) * skeleton + SOUND_SHARE * sound) * WHOLE_DISCOUNT
        if similarity > best:
            best, best_order = similarity, order

    def explain() -> NameExplanation:
        said = " ".join(p.text for p in best_order)
        asked, found = (whole.text, said) if whole_is_query else (said, whole.text)
        return NameExplanation(
            (MatchedPart("whole", asked, found, best),), f"whole name {asked} ≈ {found} ({best:.2f})"
        )

    return best, explain


def _readings(name: ParsedName, other: ParsedName) -> tuple[tuple[NamePart, ...], ...]:
    foreign = foreign_reading(name)
    # A short Chinese name may be a foreign one written in characters, unless the other name
    # reads as Chinese too (Xu Xinchao, Сюй Синьчао).
    if foreign is None or all(part.syllables for part in other.parts):
        return (name.parts, *name.alternatives)
    return (name.parts, *name.alternatives, foreign)


def _best(query: ParsedName, candidate: ParsedName) -> Aligned:
    best = _aligned(query.parts, candidate.parts)
    if best[0] >= WHOLE_DISCOUNT:
        # Other readings can add little to a match this good, and cost the most.
        return best
    for q in _readings(query, candidate):
        for c in _readings(candidate, query):
            if q is not query.parts or c is not candidate.parts:
                found = _aligned(q, c)
                if found[0] > best[0]:
                    best = found
            # A run of characters may be a whole name, given name and surname without a dot.
            if best[0] < WHOLE_DISCOUNT and len(q) == 1 and q[0].role == "whole" and len(c) > 1:
                found = _whole(q[0], c, whole_is_query=True)
            elif best[0] < WHOLE_DISCOUNT and len(c) == 1 and c[0].role == "whole" and len(q) > 1:
                found = _whole(c[0], q, whole_is_query=False)
            else:
                continue
            if found[0] > best[0]:
                best = found
    return best


def match_score(query: ParsedName, candidate: ParsedName) -> float:
    """The score :func:`compare` gives, without its explanation (for ranking many candidates)."""
    if not query.parts or not candidate.parts:
        return 0.0
    return round(_best(query, candidate)[0], 4)


def compare(query: ParsedName, candidate: ParsedName) -> NameMatch:
    """The match of two names: a score in [0, 1] and which parts met."""
    if not query.parts or not candidate.parts:
        return NameMatch(0.0, NameExplanation((), "no name to compare"))
    score, explain = _best(query, candidate)
    return NameMatch(round(score, 4), explain())

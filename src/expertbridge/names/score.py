"""Compare two parsed names part by part and explain the match.

The score is in [0, 1].  Parts are aligned in whichever order fits best (a Chinese rendering puts
the surname last, a Russian registry first), the surname weighs more than the given name, a
missing patronymic or initial costs nothing, an initial matches a name with the same first letter,
and a name written as one unsegmented run of characters is compared with the other name read in
each usual order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import iuliia
from rapidfuzz.distance import Levenshtein

from expertbridge.names.parse import NamePart, ParsedName
from expertbridge.names.phonetic import concrete

WEIGHTS = {"surname": 1.0, "given": 0.8, "patronymic": 0.4, "initial": 0.3, "unknown": 0.8, "whole": 1.8}
OPTIONAL_ROLES = ("patronymic", "initial")
ROLE_MISMATCH = 0.92
MISSING_PART = 0.35
VOWEL_SHARE = 0.2
LITERAL_SHARE = 0.1
WHOLE_DISCOUNT = 0.97


@dataclass(frozen=True)
class NameMatch:
    """How well two names match, and why."""

    score: float
    explanation: str


@lru_cache(maxsize=200_000)
def skeleton_similarity(left: frozenset[str], right: frozenset[str]) -> float:
    """The best similarity of any reading of ``left`` with any reading of ``right``."""
    best = 0.0
    for a in left:
        for b in right:
            if not a or not b:
                continue
            # A wildcard that had to stand for another class is weaker evidence than the same
            # class on both sides: part of the score compares the skeletons as written.
            literal = Levenshtein.normalized_similarity(a, b)
            for x in concrete(a):
                for y in concrete(b):
                    similarity = (1 - LITERAL_SHARE) * Levenshtein.normalized_similarity(x, y)
                    best = max(best, similarity + LITERAL_SHARE * literal)
                    if best == 1.0:
                        return best
    return best


@lru_cache(maxsize=50_000)
def _latin(text: str) -> str:
    return (
        iuliia.WIKIPEDIA.translate(text).lower()
        if any("а" <= c <= "я" for c in text.lower())
        else text.lower()
    )


def _first_letter(part: NamePart) -> str:
    return _latin(part.romanized)[:1]


def part_similarity(a: NamePart, b: NamePart) -> float:
    """Similarity of two name parts in [0, 1]."""
    if a.role == "initial" or b.role == "initial":
        return 1.0 if _first_letter(a) and _first_letter(a) == _first_letter(b) else 0.0
    if a.syllables and b.syllables:
        # Both may be Chinese names: syllables tell Zhao Cheng from Qiu Jungang, whose consonant
        # skeletons agree.
        return Levenshtein.normalized_similarity(" ".join(a.syllables), " ".join(b.syllables))
    similarity = skeleton_similarity(a.skeletons, b.skeletons)
    if not any(a.skeletons) or not any(b.skeletons):
        # Vowel-only names (Ия, 欧 Ou): compare the letters themselves.
        similarity = Levenshtein.normalized_similarity(_latin(a.romanized), _latin(b.romanized))
    if a.script == b.script and a.romanized == b.romanized:
        return 1.0
    if "Hani" not in (a.script, b.script):
        # Between Cyrillic and Latin the vowels agree too, and tell Исаев from Zuyeva.
        letters = Levenshtein.normalized_similarity(_latin(a.romanized), _latin(b.romanized))
        similarity = (1 - VOWEL_SHARE) * similarity + VOWEL_SHARE * letters
    return similarity


def _weight(a: NamePart, b: NamePart) -> float:
    return max(WEIGHTS[a.role], WEIGHTS[b.role])


def _aligned(query: tuple[NamePart, ...], candidate: tuple[NamePart, ...]) -> tuple[float, list[str]]:
    small, big, flipped = (
        (query, candidate, False) if len(query) <= len(candidate) else (candidate, query, True)
    )
    best_score, best_pairs = 0.0, []
    for order in itertools.permutations(range(len(big)), len(small)):
        total = weight = 0.0
        pairs = []
        for i, j in enumerate(order):
            a, b = small[i], big[j]
            similarity = part_similarity(a, b)
            named = ("surname", "given", "patronymic")
            if a.role in named and b.role in named and a.role != b.role:
                similarity *= ROLE_MISMATCH
            w = _weight(a, b)
            total += w * similarity
            weight += w
            q, c = (b, a) if flipped else (a, b)
            pairs.append((similarity, q, c))
        for j in set(range(len(big))) - set(order):
            if big[j].role not in OPTIONAL_ROLES:
                # A part the other name lacks makes the match less certain, not wrong.
                weight += WEIGHTS[big[j].role] * MISSING_PART
        score = total / weight if weight else 0.0
        if score > best_score:
            best_score = score
            best_pairs = [
                f"{c.role if c.role not in ('unknown', 'whole') else q.role} {q.text} ≈ {c.text}"
                f" ({min(q.skeletons, default='')}, {similarity:.2f})"
                for similarity, q, c in pairs
            ]
    return best_score, best_pairs


def _readings(parts: tuple[NamePart, ...]) -> list[tuple[NamePart, ...]]:
    """The usual orders a name is written in: as given, given-first and surname-first."""
    by_role = {role: [p for p in parts if p.role == role] for role in ("surname", "given", "patronymic")}
    orders = [parts]
    if by_role["surname"] and by_role["given"]:
        s, g, p = by_role["surname"], by_role["given"], by_role["patronymic"]
        orders += [tuple(g + s), tuple(s + g), tuple(g + p + s), tuple(s + g + p)]
    elif len(parts) >= 2:
        orders.append(tuple(reversed(parts)))
    plain = tuple(p for p in parts if p.role not in OPTIONAL_ROLES)
    if plain != parts:
        orders.append(plain)
    return list(dict.fromkeys(orders))


def _joined(parts: tuple[NamePart, ...]) -> frozenset[str]:
    options = [sorted(part.skeletons) or [""] for part in parts]
    return frozenset("".join(choice) for choice in itertools.islice(itertools.product(*options), 16))


def _whole(query: ParsedName, candidate: ParsedName) -> tuple[float, str]:
    best, why = 0.0, ""
    for q in _readings(query.parts):
        for c in _readings(candidate.parts):
            similarity = skeleton_similarity(_joined(q), _joined(c)) * WHOLE_DISCOUNT
            if similarity > best:
                best = similarity
                asked, found = " ".join(p.text for p in q), " ".join(p.text for p in c)
                why = f"whole name {asked} ≈ {found} ({similarity:.2f})"
    return best, why


def compare(query: ParsedName, candidate: ParsedName) -> NameMatch:
    """The match of two names: a score in [0, 1] and which parts met."""
    if not query.parts or not candidate.parts:
        return NameMatch(0.0, "no name to compare")
    aligned, pairs = _aligned(query.parts, candidate.parts)
    unsegmented = any(p.role == "whole" for p in (*query.parts, *candidate.parts))
    # Reading the names whole can only help a weak part-by-part match, and costs the most.
    worth_it = aligned < WHOLE_DISCOUNT and (unsegmented or len(query.parts) != len(candidate.parts))
    whole, why = _whole(query, candidate) if worth_it else (0.0, "")
    if whole > aligned:
        return NameMatch(round(whole, 4), why)
    return NameMatch(round(aligned, 4), "; ".join(pairs))

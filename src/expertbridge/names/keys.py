"""Index keys of a name: a small set of script-independent strings shared by its renderings.

Two families.  Skeleton keys (``k:``): every part gives the concrete readings of its consonant
skeleton (``k:SLMN``), and the whole name its skeleton read given-name first and surname first
(``k:SLGSLMN``), so that a name written as one run of Chinese characters still meets its Russian
form.  Sound keys (``s:``): pairs of folded pinyin syllables inside a part and across the boundary
between parts (``s:Je_Lo``, see :func:`expertbridge.names.sound.fold_syllable`), which tell apart
names whose consonants agree.

A consonant lost or added between scripts (Карпин 卡宾) is met by one-letter deletions, the
symmetric-deletion trick: the index stores the deletions of each part, a lookup adds the deletions
of its parts and of its whole name.  A lookup searches its selective keys first (long skeletons,
syllable pairs) and all of them only when those find no convincing match.

>>> "k:SLMN" in name_keys(parse_name("谢尔盖·切廖明")) & name_keys(parse_name("Сергей Черёмин"))
True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import lru_cache

from expertbridge.names.parse import NamePart, ParsedName, foreign_reading, parse_name
from expertbridge.names.phonetic import concrete
from expertbridge.names.sound import fold_syllable

MIN_PART_KEY = 2
MIN_DELETION_SOURCE = 3
MAX_KEYS = 64
MAX_STORED_KEYS = 160
SELECTIVE_LENGTH = 4
MAX_BOUNDARY_SOUNDS = 2
# One-letter deletions of a whole name, for its first readings only: enough to meet a stored
# name with one consonant more, without doubling the keys of a lookup.
WHOLE_DELETIONS = 2
# Initials say too little to find anyone by; patronymics are long, shared by many and usually
# left out of the other script's rendering, so their keys would find namesakes' fathers.
UNKEYED_ROLES = ("initial", "patronymic")

__all__ = ["is_selective", "name_keys", "parse_name", "query_keys", "stored_keys", "surname_keys"]


@lru_cache(maxsize=50_000)
def _readings(part: NamePart) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for skeleton in sorted(part.skeletons) for r in concrete(skeleton) if r))


def _deletions(reading: str) -> set[str]:
    return {reading[:i] + reading[i + 1 :] for i in range(len(reading))}


def _orders(parts: tuple[NamePart, ...]) -> list[tuple[NamePart, ...]]:
    named = [p for p in parts if p.role not in ("patronymic", "initial")]
    if len(named) < 2:
        return []
    surnames = [p for p in named if p.role == "surname"]
    others = [p for p in named if p.role != "surname"]
    orders = [tuple(named)]
    if surnames:
        orders += [tuple(others + surnames), tuple(surnames + others)]
    elif len(named) == 2:
        orders.append((named[1], named[0]))
    return list(dict.fromkeys(orders))


def _all_readings(parsed: ParsedName) -> list[tuple[NamePart, ...]]:
    foreign = foreign_reading(parsed)
    return [parsed.parts, *parsed.alternatives, *([foreign] if foreign else [])]


# Parts repeat across a registry (given names, common surnames): their keys are worked out once.
# Parts compare by identity, so these caches are cheap to consult.  Whole names rarely repeat
# (and their keys are many): that cache only serves a name looked up again.
@lru_cache(maxsize=50_000)
def _part_keys(part: NamePart) -> tuple[frozenset[str], frozenset[str]]:
    """The plain keys of one part (skeleton readings, syllable pairs) and its deletions."""
    plain: set[str] = set()
    deletions: set[str] = set()
    if part.role in UNKEYED_ROLES and part.role != "patronymic":
        return frozenset(), frozenset()
    if part.role != "patronymic":
        # Pinyin syllables, folded, in pairs (or alone in a one-syllable part): a second, finer
        # key family that tells Соколов from Сыкалов where both are S-G-L-V.
        for syllables in part.heard:
            folded = [fold_syllable(s) for s in syllables]
            if len(folded) == 1:
                plain.add(f"s:{folded[0]}")
            plain.update(f"s:{a}_{b}" for a, b in itertools.pairwise(folded))
    for reading in _readings(part):
        # A part, or a name written as one run of characters, which may be a surname alone.
        if len(reading) >= MIN_PART_KEY:
            plain.add(f"k:{reading}")
            if len(reading) >= MIN_DELETION_SOURCE and part.role not in UNKEYED_ROLES:
                deletions |= _deletions(reading)
    return frozenset(plain), frozenset(deletions)


@lru_cache(maxsize=50_000)
def _part_key_deletions(part: NamePart) -> frozenset[str]:
    """The one-letter deletions of a part read as plain keys (``k:``), as indexes store them."""
    return frozenset(f"k:{d}" for d in _part_keys(part)[1])


def _whole_readings(order: tuple[NamePart, ...], prefix: str = "") -> Iterator[str]:
    """The name said in ``order`` with its parts' readings run together, first readings first,
    each after ``prefix``."""
    options = [_readings(part) or ("",) for part in order]
    if prefix:
        options[0] = _prefixed_readings(order[0], prefix)
    return map("".join, itertools.islice(itertools.product(*options), 8))


@lru_cache(maxsize=50_000)
def _prefixed_readings(part: NamePart, prefix: str) -> tuple[str, ...]:
    return tuple(prefix + reading for reading in _readings(part) or ("",))


@lru_cache(maxsize=50_000)
def _edge_sounds(part: NamePart) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folded first syllables of a part's first readings, and its last ones as the start of
    a boundary key (``s:last_``; see _order_keys)."""
    heard = [syllables for syllables in part.heard[:MAX_BOUNDARY_SOUNDS] if syllables]
    return (
        tuple(fold_syllable(syllables[0]) for syllables in heard),
        tuple(f"s:{fold_syllable(syllables[-1])}_" for syllables in heard),
    )


@lru_cache(maxsize=2048)
def _order_keys(order: tuple[NamePart, ...]) -> frozenset[str]:
    """The plain keys of a name said in one order: skeletons run together, and the syllables on
    either side of each boundary."""
    keys = list(_whole_readings(order, "k:"))
    # A short Chinese name (寇磊 Коу Лей) has no pair of syllables inside a part: the pairs across
    # the boundaries stand in.
    for left, right in itertools.pairwise(order):
        firsts = _edge_sounds(right)[0]
        keys += [last + first for last in _edge_sounds(left)[1] for first in firsts]
    return frozenset(keys)


def _order_deletions(order: tuple[NamePart, ...]) -> set[str]:
    """The one-letter deletions of the first readings of a name said in one order (lookups
    only: the index does not store them)."""
    deletions: set[str] = set()
    for whole in itertools.islice(_whole_readings(order), WHOLE_DELETIONS):
        deletions |= _deletions(whole)
    return deletions


def _key_sets(parsed: ParsedName, *, whole: bool = True) -> tuple[set[str], set[str], set[str]]:
    """Plain keys, deletions of parts, deletions of whole names (without prefix; only when
    ``whole``), all readings."""
    plain: set[str] = set()
    part_deletions: set[str] = set()
    whole_deletions: set[str] = set()
    for reading in _all_readings(parsed):
        for part in reading:
            keys, deletions = _part_keys(part)
            plain |= keys
            part_deletions |= deletions
        for order in _orders(reading):
            plain |= _order_keys(order)
            if whole:
                whole_deletions |= _order_deletions(order)
    return plain, part_deletions, whole_deletions


def _capped(tiers: list[set[str]], limit: int) -> set[str]:
    kept: set[str] = set()
    for tier in tiers:
        room = limit - len(kept)
        if room <= 0:
            break
        new = tier - kept
        kept |= new if len(new) <= room else set(sorted(new, key=lambda k: (len(k), k))[:room])
    return kept


def name_keys(parsed: ParsedName) -> set[str]:
    """The index keys of a parsed name and of its other readings (at most MAX_KEYS): plain keys
    (``k:``, ``s:``) and one-letter deletions (``d:``)."""
    plain, part_deletions, whole_deletions = _key_sets(parsed)
    deletions = {f"d:{d}" for d in part_deletions} | {f"d:{d}" for d in whole_deletions}
    return _capped([plain, deletions], MAX_KEYS)


def stored_keys(parsed: ParsedName) -> set[str]:
    """The keys an index stores for a name: its plain keys, and the one-letter deletions of its
    parts read as plain keys.

    Lookups use :func:`query_keys`, which add the query's one-letter deletions read as plain
    keys: a stored name then meets a query that has one consonant more, one less (Chinese often
    drops an r: Карпин 卡宾), or one other.
    """
    # The index build's path (every name of every profile): the work of _key_sets without the
    # whole-name deletions, from the parts' cached keys.
    plain: set[str] = set()
    deletions: set[str] = set()
    for reading in _all_readings(parsed):
        for part in reading:
            plain.update(_part_keys(part)[0])
            deletions.update(_part_key_deletions(part))
        for order in _orders(reading):
            plain.update(_order_keys(order))
    if len(plain) >= MAX_STORED_KEYS:
        return _capped([plain], MAX_STORED_KEYS)
    deletions -= plain
    if len(plain) + len(deletions) <= MAX_STORED_KEYS:
        return plain | deletions
    return _capped([plain, deletions], MAX_STORED_KEYS)


def query_keys(parsed: ParsedName) -> set[str]:
    """The keys a lookup searches for: its plain keys, then the deletions of its parts and of the
    whole name read as plain keys (at most MAX_KEYS)."""
    plain, part_deletions, whole_deletions = _key_sets(parsed)
    return _capped([plain, {f"k:{d}" for d in part_deletions}, {f"k:{d}" for d in whole_deletions}], MAX_KEYS)


def surname_keys(parsed: ParsedName) -> set[str]:
    """The keys of the part a name is most likely found by alone: its surname, or its longest word
    when no part is known to be the surname (a registry may hold a surname only: 巴塔查)."""
    named = [p for p in parsed.parts if p.role not in UNKEYED_ROLES]
    surnames = [p for p in named if p.role in ("surname", "whole")]
    if not surnames and len(named) > 1:
        surnames = [max(named, key=lambda p: max(map(len, _readings(p)), default=0))]
    keys: set[str] = set()
    for part in surnames:
        plain, deletions = _part_keys(part)
        keys |= plain | {f"k:{d}" for d in deletions}
    return keys


def is_selective(key: str) -> bool:
    """Whether a key is shared by few names: a skeleton of four consonants or more (a whole name,
    a long part) or a pair of syllables.  A lookup tries these first; short keys (Иван is V-N)
    are shared by a large part of a big registry and cost the most to search."""
    if key.startswith("s:"):
        return "_" in key
    return len(key) >= SELECTIVE_LENGTH + 2

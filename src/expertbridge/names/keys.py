"""Index keys of a name: a small set of script-independent strings shared by its renderings.

Every part gives the concrete readings of its skeleton (``k:SLMN``); the whole name gives its
skeleton read given-name first and surname first (``k:SLGSLMN``), so that a name written as one
run of Chinese characters still meets its Russian form (keys share one namespace: a run of
characters may be a surname alone).  Two renderings of a name share at least
one key unless a consonant was lost, which the scorer forgives but the index does not: for that,
long skeletons also give their one-letter deletions (``d:``), the symmetric-deletion trick.

>>> "k:SLMN" in name_keys(parse_name("谢尔盖·切廖明")) & name_keys(parse_name("Сергей Черёмин"))
True
"""

from __future__ import annotations

import itertools

from expertbridge.names.parse import NamePart, ParsedName, parse_name
from expertbridge.names.phonetic import concrete

MIN_PART_KEY = 2
MIN_DELETION_SOURCE = 4
MAX_KEYS = 96

__all__ = ["name_keys", "parse_name", "query_keys", "stored_keys"]


def _readings(part: NamePart) -> list[str]:
    return list(dict.fromkeys(r for skeleton in sorted(part.skeletons) for r in concrete(skeleton) if r))


def _deletions(reading: str) -> set[str]:
    return {reading[:i] + reading[i + 1 :] for i in range(len(reading))}


def _orders(parsed: ParsedName) -> list[tuple[NamePart, ...]]:
    named = [p for p in parsed.parts if p.role not in ("patronymic", "initial")]
    surnames = [p for p in named if p.role == "surname"]
    others = [p for p in named if p.role != "surname"]
    orders = [tuple(named)]
    if surnames:
        orders += [tuple(others + surnames), tuple(surnames + others)]
    elif len(named) == 2:
        orders.append((named[1], named[0]))
    return list(dict.fromkeys(orders))


def name_keys(parsed: ParsedName) -> set[str]:
    """The index keys of a parsed name (at most MAX_KEYS)."""
    keys: set[str] = set()
    for part in parsed.parts:
        if part.role == "initial":
            continue
        for reading in _readings(part):
            # A part, or a name written as one run of characters, which may be a surname alone.
            if len(reading) >= MIN_PART_KEY:
                keys.add(f"k:{reading}")
                if len(reading) >= MIN_DELETION_SOURCE:
                    keys.update(f"d:{d}" for d in _deletions(reading))
    for order in _orders(parsed):
        if len(order) < 2:
            continue
        options = [_readings(part) or [""] for part in order]
        for choice in itertools.islice(itertools.product(*options), 8):
            whole = "".join(choice)
            keys.add(f"k:{whole}")
            keys.update(f"d:{d}" for d in _deletions(whole))
    if len(keys) > MAX_KEYS:
        keys = set(sorted(keys, key=lambda k: (k[0] != "k", k))[:MAX_KEYS])
    return keys


def stored_keys(parsed: ParsedName) -> set[str]:
    """The keys an index stores for a name: its readings, without deletions.

    Lookups use :func:`query_keys`, which add the query's one-letter deletions read as plain
    keys: a stored name then meets a query that has one consonant more.  Storing only readings
    keeps the index small (about seven keys a name).
    """
    return {key for key in name_keys(parsed) if key.startswith("k:")}


def query_keys(parsed: ParsedName) -> set[str]:
    """The keys a lookup searches for (its readings and their deletions)."""
    return {"k:" + key[2:] for key in name_keys(parsed)}

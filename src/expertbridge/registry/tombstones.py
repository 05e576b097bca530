"""Erasure tombstones: remembering that someone asked for erasure without remembering who.

When an expert is erased, each identifier that could bring them back (the import id, researcher
identifiers such as the ORCID iD, e-mail addresses) is kept only as a SHA-256 digest, with the day.
A digest cannot be read back; it only recognises the same identifier when a file offers it again,
so that an import of an old spreadsheet refuses the row instead of re-creating the person.

>>> keys = identity_keys(ExpertRecord(names=(), external_id="ru-1", contacts=(("email", "A@x.org"),)))
>>> [(column, value) for column, value, _ in keys]
[('id', 'ru-1'), ('email', 'A@x.org')]
>>> keys[1][2] == identity_keys(ExpertRecord(names=(), contacts=(("email", " a@X.ORG"),)))[0][2]
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import ErasureTombstone
from expertbridge.registry.records import ExpertRecord

# Separates these digests from any other SHA-256 of the same text (and versions the recipe).
DOMAIN = "expertbridge/erasure/v1"


def digest(kind: str, value: str) -> str:
    """The digest of one identifier of kind ``kind`` (case and surrounding spaces ignored)."""
    return hashlib.sha256(f"{DOMAIN}\0{kind}\0{value.strip().casefold()}".encode()).hexdigest()


def identity_keys(record: ExpertRecord) -> list[tuple[str, str, str]]:
    """(column, value, digest) of every identifier of ``record`` a tombstone keeps."""
    keys: list[tuple[str, str, str]] = []
    if record.external_id:
        keys.append(("id", record.external_id, digest("id", record.external_id)))
    for scheme, value in record.identifiers:
        keys.append((scheme, value, digest(scheme, value)))
    for kind, value in record.contacts:
        if kind == "email":
            keys.append(("email", value, digest("email", value)))
    return keys


def bury(session: Session, record: ExpertRecord, today: dt.date) -> int:
    """Keep tombstones for the identifiers of an erased ``record``; returns how many are new."""
    wanted = {key for _, _, key in identity_keys(record)}
    known = set(_known(session, wanted))
    fresh = sorted(wanted - known)
    session.add_all(ErasureTombstone(digest=key, erased_on=today) for key in fresh)
    session.flush()
    return len(fresh)


def _known(session: Session, digests: Iterable[str]) -> dict[str, dt.date]:
    keys = list(set(digests))
    found: dict[str, dt.date] = {}
    for start in range(0, len(keys), 500):
        query = select(ErasureTombstone.digest, ErasureTombstone.erased_on).where(
            ErasureTombstone.digest.in_(keys[start : start + 500])
        )
        found.update((key, day) for key, day in session.execute(query))
    return found


def erased_matches(
    session: Session, records: Sequence[tuple[int, ExpertRecord]]
) -> dict[int, list[tuple[str, str, dt.date]]]:
    """For each (position, record) whose identifiers match a tombstone: position → the matching
    (column, value, day of the erasure).  One query per 500 identifiers."""
    keyed = [(position, key) for position, record in records for key in identity_keys(record)]
    if not keyed:
        return {}
    known = _known(session, (key for _, (_, _, key) in keyed))
    matches: dict[int, list[tuple[str, str, dt.date]]] = {}
    for position, (column, value, key) in keyed:
        if key in known:
            matches.setdefault(position, []).append((column, value, known[key]))
    return matches

"""Finding stored experts by what identifies a person: registry number, ORCID iD, e-mail address.

An import matches its rows to stored experts with these (``ingest/identify.py``); each lookup is one
query for a whole batch of rows, through the driver (see :meth:`Dialect.select_in`).

E-mail addresses are compared without regard to case (``Ivanov@Example.org`` is
``ivanov@example.org``), as people type them both ways.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.dialect import dialect_of
from expertbridge.db.models import ExpertName
from expertbridge.registry.experts import StoredExpert

_ORCIDS = "SELECT value, expert_id FROM expert_identifiers WHERE scheme = 'orcid'"
_EMAILS = "SELECT lower(value) AS address, expert_id FROM expert_contacts WHERE kind = 'email'"


def email_key(address: str) -> str:
    """The form in which e-mail addresses are compared.

    >>> email_key(" Ivanov@Example.ORG")
    'ivanov@example.org'
    """
    # lower() rather than casefold(): the databases' lower() does the same to ASCII addresses.
    return address.strip().lower()


def _select_in(session: Session, query: str, column: str, values: Iterable[Any]) -> list[tuple[Any, ...]]:
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return []
    connection = session.connection()
    # The filtered table is a derived table so that the dialect's IN applies to it alone.
    return dialect_of(connection).select_in(connection, f"SELECT * FROM ({query}) AS found", column, wanted)


def experts_with_orcids(session: Session, orcids: Iterable[str]) -> dict[str, set[int]]:
    """ORCID iD → the ids of the stored experts that have it (normally one)."""
    found: dict[str, set[int]] = defaultdict(set)
    for value, expert_id in _select_in(session, _ORCIDS, "value", orcids):
        found[value].add(expert_id)
    return dict(found)


def experts_with_emails(session: Session, addresses: Iterable[str]) -> dict[str, set[int]]:
    """:func:`email_key` of an address → the ids of the stored experts that have it."""
    found: dict[str, set[int]] = defaultdict(set)
    keys = (email_key(address) for address in addresses)
    for address, expert_id in _select_in(session, _EMAILS, "address", keys):
        found[address].add(expert_id)
    return dict(found)


def stored_experts_by_id(session: Session, expert_ids: Iterable[int]) -> dict[int, StoredExpert]:
    """The stored experts with these registry ids (missing ones left out)."""
    query = "SELECT id, import_fingerprint, status, external_id FROM experts"
    return {
        expert_id: StoredExpert(expert_id, fingerprint, status, external_id)
        for expert_id, fingerprint, status, external_id in _select_in(session, query, "id", expert_ids)
    }


def orcids_of(session: Session, expert_ids: Iterable[int]) -> dict[int, str]:
    """The ORCID iD of each of these experts that has one."""
    query = "SELECT expert_id, value FROM expert_identifiers WHERE scheme = 'orcid'"
    return {expert_id: value for expert_id, value in _select_in(session, query, "expert_id", expert_ids)}


def primary_names_of(session: Session, expert_ids: Sequence[int]) -> dict[int, str]:
    """The primary name of each of these experts, to name them in a message."""
    if not expert_ids:
        return {}
    query = select(ExpertName.expert_id, ExpertName.text).where(
        ExpertName.expert_id.in_(list(expert_ids)), ExpertName.is_primary.is_(True)
    )
    return {expert_id: text for expert_id, text in session.execute(query)}


def given_names_of(session: Session, expert_ids: Sequence[int]) -> dict[int, set[str]]:
    """The folded names each of these experts was given (generated transliterations left out)."""
    names: dict[int, set[str]] = defaultdict(set)
    if not expert_ids:
        return names
    query = select(ExpertName.expert_id, ExpertName.normalized).where(
        ExpertName.expert_id.in_(list(expert_ids)), ExpertName.generated.is_(False)
    )
    for expert_id, normalized in session.execute(query):
        names[expert_id].add(normalized)
    return names

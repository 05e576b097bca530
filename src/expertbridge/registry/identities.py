"""Finding stored experts by what identifies a person: registry number, ORCID iD, e-mail address,
and by the references files name them with (import id or registry reference).

An import matches its rows to stored experts with these (``ingest/identify.py``); each lookup is one
query for a whole batch of rows, through the driver (see :meth:`Dialect.select_in`).

E-mail addresses are compared without regard to case (``Ivanov@Example.org`` is
``ivanov@example.org``), as people type them both ways, and with full-width characters read as
their ASCII forms (``ｉｖａｎ＠example.org`` is ``ivan@example.org``), as Chinese input methods type them.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from expertbridge.db.dialect import dialect_of
from expertbridge.db.models import Expert, ExpertName
from expertbridge.ingest.experts import registry_number, registry_reference
from expertbridge.registry.experts import StoredExpert

_ORCIDS = "SELECT value, expert_id FROM expert_identifiers WHERE scheme = 'orcid'"
_EMAILS = "SELECT lower(value) AS address, expert_id FROM expert_contacts WHERE kind = 'email'"


def email_key(address: str) -> str:
    """The form in which e-mail addresses are compared.

    >>> email_key(" Ivanov@Example.ORG"), email_key("ｉｖａｎ＠example．org")
    ('ivanov@example.org', 'ivan@example.org')
    """
    # NFKC as the import stores addresses (ingest.experts.contact_value); lower() rather than
    # casefold(): the databases' lower() does the same to ASCII addresses.
    return unicodedata.normalize("NFKC", address).strip().lower()


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


# References looked up per query: two bound values each, well under SQLite's limit of 32,766.
REFERENCES_PER_QUERY = 5_000
# Record ids are the databases' INTEGER (32 bits on PostgreSQL, which refuses to compare with a
# larger bound value): a larger number names no expert and is never sent.
MAX_EXPERT_ID = 2**31 - 1


@dataclass(frozen=True)
class ReferencedExpert:
    """A stored expert that a reference names."""

    expert_id: int
    external_id: str | None

    @property
    def reference(self) -> str:
        """How exports name the expert: its import id, else its registry reference (``#42``)."""
        return self.external_id or registry_reference(self.expert_id)


def plain_registry_number(reference: str | None) -> int | None:
    """The registry number a plain number names (files exported before references were marked)."""
    if reference and reference.isascii() and reference.isdigit() and len(reference) <= 18:
        return int(reference)
    return None


def experts_by_reference(session: Session, references: Iterable[str]) -> dict[str, ReferencedExpert]:
    """The stored expert each reference names; references that name none are left out.

    A reference is an expert's import id; else a registry reference (``#42``: the expert with
    registry number 42, as exports write an expert without an import id); else a plain number that
    is no expert's import id (``42``, as exports wrote them before registry references were marked).
    One query for all of them, up to :data:`REFERENCES_PER_QUERY` (an event may list hundreds of
    participants).
    """
    wanted = list(dict.fromkeys(reference for reference in references if reference))
    found: dict[str, ReferencedExpert] = {}
    for start in range(0, len(wanted), REFERENCES_PER_QUERY):
        found.update(_experts_by_reference(session, wanted[start : start + REFERENCES_PER_QUERY]))
    return found


def _experts_by_reference(session: Session, references: list[str]) -> dict[str, ReferencedExpert]:
    numbers = {
        reference: number
        for reference in references
        if (number := registry_number(reference) or plain_registry_number(reference)) is not None
        and number <= MAX_EXPERT_ID
    }
    condition: ColumnElement[bool] = Expert.external_id.in_(references)
    if numbers:
        condition = or_(condition, Expert.id.in_(sorted(set(numbers.values()))))
    by_import: dict[str, ReferencedExpert] = {}
    by_number: dict[int, ReferencedExpert] = {}
    for expert_id, external_id in session.execute(select(Expert.id, Expert.external_id).where(condition)):
        expert = ReferencedExpert(expert_id, external_id)
        by_number[expert_id] = expert
        if external_id is not None:
            by_import[external_id] = expert
    found: dict[str, ReferencedExpert] = {}
    for reference in references:
        # An import id first: a file's own ids are never registry numbers, even when they are digits.
        named = by_import.get(reference) or by_number.get(numbers.get(reference, 0))
        if named is not None:
            found[reference] = named
    return found

"""Plain data classes that carry a whole record into and out of the registry services.

Import rows, API bodies and exports all pass through these, so that one writer and one reader serve
every channel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NameRecord:
    """One written form of a person's name."""

    text: str
    script: str
    language: str | None
    kind: str = "native"
    scheme: str | None = None
    is_primary: bool = False
    generated: bool = False


@dataclass(frozen=True)
class ExpertRecord:
    """Everything the registry stores about an expert, as plain values."""

    names: tuple[NameRecord, ...]
    external_id: str | None = None
    status: str = "approved"
    organization: str | None = None
    position_title: str | None = None
    city: str | None = None
    country: str | None = None
    sectors: tuple[str, ...] = ()
    expertise: tuple[tuple[str, str | None], ...] = ()
    languages: tuple[tuple[str, str | None], ...] = ()
    bios: tuple[tuple[str, str], ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    # Filled by the registry's reader, never by files: the expert's id, who may see each profile
    # field (field → level, defaults left out) and each contact item (in the order of contacts).
    # Left out of repr and comparisons, so fingerprints and round trips ignore them.
    expert_id: int | None = field(default=None, repr=False, compare=False)
    visibility: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    contact_levels: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def fingerprint(self) -> str:
        """A stable hash of the record, to skip re-imports of unchanged rows."""
        # The repr of a frozen dataclass of strings, tuples, booleans and None is canonical, and
        # far cheaper than asdict + JSON at import speed.
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()

    def primary_name(self) -> str:
        """The name shown first."""
        for name in self.names:
            if name.is_primary:
                return name.text
        return self.names[0].text if self.names else ""


def audited_fields(record: ExpertRecord) -> dict[str, object]:
    """The values of a profile as the audit log records them before and after a change.

    >>> audited_fields(ExpertRecord(names=(NameRecord("Анна", "Cyrl", "ru"),), city="Moscow"))["names"]
    ['Анна']
    """
    return {
        "names": [name.text for name in record.names if not name.generated],
        "status": record.status,
        "organization": record.organization,
        "position_title": record.position_title,
        "city": record.city,
        "country": record.country,
        "sectors": list(record.sectors),
        "expertise": [text for text, _ in record.expertise],
        "languages": [f"{code}:{level}" if level else code for code, level in record.languages],
        "bios": dict(record.bios),
        "identifiers": dict(record.identifiers),
        "contacts": [f"{kind}:{value}" for kind, value in record.contacts],
    }


@dataclass(frozen=True)
class OrganizationRecord:
    """An organization with its names per language and its aliases."""

    names: dict[str, str]
    external_id: str | None = None
    aliases: tuple[str, ...] = ()
    type: str = "other"
    city: str | None = None
    country: str | None = None
    ror_id: str | None = None
    wikidata_id: str | None = None
    website: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class LocalizedText:
    """A title and a description in one language."""

    title: str
    description: str = ""


@dataclass(frozen=True)
class OpportunityRecord:
    """An opportunity an organization posts."""

    kind: str
    texts: dict[str, LocalizedText]
    external_id: str | None = None
    status: str = "open"
    sectors: tuple[str, ...] = ()
    organization: str | None = None
    city: str | None = None
    country: str | None = None
    deadline: dt.date | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class EventRecord:
    """A cooperation event with its organizers and participants."""

    kind: str
    texts: dict[str, LocalizedText]
    starts_on: dt.date
    ends_on: dt.date
    external_id: str | None = None
    city: str | None = None
    country: str | None = None
    venue: str | None = None
    online: bool = False
    organizers: tuple[str, ...] = ()
    expert_participants: tuple[str, ...] = ()
    organization_participants: tuple[str, ...] = ()

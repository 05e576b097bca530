"""Experts: the bulk writer that every channel uses (import, API, demo) and the batch reader.

Writes go through Core ``executemany`` in batches, because an import of 100,000 experts with their
names, sectors and keywords is about two million rows; the ORM unit of work would be far too slow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Expert,
    ExpertAffiliation,
    ExpertBio,
    ExpertContact,
    ExpertIdentifier,
    ExpertKeyword,
    ExpertLanguage,
    ExpertName,
    ExpertSector,
)
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.organizations import OrganizationDirectory, primary_names
from expertbridge.registry.records import ExpertRecord, NameRecord
from expertbridge.text.normalize import fold

CHILD_TABLES = (
    ExpertName,
    ExpertAffiliation,
    ExpertSector,
    ExpertKeyword,
    ExpertLanguage,
    ExpertBio,
    ExpertIdentifier,
    ExpertContact,
)


@dataclass
class WriteCounts:
    """What a write did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    ids: list[int] = field(default_factory=list)

    def add(self, other: WriteCounts) -> None:
        """Add another batch's counts to these."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.organizations_created += other.organizations_created
        self.ids.extend(other.ids)


def _expert_columns(record: ExpertRecord, *, imported: bool) -> dict[str, Any]:
    return {
        "external_id": record.external_id,
        "status": record.status,
        "city": record.city,
        "country": record.country,
        "import_fingerprint": record.fingerprint() if imported else None,
    }


class ExpertWriter:
    """Writes expert records in batches inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        *,
        actor: str,
        imported: bool = True,
        directory: OrganizationDirectory | None = None,
    ):
        """``imported`` marks writes from files, whose fingerprint lets a re-import skip them."""
        self.session = session
        self.imported = imported
        self.actor = actor
        self.directory = directory or OrganizationDirectory(session)

    def write(self, records: Sequence[ExpertRecord], *, existing_ids: Sequence[int | None] = ()) -> WriteCounts:
        """Create or replace ``records``.

        A record with an ``external_id`` already in the registry replaces that expert (unless its
        fingerprint shows nothing changed); ``existing_ids`` may name the expert to replace by id
        instead (API updates).  Returns counts and the id of every record, in order.
        """
        counts = WriteCounts()
        now = utcnow()
        targets = self._targets(records, existing_ids)
        new_positions = [i for i, target in enumerate(targets) if target is None]
        changed: list[int] = []
        ids: list[int | None] = [t[0] if t else None for t in targets]
        for position, target in enumerate(targets):
            if target is None:
                continue
            expert_id, fingerprint = target
            if self.imported and fingerprint == records[position].fingerprint():
                counts.unchanged += 1
            else:
                changed.append(position)
        if changed:
            changed_ids = [ids[p] for p in changed]
            for table in CHILD_TABLES:
                self.session.execute(delete(table).where(table.expert_id.in_(changed_ids)))
            self.session.execute(
                update(Expert),
                [
                    {"id": ids[p], **_expert_columns(records[p], imported=self.imported), "updated_at": now}
                    for p in changed
                ],
            )
            counts.updated += len(changed)
        if new_positions:
            created = self.session.execute(
                insert(Expert).returning(Expert.id, sort_by_parameter_order=True),
                [
                    {**_expert_columns(records[p], imported=self.imported), "created_at": now, "updated_at": now,
                     "last_confirmed_at": now}
                    for p in new_positions
                ],
            ).scalars().all()
            for position, expert_id in zip(new_positions, created, strict=True):
                ids[position] = expert_id
            counts.created += len(new_positions)
        to_fill = sorted([*changed, *new_positions])
        counts.organizations_created += self._insert_children(
            [(ids[p], records[p]) for p in to_fill]  # type: ignore[misc]
        )
        write_changes(
            self.session,
            self.actor,
            [
                Change("create" if p in set(new_positions) else "update", "expert", ids[p],
                       {"external_id": records[p].external_id} if records[p].external_id else None)
                for p in to_fill
            ],
        )
        counts.ids = [expert_id for expert_id in ids if expert_id is not None]
        return counts

    def _targets(
        self, records: Sequence[ExpertRecord], existing_ids: Sequence[int | None]
    ) -> list[tuple[int, str | None] | None]:
        targets: list[tuple[int, str | None] | None] = [None] * len(records)
        by_id = [i for i, eid in enumerate(existing_ids) if eid is not None]
        if by_id:
            rows = dict(
                self.session.execute(
                    select(Expert.id, Expert.import_fingerprint).where(
                        Expert.id.in_([existing_ids[i] for i in by_id])
                    )
                ).tuples()
            )
            for i in by_id:
                expert_id = existing_ids[i]
                if expert_id is not None and expert_id in rows:
                    targets[i] = (expert_id, rows[expert_id])
        external = {r.external_id: i for i, r in enumerate(records) if r.external_id and targets[i] is None}
        if external:
            query = select(Expert.external_id, Expert.id, Expert.import_fingerprint).where(
                Expert.external_id.in_(list(external))
            )
            for external_id, expert_id, fingerprint in self.session.execute(query):
                targets[external[external_id]] = (expert_id, fingerprint)
        return targets

    def _insert_children(self, items: list[tuple[int, ExpertRecord]]) -> int:
        rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
        organizations_created = 0
        for expert_id, record in items:
            for position, name in enumerate(record.names):
                rows[ExpertName].append(
                    {"expert_id": expert_id, "text": name.text, "normalized": fold(name.text),
                     "script": name.script, "language": name.language, "kind": name.kind,
                     "scheme": name.scheme, "is_primary": name.is_primary,
                     "generated": name.generated, "position": position}
                )
            if record.organization:
                organization_id, created = self.directory.find_or_create(
                    record.organization, city=record.city, country=record.country, actor=self.actor
                )
                organizations_created += created
                rows[ExpertAffiliation].append(
                    {"expert_id": expert_id, "organization_id": organization_id,
                     "position_title": record.position_title, "start_year": None,
                     "end_year": None, "position": 0}
                )
            for position, code in enumerate(record.sectors):
                rows[ExpertSector].append(
                    {"expert_id": expert_id, "sector_code": code, "position": position}
                )
            for position, (text, language) in enumerate(record.expertise):
                rows[ExpertKeyword].append(
                    {"expert_id": expert_id, "text": text, "normalized": fold(text),
                     "language": language, "position": position}
                )
            for position, (language, level) in enumerate(record.languages):
                rows[ExpertLanguage].append(
                    {"expert_id": expert_id, "language": language, "level": level,
                     "position": position}
                )
            for language, text in record.bios:
                rows[ExpertBio].append({"expert_id": expert_id, "language": language, "text": text})
            for scheme, value in record.identifiers:
                rows[ExpertIdentifier].append(
                    {"expert_id": expert_id, "scheme": scheme, "value": value}
                )
            for position, (kind, value) in enumerate(record.contacts):
                rows[ExpertContact].append(
                    {"expert_id": expert_id, "kind": kind, "value": value,
                     "visibility": "private", "position": position}
                )
        for table in CHILD_TABLES:
            if rows[table]:
                self.session.execute(insert(table), rows[table])
        return organizations_created


def delete_expert(session: Session, expert_id: int, *, actor: str) -> bool:
    """Delete an expert and everything attached; False when there is no such expert."""
    deleted = session.execute(delete(Expert).where(Expert.id == expert_id)).rowcount  # type: ignore[attr-defined]
    if deleted:
        write_changes(session, actor, [Change("delete", "expert", expert_id)])
    return bool(deleted)


def read_experts(session: Session, ids: Sequence[int]) -> dict[int, ExpertRecord]:
    """Records of the experts with ``ids`` (missing ids are left out), in a fixed number of queries."""
    experts = {
        expert.id: expert for expert in session.scalars(select(Expert).where(Expert.id.in_(ids)))
    }
    found = list(experts)
    names: dict[int, list[NameRecord]] = defaultdict(list)
    for name in session.scalars(
        select(ExpertName).where(ExpertName.expert_id.in_(found)).order_by(ExpertName.position)
    ):
        names[name.expert_id].append(
            NameRecord(text=name.text, script=name.script, language=name.language, kind=name.kind,
                       scheme=name.scheme, is_primary=name.is_primary, generated=name.generated)
        )
    affiliations: dict[int, ExpertAffiliation] = {}
    for affiliation in session.scalars(
        select(ExpertAffiliation)
        .where(ExpertAffiliation.expert_id.in_(found))
        .order_by(ExpertAffiliation.position)
    ):
        affiliations.setdefault(affiliation.expert_id, affiliation)
    organization_names = primary_names(session, [a.organization_id for a in affiliations.values()])
    sectors = _grouped(session, ExpertSector, found, lambda row: row.sector_code)
    keywords = _grouped(session, ExpertKeyword, found, lambda row: (row.text, row.language))
    languages = _grouped(session, ExpertLanguage, found, lambda row: (row.language, row.level))
    bios = _grouped(session, ExpertBio, found, lambda row: (row.language, row.text))
    identifiers = _grouped(session, ExpertIdentifier, found, lambda row: (row.scheme, row.value))
    contacts = _grouped(session, ExpertContact, found, lambda row: (row.kind, row.value))
    records = {}
    for expert_id, expert in experts.items():
        affiliation = affiliations.get(expert_id)
        records[expert_id] = ExpertRecord(
            names=tuple(names[expert_id]),
            external_id=expert.external_id,
            status=expert.status,
            organization=organization_names.get(affiliation.organization_id) if affiliation else None,
            position_title=affiliation.position_title if affiliation else None,
            city=expert.city,
            country=expert.country,
            sectors=tuple(sectors[expert_id]),
            expertise=tuple(keywords[expert_id]),
            languages=tuple(languages[expert_id]),
            bios=tuple(sorted(bios[expert_id])),
            identifiers=tuple(sorted(identifiers[expert_id])),
            contacts=tuple(contacts[expert_id]),
        )
    return records


def _grouped(session: Session, table: Any, ids: list[int], value: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    query = select(table).where(table.expert_id.in_(ids))
    if hasattr(table, "position"):
        query = query.order_by(table.position)
    for row in session.scalars(query):
        grouped[row.expert_id].append(value(row))
    return grouped


def iter_expert_ids(session: Session, statuses: Iterable[str] | None = None) -> Iterator[int]:
    """Expert ids in export order (by id), optionally only those in ``statuses``."""
    query = select(Expert.id).order_by(Expert.id)
    if statuses is not None:
        query = query.where(Expert.status.in_(list(statuses)))
    yield from session.scalars(query)

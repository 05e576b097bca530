"""Experts: the bulk writer that every channel uses (import, API, demo) and the batch reader.

Writes go through Core ``executemany`` in batches, because an import of 100,000 experts with their
names, sectors and keywords is about two million rows; the ORM unit of work would be far too slow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from expertbridge.db.dialect import dialect_of
from expertbridge.db.models import (
    Expert,
    ExpertAffiliation,
    ExpertBio,
    ExpertContact,
    ExpertFieldVisibility,
    ExpertIdentifier,
    ExpertKeyword,
    ExpertLanguage,
    ExpertName,
    ExpertSector,
)
from expertbridge.registry.audit import Change, diff, utcnow, write_changes
from expertbridge.registry.organizations import OrganizationDirectory, names_in, primary_names
from expertbridge.registry.outbox import enqueue
from expertbridge.registry.records import ExpertRecord, NameRecord, audited_fields
from expertbridge.text.normalize import fold

# The columns each child row is written with, in the order _insert_children builds them.
CHILD_COLUMNS: dict[Any, tuple[str, ...]] = {
    ExpertName: (
        "expert_id",
        "text",
        "normalized",
        "script",
        "language",
        "kind",
        "scheme",
        "is_primary",
        "generated",
        "position",
    ),
    ExpertAffiliation: ("expert_id", "organization_id", "position_title", "position"),
    ExpertSector: ("expert_id", "sector_code", "position"),
    ExpertKeyword: ("expert_id", "text", "normalized", "language", "position"),
    ExpertLanguage: ("expert_id", "language", "level", "position"),
    ExpertBio: ("expert_id", "language", "text"),
    ExpertIdentifier: ("expert_id", "scheme", "value"),
    ExpertContact: ("expert_id", "kind", "value", "visibility", "position"),
}
CHILD_TABLES = tuple(CHILD_COLUMNS)

# The child tables whose rows depend on the record alone, in the order child_rows returns them
# (affiliations need the organization directory and are built by the writer).
ROW_TABLES = (
    ExpertName,
    ExpertSector,
    ExpertKeyword,
    ExpertLanguage,
    ExpertBio,
    ExpertIdentifier,
    ExpertContact,
)
ChildRows = tuple[list[tuple[Any, ...]], ...]

# The status of a profile whose expert withdrew consent; see registry/consent.py.
WITHDRAWN = "withdrawn"

# Keywords repeat across profiles (a field has a few thousand terms), so their folded forms are
# cached; names are nearly all distinct and are folded as they come.
_fold_keyword = lru_cache(maxsize=65_536)(fold)


def child_rows(record: ExpertRecord) -> ChildRows:
    """The rows of each table in ROW_TABLES for ``record``, without the expert id.

    Pure: it needs neither the session nor the organization directory.
    """
    return (
        [
            (
                name.text,
                fold(name.text),
                name.script,
                name.language,
                name.kind,
                name.scheme,
                name.is_primary,
                name.generated,
                position,
            )
            for position, name in enumerate(record.names)
        ],
        [(code, position) for position, code in enumerate(record.sectors)],
        [
            (text, _fold_keyword(text), language, position)
            for position, (text, language) in enumerate(record.expertise)
        ],
        [(language, level, position) for position, (language, level) in enumerate(record.languages)],
        [(language, text) for language, text in record.bios],
        [(scheme, value) for scheme, value in record.identifiers],
        [(kind, value, "private", position) for position, (kind, value) in enumerate(record.contacts)],
    )


@dataclass
class WriteCounts:
    """What a write did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    ids: list[int] = field(default_factory=list)


EXPERT_COLUMNS = (
    "id",
    "external_id",
    "status",
    "city",
    "country",
    "import_fingerprint",
    "created_at",
    "updated_at",
    "last_confirmed_at",
)


@dataclass(frozen=True)
class StoredExpert:
    """An expert already in the registry, as far as a write needs to know it."""

    expert_id: int
    fingerprint: str | None
    status: str
    external_id: str | None = None


def stored_experts(session: Session, external_ids: Sequence[str]) -> dict[str, StoredExpert]:
    """The experts with these import ids: import id → what is stored."""
    if not external_ids:
        return {}
    connection = session.connection()
    rows = dialect_of(connection).select_in(
        connection,
        "SELECT external_id, id, import_fingerprint, status FROM experts",
        "external_id",
        list(external_ids),
    )
    return {
        external_id: StoredExpert(expert_id, fingerprint, status, external_id)
        for external_id, expert_id, fingerprint, status in rows
    }


def _keeping_withdrawals(
    records: Sequence[ExpertRecord], targets: Sequence[StoredExpert | None]
) -> list[ExpertRecord]:
    """The records, each profile whose expert withdrew consent staying withdrawn.

    Only the expert's renewed consent (consent.give_consent) brings such a profile back: no write of
    its data, whatever status it carries, may show it again (152-FZ art. 9, PIPL art. 15).
    """
    return [
        replace(record, status=WITHDRAWN)
        if target is not None and target.status == WITHDRAWN and record.status != WITHDRAWN
        else record
        for record, target in zip(records, targets, strict=True)
    ]


def _expert_columns(record: ExpertRecord, fingerprint: str | None) -> dict[str, Any]:
    return {
        "external_id": record.external_id,
        "status": record.status,
        "city": record.city,
        "country": record.country,
        "import_fingerprint": fingerprint,
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
        self._kept_levels: dict[tuple[int, str, str], str] = {}

    def write(
        self,
        records: Sequence[ExpertRecord],
        *,
        existing_ids: Sequence[int | None] = (),
        fingerprints: Sequence[str] | None = None,
    ) -> WriteCounts:
        """Create or replace ``records``.

        A record with an ``external_id`` already in the registry replaces that expert (unless its
        fingerprint shows nothing changed); ``existing_ids`` may name the expert to replace by id
        instead (API updates).  ``fingerprints`` may bring the records' fingerprints when they
        were computed elsewhere (the import's validation process).  A profile whose expert withdrew
        consent stays withdrawn whatever status the record carries.  Returns counts and the id of
        every record, in order.
        """
        prints = list(fingerprints) if fingerprints is not None else [r.fingerprint() for r in records]
        counts = WriteCounts()
        now = utcnow()
        targets = self._targets(records, existing_ids)
        records = _keeping_withdrawals(records, targets)
        new_positions = [i for i, target in enumerate(targets) if target is None]
        changed: list[int] = []
        ids: list[int | None] = [target.expert_id if target else None for target in targets]
        for position, target in enumerate(targets):
            if target is None:
                continue
            if self.imported and target.fingerprint == prints[position]:
                counts.unchanged += 1
            else:
                changed.append(position)
        before: dict[int, ExpertRecord] = {}
        if changed:
            changed_ids = [ids[p] for p in changed]
            # The levels experts chose for their contact items survive a rewrite of the profile.
            self._kept_levels = self._contact_levels(changed_ids)  # type: ignore[arg-type]
            if not self.imported:
                # Edits through the app or the API are audited field by field (imports by id).
                before = read_experts(self.session, changed_ids)  # type: ignore[arg-type]
            for table in CHILD_TABLES:
                self.session.execute(delete(table).where(table.expert_id.in_(changed_ids)))
            self.session.execute(
                update(Expert),
                [
                    {
                        "id": ids[p],
                        **_expert_columns(records[p], prints[p] if self.imported else None),
                        "updated_at": now,
                    }
                    for p in changed
                ],
            )
            counts.updated += len(changed)
        if new_positions:
            connection = self.session.connection()
            dialect = dialect_of(connection)
            created = dialect.allocate_ids(connection, Expert.__table__, len(new_positions))  # type: ignore[arg-type]
            stamp = dialect.datetime_value(now)
            rows = []
            for position, expert_id in zip(new_positions, created, strict=True):
                ids[position] = expert_id
                columns = _expert_columns(records[position], prints[position] if self.imported else None)
                rows.append((expert_id, *columns.values(), stamp, stamp, stamp))
            dialect.insert_many(connection, Expert.__table__, EXPERT_COLUMNS, rows)  # type: ignore[arg-type]
            counts.created += len(new_positions)
        to_fill = sorted([*changed, *new_positions])
        counts.organizations_created += self._insert_children(
            [(ids[p], records[p]) for p in to_fill]  # type: ignore[misc]
        )
        created_positions = set(new_positions)
        write_changes(
            self.session,
            self.actor,
            [
                Change(
                    "create" if p in created_positions else "update",
                    "expert",
                    ids[p],
                    self._audited(before.get(ids[p]), records[p]),  # type: ignore[arg-type]
                )
                for p in to_fill
            ],
        )
        enqueue(self.session, "expert", [ids[p] for p in to_fill])  # type: ignore[misc]
        counts.ids = [expert_id for expert_id in ids if expert_id is not None]
        return counts

    def remember_fingerprints(self, fingerprints: Sequence[tuple[int, str]]) -> None:
        """Store the fingerprints of imported rows found to change nothing (expert id, fingerprint).

        The next import of the same rows is then skipped by its fingerprint, without reading the
        stored profiles to compare them.
        """
        if fingerprints:
            self.session.execute(
                update(Expert),
                [
                    {"id": expert_id, "import_fingerprint": fingerprint}
                    for expert_id, fingerprint in fingerprints
                ],
            )

    def _audited(self, before: ExpertRecord | None, after: ExpertRecord) -> dict[str, Any] | None:
        """What the audit row of a write says: the id of an import, or before/after of an edit."""
        if self.imported:
            return {"external_id": after.external_id} if after.external_id else None
        return diff(audited_fields(before) if before else {}, audited_fields(after)) or None

    def _contact_levels(self, expert_ids: list[int]) -> dict[tuple[int, str, str], str]:
        """The levels other than private of the contact items of ``expert_ids``."""
        query = select(
            ExpertContact.expert_id, ExpertContact.kind, ExpertContact.value, ExpertContact.visibility
        )
        rows = self.session.execute(
            query.where(ExpertContact.expert_id.in_(expert_ids), ExpertContact.visibility != "private")
        )
        return {(expert_id, kind, value): level for expert_id, kind, value, level in rows}

    def _targets(
        self, records: Sequence[ExpertRecord], existing_ids: Sequence[int | None]
    ) -> list[StoredExpert | None]:
        targets: list[StoredExpert | None] = [None] * len(records)
        by_id = [i for i, eid in enumerate(existing_ids) if eid is not None]
        if by_id:
            query = select(Expert.id, Expert.import_fingerprint, Expert.status).where(
                Expert.id.in_([existing_ids[i] for i in by_id])
            )
            rows = {row[0]: StoredExpert(*row) for row in self.session.execute(query)}
            for i in by_id:
                expert_id = existing_ids[i]
                if expert_id is not None and expert_id in rows:
                    targets[i] = rows[expert_id]
        external = {r.external_id: i for i, r in enumerate(records) if r.external_id and targets[i] is None}
        for external_id, stored in stored_experts(self.session, list(external)).items():
            targets[external[external_id]] = stored
        return targets

    def _insert_children(self, items: list[tuple[int, ExpertRecord]]) -> int:
        rows: dict[Any, list[tuple[Any, ...]]] = {table: [] for table in CHILD_TABLES}
        organizations_created = 0
        for expert_id, record in items:
            for table, table_rows in zip(ROW_TABLES, child_rows(record), strict=True):
                rows[table].extend((expert_id, *row) for row in table_rows)
            if record.organization:
                organization_id, created = self.directory.find_or_create(
                    record.organization, city=record.city, country=record.country, actor=self.actor
                )
                organizations_created += created
                rows[ExpertAffiliation].append((expert_id, organization_id, record.position_title, 0))
        if self._kept_levels:
            kept = self._kept_levels
            rows[ExpertContact] = [
                (expert_id, kind, value, kept.get((expert_id, kind, value), level), position)
                for expert_id, kind, value, level, position in rows[ExpertContact]
            ]
            self._kept_levels = {}
        connection = self.session.connection()
        dialect = dialect_of(connection)
        for table, columns in CHILD_COLUMNS.items():
            dialect.insert_many(connection, table.__table__, columns, rows[table])
        return organizations_created


def delete_expert(session: Session, expert_id: int, *, actor: str) -> bool:
    """Delete an expert and everything attached; False when there is no such expert."""
    deleted = session.execute(delete(Expert).where(Expert.id == expert_id)).rowcount  # type: ignore[attr-defined]
    if deleted:
        write_changes(session, actor, [Change("delete", "expert", expert_id)])
        enqueue(session, "expert", [expert_id])
    return bool(deleted)


def read_experts(session: Session, ids: Sequence[int]) -> dict[int, ExpertRecord]:
    """Records of the experts with ``ids`` (missing ids are left out), in a fixed number of queries.

    Plain column queries rather than ORM entities: reindexing reads every expert, and building
    entity objects cost ten times more than the rows.
    """
    experts = {
        row[0]: row
        for row in session.execute(
            select(Expert.id, Expert.external_id, Expert.status, Expert.city, Expert.country).where(
                Expert.id.in_(ids)
            )
        )
    }
    found = list(experts)
    names: dict[int, list[NameRecord]] = defaultdict(list)
    for expert_id, text, script, language, kind, scheme, is_primary, generated in session.execute(
        select(
            ExpertName.expert_id,
            ExpertName.text,
            ExpertName.script,
            ExpertName.language,
            ExpertName.kind,
            ExpertName.scheme,
            ExpertName.is_primary,
            ExpertName.generated,
        )
        .where(ExpertName.expert_id.in_(found))
        .order_by(ExpertName.expert_id, ExpertName.position)
    ):
        names[expert_id].append(
            NameRecord(
                text=text,
                script=script,
                language=language,
                kind=kind,
                scheme=scheme,
                is_primary=is_primary,
                generated=generated,
            )
        )
    first_affiliation: dict[int, tuple[int, str | None]] = {}
    for expert_id, organization_id, position_title in session.execute(
        select(
            ExpertAffiliation.expert_id, ExpertAffiliation.organization_id, ExpertAffiliation.position_title
        )
        .where(ExpertAffiliation.expert_id.in_(found))
        .order_by(ExpertAffiliation.expert_id, ExpertAffiliation.position)
    ):
        first_affiliation.setdefault(expert_id, (organization_id, position_title))
    organization_names = primary_names(session, [first[0] for first in first_affiliation.values()])
    sectors = _grouped(session, found, ExpertSector.sector_code)
    keywords = _grouped(session, found, ExpertKeyword.text, ExpertKeyword.language)
    languages = _grouped(session, found, ExpertLanguage.language, ExpertLanguage.level)
    bios = _grouped(session, found, ExpertBio.language, ExpertBio.text)
    identifiers = _grouped(session, found, ExpertIdentifier.scheme, ExpertIdentifier.value)
    contacts = _grouped(session, found, ExpertContact.kind, ExpertContact.value, ExpertContact.visibility)
    visibility = _grouped(session, found, ExpertFieldVisibility.field, ExpertFieldVisibility.level)
    records = {}
    for expert_id, (_, external_id, status, city, country) in experts.items():
        organization_id, position_title = first_affiliation.get(expert_id, (None, None))
        records[expert_id] = ExpertRecord(
            names=tuple(names[expert_id]),
            external_id=external_id,
            status=status,
            organization=organization_names.get(organization_id) if organization_id is not None else None,
            position_title=position_title,
            city=city,
            country=country,
            sectors=tuple(value for (value,) in sectors[expert_id]),
            expertise=tuple(keywords[expert_id]),
            languages=tuple(languages[expert_id]),
            bios=tuple(sorted(bios[expert_id])),
            identifiers=tuple(sorted(identifiers[expert_id])),
            contacts=tuple((kind, value) for kind, value, _ in contacts[expert_id]),
            expert_id=expert_id,
            visibility=tuple(sorted((name, level) for name, level in visibility[expert_id])),
            contact_levels=tuple(level for _, _, level in contacts[expert_id]),
        )
    return records


def _grouped(session: Session, ids: list[int], *columns: Any) -> dict[int, list[tuple[Any, ...]]]:
    """Rows of one child table per expert, in their stored order: expert id → [values]."""
    table = columns[0].table
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    query = select(table.c.expert_id, *columns).where(table.c.expert_id.in_(ids))
    order = [table.c.expert_id] + ([table.c.position] if "position" in table.c else [])
    for expert_id, *values in session.execute(query.order_by(*order)):
        grouped[expert_id].append(tuple(values))
    return grouped


def affiliations_in(session: Session, expert_ids: Sequence[int], language: str) -> dict[int, tuple[int, str]]:
    """Each expert's first organization: its id and its name in ``language``."""
    first: dict[int, int] = {}
    query = (
        select(ExpertAffiliation.expert_id, ExpertAffiliation.organization_id)
        .where(ExpertAffiliation.expert_id.in_(list(expert_ids)))
        .order_by(ExpertAffiliation.position.desc())
    )
    for expert_id, organization_id in session.execute(query):
        first[expert_id] = organization_id
    labels = names_in(session, first.values(), language)
    return {expert_id: (org_id, labels.get(org_id, "")) for expert_id, org_id in first.items()}


def iter_expert_ids(session: Session, statuses: Iterable[str] | None = None) -> Iterator[int]:
    """Expert ids in export order (by id), optionally only those in ``statuses``."""
    query = select(Expert.id).order_by(Expert.id)
    if statuses is not None:
        query = query.where(Expert.status.in_(list(statuses)))
    yield from session.scalars(query)

"""Organizations: resolving names to records, writing and reading them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import Organization, OrganizationName
from expertbridge.registry.audit import Change, diff, utcnow, write_changes
from expertbridge.registry.outbox import enqueue_organization_experts
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.records import OrganizationRecord
from expertbridge.text.normalize import fold, language_of

NAME_LANGUAGES = ("en", "ru", "zh")


@dataclass
class OrganizationDirectory:
    """Finds organizations by any of their names, their external id or their ROR id.

    Loaded once per import so that resolving 100,000 affiliations costs no queries; organizations
    created during the import are added as they are made.  ``new_status`` is the status of the
    organizations it creates: approved when the operator imports, pending when a person names an
    unknown organization on the web (a coordinator of its side vets it).

    A name is found as folded (case, punctuation and spacing between words do not count:
    "М.В. Ломоносова" is "М. В. Ломоносова"), else, when exactly one organization has it, with
    the spaces taken out too ("МГУ им. М.В.Ломоносова", "北京 大学" for "北京大学").
    """

    session: Session
    new_status: str = "approved"
    by_name: dict[str, int] = field(default_factory=dict)
    # Folded names without spaces → the one organization that has it (None: several have it).
    by_joined_name: dict[str, int | None] = field(default_factory=dict)
    by_external_id: dict[str, int] = field(default_factory=dict)
    by_ror: dict[str, int] = field(default_factory=dict)
    _loaded: bool = False

    def load(self) -> None:
        """Read every organization name and id into memory (once)."""
        if self._loaded:
            return
        names = self.session.execute(
            select(OrganizationName.normalized, OrganizationName.organization_id).order_by(
                OrganizationName.is_primary.desc(), OrganizationName.organization_id
            )
        )
        for normalized, organization_id in names:
            self.by_name.setdefault(normalized, organization_id)
            self._join(normalized, organization_id)
        for org_id, external_id, ror_id in self.session.execute(
            select(Organization.id, Organization.external_id, Organization.ror_id)
        ):
            if external_id:
                self.by_external_id[external_id] = org_id
            if ror_id:
                self.by_ror[ror_id] = org_id
        self._loaded = True

    def find(self, reference: str) -> int | None:
        """The id of the organization a reference names (ROR id, external id or any name)."""
        self.load()
        reference = reference.strip()
        if reference.startswith("https://ror.org/"):
            return self.by_ror.get(reference)
        if reference in self.by_external_id:
            return self.by_external_id[reference]
        folded = fold(reference)
        found = self.by_name.get(folded)
        if found is None and folded:
            # Only a name no other organization shares once its spaces are gone.
            found = self.by_joined_name.get(folded.replace(" ", ""))
        return found

    def _join(self, normalized: str, organization_id: int) -> None:
        """Index a folded name without its spaces, remembering when two organizations share it."""
        joined = normalized.replace(" ", "")
        if not joined:
            return
        if joined in self.by_joined_name and self.by_joined_name[joined] != organization_id:
            self.by_joined_name[joined] = None
        else:
            self.by_joined_name[joined] = organization_id

    def remember(self, organization_id: int, record: OrganizationRecord) -> None:
        """Make a just-written organization findable."""
        for name in (*record.names.values(), *record.aliases):
            self.by_name.setdefault(fold(name), organization_id)
            self._join(fold(name), organization_id)
        if record.external_id:
            self.by_external_id[record.external_id] = organization_id
        if record.ror_id:
            self.by_ror[record.ror_id] = organization_id

    def forget(self, organization_id: int, record: OrganizationRecord) -> None:
        """Stop finding an organization by the import id and ROR id of ``record`` (it lost them)."""
        if record.external_id and self.by_external_id.get(record.external_id) == organization_id:
            del self.by_external_id[record.external_id]
        if record.ror_id and self.by_ror.get(record.ror_id) == organization_id:
            del self.by_ror[record.ror_id]

    def find_or_create(
        self, reference: str, *, city: str | None, country: str | None, actor: str
    ) -> tuple[int, bool]:
        """The organization a reference names, created from the name when unknown."""
        found = self.find(reference)
        if found is not None:
            return found, False
        language = language_of(reference) or "en"
        record = OrganizationRecord(names={language: reference.strip()}, city=city, country=country)
        organization_id = write_organization(self.session, record, self, actor=actor)[0]
        return organization_id, True


def _name_rows(organization_id: int, record: OrganizationRecord) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    primary_language = next((lang for lang in NAME_LANGUAGES if record.names.get(lang)), None)
    for language in NAME_LANGUAGES:
        text = record.names.get(language)
        if text:
            rows.append(
                {
                    "organization_id": organization_id,
                    "text": text,
                    "normalized": fold(text),
                    "language": language,
                    "kind": "label",
                    "is_primary": language == primary_language,
                    "position": len(rows),
                }
            )
    for alias in record.aliases:
        rows.append(
            {
                "organization_id": organization_id,
                "text": alias,
                "normalized": fold(alias),
                "language": language_of(alias),
                "kind": "alias",
                "is_primary": False,
                "position": len(rows),
            }
        )
    return rows


def _columns(record: OrganizationRecord) -> dict[str, object]:
    return {
        "external_id": record.external_id,
        "type": record.type,
        "city": record.city,
        "country": record.country,
        "ror_id": record.ror_id,
        "wikidata_id": record.wikidata_id,
        "website": record.website,
    }


class RorIdTaken(ValueError):
    """A record carries the ROR id of an organization other than the one it describes."""

    def __init__(self, ror_id: str, organization_id: int, name: str, external_id: str | None):
        self.ror_id = ror_id
        self.organization_id = organization_id
        self.name = name
        self.external_id = external_id
        import_id = f"import id {external_id}" if external_id else "no import id"
        super().__init__(f"this ROR id belongs to {name} (id {organization_id}, {import_id})")


def matching_organization(
    directory: OrganizationDirectory, record: OrganizationRecord, organization_id: int | None = None
) -> int | None:
    """The organization ``record`` describes (None: a new one); raises :class:`RorIdTaken`.

    That is ``organization_id`` when given, else the organization with the record's import id, else
    (for a record without an import id: a ROR record) the one with its ROR id.  A ROR id identifies
    one organization: a record that names an organization by its import id, or a new one, but
    carries the ROR id of another is refused rather than allowed to overwrite that other one (a
    record whose id is the registry id of the organization with its ROR id, as exports write an
    organization without an import id, is that organization).
    """
    directory.load()
    holder = directory.by_ror.get(record.ror_id) if record.ror_id else None
    if organization_id is None:
        if not record.external_id:
            return holder
        organization_id = directory.by_external_id.get(record.external_id)
        if organization_id is None and holder is not None and record.external_id == str(holder):
            # An export writes an organization without an import id under its registry id; with
            # the ROR id agreeing, the row is that organization's exported row.
            return holder
    if holder is not None and holder != organization_id:
        raise _ror_id_taken(directory.session, record.ror_id or "", holder)
    return organization_id


def _ror_id_taken(session: Session, ror_id: str, holder: int) -> RorIdTaken:
    external_id = session.scalar(select(Organization.external_id).where(Organization.id == holder))
    name = primary_names(session, [holder]).get(holder, "")
    return RorIdTaken(ror_id, holder, name, external_id)


def _without_parent(record: OrganizationRecord) -> dict[str, object]:
    fields = asdict(record)
    fields.pop("parent")
    return fields


def write_organization(
    session: Session,
    record: OrganizationRecord,
    directory: OrganizationDirectory,
    *,
    actor: str,
    organization_id: int | None = None,
) -> tuple[int, str]:
    """Insert or update one organization (by ``organization_id``, else as :func:`matching_organization`
    finds it; raises :class:`RorIdTaken` when the ROR id is another organization's).

    The parent is not linked here, because in a file it may come after its child: call
    :func:`link_parent` once every organization of the batch is written.  Returns the id and what
    happened: ``created``, ``updated`` or ``unchanged``.
    """
    existing = matching_organization(directory, record, organization_id)
    now = utcnow()
    if existing is None:
        # A new organization gets the directory's status; an existing one keeps the coordinators'
        # decision, whoever writes it again.
        status = directory.new_status
        organization_id = session.execute(
            insert(Organization).returning(Organization.id),
            [{**_columns(record), "status": status, "created_at": now, "updated_at": now}],
        ).scalar_one()
        session.execute(insert(OrganizationName), _name_rows(organization_id, record))
        directory.remember(organization_id, record)
        write_changes(session, actor, [Change("create", "organization", organization_id, {"status": status})])
        return organization_id, "created"
    stored = read_organizations(session, [existing])[existing]
    before = _without_parent(stored)
    after = _without_parent(record)
    if before == after:
        return existing, "unchanged"
    session.execute(
        update(Organization).where(Organization.id == existing).values(**_columns(record), updated_at=now)
    )
    session.execute(delete(OrganizationName).where(OrganizationName.organization_id == existing))
    session.execute(insert(OrganizationName), _name_rows(existing, record))
    # An import id or ROR id the organization no longer has must not find it any more.
    directory.forget(existing, stored)
    directory.remember(existing, record)
    write_changes(session, actor, [Change("update", "organization", existing, diff(before, after))])
    if any(before[field] != after[field] for field in ("names", "aliases", "type")):
        # What the experts' index documents carry of their organizations (search/sync.py).
        enqueue_organization_experts(session, [existing])
    return existing, "updated"


def findable_reference(directory: OrganizationDirectory, organization_id: int) -> str | None:
    """A reference :meth:`OrganizationDirectory.find` resolves to ``organization_id`` (its ROR id,
    import id or one of its names: what a row or a form writes in the ``parent`` column), or None
    when the organization shares every name with others and has neither id."""
    session = directory.session
    found = session.execute(
        select(Organization.ror_id, Organization.external_id).where(Organization.id == organization_id)
    ).first()
    if found is None:
        return None
    names = session.scalars(
        select(OrganizationName.text)
        .where(OrganizationName.organization_id == organization_id)
        .order_by(OrganizationName.is_primary.desc(), OrganizationName.position)
    )
    for candidate in (found.ror_id, found.external_id, *names):
        if candidate and directory.find(candidate) == organization_id:
            return str(candidate)
    return None


class ParentRefused(Refused):
    """A parent that would make an organization part of itself: the organization itself, or one of
    its units (directly or further down).  ``message`` and ``values`` say which organizations, in
    any language (see :class:`~expertbridge.registry.problems.Refused`)."""


OWN_PARENT = N_(
    "“%(name)s” (number %(id)s) cannot be its own parent; leave its parent empty or give the "
    "organization it is part of"
)
UNIT_AS_PARENT = N_(
    "“%(parent)s” (number %(parent_id)s) is part of “%(name)s” (number %(id)s), so it cannot be its "
    "parent; correct the parent of one of the two"
)


def parent_chain(session: Session, organization_id: int) -> Iterator[int]:
    """``organization_id``, its parent, the parent's parent and so on up to the top (a chain that
    loops, as one stored before the rules could, ends where it comes back)."""
    current: int | None = organization_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        yield current
        seen.add(current)
        current = session.scalar(select(Organization.parent_id).where(Organization.id == current))


def _check_parent(session: Session, organization_id: int, parent_id: int) -> None:
    """Raise :class:`ParentRefused` unless ``parent_id`` may be the parent of ``organization_id``:
    neither the organization itself nor an organization it is above."""
    if parent_id == organization_id:
        name = primary_names(session, [organization_id]).get(organization_id, "")
        raise ParentRefused(OWN_PARENT, 422, name=name, id=str(organization_id))
    if organization_id in parent_chain(session, parent_id):
        names = primary_names(session, [organization_id, parent_id])
        raise ParentRefused(
            UNIT_AS_PARENT,
            422,
            parent=names.get(parent_id, ""),
            parent_id=str(parent_id),
            name=names.get(organization_id, ""),
            id=str(organization_id),
        )


def link_parent(
    session: Session,
    organization_id: int,
    parent: str | None,
    directory: OrganizationDirectory,
    *,
    actor: str,
) -> bool:
    """Point an organization at the parent a reference names; False when the parent is unknown.

    Raises :class:`ParentRefused` when that parent is the organization itself or one of its units:
    a parent chain never comes back to where it starts.  A link already stored is left as it is.
    """
    current = session.scalar(select(Organization.parent_id).where(Organization.id == organization_id))
    if parent and current is not None and _named(session, current, parent):
        # The stored parent is kept when the reference still names it: an export or an API read
        # writes a parent without ids by its name, which another organization may share.
        return True
    parent_id = directory.find(parent) if parent else None
    if parent and parent_id is None:
        return False
    if current == parent_id:
        return True
    if parent_id is not None:
        _check_parent(session, organization_id, parent_id)
    session.execute(
        update(Organization).where(Organization.id == organization_id).values(parent_id=parent_id)
    )
    write_changes(
        session,
        actor,
        [Change("update", "organization", organization_id, {"parent_id": [current, parent_id]})],
    )
    return True


def _named(session: Session, organization_id: int, reference: str) -> bool:
    """Whether ``reference`` is one of the organization's names (any case, any spacing)."""
    return (
        session.scalar(
            select(OrganizationName.organization_id).where(
                OrganizationName.organization_id == organization_id,
                OrganizationName.normalized == fold(reference),
            )
        )
        is not None
    )


def _best_names(session: Session, organization_ids: Iterable[int], *best_first: Any) -> dict[int, str]:
    """The first name of each organization in the order ``best_first``."""
    ids = list(set(organization_ids))
    names: dict[int, str] = {}
    for chunk in _chunks(ids, 500):
        query = (
            select(OrganizationName.organization_id, OrganizationName.text)
            .where(OrganizationName.organization_id.in_(chunk))
            .order_by(*best_first)
        )
        for organization_id, text in session.execute(query):
            names.setdefault(organization_id, text)
    return names


def primary_names(session: Session, organization_ids: Iterable[int]) -> dict[int, str]:
    """The primary name of each organization."""
    return _best_names(
        session, organization_ids, OrganizationName.is_primary.desc(), OrganizationName.position
    )


def names_in(session: Session, organization_ids: Iterable[int], language: str) -> dict[int, str]:
    """Each organization's label in ``language``, falling back to its primary name."""
    in_language = (OrganizationName.language == language) & (OrganizationName.kind == "label")
    return _best_names(
        session,
        organization_ids,
        in_language.desc(),
        OrganizationName.is_primary.desc(),
        OrganizationName.position,
    )


def read_organizations(session: Session, ids: Sequence[int]) -> dict[int, OrganizationRecord]:
    """Records of the organizations with ``ids`` (missing ids are left out)."""
    organizations = {
        org.id: org for org in session.scalars(select(Organization).where(Organization.id.in_(ids)))
    }
    names: dict[int, dict[str, str]] = {org_id: {} for org_id in organizations}
    aliases: dict[int, list[str]] = {org_id: [] for org_id in organizations}
    query = (
        select(OrganizationName)
        .where(OrganizationName.organization_id.in_(list(organizations)))
        .order_by(OrganizationName.organization_id, OrganizationName.position)
    )
    for name in session.scalars(query):
        if name.kind == "label" and name.language and name.language not in names[name.organization_id]:
            names[name.organization_id][name.language] = name.text
        else:
            aliases[name.organization_id].append(name.text)
    parents = primary_names(session, [o.parent_id for o in organizations.values() if o.parent_id])
    parent_refs = _references(session, [o.parent_id for o in organizations.values() if o.parent_id])
    return {
        org_id: OrganizationRecord(
            names=names[org_id],
            external_id=org.external_id,
            aliases=tuple(aliases[org_id]),
            type=org.type,
            city=org.city,
            country=org.country,
            ror_id=org.ror_id,
            wikidata_id=org.wikidata_id,
            website=org.website,
            parent=(parent_refs.get(org.parent_id) or parents.get(org.parent_id)) if org.parent_id else None,
        )
        for org_id, org in organizations.items()
    }


def _references(session: Session, ids: list[int]) -> dict[int, str]:
    """A stable reference to each organization: its ROR id or external id when it has one."""
    refs: dict[int, str] = {}
    for chunk in _chunks(list(set(ids)), 500):
        query = select(Organization.id, Organization.ror_id, Organization.external_id).where(
            Organization.id.in_(chunk)
        )
        for org_id, ror_id, external_id in session.execute(query):
            if ror_id or external_id:
                refs[org_id] = ror_id or external_id
    return refs


def iter_organization_ids(session: Session) -> Iterator[int]:
    """Every organization id in export order (external id or ROR id, then id)."""
    query = select(Organization.id).order_by(Organization.id)
    yield from session.scalars(query)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

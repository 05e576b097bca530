"""Create or change one record described by canonical columns (the API's bodies).

The API accepts the same columns as the import files and validates them with the same readers, so
a field means the same thing, and is checked the same way, in a spreadsheet and in a request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from expertbridge.ingest.activities import (
    EVENT_COLUMNS,
    OPPORTUNITY_COLUMNS,
    event_row,
    opportunity_row,
    read_event_row,
    read_opportunity_row,
)
from expertbridge.ingest.cells import RowCells, cell_text
from expertbridge.ingest.experts import (
    EXPERT_COLUMNS,
    EXPERT_EXTRA_COLUMNS,
    ExpertRowReader,
    expert_row,
)
from expertbridge.ingest.organizations import (
    ORGANIZATION_COLUMNS,
    organization_row,
    read_organization_row,
)
from expertbridge.ingest.partial import follow_city
from expertbridge.ingest.report import Issue
from expertbridge.registry.activities import (
    UnknownReferenceError,
    read_events,
    read_opportunities,
    write_event,
    write_opportunity,
)
from expertbridge.registry.experts import WITHDRAWN, ExpertWriter, read_experts
from expertbridge.registry.organizations import (
    OrganizationDirectory,
    ParentRefused,
    RorIdTaken,
    link_parent,
    read_organizations,
    write_organization,
)
from expertbridge.registry.problems import N_
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.tombstones import erased_matches


class ChangeRejected(ValueError):
    """The columns do not describe a valid record; ``issues`` say why."""

    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(issue.describe() for issue in issues))
        self.issues = issues


class NotFound(LookupError):
    """The record to change does not exist."""


@dataclass(frozen=True)
class Kind:
    """How one kind of record is read from columns, written, and turned back into columns."""

    columns: tuple[str, ...]
    parse: Callable[[RowCells], Any]
    read: Callable[[Session, Sequence[int]], dict[int, Any]]
    to_row: Callable[[Any, str], dict[str, str]]
    write: Callable[[Session, Any, int | None, str, OrganizationDirectory], int]


def _write_expert(
    session: Session, record: Any, target: int | None, actor: str, directory: OrganizationDirectory
) -> int:
    writer = ExpertWriter(session, actor=actor, imported=False, directory=directory)
    return writer.write([record], existing_ids=[target]).ids[0]


def _write_organization(
    session: Session, record: Any, target: int | None, actor: str, directory: OrganizationDirectory
) -> int:
    cells = RowCells(1, {})
    try:
        organization_id, _ = write_organization(
            session, record, directory, actor=actor, organization_id=target
        )
        if link_parent(session, organization_id, record.parent, directory, actor=actor):
            return organization_id
        cells.fail(
            "parent",
            record.parent or "",
            N_(
                "no organization of the registry has this ROR id, import id or name; correct the parent "
                "or add that organization first"
            ),
        )
    except RorIdTaken as taken:
        _ror_id_taken(cells, taken)
    except ParentRefused as refused:
        cells.fail("parent", record.parent or "", refused.message, **refused.values)
    raise ChangeRejected(cells.issues)


def _ror_id_taken(cells: RowCells, taken: RorIdTaken) -> None:
    """The problem of a ROR id another organization has, naming that one (as :class:`RorIdTaken`
    says it in English)."""
    if taken.external_id:
        cells.fail(
            "ror_id",
            taken.ror_id,
            N_("this ROR id belongs to %(name)s (id %(id)s, import id %(import_id)s); correct the ROR id"),
            name=taken.name,
            id=str(taken.organization_id),
            import_id=taken.external_id,
        )
    else:
        cells.fail(
            "ror_id",
            taken.ror_id,
            N_("this ROR id belongs to %(name)s (id %(id)s, no import id); correct the ROR id"),
            name=taken.name,
            id=str(taken.organization_id),
        )


def _write_opportunity(
    session: Session, record: Any, target: int | None, actor: str, directory: OrganizationDirectory
) -> int:
    return write_opportunity(session, record, directory, actor=actor, opportunity_id=target)[0]


def _write_event(
    session: Session, record: Any, target: int | None, actor: str, directory: OrganizationDirectory
) -> int:
    try:
        return write_event(session, record, directory, actor=actor, event_id=target)[0]
    except UnknownReferenceError as error:
        raise ChangeRejected([Issue(1, "expert_participants", "", str(error))]) from None


def kinds() -> dict[str, Kind]:
    """The record kinds the API edits."""
    taxonomy = load_taxonomy()
    expert_reader = ExpertRowReader(taxonomy, default_status="pending")
    return {
        "experts": Kind(
            EXPERT_COLUMNS + EXPERT_EXTRA_COLUMNS, expert_reader.read, read_experts, expert_row, _write_expert
        ),
        "organizations": Kind(
            ORGANIZATION_COLUMNS,
            read_organization_row,
            read_organizations,
            organization_row,
            _write_organization,
        ),
        "opportunities": Kind(
            OPPORTUNITY_COLUMNS,
            lambda cells: read_opportunity_row(cells, taxonomy),
            read_opportunities,
            opportunity_row,
            _write_opportunity,
        ),
        "events": Kind(EVENT_COLUMNS, read_event_row, read_events, event_row, _write_event),
    }


def _cells(kind: Kind, values: Mapping[str, Any]) -> RowCells:
    unknown = sorted(set(values) - set(kind.columns))
    cells = RowCells(1, {column: cell_text(values[column]) for column in kind.columns if column in values})
    for column in unknown:
        cells.fail(column, "", N_("unknown field; fields are: %(choices)s"), choices=", ".join(kind.columns))
    return cells


def _directory(session: Session, trusted: bool) -> OrganizationDirectory:
    # The operator's organizations are approved; those a person names on the web wait for vetting.
    return OrganizationDirectory(session, "approved" if trusted else "pending")


def create(
    session: Session, kind_name: str, values: Mapping[str, Any], *, actor: str, trusted: bool = True
) -> int:
    """Create a record from column values; raises :class:`ChangeRejected`.

    ``trusted``: the operator (the API token) writes; otherwise a person on the web, whose new
    organizations wait for vetting and who may not bring back an erased person.
    """
    kind = kinds()[kind_name]
    cells = _cells(kind, values)
    record = kind.parse(cells)
    if cells.issues or record is None:
        raise ChangeRejected(cells.issues)
    if kind_name == "experts" and (erased := erased_matches(session, [(1, record)])):
        column, value, day = erased[1][0]
        cells.fail(
            column,
            value,
            N_(
                "this person asked for erasure of their data on %(date)s; their profile may not be re-created"
            ),
            date=day.isoformat(),
        )
        raise ChangeRejected(cells.issues)
    if getattr(record, "external_id", None):
        from expertbridge.ingest.lookup import find_by_external_id

        if find_by_external_id(session, kind_name, record.external_id) is not None:
            raise ChangeRejected([Issue(1, "id", record.external_id, "this id is already taken")])
    return kind.write(session, record, None, actor, _directory(session, trusted))


def update(
    session: Session,
    kind_name: str,
    record_id: int,
    values: Mapping[str, Any],
    *,
    actor: str,
    trusted: bool = True,
) -> int:
    """Change some columns of a record, keeping the others; raises NotFound or ChangeRejected.

    ``trusted`` as for :func:`create`.
    """
    kind = kinds()[kind_name]
    current = kind.read(session, [record_id]).get(record_id)
    if current is None:
        raise NotFound(f"no {kind_name[:-1]} with id {record_id}")
    row: dict[str, Any] = dict(kind.to_row(current, ""))
    if not current.external_id:
        row["id"] = ""
    row.update(values)
    if kind_name in ("experts", "organizations"):
        follow_city(row, values.get("city", ""), values.keys())
    cells = _cells(kind, row)
    record = kind.parse(cells)
    if cells.issues or record is None:
        raise ChangeRejected(cells.issues)
    if kind_name == "experts" and current.status == WITHDRAWN and record.status != WITHDRAWN:
        # Only the expert's renewed consent brings the profile back (registry/consent.py).
        message = "this expert withdrew consent; the profile stays hidden until they give it again"
        raise ChangeRejected([Issue(1, "status", record.status, message)])
    return kind.write(session, record, record_id, actor, _directory(session, trusted))

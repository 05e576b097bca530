"""An organization as its form shows and sends it: the names in Russian, Chinese and English and
its other names, type, city, country, ROR id, Wikidata id, website and parent organization.

Who may create or change one is the registry's rule
(:func:`~expertbridge.registry.visibility.may_edit_organization`: admins any, coordinators those of
their side, a partner account its own organization).  The cells are read by the import's reader
(:func:`read_organization_row`), so a form and a spreadsheet row are judged alike: the script of
each name, the ROR id, the Wikidata id and the website are its rules, said in the reader's language.
Checked here first is what only the form asks or the reader cannot see (a name in at least one
language, the parent the viewer picked, a ROR id another organization has), so every problem names
its field.  The change is written by :mod:`expertbridge.ingest.changes`, as the API writes it:
audited, in the caller's transaction, with the experts of a renamed organization queued for the
search index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Organization, OrganizationName
from expertbridge.ingest import changes
from expertbridge.ingest.cells import RowCells, split_list
from expertbridge.ingest.event_form import LABEL_SEPARATOR
from expertbridge.ingest.organizations import (
    MAX_NAME,
    NAME_SCRIPTS,
    ORGANIZATION_COLUMNS,
    organization_row,
    read_organization_row,
    ror_identifier,
)
from expertbridge.registry.catalog import organization_visible
from expertbridge.registry.organizations import (
    OrganizationDirectory,
    findable_reference,
    names_in,
    parent_chain,
    read_organizations,
)
from expertbridge.registry.places import canonical_city, city_label
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer, may_edit_organization, may_see_organization, may_vet
from expertbridge.text.normalize import fold

# The import's columns the form shows; the import id stays the operator's (files update by it).
FORM_COLUMNS = tuple(column for column in ORGANIZATION_COLUMNS if column != "id")
# The length the database keeps of a city (organizations.city).
MAX_CITY = 200


@dataclass(frozen=True)
class CheckedOrganization:
    """A valid organization from the form: its import columns as :mod:`changes` takes them (the
    parent as a reference the registry resolves), and its side."""

    cells: dict[str, str]
    city: str | None


def parent_reference(text: str) -> str:
    """The reference a parent line of the form gives: the part before the name the form adds to
    the registry number of a picked organization.

    >>> parent_reference("1207 · Tsinghua University"), parent_reference(" https://ror.org/03cve4549 ")
    ('1207', 'https://ror.org/03cve4549')
    """
    return text.split(LABEL_SEPARATOR, 1)[0].strip()


def check_may_edit(viewer: Viewer, city: str | None, organization_id: int | None) -> None:
    """Refused (403) unless the viewer may change ``organization_id`` (None: create an
    organization) with ``city`` as its side."""
    if may_edit_organization(viewer, city, organization_id):
        return
    if viewer.role == "coordinator":
        raise Refused(
            N_("Coordinators add and change the organizations of their own side (%(city)s) only."),
            403,
            city=viewer.city or "",
        )
    if organization_id is None:
        raise Refused(N_("Only admins and coordinators add organizations."), 403)
    if viewer.role == "partner":
        raise Refused(N_("A partner account changes its own organization only."), 403)
    raise Refused(N_("Only admins, coordinators and partner accounts change organizations."), 403)


def editable_organization(session: Session, viewer: Viewer, organization_id: int) -> None:
    """Refused unless the organization exists, the viewer sees it (404 otherwise, as its page
    answers) and may change it (403)."""
    found = session.execute(
        select(Organization.status, Organization.city).where(Organization.id == organization_id)
    ).first()
    if found is None or not may_see_organization(
        viewer, found.status, city=found.city, organization_id=organization_id
    ):
        raise Refused(N_("There is no organization with id %(id)s."), 404, id=str(organization_id))
    check_may_edit(viewer, found.city, organization_id)


def organization_values(
    session: Session, viewer: Viewer, organization_id: int, language: str
) -> dict[str, str]:
    """The form's cells filled from the stored organization: other names one per line, the city
    in ``language``, the parent as ``number · name`` (its number only when the viewer may not see
    it: it stays the parent, unnamed)."""
    record = read_organizations(session, [organization_id])[organization_id]
    row = organization_row(record, "")
    values = {column: row[column] for column in FORM_COLUMNS}
    values["aliases"] = "\n".join(record.aliases)
    values["city"] = city_label(record.city, language)
    parent_id = session.scalar(select(Organization.parent_id).where(Organization.id == organization_id))
    if parent_id is None:
        values["parent"] = ""
    elif organization_visible(session, viewer, parent_id):
        name = names_in(session, [parent_id], language).get(parent_id, "")
        values["parent"] = f"{parent_id}{LABEL_SEPARATOR}{name}"
    else:
        values["parent"] = str(parent_id)
    return values


def _check_names(cells: RowCells) -> None:
    """At least one name (the reader judges the script of each)."""
    if not any(cells.cells.get(f"name_{language}", "").strip() for language in NAME_SCRIPTS):
        cells.fail("name", "", N_("fill in the name in at least one language: Russian, Chinese or English"))


def _check_lengths(cells: RowCells) -> None:
    """Each other name and the city within the lengths the database keeps."""
    cells.cells["aliases"] = cells.get("aliases", max_chars=5_000)
    for alias in split_list(cells.cells["aliases"]):
        if len(alias) > MAX_NAME:
            cells.fail(
                "aliases",
                alias,
                N_("longer than %(limit)s characters (%(length)s); shorten it"),
                limit=MAX_NAME,
                length=len(alias),
            )
    cells.cells["city"] = cells.get("city", max_chars=MAX_CITY)


def _check_ror_id_free(session: Session, cells: RowCells, organization_id: int | None) -> None:
    """A ROR id names one organization: refuse the one another organization has (the reader
    refuses one that is not a ROR id)."""
    ror_id = ror_identifier(cells.cells.get("ror_id", ""))
    if ror_id is None:
        return
    holder = session.scalar(select(Organization.id).where(Organization.ror_id == ror_id))
    if holder is not None and holder != organization_id:
        cells.fail(
            "ror_id",
            ror_id,
            N_("organization number %(number)s has this ROR id; correct it, or change that organization"),
            number=str(holder),
        )


def _find_organization(
    session: Session, directory: OrganizationDirectory, cells: RowCells, reference: str
) -> int | None:
    """The organization a reference names: its registry number, ROR id, import id or a name no other
    organization has (None, with a problem recorded, otherwise)."""
    directory.load()
    if reference.isdigit() and len(reference) < 10:
        return session.scalar(select(Organization.id).where(Organization.id == int(reference)))
    ror_id = ror_identifier(reference)
    if ror_id is not None:
        return directory.find(ror_id)
    same_name = set(
        session.scalars(
            select(OrganizationName.organization_id).where(OrganizationName.normalized == fold(reference))
        )
    )
    if len(same_name) > 1 and reference not in directory.by_external_id:
        cells.fail("parent", reference, N_("several organizations have this name; give its number"))
        return None
    return directory.find(reference)


def _check_parent(session: Session, viewer: Viewer, cells: RowCells, organization_id: int | None) -> None:
    """The parent the form names: one the viewer sees (or the one it has), neither the organization
    itself nor one of its units.  Its cell becomes a reference the registry's write resolves."""
    text = cells.get("parent", max_chars=1_000)
    reference = parent_reference(text)
    cells.cells["parent"] = ""
    if not reference:
        return
    directory = OrganizationDirectory(session)
    issues = len(cells.issues)
    parent_id = _find_organization(session, directory, cells, reference)
    if len(cells.issues) > issues:
        return
    current = (
        session.scalar(select(Organization.parent_id).where(Organization.id == organization_id))
        if organization_id is not None
        else None
    )
    if parent_id is None or (parent_id != current and not organization_visible(session, viewer, parent_id)):
        cells.fail(
            "parent",
            reference,
            N_("no organization of the registry has this number or name; find it by name below"),
        )
    elif parent_id == organization_id:
        cells.fail("parent", reference, N_("an organization cannot be its own parent"))
    elif organization_id is not None and organization_id in parent_chain(session, parent_id):
        cells.fail(
            "parent",
            reference,
            N_("this organization is a unit of the one you edit; an organization cannot be part of its unit"),
        )
    elif (findable := findable_reference(directory, parent_id)) is None:
        cells.fail(
            "parent",
            reference,
            N_("this organization shares every name with another; give it an import id first"),
        )
    else:
        cells.cells["parent"] = findable


def check_organization(
    session: Session, viewer: Viewer, values: Mapping[str, str], organization_id: int | None = None
) -> CheckedOrganization:
    """The organization the form describes (a new one when ``organization_id`` is None), checked
    like an imported row, for the viewer's side and for the form's own rules.

    Raises Refused (403) when the viewer may not place the organization in its city,
    :class:`changes.ChangeRejected` with every problem of the cells.
    """
    raw = {column: values.get(column, "").strip() for column in FORM_COLUMNS}
    city = canonical_city(raw["city"]) if raw["city"] else None
    check_may_edit(viewer, city, organization_id)
    cells = RowCells(1, dict(raw))
    _check_names(cells)
    _check_lengths(cells)
    _check_ror_id_free(session, cells, organization_id)
    _check_parent(session, viewer, cells, organization_id)
    record = read_organization_row(cells)
    if cells.issues or record is None:
        raise changes.ChangeRejected(cells.issues)
    return CheckedOrganization({column: cells.cells.get(column, "") for column in FORM_COLUMNS}, record.city)


def save_organization(
    session: Session, viewer: Viewer, checked: CheckedOrganization, organization_id: int | None = None
) -> int:
    """Write the checked organization (a new one when ``organization_id`` is None) as the API writes
    it: audited, the vetting status of an existing one kept.  Returns its id.

    A new one is approved when its creator vets the organizations of its side (admins, the side's
    coordinators: the only ones who may create one), as the operator's imports are; it would
    otherwise wait for that very person's decision.
    """
    if organization_id is None:
        check_may_edit(viewer, checked.city, None)
        return changes.create(
            session,
            "organizations",
            {**checked.cells, "id": ""},
            actor=viewer.actor,
            trusted=may_vet(viewer, checked.city),
        )
    editable_organization(session, viewer, organization_id)
    changes.update(
        session, "organizations", organization_id, checked.cells, actor=viewer.actor, trusted=False
    )
    return organization_id

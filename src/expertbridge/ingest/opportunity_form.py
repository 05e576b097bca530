"""An opportunity as its edit form shows and sends it: titles and descriptions per language,
sectors, deadline and whether it is still open.

Who may post or change it is the registry's rule
(:func:`~expertbridge.registry.visibility.may_edit_opportunity`: a partner their own
organization's, a coordinator those of their side, admins any); the cells are validated like an
imported row (:mod:`expertbridge.ingest.changes`), and the change is audited with before and after.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Opportunity, Organization
from expertbridge.ingest import changes
from expertbridge.ingest.activities import TEXT_COLUMNS, opportunity_row
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer, may_edit_opportunity, opportunity_side

# What the owner changes after posting; kind, organization and anonymity stay as posted.
EDITABLE_COLUMNS = (*TEXT_COLUMNS, "deadline", "status")
# An owner opens and closes; drafts and archived opportunities are the operator's.
OWNER_STATUSES = ("open", "closed")


def editable_opportunity(session: Session, viewer: Viewer, opportunity_id: int) -> int | None:
    """The organization of an opportunity the viewer may change; Refused (404, 403) otherwise."""
    found = session.execute(
        select(Opportunity.organization_id, Opportunity.city).where(Opportunity.id == opportunity_id)
    ).first()
    if found is None:
        raise Refused(N_("There is no opportunity with id %(id)s."), 404, id=str(opportunity_id))
    organization_id: int | None = found.organization_id
    check_may_post(session, viewer, organization_id, found.city)
    return organization_id


def check_may_post(session: Session, viewer: Viewer, organization_id: int | None, city: str | None) -> None:
    """Refused (403) unless the viewer may post or change an opportunity of ``organization_id`` in
    ``city`` (its side is the city, or the organization's when it names none)."""
    organization_city = (
        session.scalar(select(Organization.city).where(Organization.id == organization_id))
        if organization_id is not None
        else None
    )
    if may_edit_opportunity(viewer, organization_id, opportunity_side(city, organization_city)):
        return
    if viewer.role == "coordinator":
        raise Refused(
            N_("Coordinators post and change the opportunities of their own side (%(city)s) only."),
            403,
            city=viewer.city or "",
        )
    raise Refused(N_("You may change the opportunities of your own organization only."), 403)


def opportunity_values(session: Session, opportunity_id: int) -> dict[str, str]:
    """The form's cells filled from the stored opportunity (``sectors`` as codes joined by ';')."""
    record = read_opportunities(session, [opportunity_id])[opportunity_id]
    row = opportunity_row(record, "")
    return {column: row.get(column, "") for column in (*EDITABLE_COLUMNS, "sectors", "kind")}


def save_opportunity(
    session: Session, viewer: Viewer, opportunity_id: int, values: Mapping[str, str], sectors: list[str]
) -> None:
    """Validate and store the owner's changes.

    Raises Refused when the viewer may not or the status is not one an owner chooses,
    :class:`changes.ChangeRejected` with the problems of the cells; nothing is written then.
    """
    editable_opportunity(session, viewer, opportunity_id)
    current = read_opportunities(session, [opportunity_id])[opportunity_id]
    status = values.get("status", current.status)
    if status not in OWNER_STATUSES and status != current.status:
        raise Refused(N_("Choose whether the opportunity is open or closed."))
    cells = {column: values.get(column, "") for column in EDITABLE_COLUMNS}
    cells["status"] = status
    cells["sectors"] = ";".join(code for code in sectors if code)
    changes.update(session, "opportunities", opportunity_id, cells, actor=viewer.actor, trusted=False)

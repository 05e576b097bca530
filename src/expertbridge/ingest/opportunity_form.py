"""An opportunity as its edit form shows and sends it: titles and descriptions per language,
sectors, deadline and whether it is still open.

Who may change it is the registry's rule (:func:`~expertbridge.registry.visibility.may_post_opportunity`:
a partner their own organization's, coordinators and admins any); the cells are validated like an
imported row (:mod:`expertbridge.ingest.changes`), and the change is audited with before and after.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Opportunity
from expertbridge.ingest import changes
from expertbridge.ingest.activities import TEXT_COLUMNS, opportunity_row
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer, may_post_opportunity

# What the owner changes after posting; kind, organization and anonymity stay as posted.
EDITABLE_COLUMNS = (*TEXT_COLUMNS, "deadline", "status")
# An owner opens and closes; drafts and archived opportunities are the operator's.
OWNER_STATUSES = ("open", "closed")


def editable_opportunity(session: Session, viewer: Viewer, opportunity_id: int) -> int | None:
    """The organization of an opportunity the viewer may change; Refused (404, 403) otherwise."""
    found = session.execute(
        select(Opportunity.organization_id).where(Opportunity.id == opportunity_id)
    ).first()
    if found is None:
        raise Refused(N_("There is no opportunity with id %(id)s."), 404, id=opportunity_id)
    if not may_post_opportunity(viewer, found.organization_id):
        raise Refused(N_("You may change the opportunities of your own organization only."), 403)
    organization_id: int | None = found.organization_id
    return organization_id


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

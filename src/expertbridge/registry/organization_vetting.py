"""Vetting of organizations: pending (named on the web) → approved or rejected (with a reason) by a
coordinator of the organization's side (its city), or an admin.

Organizations the operator imports are approved (unless imported with ``--status pending``); only
approved organizations are shown beyond their side's coordinators and admins, and only a partner
of an approved organization posts opportunities.  Every decision is audited with before and after.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Organization
from expertbridge.registry.audit import Change, write_changes
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.vetting import MAX_REASON
from expertbridge.registry.visibility import Viewer, may_vet


def _organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise Refused(N_("There is no organization with id %(id)s."), 404, id=str(organization_id))
    return organization


def _decide(session: Session, viewer: Viewer, organization_id: int, status: str, note: str | None) -> None:
    organization = _organization(session, organization_id)
    if not may_vet(viewer, organization.city):
        raise Refused(N_("Only a coordinator of this organization's side decides on it."), 403)
    if organization.status != "pending":
        raise Refused(N_("This organization is not waiting for a decision."), 409)
    details: dict[str, object] = {"status": [organization.status, status]}
    if note:
        details["reason"] = note
    organization.status = status
    organization.status_note = note
    write_changes(session, viewer.actor, [Change("status", "organization", organization_id, details)])
    session.flush()


def approve_organization(session: Session, viewer: Viewer, organization_id: int) -> None:
    """Approve a pending organization (a coordinator of its side, or an admin)."""
    _decide(session, viewer, organization_id, "approved", None)


def reject_organization(session: Session, viewer: Viewer, organization_id: int, reason: str) -> None:
    """Reject a pending organization with a reason its partners read."""
    reason = reason.strip()
    if not reason:
        raise Refused(N_("Say why the organization is rejected: its partners read the reason."))
    if len(reason) > MAX_REASON:
        raise Refused(N_("The reason is too long (at most %(count)s characters)."), count=MAX_REASON)
    _decide(session, viewer, organization_id, "rejected", reason)


def organization_queue(session: Session, viewer: Viewer, limit: int = 200) -> list[Organization]:
    """Organizations waiting for the viewer's decision, oldest first: their side's, or all for admins."""
    if viewer.role not in ("admin", "coordinator"):
        raise Refused(N_("Only coordinators vet organizations."), 403)
    query = (
        select(Organization)
        .where(Organization.status == "pending")
        .order_by(Organization.created_at, Organization.id)
    )
    if viewer.role != "admin":
        query = query.where(Organization.city == viewer.city)
    return list(session.scalars(query.limit(limit)))


def require_approved(session: Session, organization_id: int | None) -> None:
    """Refuse (409) to act for an organization that a coordinator has not approved."""
    if organization_id is None:
        return
    organization = _organization(session, organization_id)
    if organization.status == "pending":
        raise Refused(
            N_(
                "The organization is waiting for a coordinator of its side to approve it; "
                "opportunities can be posted for it once it is approved."
            ),
            409,
        )
    if organization.status != "approved":
        raise Refused(
            N_(
                "The organization was not approved (%(reason)s), so no opportunities can be posted "
                "for it; ask a coordinator of its side."
            ),
            409,
            reason=organization.status_note or "—",
        )

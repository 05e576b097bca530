"""Vetting organizations: a coordinator of the organization's side (or an admin) approves or
rejects, with a reason, an organization that was named on the web."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from expertbridge.db.models import ExpertAffiliation, Organization, User
from expertbridge.registry.catalog import organization_visible
from expertbridge.registry.organization_vetting import approve_organization, reject_organization
from expertbridge.registry.organizations import read_organizations
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import may_edit_organization, may_vet
from expertbridge.web.auth import VetterDep, check_csrf
from expertbridge.web.deps import RecordId, SessionDep
from expertbridge.web.issues import refusal_text
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/vetting/organizations/{organization_id}", response_class=HTMLResponse)
def vetting_organization(
    request: Request,
    organization_id: RecordId,
    session: SessionDep,
    account: VetterDep,
    error: str | None = None,
    status: int = 400,
) -> HTMLResponse:
    """One organization as its coordinators see it, with the decision form when it is pending."""
    viewer = account.viewer()
    organization = session.get(Organization, organization_id)
    if organization is None or not organization_visible(session, viewer, organization_id):
        raise HTTPException(404)
    record = read_organizations(session, [organization_id])[organization_id]
    # Who named it: how many experts work there and which partner accounts act for it.
    experts = session.scalar(
        select(ExpertAffiliation.expert_id)
        .where(ExpertAffiliation.organization_id == organization_id)
        .limit(1)
    )
    partners = list(session.scalars(select(User.email).where(User.organization_id == organization_id)))
    return render(
        request,
        "vetting_organization.html",
        status_code=status if error else 200,
        organization=organization,
        record=record,
        has_experts=experts is not None,
        partners=partners,
        may_decide=organization.status == "pending" and may_vet(viewer, organization.city),
        # A coordinator corrects a misspelt name or a wrong type before approving, not after.
        may_edit=may_edit_organization(viewer, organization.city, organization_id),
        error=error,
    )


@router.post("/vetting/organizations/{organization_id}", response_class=HTMLResponse)
def decide_organization(
    request: Request,
    organization_id: RecordId,
    session: SessionDep,
    account: VetterDep,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Approve or reject (with a reason) a pending organization."""
    viewer = account.viewer()
    try:
        if decision == "approve":
            approve_organization(session, viewer, organization_id)
        else:
            reject_organization(session, viewer, organization_id, reason)
    except Refused as refused:
        session.rollback()
        if refused.status in (403, 404):
            raise HTTPException(refused.status) from None
        return vetting_organization(
            request,
            organization_id,
            session,
            account,
            error=refusal_text(request, refused),
            status=refused.status,
        )
    session.commit()
    return RedirectResponse(f"/vetting?done=organization-{decision}", status_code=303)

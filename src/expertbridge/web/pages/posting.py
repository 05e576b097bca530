"""Posting an opportunity: a partner for their organization, a coordinator or an admin for any."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from expertbridge.ingest.changes import ChangeRejected, create
from expertbridge.ingest.opportunity_form import check_may_post
from expertbridge.registry.organization_vetting import require_approved
from expertbridge.registry.organizations import names_in
from expertbridge.registry.places import canonical_city
from expertbridge.registry.problems import Refused
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.vocab import OPPORTUNITY_KINDS
from expertbridge.web.auth import PartnerDep, check_csrf
from expertbridge.web.deps import SessionDep
from expertbridge.web.issues import refusal_text
from expertbridge.web.pages.admin import _organization_id
from expertbridge.web.pages.errors import form_problems
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
FIELDS = (
    "kind",
    "title_ru",
    "title_zh",
    "title_en",
    "description_ru",
    "description_zh",
    "description_en",
    "deadline",
    "city",
    "organization",
)


def _form(
    request: Request, session: SessionDep, account: PartnerDep, values: dict[str, str], **extra: object
) -> HTMLResponse:
    own = None
    if account.role == "partner" and account.organization_id is not None:
        own = names_in(session, [account.organization_id], request.state.language).get(
            account.organization_id
        )
    return render(
        request,
        "opportunity_new.html",
        status_code=int(str(extra.pop("status", 200))),
        values=values,
        sectors=values.get("sectors", "").split(";"),
        own_organization=own,
        kinds=OPPORTUNITY_KINDS,
        taxonomy=load_taxonomy(),
        **extra,
    )


@router.get("/account/opportunities/new", response_class=HTMLResponse)
def new_opportunity(request: Request, session: SessionDep, account: PartnerDep) -> HTMLResponse:
    """The form: kind, title and description in three languages, sectors, deadline."""
    if account.role == "partner" and account.organization_id is None:
        raise HTTPException(403)
    blocked = ""
    if account.role == "partner":
        try:
            require_approved(session, account.organization_id)
        except Refused as refused:
            blocked = refusal_text(request, refused)
    return _form(request, session, account, {}, problems=[], blocked=blocked)


@router.post("/account/opportunities/new", response_class=HTMLResponse)
async def post_opportunity(request: Request, session: SessionDep, account: PartnerDep) -> Response:
    """Publish the opportunity (open) for the partner's organization."""
    data = await request.form()
    values = {key: str(data.get(key, ""))[:20_000].strip() for key in FIELDS}
    values["sectors"] = ";".join(str(code) for code in data.getlist("sectors"))[:2000]
    values["anonymous"] = "true" if data.get("anonymous") == "yes" else "false"
    values["status"] = "open"
    try:
        if account.role == "partner":
            organization_id = account.organization_id
        else:
            organization_id = _organization_id(session, values["organization"])
        city = canonical_city(values["city"]) if values.get("city") else None
        check_may_post(session, account.viewer(), organization_id, city)
        require_approved(session, organization_id)
        if organization_id is not None:
            values["organization"] = str(next(iter(names_in(session, [organization_id], "en").values()), ""))
        else:
            values.pop("organization")
        opportunity_id = create(session, "opportunities", values, actor=account.viewer().actor, trusted=False)
    except (ChangeRejected, Refused) as error:
        problems, status = form_problems(request, session, error, raised=())
        return _form(request, session, account, values, problems=problems, status=status)
    session.commit()
    return RedirectResponse(f"/opportunities/{opportunity_id}", status_code=303)

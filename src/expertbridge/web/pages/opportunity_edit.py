"""Changing an opportunity after posting: its partner (for their own organization), the
coordinators of its side and admins edit titles and descriptions, sectors, deadline, and open or
close it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.opportunity_form import (
    EDITABLE_COLUMNS,
    OWNER_STATUSES,
    editable_opportunity,
    opportunity_values,
    save_opportunity,
)
from expertbridge.registry.problems import Refused
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.web.auth import PartnerDep, check_csrf
from expertbridge.web.deps import RecordId, SessionDep
from expertbridge.web.pages.errors import form_problems
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _allowed(session: SessionDep, account: PartnerDep, opportunity_id: int) -> None:
    try:
        editable_opportunity(session, account.viewer(), opportunity_id)
    except Refused as refused:
        raise HTTPException(refused.status) from None


def _form(
    request: Request,
    opportunity_id: int,
    values: dict[str, str],
    *,
    problems: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "opportunity_edit.html",
        status_code=status,
        opportunity_id=opportunity_id,
        values=values,
        sectors=values.get("sectors", "").split(";"),
        statuses=OWNER_STATUSES,
        taxonomy=load_taxonomy(),
        problems=problems or [],
        saved=request.query_params.get("saved") == "1",
    )


@router.get("/opportunities/{opportunity_id}/edit", response_class=HTMLResponse)
def edit_opportunity(
    request: Request, opportunity_id: RecordId, session: SessionDep, account: PartnerDep
) -> HTMLResponse:
    """The form, filled with the stored opportunity."""
    _allowed(session, account, opportunity_id)
    return _form(request, opportunity_id, opportunity_values(session, opportunity_id))


@router.post("/opportunities/{opportunity_id}/edit", response_class=HTMLResponse)
async def save(
    request: Request, opportunity_id: RecordId, session: SessionDep, account: PartnerDep
) -> Response:
    """Store the changes (audited); the form comes back with every problem otherwise."""
    _allowed(session, account, opportunity_id)
    data = await request.form()
    values = {column: str(data.get(column, ""))[:20_000].strip() for column in EDITABLE_COLUMNS}
    sectors = [str(code)[:100] for code in data.getlist("sectors")][:100]
    shown = {**values, "sectors": ";".join(sectors)}
    try:
        save_opportunity(session, account.viewer(), opportunity_id, values, sectors)
    except (ChangeRejected, Refused) as error:
        problems, status = form_problems(request, session, error, raised=(403, 404))
        return _form(request, opportunity_id, shown, problems=problems, status=status)
    session.commit()
    return RedirectResponse(f"/opportunities/{opportunity_id}/edit?saved=1", status_code=303)

"""Adding and editing an organization: admins any, coordinators those of their side, a partner
account its own organization.

The rules live in :mod:`expertbridge.ingest.organization_form`; this module reads the form and
offers a search by name for the parent organization (without JavaScript: the form comes back with
the matches to choose from).
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.organization_form import (
    FORM_COLUMNS,
    check_organization,
    editable_organization,
    organization_values,
    save_organization,
)
from expertbridge.ingest.report import Issue
from expertbridge.registry.places import city_label
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer, may_create_organization
from expertbridge.registry.vocab import ORGANIZATION_TYPES
from expertbridge.web.auth import AccountDep, check_csrf
from expertbridge.web.deps import RecordId, SessionDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_texts
from expertbridge.web.pages.errors import form_problems, refusal_page
from expertbridge.web.pages.pickers import organizations_named
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
CREATORS_ONLY = N_("Only admins and coordinators add organizations.")
# The form's fields as it labels them: the import's column labels (web/labels.py COLUMN) name a
# person's names, and not the other fields.
FIELD_LABELS = {
    "name": N_("Names"),
    "name_ru": N_("Russian name"),
    "name_zh": N_("Chinese name"),
    "name_en": N_("English name"),
    "aliases": N_("Other names and abbreviations"),
    "type": N_("Type"),
    "ror_id": N_("ROR id"),
    "wikidata_id": N_("Wikidata id"),
    "website": N_("Website"),
    "parent": N_("Part of"),
}


def _problem_texts(translator: Translator, issues: list[Issue]) -> list[str]:
    """The problems of the cells, each naming its field as the form labels it."""
    named = [
        replace(issue, column=translator.gettext(FIELD_LABELS[issue.column]))
        if issue.column in FIELD_LABELS
        else issue
        for issue in issues
    ]
    return issue_texts(translator, named)


def _form(
    request: Request,
    organization_id: int | None,
    values: dict[str, str],
    *,
    problems: list[str] | None = None,
    status: int = 200,
    found_parents: list[tuple[str, str, str]] | None = None,
    searched: str = "",
) -> HTMLResponse:
    return render(
        request,
        "organization_edit.html",
        status_code=status,
        organization_id=organization_id,
        values=values,
        types=ORGANIZATION_TYPES,
        problems=problems or [],
        saved=request.query_params.get("saved") == "1",
        found_parents=found_parents,
        searched=searched,
    )


def _values(data: FormData) -> dict[str, str]:
    """The organization's cells as typed, the parent chosen among the search's matches included."""
    values = {column: str(data.get(column) or "")[:20_000].strip() for column in FORM_COLUMNS}
    if picked := str(data.get("parent_pick") or "")[:1_000].strip():
        values["parent"] = picked
    return values


async def _submit(
    request: Request, session: Session, viewer: Viewer, organization_id: int | None
) -> Response:
    """Search for the parent, or save: whatever the sent form asks for."""
    language = request.state.language
    data = await request.form()
    values = _values(data)
    find = str(data.get("find_parent") or "")[:200].strip()
    if find or data.get("find"):
        # A name typed in the search box is looked up first (Enter in it sends the form).
        found = (
            organizations_named(session, viewer, find, language, leave_out=organization_id) if find else None
        )
        return _form(request, organization_id, values, found_parents=found, searched=find)
    try:
        checked = check_organization(session, viewer, values, organization_id)
        saved_id = save_organization(session, viewer, checked, organization_id)
    except (ChangeRejected, Refused) as error:
        problems, status = form_problems(request, session, error, texts=_problem_texts)
        return _form(request, organization_id, values, problems=problems, status=status)
    session.commit()
    return RedirectResponse(f"/organizations/{saved_id}/edit?saved=1", status_code=303)


@router.get("/organizations/new", response_class=HTMLResponse)
def new_organization(request: Request, account: AccountDep) -> HTMLResponse:
    """The empty form; a coordinator's organization is on their side."""
    viewer = account.viewer()
    if not may_create_organization(viewer):
        return refusal_page(request, Refused(CREATORS_ONLY, 403))
    city = city_label(viewer.city, request.state.language) if viewer.role == "coordinator" else ""
    return _form(request, None, {"city": city, "type": "other"})


@router.post("/organizations/new", response_class=HTMLResponse)
async def create_organization(request: Request, session: SessionDep, account: AccountDep) -> Response:
    """Add the organization (audited); the form comes back with every problem otherwise."""
    viewer = account.viewer()
    if not may_create_organization(viewer):
        return refusal_page(request, Refused(CREATORS_ONLY, 403))
    return await _submit(request, session, viewer, None)


@router.get("/organizations/{organization_id}/edit", response_class=HTMLResponse)
def edit_organization(
    request: Request, organization_id: RecordId, session: SessionDep, account: AccountDep
) -> HTMLResponse:
    """The form, filled with the stored organization."""
    viewer = account.viewer()
    try:
        editable_organization(session, viewer, organization_id)
    except Refused as refused:
        return refusal_page(request, refused)
    values = organization_values(session, viewer, organization_id, request.state.language)
    return _form(request, organization_id, values)


@router.post("/organizations/{organization_id}/edit", response_class=HTMLResponse)
async def update_organization(
    request: Request, organization_id: RecordId, session: SessionDep, account: AccountDep
) -> Response:
    """Store the changes (audited, its experts reindexed); the form comes back with every problem
    otherwise."""
    viewer = account.viewer()
    try:
        editable_organization(session, viewer, organization_id)
    except Refused as refused:
        return refusal_page(request, refused)
    return await _submit(request, session, viewer, organization_id)

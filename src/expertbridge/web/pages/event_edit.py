"""Creating and editing an event: admins anywhere, coordinators on their own side.

The rules live in :mod:`expertbridge.ingest.event_form`; this module reads the form, offers a
search by name for the experts and organizations to add (without JavaScript: the form comes back
with the matches to tick), and asks before an edit takes people with meeting data off the event.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from expertbridge.db.models import Expert
from expertbridge.ingest.activities import EVENT_COLUMNS
from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.event_form import (
    LABEL_SEPARATOR,
    check_event,
    editable_event,
    event_values,
    removed_with_meeting_data,
    save_event,
)
from expertbridge.registry.experts import read_experts
from expertbridge.registry.identities import ReferencedExpert
from expertbridge.registry.places import city_label
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer, may_create_event
from expertbridge.registry.vocab import EVENT_KINDS
from expertbridge.search.index import ExpertIndex
from expertbridge.search.names import find_by_name
from expertbridge.web.auth import AccountDep, check_csrf
from expertbridge.web.deps import IndexDep, RecordId, SessionDep
from expertbridge.web.pages.errors import form_problems, refusal_page
from expertbridge.web.pages.pickers import FOUND, organizations_named
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import names_in_order

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
# Ticked search results: the list each one is added to.
PICKS = {
    "add_expert": "expert_participants",
    "add_organizer": "organizers",
    "add_organization_participant": "organization_participants",
}
FIND_FIELDS = ("find_expert", "find_organization")
ORGANIZERS_ONLY = N_("Only admins and coordinators create and change events.")


def _form(
    request: Request,
    event_id: int | None,
    values: dict[str, str],
    *,
    problems: list[str] | None = None,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "found_experts": None,
        "found_organizations": None,
        "searched": {},
        "confirm": {},
    }
    context.update(extra)
    return render(
        request,
        "event_edit.html",
        status_code=status,
        event_id=event_id,
        values=values,
        kinds=EVENT_KINDS,
        problems=problems or [],
        saved=request.query_params.get("saved") == "1",
        **context,
    )


def _values(data: FormData) -> dict[str, str]:
    """The event's cells as typed, with the ticked search results added to their lists."""
    values = {column: str(data.get(column) or "")[:200_000].strip() for column in EVENT_COLUMNS}
    values["online"] = "true" if data.get("online") == "yes" else "false"
    for field, column in PICKS.items():
        current = values[column].splitlines()
        picked = [str(line)[:1000] for line in data.getlist(field)[:100]]
        values[column] = "\n".join(line for line in dict.fromkeys([*current, *picked]) if line.strip())
    return values


def _found_experts(
    session: Session, index: ExpertIndex, viewer: Viewer, text: str, language: str
) -> list[tuple[str, str, str]]:
    """Experts whose names match ``text`` (any script): (form line, name, city)."""
    ids = [match.expert_id for match in find_by_name(index, text, viewer, top=FOUND)]
    records = read_experts(session, ids)
    refs = dict(
        session.execute(select(Expert.id, Expert.external_id).where(Expert.id.in_(ids))).tuples().all()
    )
    found = []
    for expert_id in ids:
        if expert_id in records:
            names = names_in_order(records[expert_id].names, language)
            name = names[0].text if names else str(expert_id)
            line = f"{ReferencedExpert(expert_id, refs.get(expert_id)).reference}{LABEL_SEPARATOR}{name}"
            found.append((line, name, city_label(records[expert_id].city, language)))
    return found


async def _submit(
    request: Request, session: Session, index: ExpertIndex, viewer: Viewer, event_id: int | None
) -> Response:
    """Search, ask for a confirmation, or save: whatever the sent form asks for."""
    language = request.state.language
    data = await request.form()
    values = _values(data)
    find = {field: str(data.get(field) or "")[:200].strip() for field in FIND_FIELDS}
    if any(find.values()) or data.get("find"):
        # A name typed in a search box is looked up first (Enter in it sends the form).
        return _form(
            request,
            event_id,
            values,
            found_experts=_found_experts(session, index, viewer, find["find_expert"], language)
            if find["find_expert"]
            else None,
            found_organizations=organizations_named(session, viewer, find["find_organization"], language)
            if find["find_organization"]
            else None,
            searched=find,
        )
    try:
        checked = check_event(session, viewer, values, event_id)
        if event_id is not None:
            losing = removed_with_meeting_data(session, event_id, checked)
            confirmed = set(str(data.get("remove_participants") or "").split())
            if losing and not {str(i) for i in losing} <= confirmed:
                return _form(request, event_id, values, confirm=losing, status=409)
        saved_id = save_event(session, viewer, checked, event_id)
    except (ChangeRejected, Refused) as error:
        problems, status = form_problems(request, session, error)
        return _form(request, event_id, values, problems=problems, status=status)
    session.commit()
    return RedirectResponse(f"/events/{saved_id}/edit?saved=1", status_code=303)


@router.get("/events/new", response_class=HTMLResponse)
def new_event(request: Request, account: AccountDep) -> HTMLResponse:
    """The empty form; a coordinator's event is on their side."""
    viewer = account.viewer()
    if not may_create_event(viewer):
        return refusal_page(
            request, Refused(N_("Only admins and coordinators create and change events."), 403)
        )
    return _form(request, None, {"city": viewer.city or "", "kind": "roundtable"})


@router.post("/events/new", response_class=HTMLResponse)
async def create_event(
    request: Request, session: SessionDep, index: IndexDep, account: AccountDep
) -> Response:
    """Create the event (audited); the form comes back with every problem otherwise."""
    viewer = account.viewer()
    if not may_create_event(viewer):
        return refusal_page(
            request, Refused(N_("Only admins and coordinators create and change events."), 403)
        )
    return await _submit(request, session, index, viewer, None)


@router.get("/events/{event_id}/edit", response_class=HTMLResponse)
def edit_event(
    request: Request, event_id: RecordId, session: SessionDep, account: AccountDep
) -> HTMLResponse:
    """The form, filled with the stored event."""
    try:
        editable_event(session, account.viewer(), event_id)
    except Refused as refused:
        return refusal_page(request, refused)
    return _form(request, event_id, event_values(session, event_id, request.state.language))


@router.post("/events/{event_id}/edit", response_class=HTMLResponse)
async def update_event(
    request: Request, event_id: RecordId, session: SessionDep, index: IndexDep, account: AccountDep
) -> Response:
    """Store the changes (audited), after a confirmation when people with meeting data leave."""
    viewer = account.viewer()
    try:
        editable_event(session, viewer, event_id)
    except Refused as refused:
        return refusal_page(request, refused)
    return await _submit(request, session, index, viewer, event_id)

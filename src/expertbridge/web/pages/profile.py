"""The profile editor: an expert edits their own profile (three languages side by side, names in
every script, a visibility for each field and contact item); coordinators edit profiles of their
side with the same form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from expertbridge.db.models import Expert
from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.profile_form import NEW_CONTACT_ROWS, ProfileForm, form_of, read_form, save_profile
from expertbridge.registry.audit import utcnow
from expertbridge.registry.consent import has_consent
from expertbridge.registry.experts import read_experts
from expertbridge.registry.problems import Refused
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import LEVELS, PROFILE_FIELDS, may_edit_expert
from expertbridge.registry.vocab import CONTACT_KINDS
from expertbridge.web.auth import AccountDep, ExpertAccountDep, check_csrf
from expertbridge.web.deps import SessionDep
from expertbridge.web.pages.account import refusal_text
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _editable(session: SessionDep, account: AccountDep, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None or (expert.status == "withdrawn" and account.expert_id != expert_id):
        raise HTTPException(404)
    if not may_edit_expert(account.viewer(), expert_id, expert.city):
        raise HTTPException(403)
    return expert


def _editor(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    expert: Expert,
    form: ProfileForm,
    *,
    problems: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "profile_edit.html",
        status_code=status,
        expert=expert,
        own=account.expert_id == expert.id,
        consent=has_consent(session, expert.id),
        form=form,
        contacts=[*form.contacts, *([None] * NEW_CONTACT_ROWS)],
        contact_kinds=CONTACT_KINDS,
        levels=LEVELS,
        fields=PROFILE_FIELDS,
        taxonomy=load_taxonomy(),
        problems=problems or [],
        saved=request.query_params.get("saved") == "1",
    )


@router.get("/account/profile", response_class=HTMLResponse)
def my_profile(request: Request, session: SessionDep, account: ExpertAccountDep) -> HTMLResponse:
    """The signed-in expert's own profile editor."""
    if account.expert_id is None:
        raise HTTPException(404)
    return edit_profile(request, account.expert_id, session, account)


@router.get("/profiles/{expert_id}/edit", response_class=HTMLResponse)
def edit_profile(request: Request, expert_id: int, session: SessionDep, account: AccountDep) -> HTMLResponse:
    """The profile editor, filled with the stored profile."""
    expert = _editable(session, account, expert_id)
    record = read_experts(session, [expert_id])[expert_id]
    return _editor(request, session, account, expert, form_of(record))


@router.post("/profiles/{expert_id}/edit", response_class=HTMLResponse)
async def save(request: Request, expert_id: int, session: SessionDep, account: AccountDep) -> Response:
    """Validate and store the profile; the form comes back with every problem otherwise."""
    expert = _editable(session, account, expert_id)
    data = await request.form()
    texts = {key: value for key, value in data.items() if isinstance(value, str) and len(value) <= 40_000}
    form = read_form(texts, [value for value in data.getlist("sectors") if isinstance(value, str)])
    try:
        save_profile(session, account.viewer(), expert_id, form, utcnow())
    except ChangeRejected as rejected:
        session.rollback()
        problems = [
            f"{issue.column}: {issue.message}" + (f" ({issue.value})" if issue.value else "")
            for issue in rejected.issues
        ]
        return _editor(request, session, account, expert, form, problems=problems, status=422)
    except Refused as refused:
        session.rollback()
        return _editor(
            request,
            session,
            account,
            expert,
            form,
            problems=[refusal_text(request, refused)],
            status=refused.status,
        )
    session.commit()
    target = "/account/profile" if account.expert_id == expert_id else f"/profiles/{expert_id}/edit"
    return RedirectResponse(f"{target}?saved=1", status_code=303)

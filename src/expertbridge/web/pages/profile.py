"""The profile editor: an expert edits their own profile (three languages side by side, names in
every script, a visibility for each field and contact item); coordinators edit profiles of their
side with the same form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from expertbridge.db.models import Expert
from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.profile_form import (
    NEW_CONTACT_ROWS,
    TEXT_COLUMNS,
    ProfileForm,
    create_profile,
    form_of,
    read_form,
    save_profile,
)
from expertbridge.mail import deliver, invitation_mail
from expertbridge.registry import accounts
from expertbridge.registry.audit import utcnow
from expertbridge.registry.consent import has_consent
from expertbridge.registry.experts import read_experts
from expertbridge.registry.problems import Refused
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import LEVELS, PROFILE_FIELDS, may_edit_expert
from expertbridge.registry.vocab import CONTACT_KINDS
from expertbridge.web.auth import AccountDep, ExpertAccountDep, VetterDep, check_csrf
from expertbridge.web.deps import RecordId, SessionDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_texts, refusal_text
from expertbridge.web.pages.account import get_mailer, link
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
    expert: Expert | None,
    form: ProfileForm,
    *,
    problems: list[str] | None = None,
    status: int = 200,
    **extra: object,
) -> HTMLResponse:
    """The editor of ``expert``'s profile, or of a new one (``expert`` None) for a coordinator."""
    return render(
        request,
        "profile_edit.html",
        status_code=status,
        expert=expert,
        own=expert is not None and account.expert_id == expert.id,
        consent=expert is not None and has_consent(session, expert.id),
        form=form,
        contacts=[*form.contacts, *([None] * NEW_CONTACT_ROWS)],
        contact_kinds=CONTACT_KINDS,
        levels=LEVELS,
        fields=PROFILE_FIELDS,
        taxonomy=load_taxonomy(),
        problems=problems or [],
        saved=request.query_params.get("saved") == "1",
        created=request.query_params.get("created") == "1",
        side=account.city,
        **extra,
    )


@router.get("/account/profile", response_class=HTMLResponse)
def my_profile(request: Request, session: SessionDep, account: ExpertAccountDep) -> HTMLResponse:
    """The signed-in expert's own profile editor."""
    if account.expert_id is None:
        raise HTTPException(404)
    return edit_profile(request, account.expert_id, session, account)


@router.get("/profiles/{expert_id}/edit", response_class=HTMLResponse)
def edit_profile(
    request: Request, expert_id: RecordId, session: SessionDep, account: AccountDep
) -> HTMLResponse:
    """The profile editor, filled with the stored profile."""
    expert = _editable(session, account, expert_id)
    record = read_experts(session, [expert_id])[expert_id]
    return _editor(request, session, account, expert, form_of(record))


@router.post("/profiles/{expert_id}/edit", response_class=HTMLResponse)
async def save(request: Request, expert_id: RecordId, session: SessionDep, account: AccountDep) -> Response:
    """Validate and store the profile; the form comes back with every problem otherwise."""
    expert = _editable(session, account, expert_id)
    data = await request.form()
    texts = {key: value for key, value in data.items() if isinstance(value, str) and len(value) <= 40_000}
    form = read_form(texts, [value for value in data.getlist("sectors") if isinstance(value, str)])
    try:
        save_profile(session, account.viewer(), expert_id, form, utcnow())
    except ChangeRejected as rejected:
        session.rollback()
        problems = issue_texts(Translator(request.state.language), rejected.issues)
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


# --- a profile on an expert's behalf -------------------------------------------------------------


def _new_form(account: VetterDep) -> ProfileForm:
    form = ProfileForm(levels=dict.fromkeys(PROFILE_FIELDS, "public"))
    form.cells = {column: "" for column in TEXT_COLUMNS}
    form.cells["city"] = account.city or ""
    return form


@router.get("/profiles/new", response_class=HTMLResponse)
def new_profile(request: Request, session: SessionDep, account: VetterDep) -> HTMLResponse:
    """An empty profile editor for a coordinator who submits a profile on an expert's behalf."""
    return _editor(request, session, account, None, _new_form(account), invite_email="")


@router.post("/profiles/new", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, account: VetterDep) -> Response:
    """Create the profile (pending, of the coordinator's side); optionally invite the expert so
    that they claim it, accept the consent and keep it up to date themselves."""
    data = await request.form()
    texts = {key: value for key, value in data.items() if isinstance(value, str) and len(value) <= 40_000}
    form = read_form(texts, [value for value in data.getlist("sectors") if isinstance(value, str)])
    invite_email = texts.get("invite_email", "").strip()[:400]
    viewer = account.viewer()
    try:
        expert_id = create_profile(session, viewer, form)
        invitation = None
        if invite_email:
            invitation = accounts.invite(
                session, viewer, email=invite_email, role="expert", now=utcnow(), expert_id=expert_id
            )
    except ChangeRejected as rejected:
        session.rollback()
        problems = issue_texts(Translator(request.state.language), rejected.issues)
        return _editor(
            request, session, account, None, form, problems=problems, status=422, invite_email=invite_email
        )
    except Refused as refused:
        session.rollback()
        return _editor(
            request,
            session,
            account,
            None,
            form,
            problems=[refusal_text(request, refused)],
            status=refused.status,
            invite_email=invite_email,
        )
    session.commit()
    if invitation is None:
        return RedirectResponse(f"/profiles/{expert_id}/edit?created=1", status_code=303)
    # The link is shown once, here, as on the invitations page (only its hash is stored).
    invitation_link = link(request, f"/register/{invitation.token}")
    deliver(get_mailer(request), invitation_mail(invitation.email, invitation_link))
    expert = session.get(Expert, expert_id)
    record = read_experts(session, [expert_id])[expert_id]
    return _editor(
        request,
        session,
        account,
        expert,
        form_of(record),
        invited=invitation,
        invitation_link=invitation_link,
    )

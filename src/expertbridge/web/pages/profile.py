"""The profile editor: an expert edits their own profile (three languages side by side, names in
every script, a visibility for each field and contact item); coordinators edit profiles of their
side with the same form.

The form speaks to whoever fills it: the expert about their own profile, a coordinator about the
expert's.  When it names an organization the registry does not know, it comes back with those of
similar names to pick from, and adds a new one only when the person says none is theirs.  An
expert is told before saving that changing their names, organization, city or country sends an
approved profile back to vetting, and after saving when it did (the rules are
registry/profile_edits.py's)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from expertbridge.db.models import Expert
from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.profile_form import (
    NEW_CONTACT_ROWS,
    NEW_ORGANIZATION,
    TEXT_COLUMNS,
    OrganizationNotFound,
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
from expertbridge.registry.experts import affiliations_in, read_experts
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.profile_edits import edits_need_vetting, may_move
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import LEVELS, PROFILE_FIELDS, may_edit_expert
from expertbridge.registry.vocab import CONTACT_KINDS
from expertbridge.web.auth import AccountDep, ExpertAccountDep, VetterDep, check_csrf
from expertbridge.web.deps import RecordId, SessionDep
from expertbridge.web.form_issues import form_issue_texts
from expertbridge.web.labels import VISIBILITY
from expertbridge.web.pages.account import get_mailer, link
from expertbridge.web.pages.errors import form_problems
from expertbridge.web.pages.organization_choices import organization_choices
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
# Who sees a field, said to a coordinator who fills in someone else's profile (web/labels.py
# VISIBILITY speaks to the expert: "only me").
VISIBILITY_OF_OTHERS = {**VISIBILITY, "private": N_("Only the expert and their city's coordinators")}


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
    own = expert is not None and account.expert_id == expert.id
    viewer = account.viewer()
    return render(
        request,
        "profile_edit.html",
        status_code=status,
        expert=expert,
        own=own,
        level_labels=VISIBILITY if own else VISIBILITY_OF_OTHERS,
        # What this person's change of names, organization or city does (registry/profile_edits.py).
        needs_vetting=expert is not None and edits_need_vetting(viewer, expert.status, expert.city),
        city_fixed=expert is not None and not may_move(viewer, expert.city),
        new_organization=NEW_ORGANIZATION,
        consent=expert is not None and has_consent(session, expert.id),
        form=form,
        contacts=[*form.contacts, *([None] * NEW_CONTACT_ROWS)],
        contact_kinds=CONTACT_KINDS,
        levels=LEVELS,
        fields=PROFILE_FIELDS,
        taxonomy=load_taxonomy(),
        problems=problems or [],
        saved=request.query_params.get("saved") == "1",
        vetting_again=request.query_params.get("vetting") == "1",
        created=request.query_params.get("created") == "1",
        side=account.city,
        **extra,
    )


def _stored_form(session: SessionDep, expert_id: int, language: str) -> ProfileForm:
    """The form filled with the stored profile, in the page's language."""
    record = read_experts(session, [expert_id])[expert_id]
    return form_of(record, language, affiliations_in(session, [expert_id], language).get(expert_id))


def _not_saved(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    expert: Expert | None,
    form: ProfileForm,
    error: ChangeRejected | Refused,
    **extra: object,
) -> HTMLResponse:
    """The form again, with why it was not saved (and the organizations to pick from when it names
    one the registry does not know)."""
    problems, status = form_problems(request, session, error, texts=form_issue_texts, raised=())
    if isinstance(error, OrganizationNotFound):
        language = request.state.language
        extra["found_organizations"] = organization_choices(session, account.viewer(), error.name, language)
    return _editor(request, session, account, expert, form, problems=problems, status=status, **extra)


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
    form = _stored_form(session, expert_id, request.state.language)
    return _editor(request, session, account, expert, form)


@router.post("/profiles/{expert_id}/edit", response_class=HTMLResponse)
async def save(request: Request, expert_id: RecordId, session: SessionDep, account: AccountDep) -> Response:
    """Validate and store the profile; the form comes back with every problem otherwise."""
    expert = _editable(session, account, expert_id)
    data = await request.form()
    texts = {key: value for key, value in data.items() if isinstance(value, str) and len(value) <= 40_000}
    form = read_form(texts, [value for value in data.getlist("sectors") if isinstance(value, str)])
    try:
        vetting_again = save_profile(session, account.viewer(), expert_id, form, utcnow())
    except (ChangeRejected, Refused) as error:
        return _not_saved(request, session, account, expert, form, error)
    session.commit()
    target = "/account/profile" if account.expert_id == expert_id else f"/profiles/{expert_id}/edit"
    return RedirectResponse(f"{target}?saved=1{'&vetting=1' if vetting_again else ''}", status_code=303)


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
    except (ChangeRejected, Refused) as error:
        return _not_saved(request, session, account, None, form, error, invite_email=invite_email)
    session.commit()
    if invitation is None:
        return RedirectResponse(f"/profiles/{expert_id}/edit?created=1", status_code=303)
    # The link is shown once, here, as on the invitations page (only its hash is stored).
    invitation_link = link(request, f"/register/{invitation.token}")
    deliver(get_mailer(request), invitation_mail(invitation.email, invitation_link))
    expert = session.get(Expert, expert_id)
    return _editor(
        request,
        session,
        account,
        expert,
        _stored_form(session, expert_id, request.state.language),
        invited=invitation,
        invitation_link=invitation_link,
    )

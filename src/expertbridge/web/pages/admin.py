"""Pages for coordinators and admins: the vetting queue, invitations, accounts and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from expertbridge.db.models import AuditEntry, Expert, Organization, OrganizationName, User
from expertbridge.mail import deliver, invitation_mail
from expertbridge.messages import Message
from expertbridge.registry import accounts
from expertbridge.registry.audit import AuditFilter, browse, utcnow
from expertbridge.registry.experts import affiliations_in, read_experts
from expertbridge.registry.organization_vetting import organization_queue
from expertbridge.registry.organizations import names_in
from expertbridge.registry.places import CITIES, canonical_city
from expertbridge.registry.privacy import record_contact_views
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.vetting import approve, queue, reject
from expertbridge.registry.visibility import ACCOUNT_ROLES, expert_for, may_see_expert, may_vet
from expertbridge.text.normalize import fold
from expertbridge.web.auth import AdminDep, VetterDep, check_csrf
from expertbridge.web.deps import RecordId, SessionDep, record_id
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text, refusal_text
from expertbridge.web.pages.account import get_mailer, link
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import names_in_order

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
Text = Annotated[str, Query(max_length=200)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
PER_PAGE = 50


def _pages(total: int) -> int:
    return max(1, (total + PER_PAGE - 1) // PER_PAGE)


# --- vetting -------------------------------------------------------------------------------------


@router.get("/vetting", response_class=HTMLResponse)
def vetting_queue(request: Request, session: SessionDep, account: VetterDep) -> HTMLResponse:
    """Profiles and organizations waiting for a decision: the coordinator's side (every side for
    admins)."""
    ids = queue(session, account.viewer())
    organizations = organization_queue(session, account.viewer())
    organization_names = names_in(session, [o.id for o in organizations], request.state.language)
    records = read_experts(session, ids)
    experts = {expert.id: expert for expert in session.scalars(select(Expert).where(Expert.id.in_(ids)))}
    items = [
        (expert_id, names_in_order(records[expert_id].names, request.state.language), experts[expert_id])
        for expert_id in ids
        if expert_id in records
    ]
    return render(
        request,
        "vetting.html",
        items=items,
        organizations=[(o, organization_names.get(o.id, f"#{o.id}")) for o in organizations],
        side=account.city,
        done=request.query_params.get("done", ""),
    )


@router.get("/vetting/{expert_id}", response_class=HTMLResponse)
def vetting_expert(
    request: Request,
    expert_id: RecordId,
    session: SessionDep,
    account: VetterDep,
    error: str | None = None,
    status: int = 400,
) -> HTMLResponse:
    """One profile as its coordinator sees it, with the decision form when it is pending."""
    viewer = account.viewer()
    expert = session.get(Expert, expert_id)
    if expert is None or not may_see_expert(viewer, expert.status, city=expert.city, expert_id=expert_id):
        raise HTTPException(404)
    record = expert_for(viewer, read_experts(session, [expert_id])[expert_id])
    lang = request.state.language
    organization = affiliations_in(session, [expert_id], lang).get(expert_id)
    if record_contact_views(session, viewer, {expert_id: record}):
        session.commit()
    return render(
        request,
        "vetting_expert.html",
        status_code=status if error else 200,
        expert=expert,
        record=record,
        names=names_in_order(record.names, lang),
        organization=organization[1] if organization and record.organization else record.organization,
        may_decide=expert.status == "pending" and may_vet(viewer, expert.city),
        may_edit=may_vet(viewer, expert.city),
        error=error,
    )


@router.post("/vetting/{expert_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    expert_id: RecordId,
    session: SessionDep,
    account: VetterDep,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Approve or reject (with a reason) a pending profile."""
    viewer = account.viewer()
    try:
        if decision == "approve":
            approve(session, viewer, expert_id, utcnow())
        else:
            reject(session, viewer, expert_id, reason)
    except Refused as refused:
        session.rollback()
        if refused.status in (403, 404):
            raise HTTPException(refused.status) from None
        return vetting_expert(
            request,
            expert_id,
            session,
            account,
            error=refusal_text(request, refused),
            status=refused.status,
        )
    session.commit()
    return RedirectResponse(f"/vetting?done={decision}", status_code=303)


# --- invitations ---------------------------------------------------------------------------------


def _organization_id(session: SessionDep, text: str) -> int | None:
    """An organization named by its id or by one of its names (exactly, in any language)."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        number = record_id(text)
        return number if number is not None and session.get(Organization, number) is not None else None
    found = session.scalars(
        select(OrganizationName.organization_id).where(OrganizationName.normalized == fold(text)).limit(2)
    ).all()
    if len(set(found)) != 1:
        raise Refused(N_("No single organization is called %(name)s; give its number instead."), name=text)
    return found[0]


def _invitations_page(
    request: Request,
    session: SessionDep,
    account: VetterDep,
    *,
    created: accounts.Invitation | None = None,
    created_link: str = "",
    error: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    pending = accounts.pending_invitations(session, account.viewer(), utcnow())
    organizations = names_in(
        session, {user.organization_id for user, _ in pending if user.organization_id}, request.state.language
    )
    roles = ACCOUNT_ROLES if account.role == "admin" else accounts.INVITABLE_BY_COORDINATORS
    return render(
        request,
        "invitations.html",
        status_code=status,
        pending=pending,
        organizations=organizations,
        roles=roles,
        cities=sorted(CITIES),
        created=created,
        created_link=created_link,
        error=error,
        values=values or {},
        side=account.city,
    )


@router.get("/invitations", response_class=HTMLResponse)
def invitations(request: Request, session: SessionDep, account: VetterDep) -> HTMLResponse:
    """Invite experts and partners (admins: anyone); the links still unused."""
    return _invitations_page(request, session, account)


def _expert_number(text: str) -> int | None:
    """The expert an invitation is for (None: a new profile); refuses what names no expert."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise Refused(N_("The expert's number must be a whole number."))
    number = record_id(text)
    if number is None:
        raise Refused(N_("There is no expert with id %(id)s."), id=text)
    return number


@router.post("/invitations", response_class=HTMLResponse)
def invite(
    request: Request,
    session: SessionDep,
    account: VetterDep,
    email: Annotated[str, Form(max_length=400)] = "",
    role: Annotated[str, Form(max_length=20)] = "expert",
    city: Annotated[str, Form(max_length=200)] = "",
    organization: Annotated[str, Form(max_length=500)] = "",
    expert_id: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """Create an invitation; the link is shown here and e-mailed (or logged without SMTP)."""
    values = {
        "email": email,
        "role": role,
        "city": city,
        "organization": organization,
        "expert_id": expert_id,
    }
    try:
        expert = _expert_number(expert_id)
        invitation = accounts.invite(
            session,
            account.viewer(),
            email=email,
            role=role,
            now=utcnow(),
            city=canonical_city(city) if city.strip() else None,
            organization_id=_organization_id(session, organization) if role == "partner" else None,
            expert_id=expert,
        )
    except Refused as refused:
        session.rollback()
        return _invitations_page(
            request,
            session,
            account,
            error=refusal_text(request, refused),
            values=values,
            status=refused.status,
        )
    session.commit()
    invitation_link = link(request, f"/register/{invitation.token}")
    deliver(get_mailer(request), invitation_mail(invitation.email, invitation_link))
    return _invitations_page(request, session, account, created=invitation, created_link=invitation_link)


# --- accounts ------------------------------------------------------------------------------------


@router.get("/admin/users", response_class=HTMLResponse)
def users(
    request: Request, session: SessionDep, account: AdminDep, role: Text = "", page: PageNumber = 1
) -> HTMLResponse:
    """Every account, newest first, with its role, side or organization and last sign-in."""
    found, total = accounts.list_users(
        session, role=role if role in ACCOUNT_ROLES else "", page=page, per_page=PER_PAGE
    )
    organizations = names_in(
        session, {user.organization_id for user in found if user.organization_id}, request.state.language
    )
    return render(
        request,
        "admin_users.html",
        users=found,
        total=total,
        page=page,
        pages=_pages(total),
        role=role,
        roles=ACCOUNT_ROLES,
        organizations=organizations,
        me=account.user_id,
    )


@router.post("/admin/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    account: AdminDep,
    active: Annotated[str, Form(pattern="^(yes|no)$")],
) -> Response:
    """Enable or disable an account."""
    try:
        accounts.set_active(session, account.viewer(), user_id, active == "yes")
    except Refused as refused:
        session.rollback()
        raise HTTPException(refused.status if refused.status != 400 else 409) from None
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


# --- audit log -----------------------------------------------------------------------------------


# The kinds of record the audit log names (its entity_type), as the page says them.
AUDIT_RECORD = {
    "expert": N_("Expert"),
    "organization": N_("Organization"),
    "opportunity": N_("Opportunity"),
    "event": N_("Event"),
    "user": N_("Account"),
    "event_participant": N_("Event participant"),
    "meeting_request": N_("Meeting request"),
    "event_schedule": N_("Meeting schedule"),
    "panel_entry": N_("Panel entry"),
    "panel_run": N_("Panel run"),
}
NOT_A_DATE = N_("“%(field)s”: %(value)s is not a date; write it as YYYY-MM-DD, e.g. 2026-06-15")
NO_ACCOUNT = N_("No account has the e-mail address %(email)s, so no entry is shown.")


def _date(text: str, field: str, problems: list[Message]) -> dt.date | None:
    """The date of a filter field (``field`` is its label); None, with a problem, when it is not one."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        problems.append(Message.of(NOT_A_DATE, field=Message(field), value=text[:40]))
        return None


def _actor(session: SessionDep, text: str, problems: list[Message]) -> str:
    """The actor the log stores for the "who" filter: an account's e-mail address (as the list
    shows it beside the id) becomes ``user:ID``, since the log never stores an e-mail; anything
    else (``user:ID``, ``operator``) is taken as written.  An address with no account is a problem."""
    if "@" not in text:
        return text
    user = accounts.find_user(session, text)
    if user is None:
        problems.append(Message.of(NO_ACCOUNT, email=text))
        return text
    return f"user:{user.id}"


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: SessionDep,
    account: AdminDep,
    actor: Text = "",
    action: Text = "",
    entity_type: Text = "",
    entity_id: Annotated[int | None, Query(ge=0)] = None,
    since: Text = "",
    until: Text = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    """The audit log, newest first, filtered by who (an account's id or e-mail address), what and
    when; a date that is not one is answered with the form and what to write (422)."""
    wrong_dates: list[Message] = []
    unknown_actor: list[Message] = []
    where = AuditFilter(
        actor=_actor(session, actor.strip(), unknown_actor),
        action=action.strip(),
        entity_type=entity_type.strip(),
        entity_id=entity_id,
        since=_date(since.strip(), N_("From"), wrong_dates),
        until=_date(until.strip(), N_("To"), wrong_dates),
    )
    translator = Translator(request.state.language)
    problems = [message_text(translator, problem) for problem in wrong_dates + unknown_actor]
    entries: list[AuditEntry] = []
    total = 0
    if not (wrong_dates or unknown_actor):
        entries, total = browse(session, where, page=page, per_page=PER_PAGE)
    user_ids = {int(e.actor[5:]) for e in entries if e.actor.startswith("user:") and e.actor[5:].isdigit()}
    emails = dict(session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).tuples().all())
    return render(
        request,
        "admin_audit.html",
        status_code=422 if wrong_dates else 200,
        entries=entries,
        emails=emails,
        total=total,
        page=page,
        pages=_pages(total),
        where=where,
        actor=actor,
        since=since,
        until=until,
        problems=problems,
        show_list=not wrong_dates,
        records=AUDIT_RECORD,
    )

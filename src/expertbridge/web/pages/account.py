"""Account pages: sign-in and sign-out, password reset, registration by invitation, my account.

Every POST here depends on the CSRF check; every refusal comes back as the same form with a
message in the visitor's language and a 4xx status.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from expertbridge.db.models import Expert, User
from expertbridge.ingest.profile_form import name_draft
from expertbridge.mail import Mailer, deliver, mailer_for, reset_mail
from expertbridge.registry import accounts
from expertbridge.registry.audit import utcnow
from expertbridge.registry.consent import (
    CURRENT_VERSION,
    active_consent,
    consent_text,
    erase_expert,
    give_consent,
    withdraw_consent,
)
from expertbridge.registry.privacy import personal_data
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.vetting import confirm, submit
from expertbridge.web.auth import (
    AccountDep,
    ExpertAccountDep,
    check_csrf,
    clear_session_cookie,
    current_account,
    set_session_cookie,
)
from expertbridge.web.deps import SessionDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import refusal_text
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
Email = Annotated[str, Form(max_length=400)]
Password = Annotated[str, Form(max_length=1000)]
Short = Annotated[str, Form(max_length=500)]


def safe_next(target: str, default: str = "/account") -> str:
    """A local path to go to after signing in (never another site).

    >>> safe_next("/experts?q=1"), safe_next("//evil.example"), safe_next("https://evil.example")
    ('/experts?q=1', '/account', '/account')
    """
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def client_address(request: Request) -> str:
    """The address a request came from (for throttling sign-ins)."""
    return request.client.host if request.client else "unknown"


def get_mailer(request: Request) -> Mailer:
    """The app's mailer (SMTP when configured, else the log)."""
    mailer: Mailer | None = getattr(request.app.state, "mailer", None)
    if mailer is None:
        mailer = request.app.state.mailer = mailer_for(request.app.state.settings)
    return mailer


def link(request: Request, path: str, *, from_request: bool = True) -> str:
    """An absolute link to ``path`` for an e-mail: EXPERTBRIDGE_BASE_URL, else the address this
    request came to (``from_request``; only for signed-in staff, whose Host header is their own),
    else the configured host and port — so that nobody gets a reset link pointing elsewhere by
    sending a forged Host header."""
    settings = request.app.state.settings
    if settings.base_url:
        return str(settings.base_url) + path
    if from_request:
        return str(request.base_url).rstrip("/") + path
    return f"http://{settings.host}:{settings.port}{path}"


def redirect(path: str) -> RedirectResponse:
    """See other: the answer to a successful form."""
    return RedirectResponse(path, status_code=303)


# --- signing in and out --------------------------------------------------------------------------


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str = "") -> Response:
    """The sign-in form (or, when signed in already, where the person was going)."""
    if current_account(request) is not None:
        return redirect(safe_next(next))
    return render(request, "signin.html", error=None, email="", next=safe_next(next, ""))


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request, session: SessionDep, email: Email = "", password: Password = "", next: Short = ""
) -> Response:
    """Check the e-mail and password; start a session and set its cookie."""
    now = utcnow()
    try:
        user = accounts.authenticate(session, email, password, client_address(request), now)
        token, _ = accounts.start_session(session, user, now)
    except Refused as refused:
        session.commit()  # the failure counts towards throttling
        return render(
            request,
            "signin.html",
            status_code=refused.status,
            error=refusal_text(request, refused),
            email=email,
            next=safe_next(next, ""),
        )
    session.commit()
    default = "/account/profile" if user.role == "expert" else "/account"
    response = redirect(safe_next(next, default))
    set_session_cookie(request, response, token)
    return response


@router.post("/signout")
def signout(request: Request, session: SessionDep) -> Response:
    """End this browser's session."""
    token = request.cookies.get("eb_session", "")
    if token:
        accounts.end_session(session, token)
        session.commit()
    response = redirect("/")
    clear_session_cookie(response)
    return response


@router.post("/account/signout-everywhere")
def signout_everywhere(request: Request, session: SessionDep, account: AccountDep) -> Response:
    """End every session of the signed-in person, this one included."""
    accounts.end_all_sessions(session, account.user_id)
    session.commit()
    response = redirect("/signin?done=signed-out")
    clear_session_cookie(response)
    return response


# --- password reset ------------------------------------------------------------------------------


@router.get("/password/forgot", response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    """Ask for a password-reset link."""
    return render(request, "password_forgot.html", sent=False, email="")


@router.post("/password/forgot", response_class=HTMLResponse)
def forgot(request: Request, session: SessionDep, email: Email = "") -> HTMLResponse:
    """Send a reset link when the account exists; the answer is the same either way."""
    issued = accounts.request_password_reset(session, email, utcnow())
    session.commit()
    if issued is not None:
        user, token = issued
        reset_link = link(request, f"/password/reset/{token}", from_request=False)
        deliver(get_mailer(request), reset_mail(user.email, reset_link))
    return render(request, "password_forgot.html", sent=True, email=email)


@router.get("/password/reset/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str, session: SessionDep) -> HTMLResponse:
    """Choose a new password (when the link is still valid)."""
    if accounts.token_user(session, token, "reset", utcnow()) is None:
        return render(request, "link_invalid.html", status_code=404)
    return render(request, "password_reset.html", error=None, token=token)


@router.post("/password/reset/{token}", response_class=HTMLResponse)
def reset(
    request: Request, token: str, session: SessionDep, password: Password = "", password2: Password = ""
) -> Response:
    """Set the new password; every session of the account ends."""
    try:
        if password != password2:
            raise Refused(N_("The two passwords differ."))
        accounts.reset_password(session, token, password, utcnow())
    except Refused as refused:
        session.rollback()
        if refused.status == 404:
            return render(request, "link_invalid.html", status_code=404)
        return render(
            request,
            "password_reset.html",
            status_code=400,
            error=refusal_text(request, refused),
            token=token,
        )
    session.commit()
    return redirect("/signin?done=password")


# --- registration by invitation ------------------------------------------------------------------


def _invited(request: Request, session: SessionDep, token: str) -> User | None:
    return accounts.token_user(session, token, "invitation", utcnow())


@router.get("/register/{token}", response_class=HTMLResponse)
def register_form(request: Request, token: str, session: SessionDep) -> HTMLResponse:
    """Registration: choose a password (experts also read and accept the consent)."""
    user = _invited(request, session, token)
    if user is None:
        return render(request, "link_invalid.html", status_code=404)
    return render(
        request,
        "register.html",
        error=None,
        user=user,
        token=token,
        display_name="",
        consent=consent_text(request.state.language),
        consent_version=CURRENT_VERSION,
    )


@router.post("/register/{token}", response_class=HTMLResponse)
def register(
    request: Request,
    token: str,
    session: SessionDep,
    password: Password = "",
    password2: Password = "",
    display_name: Short = "",
    consent: Short = "",
) -> Response:
    """Create the account's password, sign in; an expert gets an empty draft profile to fill."""
    user = _invited(request, session, token)
    if user is None:
        return render(request, "link_invalid.html", status_code=404)
    now = utcnow()
    try:
        if password != password2:
            raise Refused(N_("The two passwords differ."))
        if user.role == "expert" and consent != CURRENT_VERSION:
            raise Refused(N_("To register as an expert, accept the consent to processing of personal data."))
        accounts.activate_invited(session, token, password, display_name, now)
        if user.role == "expert":
            expert_id = user.expert_id
            if expert_id is None:
                expert_id = accounts.create_draft_profile(session, user)
                # The name they gave starts the profile they are sent to fill in.
                name_draft(session, expert_id, display_name, actor=f"user:{user.id}")
            give_consent(session, expert_id, now, actor=f"user:{user.id}")
        session_token, _ = accounts.start_session(session, user, now)
    except Refused as refused:
        session.rollback()
        return render(
            request,
            "register.html",
            status_code=refused.status,
            error=refusal_text(request, refused),
            user=user,
            token=token,
            display_name=display_name,
            consent=consent_text(request.state.language),
            consent_version=CURRENT_VERSION,
        )
    session.commit()
    response = redirect("/account/profile" if user.role == "expert" else "/account")
    set_session_cookie(request, response, session_token)
    return response


# --- my account ----------------------------------------------------------------------------------


def _account_page(
    request: Request, session: SessionDep, account: AccountDep, *, error: str | None = None, status: int = 200
) -> HTMLResponse:
    user = session.get(User, account.user_id)
    expert = session.get(Expert, account.expert_id) if account.expert_id is not None else None
    consent = active_consent(session, expert.id) if expert is not None else None
    return render(
        request,
        "account.html",
        status_code=status,
        user=user,
        expert=expert,
        consent=consent,
        consent_current=consent is not None and consent.version == CURRENT_VERSION,
        consent_text=consent_text(request.state.language),
        sessions=accounts.session_count(session, account.user_id, utcnow()),
        error=error,
        done=request.query_params.get("done", ""),
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, account: AccountDep) -> HTMLResponse:
    """The signed-in person's account: password, sessions, and for experts consent and their data."""
    return _account_page(request, session, account)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    current: Password = "",
    password: Password = "",
    password2: Password = "",
) -> Response:
    """Change the password; every session ends, so the person signs in again."""
    try:
        if password != password2:
            raise Refused(N_("The two passwords differ."))
        accounts.change_password(session, account.user_id, current, password)
    except Refused as refused:
        session.rollback()
        return _account_page(
            request,
            session,
            account,
            error=refusal_text(request, refused),
            status=400,
        )
    session.commit()
    response = redirect("/signin?done=password")
    clear_session_cookie(response)
    return response


def _expert_action(request: Request, session: SessionDep, account: ExpertAccountDep, action: str) -> Response:
    if account.expert_id is None:
        raise HTTPException(404)
    now = utcnow()
    viewer = account.viewer()
    try:
        if action == "submit":
            submit(session, viewer, account.expert_id)
        elif action == "confirm":
            confirm(session, viewer, account.expert_id, now)
        elif action == "give":
            give_consent(session, account.expert_id, now, actor=viewer.actor)
        elif action == "withdraw":
            withdraw_consent(session, account.expert_id, now, actor=viewer.actor)
    except Refused as refused:
        session.rollback()
        return _account_page(
            request,
            session,
            account,
            error=refusal_text(request, refused),
            status=refused.status,
        )
    session.commit()
    return redirect(f"/account?done={action}")


@router.post("/account/profile/submit")
def submit_profile(request: Request, session: SessionDep, account: ExpertAccountDep) -> Response:
    """Send the profile to the coordinators of the expert's side."""
    return _expert_action(request, session, account, "submit")


@router.post("/account/profile/confirm")
def confirm_profile(request: Request, session: SessionDep, account: ExpertAccountDep) -> Response:
    """Confirm that the profile is current (a frozen profile is shown again)."""
    return _expert_action(request, session, account, "confirm")


@router.post("/account/consent")
def consent_choice(
    request: Request,
    session: SessionDep,
    account: ExpertAccountDep,
    action: Annotated[str, Form(pattern="^(give|withdraw)$")],
) -> Response:
    """Give or withdraw consent; withdrawal hides the profile at once."""
    return _expert_action(request, session, account, action)


@router.get("/account/data.json")
def my_data(session: SessionDep, account: AccountDep) -> Response:
    """Everything held about the signed-in person, as a JSON file."""
    data = personal_data(session, account.user_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="expertbridge-my-data.json"'},
    )


@router.post("/account/erase", response_class=HTMLResponse)
def erase(
    request: Request,
    session: SessionDep,
    account: ExpertAccountDep,
    password: Password = "",
    confirm_erase: Short = "",
) -> Response:
    """Erase the expert's profile and account (after the password and an explicit confirmation)."""
    if account.expert_id is None:
        raise HTTPException(404)
    translator = Translator(request.state.language)
    if confirm_erase != "yes":
        message = translator.gettext("To erase your data, tick the box and enter your password.")
        return _account_page(request, session, account, error=message, status=400)
    if not accounts.verify_password(session, account.user_id, password):
        message = translator.gettext(
            "The password is wrong: nothing has been erased. Enter the password you sign in with."
        )
        return _account_page(request, session, account, error=message, status=400)
    erase_expert(session, account.expert_id, actor=account.viewer().actor)
    session.commit()
    request.state.account = None
    response = render(request, "erased.html")
    clear_session_cookie(response)
    return response

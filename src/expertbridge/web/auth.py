"""Who is asking: session cookies, CSRF tokens, and the role checks pages depend on.

A middleware reads the session cookie (only its hash is looked up) and puts the signed-in person,
or None, on ``request.state.account``, and the token forms must send back on
``request.state.csrf``: the session's own token when signed in, otherwise a random per-browser
cookie (double submit), so sign-in and registration forms are protected too.  Every page POST
depends on :func:`check_csrf`.  The JSON API takes a bearer token (machines) or, for reads, the
signed-in session.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from expertbridge.db.engine import transaction
from expertbridge.registry.accounts import SignedIn, load_session, new_token
from expertbridge.registry.audit import utcnow
from expertbridge.registry.visibility import OPERATOR, PUBLIC, Viewer
from expertbridge.settings import Settings

SESSION_COOKIE = "eb_session"
CSRF_COOKIE = "eb_csrf"
CSRF_FIELD = "csrf"
UNPROTECTED_PREFIXES = ("/static/", "/api/")


def secure_cookies(request: Request) -> bool:
    """Whether cookies get the Secure flag (the setting, or the request's own scheme)."""
    mode = request.app.state.settings.secure_cookies
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Hand the browser its session token (HttpOnly, SameSite=Lax, Secure behind TLS)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=14 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Make the browser forget its session token."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def _load(request: Request, token: str) -> SignedIn | None:
    with transaction(request.app.state.session_factory) as session:
        return load_session(session, token, utcnow())


def install_auth(app: FastAPI) -> None:
    """Add the middleware that recognises signed-in people and hands out CSRF tokens."""

    @app.middleware("http")
    async def accounts(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        account = await run_in_threadpool(_load, request, token) if token else None
        request.state.account = account
        new_csrf = None
        if account is not None:
            request.state.csrf = account.csrf_token
        else:
            browser_token = request.cookies.get(CSRF_COOKIE, "")
            if not (20 <= len(browser_token) <= 100) and not request.url.path.startswith(
                UNPROTECTED_PREFIXES
            ):
                browser_token = new_csrf = new_token()
            request.state.csrf = browser_token
        response = await call_next(request)
        if token and account is None:
            clear_session_cookie(response)
        if new_csrf is not None:
            response.set_cookie(
                CSRF_COOKIE, new_csrf, httponly=True, samesite="lax", secure=secure_cookies(request), path="/"
            )
        if account is not None:
            # Pages that show a signed-in person's data must not be kept by shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


async def check_csrf(request: Request) -> None:
    """Refuse a form POST whose CSRF token is missing or wrong (403)."""
    if request.method != "POST":
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = getattr(request.state, "csrf", "")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "csrf")


def current_account(request: Request) -> SignedIn | None:
    """The signed-in person, or None."""
    account: SignedIn | None = getattr(request.state, "account", None)
    return account


def require_account(request: Request) -> SignedIn:
    """The signed-in person; 401 (a page that offers to sign in) otherwise."""
    account = current_account(request)
    if account is None:
        raise HTTPException(401)
    return account


def require_roles(*roles: str) -> Callable[[Request], SignedIn]:
    """A dependency admitting signed-in people with one of ``roles`` (403 for the others)."""

    def dependency(request: Request) -> SignedIn:
        account = require_account(request)
        if account.role not in roles:
            raise HTTPException(403)
        return account

    return dependency


def _bearer_is_valid(request: Request) -> bool | None:
    """None without an Authorization header; else whether it carries the API token."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    settings: Settings = request.app.state.settings
    scheme, _, token = header.partition(" ")
    return (
        bool(settings.api_token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(token.strip(), settings.api_token)
    )


def viewer_of_request(request: Request) -> Viewer:
    """Who is looking: the API token's holder (the trusted operator), a signed-in person, or the
    public.  A wrong API token is refused rather than silently treated as the public."""
    bearer = _bearer_is_valid(request)
    if bearer is True:
        return OPERATOR
    if bearer is False and request.url.path.startswith("/api/"):
        raise HTTPException(
            401,
            "send the API token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    account = current_account(request)
    return account.viewer() if account is not None else PUBLIC


AccountDep = Annotated[SignedIn, Depends(require_account)]
AdminDep = Annotated[SignedIn, Depends(require_roles("admin"))]
VetterDep = Annotated[SignedIn, Depends(require_roles("admin", "coordinator"))]
ExpertAccountDep = Annotated[SignedIn, Depends(require_roles("expert"))]
PartnerDep = Annotated[SignedIn, Depends(require_roles("partner", "coordinator", "admin"))]

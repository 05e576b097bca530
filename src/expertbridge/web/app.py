"""The FastAPI application: pages, JSON API, static files, language choice, security headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from expertbridge import __version__
from expertbridge.db.engine import make_engine, session_factory
from expertbridge.search.service import catch_up, open_index, open_reranker
from expertbridge.settings import SUPPORTED_LANGUAGES, Settings, load_settings
from expertbridge.web.api.problems import echoed, validation_problems
from expertbridge.web.auth import install_auth
from expertbridge.web.i18n import negotiate
from expertbridge.web.proxy import TrustedProxyMiddleware

LANGUAGE_COOKIE = "lang"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _choose_language(request: Request, default: str) -> tuple[str, bool]:
    """The page language: ?lang=, then the cookie, then Accept-Language.  True when chosen now."""
    asked = request.query_params.get("lang", "")
    if asked in SUPPORTED_LANGUAGES:
        return asked, True
    cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    if cookie in SUPPORTED_LANGUAGES:
        return cookie, False
    return negotiate(request.headers.get("accept-language"), default), False


# The errors of a path id outside the range every record id has (``deps.RecordId``).
_ID_OUT_OF_RANGE = frozenset({"greater_than_equal", "less_than_equal"})


def missing_record(errors: Sequence[Any]) -> str | None:
    """The API's answer for a record that is not there ("no expert with id 99999999999999999999")
    when the request's only problem is a path id no record can have; None for any other problem
    (``/api/v1/experts/abc`` stays a 422 that names the parameter)."""
    if not errors or not all(
        error.get("loc", ("",))[0] == "path" and error.get("type") in _ID_OUT_OF_RANGE for error in errors
    ):
        return None
    parameter = str(errors[0]["loc"][-1])
    given = echoed(str(errors[0].get("input")))
    return f"no {parameter.removesuffix('_id').replace('_', ' ')} with id {given}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (the environment's by default); the database must exist."""
    from expertbridge.web.api.meetings import router as meetings_api_router
    from expertbridge.web.api.routes import router as api_router
    from expertbridge.web.pages.account import router as account_router
    from expertbridge.web.pages.admin import router as admin_router
    from expertbridge.web.pages.agenda import router as agenda_router
    from expertbridge.web.pages.errors import install_error_pages
    from expertbridge.web.pages.event_edit import router as event_edit_router
    from expertbridge.web.pages.expert_export import router as expert_export_router
    from expertbridge.web.pages.expert_import import router as expert_import_router
    from expertbridge.web.pages.meetings import router as meetings_router
    from expertbridge.web.pages.names import router as names_router
    from expertbridge.web.pages.opportunity_edit import router as opportunity_edit_router
    from expertbridge.web.pages.organization_edit import router as organization_edit_router
    from expertbridge.web.pages.organization_vetting import router as organization_vetting_router
    from expertbridge.web.pages.panel_entries import router as panel_entries_router
    from expertbridge.web.pages.panels import router as panels_router
    from expertbridge.web.pages.posting import router as posting_router
    from expertbridge.web.pages.profile import router as profile_router
    from expertbridge.web.pages.routes import router as pages_router

    settings = settings or load_settings()
    app = FastAPI(
        title="expertbridge API",
        version=__version__,
        description="Registry of Moscow and Beijing science and technology experts, organizations, "
        "cooperation opportunities and events.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    app.state.index = open_index(settings)
    app.state.reranker = open_reranker(settings)
    # Apply whatever the outbox holds (an import made while the app was down, say).
    catch_up(app.state.session_factory, app.state.index)

    # Added first, so it runs inside the language middleware (its error pages have a language).
    install_auth(app)

    @app.middleware("http")
    async def language_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        language, chosen = _choose_language(request, settings.default_language)
        request.state.language = language
        response = await call_next(request)
        if chosen:
            response.set_cookie(
                LANGUAGE_COOKIE,
                language,
                max_age=365 * 24 * 3600,
                samesite="lax",
                httponly=True,
                secure=request.url.scheme == "https",
            )
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        response.headers.setdefault("Content-Language", language)
        return response

    # Added last, so it runs first: every other part sees the client behind a trusted proxy.
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)

    static = resources.files("expertbridge.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(meetings_api_router, prefix="/api/v1")
    # Before the pages: /events/new, /organizations/new, /experts/import and /experts/export.xlsx are
    # not record numbers.
    app.include_router(event_edit_router)
    app.include_router(expert_import_router)
    app.include_router(expert_export_router)
    app.include_router(organization_edit_router)
    app.include_router(pages_router)
    app.include_router(names_router)
    app.include_router(account_router)
    app.include_router(admin_router)
    app.include_router(profile_router)
    app.include_router(posting_router)
    app.include_router(opportunity_edit_router)
    app.include_router(organization_vetting_router)
    app.include_router(meetings_router)
    app.include_router(agenda_router)
    app.include_router(panels_router)
    app.include_router(panel_entries_router)
    install_error_pages(app)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            if (missing := missing_record(exc.errors())) is not None:
                return JSONResponse({"detail": missing}, status_code=404)
            problems = validation_problems(exc.errors(), exc.body)
            return JSONResponse({"detail": "invalid request", "problems": problems}, status_code=422)
        from expertbridge.web.pages.errors import invalid_request_page

        return invalid_request_page(request, exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
            )
        from expertbridge.web.pages.errors import error_page

        return error_page(request, exc.status_code, detail=str(exc.detail))

    return app

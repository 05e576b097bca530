"""Error pages in the visitor's language, never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from expertbridge.web.labels import N_
from expertbridge.web.pages.render import render

log = logging.getLogger("expertbridge.web")

MESSAGES = {
    400: N_("The request could not be understood. Check the address or the form and try again."),
    401: N_("You need to sign in to see this page."),
    403: N_("You are not allowed to see this page."),
    404: N_("There is no such page. It may have been removed, or it is not public."),
    405: N_("This address does not accept that kind of request."),
    409: N_("This cannot be done in the record's present state. Reload the page and look again."),
    413: N_("The file is too large."),
    429: N_("Too many attempts. Wait a few minutes and try again."),
    500: N_("Something went wrong on our side. The problem has been logged; please try again later."),
}


# Messages for errors whose detail says more than their status code.
DETAIL_MESSAGES = {
    "csrf": N_(
        "The form has expired or was sent from another site. Go back, reload the page and send it again."
    ),
}


def error_page(request: Request, status_code: int, detail: str = "") -> HTMLResponse:
    """A translated error page with the right status code."""
    if not hasattr(request.state, "language"):
        request.state.language = "en"
    message = DETAIL_MESSAGES.get(detail) or MESSAGES.get(
        status_code, MESSAGES[400 if status_code < 500 else 500]
    )
    return render(request, "error.html", status_code=status_code, code=status_code, message=message)


def install_error_pages(app: FastAPI) -> None:
    """Answer unexpected errors with a page (or JSON under /api/) and log the traceback."""

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal error; it has been logged"}, status_code=500)
        return error_page(request, 500)

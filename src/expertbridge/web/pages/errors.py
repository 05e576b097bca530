"""Error pages in the visitor's language, never a stack trace."""

from __future__ import annotations

import logging
import re
import typing
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.report import Issue
from expertbridge.registry.problems import Refused
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_texts, refusal_text
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


# What a parameter or a form field accepts, said to the visitor.
ACCEPTED = {
    "int_range": N_("“%(name)s” must be a whole number from %(min)s to %(max)s."),
    "int_min": N_("“%(name)s” must be a whole number of at least %(min)s."),
    "int_max": N_("“%(name)s” must be a whole number of at most %(max)s."),
    "int": N_("“%(name)s” must be a whole number."),
    "number": N_("“%(name)s” must be a number."),
    "choice": N_("“%(name)s” must be one of: %(values)s."),
    "bool": N_("“%(name)s” must be true or false."),
    "date": N_("“%(name)s” must be a date written as YYYY-MM-DD."),
    "too_long": N_("“%(name)s” may be at most %(max)s characters long."),
    "too_short": N_("“%(name)s” must be at least %(min)s characters long."),
    "missing": N_("“%(name)s” is required."),
    "other": N_("“%(name)s” has a value that is not accepted here."),
}
_ALTERNATIVES = re.compile(r"^\^\(([^()\\]+)\)\$$")


def _fields(dependant: Any) -> Iterator[Any]:
    """The parameters of a route and of its dependencies (FastAPI's ``Dependant`` tree)."""
    for kind in ("path_params", "query_params", "header_params", "cookie_params", "body_params"):
        yield from getattr(dependant, kind, ())
    for sub in getattr(dependant, "dependencies", ()):
        yield from _fields(sub)


def _constraints(request: Request, name: str) -> dict[str, Any]:
    """What the route declares about parameter ``name``: its bounds, length and choices."""
    route = request.scope.get("route")
    found: dict[str, Any] = {}
    for field in _fields(getattr(route, "dependant", None)):
        if name not in (getattr(field, "alias", None), getattr(field, "name", None)):
            continue
        info = getattr(field, "field_info", None)
        for constraint in getattr(info, "metadata", ()):
            for key in ("ge", "gt", "le", "lt", "max_length", "min_length", "pattern"):
                if getattr(constraint, key, None) is not None:
                    found[key] = getattr(constraint, key)
        annotation = getattr(info, "annotation", None)
        if typing.get_origin(annotation) is typing.Literal:
            found["choices"] = [str(value) for value in typing.get_args(annotation)]
        elif isinstance(found.get("pattern"), str) and (match := _ALTERNATIVES.match(found["pattern"])):
            found["choices"] = match.group(1).split("|")
        break
    return found


def _problem(request: Request, translator: Translator, error: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Which sentence of :data:`ACCEPTED` says what is wrong, and its values."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    name = str(error["loc"][-1]) if error.get("loc") else "?"
    known = _constraints(request, name)
    low, high = known.get("ge"), known.get("le")
    if low is None and isinstance(known.get("gt"), int):
        low = known["gt"] + 1
    if high is None and isinstance(known.get("lt"), int):
        high = known["lt"] - 1
    if kind.startswith(("int_", "greater_than", "less_than")) and low is not None and high is not None:
        return "int_range", {"min": translator.number(low), "max": translator.number(high)}
    if kind.startswith(("int_", "greater_than", "less_than")) and low is not None:
        return "int_min", {"min": translator.number(low)}
    if kind.startswith(("int_", "greater_than", "less_than")) and high is not None:
        return "int_max", {"max": translator.number(high)}
    if kind.startswith("int_"):
        return "int", {}
    if kind.startswith(("float_", "decimal_")):
        return "number", {}
    if kind in ("literal_error", "enum", "string_pattern_mismatch") and known.get("choices"):
        return "choice", {"values": ", ".join(known["choices"])}
    if kind.startswith("bool_"):
        return "bool", {}
    if kind.startswith("date_"):
        return "date", {}
    if kind == "string_too_long":
        return "too_long", {"max": translator.number(context.get("max_length", known.get("max_length", 0)))}
    if kind == "string_too_short":
        return "too_short", {"min": translator.number(context.get("min_length", known.get("min_length", 0)))}
    if kind == "missing":
        return "missing", {}
    return "other", {}


def _accepted(request: Request, translator: Translator, error: dict[str, Any]) -> str:
    """One sentence: which parameter (or field) is wrong and what it accepts."""
    name = str(error["loc"][-1]) if error.get("loc") else "?"
    key, values = _problem(request, translator, error)
    return translator.gettext(ACCEPTED[key], name=name, **values)


def invalid_request_page(request: Request, errors: Sequence[Any]) -> HTMLResponse:
    """The page for a request whose parameters or form fields are not valid: each one named, with
    what it accepts (400); a path that is not a valid address at all is a page that is not there
    (404: ``/experts/abc``)."""
    if not hasattr(request.state, "language"):
        request.state.language = "en"
    if errors and all(error.get("loc", ("",))[0] == "path" for error in errors):
        return error_page(request, 404)
    translator = Translator(request.state.language)
    problems = list(dict.fromkeys(_accepted(request, translator, error) for error in errors))
    in_form = any(error.get("loc", ("",))[0] == "body" for error in errors)
    return render(
        request,
        "error.html",
        status_code=400,
        code=400,
        message=MESSAGES[400],
        problems=problems,
        in_form=in_form,
    )


def error_page(request: Request, status_code: int, detail: str = "") -> HTMLResponse:
    """A translated error page with the right status code."""
    if not hasattr(request.state, "language"):
        request.state.language = "en"
    message = DETAIL_MESSAGES.get(detail) or MESSAGES.get(
        status_code, MESSAGES[400 if status_code < 500 else 500]
    )
    return render(request, "error.html", status_code=status_code, code=status_code, message=message)


def form_problems(
    request: Request,
    session: Session,
    error: ChangeRejected | Refused,
    *,
    texts: Callable[[Translator, list[Issue]], list[str]] = issue_texts,
    raised: Collection[int] = (404,),
) -> tuple[list[str], int]:
    """What a form says when saving it failed: the transaction rolled back, then the problems in
    the page's language and the status to answer with (422 for the cells' problems, the refusal's
    own otherwise).  A refusal whose status is in ``raised`` answers as that error page instead.
    ``texts`` says the cells' problems (a form may name its fields its own way)."""
    session.rollback()
    if isinstance(error, Refused):
        if error.status in raised:
            raise HTTPException(error.status) from None
        return [refusal_text(request, error)], error.status
    return texts(Translator(request.state.language), list(error.issues)), 422


def refusal_page(request: Request, refused: Refused) -> HTMLResponse:
    """The page of a refusal: why the viewer may not (403 and the like) in the page's language; a
    record that is not there (or not the viewer's to see) is the plain 404 page."""
    if refused.status == 404:
        raise HTTPException(404)
    message = refusal_text(request, refused)
    return render(request, "error.html", status_code=refused.status, code=refused.status, message=message)


def install_error_pages(app: FastAPI) -> None:
    """Answer unexpected errors with a page (or JSON under /api/) and log the traceback."""

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal error; it has been logged"}, status_code=500)
        return error_page(request, 500)

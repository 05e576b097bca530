"""Request dependencies shared by pages and the API (FastAPI ``Annotated`` style)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request
from sqlalchemy.orm import Session

from expertbridge.registry.places import canonical_city
from expertbridge.registry.visibility import Viewer
from expertbridge.search.experts import ExpertFilters
from expertbridge.search.index import ExpertIndex
from expertbridge.search.semantic import Reranking
from expertbridge.search.service import catch_up, reranking_for
from expertbridge.settings import Settings
from expertbridge.web.auth import viewer_of_request
from expertbridge.web.i18n import Translator


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request; the caller commits what it writes."""
    with request.app.state.session_factory() as session:
        yield session


def get_translator(request: Request) -> Translator:
    """The translator of the language chosen for this request (see the language middleware)."""
    return Translator(request.state.language)


def get_viewer(request: Request) -> Viewer:
    """Who is looking: the signed-in person, the API token's holder, or the public (see web.auth)."""
    return viewer_of_request(request)


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def require_write_token(request: Request) -> str:
    """Allow API writes only with the configured bearer token; returns the actor name."""
    settings: Settings = request.app.state.settings
    if not settings.api_token:
        raise HTTPException(403, "API writes are disabled: the server has no EXPERTBRIDGE_API_TOKEN")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip(), settings.api_token):
        raise HTTPException(
            401,
            "send the API token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return "api"


def get_index(request: Request) -> ExpertIndex:
    """The search index, caught up with changes other processes made (an import, say)."""
    index: ExpertIndex = request.app.state.index
    catch_up(request.app.state.session_factory, index)
    return index


# Records are keyed by the database's INTEGER (32 bits on PostgreSQL): a number outside this range
# names no record, and SQLite cannot even bind one beyond 64 bits (OverflowError).  Every id in a
# path is checked against it before any query; the error handlers answer an id outside it as they
# answer an id that is not there (404).
MAX_RECORD_ID = 2**31 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID, description="a record's id")]


def record_id(text: str) -> int | None:
    """The record id a form field gives, or None when it is not a whole number in the range of
    :data:`RecordId` (a larger one names no record, and must not reach the database)."""
    try:
        number = int(text)
    except ValueError:
        return None
    return number if 1 <= number <= MAX_RECORD_ID else None


SessionDep = Annotated[Session, Depends(get_session)]
IndexDep = Annotated[ExpertIndex, Depends(get_index)]
TranslatorDep = Annotated[Translator, Depends(get_translator)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
WriterDep = Annotated[str, Depends(require_write_token)]


def get_reranking(request: Request, session: SessionDep, viewer: ViewerDep) -> Reranking | None:
    """Semantic re-ranking for this viewer, when the deployment configured a model."""
    return reranking_for(request.app.state.reranker, session, viewer)


RerankingDep = Annotated[Reranking | None, Depends(get_reranking)]


# A page's query parameters: a filter value, and search text, which may be long (a whole request
# pasted in; the engine reads its first 2,000 characters).
Text = Annotated[str, Query(max_length=500)]
SearchText = Annotated[str, Query(max_length=20_000)]


def get_list_filters(
    q: SearchText = "",
    sector: Text = "",
    city: Text = "",
    organization_type: Text = "",
    language: Text = "",
) -> ExpertFilters:
    """The experts list's search and filters from its query parameters (the list and its downloads
    read the same ones).

    A city is read as imports and forms read it: ``Москва``, ``莫斯科`` and ``moscow`` are the
    registry's ``Moscow``; a city it has no name for stays as written (cities are open).
    """
    return ExpertFilters(
        query=q,
        sector=sector,
        city=canonical_city(city) if city.strip() else "",
        organization_type=organization_type,
        language=language,
    )


ListFiltersDep = Annotated[ExpertFilters, Depends(get_list_filters)]

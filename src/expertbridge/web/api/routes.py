"""JSON API: list (paginated, filtered), detail, create and update for every kind of record."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from expertbridge.ingest import changes
from expertbridge.names.score import NameExplanation
from expertbridge.registry.activities import read_events, read_opportunities
from expertbridge.registry.catalog import (
    list_events,
    list_organizations,
    opportunity_visible,
    organization_statuses,
    organization_visible,
)
from expertbridge.registry.experts import delete_expert, read_experts
from expertbridge.registry.organizations import read_organizations
from expertbridge.registry.privacy import record_contact_views
from expertbridge.registry.records import (
    EventRecord,
    ExpertRecord,
    OpportunityRecord,
    OrganizationRecord,
)
from expertbridge.registry.visibility import (
    OPERATOR,
    PUBLIC,
    Viewer,
    expert_for,
    languages_unknown,
    may_see_expert,
    opportunity_for,
)
from expertbridge.search.experts import (
    ExpertFilters,
    ExpertPage,
    OpportunityMatches,
    experts_for_opportunity,
    experts_like,
    list_experts,
)
from expertbridge.search.explain import Explanation, explain
from expertbridge.search.opportunities import OpportunityFilters, search_opportunities
from expertbridge.search.query import AnalysedQuery
from expertbridge.text.concepts import concept_label
from expertbridge.web.api import schemas
from expertbridge.web.api.filters import (
    CityFilter,
    CountryFilter,
    EventKindFilter,
    LanguageFilter,
    OpportunityKindFilter,
    OpportunityStatusFilter,
    OrganizationTypeFilter,
    SectorFilter,
    SideChoice,
)
from expertbridge.web.api.problems import echoed, shortened
from expertbridge.web.deps import IndexDep, RecordId, RerankingDep, SessionDep, ViewerDep, WriterDep

router = APIRouter()
Text = Annotated[str, Query(max_length=500)]
# Search text may be long (a whole request pasted in); the engine reads its first 2,000 characters.
SearchText = Annotated[str, Query(max_length=20_000)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=200)]
# The matches of an opportunity a page lists unless asked: the ten its `limit` gave before paging.
MATCHES_PER_PAGE = 10


PROBLEMS: dict[int | str, dict[str, Any]] = {
    422: {"model": schemas.ProblemsOut, "description": "the record is not valid"}
}


def _explanation_out(why: Explanation, language: str) -> schemas.ExplanationOut:
    snippet = None
    if why.snippet is not None:
        text, highlights, position = "", [], 0
        for piece, highlighted in why.snippet.segments:
            if highlighted:
                highlights.append((position, position + len(piece)))
            text += piece
            position += len(piece)
        snippet = schemas.SnippetOut(language=why.snippet.language, text=text, highlights=highlights)
    return schemas.ExplanationOut(
        concepts=[
            schemas.ConceptMatchOut(
                code=m.code,
                label=concept_label(m.code, language),
                relation=m.relation,
                profile_code=m.profile_code,
                profile_label=concept_label(m.profile_code, language),
            )
            for m in why.concepts
        ],
        words={field: list(words) for field, words in why.words.items()},
        snippet=snippet,
    )


def _expert_out(
    expert_id: int,
    record: ExpertRecord,
    viewer: Viewer,
    score: float | None = None,
    query: AnalysedQuery | None = None,
    language: str = "en",
) -> schemas.ExpertOut:
    """An expert as the API shows it to ``viewer``; with a ``query``, why it matched (from what
    the viewer may see, so an explanation never quotes a hidden field)."""
    record = expert_for(viewer, record)
    why = None
    if query is not None and not query.empty:
        organizations = [record.organization] if record.organization else []
        why = _explanation_out(explain(query, record, organizations), language)
    return schemas.ExpertOut(
        id=expert_id,
        external_id=record.external_id,
        status=record.status,
        names=[
            schemas.NameOut(
                text=n.text,
                script=n.script,
                language=n.language,
                kind=n.kind,
                primary=n.is_primary,
                generated=n.generated,
            )
            for n in record.names
        ],
        organization=record.organization,
        position_title=record.position_title,
        city=record.city,
        country=record.country,
        sectors=list(record.sectors),
        expertise=[schemas.TextOut(text=t, language=lang) for t, lang in record.expertise],
        languages=[schemas.LanguageOut(language=c, level=lv) for c, lv in record.languages],
        bios=dict(record.bios),
        identifiers=dict(record.identifiers),
        contacts=[schemas.ContactOut(kind=k, value=v) for k, v in record.contacts],
        score=score,
        explanation=why,
    )


def _organization_out(
    organization_id: int, record: OrganizationRecord, status: str = "approved"
) -> schemas.OrganizationOut:
    return schemas.OrganizationOut(
        status=status,
        id=organization_id,
        external_id=record.external_id,
        names=record.names,
        aliases=list(record.aliases),
        type=record.type,
        city=record.city,
        country=record.country,
        ror_id=record.ror_id,
        wikidata_id=record.wikidata_id,
        website=record.website,
        parent=record.parent,
    )


def _opportunity_out(
    opportunity_id: int, record: OpportunityRecord, viewer: Viewer = PUBLIC
) -> schemas.OpportunityOut:
    record = opportunity_for(viewer, record)
    return schemas.OpportunityOut(
        id=opportunity_id,
        external_id=record.external_id,
        kind=record.kind,
        status=record.status,
        texts={
            lang: schemas.LocalizedOut(title=t.title, description=t.description)
            for lang, t in record.texts.items()
        },
        sectors=list(record.sectors),
        organization=record.organization,
        city=record.city,
        country=record.country,
        deadline=record.deadline.isoformat() if record.deadline else None,
        anonymous=record.anonymous,
    )


def _event_out(event_id: int, record: EventRecord) -> schemas.EventOut:
    return schemas.EventOut(
        id=event_id,
        external_id=record.external_id,
        kind=record.kind,
        texts={
            lang: schemas.LocalizedOut(title=t.title, description=t.description)
            for lang, t in record.texts.items()
        },
        starts_on=record.starts_on.isoformat(),
        ends_on=record.ends_on.isoformat(),
        city=record.city,
        country=record.country,
        venue=record.venue,
        online=record.online,
        organizers=list(record.organizers),
        organization_participants=list(record.organization_participants),
    )


def _rejected(error: changes.ChangeRejected) -> JSONResponse:
    return JSONResponse(
        {
            "detail": "the record is not valid",
            # A value sent by mistake (a whole file in one field) is repeated only by its start.
            "problems": [
                {"field": i.column, "value": echoed(i.value), "message": shortened(i.message, [i.value])}
                for i in error.issues
            ],
        },
        status_code=422,
    )


def _body(model: BaseModel) -> dict[str, Any]:
    return {key: value for key, value in model.model_dump(exclude_unset=True).items()}


def _save(session: SessionDep, action: Any) -> int | JSONResponse:
    # The change's outbox rows commit with it; the next search catches the index up (IndexDep).
    try:
        identifier: int = action()
        session.commit()
        return identifier
    except changes.ChangeRejected as error:
        session.rollback()
        return _rejected(error)
    except changes.NotFound as error:
        session.rollback()
        raise HTTPException(404, str(error)) from None
    except IntegrityError:
        session.rollback()
        raise HTTPException(409, "the change conflicts with another record (an id already taken?)") from None


# --- experts -------------------------------------------------------------------------------------


@router.get("/experts", response_model=schemas.ExpertPageOut, tags=["experts"])
def api_list_experts(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    reranking: RerankingDep,
    q: SearchText = "",
    name: Text = "",
    sector: SectorFilter = "",
    city: CityFilter = "",
    organization_type: OrganizationTypeFilter = "",
    language: LanguageFilter = "",
    country: CountryFilter = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> schemas.ExpertPageOut:
    """Experts the caller may see.

    `name` finds people by a name in any script (Cyrillic, Chinese characters, any romanization),
    best first, each with the explanation of its match; `q` searches names, organizations and
    expertise keywords, name matches first.
    """
    filters = ExpertFilters(
        query=q,
        name=name,
        sector=sector,
        city=city,
        organization_type=organization_type,
        language=language,
        country=country,
    )
    result = list_experts(index, viewer, filters, page=page, per_page=per_page, reranking=reranking)
    items = _ranked_out(session, viewer, result, request.state.language)
    return schemas.ExpertPageOut(
        total=result.total, page=page, per_page=per_page, facets=result.facets, items=items
    )


def _note_contact_views(session: SessionDep, viewer: Viewer, records: dict[int, ExpertRecord]) -> None:
    """Audit the contact data about to be shown to ``viewer``."""
    shown = {expert_id: expert_for(viewer, record) for expert_id, record in records.items()}
    if record_contact_views(session, viewer, shown):
        session.commit()


def _ranked_out(
    session: SessionDep, viewer: Viewer, result: ExpertPage, language: str
) -> list[schemas.ExpertOut]:
    """The experts of a ranked page, each with its score and why it matched."""
    records = read_experts(session, result.ids)
    _note_contact_views(session, viewer, records)
    return [
        _expert_out(i, records[i], viewer, result.scores.get(i), result.query, language).model_copy(
            update=_name_match_out(result.name_matches.get(i))
        )
        for i in result.ids
        if i in records
    ]


def _name_match_out(why: NameExplanation | None) -> dict[str, Any]:
    """The ``match`` fields of an expert found by name: one line, and part by part."""
    if why is None:
        return {}
    parts = [
        schemas.NamePartMatchOut(
            role=part.role, query=part.query, matched=part.matched, similarity=round(part.similarity, 4)
        )
        for part in why.parts
    ]
    return {"match": why.text, "match_parts": parts}


@router.get("/experts/{expert_id}/similar", response_model=schemas.MatchesOut, tags=["experts"])
def api_similar_experts(
    request: Request,
    expert_id: RecordId,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    reranking: RerankingDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> schemas.MatchesOut:
    """Experts like this one: the nearest profiles in any language, with why each matched."""
    records = read_experts(session, [expert_id])
    record = records.get(expert_id)
    if record is None or not may_see_expert(viewer, record.status, city=record.city, expert_id=expert_id):
        raise HTTPException(404, f"no expert with id {expert_id}")
    found = experts_like(
        index, viewer, expert_id, expert_for(viewer, record), limit=limit, reranking=reranking
    )
    return schemas.MatchesOut(
        total=found.total, items=_ranked_out(session, viewer, found, request.state.language)
    )


@router.get("/experts/{expert_id}", response_model=schemas.ExpertOut, tags=["experts"])
def api_get_expert(expert_id: RecordId, session: SessionDep, viewer: ViewerDep) -> schemas.ExpertOut:
    """One expert, with the fields the caller may see."""
    records = read_experts(session, [expert_id])
    record = records.get(expert_id)
    if record is None or not may_see_expert(viewer, record.status, city=record.city, expert_id=expert_id):
        raise HTTPException(404, f"no expert with id {expert_id}")
    _note_contact_views(session, viewer, {expert_id: record})
    return _expert_out(expert_id, record, viewer)


@router.post(
    "/experts", status_code=201, response_model=schemas.ExpertOut, responses=PROBLEMS, tags=["experts"]
)
def api_create_expert(body: schemas.ExpertIn, session: SessionDep, actor: WriterDep) -> Any:
    """Create an expert (status `pending` unless given). Needs the API token."""
    saved = _save(session, lambda: changes.create(session, "experts", _body(body), actor=actor))
    if isinstance(saved, JSONResponse):
        return saved
    return _expert_out(saved, read_experts(session, [saved])[saved], OPERATOR)


@router.patch("/experts/{expert_id}", response_model=schemas.ExpertOut, responses=PROBLEMS, tags=["experts"])
def api_update_expert(
    expert_id: RecordId, body: schemas.ExpertIn, session: SessionDep, actor: WriterDep
) -> Any:
    """Change the given fields of an expert; the others stay. Needs the API token."""
    saved = _save(session, lambda: changes.update(session, "experts", expert_id, _body(body), actor=actor))
    if isinstance(saved, JSONResponse):
        return saved
    return _expert_out(saved, read_experts(session, [saved])[saved], OPERATOR)


@router.delete("/experts/{expert_id}", status_code=204, tags=["experts"])
def api_delete_expert(expert_id: RecordId, session: SessionDep, actor: WriterDep) -> Response:
    """Delete an expert and everything attached to them. Needs the API token."""
    if not delete_expert(session, expert_id, actor=actor):
        raise HTTPException(404, f"no expert with id {expert_id}")
    session.commit()
    return Response(status_code=204)


# --- organizations -------------------------------------------------------------------------------


@router.get("/organizations", response_model=schemas.OrganizationPageOut, tags=["organizations"])
def api_list_organizations(
    session: SessionDep,
    viewer: ViewerDep,
    q: SearchText = "",
    type: OrganizationTypeFilter = "",
    city: CityFilter = "",
    country: CountryFilter = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> schemas.OrganizationPageOut:
    """Organizations the caller may see (approved ones; coordinators also those of their side
    waiting for vetting); `q` matches any of their names in any language."""
    listing = list_organizations(
        session, viewer, query=q, type=type, city=city, country=country, page=page, per_page=per_page
    )
    records = read_organizations(session, listing.ids)
    statuses = organization_statuses(session, listing.ids)
    return schemas.OrganizationPageOut(
        total=listing.total,
        page=page,
        per_page=per_page,
        items=[_organization_out(i, records[i], statuses[i]) for i in listing.ids if i in records],
    )


@router.get(
    "/organizations/{organization_id}", response_model=schemas.OrganizationOut, tags=["organizations"]
)
def api_get_organization(
    organization_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> schemas.OrganizationOut:
    """One organization (404 when the caller may not see it)."""
    records = read_organizations(session, [organization_id])
    if organization_id not in records or not organization_visible(session, viewer, organization_id):
        raise HTTPException(404, f"no organization with id {organization_id}")
    status = organization_statuses(session, [organization_id])[organization_id]
    return _organization_out(organization_id, records[organization_id], status)


@router.post(
    "/organizations",
    status_code=201,
    response_model=schemas.OrganizationOut,
    responses=PROBLEMS,
    tags=["organizations"],
)
def api_create_organization(body: schemas.OrganizationIn, session: SessionDep, actor: WriterDep) -> Any:
    """Create an organization. Needs the API token."""
    saved = _save(session, lambda: changes.create(session, "organizations", _body(body), actor=actor))
    return saved if isinstance(saved, JSONResponse) else api_get_organization(saved, session, OPERATOR)


@router.patch(
    "/organizations/{organization_id}",
    response_model=schemas.OrganizationOut,
    responses=PROBLEMS,
    tags=["organizations"],
)
def api_update_organization(
    organization_id: RecordId, body: schemas.OrganizationIn, session: SessionDep, actor: WriterDep
) -> Any:
    """Change the given fields of an organization. Needs the API token."""
    saved = _save(
        session, lambda: changes.update(session, "organizations", organization_id, _body(body), actor=actor)
    )
    return saved if isinstance(saved, JSONResponse) else api_get_organization(saved, session, OPERATOR)


# --- opportunities -------------------------------------------------------------------------------


@router.get("/opportunities", response_model=schemas.OpportunityPageOut, tags=["opportunities"])
def api_list_opportunities(
    session: SessionDep,
    viewer: ViewerDep,
    q: SearchText = "",
    kind: OpportunityKindFilter = "",
    sector: SectorFilter = "",
    status: OpportunityStatusFilter = "",
    city: CityFilter = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> schemas.OpportunityPageOut:
    """Published opportunities (drafts are not listed), soonest deadline first; with `q`, those
    whose titles, descriptions or (when shown) organization match it in any of the three
    languages, best first (equal matches by deadline)."""
    filters = OpportunityFilters(query=q, kind=kind, sector=sector, status=status, city=city)
    listing = search_opportunities(session, viewer, filters, page=page, per_page=per_page)
    records = read_opportunities(session, listing.ids)
    return schemas.OpportunityPageOut(
        total=listing.total,
        page=page,
        per_page=per_page,
        items=[_opportunity_out(i, records[i], viewer) for i in listing.ids if i in records],
    )


@router.get("/opportunities/{opportunity_id}", response_model=schemas.OpportunityOut, tags=["opportunities"])
def api_get_opportunity(
    opportunity_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> schemas.OpportunityOut:
    """One published opportunity."""
    if not opportunity_visible(session, viewer, opportunity_id):
        raise HTTPException(404, f"no opportunity with id {opportunity_id}")
    return _opportunity_out(
        opportunity_id, read_opportunities(session, [opportunity_id])[opportunity_id], viewer
    )


@router.get(
    "/opportunities/{opportunity_id}/experts", response_model=schemas.MatchPageOut, tags=["opportunities"]
)
def api_opportunity_experts(
    request: Request,
    opportunity_id: RecordId,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    reranking: RerankingDep,
    side: SideChoice = "counterpart",
    shared_language: bool = False,
    page: PageNumber = 1,
    per_page: PerPage = MATCHES_PER_PAGE,
    limit: Annotated[
        int | None,
        Query(ge=1, le=100, deprecated=True, description="The former name of `per_page`, which wins."),
    ] = None,
) -> schemas.MatchPageOut:
    """Experts for this opportunity, best first, a page at a time, from the partner city by default
    (`side=any` for all); `shared_language=true` keeps those who speak a language the opportunity
    is written in, otherwise each result says whether it needs an interpreter (`needs_interpreter`;
    null when the expert's languages are not shown to the caller or the expert lists none)."""
    if not opportunity_visible(session, viewer, opportunity_id):
        raise HTTPException(404, f"no opportunity with id {opportunity_id}")
    if limit is not None and "per_page" not in request.query_params:
        per_page = limit
    record = opportunity_for(viewer, read_opportunities(session, [opportunity_id])[opportunity_id])

    def best(count: int) -> OpportunityMatches:
        return experts_for_opportunity(
            index,
            viewer,
            record,
            counterpart_only=side != "any",
            shared_language=shared_language,
            limit=count,
            reranking=reranking,
        )

    start = (page - 1) * per_page
    matches = best(per_page)
    # A later page ranks the matches down to its end, once the first page's total says it has any
    # (a page past the end asks for no more than the first).
    if page > 1 and start < matches.page.total:
        matches = best(start + per_page)
    window = replace(matches.page, ids=matches.page.ids[start : start + per_page])
    # Whether an interpreter is needed, judged only from the languages the caller may see: null
    # when those cannot say (hidden from the caller, or none given).
    needed: dict[int, bool | None] = {}
    for expert_id, profile in read_experts(session, window.ids).items():
        unknown = languages_unknown(viewer, profile)
        needed[expert_id] = (
            None if unknown else matches.needs_interpreter(code for code, _level in profile.languages)
        )
    items = [
        item.model_copy(update={"needs_interpreter": needed.get(item.id)})
        for item in _ranked_out(session, viewer, window, request.state.language)
    ]
    return schemas.MatchPageOut(total=matches.page.total, page=page, per_page=per_page, items=items)


@router.post(
    "/opportunities",
    status_code=201,
    response_model=schemas.OpportunityOut,
    responses=PROBLEMS,
    tags=["opportunities"],
)
def api_create_opportunity(body: schemas.OpportunityIn, session: SessionDep, actor: WriterDep) -> Any:
    """Post an opportunity. Needs the API token."""
    saved = _save(session, lambda: changes.create(session, "opportunities", _body(body), actor=actor))
    if isinstance(saved, JSONResponse):
        return saved
    return _opportunity_out(saved, read_opportunities(session, [saved])[saved])


@router.patch(
    "/opportunities/{opportunity_id}",
    response_model=schemas.OpportunityOut,
    responses=PROBLEMS,
    tags=["opportunities"],
)
def api_update_opportunity(
    opportunity_id: RecordId, body: schemas.OpportunityIn, session: SessionDep, actor: WriterDep
) -> Any:
    """Change the given fields of an opportunity. Needs the API token."""
    saved = _save(
        session, lambda: changes.update(session, "opportunities", opportunity_id, _body(body), actor=actor)
    )
    if isinstance(saved, JSONResponse):
        return saved
    return _opportunity_out(saved, read_opportunities(session, [saved])[saved])


# --- events --------------------------------------------------------------------------------------


@router.get("/events", response_model=schemas.EventPageOut, tags=["events"])
def api_list_events(
    session: SessionDep,
    viewer: ViewerDep,
    kind: EventKindFilter = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> schemas.EventPageOut:
    """Events, latest first (naming the organizations the caller may see)."""
    listing = list_events(session, kind=kind, page=page, per_page=per_page)
    records = read_events(session, listing.ids, viewer)
    return schemas.EventPageOut(
        total=listing.total,
        page=page,
        per_page=per_page,
        items=[_event_out(i, records[i]) for i in listing.ids if i in records],
    )


@router.get("/events/{event_id}", response_model=schemas.EventOut, tags=["events"])
def api_get_event(event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> schemas.EventOut:
    """One event (naming the organizations the caller may see)."""
    records = read_events(session, [event_id], viewer)
    if event_id not in records:
        raise HTTPException(404, f"no event with id {event_id}")
    return _event_out(event_id, records[event_id])


@router.post("/events", status_code=201, response_model=schemas.EventOut, responses=PROBLEMS, tags=["events"])
def api_create_event(body: schemas.EventIn, session: SessionDep, actor: WriterDep) -> Any:
    """Create an event. Needs the API token."""
    saved = _save(session, lambda: changes.create(session, "events", _body(body), actor=actor))
    return saved if isinstance(saved, JSONResponse) else api_get_event(saved, session, OPERATOR)


@router.patch("/events/{event_id}", response_model=schemas.EventOut, responses=PROBLEMS, tags=["events"])
def api_update_event(event_id: RecordId, body: schemas.EventIn, session: SessionDep, actor: WriterDep) -> Any:
    """Change the given fields of an event. Needs the API token."""
    saved = _save(session, lambda: changes.update(session, "events", event_id, _body(body), actor=actor))
    return saved if isinstance(saved, JSONResponse) else api_get_event(saved, session, OPERATOR)

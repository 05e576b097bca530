"""The pages: registry (experts with facets), expert, organizations, opportunities, events."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Event,
    EventParticipant,
    Expert,
    ExpertAffiliation,
    Opportunity,
    OpportunitySector,
    Organization,
    OrganizationName,
)
from expertbridge.registry.activities import read_events, read_opportunities
from expertbridge.registry.experts import affiliations_in, read_experts
from expertbridge.registry.listing import ExpertFilters, list_experts, registry_stats
from expertbridge.registry.organizations import read_organizations
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import Viewer, expert_for, may_see_expert, visible_statuses
from expertbridge.text.normalize import fold
from expertbridge.web.deps import SessionDep, ViewerDep
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import ExpertCard, expert_card, localized, names_in_order

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
Text = Annotated[str, Query(max_length=500)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def _cards(
    session: Session, viewer: Viewer, ids: list[int], language: str, scores: dict[int, float] | None = None
) -> list[ExpertCard]:
    """List cards of the experts with ``ids``, in order, with organization names in ``language``."""
    records = read_experts(session, ids)
    affiliations = affiliations_in(session, ids, language)
    cards = []
    for expert_id in ids:
        if expert_id in records:
            record = expert_for(viewer, records[expert_id])
            if expert_id in affiliations:
                record = replace(record, organization=affiliations[expert_id][1])
            cards.append(expert_card(expert_id, record, language, (scores or {}).get(expert_id)))
    return cards


def _pages(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, (total + per_page - 1) // per_page)


@router.get("/", response_class=HTMLResponse)
@router.get("/experts", response_class=HTMLResponse)
def experts_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: Text = "",
    sector: Text = "",
    city: Text = "",
    organization_type: Text = "",
    language: Text = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    """The registry: search box, facets and a page of experts."""
    filters = ExpertFilters(
        query=q, sector=sector, city=city, organization_type=organization_type, language=language
    )
    result = list_experts(session, viewer, filters, page=page, per_page=PER_PAGE)
    cards = _cards(session, viewer, result.ids, request.state.language, result.scores)
    stats = registry_stats(session, viewer) if request.url.path == "/" else None
    return render(
        request,
        "experts.html",
        cards=cards,
        total=result.total,
        facets=result.facets,
        filters=filters,
        page=page,
        pages=_pages(result.total),
        stats=stats,
        taxonomy=load_taxonomy(),
    )


@router.get("/experts/{expert_id}", response_class=HTMLResponse)
def expert_page(request: Request, expert_id: int, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """One expert: names in every script, affiliation, sectors, expertise, languages, biography."""
    status = session.scalar(select(Expert.status).where(Expert.id == expert_id))
    if status is None or not may_see_expert(viewer, status):
        raise HTTPException(404)
    record = expert_for(viewer, read_experts(session, [expert_id])[expert_id])
    lang = request.state.language
    organization_id, organization_name = affiliations_in(session, [expert_id], lang).get(
        expert_id, (None, None)
    )
    if organization_name:
        record = replace(record, organization=organization_name)
    bios = sorted(record.bios, key=lambda bio: bio[0] != lang)
    return render(
        request,
        "expert.html",
        expert_id=expert_id,
        record=record,
        names=names_in_order(record.names, lang),
        organization_id=organization_id,
        bios=bios,
    )


@router.get("/organizations", response_class=HTMLResponse)
def organizations_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: Text = "",
    type: Text = "",
    city: Text = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    """Organizations, searchable by name in any language, filtered by type and city."""
    query = select(Organization.id)
    if q.strip():
        pattern = "%" + fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            Organization.id.in_(
                select(OrganizationName.organization_id).where(
                    OrganizationName.normalized.like(pattern, escape="\\")
                )
            )
        )
    if type:
        query = query.where(Organization.type == type)
    if city:
        query = query.where(Organization.city == city)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(session.scalars(query.order_by(Organization.id).offset((page - 1) * PER_PAGE).limit(PER_PAGE)))
    records = read_organizations(session, ids)
    counts = _expert_counts(session, visible_statuses(viewer), ids)
    types = list(
        session.execute(
            select(Organization.type, func.count()).group_by(Organization.type).order_by(func.count().desc())
        ).tuples()
    )
    cities = list(
        session.execute(
            select(Organization.city, func.count())
            .where(Organization.city.is_not(None))
            .group_by(Organization.city)
            .order_by(func.count().desc())
            .limit(10)
        ).tuples()
    )
    return render(
        request,
        "organizations.html",
        items=[(i, records[i], counts.get(i, 0)) for i in ids if i in records],
        total=total,
        page=page,
        pages=_pages(total),
        q=q,
        type=type,
        city=city,
        types=types,
        cities=cities,
    )


def _expert_counts(
    session: Session, viewer_statuses: tuple[str, ...] | None, ids: list[int]
) -> dict[int, int]:
    query = (
        select(ExpertAffiliation.organization_id, func.count(func.distinct(ExpertAffiliation.expert_id)))
        .join(Expert, Expert.id == ExpertAffiliation.expert_id)
        .where(ExpertAffiliation.organization_id.in_(ids))
        .group_by(ExpertAffiliation.organization_id)
    )
    if viewer_statuses is not None:
        query = query.where(Expert.status.in_(viewer_statuses))
    return dict(session.execute(query).tuples().all())


@router.get("/organizations/{organization_id}", response_class=HTMLResponse)
def organization_page(
    request: Request, organization_id: int, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """One organization with its names, parent, units, experts and opportunities."""
    records = read_organizations(session, [organization_id])
    if organization_id not in records:
        raise HTTPException(404)
    organization = session.get(Organization, organization_id)
    assert organization is not None
    children = list(session.scalars(select(Organization.id).where(Organization.parent_id == organization_id)))
    child_records = read_organizations(session, children)
    expert_query = (
        select(ExpertAffiliation.expert_id)
        .join(Expert, Expert.id == ExpertAffiliation.expert_id)
        .where(ExpertAffiliation.organization_id == organization_id)
        .order_by(Expert.id)
        .limit(50)
    )
    statuses = visible_statuses(viewer)
    if statuses is not None:
        expert_query = expert_query.where(Expert.status.in_(statuses))
    lang = request.state.language
    cards = _cards(session, viewer, list(session.scalars(expert_query)), lang)
    opportunity_ids = list(
        session.scalars(
            select(Opportunity.id).where(
                Opportunity.organization_id == organization_id, Opportunity.anonymous.is_(False)
            )
        )
    )
    opportunities = read_opportunities(session, opportunity_ids)
    return render(
        request,
        "organization.html",
        organization_id=organization_id,
        record=records[organization_id],
        parent_id=organization.parent_id,
        children=[(i, child_records[i]) for i in children if i in child_records],
        cards=cards,
        opportunities=[
            (i, opportunities[i], localized(opportunities[i].texts, lang)[0]) for i in opportunity_ids
        ],
    )


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities_page(
    request: Request,
    session: SessionDep,
    kind: Text = "",
    sector: Text = "",
    status: Text = "open",
    page: PageNumber = 1,
) -> HTMLResponse:
    """Opportunities posted by enterprises and project teams."""
    query = select(Opportunity.id).where(Opportunity.status != "draft")
    if kind:
        query = query.where(Opportunity.kind == kind)
    if status:
        query = query.where(Opportunity.status == status)
    if sector:
        node = load_taxonomy().nodes.get(sector)
        codes = [sector, *(node.children if node else ())]
        query = query.where(
            Opportunity.id.in_(
                select(OpportunitySector.opportunity_id).where(OpportunitySector.sector_code.in_(codes))
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(
        session.scalars(
            query.order_by(Opportunity.deadline, Opportunity.id).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
        )
    )
    records = read_opportunities(session, ids)
    lang = request.state.language
    items = [(i, records[i], *localized(records[i].texts, lang)) for i in ids if i in records]
    return render(
        request,
        "opportunities.html",
        items=items,
        total=total,
        page=page,
        pages=_pages(total),
        kind=kind,
        sector=sector,
        status=status,
        taxonomy=load_taxonomy(),
    )


@router.get("/opportunities/{opportunity_id}", response_class=HTMLResponse)
def opportunity_page(request: Request, opportunity_id: int, session: SessionDep) -> HTMLResponse:
    """One opportunity; the owner is hidden when it was posted anonymously."""
    records = read_opportunities(session, [opportunity_id])
    if opportunity_id not in records or records[opportunity_id].status == "draft":
        raise HTTPException(404)
    record = records[opportunity_id]
    organization_id = session.scalar(
        select(Opportunity.organization_id).where(Opportunity.id == opportunity_id)
    )
    text, text_language = localized(record.texts, request.state.language)
    return render(
        request,
        "opportunity.html",
        record=record,
        text=text,
        text_language=text_language,
        organization_id=None if record.anonymous else organization_id,
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, session: SessionDep, kind: Text = "", page: PageNumber = 1) -> HTMLResponse:
    """Roundtables, forums, delegation visits, competitions and meetings."""
    query = select(Event.id)
    if kind:
        query = query.where(Event.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(
        session.scalars(
            query.order_by(Event.starts_on.desc(), Event.id).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
        )
    )
    records = read_events(session, ids)
    lang = request.state.language
    items = [(i, records[i], *localized(records[i].texts, lang)) for i in ids if i in records]
    return render(request, "events.html", items=items, total=total, page=page, pages=_pages(total), kind=kind)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: int, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """One event with its organizers and the participants the visitor may see."""
    records = read_events(session, [event_id])
    if event_id not in records:
        raise HTTPException(404)
    record = records[event_id]
    statuses = visible_statuses(viewer)
    query = (
        select(EventParticipant.expert_id)
        .join(Expert, Expert.id == EventParticipant.expert_id)
        .where(EventParticipant.event_id == event_id)
        .order_by(EventParticipant.position)
    )
    if statuses is not None:
        query = query.where(Expert.status.in_(statuses))
    lang = request.state.language
    cards = _cards(session, viewer, list(session.scalars(query)), lang)
    text, text_language = localized(record.texts, lang)
    return render(request, "event.html", record=record, text=text, text_language=text_language, cards=cards)

"""The pages: registry (experts with facets), expert, organizations, opportunities, events."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Expert, Organization
from expertbridge.ingest.opportunity_form import editable_opportunity
from expertbridge.registry.activities import event_organizations, read_events, read_opportunities
from expertbridge.registry.catalog import (
    event_experts,
    expert_counts,
    experts_at,
    list_events,
    list_opportunities,
    list_organizations,
    opportunity_owners,
    opportunity_visible,
    organization_facets,
    organization_visible,
    units_of,
)
from expertbridge.registry.experts import affiliations_in, read_experts
from expertbridge.registry.listing import registry_stats
from expertbridge.registry.organizations import names_in, read_organizations
from expertbridge.registry.privacy import record_contact_views
from expertbridge.registry.problems import Refused
from expertbridge.registry.records import OpportunityRecord
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import (
    LANGUAGES_HIDDEN,
    Viewer,
    expert_for,
    languages_unknown,
    may_create_event,
    may_edit_event,
    may_organize_event,
    may_see_expert,
    may_vet,
    opportunity_for,
)
from expertbridge.search.experts import (
    OpportunityMatches,
    experts_for_opportunity,
    experts_like,
    list_experts,
)
from expertbridge.search.explain import Explanation, explain
from expertbridge.search.opportunities import OpportunityFilters, explain_opportunity, search_opportunities
from expertbridge.search.query import AnalysedQuery
from expertbridge.web.deps import (
    IndexDep,
    ListFiltersDep,
    RecordId,
    RerankingDep,
    SearchText,
    SessionDep,
    Text,
    ViewerDep,
)
from expertbridge.web.pages.expert_export import export_links
from expertbridge.web.pages.opportunity_filters import unknown_opportunity_filters
from expertbridge.web.pages.panels import event_panel_runs, opportunity_panel_runs
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import (
    ExpertCard,
    active_filters,
    distinct_concepts,
    expert_card,
    facet_items,
    localized,
    names_in_order,
)

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def _cards(
    session: Session,
    viewer: Viewer,
    ids: list[int],
    language: str,
    scores: dict[int, float] | None = None,
    query: AnalysedQuery | None = None,
) -> list[ExpertCard]:
    """List cards of the experts with ``ids``, in order, with organization names in ``language``.

    With a ``query``, each card says why it matched, from what the viewer may see of the profile.
    """
    records = read_experts(session, ids)
    affiliations = affiliations_in(session, ids, language)
    cards = []
    for expert_id in ids:
        if expert_id in records:
            record = expert_for(viewer, records[expert_id])
            if expert_id in affiliations and record.organization:  # shown only when the viewer may see it
                record = replace(record, organization=affiliations[expert_id][1])
            card = expert_card(expert_id, record, language, (scores or {}).get(expert_id))
            if query is not None and not query.empty:
                names = [record.organization] if record.organization else []
                card = replace(card, why=distinct_concepts(explain(query, record, names), language))
            cards.append(card)
    return cards


def _localized_owners(
    session: Session, records: dict[int, OpportunityRecord], language: str
) -> dict[int, OpportunityRecord]:
    """Opportunities with their owner's name in ``language``."""
    owners = opportunity_owners(session, list(records))
    names = names_in(session, owners.values(), language)
    return {
        i: replace(record, organization=names.get(owners[i], record.organization)) if i in owners else record
        for i, record in records.items()
    }


def _pages(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, (total + per_page - 1) // per_page)


@router.get("/", response_class=HTMLResponse)
@router.get("/experts", response_class=HTMLResponse)
def experts_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    reranking: RerankingDep,
    filters: ListFiltersDep,
    page: PageNumber = 1,
) -> HTMLResponse:
    """The registry: search box, facets and a page of experts."""
    result = list_experts(index, viewer, filters, page=page, per_page=PER_PAGE, reranking=reranking)
    cards = _cards(session, viewer, result.ids, request.state.language, result.scores, result.query)
    cards = [replace(card, match=result.name_matches.get(card.id)) for card in cards]
    stats = registry_stats(session, viewer) if request.url.path == "/" else None
    listed, area = facet_items(filters, result.facets)
    return render(
        request,
        "experts.html",
        cards=cards,
        total=result.total,
        facets=listed,
        area=area,
        active_filters=active_filters(filters, result.facets, request.state.language),
        filters=filters,
        page=page,
        pages=_pages(result.total),
        stats=stats,
        taxonomy=load_taxonomy(),
        exports=export_links(viewer, filters, result.total),
    )


SIMILAR = 6
MATCHES = 10


@router.get("/experts/{expert_id}", response_class=HTMLResponse)
def expert_page(
    request: Request,
    expert_id: RecordId,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    reranking: RerankingDep,
) -> HTMLResponse:
    """One expert: names in every script, affiliation, sectors, expertise, languages, biography."""
    found = session.execute(select(Expert.status, Expert.city).where(Expert.id == expert_id)).first()
    # The city decides whether a coordinator sees a profile of their side that waits for vetting.
    if found is None or not may_see_expert(viewer, found.status, city=found.city, expert_id=expert_id):
        raise HTTPException(404)
    stored = read_experts(session, [expert_id])[expert_id]
    record = expert_for(viewer, stored)
    if record_contact_views(session, viewer, {expert_id: record}):
        session.commit()
    lang = request.state.language
    organization_id, organization_name = affiliations_in(session, [expert_id], lang).get(
        expert_id, (None, None)
    )
    if organization_name and record.organization:  # localized only when the viewer may see it
        record = replace(record, organization=organization_name)
    if organization_id is not None and not organization_visible(session, viewer, organization_id):
        organization_id = None  # named as the expert wrote it, not linked until it is vetted
    bios = sorted(record.bios, key=lambda bio: bio[0] != lang)
    similar = experts_like(index, viewer, expert_id, record, limit=SIMILAR, reranking=reranking)
    return render(
        request,
        "expert.html",
        similar=_cards(session, viewer, similar.ids, lang, similar.scores, similar.query),
        expert_id=expert_id,
        record=record,
        names=names_in_order(record.names, lang),
        organization_id=organization_id,
        bios=bios,
        # Contact details withheld from this viewer are not the same as none given.
        contacts_withheld=len(record.contacts) < len(stored.contacts),
    )


@router.get("/organizations", response_class=HTMLResponse)
def organizations_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: SearchText = "",
    type: Text = "",
    city: Text = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    """Organizations, searchable by name in any language, filtered by type and city."""
    listing = list_organizations(session, viewer, query=q, type=type, city=city, page=page, per_page=PER_PAGE)
    records = read_organizations(session, listing.ids)
    counts = expert_counts(session, viewer, listing.ids)
    types, cities = organization_facets(session, viewer)
    return render(
        request,
        "organizations.html",
        items=[(i, records[i], counts.get(i, 0)) for i in listing.ids if i in records],
        total=listing.total,
        page=page,
        pages=_pages(listing.total),
        q=q,
        type=type,
        city=city,
        types=types,
        cities=cities,
    )


@router.get("/organizations/{organization_id}", response_class=HTMLResponse)
def organization_page(
    request: Request, organization_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """One organization with its names, parent, units, experts and opportunities."""
    records = read_organizations(session, [organization_id])
    if organization_id not in records or not organization_visible(session, viewer, organization_id):
        raise HTTPException(404)
    organization = session.get(Organization, organization_id)
    assert organization is not None
    lang = request.state.language
    # The parent by its name in the page's language (the record's ``parent`` is the reference an
    # export writes: a ROR id); one the viewer may not see, pending on another side, goes unnamed.
    parent_id = organization.parent_id
    if parent_id is not None and not organization_visible(session, viewer, parent_id):
        parent_id = None
    parent_name = names_in(session, [parent_id], lang).get(parent_id) if parent_id is not None else None
    units = units_of(session, viewer, organization_id)
    unit_records = read_organizations(session, units)
    cards = _cards(session, viewer, experts_at(session, viewer, organization_id), lang)
    posted = list_opportunities(
        session, viewer, organization_id=organization_id, named_only=True, per_page=50
    )
    opportunities = read_opportunities(session, posted.ids)
    return render(
        request,
        "organization.html",
        organization_id=organization_id,
        record=records[organization_id],
        organization=organization,
        may_vet=organization.status == "pending" and may_vet(viewer, organization.city),
        parent_id=parent_id,
        parent_name=parent_name,
        children=[(i, unit_records[i]) for i in units if i in unit_records],
        cards=cards,
        opportunities=[
            (i, opportunities[i], localized(opportunities[i].texts, lang)[0])
            for i in posted.ids
            if i in opportunities
        ],
    )


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: SearchText = "",
    kind: Text = "",
    sector: Text = "",
    status: Text = "open",
    page: PageNumber = 1,
) -> HTMLResponse:
    """Opportunities posted by enterprises and project teams; with ``q``, those matching it in any
    of the three languages, best first, each saying what matched."""
    filters = OpportunityFilters(query=q, kind=kind, sector=sector, status=status)
    listing = search_opportunities(session, viewer, filters, page=page, per_page=PER_PAGE)
    lang = request.state.language
    records = {
        i: opportunity_for(viewer, record)
        for i, record in _localized_owners(session, read_opportunities(session, listing.ids), lang).items()
    }
    items = [(i, records[i], *localized(records[i].texts, lang)) for i in listing.ids if i in records]
    # Why each one matched, from what the viewer sees of it: (concepts, the words as written).
    matched: dict[int, tuple[Explanation, list[str]]] = {}
    if listing.query is not None:
        for i, record, *_ in items:
            why = distinct_concepts(explain_opportunity(listing.query, record), lang)
            matched[i] = (why, list(dict.fromkeys(word for found in why.words.values() for word in found)))
    return render(
        request,
        "opportunities.html",
        items=items,
        matched=matched,
        q=q,
        total=listing.total,
        page=page,
        pages=_pages(listing.total),
        kind=kind,
        sector=sector,
        status=status,
        unknown_filters=unknown_opportunity_filters(kind, sector, status, lang),
        taxonomy=load_taxonomy(),
    )


def _may_edit_opportunity(session: Session, viewer: Viewer, opportunity_id: int) -> bool:
    """Whether the page offers the edit link (the same rule as the edit page's)."""
    try:
        editable_opportunity(session, viewer, opportunity_id)
    except Refused:
        return False
    return True


def _interpreter_notes(
    session: Session, viewer: Viewer, matches: OpportunityMatches, cards: list[ExpertCard]
) -> list[ExpertCard]:
    """The cards, each saying whether its expert needs an interpreter, judged only from what the
    viewer may see of the expert's languages; when those cannot say (hidden from the viewer, or
    none given), the card says why."""
    records = read_experts(session, [card.id for card in cards])
    noted = []
    for card in cards:
        record = records.get(card.id)
        # A record gone since the search says no more than one whose languages are hidden.
        unknown = languages_unknown(viewer, record) if record is not None else LANGUAGES_HIDDEN
        if record is None or unknown is not None:
            noted.append(replace(card, languages_unknown=unknown))
        else:
            # Known: the viewer sees the expert's languages, and there are some.
            needed = matches.needs_interpreter(code for code, _level in record.languages)
            noted.append(replace(card, needs_interpreter=needed))
    return noted


@router.get("/opportunities/{opportunity_id}", response_class=HTMLResponse)
def opportunity_page(
    request: Request,
    opportunity_id: RecordId,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    reranking: RerankingDep,
    side: Annotated[Literal["counterpart", "any"], Query()] = "counterpart",
    shared_language: bool = False,
) -> HTMLResponse:
    """One opportunity, and the experts who best match it (on the other side, by default)."""
    if not opportunity_visible(session, viewer, opportunity_id):
        raise HTTPException(404)
    lang = request.state.language
    localized_records = _localized_owners(session, read_opportunities(session, [opportunity_id]), lang)
    record = opportunity_for(viewer, localized_records[opportunity_id])
    organization_id = opportunity_owners(session, [opportunity_id]).get(opportunity_id)
    may_edit = _may_edit_opportunity(session, viewer, opportunity_id)
    if organization_id is not None and not organization_visible(session, viewer, organization_id):
        organization_id = None
    text, text_language = localized(record.texts, lang)
    matches = experts_for_opportunity(
        index,
        viewer,
        record,
        counterpart_only=side == "counterpart",
        shared_language=shared_language,
        limit=MATCHES,
        reranking=reranking,
    )
    found = matches.page
    cards = _cards(session, viewer, found.ids, lang, found.scores, found.query)
    cards = _interpreter_notes(session, viewer, matches, cards)
    # Organizers find the panel runs that judged this opportunity from here.
    runs, run_events = opportunity_panel_runs(session, viewer, opportunity_id, lang)
    return render(
        request,
        "opportunity.html",
        record=record,
        text=text,
        text_language=text_language,
        organization_id=organization_id if record.organization else None,
        opportunity_id=opportunity_id,
        may_edit=may_edit,
        matches=cards,
        matches_total=found.total,
        side=side,
        counterpart=matches.counterpart,
        shared_language=shared_language,
        runs=runs,
        run_events=run_events,
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request, session: SessionDep, viewer: ViewerDep, kind: Text = "", page: PageNumber = 1
) -> HTMLResponse:
    """Roundtables, forums, delegation visits, competitions and meetings."""
    listing = list_events(session, kind=kind, page=page, per_page=PER_PAGE)
    records = read_events(session, listing.ids)
    lang = request.state.language
    items = [(i, records[i], *localized(records[i].texts, lang)) for i in listing.ids if i in records]
    return render(
        request,
        "events.html",
        items=items,
        total=listing.total,
        page=page,
        pages=_pages(listing.total),
        kind=kind,
        may_create=may_create_event(viewer),
    )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """One event with its organizers and the participants the visitor may see."""
    records = read_events(session, [event_id])
    if event_id not in records:
        raise HTTPException(404)
    record = records[event_id]
    lang = request.state.language
    cards = _cards(session, viewer, event_experts(session, viewer, event_id), lang)
    text, text_language = localized(record.texts, lang)
    return render(
        request,
        "event.html",
        record=record,
        text=text,
        text_language=text_language,
        cards=cards,
        event_id=event_id,
        organizations=event_organizations(session, viewer, event_id, lang),
        may_run_panels=may_organize_event(viewer, record.city),
        runs=event_panel_runs(session, viewer, event_id),
        may_edit=may_edit_event(viewer, record.city),
    )

"""Filtered, faceted, paginated lists of experts, and registry statistics."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Event,
    Expert,
    ExpertAffiliation,
    ExpertLanguage,
    ExpertSector,
    Opportunity,
    Organization,
)
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import Viewer, visible_statuses
from expertbridge.search.experts import search_experts
from expertbridge.search.index import ExpertIndex
from expertbridge.search.names import find_by_name

FACETS = ("sector", "city", "organization_type", "language")


@dataclass(frozen=True)
class ExpertFilters:
    """What a list of experts is narrowed to; empty means no restriction."""

    query: str = ""
    name: str = ""
    sector: str = ""
    city: str = ""
    organization_type: str = ""
    language: str = ""
    country: str = ""
    status: str = ""


@dataclass
class ExpertPage:
    """One page of a list, the total count, and facet counts over the whole filtered list."""

    ids: list[int]
    total: int
    scores: dict[int, float] = field(default_factory=dict)
    # Why an expert matched by name: expert id → explanation.
    name_matches: dict[int, str] = field(default_factory=dict)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _sector_codes(code: str) -> list[str]:
    taxonomy = load_taxonomy()
    node = taxonomy.nodes.get(code)
    if node is None:
        return [code]
    return [code, *node.children]


def _filtered(viewer: Viewer, filters: ExpertFilters) -> Select[tuple[int]]:
    query = select(Expert.id)
    statuses = visible_statuses(viewer)
    if statuses is not None:
        query = query.where(Expert.status.in_(statuses))
    if filters.status and statuses is None:
        query = query.where(Expert.status == filters.status)
    if filters.city:
        query = query.where(Expert.city == filters.city)
    if filters.country:
        query = query.where(Expert.country == filters.country)
    if filters.sector:
        query = query.where(
            Expert.id.in_(
                select(ExpertSector.expert_id).where(
                    ExpertSector.sector_code.in_(_sector_codes(filters.sector))
                )
            )
        )
    if filters.language:
        query = query.where(
            Expert.id.in_(select(ExpertLanguage.expert_id).where(ExpertLanguage.language == filters.language))
        )
    if filters.organization_type:
        query = query.where(
            Expert.id.in_(
                select(ExpertAffiliation.expert_id)
                .join(Organization, Organization.id == ExpertAffiliation.organization_id)
                .where(Organization.type == filters.organization_type)
            )
        )
    return query


def _facets(session: Session, ids: Select[tuple[int]]) -> dict[str, list[tuple[str, int]]]:
    subquery = ids.subquery()
    expert_id = subquery.c.id
    taxonomy = load_taxonomy()
    sectors: dict[str, int] = {}
    for code, count in session.execute(
        select(ExpertSector.sector_code, func.count(func.distinct(ExpertSector.expert_id)))
        .where(ExpertSector.expert_id.in_(select(expert_id)))
        .group_by(ExpertSector.sector_code)
    ):
        sectors[code] = count
    # Areas count an expert once even when several of its sub-sectors apply.
    area_counts: dict[str, int] = {}
    for area, count in session.execute(
        select(
            func.coalesce(_parent_of_sector(), ExpertSector.sector_code),
            func.count(func.distinct(ExpertSector.expert_id)),
        )
        .where(ExpertSector.expert_id.in_(select(expert_id)))
        .group_by(func.coalesce(_parent_of_sector(), ExpertSector.sector_code))
    ):
        area_counts[area] = count
    sector_facet = [(node.code, area_counts.get(node.code, 0)) for node in taxonomy.top_level]
    facets: dict[str, list[tuple[str, int]]] = {
        "sector": [(code, count) for code, count in sector_facet if count],
    }
    facets["subsector"] = sorted(sectors.items(), key=lambda item: -item[1])
    facets["city"] = [
        (city, count)
        for city, count in session.execute(
            select(Expert.city, func.count())
            .where(Expert.id.in_(select(expert_id)), Expert.city.is_not(None))
            .group_by(Expert.city)
            .order_by(func.count().desc(), Expert.city)
            .limit(20)
        )
    ]
    facets["organization_type"] = [
        (kind, count)
        for kind, count in session.execute(
            select(Organization.type, func.count(func.distinct(ExpertAffiliation.expert_id)))
            .join(ExpertAffiliation, ExpertAffiliation.organization_id == Organization.id)
            .where(ExpertAffiliation.expert_id.in_(select(expert_id)))
            .group_by(Organization.type)
            .order_by(func.count(func.distinct(ExpertAffiliation.expert_id)).desc())
        )
    ]
    facets["language"] = [
        (language, count)
        for language, count in session.execute(
            select(ExpertLanguage.language, func.count())
            .where(ExpertLanguage.expert_id.in_(select(expert_id)))
            .group_by(ExpertLanguage.language)
            .order_by(func.count().desc(), ExpertLanguage.language)
            .limit(12)
        )
    ]
    return facets


def _parent_of_sector() -> object:
    from expertbridge.db.models import Sector

    return select(Sector.parent_code).where(Sector.code == ExpertSector.sector_code).scalar_subquery()


NAME_MATCH_FLOOR = 0.75
NAME_ONLY_FLOOR = 0.6
NAME_MATCHES = 100


def _ranked(
    session: Session, viewer: Viewer, filters: ExpertFilters, index: ExpertIndex | None
) -> tuple[list[tuple[int, float]], dict[int, str]]:
    """Experts for a text or name query, best first: name matches, then the other text matches."""
    explanations: dict[int, str] = {}
    ranked: list[tuple[int, float]] = []
    name = filters.name or filters.query
    if name.strip() and index is not None:
        floor = NAME_ONLY_FLOOR if filters.name else NAME_MATCH_FLOOR
        for match in find_by_name(index, name, viewer, top=NAME_MATCHES):
            if match.score >= floor:
                ranked.append((match.expert_id, match.score))
                explanations[match.expert_id] = match.explanation
    if filters.query.strip():
        named = {expert_id for expert_id, _ in ranked}
        ranked += [
            (hit.expert_id, hit.score)
            for hit in search_experts(session, filters.query, viewer)
            if hit.expert_id not in named
        ]
    return ranked, explanations


def list_experts(
    session: Session,
    viewer: Viewer,
    filters: ExpertFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    with_facets: bool = True,
    index: ExpertIndex | None = None,
) -> ExpertPage:
    """A page of experts the viewer may see: newest first, or best first for a query.

    A query is also read as a name in any script (through the search ``index``): people whose
    names match rank before those whose keywords or organizations do.
    """
    page = max(page, 1)
    query = _filtered(viewer, filters)
    if filters.query.strip() or filters.name.strip():
        ranked, explanations = _ranked(session, viewer, filters, index)
        allowed = set(session.scalars(query.where(Expert.id.in_([expert_id for expert_id, _ in ranked]))))
        ranked = [(expert_id, score) for expert_id, score in ranked if expert_id in allowed]
        ids = [expert_id for expert_id, _ in ranked[(page - 1) * per_page : page * per_page]]
        facets = (
            _facets(session, select(Expert.id).where(Expert.id.in_(list(allowed)))) if with_facets else {}
        )
        return ExpertPage(
            ids=ids,
            total=len(ranked),
            scores=dict(ranked),
            facets=facets,
            name_matches={i: explanations[i] for i in ids if i in explanations},
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(
        session.scalars(query.order_by(Expert.id.desc()).offset((page - 1) * per_page).limit(per_page))
    )
    return ExpertPage(ids=ids, total=total, facets=_facets(session, query) if with_facets else {})


@dataclass(frozen=True)
class RegistryStats:
    """Counts for `expertbridge stats` and the home page."""

    experts: int
    organizations: int
    opportunities: int
    events: int
    by_status: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_city: list[tuple[str, int]]


def registry_stats(session: Session, viewer: Viewer) -> RegistryStats:
    """Counts of what the viewer may see."""
    visible = _filtered(viewer, ExpertFilters())
    facets = _facets(session, visible)
    by_status = list(
        session.execute(
            select(Expert.status, func.count())
            .where(Expert.id.in_(visible))
            .group_by(Expert.status)
            .order_by(Expert.status)
        ).tuples()
    )
    return RegistryStats(
        experts=session.scalar(select(func.count()).select_from(visible.subquery())) or 0,
        organizations=session.scalar(select(func.count(Organization.id))) or 0,
        opportunities=session.scalar(select(func.count(Opportunity.id))) or 0,
        events=session.scalar(select(func.count(Event.id))) or 0,
        by_status=by_status,
        by_sector=facets["sector"],
        by_city=facets["city"],
    )

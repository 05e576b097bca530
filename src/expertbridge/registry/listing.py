"""Registry statistics: counts of what a viewer may see (lists and search are in search/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from expertbridge.registry.catalog import visible_organizations
from expertbridge.registry.privacy import hiding
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import Viewer, visible_statuses


def _visible(viewer: Viewer) -> Select[tuple[int]]:
    query = select(Expert.id)
    statuses = visible_statuses(viewer)
    if statuses is not None:
        query = query.where(Expert.status.in_(statuses))
    return query


def _facets(session: Session, ids: Select[tuple[int]], viewer: Viewer) -> dict[str, list[tuple[str, int]]]:
    subquery = ids.subquery()

    def showing(field: str) -> Select[tuple[int]]:
        # The experts who show ``field`` to the viewer: a count must not reveal a hidden field.
        query = select(subquery.c.id)
        hidden = hiding(viewer, field)
        return query if hidden is None else query.where(subquery.c.id.not_in(hidden))

    taxonomy = load_taxonomy()
    sectors: dict[str, int] = {}
    for code, count in session.execute(
        select(ExpertSector.sector_code, func.count(func.distinct(ExpertSector.expert_id)))
        .where(ExpertSector.expert_id.in_(showing("sectors")))
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
        .where(ExpertSector.expert_id.in_(showing("sectors")))
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
            .where(Expert.id.in_(showing("location")), Expert.city.is_not(None))
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
            .where(ExpertAffiliation.expert_id.in_(showing("organization")))
            .group_by(Organization.type)
            .order_by(func.count(func.distinct(ExpertAffiliation.expert_id)).desc())
        )
    ]
    facets["language"] = [
        (language, count)
        for language, count in session.execute(
            select(ExpertLanguage.language, func.count())
            .where(ExpertLanguage.expert_id.in_(showing("languages")))
            .group_by(ExpertLanguage.language)
            .order_by(func.count().desc(), ExpertLanguage.language)
            .limit(12)
        )
    ]
    return facets


def _parent_of_sector() -> object:
    from expertbridge.db.models import Sector

    return select(Sector.parent_code).where(Sector.code == ExpertSector.sector_code).scalar_subquery()


def _shown_organizations(viewer: Viewer) -> list[Any]:
    allowed = visible_organizations(viewer)
    return [] if allowed is None else [allowed]


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
    visible = _visible(viewer)
    facets = _facets(session, visible, viewer)
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
        organizations=session.scalar(select(func.count(Organization.id)).where(*_shown_organizations(viewer)))
        or 0,
        opportunities=session.scalar(select(func.count(Opportunity.id))) or 0,
        events=session.scalar(select(func.count(Event.id))) or 0,
        by_status=by_status,
        by_sector=facets["sector"],
        by_city=facets["city"],
    )

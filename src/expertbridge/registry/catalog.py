"""Paginated lists of organizations, opportunities and events, and the experts tied to them.

Pages and the API both list through here, so a filter, an order or a visibility rule is written
once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
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
from expertbridge.registry.privacy import hiding
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import (
    Viewer,
    may_see_organization,
    visible_opportunity_statuses,
    visible_organization_statuses,
    visible_statuses,
)
from expertbridge.text.normalize import fold


@dataclass(frozen=True)
class Listing:
    """One page of ids and the total number of matches."""

    ids: list[int]
    total: int


def _page(
    session: Session, query: Select[tuple[int]], order: tuple[object, ...], page: int, per_page: int
) -> Listing:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(session.scalars(query.order_by(*order).offset((max(page, 1) - 1) * per_page).limit(per_page)))  # type: ignore[arg-type]
    return Listing(ids, total)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character backslash) for folded text containing ``text``."""
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _sector_codes(code: str) -> list[str]:
    node = load_taxonomy().nodes.get(code)
    return [code, *(node.children if node else ())]


def visible_organizations(viewer: Viewer) -> ColumnElement[bool] | None:
    """The SQL condition of the organizations the viewer may see (None: all of them), the
    counterpart of :func:`~expertbridge.registry.visibility.may_see_organization`."""
    statuses = visible_organization_statuses(viewer)
    if statuses is None:
        return None
    allowed: list[ColumnElement[bool]] = [Organization.status.in_(statuses)]
    if viewer.role == "coordinator" and viewer.city:
        allowed.append(Organization.city == viewer.city)
    if viewer.role == "partner" and viewer.organization_id is not None:
        allowed.append(Organization.id == viewer.organization_id)
    return or_(*allowed)


def organization_visible(session: Session, viewer: Viewer, organization_id: int) -> bool:
    """Whether the organization exists and the viewer may see it."""
    row = session.execute(
        select(Organization.status, Organization.city).where(Organization.id == organization_id)
    ).first()
    return row is not None and may_see_organization(
        viewer, row.status, city=row.city, organization_id=organization_id
    )


def organization_statuses(session: Session, organization_ids: list[int]) -> dict[int, str]:
    """The vetting status of each organization."""
    query = select(Organization.id, Organization.status).where(Organization.id.in_(organization_ids))
    return {organization_id: status for organization_id, status in session.execute(query)}


def list_organizations(
    session: Session,
    viewer: Viewer,
    *,
    query: str = "",
    type: str = "",
    city: str = "",
    country: str = "",
    page: int = 1,
    per_page: int = 20,
) -> Listing:
    """Organizations the viewer may see whose names (in any language) contain ``query``, by type,
    city, country."""
    selection = select(Organization.id)
    if (allowed := visible_organizations(viewer)) is not None:
        selection = selection.where(allowed)
    if query.strip():
        selection = selection.where(
            Organization.id.in_(
                select(OrganizationName.organization_id).where(
                    OrganizationName.normalized.like(contains_pattern(query), escape="\\")
                )
            )
        )
    for column, value in (
        (Organization.type, type),
        (Organization.city, city),
        (Organization.country, country),
    ):
        if value:
            selection = selection.where(column == value)
    return _page(session, selection, (Organization.id,), page, per_page)


def organization_facets(
    session: Session, viewer: Viewer
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Counts of the organizations the viewer may see by type and by city (the ten largest)."""
    allowed = visible_organizations(viewer)
    shown: ColumnElement[bool] = allowed if allowed is not None else Organization.id.is_not(None)
    types = [
        (kind, count)
        for kind, count in session.execute(
            select(Organization.type, func.count())
            .where(shown)
            .group_by(Organization.type)
            .order_by(func.count().desc())
        )
    ]
    cities = [
        (city, count)
        for city, count in session.execute(
            select(Organization.city, func.count())
            .where(Organization.city.is_not(None), shown)
            .group_by(Organization.city)
            .order_by(func.count().desc())
            .limit(10)
        )
    ]
    return types, cities


def expert_counts(session: Session, viewer: Viewer, organization_ids: list[int]) -> dict[int, int]:
    """How many experts the viewer may see work at each organization."""
    query = (
        select(ExpertAffiliation.organization_id, func.count(func.distinct(ExpertAffiliation.expert_id)))
        .join(Expert, Expert.id == ExpertAffiliation.expert_id)
        .where(ExpertAffiliation.organization_id.in_(organization_ids))
        .group_by(ExpertAffiliation.organization_id)
    )
    statuses = visible_statuses(viewer)
    if statuses is not None:
        query = query.where(Expert.status.in_(statuses))
    if (hidden := hiding(viewer, "organization")) is not None:
        query = query.where(Expert.id.not_in(hidden))
    return {organization_id: count for organization_id, count in session.execute(query)}


def experts_at(session: Session, viewer: Viewer, organization_id: int, limit: int = 50) -> list[int]:
    """Ids of the experts the viewer may see at an organization."""
    query = (
        select(ExpertAffiliation.expert_id)
        .join(Expert, Expert.id == ExpertAffiliation.expert_id)
        .where(ExpertAffiliation.organization_id == organization_id)
        .order_by(Expert.id)
        .limit(limit)
    )
    statuses = visible_statuses(viewer)
    if statuses is not None:
        query = query.where(Expert.status.in_(statuses))
    if (hidden := hiding(viewer, "organization")) is not None:
        query = query.where(Expert.id.not_in(hidden))
    return list(session.scalars(query))


def units_of(session: Session, viewer: Viewer, organization_id: int) -> list[int]:
    """Ids of the organizations the viewer may see whose parent is ``organization_id``."""
    query = select(Organization.id).where(Organization.parent_id == organization_id)
    if (allowed := visible_organizations(viewer)) is not None:
        query = query.where(allowed)
    return list(session.scalars(query))


def opportunity_visible(session: Session, viewer: Viewer, opportunity_id: int) -> bool:
    """Whether the opportunity exists and the viewer may see it."""
    status = session.scalar(select(Opportunity.status).where(Opportunity.id == opportunity_id))
    statuses = visible_opportunity_statuses(viewer)
    return status is not None and (statuses is None or status in statuses)


def list_opportunities(
    session: Session,
    viewer: Viewer,
    *,
    kind: str = "",
    sector: str = "",
    status: str = "",
    city: str = "",
    organization_id: int | None = None,
    named_only: bool = False,
    page: int = 1,
    per_page: int = 20,
) -> Listing:
    """Opportunities the viewer may see, soonest deadline first.

    ``named_only`` leaves out anonymous ones (an organization's page must not reveal them).
    """
    selection = select(Opportunity.id)
    statuses = visible_opportunity_statuses(viewer)
    if statuses is not None:
        selection = selection.where(Opportunity.status.in_(statuses))
    for column, value in ((Opportunity.kind, kind), (Opportunity.status, status), (Opportunity.city, city)):
        if value:
            selection = selection.where(column == value)
    if organization_id is not None:
        selection = selection.where(Opportunity.organization_id == organization_id)
    if named_only:
        selection = selection.where(Opportunity.anonymous.is_(False))
    if sector:
        selection = selection.where(
            Opportunity.id.in_(
                select(OpportunitySector.opportunity_id).where(
                    OpportunitySector.sector_code.in_(_sector_codes(sector))
                )
            )
        )
    return _page(session, selection, (Opportunity.deadline, Opportunity.id), page, per_page)


def list_events(session: Session, *, kind: str = "", page: int = 1, per_page: int = 20) -> Listing:
    """Events, latest first."""
    selection = select(Event.id)
    if kind:
        selection = selection.where(Event.kind == kind)
    return _page(session, selection, (Event.starts_on.desc(), Event.id), page, per_page)


def event_experts(session: Session, viewer: Viewer, event_id: int) -> list[int]:
    """Ids of the participating experts the viewer may see, in the event's order."""
    query = (
        select(EventParticipant.expert_id)
        .join(Expert, Expert.id == EventParticipant.expert_id)
        .where(EventParticipant.event_id == event_id)
        .order_by(EventParticipant.position)
    )
    statuses = visible_statuses(viewer)
    if statuses is not None:
        query = query.where(Expert.status.in_(statuses))
    return [expert_id for expert_id in session.scalars(query) if expert_id is not None]


def opportunity_owners(session: Session, opportunity_ids: list[int]) -> dict[int, int]:
    """The organization that posted each opportunity (anonymous ones included: callers hide them)."""
    query = select(Opportunity.id, Opportunity.organization_id).where(
        Opportunity.id.in_(opportunity_ids), Opportunity.organization_id.is_not(None)
    )
    return {opportunity_id: organization_id for opportunity_id, organization_id in session.execute(query)}

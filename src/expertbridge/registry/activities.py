"""Opportunities and events: writing and reading them, and closing opportunities whose deadline
has passed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Event,
    EventOrganizer,
    EventParticipant,
    EventText,
    Expert,
    Opportunity,
    OpportunitySector,
    OpportunityText,
    Organization,
)
from expertbridge.ingest.experts import registry_number
from expertbridge.registry.audit import Change, diff, utcnow, write_changes
from expertbridge.registry.identities import ReferencedExpert, experts_by_reference
from expertbridge.registry.organizations import OrganizationDirectory, names_in, primary_names
from expertbridge.registry.records import EventRecord, LocalizedText, OpportunityRecord
from expertbridge.registry.visibility import Viewer, may_see_organization


class UnknownReferenceError(ValueError):
    """A record names an expert or organization the registry does not have."""


def deadline_today() -> dt.date:
    """The day deadlines are compared with: today in UTC.

    A deadline is a day; it has passed once that day has ended on both sides of the programme,
    Moscow (UTC+3) and Beijing (UTC+8), which is when the next UTC day begins.
    """
    return utcnow().date()


def deadline_passed(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    """Whether an opportunity with ``status`` and ``deadline`` would be open after its deadline.

    Only an open one can be: a closed or archived opportunity keeps its past deadline (history).

    >>> deadline_passed("open", dt.date(2020, 1, 1), dt.date(2026, 1, 1))
    True
    >>> deadline_passed("closed", dt.date(2020, 1, 1), dt.date(2026, 1, 1))
    False
    >>> deadline_passed("open", dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    False
    """
    return status == "open" and deadline is not None and deadline < today


def close_expired_opportunities(session: Session, today: dt.date, *, actor: str) -> list[int]:
    """Close the open opportunities whose deadline is before ``today``; their ids.

    Idempotent (a closed one is not touched again); each change is audited as a status change
    with the deadline that closed it.  The search index holds experts only, so nothing is queued.
    """
    is_expired = (Opportunity.status == "open") & (Opportunity.deadline < today)
    expired = session.execute(
        select(Opportunity.id, Opportunity.deadline).where(is_expired).order_by(Opportunity.id)
    ).all()
    if not expired:
        return []
    # The same condition, not a list of ids: one statement however many there are.
    session.execute(
        update(Opportunity)
        .where(is_expired)
        .values(status="closed", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    write_changes(
        session,
        actor,
        [
            Change(
                "status",
                "opportunity",
                opportunity_id,
                {"status": ["open", "closed"], "reason": f"the deadline {deadline.isoformat()} passed"},
            )
            for opportunity_id, deadline in expired
        ],
    )
    return [opportunity_id for opportunity_id, _deadline in expired]


def _opportunity_columns(record: OpportunityRecord, organization_id: int | None) -> dict[str, object]:
    return {
        "external_id": record.external_id,
        "kind": record.kind,
        "status": record.status,
        "organization_id": organization_id,
        "city": record.city,
        "country": record.country,
        "deadline": record.deadline,
        "anonymous": record.anonymous,
    }


def write_opportunity(
    session: Session,
    record: OpportunityRecord,
    directory: OrganizationDirectory,
    *,
    actor: str,
    opportunity_id: int | None = None,
) -> tuple[int, str]:
    """Create or replace an opportunity (by id, else by external id); returns (id, what happened)."""
    organization_id = None
    if record.organization:
        organization_id, _ = directory.find_or_create(
            record.organization, city=record.city, country=record.country, actor=actor
        )
        if not record.city:
            # An opportunity is where its organization is unless it says otherwise: its city
            # decides the counterpart city whose experts it is matched with (Moscow ↔ Beijing).
            place = session.execute(
                select(Organization.city, Organization.country).where(Organization.id == organization_id)
            ).one()
            if place.city:
                record = replace(record, city=place.city, country=record.country or place.country)
    if opportunity_id is None and record.external_id:
        opportunity_id = session.scalar(
            select(Opportunity.id).where(Opportunity.external_id == record.external_id)
        )
    now = utcnow()
    action = "create"
    changes = None
    if opportunity_id is None:
        opportunity_id = session.execute(
            insert(Opportunity).returning(Opportunity.id),
            [{**_opportunity_columns(record, organization_id), "created_at": now, "updated_at": now}],
        ).scalar_one()
    else:
        before = read_opportunities(session, [opportunity_id]).get(opportunity_id)
        if before == record:
            return opportunity_id, "unchanged"
        action = "update"
        changes = diff(asdict(before), asdict(record)) if before else None
        session.execute(
            update(Opportunity)
            .where(Opportunity.id == opportunity_id)
            .values(**_opportunity_columns(record, organization_id), updated_at=now)
        )
        for table in (OpportunityText, OpportunitySector):
            session.execute(delete(table).where(table.opportunity_id == opportunity_id))
    texts = [
        {
            "opportunity_id": opportunity_id,
            "language": language,
            "title": text.title,
            "description": text.description,
        }
        for language, text in record.texts.items()
    ]
    if texts:
        session.execute(insert(OpportunityText), texts)
    if record.sectors:
        session.execute(
            insert(OpportunitySector),
            [
                {"opportunity_id": opportunity_id, "sector_code": code, "position": position}
                for position, code in enumerate(record.sectors)
            ],
        )
    write_changes(session, actor, [Change(action, "opportunity", opportunity_id, changes)])
    return opportunity_id, "created" if action == "create" else "updated"


def _texts_by(session: Session, table: Any, key: str, ids: list[int]) -> dict[int, dict[str, LocalizedText]]:
    column = getattr(table, key)
    texts: dict[int, dict[str, LocalizedText]] = defaultdict(dict)
    for row in session.scalars(select(table).where(column.in_(ids))):
        texts[getattr(row, key)][row.language] = LocalizedText(row.title, row.description)
    return {
        owner: {lang: value[lang] for lang in ("ru", "zh", "en") if lang in value}
        for owner, value in texts.items()
    }


def read_opportunities(session: Session, ids: Sequence[int]) -> dict[int, OpportunityRecord]:
    """Records of the opportunities with ``ids``."""
    rows = {o.id: o for o in session.scalars(select(Opportunity).where(Opportunity.id.in_(ids)))}
    found = list(rows)
    texts = _texts_by(session, OpportunityText, "opportunity_id", found)
    sectors: dict[int, list[str]] = defaultdict(list)
    for sector in session.scalars(
        select(OpportunitySector)
        .where(OpportunitySector.opportunity_id.in_(found))
        .order_by(OpportunitySector.position)
    ):
        sectors[sector.opportunity_id].append(sector.sector_code)
    org_names = primary_names(session, [o.organization_id for o in rows.values() if o.organization_id])
    return {
        opp_id: OpportunityRecord(
            kind=o.kind,
            texts=texts.get(opp_id, {}),
            external_id=o.external_id,
            status=o.status,
            sectors=tuple(sectors[opp_id]),
            organization=org_names.get(o.organization_id) if o.organization_id else None,
            city=o.city,
            country=o.country,
            deadline=o.deadline,
            anonymous=o.anonymous,
        )
        for opp_id, o in rows.items()
    }


def write_event(
    session: Session,
    record: EventRecord,
    directory: OrganizationDirectory,
    *,
    actor: str,
    event_id: int | None = None,
) -> tuple[int, str]:
    """Create or replace an event (by id, else by external id); returns (id, what happened).

    Participating experts are named as :func:`experts_by_reference` reads them (import id, ``#42``,
    or the plain number of older exports) and stored under the reference exports write.  Raises
    :class:`UnknownReferenceError` when a participating expert is not in the registry.
    """
    record, expert_ids = _resolve_participants(session, record)
    organizers = [
        directory.find_or_create(name, city=record.city, country=record.country, actor=actor)[0]
        for name in record.organizers
    ]
    organization_ids = [
        directory.find_or_create(name, city=None, country=None, actor=actor)[0]
        for name in record.organization_participants
    ]
    if event_id is None and record.external_id:
        event_id = session.scalar(select(Event.id).where(Event.external_id == record.external_id))
    columns = {
        "external_id": record.external_id,
        "kind": record.kind,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "city": record.city,
        "country": record.country,
        "venue": record.venue,
        "online": record.online,
    }
    now = utcnow()
    action, changes = "create", None
    if event_id is None:
        event_id = session.execute(
            insert(Event).returning(Event.id), [{**columns, "created_at": now, "updated_at": now}]
        ).scalar_one()
    else:
        before = read_events(session, [event_id]).get(event_id)
        if before == record:
            return event_id, "unchanged"
        action = "update"
        changes = diff(asdict(before), asdict(record)) if before else None
        session.execute(update(Event).where(Event.id == event_id).values(**columns, updated_at=now))
        for table in (EventText, EventOrganizer):
            session.execute(delete(table).where(table.event_id == event_id))
    if record.texts:
        session.execute(
            insert(EventText),
            [
                {
                    "event_id": event_id,
                    "language": language,
                    "title": text.title,
                    "description": text.description,
                }
                for language, text in record.texts.items()
            ],
        )
    unique_organizers = list(dict.fromkeys(organizers))
    if unique_organizers:
        session.execute(
            insert(EventOrganizer),
            [
                {"event_id": event_id, "organization_id": org_id, "position": position}
                for position, org_id in enumerate(unique_organizers)
            ],
        )
    participants: list[tuple[int | None, int | None]] = [(e, None) for e in dict.fromkeys(expert_ids)]
    participants += [(None, o) for o in dict.fromkeys(organization_ids)]
    _write_participants(session, event_id, participants)
    write_changes(session, actor, [Change(action, "event", event_id, changes)])
    return event_id, "created" if action == "create" else "updated"


def _resolve_participants(session: Session, record: EventRecord) -> tuple[EventRecord, list[int]]:
    """The record with its experts named as exports name them, and their ids, in its order."""
    found = experts_by_reference(session, record.expert_participants)
    missing = [reference for reference in record.expert_participants if reference not in found]
    if missing:
        raise UnknownReferenceError(_unknown_experts(missing))
    experts = {found[reference].expert_id: found[reference] for reference in record.expert_participants}
    references = tuple(expert.reference for expert in experts.values())
    return replace(record, expert_participants=references), list(experts)


def _unknown_experts(references: list[str]) -> str:
    """Which references name no expert, and what to do."""
    named = ", ".join(repr(reference) for reference in references[:10])
    more = f" and {len(references) - 10} more" if len(references) > 10 else ""
    advice = "import the experts first"
    if any(registry_number(reference) is not None for reference in references):
        # A registry number belongs to one database: a file from another one names other experts.
        advice = (
            "a #number is an expert's registry number in this registry: check the number on the "
            "expert's page, write the expert's import id instead, or import the experts first"
        )
    subject = f"expert {named} is" if len(references) == 1 else f"experts {named}{more} are"
    return f"{subject} not in the registry; {advice}"


def _write_participants(
    session: Session, event_id: int, participants: list[tuple[int | None, int | None]]
) -> None:
    """Make the event's participants exactly ``participants`` ((expert id, organization id), in
    order), keeping the rows of those who stay.

    A participant's row carries their meeting profile, requests and placements (registry/meetings.py):
    editing an event's description, or adding someone, must not lose them.  Only the people taken
    off the list lose their meeting data (their requests and placements go with their row).
    """
    existing = {
        (row.expert_id, row.organization_id): row
        for row in session.scalars(select(EventParticipant).where(EventParticipant.event_id == event_id))
    }
    wanted = set(participants)
    gone = [row.id for key, row in existing.items() if key not in wanted]
    if gone:
        session.execute(delete(EventParticipant).where(EventParticipant.id.in_(gone)))
    fresh = []
    for position, key in enumerate(participants):
        row = existing.get(key)
        if row is None:
            fresh.append(
                {"event_id": event_id, "expert_id": key[0], "organization_id": key[1], "position": position}
            )
        elif row.position != position:
            row.position = position
    if fresh:
        session.execute(insert(EventParticipant), fresh)
    session.flush()


def read_events(session: Session, ids: Sequence[int], viewer: Viewer | None = None) -> dict[int, EventRecord]:
    """Records of the events with ``ids``; for a ``viewer``, without the organizers and participating
    organizations they may not see (one waiting for vetting is not the public's to learn of)."""
    rows = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(ids)))}
    found = list(rows)
    texts = _texts_by(session, EventText, "event_id", found)
    organizers: dict[int, list[int]] = defaultdict(list)
    for organizer in session.scalars(
        select(EventOrganizer).where(EventOrganizer.event_id.in_(found)).order_by(EventOrganizer.position)
    ):
        organizers[organizer.event_id].append(organizer.organization_id)
    experts: dict[int, list[int]] = defaultdict(list)
    organizations: dict[int, list[int]] = defaultdict(list)
    for participant in session.scalars(
        select(EventParticipant)
        .where(EventParticipant.event_id.in_(found))
        .order_by(EventParticipant.position)
    ):
        if participant.expert_id is not None:
            experts[participant.event_id].append(participant.expert_id)
        elif participant.organization_id is not None:
            organizations[participant.event_id].append(participant.organization_id)
    all_orgs = [o for ids in (*organizers.values(), *organizations.values()) for o in ids]
    if viewer is not None:
        shown = visible_organizations(session, viewer, all_orgs)
        for listed in (*organizers.values(), *organizations.values()):
            listed[:] = [o for o in listed if o in shown]
    org_names = primary_names(session, all_orgs)
    all_experts = [e for ids in experts.values() for e in ids]
    # Named as the import reads them back: the import id, else the registry reference (#42).
    expert_refs = {
        expert_id: ReferencedExpert(expert_id, external_id).reference
        for expert_id, external_id in session.execute(
            select(Expert.id, Expert.external_id).where(Expert.id.in_(all_experts))
        )
    }
    return {
        event_id: EventRecord(
            kind=e.kind,
            texts=texts.get(event_id, {}),
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            external_id=e.external_id,
            city=e.city,
            country=e.country,
            venue=e.venue,
            online=e.online,
            organizers=tuple(org_names[o] for o in organizers[event_id]),
            expert_participants=tuple(expert_refs[x] for x in experts[event_id]),
            organization_participants=tuple(org_names[o] for o in organizations[event_id]),
        )
        for event_id, e in rows.items()
    }


def visible_organizations(session: Session, viewer: Viewer, organization_ids: Sequence[int]) -> set[int]:
    """Which of the organizations the viewer may see (registry.visibility.may_see_organization)."""
    rows = session.execute(
        select(Organization.id, Organization.status, Organization.city).where(
            Organization.id.in_(list(organization_ids))
        )
    ).all()
    return {
        row.id
        for row in rows
        if may_see_organization(viewer, row.status, city=row.city, organization_id=row.id)
    }


@dataclass(frozen=True)
class NamedOrganization:
    """An organization as an event's page names it: its registry number (for the link) and its name
    in the page's language."""

    organization_id: int
    name: str


@dataclass(frozen=True)
class EventOrganizations:
    """The organizations an event's page lists."""

    organizers: tuple[NamedOrganization, ...]
    participants: tuple[NamedOrganization, ...]


def event_organizations(session: Session, viewer: Viewer, event_id: int, language: str) -> EventOrganizations:
    """The event's organizers and participating organizations that the viewer may see, in the event's
    order, each named in ``language`` (its primary name when it has no label in that language)."""
    organizer_ids = list(
        session.scalars(
            select(EventOrganizer.organization_id)
            .where(EventOrganizer.event_id == event_id)
            .order_by(EventOrganizer.position)
        )
    )
    participant_ids = [
        organization_id
        for organization_id in session.scalars(
            select(EventParticipant.organization_id)
            .where(
                EventParticipant.event_id == event_id,
                EventParticipant.expert_id.is_(None),
                EventParticipant.organization_id.is_not(None),
            )
            .order_by(EventParticipant.position)
        )
        if organization_id is not None
    ]
    shown = visible_organizations(session, viewer, [*organizer_ids, *participant_ids])
    names = names_in(session, shown, language)

    def named(ids: list[int]) -> tuple[NamedOrganization, ...]:
        return tuple(NamedOrganization(i, names[i]) for i in dict.fromkeys(ids) if i in shown and i in names)

    return EventOrganizations(named(organizer_ids), named(participant_ids))

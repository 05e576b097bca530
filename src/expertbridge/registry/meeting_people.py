"""Who takes part in an event's 1:1 meetings: experts, and organizations acting through a partner account.

A participant is a row of ``event_participants``: an expert (an approved profile) or an organization
(an enterprise, a project team).  The scheduler sees neither, only a participant with languages and
availability; this module builds the people the pages, the API and the scheduler share (their
counterparts are ranked in registry/meetings.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Event,
    EventParticipant,
    EventParticipantProfile,
    Expert,
    Opportunity,
    Organization,
    User,
)
from expertbridge.messages import Message
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.audit import Change, write_changes
from expertbridge.registry.experts import read_experts
from expertbridge.registry.organizations import names_in, primary_names
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.records import NameRecord
from expertbridge.registry.visibility import Viewer, may_organize_event, may_see_organization
from expertbridge.search.experts import opportunity_text, profile_text

ORGANIZER_ROLES = ("admin", "coordinator", "operator")
# An organization's working language until its partner says otherwise: the language of its city.
CITY_LANGUAGES = {"Moscow": ("ru",), "Beijing": ("zh",)}
# How many of an organization's open opportunities describe it when it wrote no offers or seeks.
DESCRIBING_OPPORTUNITIES = 20


def is_organizer(viewer: Viewer) -> bool:
    """Whether the viewer sees the organizers' views of events (every request, the schedule, panel
    runs): admins, coordinators of either side, the operator.  Changing what an event organizes is
    for the organizers of its side only: see :func:`check_organizes`."""
    return viewer.role in ORGANIZER_ROLES


# Said to a coordinator of the other side, as the event's form says it (ingest/event_form.py).
OTHER_SIDE = N_(
    "Coordinators change the meetings, panels and panel entries of their own side's events (%(city)s) only."
)


def event_side(session: Session, event_id: int) -> str | None:
    """The event's side (its city, None for an event without one); Refused (404) for no event."""
    found = session.execute(select(Event.city).where(Event.id == event_id)).tuples().first()
    if found is None:
        raise Refused(N_("There is no event with id %(id)s."), 404, id=str(event_id))
    return found[0]


def may_organize(session: Session, viewer: Viewer, event_id: int) -> bool:
    """Whether the viewer may change the event's meetings, panels and panel entries (see
    :func:`~expertbridge.registry.visibility.may_organize_event`)."""
    return may_organize_event(viewer, event_side(session, event_id))


def check_organizes(session: Session, viewer: Viewer, event_id: int) -> None:
    """Refused unless the viewer organizes the event: 404 when there is no such event, 403 for a
    coordinator of the other side (saying which side is theirs, as the event's form does) and for
    everyone else who is no organizer."""
    if may_organize(session, viewer, event_id):
        return
    if viewer.role == "coordinator":
        raise Refused(OTHER_SIDE, 403, city=viewer.city or "")
    raise Refused(N_("Only organizers may do this."), 403)


def check_acts_for_event(session: Session, viewer: Viewer, event_id: int) -> None:
    """Refused (403) when the viewer holds an organizer's role but does not organize this event: the
    meetings' actions give organizers the power to act for any participant (registry/meetings.py),
    which a coordinator of the other side must not use.  A participant acting for themselves passes
    (each action checks that it is their own)."""
    if is_organizer(viewer):
        check_organizes(session, viewer, event_id)


@dataclass(frozen=True)
class EventPerson:
    """An expert or an organization taking part in an event's meetings."""

    participant_id: int
    expert_id: int | None
    name: str
    city: str | None
    languages: tuple[str, ...]
    offers: str = ""
    seeks: str = ""
    available: frozenset[str] | None = None
    profile_text: str = ""
    organization_id: int | None = None
    # An expert's written forms of their name (given and generated), to name them in a page's script.
    names: tuple[NameRecord, ...] = ()
    # An organization's vetting status (who may see it: :func:`may_see_person`); None for an expert.
    organization_status: str | None = None

    @property
    def is_organization(self) -> bool:
        """True for an organization (an enterprise, a project team), False for an expert."""
        return self.organization_id is not None and self.expert_id is None

    @property
    def link(self) -> str:
        """The registry page of the expert or the organization."""
        if self.expert_id is not None:
            return f"/experts/{self.expert_id}"
        return f"/organizations/{self.organization_id}"


def may_see_person(viewer: Viewer, person: EventPerson) -> bool:
    """Whether the viewer may be shown the participant (and the link to their page): every expert
    (only approved profiles take part), an organization only when the viewer may see it
    (:func:`~expertbridge.registry.visibility.may_see_organization`: one waiting for vetting is its
    side's coordinators' and its partners')."""
    if person.organization_id is None or person.organization_status is None:
        return True
    return may_see_organization(
        viewer, person.organization_status, city=person.city, organization_id=person.organization_id
    )


def codes(text: str | None) -> frozenset[str] | None:
    """Slot codes stored separated by spaces; None (every slot) stays None."""
    return None if text is None else frozenset(text.split())


def _organization_texts(session: Session, organization_ids: list[int]) -> dict[int, str]:
    """What each organization is about: the texts of its open opportunities."""
    rows = session.execute(
        select(Opportunity.organization_id, Opportunity.id)
        .where(Opportunity.organization_id.in_(organization_ids), Opportunity.status == "open")
        .order_by(Opportunity.id.desc())
    ).tuples()
    chosen: dict[int, list[int]] = {}
    for organization_id, opportunity_id in rows:
        if organization_id is None:
            continue
        ids = chosen.setdefault(organization_id, [])
        if len(ids) < DESCRIBING_OPPORTUNITIES:
            ids.append(opportunity_id)
    records = read_opportunities(session, [i for ids in chosen.values() for i in ids])
    return {
        organization_id: "\n".join(opportunity_text(records[i]) for i in ids if i in records)
        for organization_id, ids in chosen.items()
    }


def event_people(session: Session, event_id: int) -> dict[int, EventPerson]:
    """The event's participants, by participant id: experts with an approved profile, organizations."""
    rows = session.execute(
        select(EventParticipant.id, EventParticipant.expert_id, EventParticipant.organization_id)
        .outerjoin(Expert, Expert.id == EventParticipant.expert_id)
        .where(
            EventParticipant.event_id == event_id,
            (Expert.status == "approved") | (EventParticipant.expert_id.is_(None)),
        )
        .order_by(EventParticipant.position, EventParticipant.id)
    ).all()
    records = read_experts(session, [expert_id for _, expert_id, _ in rows if expert_id is not None])
    organization_ids = [org for _, expert_id, org in rows if expert_id is None and org is not None]
    names = primary_names(session, organization_ids)
    found = session.execute(
        select(Organization.id, Organization.city, Organization.status).where(
            Organization.id.in_(organization_ids)
        )
    ).all()
    cities: dict[int, str | None] = {row.id: row.city for row in found}
    statuses: dict[int, str] = {row.id: row.status for row in found}
    about = _organization_texts(session, organization_ids) if organization_ids else {}
    profiles = {
        profile.participant_id: profile
        for profile in session.scalars(
            select(EventParticipantProfile).where(
                EventParticipantProfile.participant_id.in_([pid for pid, _, _ in rows])
            )
        )
    }
    people: dict[int, EventPerson] = {}
    for participant_id, expert_id, organization_id in rows:
        profile = profiles.get(participant_id)
        if expert_id is not None:
            if expert_id not in records:
                continue
            record = records[expert_id]
            name, city, written = record.primary_name(), record.city, record.names
            own_languages = tuple(code for code, _ in record.languages)
            text = profile_text(record)
        elif organization_id is not None and organization_id in names:
            name, city, written = names[organization_id], cities.get(organization_id), ()
            own_languages = CITY_LANGUAGES.get(city or "", ("en",))
            text = "\n".join((name, about.get(organization_id, "")))
        else:
            continue
        languages = tuple(profile.languages.split()) if profile and profile.languages else own_languages
        people[participant_id] = EventPerson(
            participant_id=participant_id,
            expert_id=expert_id,
            name=name,
            city=city,
            languages=languages,
            offers=profile.offers if profile else "",
            seeks=profile.seeks if profile else "",
            available=codes(profile.available_slots) if profile else None,
            profile_text=text,
            organization_id=organization_id if expert_id is None else None,
            names=written,
            organization_status=statuses.get(organization_id or 0) if expert_id is None else None,
        )
    return people


@dataclass(frozen=True)
class ShownName:
    """A participant's name as a page in one language shows it: ``text`` in the page's script when
    the registry holds it (``generated`` when the system wrote it), and ``original``, the name the
    participant goes by, when that is another one."""

    text: str
    original: str = ""
    generated: bool = False
    language: str | None = None

    @property
    def plain(self) -> str:
        """Both forms in one line (a PDF cell, a calendar): ``Ли Вэй (李伟)``."""
        return f"{self.text} ({self.original})" if self.original else self.text


def _expert_name(person: EventPerson, language: str) -> ShownName:
    # As the expert pages do: a form the expert gave in the page language first, then the primary
    # one among them, then a generated rendering (marked as such wherever it is shown).
    written = [name for name in person.names if name.language == language]
    written.sort(key=lambda name: (name.generated, not name.is_primary))
    if not written or written[0].text == person.name:
        return ShownName(person.name)
    chosen = written[0]
    return ShownName(chosen.text, person.name, chosen.generated, chosen.language)


def shown_names(session: Session, people: dict[int, EventPerson], language: str) -> dict[int, ShownName]:
    """Every participant's name for a page in ``language``, by participant id (an organization by
    its label in that language)."""
    organizations = [p.organization_id for p in people.values() if p.organization_id is not None]
    labels = names_in(session, organizations, language) if organizations else {}
    shown: dict[int, ShownName] = {}
    for participant_id, person in people.items():
        label = labels.get(person.organization_id) if person.organization_id is not None else None
        if label and label != person.name:
            shown[participant_id] = ShownName(label, person.name, language=language)
        elif person.organization_id is not None:
            shown[participant_id] = ShownName(person.name)
        else:
            shown[participant_id] = _expert_name(person, language)
    return shown


# The values of the scheduler's messages that name a participant (matching/schedule_rules.py).
PERSON_VALUES = ("person", "first", "second", "whose")


def labelled(person: EventPerson, name: ShownName) -> str:
    """How an organizer's page names a participant in a sentence: the name in the page's script with
    the original, and an expert's registry number (``Ван Сяомин (王小明) #2401``), never the
    participant's internal id."""
    return f"{name.plain} #{person.expert_id}" if person.expert_id is not None else name.plain


def scheduler_labels(people: dict[int, EventPerson], names: dict[int, ShownName]) -> dict[str, str]:
    """For each participant, the label the scheduler's messages give them (``王小明 (232)``, see
    matching.schedule_model.Participant.label) → :func:`labelled`."""
    return {
        f"{person.name} ({participant_id})" if person.name else str(participant_id): labelled(
            person, names.get(participant_id, ShownName(person.name))
        )
        for participant_id, person in people.items()
    }


def with_shown_names(message: Message, labels: dict[str, str]) -> Message:
    """A scheduler's message (a conflict, why a meeting has no place) with its participants named as
    :func:`scheduler_labels` gives them."""
    for key in PERSON_VALUES:
        message = message.renamed(key, labels)
    return message


def own_participant(session: Session, viewer: Viewer, event_id: int) -> int | None:
    """The viewer's own participant id at the event, or None: a signed-in expert who takes part, or a
    partner whose organization takes part (the partner acts for the organization)."""
    if viewer.expert_id is not None:
        return session.scalar(
            select(EventParticipant.id).where(
                EventParticipant.event_id == event_id, EventParticipant.expert_id == viewer.expert_id
            )
        )
    if viewer.role == "partner" and viewer.organization_id is not None:
        return session.scalar(
            select(EventParticipant.id).where(
                EventParticipant.event_id == event_id,
                EventParticipant.organization_id == viewer.organization_id,
                EventParticipant.expert_id.is_(None),
            )
        )
    return None


def add_organization(session: Session, viewer: Viewer, event_id: int, organization_id: int) -> int:
    """An organizer adds an organization to the event's meetings; returns its participant id.

    Adding one that already takes part changes nothing and returns its participant id.
    """
    check_organizes(session, viewer, event_id)
    found = session.execute(
        select(Organization.status, Organization.city).where(Organization.id == organization_id)
    ).first()
    # Only an organization the organizer may see, as every picker of organizations offers: one
    # waiting for vetting on the other side is not theirs to name (nor to learn it exists).
    if found is None or not may_see_organization(
        viewer, found.status, city=found.city, organization_id=organization_id
    ):
        raise Refused(N_("There is no such organization in the registry."), 404)
    existing = session.scalar(
        select(EventParticipant.id).where(
            EventParticipant.event_id == event_id,
            EventParticipant.organization_id == organization_id,
            EventParticipant.expert_id.is_(None),
        )
    )
    if existing is not None:
        return existing
    last = session.scalar(
        select(EventParticipant.position)
        .where(EventParticipant.event_id == event_id)
        .order_by(EventParticipant.position.desc())
        .limit(1)
    )
    participant = EventParticipant(
        event_id=event_id, organization_id=organization_id, position=(last or 0) + 1
    )
    session.add(participant)
    session.flush()
    write_changes(
        session,
        viewer.actor,
        [Change("create", "event_participant", participant.id, {"organization": organization_id})],
    )
    return participant.id


def partner_organizations(session: Session, viewer: Viewer, language: str) -> dict[int, str]:
    """Organizations with an active partner account (those who can act for themselves) that the
    viewer may see, by name in ``language``."""
    rows = session.execute(
        select(Organization.id, Organization.status, Organization.city)
        .join(User, User.organization_id == Organization.id)
        .where(User.role == "partner", User.is_active.is_(True))
    ).all()
    ids = {
        row.id
        for row in rows
        if may_see_organization(viewer, row.status, city=row.city, organization_id=row.id)
    }
    names = names_in(session, ids, language)
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))

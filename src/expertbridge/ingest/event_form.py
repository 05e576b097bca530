"""An event as its form shows and sends it: every column of the event import, with organizers and
participants named one per line by registry number, import id or exact name.

Who may create or change an event is the registry's rule
(:func:`~expertbridge.registry.visibility.may_edit_event`: coordinators on their side, admins
anywhere).  The cells are read by the import's reader (:func:`read_event_row`), so a form and a
spreadsheet row are judged alike, and written by :func:`write_event` (audited, in the caller's
transaction).  References are checked here first, so a problem names the line in the reader's
language instead of stopping the write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Event,
    EventOrganizer,
    EventParticipant,
    EventParticipantProfile,
    Expert,
    MeetingRequest,
    Organization,
    OrganizationName,
)
from expertbridge.ingest.activities import EVENT_COLUMNS, event_row, read_event_row
from expertbridge.ingest.cells import RowCells, split_list
from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.experts import registry_reference
from expertbridge.ingest.report import Issue
from expertbridge.registry.activities import UnknownReferenceError, read_events, write_event
from expertbridge.registry.catalog import organization_visible
from expertbridge.registry.experts import read_experts
from expertbridge.registry.identities import ReferencedExpert, experts_by_reference
from expertbridge.registry.organizations import (
    OrganizationDirectory,
    findable_reference,
    names_in,
    primary_names,
)
from expertbridge.registry.places import canonical_city
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.records import EventRecord
from expertbridge.registry.visibility import Viewer, may_edit_event, may_see_expert
from expertbridge.text.normalize import fold

ORGANIZATION_LISTS = ("organizers", "organization_participants")
# Between a line's reference and the name the form adds for the reader ("E-17 · Анна Иванова").
LABEL_SEPARATOR = " · "
Participant = tuple[int | None, int | None]  # (expert id, organization id), as event_participants keys it


@dataclass(frozen=True)
class CheckedEvent:
    """A valid event from the form, and the participants it leaves the event with."""

    record: EventRecord
    participants: frozenset[Participant]


def check_may_edit(viewer: Viewer, city: str | None) -> None:
    """Refused (403) unless the viewer may create or change an event in ``city`` (its side)."""
    if may_edit_event(viewer, city):
        return
    if viewer.role == "coordinator":
        raise Refused(
            N_("Coordinators create and change the events of their own side (%(city)s) only."),
            403,
            city=viewer.city or "",
        )
    raise Refused(N_("Only admins and coordinators create and change events."), 403)


def editable_event(session: Session, viewer: Viewer, event_id: int) -> None:
    """Refused (404, 403) unless the event exists and the viewer may change it."""
    found = session.execute(select(Event.city).where(Event.id == event_id)).first()
    if found is None:
        raise Refused(N_("There is no event with id %(id)s."), 404, id=str(event_id))
    check_may_edit(viewer, found.city)


def _reference(line: str) -> str:
    """The reference a form line gives: the text before the name the form added to it."""
    return line.split(LABEL_SEPARATOR, 1)[0].strip()


def event_values(session: Session, event_id: int, language: str) -> dict[str, str]:
    """The form's cells filled from the stored event; organizers and participants one per line,
    as ``reference · name``."""
    record = read_events(session, [event_id])[event_id]
    values = event_row(record, "")
    if not record.external_id:
        values["id"] = ""
    rows = session.execute(
        select(EventParticipant.expert_id, EventParticipant.organization_id)
        .where(EventParticipant.event_id == event_id)
        .order_by(EventParticipant.position)
    ).all()
    expert_ids = [e for e, _ in rows if e is not None]
    experts = read_experts(session, expert_ids)
    refs = dict(
        session.execute(select(Expert.id, Expert.external_id).where(Expert.id.in_(expert_ids))).tuples().all()
    )
    values["expert_participants"] = "\n".join(
        f"{ReferencedExpert(e, refs.get(e)).reference}{LABEL_SEPARATOR}{experts[e].primary_name()}"
        if e in experts
        else registry_reference(e)
        for e in expert_ids
    )
    organizer_ids = list(
        session.scalars(
            select(EventOrganizer.organization_id)
            .where(EventOrganizer.event_id == event_id)
            .order_by(EventOrganizer.position)
        )
    )
    organization_ids = [o for e, o in rows if e is None and o is not None]
    names = names_in(session, [*organizer_ids, *organization_ids], language)
    for column, ids in (("organizers", organizer_ids), ("organization_participants", organization_ids)):
        values[column] = "\n".join(f"{i}{LABEL_SEPARATOR}{names.get(i, '')}" for i in ids)
    return values


class _References:
    """Turns the form's lines into references :func:`write_event` resolves to the same records,
    recording a problem for each line that names no record (or more than one)."""

    def __init__(self, session: Session, viewer: Viewer, cells: RowCells, event_id: int | None) -> None:
        self.session = session
        self.viewer = viewer
        self.cells = cells
        self.directory = OrganizationDirectory(session)
        self.current: set[int] = set()
        # The organizations already on each list, by column.
        self.current_organizations: dict[str, set[int]] = {column: set() for column in ORGANIZATION_LISTS}
        if event_id is not None:
            # People and organizations already on the list stay on it even when the viewer could not
            # add them today (a profile of the other side frozen since, an organization set aside).
            self.current = {
                e
                for e in session.scalars(
                    select(EventParticipant.expert_id).where(EventParticipant.event_id == event_id)
                )
                if e is not None
            }
            self.current_organizations["organizers"] = set(
                session.scalars(
                    select(EventOrganizer.organization_id).where(EventOrganizer.event_id == event_id)
                )
            )
            self.current_organizations["organization_participants"] = {
                o
                for e, o in session.execute(
                    select(EventParticipant.expert_id, EventParticipant.organization_id).where(
                        EventParticipant.event_id == event_id
                    )
                ).tuples()
                if e is None and o is not None
            }

    def expert(self, reference: str) -> tuple[int, str] | None:
        """The expert a reference names, as imports read it (import id, ``#42``, or a plain registry
        number), with the reference exports write for them."""
        named = experts_by_reference(self.session, [reference]).get(reference)
        found = (
            self.session.execute(
                select(Expert.status, Expert.city).where(Expert.id == named.expert_id)
            ).first()
            if named is not None
            else None
        )
        if (
            named is None
            or found is None
            or not (
                named.expert_id in self.current
                or may_see_expert(self.viewer, found.status, city=found.city, expert_id=named.expert_id)
            )
        ):
            self.cells.fail(
                "expert_participants",
                reference,
                N_("no expert has this registry number or import id; find the expert by name below"),
            )
            return None
        return named.expert_id, named.reference

    def organization(self, column: str, reference: str) -> tuple[int, str] | None:
        """The organization a reference names: its registry number, ROR id, import id or a name
        no other organization has; with a reference the directory finds it by.  Only one the viewer
        may see (as its page and every picker decide: one waiting for vetting on the other side is
        not theirs to name), or one already on this list."""
        organization_id: int | None
        if reference.isdigit() and len(reference) < 10:
            organization_id = self.session.scalar(
                select(Organization.id).where(Organization.id == int(reference))
            )
        else:
            same_name = set(
                self.session.scalars(
                    select(OrganizationName.organization_id).where(
                        OrganizationName.normalized == fold(reference)
                    )
                )
            )
            if len(same_name) > 1:
                self.cells.fail(
                    column, reference, N_("several organizations have this name; give its number")
                )
                return None
            organization_id = self.directory.find(reference)
        if organization_id is not None and not (
            organization_id in self.current_organizations[column]
            or organization_visible(self.session, self.viewer, organization_id)
        ):
            organization_id = None  # said as for no organization: its existence is not the viewer's
        if organization_id is None:
            self.cells.fail(
                column,
                reference,
                N_("no organization of the registry has this number or name; find it by name below"),
            )
            return None
        findable = findable_reference(self.directory, organization_id)
        if findable is None:
            self.cells.fail(
                column,
                str(organization_id),
                N_("this organization shares every name with another; give it an import id first"),
            )
        return organization_id, findable or ""


def check_event(
    session: Session, viewer: Viewer, values: Mapping[str, str], event_id: int | None = None
) -> CheckedEvent:
    """The event the form describes, checked like an imported row and for the viewer's side.

    Raises Refused (403) when the viewer may not place the event in its city,
    :class:`ChangeRejected` with every problem of the cells.
    """
    raw = {column: values.get(column, "").strip() for column in EVENT_COLUMNS}
    check_may_edit(viewer, canonical_city(raw["city"]) if raw["city"] else None)
    cells = RowCells(1, dict(raw))
    references = _References(session, viewer, cells, event_id)
    experts = [
        found
        for line in split_list(raw["expert_participants"])
        if (found := references.expert(_reference(line))) is not None
    ]
    organizations: dict[str, list[tuple[int, str]]] = {}
    for column in ORGANIZATION_LISTS:
        organizations[column] = [
            found
            for line in split_list(raw[column])
            if (found := references.organization(column, _reference(line))) is not None
        ]
    cells.cells["expert_participants"] = ";".join(ref for _, ref in experts)
    for column, found_ in organizations.items():
        cells.cells[column] = ";".join(ref for _, ref in found_)
    record = read_event_row(cells)
    if record is not None and record.external_id:
        taken = session.scalar(select(Event.id).where(Event.external_id == record.external_id))
        if taken is not None and taken != event_id:
            cells.fail("id", record.external_id, N_("another event has this id; choose another"))
    if cells.issues or record is None:
        raise ChangeRejected(cells.issues)
    participants: set[Participant] = {(e, None) for e, _ in experts}
    participants |= {(None, o) for o, _ in organizations["organization_participants"]}
    return CheckedEvent(record, frozenset(participants))


def removed_with_meeting_data(session: Session, event_id: int, checked: CheckedEvent) -> dict[int, str]:
    """The participants the edit takes off the event who have meeting data (a meeting profile, or a
    request made or received, with its placement): participant id → name.  Saving deletes it."""
    rows = session.execute(
        select(EventParticipant.id, EventParticipant.expert_id, EventParticipant.organization_id).where(
            EventParticipant.event_id == event_id
        )
    ).all()
    leaving = {
        row.id: row for row in rows if (row.expert_id, row.organization_id) not in checked.participants
    }
    if not leaving:
        return {}
    ids = list(leaving)
    with_profile = set(
        session.scalars(
            select(EventParticipantProfile.participant_id).where(
                EventParticipantProfile.participant_id.in_(ids)
            )
        )
    )
    with_requests = {
        participant
        for pair in session.execute(
            select(MeetingRequest.requester_id, MeetingRequest.counterpart_id).where(
                or_(MeetingRequest.requester_id.in_(ids), MeetingRequest.counterpart_id.in_(ids))
            )
        ).tuples()
        for participant in pair
    }
    losing = [i for i in ids if i in with_profile or i in with_requests]
    experts = read_experts(session, [leaving[i].expert_id for i in losing if leaving[i].expert_id])
    organizations = primary_names(
        session, [leaving[i].organization_id for i in losing if leaving[i].organization_id]
    )
    names: dict[int, str] = {}
    for participant_id in sorted(losing, key=lambda i: ids.index(i)):
        row = leaving[participant_id]
        if row.expert_id is not None:
            record = experts.get(row.expert_id)
            names[participant_id] = record.primary_name() if record else str(row.expert_id)
        else:
            names[participant_id] = organizations.get(row.organization_id or 0, str(row.organization_id))
    return names


def save_event(session: Session, viewer: Viewer, checked: CheckedEvent, event_id: int | None = None) -> int:
    """Write the checked event (a new one when ``event_id`` is None) as imports write events: audited,
    participants who stay keep their meeting data.  Organizations are only found, never created:
    the references were checked by :func:`check_event`.  Returns the event's id."""
    if event_id is not None:
        editable_event(session, viewer, event_id)
    directory = OrganizationDirectory(session, "pending")
    try:
        written, _ = write_event(session, checked.record, directory, actor=viewer.actor, event_id=event_id)
    except UnknownReferenceError as error:
        raise ChangeRejected([Issue(1, "expert_participants", "", str(error))]) from error
    return written

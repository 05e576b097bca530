"""1:1 meetings at events: participants' offers and seeks, requests and decisions, the schedule.

The engine (:mod:`expertbridge.matching.schedule`) knows nothing of the database; this module builds its
:class:`ScheduleProblem` from an event's rows (participant ids are ``event_participants.id``, meeting ids
``meeting_requests.id``, slot and interpreter ids the codes the organizers gave them) and stores the
:class:`Schedule` it returns.  Every change writes an audit entry in the same transaction.

Who may do what: the event's organizers (admins, the coordinators of its side:
:func:`expertbridge.registry.visibility.may_organize_event`) set the event up, schedule, move meetings
and act for any participant; the coordinators of the other side read the organizers' views and change
nothing; a participant (an expert whose profile takes part, or a partner for an organization that
takes part: see :mod:`expertbridge.registry.meeting_people`) acts for themselves: requests meetings,
and accepts or declines the requests made to them.  Every function that changes something checks
this itself, so that every channel (pages, API, any script) gets the same answer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    EventInterpreter,
    EventParticipantProfile,
    EventSchedule,
    EventSlot,
    MeetingPlacement,
    MeetingRequest,
)
from expertbridge.matching.affinity import Paper, affinities
from expertbridge.matching.calendar import ENGLISH, Wording, agenda_calendar
from expertbridge.matching.schedule import (
    AgendaItem,
    Conflict,
    Interpreter,
    Meeting,
    MoveConflictError,
    Participant,
    Pin,
    Placement,
    Schedule,
    ScheduleInputError,
    ScheduleProblem,
    Slot,
    SolveOptions,
    SolveStats,
    Unplaced,
    agendas,
    apply_move,
    solve_schedule,
)
from expertbridge.matching.schedule_rules import meeting_needs
from expertbridge.messages import Message
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.meeting_people import (
    EventPerson,
    add_organization,
    check_acts_for_event,
    check_organizes,
    event_people,
    is_organizer,
    may_organize,
    may_see_person,
    own_participant,
    partner_organizations,
)
from expertbridge.registry.meeting_setup import (
    InterpreterView,
    ProblemsRefused,
    SlotView,
    interpreters,
    interpreters_text,
    save_setup,
    slots,
    slots_text,
)
from expertbridge.registry.places import counterpart_city
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.search.experts import ExpertFilters, experts_for_text
from expertbridge.search.index import ExpertIndex

STATUSES = ("requested", "accepted", "declined", "cancelled")
MAX_TIME_LIMIT = 120.0
LANGUAGE_CODES = ("ru", "zh", "en")
__all__ = [
    "EventPerson",
    "InterpreterView",
    "ProblemsRefused",
    "SlotView",
    "add_organization",
    "event_people",
    "interpreters",
    "interpreters_text",
    "is_organizer",
    "own_participant",
    "partner_organizations",
    "save_setup",
    "slots",
    "slots_text",
]


@dataclass(frozen=True)
class RequestView:
    """A meeting request with both people."""

    request_id: int
    requester: EventPerson
    counterpart: EventPerson
    status: str
    mutual: bool
    priority: int
    message: str
    decided_by: str | None


@dataclass(frozen=True)
class Suggestion:
    """A counterpart suggested to a participant, with the affinity and any request between them."""

    person: EventPerson
    score: float | None
    request_status: str | None


def _may_act_for(session: Session, viewer: Viewer, event_id: int, participant_id: int) -> bool:
    """Whether the viewer may change things for the participant: the event's organizers for anyone,
    a participant for themselves.  The actions call :func:`check_acts_for_event` first, so that a
    coordinator of the other side hears why (403) rather than that nothing was found."""
    if own_participant(session, viewer, event_id) == participant_id:
        return True
    return is_organizer(viewer) and may_organize(session, viewer, event_id)


def _may_read_for(session: Session, viewer: Viewer, event_id: int, participant_id: int) -> bool:
    """Whether the viewer may read what concerns the participant: every organizer (both sides meet
    at an event), and the participant themselves."""
    return is_organizer(viewer) or own_participant(session, viewer, event_id) == participant_id


def _person(people: dict[int, EventPerson], participant_id: int) -> EventPerson:
    if participant_id not in people:
        raise Refused(N_("This person does not take part in the event's meetings."), 404)
    return people[participant_id]


def save_participant_profile(
    session: Session,
    viewer: Viewer,
    event_id: int,
    participant_id: int,
    *,
    offers: str,
    seeks: str,
    languages: list[str],
    available: list[str] | None,
) -> None:
    """Store what a participant offers and seeks, their working languages and available slots."""
    check_acts_for_event(session, viewer, event_id)
    _person(event_people(session, event_id), participant_id)
    if not _may_act_for(session, viewer, event_id, participant_id):
        raise Refused(N_("Only the participant or an organizer may do this."), 403)
    slots = set(session.scalars(select(EventSlot.code).where(EventSlot.event_id == event_id)))
    # Before the organizers set up slots there is nothing to choose from: the participant is free.
    chosen = None if available is None or not slots else " ".join(code for code in available if code in slots)
    values = {
        "offers": offers.strip()[:5000],
        "seeks": seeks.strip()[:5000],
        "languages": " ".join(code for code in languages if code in LANGUAGE_CODES),
        "available_slots": chosen,
        "updated_at": utcnow(),
    }
    profile = session.get(EventParticipantProfile, participant_id)
    if profile is None:
        session.add(EventParticipantProfile(participant_id=participant_id, **values))
    else:
        for key, value in values.items():
            setattr(profile, key, value)
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "update",
                "event_participant",
                participant_id,
                {k: v for k, v in values.items() if k != "updated_at"},
            )
        ],
    )


def _organization_scores(text: str, organizations: dict[int, str]) -> dict[int, float]:
    """Participant id → affinity of each organization's text to ``text`` (best 1.0; none when
    nothing is shared)."""
    reviewers = {str(participant_id): [Paper("", about)] for participant_id, about in organizations.items()}
    return {
        int(participant_id): score
        for _, participant_id, score in affinities(reviewers, {"text": Paper("", text)})
        if score > 0
    }


def suggestions(
    session: Session,
    index: ExpertIndex,
    viewer: Viewer,
    event_id: int,
    participant_id: int,
    *,
    limit: int = 10,
) -> list[Suggestion]:
    """Participants of the other side ranked by affinity to what the participant offers and seeks
    (their profile when they wrote nothing); people without a score follow, in the event's order.

    Experts are ranked by the search index, organizations (which it does not hold) by the same
    ranking over their texts (:func:`expertbridge.matching.affinity.affinities`); both scores are
    scaled so that the best of their kind is 1.0, and the two lists are merged by score.  Only the
    organizations the viewer may see are suggested (one waiting for vetting is not shown to the
    other side's experts, whom its page would answer that it does not exist).
    """
    people = event_people(session, event_id)
    me = _person(people, participant_id)
    other_city = counterpart_city(me.city)
    others = [
        person
        for person in people.values()
        if person.participant_id != participant_id
        and (other_city is None or person.city == other_city)
        and may_see_person(viewer, person)
    ]
    text = "\n".join(part for part in (me.offers, me.seeks) if part) or me.profile_text
    scores: dict[int, float] = {}
    experts = {person.expert_id: person for person in others if person.expert_id is not None}
    if experts and text:
        page = experts_for_text(
            index,
            viewer,
            text,
            filters=ExpertFilters(city=other_city or ""),
            exclude=(me.expert_id,) if me.expert_id is not None else (),
            limit=max(200, limit * 5),
        )
        scores.update(
            (experts[expert_id].participant_id, score)
            for expert_id, score in page.scores.items()
            if expert_id in experts
        )
    organizations = {
        person.participant_id: "\n".join(part for part in (person.offers, person.seeks) if part)
        or person.profile_text
        for person in others
        if person.is_organization
    }
    if organizations and text:
        scores.update(_organization_scores(text, organizations))
    existing = _pair_statuses(session, event_id, participant_id)
    position = {person.participant_id: number for number, person in enumerate(others)}
    ranked = sorted(
        others,
        key=lambda person: (
            -scores.get(person.participant_id, -1.0),
            position[person.participant_id],
        ),
    )
    return [
        Suggestion(person, scores.get(person.participant_id), existing.get(person.participant_id))
        for person in ranked[:limit]
    ]


def _pair_statuses(session: Session, event_id: int, participant_id: int) -> dict[int, str]:
    statuses: dict[int, str] = {}
    for request in session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event_id,
            (MeetingRequest.requester_id == participant_id)
            | (MeetingRequest.counterpart_id == participant_id),
        )
    ):
        other = request.counterpart_id if request.requester_id == participant_id else request.requester_id
        if statuses.get(other) != "accepted":
            statuses[other] = request.status
    return statuses


def request_meeting(
    session: Session,
    viewer: Viewer,
    event_id: int,
    requester_id: int,
    counterpart_id: int,
    *,
    message: str = "",
    priority: int = 1,
) -> MeetingRequest:
    """A participant asks another for a meeting (an organizer may ask on a participant's behalf).

    When the counterpart had already asked the requester, that request is accepted and marked mutual
    instead of adding a second one.
    """
    check_acts_for_event(session, viewer, event_id)
    people = event_people(session, event_id)
    _person(people, requester_id)
    _person(people, counterpart_id)
    if not _may_act_for(session, viewer, event_id, requester_id):
        raise Refused(N_("Only the participant or an organizer may do this."), 403)
    if requester_id == counterpart_id:
        raise Refused(N_("A participant cannot meet themselves."))
    if not 1 <= priority <= 5:
        raise Refused(N_("The priority must be between 1 and 5."))
    reverse = session.scalar(
        select(MeetingRequest).where(
            MeetingRequest.requester_id == counterpart_id, MeetingRequest.counterpart_id == requester_id
        )
    )
    if reverse is not None and reverse.status in ("requested", "accepted"):
        before = (reverse.status, reverse.mutual)
        reverse.status, reverse.mutual = "accepted", True
        reverse.decided_by, reverse.decided_at = viewer.actor, utcnow()
        write_changes(
            session,
            viewer.actor,
            [
                Change(
                    "status",
                    "meeting_request",
                    reverse.id,
                    {"status": [before[0], "accepted"], "mutual": [before[1], True]},
                )
            ],
        )
        return reverse
    request = session.scalar(
        select(MeetingRequest).where(
            MeetingRequest.requester_id == requester_id, MeetingRequest.counterpart_id == counterpart_id
        )
    )
    if request is not None and request.status in ("requested", "accepted"):
        raise Refused(N_("This meeting has already been requested."), 409)
    if request is None:
        request = MeetingRequest(event_id=event_id, requester_id=requester_id, counterpart_id=counterpart_id)
        session.add(request)
    request.status, request.message, request.priority = "requested", message.strip()[:2000], priority
    request.mutual, request.decided_by, request.decided_at = False, None, None
    request.created_at = utcnow()
    session.flush()
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "create",
                "meeting_request",
                request.id,
                {"requester": requester_id, "counterpart": counterpart_id, "priority": priority},
            )
        ],
    )
    return request


def _request(session: Session, event_id: int, request_id: int) -> MeetingRequest:
    request = session.get(MeetingRequest, request_id)
    if request is None or request.event_id != event_id:
        raise Refused(N_("There is no such meeting request."), 404)
    return request


def decide(
    session: Session, viewer: Viewer, event_id: int, request_id: int, *, accept: bool
) -> MeetingRequest:
    """The counterpart (or an organizer for them) accepts or declines a request."""
    check_acts_for_event(session, viewer, event_id)
    request = _request(session, event_id, request_id)
    if not _may_act_for(session, viewer, event_id, request.counterpart_id):
        if own_participant(session, viewer, event_id) == request.requester_id:
            raise Refused(N_("Only the person asked, or an organizer, may accept or decline."), 403)
        raise Refused(N_("There is no such meeting request."), 404)
    target = "accepted" if accept else "declined"
    if request.status == "cancelled":
        raise Refused(N_("This request was cancelled."), 409)
    before = request.status
    request.status, request.decided_by, request.decided_at = target, viewer.actor, utcnow()
    if not accept:
        session.execute(delete(MeetingPlacement).where(MeetingPlacement.request_id == request.id))
    write_changes(
        session, viewer.actor, [Change("status", "meeting_request", request.id, {"status": [before, target]})]
    )
    return request


def cancel(session: Session, viewer: Viewer, event_id: int, request_id: int) -> MeetingRequest:
    """The requester (or an organizer) withdraws a request; an accepted meeting leaves the schedule."""
    check_acts_for_event(session, viewer, event_id)
    request = _request(session, event_id, request_id)
    if not _may_act_for(session, viewer, event_id, request.requester_id):
        raise Refused(N_("There is no such meeting request."), 404)
    before = request.status
    request.status, request.decided_by, request.decided_at = "cancelled", viewer.actor, utcnow()
    session.execute(delete(MeetingPlacement).where(MeetingPlacement.request_id == request.id))
    write_changes(
        session,
        viewer.actor,
        [Change("status", "meeting_request", request.id, {"status": [before, "cancelled"]})],
    )
    return request


def requests(session: Session, event_id: int, participant_id: int | None = None) -> list[RequestView]:
    """The event's meeting requests (those involving ``participant_id`` when given), newest first."""
    people = event_people(session, event_id)
    query = select(MeetingRequest).where(MeetingRequest.event_id == event_id)
    if participant_id is not None:
        query = query.where(
            (MeetingRequest.requester_id == participant_id)
            | (MeetingRequest.counterpart_id == participant_id)
        )
    views = []
    for request in session.scalars(query.order_by(MeetingRequest.id.desc())):
        if request.requester_id in people and request.counterpart_id in people:
            views.append(
                RequestView(
                    request.id,
                    people[request.requester_id],
                    people[request.counterpart_id],
                    request.status,
                    request.mutual,
                    request.priority,
                    request.message,
                    request.decided_by,
                )
            )
    return views


# --- the schedule ---------------------------------------------------------------------------------------


def build_problem(session: Session, event_id: int) -> ScheduleProblem:
    """The event's scheduling problem: its slots, interpreters, people and accepted meetings."""
    people = event_people(session, event_id)
    slot_rows = slots(session, event_id)
    slot_codes = {slot.code for slot in slot_rows}
    accepted = session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.event_id == event_id, MeetingRequest.status == "accepted")
        .order_by(MeetingRequest.id)
    )
    meetings = tuple(
        Meeting(str(r.id), str(r.requester_id), str(r.counterpart_id), r.priority, r.mutual)
        for r in accepted
        if r.requester_id in people and r.counterpart_id in people
    )
    return ScheduleProblem(
        slots=tuple(Slot(s.code, s.start, s.end, s.tables) for s in slot_rows),
        participants=tuple(
            Participant(
                str(person.participant_id),
                person.name,
                frozenset(person.languages),
                person.city or "",
                None if person.available is None else person.available & slot_codes,
            )
            for person in people.values()
        ),
        meetings=meetings,
        interpreters=tuple(
            Interpreter(
                item.code,
                frozenset(item.pairs),
                None if item.available is None else item.available & slot_codes,
                item.name,
            )
            for item in interpreters(session, event_id)
        ),
    )


def _placements(session: Session, event_id: int) -> list[tuple[MeetingPlacement, str, str | None]]:
    query = (
        select(MeetingPlacement, EventSlot.code, EventInterpreter.code)
        .join(EventSlot, EventSlot.id == MeetingPlacement.slot_id)
        .join(MeetingRequest, MeetingRequest.id == MeetingPlacement.request_id)
        .outerjoin(EventInterpreter, EventInterpreter.id == MeetingPlacement.interpreter_id)
        .where(MeetingRequest.event_id == event_id)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def current_schedule(session: Session, event_id: int) -> tuple[Schedule, dt.datetime] | None:
    """The stored schedule (against today's problem) and when it was made; None before the first run.

    The problem may have changed since the run.  Meetings accepted since are reported unplaced
    with the code ``not_scheduled``; placements the set-up no longer holds (a slot removed, fewer
    tables, the interpreter a meeting needs taken off the list) are dropped and reported with the
    code ``setup_changed``, so the page never shows a meeting at a table that does not exist.
    The placed count is today's.
    """
    stored = session.get(EventSchedule, event_id)
    if stored is None:
        return None
    problem = build_problem(session, event_id)
    placements: list[Placement] = []
    outdated: set[str] = set()
    for row, slot_code, interpreter_code in _placements(session, event_id):
        placement = Placement(str(row.request_id), slot_code, row.table, interpreter_code)
        if placement.meeting_id not in problem.meeting_by_id or slot_code not in problem.slot_by_id:
            continue
        if _still_holds(problem, placement):
            placements.append(placement)
        else:
            outdated.add(placement.meeting_id)
    placed = {placement.meeting_id for placement in placements}
    reasons = {item["meeting_id"]: _read_unplaced(item) for item in json.loads(stored.unplaced)}
    decided = _decided_at(session, event_id)
    unplaced = tuple(
        _unplaced_reason(meeting.meeting_id, reasons, outdated, decided, stored.solved_at)
        for meeting in problem.meetings
        if meeting.meeting_id not in placed
    )
    stats = SolveStats(**json.loads(stored.stats))
    stats = replace(stats, placed=len(placements), total=len(problem.meetings))
    return Schedule(problem, tuple(placements), unplaced, stats), stored.solved_at


def _still_holds(problem: ScheduleProblem, placement: Placement) -> bool:
    """Whether today's set-up still holds a stored placement: its table exists, and a meeting
    without a common language still has its interpreter."""
    if placement.table > problem.slot_by_id[placement.slot_id].tables:
        return False
    if placement.interpreter_id is not None:
        return True
    meeting = problem.meeting_by_id[placement.meeting_id]
    return meeting_needs(problem, meeting).language is not None


def _decided_at(session: Session, event_id: int) -> dict[str, dt.datetime | None]:
    query = select(MeetingRequest.id, MeetingRequest.decided_at).where(MeetingRequest.event_id == event_id)
    return {str(request_id): decided_at for request_id, decided_at in session.execute(query)}


def _unplaced_reason(
    meeting_id: str,
    reasons: dict[str, Unplaced],
    outdated: set[str],
    decided: dict[str, dt.datetime | None],
    solved_at: dt.datetime,
) -> Unplaced:
    """Why a meeting of today's problem has no place: the run's reason, or what changed since."""
    if meeting_id in reasons:
        return reasons[meeting_id]
    accepted_at = decided.get(meeting_id)
    if meeting_id in outdated or (accepted_at is not None and accepted_at <= solved_at):
        # The run placed it (it gave no reason), and the set-up has changed under it since.
        return Unplaced(
            meeting_id,
            "setup_changed",
            Message.of(N_("its slot, table or interpreter changed after the last scheduling run")),
        )
    return Unplaced(meeting_id, "not_scheduled", Message.of(N_("accepted after the last scheduling run")))


def _read_unplaced(item: dict[str, Any]) -> Unplaced:
    """An unplaced meeting as stored: its reason as a message (an English ``reason`` of a run made
    before reasons were stored as messages is kept as it was written)."""
    text = Message.from_json(item["text"]) if "text" in item else Message(str(item.get("reason", "")))
    return Unplaced(str(item["meeting_id"]), str(item["code"]), text)


def _unplaced_data(item: Unplaced) -> dict[str, Any]:
    return {
        "meeting_id": item.meeting_id,
        "code": item.code,
        "reason": item.reason,
        "text": item.text.to_json(),
    }


def _store(session: Session, event_id: int, schedule: Schedule, pinned: set[str]) -> None:
    request_ids = select(MeetingRequest.id).where(MeetingRequest.event_id == event_id)
    session.execute(delete(MeetingPlacement).where(MeetingPlacement.request_id.in_(request_ids)))
    slot_ids = {
        code: slot_id
        for code, slot_id in session.execute(
            select(EventSlot.code, EventSlot.id).where(EventSlot.event_id == event_id)
        ).tuples()
    }
    interpreter_ids = {
        code: interpreter_id
        for code, interpreter_id in session.execute(
            select(EventInterpreter.code, EventInterpreter.id).where(EventInterpreter.event_id == event_id)
        ).tuples()
    }
    for placement in schedule.placements:
        session.add(
            MeetingPlacement(
                request_id=int(placement.meeting_id),
                slot_id=slot_ids[placement.slot_id],
                table=placement.table,
                interpreter_id=interpreter_ids.get(placement.interpreter_id or ""),
                pinned=placement.meeting_id in pinned,
            )
        )
    stored = session.get(EventSchedule, event_id)
    if stored is None:
        stored = EventSchedule(event_id=event_id)
        session.add(stored)
    stored.solved_at = utcnow()
    stored.stats = json.dumps(asdict(schedule.stats))
    stored.unplaced = json.dumps([_unplaced_data(item) for item in schedule.unplaced], ensure_ascii=False)
    session.flush()


def run_schedule(session: Session, viewer: Viewer, event_id: int, *, time_limit: float = 20.0) -> Schedule:
    """Solve the event's schedule (hand-placed meetings stay where they are) and store it (the
    event's organizers only)."""
    check_organizes(session, viewer, event_id)
    problem = build_problem(session, event_id)
    pinned = {
        str(row.request_id): Pin(str(row.request_id), slot_code, row.table, interpreter_code)
        for row, slot_code, interpreter_code in _placements(session, event_id)
        if row.pinned and str(row.request_id) in problem.meeting_by_id and slot_code in problem.slot_by_id
    }
    options = SolveOptions(time_limit=max(1.0, min(time_limit, MAX_TIME_LIMIT)))
    try:
        schedule = solve_schedule(problem, tuple(pinned.values()), options)
    except ScheduleInputError as error:
        raise ProblemsRefused(
            N_("The schedule cannot be made:"),
            N_("The schedule cannot be made: %(problems)s"),
            list(error.messages),
        ) from None
    _store(session, event_id, schedule, set(pinned))
    stats = schedule.stats
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "update",
                "event_schedule",
                event_id,
                {
                    "placed": stats.placed,
                    "total": stats.total,
                    "status": stats.status,
                    "idle_slots": stats.idle_slots,
                },
            )
        ],
    )
    return schedule


def move_meeting(
    session: Session,
    viewer: Viewer,
    event_id: int,
    request_id: int,
    slot_code: str,
    table: int | None = None,
    interpreter_code: str | None = None,
) -> Schedule:
    """Move (or place) one meeting by hand (the event's organizers only); MoveConflictError names the
    conflicts and nothing is saved."""
    check_organizes(session, viewer, event_id)
    current = current_schedule(session, event_id)
    if current is None:
        raise Refused(N_("Schedule the meetings first."), 409)
    schedule = current[0]
    if str(request_id) not in schedule.problem.meeting_by_id:
        raise Refused(N_("Only accepted meetings can be placed."), 404)
    if slot_code not in schedule.problem.slot_by_id:
        raise MoveConflictError(
            [Conflict("unknown_slot", Message.of(N_("there is no slot %(slot)s"), slot=repr(slot_code)))]
        )
    moved = apply_move(schedule, str(request_id), slot_code, table, interpreter_code or None)
    pinned = {str(row.request_id) for row, _, _ in _placements(session, event_id) if row.pinned}
    stats_before = session.get(EventSchedule, event_id)
    solved_at = stats_before.solved_at if stats_before else utcnow()
    _store(session, event_id, moved, pinned | {str(request_id)})
    if stats_before is not None:
        stats_before.solved_at = solved_at
    placement = moved.placement_by_meeting[str(request_id)]
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "update",
                "meeting_request",
                request_id,
                {
                    "slot": placement.slot_id,
                    "table": placement.table,
                    "interpreter": placement.interpreter_id,
                },
            )
        ],
    )
    return moved


def agenda(schedule: Schedule, participant_id: int) -> tuple[AgendaItem, ...]:
    """One participant's agenda in time order."""
    return agendas(schedule).get(str(participant_id), ())


def may_see_agenda(session: Session, viewer: Viewer, event_id: int, participant_id: int) -> bool:
    """Organizers see every agenda; a participant sees their own."""
    return _may_read_for(session, viewer, event_id, participant_id)


def agenda_ics(
    schedule: Schedule,
    solved_at: dt.datetime,
    event_id: int,
    participant_id: int,
    event_name: str,
    wording: Wording = ENGLISH,
) -> str:
    """One participant's agenda as an iCalendar document (in English unless ``wording`` says
    otherwise)."""
    if str(participant_id) not in schedule.problem.participant_by_id:
        raise Refused(N_("This person does not take part in the event's meetings."), 404)
    return agenda_calendar(
        schedule,
        str(participant_id),
        stamp=solved_at.replace(tzinfo=dt.UTC),
        event_name=event_name,
        uid_domain=f"event-{event_id}.expertbridge",
        wording=wording,
    )

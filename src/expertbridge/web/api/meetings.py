"""JSON API for 1:1 meetings at events: suggestions, requests, the schedule and agendas (.ics).

Reads follow the pages' rules (a participant sees their own, organizers everything); writes take the
API token (the operator, an organizer), since cookies without a CSRF token must not change anything,
and are the event's organizers' (registry.visibility.may_organize_event, checked by registry.meetings
for every channel).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from expertbridge.matching.schedule import Schedule
from expertbridge.registry import meetings
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.web.deps import MAX_RECORD_ID, IndexDep, RecordId, SessionDep, ViewerDep, WriterDep

router = APIRouter(tags=["meetings"])


class PersonOut(BaseModel):
    """A participant of an event's meetings."""

    participant_id: int
    expert_id: int | None = Field(description="the expert, for an expert taking part")
    organization_id: int | None = Field(
        default=None, description="the organization, for an organization taking part (through its partners)"
    )
    name: str
    city: str | None
    languages: list[str]


class SuggestionOut(BaseModel):
    """A suggested counterpart."""

    person: PersonOut
    score: float | None
    request_status: str | None


class RequestOut(BaseModel):
    """A meeting request."""

    id: int
    requester: PersonOut
    counterpart: PersonOut
    status: str
    mutual: bool
    priority: int
    message: str


class RequestIn(BaseModel):
    """A new meeting request (the operator acts for the requester)."""

    requester: int = Field(ge=1, le=MAX_RECORD_ID, description="the requesting participant's id")
    counterpart: int = Field(ge=1, le=MAX_RECORD_ID, description="the counterpart participant's id")
    message: str = Field(default="", max_length=2000)
    priority: int = Field(default=1, ge=1, le=5)


class ScheduleIn(BaseModel):
    """How long the scheduler may run."""

    time_limit: float = Field(default=20.0, gt=0, le=meetings.MAX_TIME_LIMIT)


class PlacementOut(BaseModel):
    """Where a meeting takes place."""

    meeting_id: str
    slot_id: str
    table: int
    interpreter_id: str | None


class UnplacedOut(BaseModel):
    """A meeting the schedule could not hold, and why."""

    meeting_id: str
    code: str
    reason: str


class ScheduleOut(BaseModel):
    """The event's current schedule."""

    placements: list[PlacementOut]
    unplaced: list[UnplacedOut]
    status: str
    placed: int
    total: int
    idle_slots: int


def _person(person: meetings.EventPerson) -> PersonOut:
    return PersonOut(
        participant_id=person.participant_id,
        expert_id=person.expert_id,
        organization_id=person.organization_id,
        name=person.name,
        city=person.city,
        languages=list(person.languages),
    )


def _request_out(item: meetings.RequestView) -> RequestOut:
    return RequestOut(
        id=item.request_id,
        requester=_person(item.requester),
        counterpart=_person(item.counterpart),
        status=item.status,
        mutual=item.mutual,
        priority=item.priority,
        message=item.message,
    )


def _schedule_out(schedule: Schedule) -> ScheduleOut:
    return ScheduleOut(
        placements=[PlacementOut(**vars(p)) for p in schedule.placements],
        unplaced=[
            UnplacedOut(meeting_id=u.meeting_id, code=u.code, reason=u.reason) for u in schedule.unplaced
        ],
        status=schedule.stats.status,
        placed=schedule.stats.placed,
        total=schedule.stats.total,
        idle_slots=schedule.stats.idle_slots,
    )


def _refusal(refused: Refused) -> HTTPException:
    # The English a page in English shows (quantities as 2,000, ids as written), not ``str(refused)``.
    return HTTPException(refused.status, refused.as_message().text)


def _participant_or_organizer(session: SessionDep, viewer: Viewer, event_id: int, participant: int) -> None:
    if not meetings.may_see_agenda(session, viewer, event_id, participant):
        raise HTTPException(404, "no such participant")


@router.get("/events/{event_id}/meetings/suggestions", response_model=list[SuggestionOut])
def suggestions(
    event_id: RecordId,
    participant: Annotated[
        int, Query(ge=1, le=MAX_RECORD_ID, description="the participant id suggestions are for")
    ],
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[SuggestionOut]:
    """Counterparts of the other side for a participant, ranked by affinity."""
    _participant_or_organizer(session, viewer, event_id, participant)
    try:
        found = meetings.suggestions(session, index, viewer, event_id, participant, limit=limit)
    except Refused as refused:
        raise _refusal(refused) from None
    return [
        SuggestionOut(person=_person(s.person), score=s.score, request_status=s.request_status) for s in found
    ]


@router.get("/events/{event_id}/meetings/requests", response_model=list[RequestOut])
def list_requests(event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> list[RequestOut]:
    """Every request for organizers; a participant's own otherwise (none for the public)."""
    if meetings.is_organizer(viewer):
        return [_request_out(item) for item in meetings.requests(session, event_id)]
    own = meetings.own_participant(session, viewer, event_id)
    if own is None:
        return []
    return [_request_out(item) for item in meetings.requests(session, event_id, own)]


@router.post("/events/{event_id}/meetings/requests", response_model=RequestOut, status_code=201)
def create_request(
    event_id: RecordId, body: RequestIn, session: SessionDep, viewer: ViewerDep, _writer: WriterDep
) -> RequestOut:
    """Request a meeting for a participant (a mutual request is accepted at once)."""
    try:
        made = meetings.request_meeting(
            session,
            viewer,
            event_id,
            body.requester,
            body.counterpart,
            message=body.message,
            priority=body.priority,
        )
    except Refused as refused:
        session.rollback()
        raise _refusal(refused) from None
    session.commit()
    return next(
        _request_out(item) for item in meetings.requests(session, event_id) if item.request_id == made.id
    )


@router.post("/events/{event_id}/meetings/requests/{request_id}/{action}", response_model=RequestOut)
def decide(
    event_id: RecordId,
    request_id: RecordId,
    action: str,
    session: SessionDep,
    viewer: ViewerDep,
    _writer: WriterDep,
) -> RequestOut:
    """``accept``, ``decline`` or ``cancel`` a request."""
    if action not in ("accept", "decline", "cancel"):
        raise HTTPException(404, "use accept, decline or cancel")
    try:
        if action == "cancel":
            meetings.cancel(session, viewer, event_id, request_id)
        else:
            meetings.decide(session, viewer, event_id, request_id, accept=action == "accept")
    except Refused as refused:
        session.rollback()
        raise _refusal(refused) from None
    session.commit()
    return next(
        _request_out(item) for item in meetings.requests(session, event_id) if item.request_id == request_id
    )


@router.get("/events/{event_id}/meetings/schedule", response_model=ScheduleOut)
def get_schedule(event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> ScheduleOut:
    """The current schedule (organizers only)."""
    if not meetings.is_organizer(viewer):
        raise HTTPException(403, "organizers only")
    stored = meetings.current_schedule(session, event_id)
    if stored is None:
        raise HTTPException(404, "not scheduled yet")
    return _schedule_out(stored[0])


@router.post("/events/{event_id}/meetings/schedule", response_model=ScheduleOut)
def run_schedule(
    event_id: RecordId, body: ScheduleIn, session: SessionDep, viewer: ViewerDep, _writer: WriterDep
) -> ScheduleOut:
    """Solve the schedule now and store it."""
    try:
        schedule = meetings.run_schedule(session, viewer, event_id, time_limit=body.time_limit)
    except Refused as refused:
        session.rollback()
        raise _refusal(refused) from None
    session.commit()
    return _schedule_out(schedule)


@router.get("/events/{event_id}/meetings/agenda/{participant_id}.ics")
def agenda_ics(
    event_id: RecordId, participant_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """A participant's agenda as iCalendar (the participant or an organizer)."""
    _participant_or_organizer(session, viewer, event_id, participant_id)
    stored = meetings.current_schedule(session, event_id)
    if stored is None:
        raise HTTPException(404, "not scheduled yet")
    try:
        text = meetings.agenda_ics(stored[0], stored[1], event_id, participant_id, f"event {event_id}")
    except Refused as refused:
        raise _refusal(refused) from None
    return Response(text, media_type="text/calendar; charset=utf-8")

"""The meetings pages of an event: a participant's suggestions, requests and agenda; the organizers'
set-up, scheduling, grid and hand moves.  Every rule lives in :mod:`expertbridge.registry.meetings`;
who organizes the event (changes its set-up, schedule and requests for participants) is
:func:`expertbridge.registry.visibility.may_organize_event`'s, asked through
:mod:`expertbridge.registry.meeting_people`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from expertbridge.matching.schedule import Conflict, MoveConflictError, Schedule
from expertbridge.registry import meetings
from expertbridge.registry.activities import read_events
from expertbridge.registry.meeting_people import (
    may_organize,
    scheduler_labels,
    shown_names,
    with_shown_names,
)
from expertbridge.registry.meeting_setup_changes import SetupDropsMeetings, save_setup_confirmed
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.search.index import ExpertIndex
from expertbridge.web.auth import check_csrf
from expertbridge.web.deps import MAX_RECORD_ID, IndexDep, RecordId, SessionDep, ViewerDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text, refused_text
from expertbridge.web.labels import N_
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import localized

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

DEFAULT_TIME_LIMIT = 20.0
# The solver's status as the page says it.
SOLVER_STATUS = {
    "OPTIMAL": N_("proven optimal"),
    "FEASIBLE": N_("good, not proven optimal"),
    "GREEDY": N_("first fit (the solver found nothing better in time)"),
}


def event_title(session: Session, event_id: int, language: str) -> str:
    """The event's title in ``language`` (or the original); 404 for an unknown event."""
    records = read_events(session, [event_id])
    if event_id not in records:
        raise HTTPException(404)
    text, _ = localized(records[event_id].texts, language)
    return text.title


def _grid(schedule: Schedule, views: dict[str, meetings.RequestView]) -> dict[tuple[str, int], Any]:
    return {
        (placement.slot_id, placement.table): (placement, views.get(placement.meeting_id))
        for placement in schedule.placements
    }


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    index: ExpertIndex,
    event_id: int,
    *,
    problem: str = "",
    problems: tuple[str, ...] = (),
    conflicts: tuple[Conflict, ...] = (),
    typed: dict[str, str] | None = None,
    dropping: tuple[str, ...] = (),
    status: int = 200,
) -> HTMLResponse:
    """The meetings page; ``typed`` is a set-up form as the organizer sent it (shown again when it
    was refused), ``dropping`` the placed meetings it would take out of the schedule (to confirm).

    Every organizer sees the organizers' part (requests, schedule, grid); only the organizers of
    the event's side get its forms."""
    language = request.state.language
    translator = Translator(language)
    title = event_title(session, event_id, language)
    organizer = meetings.is_organizer(viewer)
    people = meetings.event_people(session, event_id)
    names = shown_names(session, people, language)
    labels = scheduler_labels(people, names)
    own = meetings.own_participant(session, viewer, event_id)
    me = people.get(own) if own is not None else None
    stored = meetings.current_schedule(session, event_id)
    schedule = stored[0] if stored else None
    context: dict[str, Any] = {
        "event_id": event_id,
        "title": title,
        "organizer": organizer,
        "may_organize": organizer and may_organize(session, viewer, event_id),
        "me": me,
        "people": people,
        "names": names,
        "slots": meetings.slots(session, event_id),
        "schedule": schedule,
        "solved_at": stored[1] if stored else None,
        "problem": problem,
        "problems": problems,
        "conflicts": [
            (conflict.kind, message_text(translator, with_shown_names(conflict.text, labels)))
            for conflict in conflicts
        ],
        "dropping": dropping,
        "done": request.query_params.get("done", ""),
        "language_codes": meetings.LANGUAGE_CODES,
        "default_time_limit": DEFAULT_TIME_LIMIT,
    }
    if me is not None:
        context["suggestions"] = meetings.suggestions(session, index, viewer, event_id, me.participant_id)
        mine = meetings.requests(session, event_id, me.participant_id)
        context["incoming"] = [item for item in mine if item.counterpart.participant_id == me.participant_id]
        context["outgoing"] = [item for item in mine if item.requester.participant_id == me.participant_id]
        context["agenda"] = meetings.agenda(schedule, me.participant_id) if schedule else ()
    if organizer:
        every = meetings.requests(session, event_id)
        views = {str(item.request_id): item for item in every}
        context["all_requests"] = every
        context["request_views"] = views
        if typed is None:
            typed = {
                "slots": meetings.slots_text(session, event_id),
                "interpreters": meetings.interpreters_text(session, event_id),
            }
        context["slots_text"] = typed.get("slots", "")
        context["interpreters_text"] = typed.get("interpreters", "")
        context["reasons"] = {
            item.meeting_id: message_text(translator, with_shown_names(item.text, labels))
            for item in (schedule.unplaced if schedule else ())
        }
        context["solver_status"] = (
            translator.gettext(SOLVER_STATUS[schedule.stats.status])
            if schedule and schedule.stats.status in SOLVER_STATUS
            else (schedule.stats.status if schedule else "")
        )
        context["grid"] = _grid(schedule, views) if schedule else {}
        context["max_tables"] = max((slot.tables for slot in context["slots"]), default=0)
        context["partner_organizations"] = (
            meetings.partner_organizations(session, viewer, language) if context["may_organize"] else {}
        )
    if me is None and not organizer:
        context["signin_needed"] = viewer.role == "public"
    return render(request, "event_meetings.html", status_code=status, **context)


@router.get("/events/{event_id}/meetings", response_class=HTMLResponse)
def meetings_page(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> HTMLResponse:
    """The meetings of an event, as the visitor may act on them."""
    return _page(request, session, viewer, index, event_id)


async def _form(request: Request) -> dict[str, str]:
    data = await request.form()
    return {key: value for key, value in data.items() if isinstance(value, str) and len(value) <= 50_000}


def _back(event_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/events/{event_id}/meetings?done={done}", status_code=303)


def _refused(
    request: Request,
    session: Session,
    viewer: Viewer,
    index: ExpertIndex,
    event_id: int,
    refused: Refused,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    session.rollback()
    translator = Translator(request.state.language)
    dropping: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    if isinstance(refused, SetupDropsMeetings):
        # Said by the page itself, which lists the meetings by name, and asks for a confirmation.
        problem, dropping = "", refused.meeting_ids
    elif isinstance(refused, meetings.ProblemsRefused):
        problem = translator.gettext(refused.heading)
        problems = tuple(message_text(translator, item) for item in refused.problems)
    else:
        problem = refused_text(translator, refused)
    return _page(
        request,
        session,
        viewer,
        index,
        event_id,
        problem=problem,
        problems=problems,
        typed=typed,
        dropping=dropping,
        status=refused.status,
    )


def _number(text: str, default: int | None = None) -> int | None:
    try:
        number = int(text)
    except ValueError:
        return default
    # Every number of these forms is an id, a table or a priority: one beyond the range of ids
    # names nothing, and the database could not even compare it.
    return number if abs(number) <= MAX_RECORD_ID else default


@router.post("/events/{event_id}/meetings/profile", response_class=HTMLResponse)
async def save_profile(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """A participant's offers, seeks, languages and availability."""
    data = await request.form()
    form = await _form(request)
    participant_id = _number(form.get("participant", "")) or -1
    languages = [value for value in data.getlist("languages") if isinstance(value, str)]
    slots = [value for value in data.getlist("available") if isinstance(value, str)]
    try:
        meetings.save_participant_profile(
            session,
            viewer,
            event_id,
            participant_id,
            offers=form.get("offers", ""),
            seeks=form.get("seeks", ""),
            languages=languages,
            available=None if form.get("all_slots") == "1" else slots,
        )
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused)
    session.commit()
    return _back(event_id, "profile")


@router.post("/events/{event_id}/meetings/requests", response_class=HTMLResponse)
async def create_request(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """Ask for a meeting (an organizer may ask for a participant)."""
    form = await _form(request)
    requester = _number(form.get("requester", ""))
    if requester is None:
        requester = meetings.own_participant(session, viewer, event_id)
    counterpart = _number(form.get("counterpart", ""))
    if requester is None or counterpart is None:
        raise HTTPException(404)
    try:
        meetings.request_meeting(
            session,
            viewer,
            event_id,
            requester,
            counterpart,
            message=form.get("message", ""),
            priority=_number(form.get("priority", "1"), 1) or 1,
        )
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused)
    session.commit()
    return _back(event_id, "requested")


@router.post("/events/{event_id}/meetings/requests/{request_id}/{action}", response_class=HTMLResponse)
async def decide_request(
    request: Request,
    event_id: RecordId,
    request_id: RecordId,
    action: str,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
) -> Response:
    """Accept, decline or cancel a request."""
    if action not in ("accept", "decline", "cancel"):
        raise HTTPException(404)
    try:
        if action == "cancel":
            meetings.cancel(session, viewer, event_id, request_id)
        else:
            meetings.decide(session, viewer, event_id, request_id, accept=action == "accept")
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused)
    session.commit()
    return _back(event_id, action)


@router.post("/events/{event_id}/meetings/setup", response_class=HTMLResponse)
async def save_setup(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """The organizers' slots, tables and interpreters; a set-up that would take placed meetings out
    of the schedule is saved only once they are confirmed (``drop_placements``: their ids)."""
    form = await _form(request)
    event_title(session, event_id, request.state.language)
    typed = {"slots": form.get("slots", ""), "interpreters": form.get("interpreters", "")}
    try:
        save_setup_confirmed(
            session,
            viewer,
            event_id,
            typed["slots"],
            typed["interpreters"],
            confirmed=form.get("drop_placements", "").split(),
        )
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused, typed)
    session.commit()
    return _back(event_id, "setup")


@router.post("/events/{event_id}/meetings/schedule", response_class=HTMLResponse)
async def schedule_now(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """Run the scheduler with the time limit the organizer chose; hand-placed meetings stay."""
    form = await _form(request)
    event_title(session, event_id, request.state.language)
    try:
        time_limit = float(form.get("time_limit", "") or DEFAULT_TIME_LIMIT)
    except ValueError:
        time_limit = DEFAULT_TIME_LIMIT
    try:
        meetings.run_schedule(session, viewer, event_id, time_limit=time_limit)
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused)
    session.commit()
    return _back(event_id, "scheduled")


@router.post("/events/{event_id}/meetings/move", response_class=HTMLResponse)
async def move(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """Move a meeting by hand; conflicts are shown and nothing is saved."""
    form = await _form(request)
    request_id = _number(form.get("meeting", ""))
    if request_id is None:
        raise HTTPException(404)
    try:
        meetings.move_meeting(
            session,
            viewer,
            event_id,
            request_id,
            form.get("slot", ""),
            _number(form.get("table", "")),
            form.get("interpreter", "") or None,
        )
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused)
    except MoveConflictError as error:
        session.rollback()
        return _page(request, session, viewer, index, event_id, conflicts=error.conflicts, status=409)
    session.commit()
    return _back(event_id, "moved")


@router.post("/events/{event_id}/meetings/organizations", response_class=HTMLResponse)
async def add_organization(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """An organizer adds an organization (acting through its partner accounts) to the meetings."""
    form = await _form(request)
    event_title(session, event_id, request.state.language)
    organization_id = _number(form.get("organization", ""))
    if organization_id is None:
        raise HTTPException(404)
    try:
        meetings.add_organization(session, viewer, event_id, organization_id)
    except Refused as refused:
        return _refused(request, session, viewer, index, event_id, refused)
    session.commit()
    return _back(event_id, "organization")

"""Agendas of an event's meetings: a participant's page (print-friendly), .ics and PDF; the organizers'
grid as PDF.  Who may see what is decided by :mod:`expertbridge.registry.meetings`."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from expertbridge.matching.calendar import Wording
from expertbridge.matching.schedule import AgendaItem, Schedule
from expertbridge.matching.schedule_agenda import working_language
from expertbridge.pdf import PdfFontError, find_font, table_pdf
from expertbridge.registry import meetings
from expertbridge.registry.meeting_people import ShownName, scheduler_labels, shown_names, with_shown_names
from expertbridge.registry.places import city_label
from expertbridge.registry.visibility import Viewer
from expertbridge.settings import Settings
from expertbridge.web.deps import RecordId, SessionDep, ViewerDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text
from expertbridge.web.labels import N_
from expertbridge.web.pages.meetings import SOLVER_STATUS, event_title
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("expertbridge.web")

NO_FONT = N_(
    "PDF files cannot be made on this server: no font with Cyrillic and Chinese characters is "
    "installed. Ask the administrator to install fonts-noto-cjk or to set EXPERTBRIDGE_PDF_FONT."
)


def _agenda_schedule(
    session: Session, viewer: Viewer, event_id: int, participant_id: int
) -> tuple[Schedule, Any] | None:
    if not meetings.may_see_agenda(session, viewer, event_id, participant_id):
        raise HTTPException(404)
    if participant_id not in meetings.event_people(session, event_id):
        raise HTTPException(404)
    return meetings.current_schedule(session, event_id)


def _when(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} (UTC{start:%z})"


def _pdf_response(request: Request, title: str, filename: str, **table: Any) -> Response:
    settings: Settings = request.app.state.settings
    try:
        data = table_pdf(title, font=find_font(settings.pdf_font), **table)
    except PdfFontError as error:
        log.error("PDF not made: %s", error)
        return render(request, "error.html", status_code=503, code=503, message=NO_FONT)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _names(session: Session, event_id: int, language: str) -> dict[str, ShownName]:
    """Every participant's name in the page's script, by the scheduler's participant id."""
    people = meetings.event_people(session, event_id)
    return {str(key): name for key, name in shown_names(session, people, language).items()}


def _agenda_row(
    item: AgendaItem, tr: Translator, language: str, names: dict[str, ShownName]
) -> tuple[str, str, str, str]:
    shown = names.get(item.counterpart.participant_id)
    counterpart = shown.plain if shown else item.counterpart.name
    if item.counterpart.side:
        counterpart += f" · {city_label(item.counterpart.side, language)}"
    spoken = item.language
    if item.interpreter_id:
        spoken += f" · {tr.gettext('interpreter')} {item.interpreter_id}"
    return _when(item.slot.start, item.slot.end), str(item.table), counterpart, spoken


@router.get("/events/{event_id}/agenda/{participant_id}.pdf")
def agenda_pdf(
    request: Request, event_id: RecordId, participant_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """A participant's agenda as a PDF in the page's language (names as they are written)."""
    language = request.state.language
    tr = Translator(language)
    title = event_title(session, event_id, language)
    stored = _agenda_schedule(session, viewer, event_id, participant_id)
    names = _names(session, event_id, language)
    items = meetings.agenda(stored[0], participant_id) if stored else ()
    lines = [title]
    if stored:
        lines.append(tr.gettext("Scheduled on %(date)s", date=tr.date(stored[1])))
    return _pdf_response(
        request,
        f"{tr.gettext('Agenda')}{tr.colon}{names[str(participant_id)].plain}",
        f"agenda-{event_id}-{participant_id}.pdf",
        lines=lines,
        headings=(tr.gettext("Time"), tr.gettext("Table"), tr.gettext("Counterpart"), tr.gettext("Language")),
        rows=[_agenda_row(item, tr, language, names) for item in items],
        widths=(4, 1, 6, 3),
        empty=tr.gettext("No meetings scheduled yet.")
        if stored
        else tr.gettext("The meetings have not been scheduled yet."),
        created=stored[1] if stored else None,
    )


@router.get("/events/{event_id}/meetings/grid.pdf")
def grid_pdf(request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> Response:
    """The organizers' grid as a PDF: every placed meeting by slot and table, and the unplaced ones."""
    if not meetings.is_organizer(viewer):
        raise HTTPException(403)
    language = request.state.language
    tr = Translator(language)
    title = event_title(session, event_id, language)
    stored = meetings.current_schedule(session, event_id)
    if stored is None:
        raise HTTPException(404)
    schedule = stored[0]
    problem = schedule.problem
    people = meetings.event_people(session, event_id)
    shown = shown_names(session, people, language)
    names = {str(key): name for key, name in shown.items()}
    labels = scheduler_labels(people, shown)

    def name(participant_id: str) -> str:
        shown = names.get(participant_id)
        return shown.plain if shown else problem.participant_by_id[participant_id].name

    rows = []
    for placement in sorted(schedule.placements, key=lambda p: (problem.slot_order[p.slot_id], p.table)):
        meeting = problem.meeting_by_id[placement.meeting_id]
        slot = problem.slot_by_id[placement.slot_id]
        spoken = working_language(problem, meeting, placement.interpreter_id)
        if placement.interpreter_id:
            spoken += f" · {tr.gettext('interpreter')} {placement.interpreter_id}"
        rows.append(
            (
                f"{slot.slot_id} · {_when(slot.start, slot.end)}",
                str(placement.table),
                name(meeting.participant_a),
                name(meeting.participant_b),
                spoken,
            )
        )
    stats = schedule.stats
    lines = [
        tr.gettext("Scheduled on %(date)s", date=tr.date(stored[1])),
        tr.gettext(
            "Placed %(placed)s of %(total)s meetings; idle slots: %(idle)s; solver: %(status)s.",
            placed=tr.number(stats.placed),
            total=tr.number(stats.total),
            idle=tr.number(stats.idle_slots),
            status=tr.gettext(SOLVER_STATUS[stats.status]) if stats.status in SOLVER_STATUS else stats.status,
        ),
    ]
    lines += [
        f"{tr.gettext('Unplaced meetings')}{tr.colon}#{item.meeting_id} "
        f"{message_text(tr, with_shown_names(item.text, labels))}"
        for item in schedule.unplaced
    ]
    return _pdf_response(
        request,
        f"{tr.gettext('Meetings by slot and table')} · {title}",
        f"meetings-{event_id}.pdf",
        lines=lines,
        headings=(
            tr.gettext("Slot"),
            tr.gettext("Table"),
            tr.gettext("Requester"),
            tr.gettext("Counterpart"),
            tr.gettext("Language"),
        ),
        rows=rows,
        widths=(5, 1, 5, 5, 3),
        landscape=True,
        empty=tr.gettext("No meetings scheduled yet."),
        created=stored[1],
    )


@router.get("/events/{event_id}/agenda/{participant_id}.ics")
def agenda_ics(
    request: Request, event_id: RecordId, participant_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """A participant's agenda as an iCalendar file in the page's language (the link carries it as
    ``?lang=``, since a calendar application fetching it has no cookie), names in its script."""
    language = request.state.language
    tr = Translator(language)
    title = event_title(session, event_id, language)
    stored = _agenda_schedule(session, viewer, event_id, participant_id)
    if stored is None:
        raise HTTPException(404)
    wording = Wording(
        say=lambda message: message_text(tr, message),
        names={key: name.plain for key, name in _names(session, event_id, language).items()},
        place=lambda city: city_label(city, language),
    )
    text = meetings.agenda_ics(stored[0], stored[1], event_id, participant_id, title, wording)
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="agenda-{event_id}-{participant_id}.ics"'},
    )


@router.get("/events/{event_id}/agenda/{participant_id}", response_class=HTMLResponse)
def agenda_page(
    request: Request, event_id: RecordId, participant_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """A participant's agenda, print-friendly (the print stylesheet leaves out the site's frame)."""
    language = request.state.language
    title = event_title(session, event_id, language)
    stored = _agenda_schedule(session, viewer, event_id, participant_id)
    person = meetings.event_people(session, event_id)[participant_id]
    items = meetings.agenda(stored[0], participant_id) if stored else ()
    names = _names(session, event_id, language)
    return render(
        request,
        "event_agenda.html",
        event_id=event_id,
        title=title,
        person=person,
        items=items,
        names=names,
        own=names[str(participant_id)],
        solved=bool(stored),
    )

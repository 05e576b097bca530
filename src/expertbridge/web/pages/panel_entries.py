"""An event's panel entries: the organizers' list, the add form, linked opportunities and imports.
Every rule lives in :mod:`expertbridge.registry.panel_entries`; the page and its forms are for the
organizers of the event's side (:func:`expertbridge.registry.meeting_people.check_organizes`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from expertbridge.ingest.report import InputFileError, Issue
from expertbridge.registry import panel_entries
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.catalog import list_opportunities
from expertbridge.registry.experts import read_experts
from expertbridge.registry.meeting_people import check_organizes
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import Viewer, may_see_expert
from expertbridge.web.auth import check_csrf
from expertbridge.web.deps import RecordId, SessionDep, ViewerDep, record_id
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_text, message_text, refused_text
from expertbridge.web.pages.errors import refusal_page
from expertbridge.web.pages.meetings import event_title
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import localized, names_in_order

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

MAX_LINKABLE = 200
FORM_FIELDS = panel_entries.IMPORT_COLUMNS


def _refusal_page(request: Request, session: Session, viewer: Viewer, event_id: int) -> HTMLResponse | None:
    """The refusal for a visitor who does not organize the event (None: they do)."""
    try:
        check_organizes(session, viewer, event_id)
    except Refused as refused:
        return refusal_page(request, refused)
    return None


def _conflict_names(
    session: Session, viewer: Viewer, entries: list[panel_entries.EntryView], language: str
) -> dict[int, str]:
    """The name (in the page's script when the expert gave one) of each expert with a declared
    conflict whose profile the viewer may open; the others are named by their reference only."""
    ids = sorted({expert_id for entry in entries for expert_id in entry.conflicts})
    names: dict[int, str] = {}
    for expert_id, record in read_experts(session, ids).items():
        if may_see_expert(viewer, record.status, city=record.city, expert_id=expert_id):
            ordered = names_in_order(record.names, language)
            if ordered:
                names[expert_id] = ordered[0].text
    return names


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    event_id: int,
    *,
    problem: str = "",
    issues: list[Issue] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    language = request.state.language
    translator = Translator(language)
    title = event_title(session, event_id, language)
    ids = list_opportunities(session, viewer, status="open", per_page=MAX_LINKABLE).ids
    linkable = {
        i: localized(record.texts, language)[0].title
        for i, record in read_opportunities(session, ids).items()
    }
    entries = list(panel_entries.entries(session, event_id).values())
    return render(
        request,
        "event_panel_entries.html",
        status_code=status,
        event_id=event_id,
        title=title,
        entries=entries,
        conflict_names=_conflict_names(session, viewer, entries, language),
        linkable=linkable,
        kinds=panel_entries.KINDS,
        columns=panel_entries.IMPORT_COLUMNS,
        problem=problem,
        # Each row's problem in the reader's language; the column as the file names it.
        issues=[(issue, _problem_text(translator, issue)) for issue in issues or []],
        form=form or {},
        done=request.query_params.get("done", ""),
    )


def _problem_text(translator: Translator, issue: Issue) -> str:
    """What is wrong with one cell, in the translator's language (without the row and column)."""
    shown = Issue(0, "", "", issue.message, issue.template, issue.params)
    return issue_text(translator, shown)


def _refusal(request: Request, refused: Refused) -> str:
    """A refusal in the page's language; an entry that was not saved lists each field's problem."""
    translator = Translator(request.state.language)
    if isinstance(refused, panel_entries.EntryRejected):
        problems = "; ".join(issue_text(translator, issue) for issue in refused.issues)
        return translator.gettext(refused.message, problems=problems)
    return refused_text(translator, refused)


def _back(event_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/events/{event_id}/entries?done={done}", status_code=303)


@router.get("/events/{event_id}/entries", response_class=HTMLResponse)
def entries_page(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """The event's panel entries and the ways to add them (its organizers)."""
    if (refusal := _refusal_page(request, session, viewer, event_id)) is not None:
        return refusal
    return _page(request, session, viewer, event_id)


@router.post("/events/{event_id}/entries", response_class=HTMLResponse)
async def add_entry(request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> Response:
    """Add one entry from the form (a code already used replaces that entry only when asked to)."""
    if (refusal := _refusal_page(request, session, viewer, event_id)) is not None:
        return refusal
    event_title(session, event_id, request.state.language)
    data = await request.form()
    form = {key: str(data.get(key) or "")[:25_000] for key in FORM_FIELDS}
    replace = data.get("replace") == "1"
    try:
        panel_entries.save_entry(session, viewer, event_id, form, replace=replace)
    except Refused as refused:
        session.rollback()
        return _page(
            request,
            session,
            viewer,
            event_id,
            problem=_refusal(request, refused),
            form=form,
            status=refused.status,
        )
    session.commit()
    return _back(event_id, "saved")


@router.post("/events/{event_id}/entries/link", response_class=HTMLResponse)
async def link(request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> Response:
    """Copy an open opportunity into the entries."""
    if (refusal := _refusal_page(request, session, viewer, event_id)) is not None:
        return refusal
    event_title(session, event_id, request.state.language)
    data = await request.form()
    opportunity_id = record_id(str(data.get("opportunity") or ""))
    if opportunity_id is None:
        raise HTTPException(404)
    try:
        panel_entries.link_opportunity(session, viewer, event_id, opportunity_id)
    except Refused as refused:
        session.rollback()
        return _page(
            request, session, viewer, event_id, problem=_refusal(request, refused), status=refused.status
        )
    session.commit()
    return _back(event_id, "linked")


@router.post("/events/{event_id}/entries/{entry_id}/delete", response_class=HTMLResponse)
async def delete(
    request: Request, event_id: RecordId, entry_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """Remove an entry."""
    if (refusal := _refusal_page(request, session, viewer, event_id)) is not None:
        return refusal
    try:
        panel_entries.delete_entry(session, viewer, event_id, entry_id)
    except Refused as refused:
        session.rollback()
        raise HTTPException(refused.status) from None
    session.commit()
    return _back(event_id, "deleted")


@router.post("/events/{event_id}/entries/import", response_class=HTMLResponse)
async def import_file(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """Import a CSV, XLSX or JSON file of entries: all rows, or none with every problem listed."""
    if (refusal := _refusal_page(request, session, viewer, event_id)) is not None:
        return refusal
    event_title(session, event_id, request.state.language)
    data = await request.form()
    upload: Any = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, session, viewer, event_id, problem=_no_file(request), status=422)
    limit = request.app.state.settings.max_upload_bytes
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise HTTPException(413)
    suffix = Path(upload.filename).suffix.lower()[:8]
    with tempfile.TemporaryDirectory() as folder:
        # The readers detect the format from the extension, as the command line's do.
        path = Path(folder) / f"entries{suffix}"
        path.write_bytes(content)
        try:
            report = panel_entries.import_entries(session, viewer, event_id, path)
        except InputFileError as error:
            session.rollback()
            note = error.note.renamed("file", {path.name: upload.filename})
            message = message_text(Translator(request.state.language), note)
            return _page(
                request,
                session,
                viewer,
                event_id,
                problem=message.replace(path.name, upload.filename),
                status=422,
            )
        except Refused as refused:
            session.rollback()
            return _page(
                request,
                session,
                viewer,
                event_id,
                problem=_refusal(request, refused),
                status=refused.status,
            )
    if report.issues:
        session.rollback()
        return _page(request, session, viewer, event_id, issues=report.issues, status=422)
    session.commit()
    return _back(event_id, f"imported-{report.created}-{report.updated}")


def _no_file(request: Request) -> str:
    return Translator(request.state.language).gettext("Choose a file to import.")

"""Expert panels for an event's entries: the organizers' form, the result with hand edits, XLSX and CSV
exports.  The entries themselves are managed in :mod:`expertbridge.web.pages.panel_entries`.

Every organizer reads the stored runs; running new ones and editing them is for the organizers of
the event's side (:func:`expertbridge.registry.meeting_people.check_organizes`)."""

from __future__ import annotations

import json
import re
from dataclasses import replace as replaced
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from expertbridge.ingest.report import InputFileError
from expertbridge.matching.assign_io import read_scores
from expertbridge.registry import panel_edits, panel_entries, panel_runs, panels
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.actor_names import actor_names
from expertbridge.registry.meeting_people import check_organizes, is_organizer, may_organize
from expertbridge.registry.panel_form import PanelFormRejected, read_panel_form
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.web.auth import check_csrf
from expertbridge.web.deps import IndexDep, RecordId, SessionDep, ViewerDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text, refused_text
from expertbridge.web.labels import N_
from expertbridge.web.pages.errors import refusal_page
from expertbridge.web.pages.meetings import event_title
from expertbridge.web.pages.render import render
from expertbridge.web.pages.views import localized

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _organizer(viewer: Viewer) -> None:
    """Refuse (403) anyone who does not read organizers' pages."""
    if not is_organizer(viewer):
        raise HTTPException(403)


# How the page says which solver made a run (the engine records it in English, matching/assign.py);
# the names of the solvers themselves (GLOP, SCIP, CP-SAT) are not translated.
SOLVERS = {
    "min-cost flow": N_("min-cost flow"),
    "GLOP bounds + CP-SAT (fair)": N_("GLOP bounds + CP-SAT (fair)"),
    "GLOP LP (integral)": N_("GLOP linear program (integral solution)"),
    "GLOP LP + SCIP on its fractional entries": N_("GLOP linear program + SCIP on its fractional entries"),
    "GLOP bound + SCIP (fair)": N_("GLOP bound + SCIP (fair)"),
    "GLOP LP bound + SCIP on every pair": N_("GLOP linear-program bound + SCIP on every pair"),
}
RANDOM_SOLVER = re.compile(r"min-cost flow \(fractional, resolution 1/(\d+)\) \+ dependent rounding")


def solver_label(translator: Translator, solver: str) -> str:
    """The solver a run names, in the translator's language (one it does not know as it is)."""
    if solver in SOLVERS:
        return translator.gettext(SOLVERS[solver])
    if (found := RANDOM_SOLVER.fullmatch(solver)) is not None:
        return translator.gettext(
            N_("min-cost flow (fractional, resolution 1/%(resolution)s) + dependent rounding"),
            resolution=translator.number(int(found.group(1))),
        )
    return solver


def _named_runs(session: Session, runs: list[panel_runs.RunSummary]) -> list[panel_runs.RunSummary]:
    """The runs with their authors named as people know the accounts (not ``user:2``)."""
    names = actor_names(session, [run.actor for run in runs])
    return [replaced(run, actor=names.get(run.actor, run.actor)) for run in runs]


def _titles(session: Session, event_id: int, parameters: dict[str, Any], language: str) -> dict[int, str]:
    """Entry titles of a run: panel entries, or (runs made before entries existed) opportunities."""
    if "entry_ids" in parameters:
        views = panel_entries.entries(session, event_id, [int(i) for i in parameters["entry_ids"]])
        return panel_entries.entry_titles(list(views.values()), language)
    ids = [int(i) for i in parameters.get("opportunity_ids", [])]
    return {
        i: localized(record.texts, language)[0].title
        for i, record in read_opportunities(session, ids).items()
    }


FORM_FIELDS = (
    "per_entry",
    "min_load",
    "max_load",
    "one_from_each_side",
    "in_entry_sector",
    "mode",
    "seed",
    "max_probability",
    "alternates",
)


def _form_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    event_id: int,
    *,
    problem: str = "",
    problems: list[str] | None = None,
    invalid: frozenset[str] = frozenset(),
    form: dict[str, str] | None = None,
    chosen: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The form, blank or as the organizer filled it in (``form``, ``chosen`` entries), with problems."""
    title = event_title(session, event_id, request.state.language)
    views = list(panel_entries.entries(session, event_id).values())
    return render(
        request,
        "event_panels.html",
        status_code=status,
        event_id=event_id,
        title=title,
        entries=panel_entries.entry_titles(views, request.state.language),
        problem=problem,
        problems=problems or [],
        invalid=invalid,
        form=form,
        chosen=set(chosen) if chosen is not None else None,
        runs=event_panel_runs(session, viewer, event_id),
    )


@router.get("/events/{event_id}/panels", response_class=HTMLResponse)
def panels_page(request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The form of a panel assignment for the event (its organizers)."""
    try:
        check_organizes(session, viewer, event_id)
    except Refused as refused:
        return refusal_page(request, refused)
    return _form_page(request, session, viewer, event_id)


@router.post("/events/{event_id}/panels", response_class=HTMLResponse)
async def run_panels(
    request: Request, event_id: RecordId, session: SessionDep, viewer: ViewerDep, index: IndexDep
) -> Response:
    """Run an assignment and show it."""
    try:
        check_organizes(session, viewer, event_id)
    except Refused as refused:
        return refusal_page(request, refused)
    event_title(session, event_id, request.state.language)
    data = await request.form()
    translator = Translator(request.state.language)
    # What the organizer typed, shown again when something is refused (cut to a sane length).
    form = {name: str(data.get(name) or "")[:100] for name in FORM_FIELDS}
    chosen = [str(value)[:20] for value in data.getlist("entries")][: panel_entries.MAX_ENTRIES + 1]

    def refuse(
        status: int, problem: str = "", problems: list[str] | None = None, **more: Any
    ) -> HTMLResponse:
        session.rollback()
        return _form_page(
            request,
            session,
            viewer,
            event_id,
            problem=problem,
            problems=problems,
            form=form,
            chosen=chosen,
            status=status,
            **more,
        )

    upload: Any = data.get("scores")
    scores = None
    source = ""
    if isinstance(upload, UploadFile) and upload.filename:
        limit = request.app.state.settings.max_upload_bytes
        content = await upload.read(limit + 1)
        if len(content) > limit:
            raise HTTPException(413)
        source = upload.filename[:200]
        try:
            scores = tuple(read_scores(content, source))
        except InputFileError as error:
            return refuse(422, message_text(translator, error.note))
    try:
        parameters = read_panel_form(session, event_id, form, chosen, scores=scores, scores_source=source)
    except PanelFormRejected as rejected:
        problems = [message_text(translator, problem) for problem in rejected.problems]
        return refuse(rejected.status, problems=problems, invalid=rejected.fields)
    try:
        run = panels.run_panels(session, index, viewer, event_id, parameters)
    except Refused as refused:
        return refuse(refused.status, refused_text(translator, refused))
    session.commit()
    return RedirectResponse(f"/events/{event_id}/panels/{run.id}", status_code=303)


def _lines(
    request: Request, session: Session, event_id: int, run_id: int
) -> tuple[Any, list[panels.PanelLine]]:
    try:
        run = panels.panel_run(session, event_id, run_id)
    except Refused:
        raise HTTPException(404) from None
    titles = _titles(session, event_id, json.loads(run.parameters), request.state.language)
    return run, panels.panel_lines(session, run, titles)


@router.get("/events/{event_id}/panels/{run_id}.xlsx")
def panels_xlsx(
    request: Request, event_id: RecordId, run_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """The run as an XLSX workbook."""
    _organizer(viewer)
    _, lines = _lines(request, session, event_id, run_id)
    return Response(
        panels.lines_xlsx(lines),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="panels-{event_id}-{run_id}.xlsx"'},
    )


@router.get("/events/{event_id}/panels/{run_id}.csv")
def panels_csv(
    request: Request, event_id: RecordId, run_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """The run as CSV."""
    _organizer(viewer)
    _, lines = _lines(request, session, event_id, run_id)
    return Response(
        panels.lines_csv(lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="panels-{event_id}-{run_id}.csv"'},
    )


@router.get("/events/{event_id}/panels/{run_id}", response_class=HTMLResponse)
def panel_result(
    request: Request, event_id: RecordId, run_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """A stored run: panels, alternates and explanations per entry, and the hand-edit form."""
    _organizer(viewer)
    return _result_page(request, session, viewer, event_id, run_id)


@router.post("/events/{event_id}/panels/{run_id}/replace", response_class=HTMLResponse)
async def replace(
    request: Request, event_id: RecordId, run_id: RecordId, session: SessionDep, viewer: ViewerDep
) -> Response:
    """Replace one expert on one entry's panel by hand (an alternate or any participating expert)."""
    try:
        check_organizes(session, viewer, event_id)
    except Refused as refused:
        return refusal_page(request, refused)
    data = await request.form()
    entry, removed = str(data.get("entry") or ""), str(data.get("removed") or "")
    added = str(data.get("added") or "")
    try:
        panel_edits.replace_expert(
            session, viewer, event_id, run_id, entry, removed, added, note=str(data.get("note") or "")
        )
    except Refused as refused:
        session.rollback()
        return _result_page(
            request, session, viewer, event_id, run_id, refused=refused, status=refused.status
        )
    session.commit()
    return RedirectResponse(f"/events/{event_id}/panels/{run_id}?done=replaced", status_code=303)


def _result_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    event_id: int,
    run_id: int,
    *,
    refused: Refused | None = None,
    status: int = 200,
) -> HTMLResponse:
    translator = Translator(request.state.language)
    title = event_title(session, event_id, request.state.language)
    run, lines = _lines(request, session, event_id, run_id)
    results = json.loads(run.results)
    by_entry: dict[str, list[panels.PanelLine]] = {}
    for line in lines:
        by_entry.setdefault(line.entry_id, []).append(line)
    notes = {
        entry: [message_text(translator, note) for note in entry_notes]
        for entry, entry_notes in panels.run_notes(session, run).items()
    }
    problem = ""
    if refused is not None:
        # A refusal names entries and experts by id; the page names them as it shows them.
        codes = {line.entry_id: line.entry for line in lines}
        names = {line.expert_id: line.expert for line in lines}
        names.update(
            {str(expert_id): person.name for expert_id, person in panels.pool(session, event_id).items()}
        )
        message = panels.named(refused.as_message(), codes, names)
        problem = message_text(translator, message)
    summary = panel_runs.summary(session, run)
    edits = panel_edits.edits(session, run.id)
    actors = actor_names(session, [summary.actor, *(edit.actor for edit in edits)])
    return render(
        request,
        "event_panel_run.html",
        event_id=event_id,
        title=title,
        run=run,
        summary=replaced(summary, actor=actors.get(summary.actor, summary.actor)),
        solver=solver_label(translator, str(results.get("solver", ""))),
        parameters=json.loads(run.parameters),
        results=results,
        notes=notes,
        by_entry=by_entry,
        pool=panels.pool(session, event_id),
        edits=[replaced(edit, actor=actors.get(edit.actor, edit.actor)) for edit in edits],
        may_organize=may_organize(session, viewer, event_id),
        problem=problem,
        done=request.query_params.get("done", ""),
        status_code=status,
    )


def event_panel_runs(session: Session, viewer: Viewer, event_id: int) -> list[panel_runs.RunSummary]:
    """The event's stored runs as its page lists them (for organizers; none for anyone else)."""
    return _named_runs(session, panel_runs.event_runs(session, viewer, event_id))


def opportunity_panel_runs(
    session: Session, viewer: Viewer, opportunity_id: int, language: str
) -> tuple[list[panel_runs.RunSummary], dict[int, str]]:
    """The runs that judged an opportunity, and their events' titles (for the opportunity's page)."""
    runs = _named_runs(session, panel_runs.opportunity_runs(session, viewer, opportunity_id))
    titles = {
        event_id: event_title(session, event_id, language) for event_id in {run.event_id for run in runs}
    }
    return runs, titles

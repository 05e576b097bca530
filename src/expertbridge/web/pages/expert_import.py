"""Importing experts from a spreadsheet on the web: the command line's import for coordinators.

The import itself is :class:`expertbridge.ingest.importer.Importer`, run exactly as
``expertbridge import experts`` runs it (one transaction; a dry run or a refused file writes
nothing).  This module decides who may import which experts, reads the upload and says the result
in the page's language.  Admins (and the operator) import any rows; a coordinator the experts of
their side only (``ImportOptions.side``): their new profiles are approved, as they vet that side,
the rule the organization form follows.

A check (a dry run) that found rows to import keeps the file (registry/staged_imports.py) and offers
"Import this file": the import then runs on exactly the checked bytes, with the check's choices and
the rights of the viewer at that moment, without choosing the file again.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from expertbridge.db.engine import transaction
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport, InputFileError, Issue
from expertbridge.messages import Message
from expertbridge.registry import staged_imports
from expertbridge.registry.audit import utcnow
from expertbridge.registry.places import city_label
from expertbridge.registry.staged_imports import ExpiredFile, StagedFile
from expertbridge.registry.visibility import Viewer, may_import_experts
from expertbridge.search.service import catch_up
from expertbridge.web.auth import check_csrf
from expertbridge.web.deps import ViewerDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_text, message_text
from expertbridge.web.labels import COLUMN
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

# The formats the importer reads, by the extension it reads them by (ingest/tables.py).
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl")
# Issue values that name a city of the registry: said in the page's language (Москва, 北京).
CITY_PARAMS = ("city", "side")
# The field of the "Import this file" form that names the checked file.
CHECKED_FIELD = "checked_file"
# How long a checked file waits for its import, as the page says it.
KEPT_MINUTES = int(staged_imports.KEEP_FOR.total_seconds() // 60)


@dataclass(frozen=True)
class Importing:
    """Who imports: the options their role allows."""

    # The coordinator's side (None: any side, for admins and the operator).
    side: str | None
    may_hold_for_vetting: bool


def _importing(viewer: Viewer) -> Importing:
    """What ``viewer`` may import; 401 for the public, 403 for experts and partners."""
    if viewer.role == "public":
        raise HTTPException(401)
    if not may_import_experts(viewer):
        raise HTTPException(403)
    if viewer.is_operator:
        return Importing(side=None, may_hold_for_vetting=True)
    return Importing(side=viewer.city, may_hold_for_vetting=False)


@dataclass(frozen=True)
class Problem:
    """One row's problem as the page shows it."""

    row: int
    column: str
    value: str
    text: str


def _problems(translator: Translator, issues: list[Issue]) -> list[Problem]:
    """Each issue with its column's label and its message in the translator's language."""
    shown = []
    for issue in issues:
        params = tuple(
            (name, _city(value, translator) if name in CITY_PARAMS else value) for name, value in issue.params
        )
        # The row and column have their own cells: the message alone (issue_text adds the value).
        message = issue_text(translator, replace(issue, row=0, column="", value="", params=params))
        label = COLUMN.get(issue.column)
        column = translator.gettext(label) if label else issue.column
        shown.append(Problem(issue.row, column, issue.value, message))
    return shown


def _city(value: str | int, translator: Translator) -> str | int:
    return city_label(value, translator.language) if isinstance(value, str) else value


def _warnings(translator: Translator, report: ImportReport) -> list[str]:
    return [
        message_text(translator, warning) if isinstance(warning, Message) else warning
        for warning in report.warnings
    ]


def _changes(translator: Translator, report: ImportReport) -> list[str]:
    """What each updating row would change, its columns named by their labels in the page's language
    (a change names each column as a value ``column``: ingest/expert_updates.py)."""
    labels = {column: translator.gettext(label) for column, label in COLUMN.items()}
    return [message_text(translator, change.renamed("column", labels)) for change in report.changes]


def _page(
    request: Request,
    importing: Importing,
    *,
    choices: dict[str, bool] | None = None,
    report: ImportReport | None = None,
    file_name: str = "",
    problem: str = "",
    next_step: str = "",
    checked_token: str = "",
    form_choices: dict[str, bool] | None = None,
    status: int = 200,
) -> HTMLResponse:
    translator = Translator(request.state.language)
    limit = request.app.state.settings.max_upload_bytes
    # A first upload only checks: the default is the dry run.
    choices = choices or {"dry_run": True, "skip_invalid": False, "pending": False}
    return render(
        request,
        "expert_import.html",
        status_code=status,
        importing=importing,
        side_label=city_label(importing.side, translator.language),
        choices=choices,
        # The upload form's boxes: as sent, unless the page says otherwise.
        form_choices=form_choices or choices,
        report=report,
        problems=_problems(translator, report.issues) if report else [],
        warnings=_warnings(translator, report) if report else [],
        changes=_changes(translator, report) if report else [],
        file_name=file_name,
        problem=problem,
        next_step=next_step,
        checked_token=checked_token,
        checked_field=CHECKED_FIELD,
        kept_minutes=KEPT_MINUTES,
        limit_megabytes=translator.number(round(limit / 1_000_000, 1)),
        extensions=", ".join(EXTENSIONS),
    )


@router.get("/experts/import", response_class=HTMLResponse)
def import_form(request: Request, viewer: ViewerDep) -> HTMLResponse:
    """The upload form (admins, the operator and coordinators)."""
    return _page(request, _importing(viewer))


def _choices(data: FormData, importing: Importing) -> dict[str, bool]:
    return {
        "dry_run": data.get("dry_run") == "1",
        "skip_invalid": data.get("skip_invalid") == "1",
        "pending": importing.may_hold_for_vetting and data.get("pending") == "1",
    }


@router.post("/experts/import", response_class=HTMLResponse)
async def import_experts(request: Request, viewer: ViewerDep) -> HTMLResponse:
    """Check or import the uploaded file and show what it did (or would do), row by row."""
    importing = _importing(viewer)
    translator = Translator(request.state.language)
    data = await request.form()
    choices = _choices(data, importing)
    upload: Any = data.get("file")

    def refused(problem: str, file_name: str = "") -> HTMLResponse:
        return _page(request, importing, choices=choices, file_name=file_name, problem=problem, status=422)

    if not isinstance(upload, UploadFile) or not upload.filename:
        return refused(translator.gettext("Choose a file to import."))
    file_name = Path(upload.filename).name
    suffix = Path(file_name).suffix.lower()
    if suffix not in EXTENSIONS:
        return refused(
            translator.gettext(
                "%(file)s is not a file this page reads: choose a CSV, XLSX, JSON or JSON Lines file "
                "(%(extensions)s). An Excel workbook can be saved as XLSX or CSV.",
                file=file_name,
                extensions=", ".join(EXTENSIONS),
            ),
            file_name,
        )
    limit = request.app.state.settings.max_upload_bytes
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise HTTPException(413)
    if not content.strip():
        return refused(translator.gettext("%(file)s is empty: nothing to import.", file=file_name), file_name)
    return await _run_import(request, viewer, importing, choices, file_name, content)


@router.post("/experts/import/checked", response_class=HTMLResponse)
async def import_checked_file(request: Request, viewer: ViewerDep) -> HTMLResponse:
    """Import the file the viewer checked, with the choices of its check, without uploading it again.

    The rights are the viewer's now, not at the check: a role or a side may have changed since.
    """
    importing = _importing(viewer)
    translator = Translator(request.state.language)
    data = await request.form()
    token = data.get(CHECKED_FIELD)
    factory = request.app.state.session_factory
    taken: StagedFile | ExpiredFile | None = None
    if isinstance(token, str) and token and viewer.user_id is not None:
        taken = await run_in_threadpool(_take, factory, token, viewer.user_id)
    if taken is None:
        # Another account's file is not told apart from one that never was (nor is it deleted).
        problem = translator.gettext(
            "This checked file is not kept for you: it was imported already, or it expired, or another "
            "account checked it. If you pressed “Import this file” before, look for its experts in the "
            "list; otherwise choose the file again and check it."
        )
        return _page(request, importing, problem=problem, status=404)
    if isinstance(taken, ExpiredFile):
        problem = translator.ngettext(
            "The check of %(file)s is more than %(num)s minute old, so the file is no longer kept. "
            "Choose the file again and check it.",
            "The check of %(file)s is more than %(num)s minutes old, so the file is no longer kept. "
            "Choose the file again and check it.",
            KEPT_MINUTES,
            file=taken.file_name,
        )
        return _page(request, importing, problem=problem, file_name=taken.file_name, status=410)
    if len(taken.content) > request.app.state.settings.max_upload_bytes:
        raise HTTPException(413)  # the limit was lowered since the check
    choices = {
        "dry_run": False,
        "skip_invalid": taken.skip_invalid,
        "pending": importing.may_hold_for_vetting and taken.pending,
    }
    # Nobody cleared "Check only" in the upload form: the next file is checked first again.
    form_choices = {**choices, "dry_run": True}
    return await _run_import(
        request, viewer, importing, choices, taken.file_name, taken.content, form_choices=form_choices
    )


def _take(factory: sessionmaker[Session], token: str, user_id: int) -> StagedFile | ExpiredFile | None:
    with transaction(factory) as session:
        return staged_imports.take(session, token, user_id, utcnow())


def _stage(
    factory: sessionmaker[Session], user_id: int, file_name: str, content: bytes, choices: dict[str, bool]
) -> str:
    with transaction(factory) as session:
        return staged_imports.stage(
            session,
            user_id=user_id,
            file_name=file_name,
            content=content,
            skip_invalid=choices["skip_invalid"],
            pending=choices["pending"],
            now=utcnow(),
        )


def _next_step(report: ImportReport, choices: dict[str, bool], viewer: Viewer) -> str:
    """What a check's page offers next: "import" (the file is kept for its import), "blocked" (an
    all-or-nothing import would write nothing), "nothing" (no row creates or changes a profile), or
    "again" (no account to keep the file for: the operator's token)."""
    if report.issues and not choices["skip_invalid"]:
        return "blocked"
    if report.created + report.updated == 0:
        return "nothing"
    return "import" if viewer.user_id is not None else "again"


async def _run_import(
    request: Request,
    viewer: Viewer,
    importing: Importing,
    choices: dict[str, bool],
    file_name: str,
    content: bytes,
    form_choices: dict[str, bool] | None = None,
) -> HTMLResponse:
    """Check or import ``content`` (a file named ``file_name``) and show the result; the upload form
    below it has ``form_choices`` (by default the ``choices`` of this run)."""
    translator = Translator(request.state.language)
    options = ImportOptions(
        dry_run=choices["dry_run"],
        skip_invalid=choices["skip_invalid"],
        status="pending" if choices["pending"] else "approved",
        actor=viewer.actor,
        # Validation in forked worker processes is for large files at the command line, not for a
        # server's request.
        parallel=False,
        side=importing.side,
    )
    factory = request.app.state.session_factory
    with tempfile.TemporaryDirectory() as folder:
        # The readers detect the format from the extension, as the command line's do.
        path = Path(folder) / f"experts{Path(file_name).suffix.lower()}"
        path.write_bytes(content)
        try:
            report = await run_in_threadpool(Importer(factory, options).run, "experts", path)
        except InputFileError as error:
            note = error.note.renamed("file", {path.name: file_name})
            detail = message_text(translator, note).replace(path.name, file_name)
            lead = translator.gettext("The file cannot be read, and nothing was written:")
            problem = f"{lead} {detail}"
            return _page(
                request,
                importing,
                choices=choices,
                file_name=file_name,
                problem=problem,
                form_choices=form_choices,
                status=422,
            )
    if report.written:
        # Searches find the imported experts at once (each search also catches up, see deps.get_index).
        await run_in_threadpool(catch_up, factory, request.app.state.index)
    next_step = _next_step(report, choices, viewer) if options.dry_run else ""
    checked_token = ""
    if next_step == "import" and viewer.user_id is not None:
        checked_token = await run_in_threadpool(_stage, factory, viewer.user_id, file_name, content, choices)
    # A dry run that found problems did its job (200); an import refused for them did not.
    status = 422 if report.issues and not report.written and not options.dry_run else 200
    return _page(
        request,
        importing,
        choices=choices,
        report=report,
        file_name=file_name,
        next_step=next_step,
        checked_token=checked_token,
        form_choices=form_choices,
        status=status,
    )

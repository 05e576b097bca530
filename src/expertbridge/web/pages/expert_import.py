"""Importing experts from a spreadsheet on the web: the command line's import for coordinators.

The import itself is :class:`expertbridge.ingest.importer.Importer`, run exactly as
``expertbridge import experts`` runs it (one transaction; a dry run or a refused file writes
nothing).  This module decides who may import which experts, reads the upload and says the result
in the page's language.  Admins (and the operator) import any rows; a coordinator the experts of
their side only (``ImportOptions.side``): their new profiles are approved, as they vet that side,
the rule the organization form follows.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport, InputFileError, Issue
from expertbridge.messages import Message
from expertbridge.registry.places import city_label
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


def _page(
    request: Request,
    importing: Importing,
    *,
    choices: dict[str, bool] | None = None,
    report: ImportReport | None = None,
    file_name: str = "",
    problem: str = "",
    status: int = 200,
) -> HTMLResponse:
    translator = Translator(request.state.language)
    limit = request.app.state.settings.max_upload_bytes
    return render(
        request,
        "expert_import.html",
        status_code=status,
        importing=importing,
        side_label=city_label(importing.side, translator.language),
        # A first upload only checks: the default is the dry run.
        choices=choices or {"dry_run": True, "skip_invalid": False, "pending": False},
        report=report,
        problems=_problems(translator, report.issues) if report else [],
        warnings=_warnings(translator, report) if report else [],
        changes=[message_text(translator, change) for change in report.changes] if report else [],
        file_name=file_name,
        problem=problem,
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
        path = Path(folder) / f"experts{suffix}"
        path.write_bytes(content)
        try:
            report = await run_in_threadpool(Importer(factory, options).run, "experts", path)
        except InputFileError as error:
            note = error.note.renamed("file", {path.name: file_name})
            detail = message_text(translator, note).replace(path.name, file_name)
            lead = translator.gettext("The file cannot be read, and nothing was written:")
            return refused(f"{lead} {detail}", file_name)
    if report.written:
        # Searches find the imported experts at once (each search also catches up, see deps.get_index).
        await run_in_threadpool(catch_up, factory, request.app.state.index)
    # A dry run that found problems did its job (200); an import refused for them did not.
    status = 422 if report.issues and not report.written and not options.dry_run else 200
    return _page(request, importing, choices=choices, report=report, file_name=file_name, status=status)

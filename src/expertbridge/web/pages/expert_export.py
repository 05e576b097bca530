"""Downloading the experts a list shows, as a spreadsheet that the web import reads back.

The registry's list (/experts) links here with its search and filters: the file holds the experts
the list shows for them, best first as on the page, up to :data:`MAX_EXPORT_ROWS`, with what the
viewer may see of each (``ingest.export.export_experts``: columns that hide something from the
viewer are left out, so that a re-import keeps what they could not see).  Admins (and the
operator) and coordinators may download; every download is audited as the command line's export is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from sqlalchemy.orm import Session

from expertbridge.ingest.export import export_experts, write_csv, write_xlsx
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.privacy import record_contact_views
from expertbridge.registry.visibility import Viewer, may_export_experts
from expertbridge.search.experts import ExpertFilters, list_experts
from expertbridge.web.deps import IndexDep, ListFiltersDep, RerankingDep, SessionDep, ViewerDep

router = APIRouter(include_in_schema=False)

# A list longer than this is cut to its first rows (the file name says so): a spreadsheet of more
# experts is an operator's job (``expertbridge export experts``), and one request should not hold a
# worker for minutes.
MAX_EXPORT_ROWS = 10_000
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# The list's query parameters, as /experts names them, and the filters they set.
FILTER_PARAMETERS = {
    "q": "query",
    "sector": "sector",
    "city": "city",
    "organization_type": "organization_type",
    "language": "language",
}


def _check_may_export(viewer: Viewer) -> None:
    """401 for the public (signing in may help), 403 for experts and partners."""
    if viewer.role == "public":
        raise HTTPException(401)
    if not may_export_experts(viewer):
        raise HTTPException(403)


def _parameters(filters: ExpertFilters) -> dict[str, str]:
    """The list's query parameters that ``filters`` set (``{"q": "metro", "city": "Beijing"}``)."""
    return {
        name: getattr(filters, field) for name, field in FILTER_PARAMETERS.items() if getattr(filters, field)
    }


@dataclass(frozen=True)
class ExportLinks:
    """The list's download links, with its filters, and whether the file would be cut."""

    xlsx: str
    csv: str
    cut: bool
    limit: int


def export_links(viewer: Viewer, filters: ExpertFilters, total: int) -> ExportLinks | None:
    """The download links for the list ``filters`` give (``total`` experts); None when ``viewer``
    may not download it."""
    if not may_export_experts(viewer):
        return None
    parameters = _parameters(filters)
    query = f"?{urlencode(parameters)}" if parameters else ""
    return ExportLinks(
        xlsx=f"/experts/export.xlsx{query}",
        csv=f"/experts/export.csv{query}",
        cut=total > MAX_EXPORT_ROWS,
        limit=MAX_EXPORT_ROWS,
    )


def file_name(extension: str, cut_at: int | None) -> str:
    """``experts-2024-05-17.xlsx``; ``experts-2024-05-17-first-10000.xlsx`` for a list cut short."""
    day = utcnow().date().isoformat()
    return f"experts-{day}{f'-first-{cut_at}' if cut_at else ''}.{extension}"


def _download(
    session: Session,
    viewer: Viewer,
    filters: ExpertFilters,
    extension: Literal["xlsx", "csv"],
    index: IndexDep,
    reranking: RerankingDep,
) -> Response:
    _check_may_export(viewer)
    # The list's own search: the same experts in the same order as its pages.
    found = list_experts(
        index, viewer, filters, page=1, per_page=MAX_EXPORT_ROWS, with_facets=False, reranking=reranking
    )
    export = export_experts(session, found.ids, viewer)
    cut_at = MAX_EXPORT_ROWS if found.total > MAX_EXPORT_ROWS else None
    if extension == "xlsx":
        binary = io.BytesIO()
        count = write_xlsx(export.columns, iter(export.rows), binary)
        content = binary.getvalue()
    else:
        text = io.StringIO()
        # The byte order mark tells Excel the file is UTF-8 (without it, Cyrillic and Chinese come
        # out garbled); the import reads it (ingest/tables.py).
        text.write("\ufeff")
        count = write_csv(export.columns, iter(export.rows), text)
        content = text.getvalue().encode("utf-8")
    details: dict[str, object] = {
        "rows": count,
        "format": extension,
        "filters": _parameters(filters),
    }
    if cut_at:
        details["cut_at"] = cut_at
    if export.left_out:
        details["columns_left_out"] = list(export.left_out)
    write_changes(session, viewer.actor, [Change("export", "expert", None, details)])
    # Contact data leaves the registry in the file: audited per expert, as on the pages and the API.
    record_contact_views(session, viewer, export.shown)
    session.commit()
    name = file_name(extension, cut_at)
    return Response(
        content,
        media_type=MEDIA_TYPES[extension],
        # The name is ASCII; filename* is there for clients that prefer it.
        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"},
    )


@router.get("/experts/export.xlsx")
def export_xlsx(
    session: SessionDep, viewer: ViewerDep, index: IndexDep, reranking: RerankingDep, filters: ListFiltersDep
) -> Response:
    """The experts the list shows for these filters, as an XLSX workbook in the import's columns."""
    return _download(session, viewer, filters, "xlsx", index, reranking)


@router.get("/experts/export.csv")
def export_csv(
    session: SessionDep, viewer: ViewerDep, index: IndexDep, reranking: RerankingDep, filters: ListFiltersDep
) -> Response:
    """The experts the list shows for these filters, as UTF-8 CSV in the import's columns."""
    return _download(session, viewer, filters, "csv", index, reranking)

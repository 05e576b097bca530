"""The name lookup page: paste or upload a delegation list, see who is in the registry."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from expertbridge.ingest.name_queries import read_name_queries
from expertbridge.ingest.report import InputFileError
from expertbridge.registry.experts import read_experts
from expertbridge.search.names import find_by_name
from expertbridge.web.auth import check_csrf
from expertbridge.web.deps import IndexDep, SessionDep, ViewerDep
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/names", response_class=HTMLResponse)
def names_form(request: Request) -> HTMLResponse:
    """The form: a text box and a file field."""
    return render(request, "names.html", results=None, error=None, text="", top=3)


@router.post("/names", response_model=None)
async def names_lookup(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    index: IndexDep,
    text: Annotated[str, Form(max_length=200_000)] = "",
    top: Annotated[int, Form(ge=1, le=10)] = 3,
    output: Annotated[str, Form(max_length=8)] = "html",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Look up every name of the list; answer with a page, or CSV when asked."""
    limit = request.app.state.settings.max_upload_bytes
    data = text.encode("utf-8")
    source = "the text box"
    if file is not None and file.filename:
        data = await file.read(limit + 1)
        source = file.filename
        if len(data) > limit:
            raise HTTPException(413)
    try:
        queries = read_name_queries(data, source)
    except InputFileError as error:
        return render(
            request, "names.html", status_code=422, results=None, error=str(error), text=text, top=top
        )
    results = [(query_id, name, find_by_name(index, name, viewer, top=top)) for query_id, name in queries]
    records = read_experts(session, [m.expert_id for _, _, matches in results for m in matches])
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["query_id", "rank", "expert_id", "score", "explanation"])
        for query_id, _name, matches in results:
            for rank, match in enumerate(matches, start=1):
                record = records.get(match.expert_id)
                expert_id = (record.external_id if record else None) or str(match.expert_id)
                writer.writerow([query_id, rank, expert_id, f"{match.score:.4f}", match.explanation])
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="name-lookup.csv"'},
        )
    return render(request, "names.html", results=results, records=records, error=None, text=text, top=top)

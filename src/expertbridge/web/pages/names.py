"""The name lookup page: paste or upload a delegation list, see who is in the registry."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from expertbridge.ingest.name_list import NameList, read_name_list
from expertbridge.ingest.report import InputFileError
from expertbridge.messages import Message
from expertbridge.registry.experts import read_experts
from expertbridge.registry.problems import N_
from expertbridge.search.experts import NAME_MATCH_FLOOR
from expertbridge.search.names import NameMatch, find_by_name
from expertbridge.web.auth import check_csrf
from expertbridge.web.deps import IndexDep, SessionDep, ViewerDep
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text
from expertbridge.web.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

# The score from which the experts search counts what was typed in its box as a person's name: a
# list of names is looked up to say who is who, so a weaker candidate is shown as a possible one
# only (the lower floor of a ?name= filter narrows a list, it does not say two names are one person).
CONFIDENT_SCORE = NAME_MATCH_FLOOR


@dataclass(frozen=True)
class ListedName:
    """A row of the list as the page shows it: the matches that count as one, the weaker
    candidates, or why the row was not looked up (in the page's language)."""

    row: int
    name: str
    matches: list[NameMatch]
    possible: list[NameMatch]
    not_looked_up: str = ""


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
    translator = Translator(request.state.language)
    limit = request.app.state.settings.max_upload_bytes
    data = text.encode("utf-8")
    source: str | Message = Message(N_("the text box"))
    if file is not None and file.filename:
        data = await file.read(limit + 1)
        source = file.filename
        if len(data) > limit:
            raise HTTPException(413)
    elif not text.strip():
        problem = translator.gettext(N_("Type or paste the names, one per line, or choose a file."))
        return render(request, "names.html", status_code=422, results=None, error=problem, text=text, top=top)
    try:
        names = read_name_list(data, source)
    except InputFileError as error:
        return render(
            request,
            "names.html",
            status_code=422,
            results=None,
            error=message_text(translator, error.note),
            text=text,
            top=top,
        )
    found = {query.row: find_by_name(index, query.name, viewer, top=top) for query in names.queries}
    records = read_experts(session, [m.expert_id for matches in found.values() for m in matches])
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["query_id", "rank", "expert_id", "score", "explanation"])
        for query in names.queries:
            for rank, match in enumerate(found[query.row], start=1):
                record = records.get(match.expert_id)
                expert_id = (record.external_id if record else None) or str(match.expert_id)
                writer.writerow([query.query_id, rank, expert_id, f"{match.score:.4f}", match.explanation])
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="name-lookup.csv"'},
        )
    return render(
        request,
        "names.html",
        results=listed_names(names, found, translator),
        names=names,
        confident_score=CONFIDENT_SCORE,
        error=None,
        text=text,
        top=top,
    )


def listed_names(
    names: NameList, found: dict[int, list[NameMatch]], translator: Translator
) -> list[ListedName]:
    """Every row of the list in its order, looked up or not: the matches of a looked-up row split
    at :data:`CONFIDENT_SCORE` into matches and possible ones."""
    rows = [
        ListedName(
            query.row,
            query.name,
            [match for match in found[query.row] if match.score >= CONFIDENT_SCORE],
            [match for match in found[query.row] if match.score < CONFIDENT_SCORE],
        )
        for query in names.queries
    ]
    rows += [
        ListedName(skipped.row, skipped.name, [], [], message_text(translator, skipped.reason))
        for skipped in names.skipped
    ]
    return sorted(rows, key=lambda listed: listed.row)

"""`expertbridge names …`: bulk lookup of delegation lists and cross-script duplicates."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from expertbridge.ingest.name_list import NameList, read_name_list
from expertbridge.ingest.report import InputFileError
from expertbridge.outputs import cannot_write, open_atomically, require_writable

names_app = typer.Typer(help="Find people by names written in any script.", no_args_is_help=True)


LOOKUP_HELP = (
    "Look up each name of a list (a delegation list, say) in the registry, in any script.\n\n"
    "Writes CSV query_id,rank,expert_id,score,explanation; expert_id is the import id when set.\n\n"
    "FILE is a table (CSV or XLSX) with a column of names headed name, ФИО, 姓名, Full name… (title rows "
    "above the header are skipped) and optionally query_id (else the row number), or text with one name "
    "per line.\n\n"
    "A name without a match has no rows in the CSV. Rows that are not looked up (an empty name, a name "
    "with no letters, a total or a note) and query ids that several rows share are listed on standard "
    "error with their row numbers, followed by a count of the names looked up, with and without matches."
)


@names_app.command("lookup", help=LOOKUP_HELP)
def lookup(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX with a column of names (and query_id), or one name per line")
    ],
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="matches per name")] = 5,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV to write (default: standard output)")
    ] = None,
) -> None:
    # The help is LOOKUP_HELP (single-line paragraphs, so that any terminal wraps them).
    from expertbridge.cli import _database, _update_index, fail
    from expertbridge.registry.experts import read_experts
    from expertbridge.registry.visibility import OPERATOR
    from expertbridge.search.names import find_by_name
    from expertbridge.search.service import open_index
    from expertbridge.settings import load_settings

    if file.is_dir():
        raise fail(
            f"{file}: is a folder, expected a file: a CSV or XLSX file with a column of names, or a text "
            "file with one name per line"
        )
    if not file.is_file():
        raise fail(f"{file}: no such file")
    if output:
        require_writable(output, "--output")
    try:
        names = read_name_list(file.read_bytes(), file.name)
    except InputFileError as error:
        raise fail(str(error)) from None
    _print_left_out(names, file.name)
    with _database() as (_engine, factory):
        _update_index(factory)
        index = open_index(load_settings())
        results = [
            (query.query_id, find_by_name(index, query.name, OPERATOR, top=top)) for query in names.queries
        ]
        with factory() as session:
            records = read_experts(session, [m.expert_id for _, matches in results for m in matches])
    rows: list[list[str]] = [["query_id", "rank", "expert_id", "score", "explanation"]]
    for query_id, matches in results:
        for rank, match in enumerate(matches, start=1):
            record = records.get(match.expert_id)
            expert_id = (record.external_id if record else None) or str(match.expert_id)
            rows.append([query_id, str(rank), expert_id, f"{match.score:.4f}", match.explanation])
    if output is None:
        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
    else:
        try:
            with open_atomically(output) as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
        except OSError as error:
            raise fail(f"--output: {cannot_write(error, output)}; nothing was written") from None
    _print_summary(names, sum(1 for _, matches in results if matches), output)


def _print_left_out(names: NameList, source: str) -> None:
    """The rows that are not looked up and the query ids that several rows share, on standard error."""
    from expertbridge.cli import MAX_ISSUES_SHOWN, err

    for skipped in names.skipped[:MAX_ISSUES_SHOWN]:
        query_id = f", query_id {skipped.query_id}" if names.unit == "row" else ""
        err.print(
            f"{source}, {names.unit} {skipped.row}{query_id}: not looked up: {skipped.reason}", markup=False
        )
    if len(names.skipped) > MAX_ISSUES_SHOWN:
        err.print(f"... and {len(names.skipped) - MAX_ISSUES_SHOWN} more {names.unit}s not looked up")
    for repeated in names.repeated[:MAX_ISSUES_SHOWN]:
        rows = ", ".join(str(row) for row in repeated.rows[:-1]) + f" and {repeated.rows[-1]}"
        err.print(
            f"{source}, {names.unit}s {rows}: the same query_id {repeated.query_id}; their matches "
            "cannot be told apart in the output: give each row its own query_id",
            markup=False,
        )
    if len(names.repeated) > MAX_ISSUES_SHOWN:
        err.print(f"... and {len(names.repeated) - MAX_ISSUES_SHOWN} more repeated query ids")


def _print_summary(names: NameList, matched: int, output: Path | None) -> None:
    """How many names were looked up, found and not looked up, on standard error (the CSV is on stdout)."""
    from expertbridge.cli import err

    looked_up = len(names.queries)
    summary = (
        f"{looked_up} {'name' if looked_up == 1 else 'names'} looked up: {matched} with matches, "
        f"{looked_up - matched} without"
    )
    if names.skipped:
        count = len(names.skipped)
        summary += f"; {count} {names.unit}{'' if count == 1 else 's'} not looked up (listed above)"
    if names.repeated:
        count = len(names.repeated)
        summary += f"; {count} repeated query {'id' if count == 1 else 'ids'}"
    err.print(summary + (f"; written to {output}" if output else ""), markup=False)


@names_app.command("duplicates")
def duplicates(
    min_score: Annotated[float, typer.Option(min=0.5, max=1.0, help="smallest score to report")] = 0.9,
) -> None:
    """List pairs of experts that are probably the same person, across scripts (CSV)."""
    from sqlalchemy import select

    from expertbridge.cli import _database, _update_index
    from expertbridge.db.models import Expert
    from expertbridge.registry.experts import read_experts
    from expertbridge.registry.visibility import OPERATOR
    from expertbridge.search.names import find_by_name
    from expertbridge.search.service import open_index
    from expertbridge.settings import load_settings

    with _database() as (_engine, factory):
        # The header only once the database opened: an error leaves standard output empty.
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["expert_id", "other_expert_id", "score", "explanation"])
        _update_index(factory)
        index = open_index(load_settings())
        with factory() as session:
            references = {
                expert_id: external_id or str(expert_id)
                for expert_id, external_id in session.execute(
                    select(Expert.id, Expert.external_id).order_by(Expert.id)
                )
            }
            ids = list(references)
            seen: set[tuple[int, int]] = set()
            for start in range(0, len(ids), 500):
                records = read_experts(session, ids[start : start + 500])
                for expert_id, record in records.items():
                    for name in record.names:
                        for match in find_by_name(index, name.text, OPERATOR, top=5):
                            pair = (min(expert_id, match.expert_id), max(expert_id, match.expert_id))
                            if match.expert_id == expert_id or match.score < min_score or pair in seen:
                                continue
                            seen.add(pair)
                            row = [references[expert_id], references.get(match.expert_id, match.expert_id)]
                            writer.writerow([*row, f"{match.score:.4f}", match.explanation])

"""`expertbridge names …`: bulk lookup of delegation lists and cross-script duplicates."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from expertbridge.ingest.name_queries import read_name_queries
from expertbridge.ingest.report import InputFileError

names_app = typer.Typer(help="Find people by names written in any script.", no_args_is_help=True)


@names_app.command("lookup")
def lookup(
    file: Annotated[Path, typer.Argument(help="CSV with columns query_id,name, or one name per line")],
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="matches per name")] = 5,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV to write (default: standard output)")
    ] = None,
) -> None:
    """Look up each name of a list (a delegation list, say) in the registry, in any script.

    Writes CSV query_id,rank,expert_id,score,explanation; expert_id is the import id when set.
    """
    from expertbridge.cli import _database, _update_index, fail
    from expertbridge.registry.experts import read_experts
    from expertbridge.registry.visibility import OPERATOR
    from expertbridge.search.names import find_by_name
    from expertbridge.search.service import open_index
    from expertbridge.settings import load_settings

    if not file.is_file():
        raise fail(f"{file}: no such file")
    try:
        queries = read_name_queries(file.read_bytes(), file.name)
    except InputFileError as error:
        raise fail(str(error)) from None
    with _database() as (_engine, factory):
        _update_index(factory)
        index = open_index(load_settings())
        results = [(query_id, find_by_name(index, name, OPERATOR, top=top)) for query_id, name in queries]
        with factory() as session:
            records = read_experts(session, [m.expert_id for _, matches in results for m in matches])
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["query_id", "rank", "expert_id", "score", "explanation"])
        for query_id, matches in results:
            for rank, match in enumerate(matches, start=1):
                record = records.get(match.expert_id)
                expert_id = (record.external_id if record else None) or str(match.expert_id)
                writer.writerow([query_id, rank, expert_id, f"{match.score:.4f}", match.explanation])
    finally:
        if output:
            handle.close()


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

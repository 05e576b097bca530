"""`expertbridge affinity`: reviewer–submission scores from OpenReview expertise files.

Parsing and printing only: the files are read by ``ingest.openreview`` and the scores come from
``matching.affinity``, the same ranking that matches experts to opportunities.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Annotated

import typer

from expertbridge.ingest.report import InputFileError


def affinity(
    archives: Annotated[
        Path,
        typer.Option("--archives", help="folder with one <reviewer id>.jsonl of publications per reviewer"),
    ],
    submissions: Annotated[
        Path,
        typer.Option("--submissions", help="JSON object of submission id → {content: {title, abstract}}"),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="CSV to write: submission_id,reviewer_id,score")
    ],
) -> None:
    """Score every reviewer against every submission, in any mix of Russian, Chinese and English.

    Reads the OpenReview expertise format and writes one row per pair, without a header, as the
    OpenReview matcher reads it (and `expertbridge assign --scores` too; swap the first two
    columns' roles there: entries are submissions, experts are reviewers).  Scores are in [0, 1].
    """
    from expertbridge.cli import err, fail, out
    from expertbridge.ingest.openreview import read_archives, read_submissions
    from expertbridge.matching.affinity import affinities

    started = time.perf_counter()
    try:
        reviewers = read_archives(archives)
        papers = read_submissions(submissions)
    except InputFileError as error:
        raise fail(str(error)) from None
    if not papers:
        raise fail(f"{submissions}: no submissions")
    temporary = output.with_name(output.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            rows = 0
            for row in affinities(reviewers, papers):
                writer.writerow(row)
                rows += 1
        temporary.replace(output)  # a reader never sees half a file
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise fail(f"{output}: cannot write ({error.strerror})") from None
    empty = [reviewer for reviewer, items in reviewers.items() if not any(paper.text for paper in items)]
    if empty:
        err.print(f"note: {len(empty)} reviewers have no titles or abstracts and score 0 (e.g. {empty[0]})")
    out.print(
        f"{rows:,} scores for {len(papers):,} submissions × {len(reviewers):,} reviewers "
        f"in {time.perf_counter() - started:.1f} s → {output}"
    )

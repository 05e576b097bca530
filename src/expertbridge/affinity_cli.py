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
from expertbridge.outputs import cannot_write, open_atomically, require_writable


def _count(number: int, noun: str) -> str:
    """``1 reviewer``, ``2,400 reviewers``."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


AFFINITY_HELP = (
    "Score every reviewer against every submission, in any mix of Russian, Chinese and English.\n\n"
    "Reads the OpenReview expertise format and writes one CSV row per (submission, reviewer) pair, "
    "submission_id,reviewer_id,score, with no header line and scores between 0 and 1: the file "
    "OpenReview's matcher reads.\n\n"
    "--archives: a folder with one <reviewer id>.jsonl file per reviewer, one publication per line:\n\n"
    '  {"content": {"title": "...", "abstract": "..."}}\n\n'
    "--submissions: one JSON object of submission id → note, or JSON Lines with one note per line:\n\n"
    '  {"S1": {"content": {"title": "...", "abstract": "..."}}, "S2": ...}\n'
    '  {"id": "S1", "content": {"title": "...", "abstract": "..."}}\n\n'
    'A title or abstract may be plain text or {"value": "..."} (OpenReview API 2).\n\n'
    "The output can be given to `expertbridge assign --scores`, which reads its columns as "
    "entry_id,expert_id,score: the submissions become the entries, the reviewers the experts."
)
"""Help of ``expertbridge affinity`` (paragraphs are single lines, so that any terminal wraps them)."""


def affinity(
    archives: Annotated[
        Path,
        typer.Option(
            "--archives",
            metavar="DIR",
            show_default=False,
            help="folder with one <reviewer id>.jsonl file of publications per reviewer",
        ),
    ],
    submissions: Annotated[
        Path,
        typer.Option(
            "--submissions",
            metavar="FILE",
            show_default=False,
            help="JSON object of submission id → {content: {title, abstract}}, or JSON Lines of "
            "{id, content}",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help="CSV to write: submission_id,reviewer_id,score (no header)",
        ),
    ],
) -> None:
    """Score every reviewer against every submission, in any mix of Russian, Chinese and English."""
    from expertbridge.cli import err, fail, out
    from expertbridge.ingest.openreview import SUBMISSIONS_EXPECTED, read_archives, read_submissions
    from expertbridge.matching.affinity import affinities

    require_writable(output, "--output")
    started = time.perf_counter()
    try:
        reviewers = read_archives(archives)
        papers = read_submissions(submissions)
    except InputFileError as error:
        raise fail(str(error)) from None
    if not papers:
        raise fail(f"{submissions}: no submissions in the file; {SUBMISSIONS_EXPECTED}")
    try:
        with open_atomically(output) as file:  # a reader never sees half a file
            writer = csv.writer(file, lineterminator="\n")
            rows = 0
            for row in affinities(reviewers, papers):
                writer.writerow(row)
                rows += 1
    except OSError as error:
        raise fail(f"--output: {cannot_write(error, output)}; nothing was written") from None
    empty = [reviewer for reviewer, items in reviewers.items() if not any(paper.text for paper in items)]
    if empty:
        verb = "has" if len(empty) == 1 else "have"
        err.print(
            f"note: {_count(len(empty), 'reviewer')} {verb} no titles or abstracts and score 0 "
            f"(e.g. {empty[0]})"
        )
    out.print(
        f"{_count(rows, 'score')} for {_count(len(papers), 'submission')} × "
        f"{_count(len(reviewers), 'reviewer')} in {time.perf_counter() - started:.1f} s → {output}"
    )

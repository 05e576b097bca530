"""Validate expert rows in worker processes while this one writes.

Validation (parsing names, languages, sectors; generating transliterations; hashing) and writing
each take about half of an import's time, so on a machine with two cores they overlap.  The reader
hands chunks of raw cells to WORKERS processes and writes each validated chunk while the next ones
are checked; the table rows are built by the writer (building them in the workers as well made the
workers the bottleneck).  Chunks come back in file order, each with the cells it was made from (a row
that updates a stored profile is completed with the stored values of the columns it does not have,
see ``ingest/partial.py``), so reports and duplicate checks are the same as in a single process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.experts import ExpertRowReader
from expertbridge.ingest.partial import given_columns, row_fingerprint
from expertbridge.ingest.report import Issue
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.taxonomy import load_taxonomy

IN_FLIGHT = 4
WORKERS = 2


@dataclass(frozen=True)
class CheckedRow:
    """One row after validation: its record and fingerprint (of the record and the columns the row
    sets, see :func:`row_fingerprint`), or its issues."""

    number: int
    raw_id: str | None
    record: ExpertRecord | None
    fingerprint: str | None
    issues: list[Issue]


def check_chunk(chunk: list[RowCells], default_status: str) -> list[CheckedRow]:
    """Validate a chunk of rows (runs in the worker process, or inline)."""
    reader = ExpertRowReader(load_taxonomy(), default_status=default_status)
    checked = []
    for cells in chunk:
        record = reader.read(cells)
        checked.append(
            CheckedRow(
                number=cells.number,
                raw_id=cells.cells.get("id") or None,
                record=record,
                fingerprint=row_fingerprint(record, given_columns(cells.cells))
                if record is not None
                else None,
                issues=cells.issues,
            )
        )
    return checked


def can_overlap() -> bool:
    """Whether a worker process would run on a core of its own."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def checked_chunks(
    chunks: Iterator[list[RowCells]], default_status: str, *, overlap: bool
) -> Iterator[list[tuple[RowCells, CheckedRow]]]:
    """Validated chunks in input order, each row with its cells; in a worker process when ``overlap``."""
    if not overlap:
        for chunk in chunks:
            yield list(zip(chunk, check_chunk(chunk, default_status), strict=True))
        return
    # fork: the worker inherits the loaded taxonomy and modules instead of importing them again.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as pool:
        pending: deque[tuple[list[RowCells], Future[list[CheckedRow]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(check_chunk, chunk, default_status)))
            if len(pending) >= IN_FLIGHT:
                yield _paired(*pending.popleft())
        while pending:
            yield _paired(*pending.popleft())


def _paired(chunk: list[RowCells], checked: Future[list[CheckedRow]]) -> list[tuple[RowCells, CheckedRow]]:
    return list(zip(chunk, checked.result(), strict=True))

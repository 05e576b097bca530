"""Decide what each valid expert row of an import does: create, update, change nothing, or be skipped.

A row whose import id is in the registry updates that profile: the columns the row does not have
keep their stored values (``ingest/partial.py``), and a row that then changes nothing is counted
unchanged.  A row for an expert who withdrew consent is skipped with a notice: a withdrawal stops
the processing of their data (152-FZ art. 9 § 2, PIPL art. 15), so no file may update the profile,
let alone show it again; the expert may give consent again, or ask for erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.experts import ExpertRowReader
from expertbridge.ingest.partial import expert_cells_over, same_expert
from expertbridge.ingest.pipeline import CheckedRow
from expertbridge.ingest.report import Issue
from expertbridge.registry.consent import withdrawn_consents
from expertbridge.registry.experts import StoredExpert, read_experts, stored_experts
from expertbridge.registry.records import ExpertRecord


@dataclass
class ExpertBatch:
    """What a batch of valid rows does: the records to write and what became of the others."""

    records: list[ExpertRecord] = field(default_factory=list)
    existing_ids: list[int | None] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    unchanged: int = 0
    # Unchanged rows whose fingerprint differs from the stored one: storing theirs lets the next
    # import of the same rows skip them without reading the profiles.
    refreshed: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def write(self, record: ExpertRecord, existing_id: int | None, fingerprint: str) -> None:
        """Have ``record`` written (as a new profile when ``existing_id`` is None)."""
        self.records.append(record)
        self.existing_ids.append(existing_id)
        self.fingerprints.append(fingerprint)

    @property
    def invalid_rows(self) -> int:
        """How many rows turned out invalid once completed with the stored values."""
        return len({issue.row for issue in self.issues})


@dataclass(frozen=True)
class _Update:
    cells: RowCells
    row: CheckedRow
    stored: StoredExpert


def plan_batch(
    session: Session, rows: Sequence[tuple[RowCells, CheckedRow]], reader: ExpertRowReader
) -> ExpertBatch:
    """What the valid ``rows`` (cells, validated row) do to the registry; writes nothing."""
    batch = ExpertBatch()
    stored = stored_experts(session, [external_id for _, row in rows if (external_id := _external_id(row))])
    withdrawn = withdrawn_consents(session, [expert.expert_id for expert in stored.values()])
    updates: list[_Update] = []
    for cells, row in rows:
        assert row.record is not None and row.fingerprint is not None
        found = stored.get(_external_id(row) or "")
        if found is None:
            batch.write(row.record, None, row.fingerprint)
        elif found.expert_id in withdrawn:
            _skip_withdrawn(batch, cells.number, _external_id(row) or "", withdrawn[found.expert_id])
        elif found.fingerprint == row.fingerprint:
            batch.unchanged += 1
        else:
            updates.append(_Update(cells, row, found))
    _plan_updates(session, batch, updates, reader)
    return batch


def _external_id(row: CheckedRow) -> str | None:
    return row.record.external_id if row.record is not None else None


def _skip_withdrawn(batch: ExpertBatch, number: int, external_id: str, when: dt.datetime | None) -> None:
    on = f" on {when.date().isoformat()}" if when else ""
    batch.skipped += 1
    batch.warnings.append(
        f"row {number}: {external_id} withdrew consent to the processing of their data{on}; the row was "
        "skipped and the profile stays hidden. Remove the row; only the expert can give consent again"
    )


def _plan_updates(
    session: Session, batch: ExpertBatch, updates: list[_Update], reader: ExpertRowReader
) -> None:
    """Complete each updating row with the stored values of the columns it does not have."""
    if not updates:
        return
    current = read_experts(session, [update.stored.expert_id for update in updates])
    for update in updates:
        expert_id = update.stored.expert_id
        stored = current[expert_id]
        cells = RowCells(update.cells.number, expert_cells_over(stored, update.cells.cells))
        record = reader.read(cells)
        fingerprint = update.row.fingerprint
        assert fingerprint is not None
        if record is None:
            batch.issues.extend(cells.issues)
        elif same_expert(record, stored):
            batch.unchanged += 1
            batch.refreshed.append((expert_id, fingerprint))
        else:
            batch.write(record, expert_id, fingerprint)

"""Decide what each valid expert row of an import does: create, update, change nothing, or be skipped.

A row that finds a stored expert (by its id, else its ORCID iD or e-mail: ``ingest/identify.py``)
updates that profile: the columns the row does not have keep their stored values
(``ingest/partial.py``), and a row that then changes nothing is counted unchanged.  A row for an
expert who withdrew consent is skipped with a notice: a withdrawal stops the processing of their data
(152-FZ art. 9 § 2, PIPL art. 15), so no file may update the profile, let alone show it again; the
expert may give consent again, or ask for erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.experts import ExpertRowReader, expert_row, registry_reference
from expertbridge.ingest.identify import identify
from expertbridge.ingest.partial import expert_cells_over, same_expert
from expertbridge.ingest.pipeline import CheckedRow
from expertbridge.ingest.report import Issue
from expertbridge.messages import Message
from expertbridge.registry.consent import withdrawn_consents
from expertbridge.registry.experts import StoredExpert, read_experts
from expertbridge.registry.problems import N_
from expertbridge.registry.records import ExpertRecord


@dataclass
class ExpertBatch:
    """What a batch of valid rows does: the records to write and what became of the others."""

    records: list[ExpertRecord] = field(default_factory=list)
    existing_ids: list[int | None] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    unchanged: int = 0
    # The rows counted in ``unchanged``, by number.
    unchanged_rows: list[int] = field(default_factory=list)
    # Unchanged rows whose fingerprint differs from the stored one: storing theirs lets the next
    # import of the same rows skip them without reading the profiles.
    refreshed: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str | Message] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # What each updating row changes, for a dry run to show (see _change).
    changes: list[Message] = field(default_factory=list)
    # Registry references ("#42") to numbers this registry does not have.
    unknown_references: list[str] = field(default_factory=list)

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
    external_id: str | None


def plan_batch(
    session: Session, rows: Sequence[tuple[RowCells, CheckedRow]], reader: ExpertRowReader
) -> ExpertBatch:
    """What the valid ``rows`` (cells, validated row) do to the registry; writes nothing."""
    batch = ExpertBatch()
    identified = identify(session, [(cells.number, row.record) for cells, row in rows if row.record])
    batch.issues.extend(identified.issues)
    batch.unknown_references.extend(identified.unknown_references)
    targets = identified.targets
    withdrawn = withdrawn_consents(session, [t.stored.expert_id for t in targets.values() if t.stored])
    updates: list[_Update] = []
    for cells, row in rows:
        assert row.record is not None and row.fingerprint is not None
        target = targets.get(cells.number)
        if target is None:  # refused: the issue says why
            continue
        found = target.stored
        if found is None:
            batch.write(_with_id(row.record, target.external_id), None, row.fingerprint)
        elif found.expert_id in withdrawn:
            shown = found.external_id or registry_reference(found.expert_id)
            _skip_withdrawn(batch, cells.number, shown, withdrawn[found.expert_id])
        elif found.fingerprint == row.fingerprint:
            batch.unchanged += 1
            batch.unchanged_rows.append(cells.number)
        else:
            updates.append(_Update(cells, row, found, target.external_id))
    _plan_updates(session, batch, updates, reader)
    return batch


def _with_id(record: ExpertRecord, external_id: str | None) -> ExpertRecord:
    # A registry reference ("#42") is not an import id, and a matched expert keeps the one it has.
    return record if record.external_id == external_id else replace(record, external_id=external_id)


def _skip_withdrawn(batch: ExpertBatch, number: int, external_id: str, when: dt.datetime | None) -> None:
    batch.skipped += 1
    # Two sentences rather than a date spliced in: a translation places the date itself.
    if when is None:
        template = N_(
            "row %(row)s: %(expert)s withdrew consent to the processing of their data; the row was skipped "
            "and the profile stays hidden. Remove the row; only the expert can give consent again"
        )
    else:
        template = N_(
            "row %(row)s: %(expert)s withdrew consent to the processing of their data on %(date)s; the "
            "row was skipped and the profile stays hidden. Remove the row; only the expert can give "
            "consent again"
        )
    date = when.date().isoformat() if when else ""
    batch.warnings.append(Message.of(template, row=str(number), expert=external_id, date=date))


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
            continue
        record = _with_id(record, update.external_id)
        if same_expert(record, stored):
            batch.unchanged += 1
            batch.unchanged_rows.append(update.cells.number)
            batch.refreshed.append((expert_id, fingerprint))
        else:
            batch.write(record, expert_id, fingerprint)
            batch.changes.append(_change(update.cells.number, expert_id, stored, record))


def _change(number: int, expert_id: int, stored: ExpertRecord, record: ExpertRecord) -> Message:
    """``row 12, #7 Иванов Иван: would change position_title, email`` (the columns of the file).

    Each column is a value named ``column`` of a message of its own, which a page replaces by the
    column's label in its language (``Message.renamed``); the command line shows the file's names.
    """
    before, after = expert_row(stored, ""), expert_row(record, "")
    # Otherwise only what the columns do not show changes (the primary name's language, say).
    columns = [column for column in after if after[column] != before[column]] or ["name"]
    return Message.of(
        N_("row %(row)s, %(expert)s: would change %(columns)s"),
        row=str(number),
        expert=f"{registry_reference(expert_id)} {record.primary_name()}",
        columns=Message.join([Message.of("%(column)s", column=column) for column in columns], ", "),
    )

"""Export registry records as CSV, XLSX or JSON, in a stable order, so that an export re-imported
into an empty database exports to the same file."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Event, Opportunity
from expertbridge.ingest.activities import (
    EVENT_COLUMNS,
    OPPORTUNITY_COLUMNS,
    event_row,
    opportunity_row,
)
from expertbridge.ingest.experts import (
    EXPERT_COLUMNS,
    EXPERT_EXTRA_COLUMNS,
    expert_row,
    registry_reference,
)
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS, organization_row
from expertbridge.ingest.tables import protect_csv_cell, read_as_formula_in_xlsx
from expertbridge.registry.activities import read_events, read_opportunities
from expertbridge.registry.experts import iter_expert_ids, read_experts
from expertbridge.registry.organizations import iter_organization_ids, read_organizations
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.visibility import (
    OPERATOR,
    Viewer,
    contact_levels,
    expert_for,
    may_see_expert,
    visible_statuses,
)

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

EXPORT_FORMATS = ("csv", "xlsx", "json")
EXPORT_KINDS = ("experts", "organizations", "opportunities", "events")
CHUNK = 1000


def _chunks(ids: Iterator[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for identifier in ids:
        chunk.append(identifier)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows(
    session: Session,
    ids: list[int],
    read: Callable[[Session, Sequence[int]], dict[int, Any]],
    to_row: Callable[[Any, str], dict[str, str]],
    fallback_id: Callable[[int], str] = str,
) -> Iterator[dict[str, str]]:
    """The export rows of ``ids``; a record without an import id gets ``fallback_id`` of its id."""
    for chunk in _chunks(iter(ids)):
        records = read(session, chunk)
        for identifier in chunk:
            if identifier in records:
                yield to_row(records[identifier], fallback_id(identifier))


def export_rows(
    session: Session, kind: str, viewer: Viewer = OPERATOR
) -> tuple[tuple[str, ...], Iterator[dict[str, str]]]:
    """The columns and the rows of an export of ``kind``, with what ``viewer`` may see of them
    (everything for the operator)."""
    if kind == "experts":
        ids = list(iter_expert_ids(session, visible_statuses(viewer)))
        if not viewer.is_operator:
            # What the viewer may see, without the columns that hide something from them (see
            # export_experts: a re-import of the file must not clear what they could not see).
            export = export_experts(session, ids, viewer)
            return export.columns, iter(export.rows)
        # An expert without an import id is written under a registry reference ("#42"), which an
        # import of the file takes for that expert (ingest/identify.py) instead of a new import id.
        rows = _rows(session, ids, read_experts, expert_row, registry_reference)
        return EXPERT_COLUMNS + EXPERT_EXTRA_COLUMNS, rows
    if kind == "organizations":
        return ORGANIZATION_COLUMNS, _rows(
            session, list(iter_organization_ids(session)), read_organizations, organization_row
        )
    if kind == "opportunities":
        ids = list(session.scalars(select(Opportunity.id).order_by(Opportunity.id)))
        return OPPORTUNITY_COLUMNS, _rows(session, ids, read_opportunities, opportunity_row)
    if kind == "events":
        ids = list(session.scalars(select(Event.id).order_by(Event.id)))
        return EVENT_COLUMNS, _rows(session, ids, read_events, event_row)
    raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(EXPORT_KINDS)}")


@dataclass(frozen=True)
class ExpertExport:
    """The experts of a list as one viewer may see them, ready for a writer."""

    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    # Import columns left out: they hide something from the viewer on one of the rows.
    left_out: tuple[str, ...]
    # Each exported expert as the viewer sees them, with only the contact items the file holds
    # (what the audit of contact views records).
    shown: dict[int, ExpertRecord]


def export_experts(session: Session, ids: Sequence[int], viewer: Viewer) -> ExpertExport:
    """The experts ``ids`` in that order, with what ``viewer`` may see of them, in the import's
    columns; the experts the viewer may not see are left out.

    A column the viewer cannot see on one of the rows (an e-mail address its expert keeps from them,
    a private biography) is left out of the file for every row: an empty cell would read back as
    "clear this field", so a re-import of the file by anyone (an admin it was passed to) would erase
    what the viewer could not see, while a missing column keeps the stored values (ingest/partial.py).
    """
    all_columns = EXPERT_COLUMNS + EXPERT_EXTRA_COLUMNS
    rows: list[dict[str, str]] = []
    seen: dict[int, ExpertRecord] = {}
    hidden: set[str] = set()
    for chunk in _chunks(iter(ids)):
        records = read_experts(session, chunk)
        for expert_id in chunk:
            record = records.get(expert_id)
            if record is None or not may_see_expert(
                viewer, record.status, city=record.city, expert_id=expert_id
            ):
                continue
            # An expert without an import id is written under a registry reference, as above.
            reference = registry_reference(expert_id)
            seen[expert_id] = expert_for(viewer, record)
            row = expert_row(seen[expert_id], reference)
            stored = expert_row(record, reference)
            hidden.update(column for column in all_columns if row[column] != stored[column])
            rows.append(row)
    columns = tuple(column for column in all_columns if column not in hidden)
    shown = {expert_id: _with_contacts_in(record, columns) for expert_id, record in seen.items()}
    return ExpertExport(columns, rows, tuple(column for column in all_columns if column in hidden), shown)


def _with_contacts_in(record: ExpertRecord, columns: Sequence[str]) -> ExpertRecord:
    """``record`` with only the contact items of a kind that has a column in ``columns``."""
    kept = [
        (contact, level)
        for contact, level in zip(record.contacts, contact_levels(record), strict=True)
        if contact[0] in columns
    ]
    return replace(
        record,
        contacts=tuple(contact for contact, _ in kept),
        contact_levels=tuple(level for _, level in kept),
    )


def write_csv(columns: Sequence[str], rows: Iterator[dict[str, str]], out: IO[str]) -> int:
    """Write UTF-8 CSV with a header; returns the number of rows.

    A cell that a spreadsheet would run as a formula gets Excel's text mark (the import removes it).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([protect_csv_cell(row[column]) for column in columns])
        count += 1
    return count


def write_json(columns: Sequence[str], rows: Iterator[dict[str, str]], out: IO[str]) -> int:
    """Write a JSON array of objects, one per line; returns the number of rows."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps({column: row[column] for column in columns}, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def write_xlsx(columns: Sequence[str], rows: Iterator[dict[str, str]], out: IO[bytes]) -> int:
    """Write an .xlsx workbook with one sheet; returns the number of rows."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # A fixed timestamp keeps two exports of the same data alike.
    workbook.properties.created = dt.datetime(2021, 1, 1)
    sheet = workbook.create_sheet("data")
    sheet.append(list(columns))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row[column]) for column in columns])
        count += 1
    workbook.save(out)
    return count


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """``value`` as a text cell: openpyxl writes a string starting with "=" as a formula (which a
    spreadsheet runs, and which reads back empty) and "#N/A" as an error code."""
    if not read_as_formula_in_xlsx(value):
        # openpyxl keeps every other string as text, and a plain string is cheaper than a cell.
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell

"""Export registry records as CSV, XLSX or JSON, in a stable order, so that an export re-imported
into an empty database exports to the same file."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
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
from expertbridge.registry.visibility import OPERATOR, Viewer, expert_for, may_see_expert, visible_statuses

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

        def visible(session: Session, ids: Sequence[int]) -> dict[int, ExpertRecord]:
            return {
                expert_id: expert_for(viewer, record)
                for expert_id, record in read_experts(session, ids).items()
                if may_see_expert(viewer, record.status, city=record.city, expert_id=expert_id)
            }

        ids = list(iter_expert_ids(session, visible_statuses(viewer)))
        # An expert without an import id is written under a registry reference ("#42"), which an
        # import of the file takes for that expert (ingest/identify.py) instead of a new import id.
        rows = _rows(session, ids, visible, expert_row, registry_reference)
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

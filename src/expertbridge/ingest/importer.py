"""Run an import: read rows, validate them, write them in one transaction, and report.

Either every valid row is written or none is: a file with an invalid row writes nothing unless the
caller asks to skip invalid rows; ``dry_run`` validates everything and writes nothing (organizations,
opportunities and events are written and linked as the import would, then rolled back, so that a
dry run reports the problems only writing finds).  A row that updates a stored record replaces only
the columns it has (``ingest/partial.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.ingest.activities import (
    EVENT_COLUMNS,
    OPPORTUNITY_COLUMNS,
    TEXT_COLUMNS,
    read_event_row,
    read_opportunity_row,
)
from expertbridge.ingest.cells import RowCells, cell_text, comma_separated
from expertbridge.ingest.expert_updates import ExpertBatch, plan_batch
from expertbridge.ingest.experts import EXPERT_COLUMNS, EXPERT_EXTRA_COLUMNS, ExpertRowReader
from expertbridge.ingest.footers import TrailingFooter
from expertbridge.ingest.headers import (
    EVENT_HEADERS,
    EXPERT_HEADERS,
    OPPORTUNITY_HEADERS,
    ORGANIZATION_HEADERS,
    header_lookup,
    map_headers,
)
from expertbridge.ingest.identify import SamePersonRows, other_side_issues
from expertbridge.ingest.organizations import (
    ORGANIZATION_COLUMNS,
    is_ror_record,
    read_organization_row,
    read_ror_record,
)
from expertbridge.ingest.partial import organization_cells_over
from expertbridge.ingest.pipeline import CheckedRow, can_overlap, checked_chunks
from expertbridge.ingest.report import ImportReport, InputFileError, Issue, row_list
from expertbridge.ingest.tables import Row, detect_format, read_rows
from expertbridge.messages import Message
from expertbridge.registry.activities import UnknownReferenceError, write_event, write_opportunity
from expertbridge.registry.experts import ExpertWriter
from expertbridge.registry.organizations import (
    OrganizationDirectory,
    ParentRefused,
    RorIdTaken,
    link_parent,
    matching_organization,
    read_organizations,
    write_organization,
)
from expertbridge.registry.problems import N_
from expertbridge.registry.records import ExpertRecord, OrganizationRecord
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.tombstones import erased_matches
from expertbridge.text.normalize import fold

BATCH_SIZE = 1000
KINDS = ("experts", "organizations", "opportunities", "events")
# The columns that name a record of each kind: a row below the table with none of them filled may
# be a total or a note (ingest/footers.py).
NAME_COLUMNS = {
    "experts": frozenset({"name", "name_ru", "name_zh", "name_en"}),
    "organizations": frozenset({"name_ru", "name_zh", "name_en"}),
    "opportunities": frozenset(column for column in TEXT_COLUMNS if column.startswith("title_")),
    "events": frozenset(column for column in TEXT_COLUMNS if column.startswith("title_")),
}
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportOptions:
    """How an import behaves."""

    dry_run: bool = False
    skip_invalid: bool = False
    status: str = "approved"
    file_format: str | None = None
    actor: str = "cli"
    parallel: bool = True  # validate in a second process while writing (files only)
    # A coordinator's import (experts only): the canonical city of their side.  A row without a city
    # takes it; a row of another city, or one that would update an expert of another side, is
    # refused.  None (the operator, admins): every side.
    side: str | None = None


class _HeaderMapper:
    """Maps each distinct header set once (CSV rows share one; JSON objects may differ).

    What it notices along the way is said once, by :meth:`finish`: the columns it ignored (a short
    CSV row has fewer headers than the others, a JSON object other keys), and the keyword cells it
    split at their commas.
    """

    def __init__(self, aliases: dict[str, tuple[str, ...]], canonical: tuple[str, ...], report: ImportReport):
        self.lookup = header_lookup(aliases, canonical)
        self.canonical = canonical
        self.report = report
        self.cache: dict[tuple[str, ...], dict[str, str]] = {}
        self.ignored: dict[str, None] = {}  # ordered set
        self.comma_rows: list[int] = []

    def cells(self, row: Row) -> RowCells:
        keys = tuple(key for key in row.cells if key)
        mapping = self.cache.get(keys)
        if mapping is None:
            mapping, unknown, twice = map_headers(list(keys), self.lookup)
            if twice:
                raise InputFileError(
                    Message.of(N_("%(columns)s: keep one of each column"), columns="; ".join(twice))
                )
            self.ignored.update(dict.fromkeys(unknown))
            self.cache[keys] = mapping
        cells = {column: cell_text(row.cells[header]) for header, column in mapping.items()}
        if row.cells.get(""):
            cells[""] = cell_text(row.cells[""])
        expertise = next((header for header, column in mapping.items() if column == "expertise"), None)
        # Only text typed in one cell: a JSON list is a list already, its items never split again.
        if expertise is not None and isinstance(row.cells[expertise], str):
            split = comma_separated(cells["expertise"])
            if split is not None:
                cells["expertise"] = split
                self.comma_rows.append(row.number)
        return RowCells(row.number, cells)

    def column_order(self) -> tuple[str, ...]:
        """The columns in the order of the file's header (of the first row, for JSON), then the other
        columns of the kind: the order in which a person reads a row's cells."""
        in_file = [column for mapping in self.cache.values() for column in mapping.values()]
        return tuple(dict.fromkeys([*in_file, *self.canonical]))

    def names_in(self, kind: str) -> Callable[[str], bool]:
        """Whether a header of the file is one of the columns that name a record of ``kind``."""
        columns = NAME_COLUMNS[kind]
        return lambda header: self.lookup.get(fold(header)) in columns

    def finish(self) -> None:
        """Add the warnings of what the rows read so far had."""
        if self.ignored:
            self.report.warnings.append(
                Message.of(N_("ignored columns: %(columns)s"), columns=", ".join(self.ignored))
            )
        if self.comma_rows:
            self.report.warnings.append(
                Message.of(
                    N_(
                        "the expertise of rows %(rows)s has no ';' between keywords, so each cell was split "
                        "at its commas; if a keyword holds a comma itself (Cu, Zn alloys), separate the "
                        "keywords with ';', and end a lone keyword with ';'"
                    ),
                    rows=row_list(self.comma_rows),
                )
            )


def _warn_footer(footer: TrailingFooter, report: ImportReport) -> None:
    if footer.rows:
        report.warnings.append(
            Message.of(
                N_(
                    "rows %(rows)s below the table look like a total or a note (a first cell such as "
                    '"Total", "Итого" or "合计", or one cell filled) and were not imported'
                ),
                rows=row_list(footer.rows),
            )
        )


def _header_names(aliases: dict[str, tuple[str, ...]], canonical: tuple[str, ...]) -> frozenset[str]:
    return frozenset(header_lookup(aliases, canonical))


def _check_duplicate(seen: dict[str, int], external_id: str | None, cells: RowCells) -> None:
    if not external_id:
        return
    if external_id in seen:
        # A row number is a label, not an amount: as text, so that it is never grouped.
        cells.fail(
            "id", external_id, N_("the same id is already used in row %(row)s"), row=str(seen[external_id])
        )
    else:
        seen[external_id] = cells.number


class Importer:
    """Imports one file of one kind into the database behind ``factory``."""

    def __init__(
        self, factory: sessionmaker[Session], options: ImportOptions, progress: Progress | None = None
    ):
        self.factory = factory
        self.options = options
        self.progress = progress or (lambda _rows: None)
        self.taxonomy = load_taxonomy()
        self._given_rows: Iterator[Row] | None = None

    def run_rows(self, kind: str, rows: Iterable[dict[str, Any]], name: str) -> ImportReport:
        """Import records already in memory (the demo dataset) through the same validation."""
        self._given_rows = (Row(number, cells) for number, cells in enumerate(rows, start=1))
        try:
            return self.run(kind, Path(name))
        finally:
            self._given_rows = None

    def run(self, kind: str, path: Path) -> ImportReport:
        """Import ``path`` as ``kind``; raises :class:`InputFileError` for unreadable files."""
        if kind not in KINDS:
            raise InputFileError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        report = ImportReport()
        with self.factory() as session:
            transaction = session.begin()
            try:
                getattr(self, f"_{kind}")(session, path, report)
                can_write = not self.options.dry_run and (not report.issues or self.options.skip_invalid)
                if can_write:
                    transaction.commit()
                    report.written = True
                else:
                    transaction.rollback()
            except BaseException:
                transaction.rollback()
                raise
        return report

    def _rows(
        self,
        path: Path,
        aliases: dict[str, tuple[str, ...]],
        canonical: tuple[str, ...],
        collection: str,
        footer: TrailingFooter,
    ) -> Iterator[Row]:
        """The rows of the file (or those given); a spreadsheet's without the totals and notes below
        its table, which ``footer`` names once they are read."""
        if self._given_rows is not None:
            return self._given_rows
        rows = read_rows(
            path,
            file_format=self.options.file_format,
            collection=collection,
            header_names=_header_names(aliases, canonical),
        )
        if self._tabular(path):
            return footer.trimmed(rows)
        return rows

    def _tabular(self, path: Path) -> bool:
        """Whether the rows come from a spreadsheet (CSV or XLSX), which has one header for all."""
        if self._given_rows is not None:
            return False
        return (self.options.file_format or detect_format(path)) in ("csv", "xlsx")

    def _directory(self, session: Session) -> OrganizationDirectory:
        # An import is the operator's: the organizations it creates are approved, unless the
        # operator asked for vetting (--status pending).
        status = "pending" if self.options.status == "pending" else "approved"
        return OrganizationDirectory(session, status)

    def _writing(self, report: ImportReport) -> bool:
        # After the first invalid row nothing more is written (it would be rolled back anyway),
        # but validation goes on so that the report lists every problem at once.
        return not self.options.dry_run and self._would_write(report)

    def _would_write(self, report: ImportReport) -> bool:
        """Whether an import that is not a dry run would still write rows."""
        return self.options.skip_invalid or not report.issues

    def _experts(self, session: Session, path: Path, report: ImportReport) -> None:
        canonical = EXPERT_COLUMNS + EXPERT_EXTRA_COLUMNS
        mapper = _HeaderMapper(EXPERT_HEADERS, canonical, report)
        writer = ExpertWriter(session, actor=self.options.actor, directory=self._directory(session))
        seen: dict[str, int] = {}
        people = SamePersonRows()
        unknown_references: list[str] = []
        # Spreadsheets have one header for all rows, so a missing name column is a file error;
        # JSON objects may each omit keys, and a missing name is reported per record.
        from_file = self._given_rows is None
        tabular = self._tabular(path)
        footer = TrailingFooter(mapper.names_in("experts"))
        rows = self._rows(path, EXPERT_HEADERS, canonical, "experts", footer)

        def chunks() -> Iterator[list[RowCells]]:
            chunk: list[RowCells] = []
            for row in rows:
                cells = mapper.cells(row)
                if self.options.side and not cells.cells.get("city"):
                    cells.cells["city"] = self.options.side
                if tabular and not chunk and report.rows == 0:
                    _require_name_column(set(mapper.cache[next(iter(mapper.cache))].values()), row)
                report.rows += 1
                chunk.append(cells)
                if len(chunk) >= BATCH_SIZE:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        overlap = from_file and self.options.parallel and can_overlap()
        # Rows that update a stored profile are read again once completed with its stored values.
        reader = ExpertRowReader(self.taxonomy, default_status=self.options.status)
        for checked in checked_chunks(chunks(), self.options.status, overlap=overlap):
            valid = self._valid_expert_rows(session, checked, seen, people, report)
            if self.options.side:
                valid = self._own_side_rows(session, valid, self.options.side, report, reader)
            batch = plan_batch(session, valid, reader)
            report.issues.extend(batch.issues)
            report.warnings.extend(batch.warnings)
            report.changes.extend(batch.changes)
            unknown_references.extend(batch.unknown_references)
            report.valid += len(valid) - batch.invalid_rows
            report.skipped += batch.skipped
            self._flush_experts(writer, batch, report)
            self.progress(report.rows)
        mapper.finish()
        _warn_footer(footer, report)
        report.sort_issues(mapper.column_order())
        if report.rows == 0:
            raise InputFileError(
                Message.of(N_("%(file)s: the file has a header but no data rows"), file=path.name)
            )
        if unknown_references:
            shown = ", ".join(unknown_references[:5]) + (" ..." if len(unknown_references) > 5 else "")
            report.warnings.append(
                f"{len(unknown_references)} rows have a registry number this registry does not have "
                f"({shown}): an export of another registry, or experts deleted since; they were read as "
                "rows without an id (found by ORCID iD or e-mail, else new)"
            )

    def _valid_expert_rows(
        self,
        session: Session,
        checked: list[tuple[RowCells, CheckedRow]],
        seen: dict[str, int],
        people: SamePersonRows,
        report: ImportReport,
    ) -> list[tuple[RowCells, CheckedRow]]:
        """The rows without problems; the problems of the others go to the report.

        A row with the id, the ORCID iD or (see :class:`SamePersonRows`) the e-mail of an earlier row
        is refused.
        """
        valid: list[tuple[RowCells, CheckedRow]] = []
        erased = _erased_rows(session, [(row.number, row.record) for _, row in checked if row.record])
        for cells, row in checked:
            issues = list(row.issues) + erased.get(row.number, [])
            if row.raw_id:
                duplicate = RowCells(row.number, {})
                _check_duplicate(seen, row.raw_id, duplicate)
                issues.extend(duplicate.issues)
            if row.record is not None and not issues:
                issues.extend(people.check(row.number, row.record))
            if issues:
                report.issues.extend(issues)
            else:
                valid.append((cells, row))
        return valid

    def _own_side_rows(
        self,
        session: Session,
        valid: list[tuple[RowCells, CheckedRow]],
        side: str,
        report: ImportReport,
        reader: ExpertRowReader,
    ) -> list[tuple[RowCells, CheckedRow]]:
        """The rows of a coordinator's import that keep to their side; the others go to the report.

        Every row has a city by now (a row without one took the side's), so a row of another city
        names another side: it is counted unchanged when it would change nothing (a coordinator's
        download of a list with both sides' experts, imported back), and refused otherwise, since it
        would create or change another side's expert.  A row of this city may still update an expert
        of another side, and is refused then too.
        """
        own = [(cells, row) for cells, row in valid if row.record is not None and row.record.city == side]
        others = [(cells, row) for cells, row in valid if row.record is None or row.record.city != side]
        # Planned as the import would plan them, and never written: only the rows that change nothing
        # are kept (nor is the fingerprint of another side's expert stored).
        unchanged = set(plan_batch(session, others, reader).unchanged_rows) if others else set()
        report.unchanged += len(unchanged)
        report.valid += len(unchanged)
        for cells, row in others:
            if row.number in unchanged:
                continue
            refused = RowCells(row.number, {})
            refused.fail(
                "city",
                cells.cells.get("city", ""),
                N_(
                    "the expert's city is %(city)s, not %(side)s: a coordinator imports the experts of "
                    "their own side only; an admin imports the others"
                ),
                city=row.record.city if row.record is not None and row.record.city else "",
                side=side,
            )
            report.issues.extend(refused.issues)
        issues = other_side_issues(session, [(row.number, row.record) for _, row in own if row.record], side)
        report.issues.extend(issues)
        refused_rows = {issue.row for issue in issues}
        return [(cells, row) for cells, row in own if row.number not in refused_rows]

    def _flush_experts(self, writer: ExpertWriter, batch: ExpertBatch, report: ImportReport) -> None:
        if not self._writing(report):
            if self.options.dry_run:
                # What the rows would do, for the dry run's report; nothing is written.
                report.created += sum(1 for existing in batch.existing_ids if existing is None)
                report.updated += sum(1 for existing in batch.existing_ids if existing is not None)
                report.unchanged += batch.unchanged
            return
        if batch.records:
            counts = writer.write(
                batch.records, existing_ids=batch.existing_ids, fingerprints=batch.fingerprints
            )
            report.created += counts.created
            report.updated += counts.updated
            report.unchanged += counts.unchanged
            report.organizations_created += counts.organizations_created
        writer.remember_fingerprints(batch.refreshed)
        report.unchanged += batch.unchanged

    def _count(self, report: ImportReport, outcome: str) -> None:
        setattr(report, outcome, getattr(report, outcome) + 1)

    def _simple(
        self,
        session: Session,
        path: Path,
        report: ImportReport,
        *,
        aliases: dict[str, tuple[str, ...]],
        canonical: tuple[str, ...],
        collection: str,
        read: Callable[[RowCells, dict[str, Any]], Any],
        write: Callable[[Any, OrganizationDirectory], tuple[int, str]],
        after: Callable[[list[tuple[int, int, Any]], OrganizationDirectory], None] | None = None,
        prepare: Callable[[Any, RowCells, OrganizationDirectory], Any] | None = None,
    ) -> None:
        """Read, check and write one record per row.

        ``prepare`` turns a valid record into the one to write, checked against the registry (its
        problems go to the row's cells); it runs in a dry run too, so that the run reports them.

        A dry run writes the rows as the import would, and ``after`` links them, inside the run's
        transaction, which :meth:`run` rolls back: the problems only writing finds (a parent chain
        that comes back to where it starts, a participant the registry lacks) are found by the very
        code that finds them in the import, so a dry run reports what the import would.
        """
        mapper = _HeaderMapper(aliases, canonical, report)
        directory = self._directory(session)
        seen: dict[str, int] = {}
        written: list[tuple[int, int, Any]] = []  # (row number, record id, record)
        footer = TrailingFooter(mapper.names_in(collection))
        for row in self._rows(path, aliases, canonical, collection, footer):
            report.rows += 1
            cells = RowCells(row.number, {}) if is_ror_record(row.cells) else mapper.cells(row)
            record = read(cells, row.cells)
            if record is not None:
                _check_duplicate(seen, record.external_id, cells)
            if record is not None and prepare is not None and not cells.issues:
                record = prepare(record, cells, directory)
            if cells.issues:
                report.issues.extend(cells.issues)
                continue
            report.valid += 1
            # Not _writing(): a dry run writes too, and run() rolls it back.
            if self._would_write(report):
                try:
                    with session.begin_nested():
                        identifier, outcome = write(record, directory)
                except UnknownReferenceError as error:
                    report.issues.append(Issue(row.number, "", "", str(error)))
                    continue
                self._count(report, outcome)
                written.append((row.number, identifier, record))
            if report.rows % 100 == 0:
                self.progress(report.rows)
        mapper.finish()
        _warn_footer(footer, report)
        report.sort_issues(mapper.column_order())
        if report.rows == 0:
            raise InputFileError(f"{path.name}: the file has no data rows")
        if after and self._would_write(report):
            after(written, directory)
        self.progress(report.rows)

    def _organizations(self, session: Session, path: Path, report: ImportReport) -> None:
        actor = self.options.actor

        def read(cells: RowCells, raw: dict[str, Any]) -> Any:
            return read_ror_record(cells, raw) if is_ror_record(raw) else read_organization_row(cells)

        def prepare(record: OrganizationRecord, cells: RowCells, directory: OrganizationDirectory) -> Any:
            return _prepared_organization(session, directory, record, cells)

        def link(written: list[tuple[int, int, Any]], directory: OrganizationDirectory) -> None:
            for number, organization_id, record in written:
                if not record.parent:
                    continue
                try:
                    linked = link_parent(session, organization_id, record.parent, directory, actor=actor)
                except ParentRefused as refused:
                    # A parent that would make the organization part of itself refuses the row (and
                    # so the file, unless invalid rows are skipped).
                    cells = RowCells(number, {})
                    cells.fail("parent", record.parent, refused.message, **refused.values)
                    report.issues.extend(cells.issues)
                    continue
                if not linked:
                    report.warnings.append(
                        f"{record.parent!r}, the parent of {next(iter(record.names.values()))!r}, "
                        "is not in the registry; the link was left out"
                    )

        self._simple(
            session,
            path,
            report,
            aliases=ORGANIZATION_HEADERS,
            canonical=ORGANIZATION_COLUMNS,
            collection="organizations",
            read=read,
            write=lambda record, directory: write_organization(session, record, directory, actor=actor),
            after=link,
            prepare=prepare,
        )

    def _opportunities(self, session: Session, path: Path, report: ImportReport) -> None:
        actor = self.options.actor
        self._simple(
            session,
            path,
            report,
            aliases=OPPORTUNITY_HEADERS,
            canonical=OPPORTUNITY_COLUMNS,
            collection="opportunities",
            read=lambda cells, _raw: read_opportunity_row(cells, self.taxonomy),
            write=lambda record, directory: write_opportunity(session, record, directory, actor=actor),
        )

    def _events(self, session: Session, path: Path, report: ImportReport) -> None:
        actor = self.options.actor
        self._simple(
            session,
            path,
            report,
            aliases=EVENT_HEADERS,
            canonical=EVENT_COLUMNS,
            collection="events",
            read=lambda cells, _raw: read_event_row(cells),
            write=lambda record, directory: write_event(session, record, directory, actor=actor),
        )


def _prepared_organization(
    session: Session, directory: OrganizationDirectory, record: OrganizationRecord, cells: RowCells
) -> OrganizationRecord | None:
    """The organization to write for a row: refused (issues in ``cells``) when its ROR id is another
    organization's, completed with the stored values of the columns it does not have."""
    try:
        target = matching_organization(directory, record)
    except RorIdTaken as taken:
        cells.fail("ror_id", taken.ror_id, _ror_advice(taken))
        return None
    if target is None:
        return record
    stored = read_organizations(session, [target])[target]
    if not cells.cells:
        # A ROR record describes every field but the import id, which it does not carry.
        return replace(record, external_id=stored.external_id)
    merged = RowCells(cells.number, organization_cells_over(stored, cells.cells))
    completed = read_organization_row(merged)
    cells.issues.extend(merged.issues)
    if completed is None:
        return None
    # The registry id an export writes for an organization without an import id does not become
    # its import id; and the parent is linked only when the row names one (a stored one stays).
    external_id = stored.external_id if record.external_id == str(target) else completed.external_id
    return replace(completed, external_id=external_id, parent=record.parent)


def _ror_advice(taken: RorIdTaken) -> str:
    # Exports write an organization without an import id under its registry id, which matches it.
    identifier = taken.external_id or str(taken.organization_id)
    return f"{taken}; correct the ROR id, or use that organization's id ({identifier}) to update it"


def _erased_rows(session: Session, records: list[tuple[int, ExpertRecord]]) -> dict[int, list[Issue]]:
    """Issues for the rows that would bring back a person who asked for erasure (row → issues)."""
    issues: dict[int, list[Issue]] = {}
    for number, matches in erased_matches(session, records).items():
        cells = RowCells(number, {})
        for column, value, day in matches:
            cells.fail(
                column,
                value,
                N_("this person asked for erasure of their data on %(date)s; remove the row"),
                date=day.isoformat(),
            )
        issues[number] = cells.issues
    return issues


def _require_name_column(columns: set[str], row: Row) -> None:
    if not columns & {"name", "name_ru", "name_zh", "name_en"}:
        found = ", ".join(repr(h) for h in row.cells if h)
        raise InputFileError(
            Message.of(
                N_(
                    "no name column: the file needs at least one of name_ru, name_zh, name_en "
                    "(or ФИО / 姓名 / name); the columns found were %(columns)s"
                ),
                columns=found or Message.of(N_("none")),
            )
        )

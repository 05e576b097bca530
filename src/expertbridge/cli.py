"""The `expertbridge` command line: one command per user job; parsing and printing only."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.engine import DatabaseURLError, make_engine, session_factory
from expertbridge.ingest.report import ImportReport, InputFileError
from expertbridge.messages import Message
from expertbridge.outputs import cannot_write, open_atomically, require_writable, write_atomically
from expertbridge.registry.problems import Refused
from expertbridge.settings import SETTINGS, SettingsError, load_settings

app = typer.Typer(
    help="expertbridge: the Moscow–Beijing registry of science and technology experts.",
    epilog="Settings (database, search index, web server, e-mail ...) come from EXPERTBRIDGE_* environment "
    "variables, listed in the Configuration section of the README; the database is "
    "EXPERTBRIDGE_DATABASE_URL (default sqlite:///var/expertbridge.db). Run 'expertbridge init' once "
    "to create it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    help="Import experts, organizations, opportunities or events from a file.", no_args_is_help=True
)
app.add_typer(import_app, name="import")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
MAX_ISSUES_SHOWN = 50


_SETTING_DEFAULTS = {spec.env: spec.default for spec in SETTINGS}


class ExportKind(StrEnum):
    experts = "experts"
    organizations = "organizations"
    opportunities = "opportunities"
    events = "events"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


class Audience(StrEnum):
    everything = "everything"
    coordinators = "coordinators"
    partners = "partners"
    public = "public"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class FileFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    jsonl = "jsonl"


def fail(message: str | Message | Refused, code: int = 1) -> typer.Exit:
    """Print an error for a person and return the exit to raise.

    A :class:`Message` or a refusal of the registry is written in the English of the pages
    (:attr:`Message.text`: quantities as 2,000, ids and line numbers as written).
    """
    if isinstance(message, Refused):
        message = message.as_message()
    text = message.text if isinstance(message, Message) else message
    err.print(f"[red]error:[/red] {escape(text)}", markup=True)
    return typer.Exit(code)


def _plain_flags_and_arguments_in_help() -> None:
    """Make the help look the way Click has always shown it.

    Typer 0.29's rich help prints a type for every option, flags included (``--help <bool>``,
    ``--dry-run <bool>``), although a flag takes no value and Typer's own plain-text help leaves it
    out; and it writes a required argument as ``{query}`` in the usage line.  Flags get no type here,
    and arguments read ``QUERY`` / ``[QUERY]`` as in Click and the README.  Typer versions without
    these methods (before the rewrite) already print both that way and are left alone.
    """
    from typer import core

    option_type = getattr(core.TyperOption, "display_type_rich", None)
    if option_type is not None and not getattr(option_type, "_expertbridge", False):

        def display_type_rich(self: Any, ctx: Any) -> Any:
            return None if getattr(self, "is_flag", False) else option_type(self, ctx)

        display_type_rich._expertbridge = True  # type: ignore[attr-defined]
        setattr(core.TyperOption, "display_type_rich", display_type_rich)  # noqa: B010
    if hasattr(core.TyperArgument, "_usage_display_name"):

        def usage_display_name(self: Any) -> str:
            name = self.metavar or str(self.name).upper()
            name = name if self.required else f"[{name}]"
            return name + ("..." if self.nargs != 1 else "")

        setattr(core.TyperArgument, "_usage_display_name", usage_display_name)  # noqa: B010


_plain_flags_and_arguments_in_help()


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _not_initialised(url: URL) -> typer.Exit:
    return fail(
        f"the database at {_shown(url)} is not initialised: run 'expertbridge init' first "
        "(or check EXPERTBRIDGE_DATABASE_URL)"
    )


def _sqlite_file_missing(url: URL) -> bool:
    """Whether ``url`` names an SQLite database that does not exist yet (a missing or empty file, or
    an in-memory database): connecting would create it, so the check is made before connecting."""
    if url.get_backend_name() != "sqlite":
        return False
    if not url.database or url.database == ":memory:":
        return True
    if str(url.query.get("uri", "")).lower() in ("true", "1"):
        return False  # a file: URI; the schema check decides
    path = Path(url.database)
    return not path.is_file() or path.stat().st_size == 0


@contextmanager
def _database(*, create: bool = False) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    """An engine and session factory on the configured database, migrated to the newest schema.

    Only ``create=True`` (``expertbridge init``) creates a database.  Every other command refuses one
    without the expertbridge schema (a mistyped URL would otherwise create an empty database and answer
    from it) and never creates an SQLite file; an initialised database that is behind on migrations is
    migrated, as ``init`` would, so that an upgrade of the program needs no extra step.
    """
    from alembic.util.exc import CommandError

    from expertbridge.registry.setup import initialize

    try:
        settings = load_settings()
        try:
            url = make_url(settings.database_url)
        except ArgumentError:
            url = None  # make_engine explains it
        if url is not None and not create and _sqlite_file_missing(url):
            raise _not_initialised(url)
        engine = make_engine(settings.database_url)
    except (SettingsError, DatabaseURLError) as error:
        raise fail(str(error)) from None
    try:
        if not create and not inspect(engine).has_table("alembic_version"):
            raise _not_initialised(engine.url)
        initialize(engine)
    except OperationalError as error:
        engine.dispose()
        raise fail(f"cannot open the database: {error.orig}; check EXPERTBRIDGE_DATABASE_URL") from None
    except CommandError as error:
        engine.dispose()
        raise fail(
            f"cannot migrate the database at {_shown(engine.url)}: {error}; was it made by a newer "
            "expertbridge? Upgrade expertbridge, or check EXPERTBRIDGE_DATABASE_URL"
        ) from None
    except typer.Exit:
        engine.dispose()
        raise
    try:
        yield engine, session_factory(engine)
    finally:
        engine.dispose()


def _update_index(factory: sessionmaker[Session]) -> None:
    from expertbridge.search.service import catch_up, open_index

    updated = catch_up(factory, open_index(load_settings()), workers=os.cpu_count() or 1)
    if updated:
        err.print(f"search index: {updated} experts updated")


@app.command()
def reindex() -> None:
    """Rebuild the search index from the database (it is derived data)."""
    from expertbridge.search.service import open_index
    from expertbridge.search.sync import rebuild

    with _database() as (_engine, factory):
        count = rebuild(factory, open_index(load_settings()), workers=os.cpu_count() or 1)
    out.print(f"search index rebuilt: {count} experts")


@app.command()
def init() -> None:
    """Create the database (or migrate it to the newest schema) and load the sector taxonomy.

    The only command that creates a database; the others refuse one that is not initialised.
    """
    with _database(create=True) as (engine, _factory):
        out.print(f"database ready: {_shown(engine.url)}")


@app.command()
def demo(
    experts: Annotated[int, typer.Option(min=1, help="how many synthetic experts")] = 2400,
    seed: Annotated[int, typer.Option(help="seed of the generator")] = 2021,
) -> None:
    """Load the bundled demo dataset (skipped when it is already loaded)."""
    from expertbridge.demo.load import load_demo

    with _database() as (_engine, factory):
        result = load_demo(factory, experts=experts, seed=seed, progress=lambda m: err.print(m))
        _update_index(factory)
    if result.already_loaded:
        out.print("demo dataset already loaded; nothing to do")
        return
    for label, report in result.reports.items():
        out.print(
            f"{label}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )


def _print_report(report: ImportReport, *, dry_run: bool, skip_invalid: bool) -> None:
    for warning in report.warnings:
        err.print(f"warning: {escape(str(warning))}")
    for issue in report.issues[:MAX_ISSUES_SHOWN]:
        err.print(issue.describe())
    if len(report.issues) > MAX_ISSUES_SHOWN:
        err.print(
            f"... and {len(report.issues) - MAX_ISSUES_SHOWN} more problems (use --report FILE to see all)"
        )
    if dry_run:
        for change in report.changes[:MAX_ISSUES_SHOWN]:
            out.print(escape(change.text))
        if len(report.changes) > MAX_ISSUES_SHOWN:
            more = len(report.changes) - MAX_ISSUES_SHOWN
            out.print(f"... and {more} more rows would change a stored profile")
    summary = f"{report.rows} rows read, {report.valid} valid, {report.invalid_rows} with problems"
    if dry_run:
        out.print(f"dry run: {summary}; nothing was written")
    elif report.written:
        out.print(
            f"{summary}; {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
            + (f", {report.skipped} skipped (consent withdrawn)" if report.skipped else "")
            + (f", {report.organizations_created} new organizations" if report.organizations_created else "")
            + (f"; {report.invalid_rows} invalid rows skipped" if report.issues and skip_invalid else "")
        )
    else:
        out.print(
            f"{summary}; nothing was written. Fix the rows above, or run again with "
            "--skip-invalid to write the valid rows only"
        )


def _write_report(path: Path, report: ImportReport) -> None:
    """Write every problem of ``report`` to ``path`` (``--report``), after the summary was printed.

    The path was checked before the import; should the write still fail (a full disk), the
    operator learns that the registry was written all the same, so that nobody imports twice
    believing the first import failed.
    """
    try:
        with open_atomically(path) as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "column", "value", "problem"])
            for issue in report.issues:
                writer.writerow([issue.row, issue.column, issue.value, issue.message])
    except OSError as error:
        if report.written:
            state = (
                "the import WAS written (see the summary above); only its report is missing. To get "
                "the report without importing again, run the same command with --dry-run --report FILE"
            )
        else:
            state = "nothing was written to the registry either"
        raise fail(f"--report: {cannot_write(error, path)}; {state}") from None


def _run_import(
    kind: str,
    file: Path,
    dry_run: bool,
    skip_invalid: bool,
    status: str,
    file_format: FileFormat | None,
    report_path: Path | None,
) -> None:
    from expertbridge.ingest.importer import Importer, ImportOptions
    from expertbridge.registry.vocab import EXPERT_STATUSES

    if status not in EXPERT_STATUSES:
        raise fail(f"--status {status!r}: use one of {', '.join(EXPERT_STATUSES)}", 2)
    if report_path:
        require_writable(report_path, "--report")
    options = ImportOptions(
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        status=status,
        file_format=file_format.value if file_format else None,
    )
    with _database() as (_engine, factory):
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        with progress:
            task = progress.add_task(f"importing {kind}", total=None)
            importer = Importer(factory, options, lambda rows: progress.update(task, completed=rows))
            try:
                report = importer.run(kind, file)
            except InputFileError as error:
                raise fail(f"{error}; nothing was written") from None
        if report.written and kind == "experts":
            _update_index(factory)
    _print_report(report, dry_run=dry_run, skip_invalid=skip_invalid)
    if report_path:
        _write_report(report_path, report)
    if report.issues and not (skip_invalid and report.written):
        raise typer.Exit(1)


FileArg = Annotated[Path, typer.Argument(help="CSV, XLSX, JSON or JSON Lines file")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="validate and report; write nothing")]
SkipInvalid = Annotated[bool, typer.Option("--skip-invalid", help="write the valid rows, report the rest")]
FormatOpt = Annotated[
    FileFormat | None, typer.Option("--format", help="file format when the extension does not say")
]
ReportOpt = Annotated[Path | None, typer.Option("--report", help="write every problem to this CSV file")]


IMPORT_EXPERTS_HELP = (
    "Import experts from a file; re-importing updates them by id.\n\n"
    "Columns: id, name_ru, name_zh, name_en, organization, city, country, sectors, expertise, languages, "
    "email, phone, orcid, bio_ru, bio_zh, bio_en."
)


@import_app.command("experts", help=IMPORT_EXPERTS_HELP)
def import_experts(
    file: FileArg,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    status: Annotated[str, typer.Option(help="status of new experts (approved, pending, ...)")] = "approved",
    file_format: FormatOpt = None,
    report: ReportOpt = None,
) -> None:
    # The help is IMPORT_EXPERTS_HELP (single-line paragraphs, so that any terminal wraps them).
    _run_import("experts", file, dry_run, skip_invalid, status, file_format, report)


@import_app.command("organizations")
def import_organizations(
    file: FileArg,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    status: Annotated[
        str, typer.Option(help="status of new organizations: approved, or pending (coordinators vet them)")
    ] = "approved",
    file_format: FormatOpt = None,
    report: ReportOpt = None,
) -> None:
    """Import organizations from a spreadsheet or from ROR records (JSON or JSON Lines).

    Organizations already in the registry keep their status.
    """
    if status not in ("approved", "pending"):
        raise fail(f"--status {status!r}: use approved or pending", 2)
    _run_import("organizations", file, dry_run, skip_invalid, status, file_format, report)


@import_app.command("opportunities")
def import_opportunities(
    file: FileArg,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    file_format: FormatOpt = None,
    report: ReportOpt = None,
) -> None:
    """Import cooperation opportunities (what enterprises and projects seek or offer)."""
    _run_import("opportunities", file, dry_run, skip_invalid, "approved", file_format, report)


@import_app.command("events")
def import_events(
    file: FileArg,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    file_format: FormatOpt = None,
    report: ReportOpt = None,
) -> None:
    """Import events (roundtables, forums, delegation visits, competitions ...)."""
    _run_import("events", file, dry_run, skip_invalid, "approved", file_format, report)


def _write_export(
    columns: Sequence[str], rows: Iterator[dict[str, str]], export_format: ExportFormat, output: Path | None
) -> int:
    """Write an export to ``output`` (whole or not at all) or to standard output; returns its rows."""
    from expertbridge.ingest.export import write_csv, write_json, write_xlsx

    if export_format is ExportFormat.xlsx:
        buffer = io.BytesIO()
        count = write_xlsx(columns, rows, buffer)
        if output is None:
            sys.stdout.buffer.write(buffer.getvalue())
        else:
            write_atomically({output: buffer.getvalue()})
        return count
    writer = write_csv if export_format is ExportFormat.csv else write_json
    if output is None:
        return writer(columns, rows, sys.stdout)
    with open_atomically(output) as handle:
        return writer(columns, rows, handle)


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="what to export")],
    export_format: Annotated[ExportFormat, typer.Option("--format", help="file format")] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default: standard output)")
    ] = None,
    audience: Annotated[
        Audience,
        typer.Option(
            help="what the file may contain: everything (an operator's backup), or only what "
            "coordinators, partners or the public may see"
        ),
    ] = Audience.everything,
) -> None:
    """Export the registry (by default everything, contacts included: an operator action, audited)."""
    from expertbridge.ingest.export import export_rows
    from expertbridge.registry.visibility import OPERATOR, Viewer

    viewer = {
        Audience.everything: OPERATOR,
        Audience.coordinators: Viewer("coordinator"),
        Audience.partners: Viewer("partner"),
        Audience.public: Viewer("public"),
    }[audience]
    if export_format is ExportFormat.xlsx and output is None and sys.stdout.isatty():
        raise fail("an .xlsx workbook is binary: give --output FILE", 2)
    if output:
        require_writable(output, "--output")
    with _database() as (_engine, factory), factory() as session:
        columns, rows = export_rows(session, kind.value, viewer)
        try:
            count = _write_export(columns, rows, export_format, output)
        except OSError as error:
            if output is None:
                raise
            raise fail(f"--output: {cannot_write(error, output)}; nothing was written") from None
        if kind is ExportKind.experts:
            from expertbridge.registry.audit import Change, write_changes

            with factory() as session, session.begin():
                details = {"rows": count, "audience": audience.value}
                write_changes(session, "operator", [Change("export", "expert", None, details)])
    if output:
        err.print(f"{count} {kind.value} written to {output}")


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            show_default=False,
            help="words in any language, or a name in any script (after '--' when it starts with '-')",
        ),
    ],
    top: Annotated[int, typer.Option("--top", min=1, max=10_000, help="how many results")] = 10,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json")
    ] = OutputFormat.table,
) -> None:
    """Find experts by expertise in any of the three languages, or by a name in any script.

    A query in Chinese finds profiles written in Russian or English through the concepts they share.
    CSV columns: rank,expert_id,score,name (expert_id: the import id, else the registry number; the
    table writes that number as exports do, #2401).

    A query that starts with '-' would be read as an option: put it after '--', options before it.
    Example: expertbridge search --top 5 -- -metro
    """
    from expertbridge.registry.experts import read_experts
    from expertbridge.registry.identities import ReferencedExpert
    from expertbridge.registry.visibility import OPERATOR
    from expertbridge.search.experts import ExpertFilters, list_experts
    from expertbridge.search.semantic import SemanticModelError
    from expertbridge.search.service import open_index, open_reranker, reranking_for

    if not query.strip():
        # The search engine reads an empty query as "no filter" (the web list's first page): here it
        # would print the newest experts at score 0, as if they matched something.
        raise fail(
            "QUERY is empty: give words in any language or a name to search for; to list every expert, "
            "use 'expertbridge export experts'",
            2,
        )
    with _database() as (_engine, factory):
        _update_index(factory)
        settings = load_settings()
        index = open_index(settings)
        with factory() as session:
            try:
                reranking = reranking_for(open_reranker(settings), session, OPERATOR)
            except SemanticModelError as error:
                raise fail(str(error)) from None
            found = list_experts(
                index,
                OPERATOR,
                ExpertFilters(query=query),
                per_page=top,
                with_facets=False,
                reranking=reranking,
            )
            records = read_experts(session, found.ids)
    hits = [(expert_id, found.scores.get(expert_id, 0.0)) for expert_id in found.ids if expert_id in records]
    rows = [
        {
            "rank": rank,
            "expert_id": records[expert_id].external_id or str(expert_id),
            "score": score,
            "name": records[expert_id].primary_name(),
        }
        for rank, (expert_id, score) in enumerate(hits, start=1)
    ]
    if output_format is OutputFormat.csv:
        writer = csv.DictWriter(
            sys.stdout, fieldnames=["rank", "expert_id", "score", "name"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    elif output_format is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif not rows:
        out.print("no experts found")
    else:
        # A person reads the table: an expert without an import id is named as exports, pages and
        # import files name them (#2401), not by a bare number that reads like an import id.  CSV
        # and JSON keep the bare number their expert_id column has always held (a stable interface).
        table = Table("rank", "expert_id", "score", "name")
        for row, (expert_id, _score) in zip(rows, hits, strict=True):
            reference = ReferencedExpert(expert_id, records[expert_id].external_id).reference
            table.add_row(str(row["rank"]), reference, f"{row['score']:.3f}", str(row["name"]))
        out.print(table)


@app.command()
def stats() -> None:
    """Counts of experts by status, sector and city, and of the other records."""
    from expertbridge.registry.listing import registry_stats
    from expertbridge.registry.taxonomy import load_taxonomy
    from expertbridge.registry.visibility import OPERATOR

    with _database() as (_engine, factory), factory() as session:
        result = registry_stats(session, OPERATOR)
    taxonomy = load_taxonomy()
    out.print(
        f"experts: {result.experts}   organizations: {result.organizations}   "
        f"opportunities: {result.opportunities}   events: {result.events}"
    )
    for title, rows in (
        ("by status", result.by_status),
        ("by sector", [(f"{code} ({taxonomy.label(code, 'en')})", n) for code, n in result.by_sector]),
        ("by city", result.by_city),
    ):
        table = Table(title, "experts")
        for label, count in rows:
            table.add_row(str(label), str(count))
        out.print(table)


@app.command()
def sectors(
    language: Annotated[str, typer.Option(help="label language: ru, zh or en")] = "en",
) -> None:
    """List the sector taxonomy: codes and labels to use in the sectors column."""
    from expertbridge.registry.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    for node in taxonomy.nodes.values():
        indent = "  " if node.parent else ""
        out.print(f"{indent}{node.code}\t{taxonomy.label(node.code, language)}")


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option(
            show_default=False,
            help="address to listen on (default: EXPERTBRIDGE_HOST, else "
            f"{_SETTING_DEFAULTS['EXPERTBRIDGE_HOST']})",
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            show_default=False,
            help="port to listen on (default: EXPERTBRIDGE_PORT, else "
            f"{_SETTING_DEFAULTS['EXPERTBRIDGE_PORT']})",
        ),
    ] = None,
) -> None:
    """Serve the web app and the JSON API on the database that 'expertbridge init' created."""
    import uvicorn

    from expertbridge.web.app import create_app

    try:
        settings = load_settings()
    except SettingsError as error:
        raise fail(str(error)) from None
    from expertbridge.search.semantic import SemanticModelError

    with _database():
        pass
    try:
        web_app = create_app(settings)
    except SemanticModelError as error:
        raise fail(str(error)) from None
    # The app itself honours X-Forwarded-For from EXPERTBRIDGE_TRUSTED_PROXIES only (web/proxy.py);
    # uvicorn's own handling (which trusts 127.0.0.1 by default) would decide it a second time.
    uvicorn.run(
        web_app, host=host or settings.host, port=port or settings.port, log_level="info", proxy_headers=False
    )


def main() -> None:
    """Entry point of the `expertbridge` command."""
    app()


def _register_subcommands() -> None:
    # names_cli imports this module's helpers inside its commands, so it is added last.
    from expertbridge.accounts_cli import maintenance, users_app
    from expertbridge.affinity_cli import AFFINITY_HELP, affinity
    from expertbridge.assign_cli import ASSIGN_HELP, assign
    from expertbridge.names_cli import names_app
    from expertbridge.schedule_cli import SCHEDULE_HELP, schedule

    app.add_typer(names_app, name="names")
    app.add_typer(users_app, name="users")
    app.command("maintenance")(maintenance)
    app.command("assign", help=ASSIGN_HELP)(assign)
    app.command("schedule", help=SCHEDULE_HELP)(schedule)
    app.command("affinity", help=AFFINITY_HELP)(affinity)


_register_subcommands()

"""A dry run reports what the import would: rows whose parents loop (A→B→A, an organization naming
itself by its name, a row making an organization the parent of one above it) and events naming a
participant the registry lacks get the same problems in a dry run as in the import, and the dry run
writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Event, IndexOutbox, Organization
from expertbridge.ingest.activities import EVENT_COLUMNS
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.ingest.report import ImportReport, Issue
from tests.helpers import write_csv

ACADEMY = {"id": "academy", "name_en": "Loop Academy", "city": "Moscow", "parent": "institute"}
INSTITUTE = {"id": "institute", "name_en": "Loop Institute", "city": "Moscow", "parent": "academy"}
NUMBER = re.compile(r"\(number \d+\)")


def run(factory: sessionmaker[Session], kind: str, path: Path, **options: bool) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run(kind, path)


def problems(issues: list[Issue]) -> list[tuple[int, str, str, str]]:
    """Each problem's row, column, value and message, with the registry number of an organization
    the file adds left out: on PostgreSQL the rolled-back write of a dry run spends the numbers, so
    the import (rolled back as well, as it refuses the file) names the same organization otherwise."""
    return [
        (issue.row, issue.column, issue.value, NUMBER.sub("(number …)", issue.message)) for issue in issues
    ]


def stored(factory: sessionmaker[Session]) -> tuple[int, int, int, int]:
    """Organizations, events, audit entries and reindexing orders: what a write leaves behind."""
    with factory() as session:
        return (
            session.scalar(select(func.count()).select_from(Organization)) or 0,
            session.scalar(select(func.count()).select_from(Event)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(IndexOutbox)) or 0,
        )


def test_two_rows_naming_each_other_as_parent_get_the_same_problem_in_a_dry_run(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = write_csv(data_dir / "loop.csv", [ACADEMY, INSTITUTE], columns=ORGANIZATION_COLUMNS)
    before = stored(factory)

    dry = run(factory, "organizations", path, dry_run=True)
    assert stored(factory) == before  # the dry run wrote nothing, not even the rows it linked
    real = run(factory, "organizations", path)

    assert [(row, column, value) for row, column, value, _ in problems(real.issues)] == [
        (3, "parent", "academy")
    ]
    assert "“Loop Academy” (number " in real.issues[0].message
    assert "is part of “Loop Institute” (number " in real.issues[0].message
    assert problems(dry.issues) == problems(real.issues)
    assert dry.issues[0].template == real.issues[0].template
    assert (dry.rows, dry.valid, dry.invalid_rows) == (real.rows, real.valid, real.invalid_rows) == (2, 2, 1)
    assert not dry.written and not real.written
    assert stored(factory) == before


def test_a_row_naming_itself_by_its_name_gets_the_same_problem_in_a_dry_run(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    # Only linking finds it: the reader compares the parent with the row's ids, not its names.
    row = {"name_en": "Solo Laboratory", "city": "Beijing", "parent": "Solo Laboratory"}
    path = write_csv(data_dir / "solo.csv", [row], columns=ORGANIZATION_COLUMNS)
    dry = run(factory, "organizations", path, dry_run=True)
    assert stored(factory) == (0, 0, 0, 0)
    real = run(factory, "organizations", path)
    assert [(row, column) for row, column, _, _ in problems(dry.issues)] == [(2, "parent")]
    assert "cannot be its own parent" in dry.issues[0].message
    assert problems(dry.issues) == problems(real.issues)


def test_a_row_putting_a_stored_organization_under_its_own_unit_gets_the_same_problem_in_a_dry_run(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    chain = [
        {"id": "upper", "name_en": "Upper Academy", "city": "Moscow"},
        {"id": "lower", "name_en": "Lower Laboratory", "city": "Moscow", "parent": "upper"},
    ]
    assert run(
        factory, "organizations", write_csv(data_dir / "chain.csv", chain, columns=ORGANIZATION_COLUMNS)
    ).written
    before = stored(factory)
    path = write_csv(data_dir / "o.csv", [{**chain[0], "parent": "lower"}], columns=ORGANIZATION_COLUMNS)
    dry = run(factory, "organizations", path, dry_run=True)
    assert stored(factory) == before
    real = run(factory, "organizations", path)
    assert [(row, column, value) for row, column, value, _ in problems(dry.issues)] == [
        (2, "parent", "lower")
    ]
    assert problems(dry.issues) == problems(real.issues)
    assert stored(factory) == before


def test_a_dry_run_that_finds_no_problem_counts_what_the_import_writes(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [{**ACADEMY, "parent": ""}, INSTITUTE]
    path = write_csv(data_dir / "fine.csv", rows, columns=ORGANIZATION_COLUMNS)
    dry = run(factory, "organizations", path, dry_run=True)
    assert (dry.issues, dry.created, dry.written) == ([], 2, False)
    assert stored(factory) == (0, 0, 0, 0)
    real = run(factory, "organizations", path)
    assert (real.issues, real.created, real.written) == ([], 2, True)


def test_an_event_naming_an_expert_the_registry_lacks_gets_the_same_problem_in_a_dry_run(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    forum = {"id": "forum-1", "kind": "forum", "title_en": "Metro forum", "starts_on": "2026-06-15"}
    path = write_csv(
        data_dir / "events.csv", [{**forum, "expert_participants": "nobody-here"}], columns=EVENT_COLUMNS
    )
    dry = run(factory, "events", path, dry_run=True)
    assert stored(factory) == (0, 0, 0, 0)
    real = run(factory, "events", path)
    assert [row for row, _, _, _ in problems(real.issues)] == [2]
    assert "nobody-here" in real.issues[0].message
    assert problems(dry.issues) == problems(real.issues)
    assert stored(factory) == (0, 0, 0, 0)

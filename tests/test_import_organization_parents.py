"""A parent chain never comes back to where it starts: an import or an API change that would make an
organization its own parent, or the parent of an organization above it, is refused with a problem
naming both organizations and what to do, and nothing of it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.ingest import changes
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.ingest.report import ImportReport
from tests.helpers import write_csv

UPPER = {"id": "upper", "name_en": "Upper Academy", "city": "Moscow"}
MIDDLE = {"id": "middle", "name_en": "Middle Institute", "city": "Moscow", "parent": "upper"}
LOWER = {"id": "lower", "name_en": "Lower Laboratory", "city": "Moscow", "parent": "middle"}


def run(factory: sessionmaker[Session], path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run("organizations", path)  # type: ignore[arg-type]


def parents(factory: sessionmaker[Session]) -> dict[str, str | None]:
    """Each organization's import id → its parent's import id."""
    with factory() as session:
        ids = dict(session.execute(select(Organization.id, Organization.external_id)).tuples().all())
        rows = session.execute(select(Organization.external_id, Organization.parent_id)).tuples().all()
        return {
            external_id or "": ids.get(parent_id) if parent_id else None for external_id, parent_id in rows
        }


def registry_id(factory: sessionmaker[Session], external_id: str) -> int:
    with factory() as session:
        found = session.scalar(select(Organization.id).where(Organization.external_id == external_id))
        assert found is not None
        return found


@pytest.fixture
def chain(factory: sessionmaker[Session], data_dir: Path) -> dict[str, str | None]:
    """Upper Academy ⊃ Middle Institute ⊃ Lower Laboratory."""
    path = write_csv(data_dir / "chain.csv", [UPPER, MIDDLE, LOWER], columns=ORGANIZATION_COLUMNS)
    report = run(factory, path)
    assert (report.created, report.issues) == (3, [])
    stored = parents(factory)
    assert stored == {"upper": None, "middle": "upper", "lower": "middle"}
    return stored


def test_two_rows_naming_each_other_as_parent_are_refused(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [{**UPPER, "parent": "middle"}, MIDDLE]
    report = run(factory, write_csv(data_dir / "loop.csv", rows, columns=ORGANIZATION_COLUMNS))
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [(3, "parent", "upper")]
    message = report.issues[0].message
    assert (
        message.startswith("“Upper Academy” (number ") and "is part of “Middle Institute” (number " in message
    )
    assert message.endswith("so it cannot be its parent; correct the parent of one of the two")
    assert not report.written
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 0


def test_a_row_making_an_organization_the_parent_of_one_above_it_is_refused(
    factory: sessionmaker[Session], data_dir: Path, chain: dict[str, str | None]
) -> None:
    row = {**UPPER, "parent": "lower"}
    report = run(factory, write_csv(data_dir / "o.csv", [row], columns=ORGANIZATION_COLUMNS))
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [(2, "parent", "lower")]
    lower, upper = registry_id(factory, "lower"), registry_id(factory, "upper")
    assert report.issues[0].message == (
        f"“Lower Laboratory” (number {lower}) is part of “Upper Academy” (number {upper}), so it cannot be "
        "its parent; correct the parent of one of the two"
    )
    assert parents(factory) == chain


def test_a_row_naming_itself_as_its_parent_by_its_name_is_refused(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    row = {"name_en": "Solo Laboratory", "city": "Beijing", "parent": "Solo Laboratory"}
    report = run(factory, write_csv(data_dir / "o.csv", [row], columns=ORGANIZATION_COLUMNS))
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "parent")]
    assert report.issues[0].message.startswith("“Solo Laboratory” (number ")
    assert "cannot be its own parent; leave its parent empty" in report.issues[0].message
    assert not report.written


def test_skipping_invalid_rows_writes_the_others_and_leaves_the_refused_link_out(
    factory: sessionmaker[Session], data_dir: Path, chain: dict[str, str | None]
) -> None:
    rows = [{**UPPER, "parent": "lower"}, {"id": "side", "name_en": "Side Office", "parent": "upper"}]
    report = run(
        factory, write_csv(data_dir / "o.csv", rows, columns=ORGANIZATION_COLUMNS), skip_invalid=True
    )
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "parent")]
    assert report.written and parents(factory) == {**chain, "side": "upper"}


def test_moving_a_unit_under_another_branch_is_allowed(
    factory: sessionmaker[Session], data_dir: Path, chain: dict[str, str | None]
) -> None:
    rows = [{**LOWER, "parent": "upper"}, {**MIDDLE, "parent": "lower"}]
    report = run(factory, write_csv(data_dir / "o.csv", rows, columns=ORGANIZATION_COLUMNS))
    assert report.issues == []
    assert parents(factory) == {"upper": None, "lower": "upper", "middle": "lower"}


def test_the_api_refuses_a_loop_and_its_own_name_as_parent(
    factory: sessionmaker[Session], chain: dict[str, str | None]
) -> None:
    upper = registry_id(factory, "upper")
    with factory() as session:
        with pytest.raises(changes.ChangeRejected) as loop:
            changes.update(session, "organizations", upper, {"parent": "Lower Laboratory"}, actor="api")
        session.rollback()
        with pytest.raises(changes.ChangeRejected) as itself:
            changes.update(session, "organizations", upper, {"parent": "Upper Academy"}, actor="api")
        session.rollback()
        with pytest.raises(changes.ChangeRejected) as by_id:
            changes.create(
                session, "organizations", {"id": "new", "name_en": "New", "parent": "new"}, actor="api"
            )
    assert [(issue.column, issue.value) for issue in loop.value.issues] == [("parent", "Lower Laboratory")]
    assert "is part of “Upper Academy”" in loop.value.issues[0].message
    assert loop.value.issues[0].template.startswith("“%(parent)s” (number %(parent_id)s) is part of")
    assert [issue.column for issue in itself.value.issues] == ["parent"]
    assert "cannot be its own parent" in itself.value.issues[0].message
    assert [issue.column for issue in by_id.value.issues] == ["parent"]
    assert parents(factory) == chain

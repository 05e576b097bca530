"""Events name their participating experts as the expert export does: the import id, else the
registry reference ``#42``; an events file exported and imported again keeps its participants."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import EventParticipant
from expertbridge.ingest.activities import EVENT_COLUMNS
from expertbridge.ingest.changes import create
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport
from expertbridge.registry.activities import UnknownReferenceError, write_event
from expertbridge.registry.organizations import OrganizationDirectory
from expertbridge.registry.records import EventRecord, LocalizedText
from tests.helpers import exported, write_csv

FORUM = {"id": "forum-1", "kind": "forum", "title_en": "Metro forum", "starts_on": "2026-06-15"}


def made(factory: sessionmaker[Session], *rows: dict[str, str]) -> list[int]:
    """Experts created as the API and the web create them (without an import id unless given)."""
    with factory() as session, session.begin():
        return [create(session, "experts", {"status": "approved", **row}, actor="api") for row in rows]


def import_events(factory: sessionmaker[Session], path: Path) -> ImportReport:
    return Importer(factory, ImportOptions()).run("events", path)


def participants(factory: sessionmaker[Session]) -> list[int | None]:
    with factory() as session:
        return list(session.scalars(select(EventParticipant.expert_id).order_by(EventParticipant.position)))


def exported_rows(factory: sessionmaker[Session]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(exported(factory, "events", "csv").decode("utf-8"))))


def test_exported_events_name_experts_without_import_id_by_registry_reference_and_import_back(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    bare, other = made(
        factory, {"name_zh": "王芳", "city": "北京"}, {"name_ru": "Петров Пётр", "city": "Москва"}
    )
    # An office's own numbering: this expert's import id is the other expert's registry number.
    [numbered] = made(factory, {"id": str(bare), "name_en": "Anna Lee", "city": "Moscow"})
    # "#bare" is the registry number; plain "bare" the import id, as an import id always wins.
    listed = f"#{bare};{bare};{other}"
    report = import_events(
        factory,
        write_csv(data_dir / "events.csv", [{**FORUM, "expert_participants": listed}], columns=EVENT_COLUMNS),
    )
    assert not report.issues, report.issues
    assert participants(factory) == [bare, numbered, other]

    [row] = exported_rows(factory)
    assert row["expert_participants"] == f"#{bare};{bare};#{other}"
    row["title_en"] = "Metro forum 2026"
    report = import_events(factory, write_csv(data_dir / "again.csv", [row], columns=EVENT_COLUMNS))
    assert (report.issues, report.updated) == ([], 1)
    assert participants(factory) == [bare, numbered, other]


def test_an_events_file_exported_before_registry_references_still_imports(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    [expert_id] = made(factory, {"name_zh": "王芳", "city": "北京"})
    path = write_csv(
        data_dir / "old.csv", [{**FORUM, "expert_participants": str(expert_id)}], columns=EVENT_COLUMNS
    )
    report = import_events(factory, path)
    assert not report.issues, report.issues
    assert participants(factory) == [expert_id]
    # stored under the reference exports write now: the same file again changes nothing
    assert exported_rows(factory)[0]["expert_participants"] == f"#{expert_id}"
    assert import_events(factory, path).unchanged == 1


def test_a_registry_reference_to_a_number_the_registry_lacks_is_refused_by_name(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    [expert_id] = made(factory, {"name_zh": "王芳", "city": "北京"})
    missing = f"#{expert_id + 1000}"
    # a number beyond any record id is no expert either, on every database
    huge = "#" + "9" * 18
    row = {**FORUM, "expert_participants": f"#{expert_id};{missing};{huge}"}
    report = import_events(factory, write_csv(data_dir / "events.csv", [row], columns=EVENT_COLUMNS))
    [issue] = report.issues
    assert f"'{missing}', '{huge}'" in issue.message and "not in the registry" in issue.message
    assert "registry number" in issue.message and "import id" in issue.message
    assert participants(factory) == []


def test_all_participants_of_an_event_are_found_in_one_query(factory: sessionmaker[Session]) -> None:
    people = made(factory, *({"name_en": f"Expert Number{i}", "city": "Moscow"} for i in range(120)))
    references = tuple(f"#{expert_id}" for expert_id in people)
    record = EventRecord(
        kind="forum",
        texts={"en": LocalizedText("Big forum", "")},
        starts_on=dt.date(2026, 6, 15),
        ends_on=dt.date(2026, 6, 15),
        expert_participants=references,
    )
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with factory() as session, session.begin():
            write_event(session, record, OrganizationDirectory(session), actor="test")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len([s for s in statements if "FROM experts" in s]) == 1
    assert participants(factory) == people
    with factory() as session:
        unknown = replace(record, expert_participants=("nobody",))
        try:
            write_event(session, unknown, OrganizationDirectory(session), actor="test")
        except UnknownReferenceError as error:
            assert str(error) == "expert 'nobody' is not in the registry; import the experts first"
        else:
            raise AssertionError("an unknown reference was accepted")

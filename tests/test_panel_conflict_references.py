"""The experts a panel entry declares a conflict with are named as exports name experts: the import
id, else the registry reference ``#42`` (a plain registry number still works); what the entry list
shows reads back as the same experts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Event
from expertbridge.ingest.changes import create
from expertbridge.registry import panel_entries
from expertbridge.registry.visibility import Viewer

ADMIN = Viewer("admin", user_id=1)


def made(factory: sessionmaker[Session], *rows: dict[str, str]) -> list[int]:
    with factory() as session, session.begin():
        return [create(session, "experts", {"status": "approved", **row}, actor="api") for row in rows]


def an_event(factory: sessionmaker[Session]) -> int:
    with factory() as session, session.begin():
        event = Event(kind="competition", starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 2))
        session.add(event)
        session.flush()
        return event.id


def conflicts(
    factory: sessionmaker[Session], event_id: int
) -> dict[str, tuple[tuple[int, ...], tuple[str, ...]]]:
    with factory() as session:
        return {
            view.code: (view.conflicts, view.conflict_references)
            for view in panel_entries.entries(session, event_id).values()
        }


def test_the_form_takes_registry_references_and_shows_what_reads_back(factory: sessionmaker[Session]) -> None:
    bare, other = made(
        factory, {"name_zh": "王芳", "city": "北京"}, {"name_ru": "Петров Пётр", "city": "Москва"}
    )
    # this expert's import id is the other expert's registry number
    [numbered] = made(factory, {"id": str(bare), "name_en": "Anna Lee", "city": "Moscow"})
    event_id = an_event(factory)
    with factory() as session, session.begin():
        cells = {"id": "P-1", "title_en": "Metro signals", "conflicts": f"#{bare}; {bare}; {other}"}
        panel_entries.save_entry(session, ADMIN, event_id, cells)
    expected = tuple(sorted((bare, numbered, other)))
    declared, shown = conflicts(factory, event_id)["P-1"]
    assert declared == expected
    assert dict(zip(declared, shown, strict=True)) == {
        bare: f"#{bare}",
        numbered: str(bare),
        other: f"#{other}",
    }

    with factory() as session, session.begin():
        cells = {"id": "P-1", "title_en": "Metro signals", "conflicts": ";".join(shown)}
        panel_entries.save_entry(session, ADMIN, event_id, cells, replace=True)
    assert conflicts(factory, event_id)["P-1"] == (expected, shown)


def test_a_registry_reference_the_registry_lacks_is_refused_with_what_to_write(
    factory: sessionmaker[Session],
) -> None:
    [expert_id] = made(factory, {"name_zh": "王芳", "city": "北京"})
    event_id = an_event(factory)
    missing = f"#{expert_id + 1000}"
    huge = "9" * 15  # beyond any record id: no expert, on every database
    with factory() as session, pytest.raises(panel_entries.EntryRejected) as refused:
        cells = {"id": "P-1", "title_en": "Metro signals", "conflicts": f"#{expert_id};{missing};{huge}"}
        panel_entries.save_entry(session, ADMIN, event_id, cells)
    assert [(issue.column, issue.value) for issue in refused.value.issues] == [
        ("conflicts", missing),
        ("conflicts", huge),
    ]
    message = refused.value.issues[0].message
    assert "registry number" in message and "#42" in message


def test_an_import_reads_registry_references_in_its_conflicts(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    bare, other = made(
        factory, {"name_zh": "王芳", "city": "北京"}, {"name_en": "Anna Lee", "city": "Moscow"}
    )
    event_id = an_event(factory)
    path = tmp_path / "entries.csv"
    path.write_text(
        "id,kind,title_en,conflicts\n"
        f"P-1,project,Metro signals,#{bare};#{other}\n"
        f"P-2,project,Solar roofs,{other}\n"
        "P-3,project,Smart grids,#999999\n",
        encoding="utf-8",
    )
    with factory() as session:
        report = panel_entries.import_entries(session, ADMIN, event_id, path)
        session.rollback()
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (4, "conflicts", "#999999")

    path.write_text(path.read_text(encoding="utf-8").replace("#999999", f"#{bare}"), encoding="utf-8")
    with factory() as session, session.begin():
        report = panel_entries.import_entries(session, ADMIN, event_id, path)
    assert (report.issues, report.created) == ([], 3)
    found = {code: declared for code, (declared, _) in conflicts(factory, event_id).items()}
    assert found == {"P-1": tuple(sorted((bare, other))), "P-2": (other,), "P-3": (bare,)}

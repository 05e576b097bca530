"""A re-import never overrides an expert's withdrawal of consent (152-FZ, PIPL).

The row of an expert who withdrew consent is skipped with a notice, whatever the file says: the
profile stays hidden and its data untouched; the rest of the file is imported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.db.models import Consent, Expert
from expertbridge.ingest import changes
from expertbridge.ingest.experts import EXPERT_COLUMNS
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport
from expertbridge.registry.consent import give_consent, withdraw_consent
from expertbridge.registry.experts import ExpertWriter, read_experts
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.visibility import PUBLIC, may_see_expert
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

WITHDRAWN_ON = dt.datetime(2026, 3, 14, 9, 30)


def run(factory: sessionmaker[Session], path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run("experts", path)  # type: ignore[arg-type]


def stored(factory: sessionmaker[Session], external_id: str) -> ExpertRecord:
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == external_id))
        assert expert_id is not None
        return read_experts(session, [expert_id])[expert_id]


def withdraw(factory: sessionmaker[Session], external_id: str, *, consent_on_record: bool = True) -> int:
    """Import the expert, then have them withdraw consent (given first when ``consent_on_record``)."""
    with factory.begin() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == external_id))
        assert expert_id is not None
        if consent_on_record:
            give_consent(session, expert_id, WITHDRAWN_ON - dt.timedelta(days=30), actor="user:1")
        withdraw_consent(session, expert_id, WITHDRAWN_ON, actor="user:1")
    return expert_id


@pytest.fixture
def withdrawn(factory: sessionmaker[Session], data_dir: Path) -> ExpertRecord:
    """ru-1 and cn-1 imported; ru-1 withdrew consent.  Returns ru-1 as stored after the withdrawal."""
    run(factory, write_csv(data_dir / "first.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))
    withdraw(factory, "ru-1")
    return stored(factory, "ru-1")


@pytest.mark.parametrize(
    ("columns", "row"),
    [
        (["id", "name_ru"], {"id": "ru-1", "name_ru": "Тестовое Имя"}),
        (
            ["id", "name_ru", "status"],
            {"id": "ru-1", "name_ru": "Черёмин Сергей Петрович", "status": "approved"},
        ),
        (None, {**RUSSIAN_EXPERT, "city": "Санкт-Петербург"}),
    ],
    ids=["narrow file", "status column", "every column"],
)
def test_a_reimport_skips_the_row_of_an_expert_who_withdrew_consent(
    factory: sessionmaker[Session],
    data_dir: Path,
    withdrawn: ExpertRecord,
    columns: list[str] | None,
    row: dict[str, str],
) -> None:
    report = run(factory, write_csv(data_dir / "again.csv", [row], columns=columns))
    after = stored(factory, "ru-1")
    assert after.status == "withdrawn" and not may_see_expert(PUBLIC, after.status)
    assert after == withdrawn  # no field updated either
    with factory() as session:
        assert session.scalar(select(Consent.withdrawn_at)) == WITHDRAWN_ON
    assert (report.written, report.issues) == (True, [])
    assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 0, 1)
    assert [str(warning) for warning in report.warnings] == [
        "row 2: ru-1 withdrew consent to the processing of their data on 2026-03-14; the row was "
        "skipped and the profile stays hidden. Remove the row; only the expert can give consent again"
    ]


def test_the_other_rows_of_the_file_are_imported(
    factory: sessionmaker[Session], data_dir: Path, withdrawn: ExpertRecord
) -> None:
    rows = [{**RUSSIAN_EXPERT, "city": "Казань"}, {**CHINESE_EXPERT, "city": "上海"}]
    report = run(factory, write_csv(data_dir / "again.csv", rows))
    assert stored(factory, "ru-1") == withdrawn
    assert stored(factory, "cn-1").city == "Shanghai"
    assert (report.updated, report.skipped, report.valid, report.issues) == (1, 1, 2, [])


def test_a_dry_run_reports_the_skipped_row_too(
    factory: sessionmaker[Session], data_dir: Path, withdrawn: ExpertRecord
) -> None:
    path = write_csv(
        data_dir / "again.csv", [{"id": "ru-1", "name_ru": "Тестовое Имя"}], columns=["id", "name_ru"]
    )
    dry = run(factory, path, dry_run=True)
    real = run(factory, path)
    assert stored(factory, "ru-1") == withdrawn
    assert "ru-1 withdrew consent" in str(dry.warnings[0])
    assert (dry.warnings, dry.skipped, dry.valid, dry.issues) == (real.warnings, 1, 1, [])


def test_a_withdrawal_without_a_consent_on_record_is_kept_too(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    run(factory, write_csv(data_dir / "first.csv", [RUSSIAN_EXPERT]))
    withdraw(factory, "ru-1", consent_on_record=False)
    again = write_csv(
        data_dir / "again.csv",
        [{**RUSSIAN_EXPERT, "city": "Казань", "status": "approved"}],
        columns=[*EXPERT_COLUMNS, "status"],
    )
    report = run(factory, again)
    assert stored(factory, "ru-1").status == "withdrawn"
    assert report.skipped == 1
    warning = str(report.warnings[0])
    assert "ru-1 withdrew consent to the processing of their data; the row was skipped" in warning


def test_consent_given_again_lets_imports_update_the_profile(
    factory: sessionmaker[Session], data_dir: Path, withdrawn: ExpertRecord
) -> None:
    with factory.begin() as session:
        give_consent(session, withdrawn.expert_id or 0, WITHDRAWN_ON + dt.timedelta(days=1), actor="user:1")
    report = run(factory, write_csv(data_dir / "again.csv", [{**RUSSIAN_EXPERT, "city": "Казань"}]))
    # Back with the coordinators, as giving consent again does; the file's data is applied.
    assert (stored(factory, "ru-1").status, stored(factory, "ru-1").city) == ("pending", "Kazan")
    assert (report.updated, report.skipped, report.warnings) == (1, 0, [])


def test_no_write_of_a_withdrawn_profile_shows_it_again(
    factory: sessionmaker[Session], data_dir: Path, withdrawn: ExpertRecord
) -> None:
    expert_id = withdrawn.expert_id
    assert expert_id is not None
    # The API refuses the status with a reason ...
    with factory() as session, pytest.raises(changes.ChangeRejected, match="withdrew consent"):
        changes.update(session, "experts", expert_id, {"status": "approved"}, actor="api")
    # ... and the writer itself keeps the withdrawal, whichever channel writes.
    with factory.begin() as session:
        record = ExpertRecord(names=withdrawn.names, external_id="ru-1", status="approved", city="Moscow")
        ExpertWriter(session, actor="api", imported=False).write([record], existing_ids=[expert_id])
    assert stored(factory, "ru-1").status == "withdrawn"


def test_the_command_line_prints_the_notice(
    cli_env: str, factory: sessionmaker[Session], data_dir: Path
) -> None:
    runner = CliRunner()
    first = write_csv(data_dir / "first.csv", [RUSSIAN_EXPERT])
    assert runner.invoke(app, ["import", "experts", str(first)]).exit_code == 0
    withdraw(factory, "ru-1")
    narrow = write_csv(
        data_dir / "ten.csv", [{"id": "ru-1", "name_ru": "Тестовое Имя"}], columns=["id", "name_ru"]
    )
    result = runner.invoke(app, ["import", "experts", str(narrow)])
    assert result.exit_code == 0, result.output
    assert "warning: row 2: ru-1 withdrew consent" in result.output
    assert "0 created, 0 updated, 0 unchanged, 1 skipped (consent withdrawn)" in result.output
    assert stored(factory, "ru-1").status == "withdrawn"

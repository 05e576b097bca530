"""Erasure leaves tombstones without personal data, and imports refuse to bring the person back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.db.models import ErasureTombstone, Expert
from expertbridge.ingest import changes
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.consent import erase_expert
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

runner = CliRunner()


def _erase(factory: sessionmaker[Session], external_id: str) -> None:
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == external_id))
        assert expert_id is not None
        erase_expert(session, expert_id, actor="user:1")
        session.commit()


def _import(factory: sessionmaker[Session], path: Path, **options: object) -> object:
    return Importer(factory, ImportOptions(**options)).run("experts", path)  # type: ignore[arg-type]


def test_the_tombstone_holds_digests_and_a_day_only(factory: sessionmaker[Session], data_dir: Path) -> None:
    _import(factory, write_csv(data_dir / "experts.csv", [RUSSIAN_EXPERT]))
    _erase(factory, "ru-1")
    with factory() as session:
        stones = session.scalars(select(ErasureTombstone)).all()
        dumped = " ".join(
            " ".join(str(cell) for cell in row)
            for row in session.execute(text("SELECT * FROM erasure_tombstones"))
        )
    # the import id, the ORCID iD and the e-mail address, each as a SHA-256 and nothing else
    assert len(stones) == 3
    assert all(len(stone.digest) == 64 and int(stone.digest, 16) >= 0 for stone in stones)
    assert {stone.erased_on for stone in stones} == {dt.datetime.now(dt.UTC).date()}
    for personal in ("ru-1", "0000-0002-1825-0097", "s.cheremin@example.org", "Черёмин", "cheremin"):
        assert personal.lower() not in dumped.lower()


def test_a_reimport_refuses_the_erased_person_with_a_clear_problem(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = write_csv(data_dir / "experts.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT])
    _import(factory, path)
    _erase(factory, "ru-1")
    report = _import(factory, path)
    assert not report.written  # type: ignore[attr-defined]
    problems = {(issue.row, issue.column) for issue in report.issues}  # type: ignore[attr-defined]
    assert problems == {(2, "id"), (2, "orcid"), (2, "email")}
    today = dt.datetime.now(dt.UTC).date().isoformat()
    described = report.issues[0].describe()  # type: ignore[attr-defined]
    expected = f"this person asked for erasure of their data on {today}; remove the row"
    assert described == f"row 2, column id ('ru-1'): {expected}"
    # the same person under another id is recognised by the ORCID iD or the e-mail address
    renamed = write_csv(data_dir / "renamed.csv", [{**RUSSIAN_EXPERT, "id": "ru-77", "orcid": ""}])
    again = _import(factory, renamed)
    assert [(i.row, i.column) for i in again.issues] == [(2, "email")]  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(Expert.id).where(Expert.external_id.in_(["ru-1", "ru-77"]))) is None


def test_skip_invalid_reports_and_skips_the_erased_row(
    cli_env: str, factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = write_csv(data_dir / "experts.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT])
    assert runner.invoke(app, ["import", "experts", str(path)]).exit_code == 0
    _erase(factory, "ru-1")
    refused = runner.invoke(app, ["import", "experts", str(path)])
    assert (
        refused.exit_code == 1
        and "asked for erasure" in refused.output
        and "remove the row" in refused.output
    )
    assert "Traceback" not in refused.output
    report = data_dir / "problems.csv"
    skipped = runner.invoke(app, ["import", "experts", str(path), "--skip-invalid", "--report", str(report)])
    assert skipped.exit_code == 0, skipped.output
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(row["row"], row["column"]) for row in rows} == {("2", "id"), ("2", "orcid"), ("2", "email")}
    with factory() as session:
        assert set(session.scalars(select(Expert.external_id))) == {"cn-1"}


def test_the_api_and_the_web_do_not_recreate_an_erased_person(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    _import(factory, write_csv(data_dir / "experts.csv", [RUSSIAN_EXPERT]))
    _erase(factory, "ru-1")
    with factory() as session:
        try:
            changes.create(
                session,
                "experts",
                {"name_en": "Somebody Else", "email": "S.Cheremin@example.org"},
                actor="api",
            )
        except changes.ChangeRejected as rejected:
            assert [(i.column, i.value) for i in rejected.issues] == [("email", "S.Cheremin@example.org")]
            assert "may not be re-created" in rejected.issues[0].message
        else:
            raise AssertionError("an erased person was created again")

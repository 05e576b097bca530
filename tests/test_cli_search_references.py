"""`expertbridge search` names an expert without an import id in its table as exports, pages and
import files do (``#2401``), while CSV and JSON keep the bare registry number their ``expert_id``
column has always held (``rank,expert_id,score,name`` is a stable interface)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.db.models import Expert
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

runner = CliRunner()


def _import_one_without_an_id(factory: sessionmaker[Session], data_dir: Path) -> int:
    path = write_csv(data_dir / "e.csv", [{**RUSSIAN_EXPERT, "id": ""}, CHINESE_EXPERT])
    result = runner.invoke(app, ["import", "experts", str(path)])
    assert result.exit_code == 0, result.output
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id.is_(None)))
    assert expert_id is not None
    return expert_id


def test_the_table_names_an_expert_without_an_import_id_by_reference(
    cli_env: str, factory: sessionmaker[Session], data_dir: Path
) -> None:
    expert_id = _import_one_without_an_id(factory, data_dir)
    table = runner.invoke(app, ["search", "Черемин"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    line = next(line for line in table.output.splitlines() if "Черёмин" in line)
    assert f"#{expert_id}" in line.split()

    imported = runner.invoke(app, ["search", "机器学习"], env={"COLUMNS": "200"})
    assert any("cn-1" in line.split() for line in imported.output.splitlines())


def test_csv_and_json_keep_the_bare_registry_number(
    cli_env: str, factory: sessionmaker[Session], data_dir: Path
) -> None:
    expert_id = _import_one_without_an_id(factory, data_dir)
    output = runner.invoke(app, ["search", "Черемин", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [(row["rank"], row["expert_id"]) for row in rows] == [("1", str(expert_id))]
    hits = json.loads(runner.invoke(app, ["search", "Черемин", "--format", "json"]).stdout)
    assert [hit["expert_id"] for hit in hits] == [str(expert_id)]

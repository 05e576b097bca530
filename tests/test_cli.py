"""The command line, as a user drives it (Typer's CliRunner), on both databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from expertbridge.cli import app
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

runner = CliRunner()


def test_every_command_has_help() -> None:
    for command in (
        ["--help"],
        ["init", "--help"],
        ["serve", "--help"],
        ["demo", "--help"],
        ["import", "--help"],
        ["import", "experts", "--help"],
        ["export", "--help"],
        ["search", "--help"],
        ["stats", "--help"],
        ["sectors", "--help"],
        ["assign", "--help"],
        ["schedule", "--help"],
        ["affinity", "--help"],
        ["users", "--help"],
        ["maintenance", "--help"],
        ["names", "lookup", "--help"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_import_search_export_stats(cli_env: str, data_dir: Path) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT])
    result = runner.invoke(app, ["import", "experts", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output

    result = runner.invoke(app, ["search", "Черемин", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["rank"], row["expert_id"], row["name"]) for row in rows] == [
        ("1", "ru-1", "Черёмин Сергей Петрович")
    ]
    result = runner.invoke(app, ["search", "机器学习", "--format", "json"])
    assert [hit["expert_id"] for hit in json.loads(result.stdout)] == ["cn-1"]

    result = runner.invoke(app, ["export", "experts", "--format", "json"])
    assert result.exit_code == 0
    assert {row["id"] for row in json.loads(result.stdout)} == {"ru-1", "cn-1"}

    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "experts: 2" in result.output and "Moscow" in result.output


def test_invalid_file_exits_non_zero_with_row_and_column(cli_env: str, data_dir: Path) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, {**CHINESE_EXPERT, "email": "nope"}])
    result = runner.invoke(app, ["import", "experts", str(path)])
    assert result.exit_code == 1
    assert "row 3, column email ('nope'): not an e-mail address" in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert "0 rows" not in runner.invoke(app, ["stats"]).output
    assert "experts: 0" in runner.invoke(app, ["stats"]).output

    report = data_dir / "problems.csv"
    result = runner.invoke(app, ["import", "experts", str(path), "--skip-invalid", "--report", str(report)])
    assert result.exit_code == 0
    assert "1 invalid rows skipped" in result.output
    assert "nope" in report.read_text("utf-8")


def test_dry_run_and_missing_file(cli_env: str, data_dir: Path) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT])
    result = runner.invoke(app, ["import", "experts", str(path), "--dry-run"])
    assert result.exit_code == 0 and "nothing was written" in result.output
    result = runner.invoke(app, ["import", "experts", str(data_dir / "missing.csv")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_demo_is_loaded_once(cli_env: str) -> None:
    result = runner.invoke(app, ["demo", "--experts", "40"])
    assert result.exit_code == 0, result.output
    assert "experts: 40 created" in result.output
    again = runner.invoke(app, ["demo", "--experts", "40"])
    assert "already loaded" in again.output


def test_sectors_lists_codes_in_each_language() -> None:
    result = runner.invoke(app, ["sectors", "--language", "zh"])
    assert "transport.metro" in result.output and "交通运输" in result.output


@pytest.mark.parametrize("url", ["nonsense://", "mysql://user@host/db"])
def test_bad_database_url_is_explained(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("EXPERTBRIDGE_DATABASE_URL", url)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "EXPERTBRIDGE_DATABASE_URL" in result.output or "not supported" in result.output
    assert "Traceback" not in result.output


def test_xlsx_export_needs_output_on_a_terminal_and_writes_a_file(cli_env: str, data_dir: Path) -> None:
    runner.invoke(app, ["import", "experts", str(write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT]))])
    target = data_dir / "out.xlsx"
    result = runner.invoke(app, ["export", "experts", "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_names_lookup_finds_people_across_scripts(cli_env: str, data_dir: Path) -> None:
    runner.invoke(
        app, ["import", "experts", str(write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))]
    )
    queries = data_dir / "delegation.csv"
    queries.write_text("query_id,name\nq1,谢尔盖·切廖明\nq2,Сюй Синьчао\nq3,Xinchao Xu\n", "utf-8")
    result = runner.invoke(app, ["names", "lookup", str(queries), "--top", "1"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["query_id"], row["rank"], row["expert_id"]) for row in rows] == [
        ("q1", "1", "ru-1"),
        ("q2", "1", "cn-1"),
        ("q3", "1", "cn-1"),
    ]
    assert all(float(row["score"]) >= 0.9 and row["explanation"] for row in rows)
    plain = data_dir / "names.txt"
    plain.write_text("Sergey Cheremin\n", "utf-8")
    out = data_dir / "out.csv"
    assert runner.invoke(app, ["names", "lookup", str(plain), "--output", str(out)]).exit_code == 0
    assert out.read_text("utf-8").splitlines()[1].startswith("1,1,ru-1,")


def test_reindex_rebuilds_the_search_index(cli_env: str, data_dir: Path) -> None:
    runner.invoke(app, ["import", "experts", str(write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT]))])
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0 and "1 experts" in result.output

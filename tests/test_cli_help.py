"""What `--help` tells a user, for every command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from expertbridge.cli import app
from tests.helpers import RUSSIAN_EXPERT, write_csv

runner = CliRunner()
WIDE = {"COLUMNS": "150"}


def command_paths() -> list[list[str]]:
    """Every command and group of the `expertbridge` tree, as argument lists."""
    paths: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def help_of(*arguments: str) -> str:
    result = runner.invoke(app, [*arguments, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "expertbridge")
def test_flags_show_no_value_type(path: list[str]) -> None:
    text = help_of(*path)
    assert "--help" in text
    assert "<bool>" not in text
    assert "{" + "query}" not in text  # arguments read QUERY, FILE, KIND as in the README


def test_the_top_level_help_says_where_settings_come_from() -> None:
    text = " ".join(help_of().split())
    assert "EXPERTBRIDGE_* environment variables" in text
    assert "Configuration section of the README" in text


def test_serve_help_shows_the_port_and_host_defaults() -> None:
    text = " ".join(help_of("serve").split())
    assert "EXPERTBRIDGE_PORT, else 8000" in text
    assert "EXPERTBRIDGE_HOST, else 127.0.0.1" in text


def test_search_help_explains_a_query_that_starts_with_a_dash() -> None:
    text = help_of("search")
    assert "search [OPTIONS] QUERY" in text  # CliRunner calls the program "root"
    assert "expertbridge search --top 5 -- -metro" in text


def test_a_query_after_double_dash_is_searched(cli_env: str, data_dir: Path) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT])
    assert runner.invoke(app, ["import", "experts", str(path)]).exit_code == 0
    result = runner.invoke(app, ["search", "--format", "csv", "--", "-Черемин"])
    assert result.exit_code == 0, result.output
    assert [row["expert_id"] for row in csv.DictReader(io.StringIO(result.stdout))] == ["ru-1"]


def test_affinity_help_names_both_submission_formats_and_the_assign_columns() -> None:
    text = " ".join(help_of("affinity").split())
    assert "or JSON Lines with one note per line" in text
    assert '{"id": "S1", "content": {"title": "...", "abstract": "..."}}' in text
    assert "reads its columns as entry_id,expert_id,score: the submissions become the entries" in text
    assert "swap" not in text


PANEL_ENTRIES = {" ".join(path[-1:]) for path in command_paths()} | {"--help"}


@pytest.mark.parametrize("path", command_paths()[1:], ids=" ".join)
def test_the_summary_of_each_command_is_one_sentence_on_one_line(path: list[str]) -> None:
    # Typer keeps a line break inside a paragraph of the help: the command list showed
    # "forget expired sessions, links and" with the rest of the sentence on a line of its own.
    name = path[-1]
    rows = [line.strip("│ ") for line in help_of(*path[:-1]).splitlines() if line.startswith("│")]
    at = next(index for index, row in enumerate(rows) if row.startswith(f"{name} "))
    summary = rows[at].removeprefix(name).strip()
    assert summary.endswith("."), summary
    following = rows[at + 1] if at + 1 < len(rows) else ""
    assert not following or following.split()[0] in PANEL_ENTRIES, following


def test_maintenance_help_is_whole_sentences_in_paragraphs() -> None:
    lines = [line.strip() for line in help_of("maintenance").splitlines()]
    for paragraph in (
        "Send re-confirmation reminders, freeze stale profiles and forget what has expired.",
        "Profiles a year old get a reminder; profiles not confirmed for two years are frozen.",
        "It forgets expired sessions and links, old sign-in failures and files checked on the import page.",
        "Idempotent: safe to run from cron every day.",
    ):
        assert paragraph in lines

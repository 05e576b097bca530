"""Every command that writes a file treats its path one way (expertbridge.outputs), as a user sees it.

A path that cannot be written is refused before the work, as a usage error (exit code 2), with the
option, the path and what to do; missing folders are made; a write that fails after an import was
committed still says that the import was written.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from expertbridge.cli import app
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

runner = CliRunner()


def affinity_inputs(folder: Path) -> list[str]:
    archives = folder / "archives"
    archives.mkdir()
    (archives / "~Li_Wei1.jsonl").write_text('{"content": {"title": "Metro signalling"}}\n', "utf-8")
    submissions = folder / "submissions.json"
    submissions.write_text(json.dumps({"S1": {"content": {"title": "Metro"}}}), "utf-8")
    return ["affinity", "--archives", str(archives), "--submissions", str(submissions)]


def assign_inputs(folder: Path) -> list[str]:
    scores = folder / "scores.csv"
    scores.write_text("P1,R1,0.5\nP1,R2,0.4\nP2,R1,0.3\nP2,R2,0.6\n", "utf-8")
    return ["assign", "--scores", str(scores), "--num-reviewers", "1", "--max-load", "1"]


def schedule_inputs(folder: Path) -> list[str]:
    files = {
        "participants": "participant_id,name,side,languages,available_slots\nM1,Ivanov,moscow,en,\n"
        "B1,Wang,beijing,en,\n",
        "meetings": "meeting_id,participant_a,participant_b,priority,mutual\nT1,M1,B1,,\n",
        "slots": "slot_id,start,end,tables\nS1,2023-09-12T09:30+08:00,2023-09-12T10:00+08:00,1\n",
    }
    arguments = ["schedule", "--time-limit", "5"]
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, "utf-8")
        arguments += [f"--{name}", str(folder / f"{name}.csv")]
    return arguments


def import_inputs(folder: Path) -> list[str]:
    path = write_csv(folder / "e.csv", [RUSSIAN_EXPERT, {**CHINESE_EXPERT, "email": "nope"}])
    return ["import", "experts", str(path), "--skip-invalid"]


def names_inputs(folder: Path) -> list[str]:
    (folder / "names.txt").write_text("Sergey Cheremin\n", "utf-8")
    return ["names", "lookup", str(folder / "names.txt")]


# Every option of the command line that names a file to write: (arguments before it, the option).
WRITERS: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "names lookup": (names_inputs, "--output"),
    "export": (lambda _folder: ["export", "experts", "--format", "csv"], "--output"),
    "export xlsx": (lambda _folder: ["export", "experts", "--format", "xlsx"], "--output"),
    "import --report": (import_inputs, "--report"),
    "affinity": (affinity_inputs, "--output"),
    "assign": (assign_inputs, "--output"),
    "schedule": (schedule_inputs, "--output"),
    "users demo": (lambda _folder: ["users", "demo"], "--credentials"),
}


def refused(result: Result, option: str, path: Path) -> str:
    """The refusal's text, after checking that it is a usage error that names the option and path."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = " ".join(result.output.split())
    assert f"{option}: cannot write {path}" in text
    assert "nothing was written" in text
    assert "Traceback" not in result.output
    return text


def registry_is_empty() -> None:
    assert "experts: 0" in runner.invoke(app, ["stats"]).output
    assert json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout) == []


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_folder_given_for_a_file_is_refused_before_the_work(
    command: str, cli_env: str, data_dir: Path
) -> None:
    arguments, option = WRITERS[command]
    folder = data_dir / "results"
    folder.mkdir()
    result = runner.invoke(app, [*arguments(data_dir), option, str(folder)])
    assert "it is a folder; give the path of a file" in refused(result, option, folder)
    assert list(folder.iterdir()) == []
    registry_is_empty()  # the import and the demo accounts were not made


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_path_through_a_file_is_refused_before_the_work(command: str, cli_env: str, data_dir: Path) -> None:
    arguments, option = WRITERS[command]
    blocker = data_dir / "notes.txt"
    blocker.write_text("a file, not a folder\n", "utf-8")
    target = blocker / "out" / "result.csv"
    result = runner.invoke(app, [*arguments(data_dir), option, str(target)])
    assert f"{blocker} is a file, so it cannot hold a folder" in refused(result, option, target)
    assert blocker.read_text("utf-8") == "a file, not a folder\n"
    registry_is_empty()


@pytest.mark.parametrize("command", list(WRITERS))
def test_missing_folders_are_made(command: str, cli_env: str, data_dir: Path) -> None:
    arguments, option = WRITERS[command]
    target = data_dir / "new" / "deeper" / "result.csv"
    result = runner.invoke(app, [*arguments(data_dir), option, str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert "Traceback" not in result.output


def test_a_folder_without_write_permission_is_refused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = data_dir / "locked"
    locked.mkdir()
    real_access = os.access

    def access(path: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
        # Tests may run as root, for whom every folder is writable: this one is not.
        return False if Path(path) == locked and mode & os.W_OK else real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    target = locked / "scores.csv"
    result = runner.invoke(app, [*affinity_inputs(data_dir), "--output", str(target)])
    text = refused(result, "--output", target)
    assert f"no permission to write in {locked}; give a path in a folder you can write in" in text
    assert not target.exists()


def test_the_folder_for_calendars_must_be_a_folder(data_dir: Path) -> None:
    calendars = data_dir / "calendars"
    calendars.write_text("", "utf-8")
    output = data_dir / "schedule.csv"
    arguments = [*schedule_inputs(data_dir), "--output", str(output), "--ics-dir", str(calendars)]
    text = refused(runner.invoke(app, arguments), "--ics-dir", calendars)
    assert "it is a file, expected a folder" in text
    assert not output.exists()
    made = data_dir / "new" / "calendars"
    result = runner.invoke(app, [*schedule_inputs(data_dir), "--output", str(output), "--ics-dir", str(made)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in made.iterdir()) == ["B1.ics", "M1.ics"]


def test_a_file_written_beside_the_output_is_checked_too(data_dir: Path) -> None:
    output = data_dir / "panels.csv"
    (data_dir / "panels.alternates.csv").mkdir()
    result = runner.invoke(app, [*assign_inputs(data_dir), "--output", str(output), "--alternates", "1"])
    text = refused(result, "--alternates", data_dir / "panels.alternates.csv")
    assert "give --output another path" in text
    assert not output.exists()


def test_a_report_that_cannot_be_written_after_the_import_says_the_import_was_written(
    cli_env: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from expertbridge.ingest.importer import Importer

    reports = data_dir / "reports"
    reports.mkdir()
    run = Importer.run

    def run_then_lose_the_folder(self: Importer, kind: str, file: Path) -> object:
        # The folder of --report existed when the command began and is gone when the report is due.
        report = run(self, kind, file)
        reports.rmdir()
        reports.write_text("", "utf-8")
        return report

    monkeypatch.setattr(Importer, "run", run_then_lose_the_folder)
    report = reports / "problems.csv"
    result = runner.invoke(app, [*import_inputs(data_dir), "--report", str(report)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    text = " ".join(result.output.split())
    assert "row 3, column email ('nope'): not an e-mail address" in text
    assert "2 rows read, 1 valid, 1 with problems; 1 created" in text
    assert f"--report: cannot write {report}" in text
    assert "the import WAS written (see the summary above); only its report is missing" in text
    assert "--dry-run --report FILE" in text
    assert "experts: 1" in runner.invoke(app, ["stats"]).output


def test_an_unwritable_report_stops_the_import_before_it_writes(cli_env: str, data_dir: Path) -> None:
    report = data_dir / "missing.csv"
    report.mkdir()
    result = runner.invoke(app, [*import_inputs(data_dir), "--report", str(report)])
    refused(result, "--report", report)
    assert "created" not in result.output
    assert "experts: 0" in runner.invoke(app, ["stats"]).output


def test_a_write_that_fails_after_the_checks_is_explained(
    cli_env: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    target = data_dir / "experts.csv"
    result = runner.invoke(app, ["export", "experts", "--output", str(target)])
    assert result.exit_code == 1
    assert f"--output: cannot write {target} (No space left on device); nothing was written" in " ".join(
        result.output.split()
    )
    assert not target.exists()


def test_names_lookup_reports_rows_it_skips_and_repeated_query_ids(cli_env: str, data_dir: Path) -> None:
    runner.invoke(
        app, ["import", "experts", str(write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))]
    )
    queries = data_dir / "delegation.csv"
    queries.write_text("query_id,name\nq1,Сюй Синьчао\nq2,\nq3,🙂🙂\nq1,Sergey Cheremin\n,,\n", "utf-8")
    result = runner.invoke(app, ["names", "lookup", str(queries), "--top", "1"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["query_id", "rank", "expert_id", "score", "explanation"]  # the stable interface
    assert [row[:3] for row in rows[1:]] == [["q1", "1", "cn-1"], ["q1", "1", "ru-1"]]
    text = " ".join(result.stderr.split())
    assert "delegation.csv, row 3, query_id q2: not looked up: the name is empty" in text
    assert "row 4, query_id q3: not looked up: the name ('🙂🙂') has no letters to look up" in text
    assert "delegation.csv, rows 2 and 5: the same query_id q1" in text
    assert "give each row its own query_id" in text
    assert "row 6" not in text  # a row with every cell empty is not a row of the list
    assert "2 names looked up: 2 with matches, 0 without; 2 rows not looked up (listed above)" in text


def test_names_lookup_says_a_folder_is_a_folder(cli_env: str, data_dir: Path) -> None:
    result = runner.invoke(app, ["names", "lookup", str(data_dir)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"{data_dir}: is a folder, expected a file" in text
    assert "no such file" not in text


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_refused(cli_env: str, data_dir: Path, query: str) -> None:
    runner.invoke(app, ["import", "experts", str(write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT]))])
    for output_format in ("table", "csv"):
        result = runner.invoke(app, ["search", query, "--format", output_format])
        assert result.exit_code == 2, result.output
        assert "QUERY is empty: give words in any language or a name to search for" in result.output
        assert result.stdout == ""

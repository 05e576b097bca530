"""`expertbridge affinity`: OpenReview expertise files in, a score for every pair out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from expertbridge.cli import app

runner = CliRunner()

REVIEWERS = {
    "~Ivan_Petrov1": [
        {
            "content": {
                "title": "Системы сигнализации метрополитена",
                "abstract": "Автоматика управления поездами.",
            }
        },
        {"content": {"title": "CBTC для линий без машиниста"}},
    ],
    "~Li_Wei1": [
        {"content": {"title": {"value": "钙钛矿薄膜太阳能电池"}, "abstract": {"value": "提高光电转换效率。"}}}
    ],
    "~Anna_Smith1": [{"content": {"title": "Veterinary vaccines", "abstract": "Animal disease prevention."}}],
}
SUBMISSIONS = {
    "S1": {"content": {"title": "Metro signalling with communications-based train control"}},
    "S2": {
        "content": {"title": {"value": "Thin-film photovoltaics"}, "abstract": {"value": "Perovskite cells."}}
    },
    "S3": {"content": {"title": "Вакцины для животных"}},
}


def write_inputs(folder: Path) -> tuple[Path, Path]:
    archives = folder / "archives"
    archives.mkdir()
    for reviewer, papers in REVIEWERS.items():
        lines = "\n".join(json.dumps(paper, ensure_ascii=False) for paper in papers)
        (archives / f"{reviewer}.jsonl").write_text(lines + "\n", encoding="utf-8")
    submissions = folder / "submissions.json"
    submissions.write_text(json.dumps(SUBMISSIONS, ensure_ascii=False), encoding="utf-8")
    return archives, submissions


def test_every_pair_is_scored_and_the_right_reviewer_wins_across_languages(data_dir: Path) -> None:
    archives, submissions = write_inputs(data_dir)
    output = data_dir / "scores.csv"
    result = runner.invoke(
        app,
        ["affinity", "--archives", str(archives), "--submissions", str(submissions), "--output", str(output)],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(output.open(encoding="utf-8")))
    assert len(rows) == len(REVIEWERS) * len(SUBMISSIONS)
    scores = {(submission, reviewer): float(score) for submission, reviewer, score in rows}
    assert all(0.0 <= score <= 1.0 for score in scores.values())
    best = {
        submission: max(REVIEWERS, key=lambda reviewer: scores[(submission, reviewer)])
        for submission in SUBMISSIONS
    }
    assert best == {"S1": "~Ivan_Petrov1", "S2": "~Li_Wei1", "S3": "~Anna_Smith1"}


def test_submissions_as_json_lines_are_read(data_dir: Path) -> None:
    archives, _ = write_inputs(data_dir)
    lines = data_dir / "submissions.jsonl"
    lines.write_text(
        "\n".join(json.dumps({"id": key, **note}, ensure_ascii=False) for key, note in SUBMISSIONS.items()),
        encoding="utf-8",
    )
    output = data_dir / "scores.csv"
    result = runner.invoke(
        app, ["affinity", "--archives", str(archives), "--submissions", str(lines), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert len(output.read_text(encoding="utf-8").splitlines()) == 9


def test_a_broken_archive_line_is_named_and_nothing_is_written(data_dir: Path) -> None:
    archives, submissions = write_inputs(data_dir)
    (archives / "~Broken1.jsonl").write_text('{"content": {"title": "ok"}}\n{not json\n', encoding="utf-8")
    output = data_dir / "scores.csv"
    result = runner.invoke(
        app,
        ["affinity", "--archives", str(archives), "--submissions", str(submissions), "--output", str(output)],
    )
    assert result.exit_code == 1
    assert "~Broken1.jsonl, line 2: not JSON" in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_a_missing_folder_gets_a_clear_message(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "affinity",
            "--archives",
            str(data_dir / "nope"),
            "--submissions",
            str(data_dir / "s.json"),
            "-o",
            "x.csv",
        ],
    )
    assert result.exit_code == 1
    assert "no such folder" in result.output


def run_affinity(archives: Path, submissions: Path, output: Path) -> Result:
    return runner.invoke(
        app,
        ["affinity", "--archives", str(archives), "--submissions", str(submissions), "--output", str(output)],
    )


def refused(result: Result, output: Path) -> str:
    """The one-line error of a refused run, after checking that nothing was written."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not output.exists()
    return " ".join(result.output.split())


def test_a_typo_in_a_pretty_printed_object_is_reported_where_it_is(data_dir: Path) -> None:
    archives, _ = write_inputs(data_dir)
    submissions = data_dir / "subs.json"
    submissions.write_text(
        '{\n "sub1": {"content": {"title": "a"}},\n "sub2": {"content": {"title": "b"}},,\n}\n', "utf-8"
    )
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, submissions, output), output)
    # Column 38 is the second comma of line 3.
    expected = "line 3: not JSON (Expecting property name enclosed in double quotes at column 38)"
    assert f"{submissions}, {expected}" in message
    assert "read as one JSON document" in message
    assert "line 1" not in message


def test_a_bad_json_line_is_reported_at_its_line(data_dir: Path) -> None:
    archives, _ = write_inputs(data_dir)
    submissions = data_dir / "subs.jsonl"
    submissions.write_text(
        '{"id": "S1", "content": {"title": "a"}}\n'
        '{"id": "S2", "content": {"title": "b"}}\n'
        '{"id": "S3", "content": {"title": "c"}\n',
        "utf-8",
    )
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, submissions, output), output)
    assert f"{submissions}, line 3: not JSON" in message
    assert "read as JSON Lines" in message


def test_a_submission_id_given_twice_in_json_lines_names_both_lines(data_dir: Path) -> None:
    archives, _ = write_inputs(data_dir)
    submissions = data_dir / "subs.jsonl"
    submissions.write_text(
        '{"id": "S1", "content": {"title": "a"}}\n'
        '{"id": "S2", "content": {"title": "b"}}\n'
        "\n"
        '{"id": "S1", "content": {"title": "c"}}\n',
        "utf-8",
    )
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, submissions, output), output)
    assert f'{submissions}, lines 1 and 4: submission id "S1" appears twice' in message


def test_a_submission_id_given_twice_in_an_object_names_both_lines(data_dir: Path) -> None:
    archives, _ = write_inputs(data_dir)
    submissions = data_dir / "subs.json"
    submissions.write_text(
        '{\n  "S1": {"content": {"title": "a"}},\n  "S2": {"content": {"title": "b"}},\n'
        '  "S1": {"content": {"title": "c"}}\n}\n',
        "utf-8",
    )
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, submissions, output), output)
    assert f'{submissions}, lines 2 and 4: submission id "S1" appears twice' in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"title": 5}, '"title" is a number (5), not text'),
        ({"title": "ok", "abstract": {"value": ["a", "b"]}}, '"abstract".value is a list, not text'),
        ({"title": {"text": "no value key"}}, '"title" is an object without "value"'),
    ],
)
def test_a_field_of_the_wrong_type_is_an_error_naming_file_line_and_field(
    data_dir: Path, content: dict[str, object], expected: str
) -> None:
    archives, _ = write_inputs(data_dir)
    submissions = data_dir / "subs.json"
    document = {"S1": {"content": {"title": "fine"}}, "S2": {"content": content}}
    submissions.write_text(json.dumps(document, indent=1), "utf-8")
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, submissions, output), output)
    line = 1 + json.dumps(document, indent=1).splitlines().index(' "S2": {')
    assert f'{submissions}, line {line} (submission "S2"): {expected}' in message
    assert 'or {"value": "text"}' in message


def test_a_publication_field_of_the_wrong_type_names_the_archive_line(data_dir: Path) -> None:
    archives, submissions = write_inputs(data_dir)
    (archives / "~Odd1.jsonl").write_text(
        '{"content": {"title": "ok"}}\n{"content": {"title": [1]}}\n', "utf-8"
    )
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, submissions, output), output)
    assert f'{archives / "~Odd1.jsonl"}, line 2: "title" is a list, not text' in message


def test_null_and_missing_fields_are_empty_text(data_dir: Path) -> None:
    archives, _ = write_inputs(data_dir)
    submissions = data_dir / "subs.json"
    submissions.write_text(
        json.dumps(
            {"S1": {"content": {"title": "Metro signalling", "abstract": None}}, "S2": {"content": {}}}
        ),
        "utf-8",
    )
    output = data_dir / "scores.csv"
    result = run_affinity(archives, submissions, output)
    assert result.exit_code == 0, result.output
    assert len(output.read_text("utf-8").splitlines()) == 2 * len(REVIEWERS)


def test_the_summary_counts_in_the_singular(data_dir: Path) -> None:
    archives = data_dir / "archives"
    archives.mkdir()
    (archives / "~Solo1.jsonl").write_text('{"content": {}}\n', "utf-8")
    submissions = data_dir / "subs.json"
    submissions.write_text(json.dumps({"S1": {"content": {"title": "Metro"}}}), "utf-8")
    result = run_affinity(archives, submissions, data_dir / "scores.csv")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "1 score for 1 submission × 1 reviewer in" in text
    assert "note: 1 reviewer has no titles or abstracts and score 0 (e.g. ~Solo1)" in text


def test_a_folder_for_a_file_and_a_file_for_a_folder_are_named_as_such(data_dir: Path) -> None:
    archives, submissions = write_inputs(data_dir)
    output = data_dir / "scores.csv"
    message = refused(run_affinity(archives, archives, output), output)
    assert f"{archives}: is a folder, expected a file" in message
    message = refused(run_affinity(submissions, submissions, output), output)
    assert f"{submissions}: is a file, expected a folder" in message
    message = refused(run_affinity(archives, data_dir / "missing.json", output), output)
    assert f"{data_dir / 'missing.json'}: no such file" in message

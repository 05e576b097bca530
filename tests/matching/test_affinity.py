"""`expertbridge affinity`: OpenReview expertise files in, a score for every pair out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

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

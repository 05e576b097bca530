"""`expertbridge assign` as a user drives it (Typer's CliRunner), and the readers of its files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.ingest.report import InputFileError
from expertbridge.matching.assign_io import read_attributes, read_constraints, read_quotas, read_scores

runner = CliRunner()

ENTRIES = [f"P{i}" for i in range(1, 7)]
EXPERTS = [f"R{j}" for j in range(1, 9)]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Six entries, eight experts (R1–R4 Moscow, R5–R8 Beijing), every pair scored, two conflicts."""
    lines = [
        f"{e},{x},{((i * 7 + j * 3) % 10) / 10 + 0.05:.2f}"
        for i, e in enumerate(ENTRIES)
        for j, x in enumerate(EXPERTS)
    ]
    # No header, and a blank line, as OpenReview's files come.
    scores = write(tmp_path / "scores.csv", "\n".join(lines[:10]) + "\n\n" + "\n".join(lines[10:]) + "\n")
    constraints = write(tmp_path / "constraints.csv", "P1,R1,-1\nP2,R5,-1\nP3,R2,1\n")
    attributes = write(
        tmp_path / "attributes.csv",
        "expert_id,attribute,value\n"
        + "".join(f"{x},side,{'Moscow' if j < 4 else 'Beijing'}\n" for j, x in enumerate(EXPERTS))
        + "R3,sector,energy.solar;it\n",
    )
    quotas = write(
        tmp_path / "quotas.json",
        json.dumps(
            {
                "default": [{"attribute": "side", "at_least_one_of_each": ["Moscow", "Beijing"]}],
                "entries": {"P4": [{"attribute": "sector", "value": "energy", "min": 1}]},
            }
        ),
    )
    return {"scores": scores, "constraints": constraints, "attributes": attributes, "quotas": quotas}


def base_args(files: dict[str, Path], output: Path) -> list[str]:
    return [
        "assign",
        "--scores", str(files["scores"]),
        "--constraints", str(files["constraints"]),
        "--num-reviewers", "2",
        "--max-load", "3",
        "--output", str(output),
    ]  # fmt: skip


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def test_a_failed_write_leaves_no_output_behind(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "panels.csv"
    (tmp_path / "panels.explanations.csv").mkdir()  # the explanations cannot be written
    result = runner.invoke(app, [*base_args(files, output), "--alternates", "2", "--explain"])
    assert result.exit_code != 0
    assert "cannot write" in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not output.exists() and not (tmp_path / "panels.alternates.csv").exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no temporary files


def test_help_explains_candidates_and_the_quota_format() -> None:
    result = runner.invoke(app, ["assign", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Only pairs listed in --scores are candidates" in text
    assert '"at_least_one_of_each": ["Moscow", "Beijing"]' in text
    assert "--max-probability" in text and "--verify" in text


def test_optimal_assignment_with_alternates(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "panels.csv"
    result = runner.invoke(app, [*base_args(files, output), "--alternates", "2", "--explain"])
    assert result.exit_code == 0, result.output
    rows = read_rows(output)
    assert list(rows[0]) == ["entry_id", "expert_id", "score"]
    pairs = {(row["entry_id"], row["expert_id"]) for row in rows}
    assert len(rows) == 12 and ("P3", "R2") in pairs
    assert ("P1", "R1") not in pairs and ("P2", "R5") not in pairs
    alternates = read_rows(tmp_path / "panels.alternates.csv")
    assert [row["rank"] for row in alternates[:2]] == ["1", "2"]
    assert not {(row["entry_id"], row["expert_id"]) for row in alternates} & (
        pairs | {("P1", "R1"), ("P2", "R5")}
    )
    assert (tmp_path / "panels.explanations.csv").exists()
    assert "assigned 6 entries × 2 experts" in result.output
    assert "solver: min-cost flow (optimal)" in result.output


def test_header_row_may_reorder_columns(tmp_path: Path) -> None:
    scores = write(
        tmp_path / "s.csv", "reviewer_id,paper_id,score\nR1,P1,0.9\nR2,P1,0.1\nR1,P2,0.2\nR2,P2,0.8\n"
    )
    output = tmp_path / "out.csv"
    args = ["assign", "--scores", str(scores), "--num-reviewers", "1", "--max-load", "1", "-o", str(output)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [(r["entry_id"], r["expert_id"]) for r in read_rows(output)] == [("P1", "R1"), ("P2", "R2")]


def test_malformed_scores_row_is_named_and_nothing_is_written(files: dict[str, Path], tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", "P1,R1,0.5\nP1,R2,high\nP2,R1\nP2,R2,0.3\nP1,R1,0.7\nP3,R1,inf\n")
    output = tmp_path / "out.csv"
    args = base_args(files, output)
    args[args.index("--scores") + 1] = str(bad)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "bad.csv: row 2: score 'high' is not a number" in text
    assert "row 3: expected 3 columns (entry_id,expert_id,score), found 2" in text
    assert "row 5: pair P1,R1 already has a score on row 1" in text
    assert "row 6: score 'inf' is not a finite number" in text
    assert "nothing was written" in text and "Traceback" not in result.output
    assert not output.exists()


def test_a_bad_first_row_is_not_taken_for_a_header(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"s\.csv: row 1: score 'high' is not a number"):
        read_scores(b"P1,R1,high\nP1,R2,0.5\n", "s.csv")
    assert read_scores(b"\xef\xbb\xbfpaper,reviewer,affinity\r\nP1,R1,1\r\n", "s.csv") == [("P1", "R1", 1.0)]


def test_bad_constraint_value_and_quota_key(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    write(files["constraints"], "P1,R1,-1\nP1,R2,2\n")
    result = runner.invoke(app, base_args(files, output))
    assert result.exit_code == 1
    assert "constraints.csv: row 2: value '2' must be -1 (conflict), 1 (forced) or 0 (none)" in result.output

    write(files["constraints"], "P1,R1,-1\n")
    write(files["quotas"], '{"default": [{"attribute": "side", "valu": "Moscow"}]}')
    args = [
        *base_args(files, output),
        "--quotas",
        str(files["quotas"]),
        "--attributes",
        str(files["attributes"]),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "quotas.json: default[0]: unknown key 'valu'" in result.output
    assert not output.exists()


def test_quotas_hold_and_need_attributes(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    result = runner.invoke(app, [*base_args(files, output), "--quotas", str(files["quotas"])])
    assert result.exit_code == 2 and "--quotas needs --attributes" in result.output

    args = [
        *base_args(files, output),
        "--quotas",
        str(files["quotas"]),
        "--attributes",
        str(files["attributes"]),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    panels: dict[str, set[str]] = {}
    for row in read_rows(output):
        panels.setdefault(row["entry_id"], set()).add(row["expert_id"])
    moscow = {"R1", "R2", "R3", "R4"}
    assert all(panel & moscow and panel - moscow for panel in panels.values())
    assert "R3" in panels["P4"]  # the only expert in energy (energy.solar)
    # The side groups and P4's sector rule overlap (R3 is Moscow and energy): the LP solves it.
    assert "solver: GLOP LP (integral) (optimal)" in result.output


def test_infeasible_instance_names_the_constraint(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    args = base_args(files, output)
    args[args.index("--max-load") + 1] = "1"
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "no assignment meets the constraints; nothing was written" in text
    assert "total capacity 8 (max load 1 × 8 experts) < 12 needed (6 entries × 2)" in text
    assert not output.exists()


def test_fair_mode(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    result = runner.invoke(app, [*base_args(files, output), "--mode", "fair"])
    assert result.exit_code == 0, result.output
    assert "SCIP" in result.output and len(read_rows(output)) == 12


def test_fair_mode_at_scale_reports_the_weakest_entry_and_its_bound(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from expertbridge.matching import assign

    monkeypatch.setattr(assign, "FAIR_AT_SCALE_PAIRS", 0)  # the path large instances take
    output = tmp_path / "out.csv"
    result = runner.invoke(app, [*base_args(files, output), "--mode", "fair"])
    assert result.exit_code == 0, result.output
    found = re.search(
        r"weakest entry ([\d.]+), its upper bound ([\d.]+) \((proved optimal|not proved)\)", result.output
    )
    assert found is not None, result.output
    assert float(found.group(1)) <= float(found.group(2)) + 1e-6
    assert len(read_rows(output)) == 12


def test_random_draw_is_recorded_reproduced_and_verified(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "draw.csv"
    args = [*base_args(files, output), "--mode", "random", "--max-probability", "0.5"]
    result = runner.invoke(app, [*args, "--seed", "20231"])
    assert result.exit_code == 0, result.output
    assert "seed 20231" in result.output
    first = output.read_text("utf-8")
    record = json.loads((tmp_path / "draw.draw.json").read_text("utf-8"))
    assert record["seed"] == 20231 and record["max_probability"] == 0.5
    assert set(record["inputs"]) == {"scores", "constraints"}
    assert len(record["inputs"]["scores"]["sha256"]) == 64
    assert record["parameters"]["num_reviewers"] == 2 and record["created"]
    assert record["probabilities"]["largest"] <= 1.0
    assert record["totals"]["expected"] <= record["totals"]["deterministic_optimum"] + 1e-9

    assert runner.invoke(app, [*args, "--seed", "20231"]).exit_code == 0
    assert output.read_text("utf-8") == first

    verify = [*base_args(files, output), "--verify", str(tmp_path / "draw.draw.json")]
    result = runner.invoke(app, verify)
    assert result.exit_code == 0, result.output
    assert "draw verified: seed 20231" in result.output

    output.write_text(first.replace("P1,", "P9,", 1), encoding="utf-8")
    result = runner.invoke(app, verify)
    assert result.exit_code == 1 and "differs from the draw's assignments" in result.output

    write(files["constraints"], "P1,R1,-1\n")
    result = runner.invoke(app, verify)
    assert result.exit_code == 1 and "is not the constraints file of the draw" in result.output


def test_random_draw_without_seed_reports_the_one_it_drew(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "draw.csv"
    args = [*base_args(files, output), "--mode", "random", "--max-probability", "0.6"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    seed = json.loads((tmp_path / "draw.draw.json").read_text("utf-8"))["seed"]
    assert f"seed {seed}" in result.output
    first = output.read_text("utf-8")
    assert runner.invoke(app, [*args, "--seed", str(seed)]).exit_code == 0
    assert output.read_text("utf-8") == first


def test_random_options_are_checked(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    result = runner.invoke(app, [*base_args(files, output), "--mode", "random"])
    assert result.exit_code == 2 and "needs --max-probability" in result.output
    result = runner.invoke(app, [*base_args(files, output), "--seed", "3"])
    assert result.exit_code == 2 and "apply to --mode random only" in result.output


# Ids as people type them: no surrounding spaces, no line breaks (a CSV cell may still hold commas).
ids = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12).filter(
    lambda text: text == text.strip() and text.strip()
)


@given(st.dictionaries(st.tuples(ids, ids), st.floats(allow_nan=False, allow_infinity=False), min_size=1))
def test_scores_round_trip(pairs: dict[tuple[str, str], float]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["entry_id", "expert_id", "score"])
    for (entry, expert), score in pairs.items():
        writer.writerow([entry, expert, repr(score)])
    rows = read_scores(buffer.getvalue().encode("utf-8"), "scores.csv")
    assert rows == [(entry, expert, score) for (entry, expert), score in pairs.items()]


@given(st.lists(st.tuples(ids, ids, st.sampled_from(["-1", "0", "1"])), max_size=20))
def test_constraints_parse_or_name_the_contradiction(rows: list[tuple[str, str, str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    first: dict[tuple[str, str], str] = {}
    contradiction = None
    for number, (entry, expert, value) in enumerate(rows, start=1):
        if first.setdefault((entry, expert), value) != value and contradiction is None:
            contradiction = number
    try:
        conflicts, forced = read_constraints(buffer.getvalue().encode("utf-8"), "c.csv")
    except InputFileError as error:
        assert contradiction is not None and f"c.csv: row {contradiction}: pair" in str(error)
        return
    assert contradiction is None
    assert conflicts == {pair for pair, value in first.items() if value == "-1"}
    assert forced == {pair for pair, value in first.items() if value == "1"}


def test_attribute_and_quota_readers() -> None:
    attributes = read_attributes(b"X1,side,Moscow\n\nX1,sector,energy.solar; it\nX2,side,Beijing\n", "a.csv")
    assert attributes == {
        "X1": {"side": frozenset({"Moscow"}), "sector": frozenset({"energy.solar", "it"})},
        "X2": {"side": frozenset({"Beijing"})},
    }
    with pytest.raises(InputFileError, match=r"a\.csv: row 2: expected 3 columns"):
        read_attributes(b"X1,side,Moscow\nX2,side\n", "a.csv")
    quotas = read_quotas(
        b'{"default": [{"attribute": "side", "at_least_one_of_each": ["Moscow", "Beijing"]}],'
        b' "entries": {"E3": [{"attribute": "sector", "values": ["a", "b"], "max": 1}]}}',
        "q.json",
    )
    assert [rule.label for rule in quotas.rules_for("E3")] == [
        "side=Moscow",
        "side=Beijing",
        "sector in {a, b}",
    ]
    assert quotas.rules_for("E3")[2].minimum == 0 and quotas.rules_for("E3")[2].maximum == 1
    for text, message in [
        (b"[1]", "expected an object"),
        (b'{"default": [{"attribute": "side"}]}', "give exactly one of value, values, at_least_one_of_each"),
        (b'{"default": [{"attribute": "s", "value": "x", "min": -1}]}', "min must be a whole number"),
        (b'{"default": [{"attribute": "s", "value": "x", "min": 2, "max": 1}]}', "max 1 is below min 2"),
        (b"{nope", "not JSON"),
    ]:
        with pytest.raises(InputFileError, match=message):
            read_quotas(text, "q.json")

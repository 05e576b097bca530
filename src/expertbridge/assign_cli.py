"""`expertbridge assign`: expert panels and juries from score files (the OpenReview matcher's CSV shapes).

Parsing and printing only: the files are read by ``matching.assign_io`` and the panels come from
``matching.assign``.  The command needs no database; a random draw is recorded in a JSON file next to
the output so that anyone holding the same files can reproduce and verify it.
"""

from __future__ import annotations

import io
import secrets
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from expertbridge.ingest.report import InputFileError
from expertbridge.matching.assign_io import QUOTAS_HELP
from expertbridge.outputs import require_writable, write_atomically

if TYPE_CHECKING:
    from rich.console import Console

    from expertbridge.matching.assign import AssignmentProblem, AssignmentResult, Quotas


class ModeChoice(StrEnum):
    optimal = "optimal"
    fair = "fair"
    random = "random"


class SolverChoice(StrEnum):
    auto = "auto"
    mip = "mip"


ASSIGN_HELP = (
    "Assign K experts to every entry (project, application, opportunity), never across a conflict of "
    "interest.\n\n"
    "Maximises the total affinity (optimal), or the weakest entry's total first, then the total (fair), or "
    "draws at random from the qualified pool with every expert–entry probability at most P (random, as in "
    "OpenReview's randomized matcher). A draw is written with its seed and the SHA-256 of every input to "
    "<output>.draw.json; the same command with --verify <output>.draw.json re-runs and checks it. "
    "Infeasible inputs are refused with the constraint that cannot be met; nothing is written.\n\n"
    "Only pairs listed in --scores are candidates: a pair absent from it has no known score and is never "
    "assigned.\n\n" + QUOTAS_HELP
)


def _sibling(output: Path, suffix: str) -> Path:
    """``panels.csv`` → ``panels.<suffix>`` in the same folder."""
    return output.with_name(f"{output.stem}.{suffix}")


def assign(
    scores: Annotated[
        Path,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="CSV entry_id,expert_id,score (header optional). Pairs absent from it are not "
            "candidates: their score is unknown, so that expert is never put on that entry.",
        ),
    ],
    num_reviewers: Annotated[int, typer.Option("--num-reviewers", min=1, help="experts per entry (K)")],
    max_load: Annotated[int, typer.Option("--max-load", min=1, help="most entries per expert")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV to write: entry_id,expert_id,score")],
    constraints: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            show_default=False,
            help="CSV entry_id,expert_id,value: -1 conflict of interest (never assigned), 1 forced",
        ),
    ] = None,
    min_load: Annotated[int, typer.Option("--min-load", min=0, help="fewest entries per expert")] = 0,
    quotas: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, show_default=False, help="JSON quota rules (see above)"),
    ] = None,
    attributes: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            show_default=False,
            help="CSV expert_id,attribute,value (e.g. X1,side,Moscow) for the quotas",
        ),
    ] = None,
    mode: Annotated[
        ModeChoice,
        typer.Option(
            help="optimal: largest total; fair: best weakest entry, then total; random: capped draw"
        ),
    ] = ModeChoice.optimal,
    max_probability: Annotated[
        float | None,
        typer.Option(
            "--max-probability", min=0.0001, max=1.0, show_default=False, help="random: cap P per pair"
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(min=0, show_default=False, help="random: seed (default: drawn and reported)")
    ] = None,
    alternates: Annotated[
        int,
        typer.Option(min=0, help="write this many next-best experts per entry to <output>.alternates.csv"),
    ] = 0,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="write each entry's total and what bound it to <output>.explanations.csv"
        ),
    ] = False,
    solver: Annotated[
        SolverChoice, typer.Option(help="auto: min-cost flow where it can, SCIP otherwise; mip: SCIP always")
    ] = SolverChoice.auto,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", min=1, show_default=False, help="seconds, for SCIP")
    ] = None,
    verify: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            show_default=False,
            help="re-run the random draw of this <output>.draw.json with the same files and check it; "
            "writes nothing",
        ),
    ] = None,
) -> None:
    """The `expertbridge assign` command; its help text is ``ASSIGN_HELP``."""
    from expertbridge.cli import fail, out
    from expertbridge.matching import assign as engine
    from expertbridge.matching import assign_io

    record: dict[str, Any] | None = None
    if verify is not None:
        try:
            record = assign_io.load_record(verify.read_bytes(), verify.name)
        except InputFileError as error:
            raise fail(str(error)) from None
        if mode is ModeChoice.fair:
            raise fail("--verify checks a random draw; leave out --mode or give --mode random", 2)
        mode = ModeChoice.random
        for given, key in ((seed, "seed"), (max_probability, "max_probability")):
            if given is not None and given != record[key]:
                raise fail(f"--{key.replace('_', '-')} {given} differs from the record's {record[key]}", 2)
        seed, max_probability = int(record["seed"]), float(record["max_probability"])
    if mode is ModeChoice.random and max_probability is None:
        raise fail("--mode random needs --max-probability P (the cap on each expert–entry probability)", 2)
    if mode is not ModeChoice.random and (max_probability is not None or seed is not None):
        raise fail("--max-probability and --seed apply to --mode random only", 2)
    if quotas is not None and attributes is None:
        raise fail("--quotas needs --attributes (the experts' attribute values the rules count)", 2)
    if mode is ModeChoice.random and seed is None:
        seed = secrets.randbits(32)
    if record is None:
        for target, option in _files_to_write(output, alternates=alternates, explain=explain, mode=mode):
            fix = None if target == output else "give --output another path"
            require_writable(target, option, fix=fix)
    elif output.is_dir():
        raise fail(f"--output: {output} is a folder; give the assignments file of the draw", 2)

    started = time.perf_counter()
    files = {"scores": (scores, scores.read_bytes())}
    for role, path in (("constraints", constraints), ("quotas", quotas), ("attributes", attributes)):
        if path is not None:
            files[role] = (path, path.read_bytes())
    problem = _read_problem(files, num_reviewers, max_load, min_load)
    reading = time.perf_counter() - started
    options = engine.AssignOptions(
        mode=engine.Mode(mode.value),
        max_probability=max_probability if max_probability is not None else 1.0,
        seed=seed,
        alternates=alternates,
        use_mip=solver is SolverChoice.mip,
        time_limit=time_limit,
    )
    try:
        result = engine.assign(problem, options)
    except engine.InfeasibleError as error:
        lines = "\n".join(f"  - {reason}" for reason in error.reasons[:20])
        more = f"\n  … and {len(error.reasons) - 20} more" if len(error.reasons) > 20 else ""
        raise fail(f"no assignment meets the constraints; nothing was written\n{lines}{more}") from None
    except ValueError as error:
        raise fail(f"{error}; nothing was written", 2) from None
    except TimeoutError as error:
        raise fail(f"{error}; give a longer --time-limit. Nothing was written") from None

    csv_text = assign_io.assignments_text(result)
    parameters = {
        "num_reviewers": num_reviewers,
        "max_load": max_load,
        "min_load": min_load,
        "mode": mode.value,
        "solver": solver.value,
    }
    if record is not None:
        _verify(record, files, parameters, csv_text, output)
        out.print(
            f"draw verified: seed {seed}, max probability {max_probability:g}; the same input files give "
            f"the recorded assignments ({len(result.assignments)} pairs)"
        )
        return
    try:
        written = _write_outputs(
            result, output, csv_text, files, parameters, alternates=alternates, explain=explain
        )
    except OSError as error:
        where = error.filename or output
        raise fail(f"{where}: cannot write ({error.strerror}); nothing was written") from None
    _print_summary(result, reading, written, out)


def _files_to_write(
    output: Path, *, alternates: int, explain: bool, mode: ModeChoice
) -> list[tuple[Path, str]]:
    """Every file a run writes, with the option that asks for it (checked before the work)."""
    files = [(output, "--output")]
    if alternates:
        files.append((_sibling(output, "alternates.csv"), "--alternates"))
    if explain:
        files.append((_sibling(output, "explanations.csv"), "--explain"))
    if mode is ModeChoice.random:
        files.append((_sibling(output, "draw.json"), "--mode random"))
    return files


def _read_problem(
    files: dict[str, tuple[Path, bytes]], per_entry: int, max_load: int, min_load: int
) -> AssignmentProblem:
    """The problem from the input files; a bad row ends the command with its file and row."""
    from expertbridge.cli import err, fail
    from expertbridge.matching import assign_io
    from expertbridge.matching.assign import AssignmentProblem, Quotas

    def source(role: str) -> tuple[bytes, str]:
        path, data = files[role]
        return data, path.name

    try:
        score_rows = assign_io.read_scores(*source("scores"))
        conflicts, forced = (
            assign_io.read_constraints(*source("constraints")) if "constraints" in files else (set(), set())
        )
        attributes = assign_io.read_attributes(*source("attributes")) if "attributes" in files else {}
        quotas = assign_io.read_quotas(*source("quotas")) if "quotas" in files else Quotas()
    except InputFileError as error:
        raise fail(f"{error}; nothing was written") from None
    for warning in _quota_warnings(score_rows, attributes, quotas):
        err.print(f"warning: {warning}")
    return AssignmentProblem(
        scores=score_rows,
        per_entry=per_entry,
        max_load=max_load,
        min_load=min_load,
        conflicts=conflicts,
        forced=forced,
        attributes=attributes,
        quotas=quotas,
    )


def _write_outputs(
    result: AssignmentResult,
    output: Path,
    csv_text: str,
    files: dict[str, tuple[Path, bytes]],
    parameters: dict[str, Any],
    *,
    alternates: int,
    explain: bool,
) -> list[Path]:
    """Write the assignments and the files that go with them; returns the paths written."""
    import json
    from importlib.metadata import version

    from expertbridge import __version__
    from expertbridge.matching import assign_io

    texts = {output: csv_text}
    if alternates:
        handle = io.StringIO()
        assign_io.write_alternates(result, handle)
        texts[_sibling(output, "alternates.csv")] = handle.getvalue()
    if explain:
        handle = io.StringIO()
        assign_io.write_explanations(result, handle)
        texts[_sibling(output, "explanations.csv")] = handle.getvalue()
    if result.draw is not None:
        record = assign_io.draw_record(
            result,
            inputs={role: (str(path), data) for role, (path, data) in files.items()},
            parameters=parameters,
            output=(str(output), csv_text),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            versions={"expertbridge": __version__, "ortools": version("ortools")},
        )
        texts[_sibling(output, "draw.json")] = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
    # All or nothing: a draw record without its assignments (or the reverse) cannot be verified.
    write_atomically(texts)
    return list(texts)


def _quota_warnings(
    score_rows: list[tuple[str, str, float]],
    attributes: dict[str, dict[str, frozenset[str]]],
    quotas: Quotas,
) -> list[str]:
    """Quota rules that name an entry or an attribute nobody has: probably typos."""
    warnings = []
    entries = {entry for entry, _, _ in score_rows}
    for entry in quotas.per_entry:
        if entry not in entries:
            warnings.append(f"quotas name entry {entry!r}, which has no scores; its rules are ignored")
    known = {attribute for values in attributes.values() for attribute in values}
    rules = list(quotas.default) + [rule for rules in quotas.per_entry.values() for rule in rules]
    for attribute in sorted({rule.attribute for rule in rules} - known):
        warnings.append(f"quotas use attribute {attribute!r}, which no expert has in the attributes file")
    return warnings


def _verify(
    record: dict[str, Any],
    files: dict[str, tuple[Path, bytes]],
    parameters: dict[str, Any],
    csv_text: str,
    output: Path,
) -> None:
    from expertbridge.cli import fail
    from expertbridge.matching.assign_io import sha256

    recorded_inputs = record["inputs"]
    for role in sorted(set(recorded_inputs) | set(files)):
        if role not in files:
            raise fail(
                f"the draw used a {role} file ({recorded_inputs[role]['path']}); give it with --{role}"
            )
        if role not in recorded_inputs:
            raise fail(f"the draw used no {role} file; leave out --{role}")
        if sha256(files[role][1]) != recorded_inputs[role]["sha256"]:
            raise fail(f"{files[role][0]} is not the {role} file of the draw (its SHA-256 differs)")
    for key, value in parameters.items():
        if key in record["parameters"] and record["parameters"][key] != value:
            raise fail(
                f"--{key.replace('_', '-')} {value} differs from the draw's {record['parameters'][key]}"
            )
    if sha256(csv_text.encode("utf-8")) != record["output"]["sha256"]:
        raise fail("the draw does not reproduce: the same inputs and seed give other assignments")
    if output.exists() and output.read_text(encoding="utf-8") != csv_text:
        raise fail(f"{output} differs from the draw's assignments (edited after the draw?)")


def _print_summary(result: AssignmentResult, reading: float, written: list[Path], out: Console) -> None:
    entries = len(result.entry_totals)
    per_entry = len(result.assignments) // entries if entries else 0
    out.print(
        f"assigned {entries} entries × {per_entry} experts; {result.experts_used} of {len(result.loads)} "
        f"experts used; affinity total {result.total:.4f}, min entry {result.min_entry_total:.4f}, "
        f"mean entry {result.mean_entry_total:.4f}"
    )
    status = "optimal"
    if not result.optimal:
        status = "not proved optimal" + (
            f"; upper bound {result.bound:.4f}, gap {result.bound - result.total:.4g}" if result.bound else ""
        )
    out.print(
        f"solver: {result.solver} ({status}); solved in {result.seconds:.2f} s, files read in {reading:.2f} s"
    )
    if result.weakest_bound is not None:
        # Fair mode at scale proves the weakest entry separately from the total: say how close.
        proved = "proved optimal" if result.min_entry_total >= result.weakest_bound - 1e-6 else "not proved"
        bound = result.weakest_bound
        out.print(f"weakest entry {result.min_entry_total:.4f}, its upper bound {bound:.4f} ({proved})")
    if result.draw is not None:
        draw = result.draw
        out.print(
            f"random draw: seed {draw.seed}, max probability {draw.effective_max_probability:g}; "
            f"expected total {draw.expected_total:.4f}, deterministic optimum {draw.optimal_total:.4f}"
        )
    out.print("wrote " + ", ".join(str(path) for path in written))

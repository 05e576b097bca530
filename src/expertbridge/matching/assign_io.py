"""Files of the assignment command, in the OpenReview matcher's CSV shapes, and the draw record.

Readers take the file's bytes and its name and raise ``InputFileError`` naming the file, the row and
what is wrong (every problem found, up to ``MAX_ISSUES``); writers take an ``AssignmentResult``.

- scores: ``entry_id,expert_id,score``; a header row is optional and is recognised by its value
  column's name (score, affinity, value, weight or label); known names reorder the columns, e.g.
  ``reviewer_id,paper_id,score``;
- constraints: ``entry_id,expert_id,value`` with −1 a conflict of interest, 1 a forced pair, 0 nothing;
- attributes: ``expert_id,attribute,value``, one row per value (or values separated by ``;``);
- quotas: JSON, see ``read_quotas``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from expertbridge.ingest.report import InputFileError
from expertbridge.ingest.tables import decoded_text
from expertbridge.matching.assign_problem import AssignmentResult, QuotaRule, Quotas, ScoreRow
from expertbridge.messages import Message
from expertbridge.registry.problems import N_

MAX_ISSUES = 10

_ENTRY_NAMES = {"entry_id", "entry", "paper_id", "paper", "submission_id", "submission", "head"}
_EXPERT_NAMES = {"expert_id", "expert", "reviewer_id", "reviewer", "user", "tail"}
_VALUE_NAMES = {"score", "affinity", "value", "weight", "label"}


def _text(data: bytes, source: str, *, may_be_empty: bool = False) -> str:
    if not data.strip():
        if may_be_empty:
            return ""
        raise InputFileError(Message.of(N_("%(source)s: the file is empty"), source=source))
    return decoded_text(data, source)


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped cells) of every non-blank row."""
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        stripped = [cell.strip() for cell in cells]
        if any(stripped):
            yield reader.line_num, stripped


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


class _Issues:
    """Problems found in one file; raises them together so a user fixes every row in one go."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Message] = []
        self.count = 0

    def add(self, row: int, message: Message | str) -> None:
        self.count += 1
        if len(self.found) < MAX_ISSUES:
            # The row number is a label here, as in "row 7", not an amount: written without grouping.
            self.found.append(Message.of(N_("row %(row)s: %(problem)s"), row=str(row), problem=message))

    def raise_any(self) -> None:
        if self.found:
            problems = Message.join(self.found)
            if self.count > len(self.found):
                problems = Message.of(
                    N_("%(problems)s; … and %(count)s more"),
                    problems=problems,
                    count=self.count - len(self.found),
                )
            raise InputFileError(
                Message.of("%(source)s: %(problems)s", source=self.source, problems=problems)
            )


def _triples(
    data: bytes, columns: str, issues: _Issues, *, may_be_empty: bool = False
) -> Iterator[tuple[int, str, str, str]]:
    """(row, entry, expert, value) of a three-column pair file; a non-numeric first value is a header."""
    order = (0, 1, 2)
    first = True
    for row, cells in _rows(_text(data, issues.source, may_be_empty=may_be_empty)):
        if first:
            first = False
            names = [cell.lower() for cell in cells]
            # A header names its value column; a first row such as P1,R1,high is a bad data row.
            if len(cells) == 3 and _number(cells[2]) is None and set(names) & _VALUE_NAMES:
                found = [
                    next((i for i, name in enumerate(names) if name in wanted), -1)
                    for wanted in (_ENTRY_NAMES, _EXPERT_NAMES, _VALUE_NAMES)
                ]
                if -1 not in found and len(set(found)) == 3:
                    order = (found[0], found[1], found[2])
                continue
        if len(cells) != 3:
            issues.add(
                row,
                Message.of(
                    N_("expected 3 columns (%(columns)s), found %(count)s"), columns=columns, count=len(cells)
                ),
            )
            continue
        entry, expert, value = (cells[i] for i in order)
        if not entry or not expert:
            issues.add(
                row, Message.of(N_("empty %(column)s"), column="entry_id" if not entry else "expert_id")
            )
            continue
        yield row, entry, expert, value


def read_scores(data: bytes, source: str) -> list[ScoreRow]:
    """``(entry, expert, score)`` rows; every pair once, every score a finite number."""
    issues = _Issues(source)
    scores: list[ScoreRow] = []
    first_row: dict[tuple[str, str], int] = {}
    for row, entry, expert, value in _triples(data, "entry_id,expert_id,score", issues):
        score = _number(value)
        if score is None:
            issues.add(row, Message.of(N_("score %(value)s is not a number"), value=repr(value)))
        elif not math.isfinite(score):
            issues.add(row, Message.of(N_("score %(value)s is not a finite number"), value=repr(value)))
        elif (entry, expert) in first_row:
            issues.add(
                row,
                Message.of(
                    N_("pair %(entry)s,%(expert)s already has a score on row %(row)s"),
                    entry=entry,
                    expert=expert,
                    row=str(first_row[entry, expert]),
                ),
            )
        else:
            first_row[entry, expert] = row
            scores.append((entry, expert, score))
    issues.raise_any()
    if not scores:
        raise InputFileError(Message.of(N_("%(source)s: no scores found"), source=source))
    return scores


def read_constraints(data: bytes, source: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(conflicts, forced pairs): value −1 is a conflict of interest, 1 a forced pair, 0 nothing.

    An empty file is allowed: no constraints.
    """
    issues = _Issues(source)
    conflicts: set[tuple[str, str]] = set()
    forced: set[tuple[str, str]] = set()
    first_row: dict[tuple[str, str], tuple[int, float]] = {}
    for row, entry, expert, value in _triples(data, "entry_id,expert_id,value", issues, may_be_empty=True):
        number = _number(value)
        if number is None or number not in (-1.0, 0.0, 1.0):
            issues.add(row, f"value {value!r} must be -1 (conflict), 1 (forced) or 0 (none)")
            continue
        earlier = first_row.setdefault((entry, expert), (row, number))
        if earlier[1] != number:
            issues.add(row, f"pair {entry},{expert} is {value} here but {earlier[1]:g} on row {earlier[0]}")
        elif number == -1:
            conflicts.add((entry, expert))
        elif number == 1:
            forced.add((entry, expert))
    issues.raise_any()
    return conflicts, forced


def read_attributes(data: bytes, source: str) -> dict[str, dict[str, frozenset[str]]]:
    """expert → attribute → values, from rows ``expert_id,attribute,value`` (``;`` separates values)."""
    issues = _Issues(source)
    values: dict[str, dict[str, set[str]]] = {}
    first = True
    for row, cells in _rows(_text(data, source)):
        if first:
            first = False
            if len(cells) == 3 and cells[1].lower() == "attribute":
                continue
        if len(cells) != 3:
            issues.add(row, f"expected 3 columns (expert_id,attribute,value), found {len(cells)}")
            continue
        expert, attribute, value = cells
        if not expert or not attribute or not value:
            issues.add(row, "expert_id, attribute and value must all be given")
            continue
        parts = {part.strip() for part in value.split(";") if part.strip()}
        values.setdefault(expert, {}).setdefault(attribute, set()).update(parts)
    issues.raise_any()
    return {
        expert: {attribute: frozenset(found) for attribute, found in attributes.items()}
        for expert, attributes in values.items()
    }


QUOTAS_HELP = (
    'quotas.json: {"default": [RULE, ...], "entries": {"ENTRY_ID": [RULE, ...]}}. Default rules bind every '
    "entry; an entry's own rules are added to them. A RULE is one of\n\n"
    '  {"attribute": "side", "at_least_one_of_each": ["Moscow", "Beijing"]}\n'
    '  {"attribute": "sector", "value": "energy", "min": 1}\n'
    '  {"attribute": "sector", "values": ["energy.solar", "energy.wind"], "min": 1, "max": 2}\n\n'
    '"min" defaults to 1 (0 when only "max" is given). Attribute values come from the attributes file; '
    'a value also matches its dotted sub-codes ("energy" matches "energy.solar").'
)
"""The quota file's format, for ``--help`` and documentation (paragraphs are single lines, so that a
terminal of any width wraps them)."""


def read_quotas(data: bytes, source: str) -> Quotas:
    """Quota rules from JSON (the format is ``QUOTAS_HELP``); a wrong key names its place in the file."""
    try:
        document = json.loads(_text(data, source))
    except json.JSONDecodeError as error:
        raise InputFileError(f"{source}: not JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(document, dict):
        raise InputFileError(f"{source}: expected an object with keys default and entries")
    unknown = set(document) - {"default", "entries"}
    if unknown:
        raise InputFileError(f"{source}: unknown key {sorted(unknown)[0]!r}; use default and entries")
    default = _rules(document.get("default", []), f"{source}: default")
    entries = document.get("entries", {})
    if not isinstance(entries, dict):
        raise InputFileError(f"{source}: entries must be an object of entry id → list of rules")
    per_entry = {str(entry): _rules(rules, f"{source}: entries.{entry}") for entry, rules in entries.items()}
    return Quotas(default, per_entry)


def _rules(items: Any, where: str) -> tuple[QuotaRule, ...]:
    if not isinstance(items, list):
        raise InputFileError(f"{where}: expected a list of rules")
    rules: list[QuotaRule] = []
    for number, item in enumerate(items):
        place = f"{where}[{number}]"
        if not isinstance(item, dict):
            raise InputFileError(f'{place}: a rule is an object such as {{"attribute": "side", ...}}')
        unknown = set(item) - {"attribute", "value", "values", "at_least_one_of_each", "min", "max"}
        if unknown:
            raise InputFileError(f"{place}: unknown key {sorted(unknown)[0]!r}")
        attribute = item.get("attribute")
        if not isinstance(attribute, str) or not attribute:
            raise InputFileError(f'{place}: "attribute" must name an attribute of attributes.csv')
        kinds = [key for key in ("value", "values", "at_least_one_of_each") if key in item]
        if len(kinds) != 1:
            raise InputFileError(f"{place}: give exactly one of value, values, at_least_one_of_each")
        if kinds[0] == "at_least_one_of_each":
            if "min" in item or "max" in item:
                raise InputFileError(f"{place}: at_least_one_of_each takes no min or max")
            for value in _strings(item["at_least_one_of_each"], place):
                rules.append(QuotaRule(attribute, frozenset({value}), 1))
            continue
        values = [item["value"]] if kinds[0] == "value" else item["values"]
        chosen = _strings(values, place)
        maximum = item.get("max")
        minimum = item.get("min", 0 if maximum is not None else 1)
        for key, number_value in (("min", minimum), ("max", maximum)):
            if number_value is not None and (type(number_value) is not int or number_value < 0):
                raise InputFileError(f"{place}: {key} must be a whole number ≥ 0")
        if maximum is not None and maximum < minimum:
            raise InputFileError(f"{place}: max {maximum} is below min {minimum}")
        rules.append(QuotaRule(attribute, frozenset(chosen), minimum, maximum))
    return tuple(rules)


def _strings(values: Any, place: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise InputFileError(f"{place}: values must be a non-empty list of strings")
    return [str(v) for v in values]


def _format(score: float) -> str:
    # repr gives the shortest text that reads back as the same float.
    return repr(float(score))


def write_assignments(result: AssignmentResult, handle: TextIO) -> None:
    """CSV ``entry_id,expert_id,score`` with a header, by entry, best score first."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["entry_id", "expert_id", "score"])
    for assignment in result.assignments:
        writer.writerow([assignment.entry, assignment.expert, _format(assignment.score)])


def assignments_text(result: AssignmentResult) -> str:
    """The assignments CSV as text (what ``write_assignments`` writes), for hashing a draw."""
    buffer = io.StringIO()
    write_assignments(result, buffer)
    return buffer.getvalue()


def write_alternates(result: AssignmentResult, handle: TextIO) -> None:
    """CSV ``entry_id,rank,expert_id,score``."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["entry_id", "rank", "expert_id", "score"])
    for alternate in result.alternates:
        writer.writerow([alternate.entry, alternate.rank, alternate.expert, _format(alternate.score)])


def write_explanations(result: AssignmentResult, handle: TextIO) -> None:
    """CSV ``entry_id,total,best_possible,notes`` (notes separated by ``; ``)."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["entry_id", "total", "best_possible", "notes"])
    for explanation in result.explanations:
        writer.writerow(
            [
                explanation.entry,
                f"{explanation.total:.6g}",
                f"{explanation.best_possible:.6g}",
                "; ".join(explanation.notes),  # in English, as every output file
            ]
        )


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def draw_record(
    result: AssignmentResult,
    *,
    inputs: Mapping[str, tuple[str, bytes]],
    parameters: Mapping[str, Any],
    output: tuple[str, str],
    created: str,
    versions: Mapping[str, str],
) -> dict[str, Any]:
    """The JSON record of a random draw: what went in (file digests), the seed and cap, what came out.

    ``inputs`` maps a role (scores, constraints, …) to (path, bytes); ``output`` is (path, CSV text).
    Anyone with the same files can re-run the draw and compare digests.
    """
    assert result.draw is not None
    draw = result.draw
    return {
        "record": "expertbridge assignment draw",
        "version": 1,
        "created": created,
        "seed": draw.seed,
        "max_probability": draw.max_probability,
        "effective_max_probability": draw.effective_max_probability,
        "probability_resolution": draw.resolution,
        "parameters": dict(parameters),
        "inputs": {role: {"path": path, "sha256": sha256(data)} for role, (path, data) in inputs.items()},
        "output": {"path": output[0], "sha256": sha256(output[1].encode("utf-8"))},
        "totals": {
            "drawn": result.total,
            "expected": draw.expected_total,
            "deterministic_optimum": draw.optimal_total,
        },
        "probabilities": draw.probability_summary(),
        "software": dict(versions),
    }


def load_record(data: bytes, source: str) -> dict[str, Any]:
    """A draw record read back; raises InputFileError if it is not one."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputFileError(f"{source}: not a JSON draw record") from None
    if not isinstance(record, dict) or record.get("record") != "expertbridge assignment draw":
        raise InputFileError(f"{source}: not an expertbridge draw record")
    for key in ("seed", "max_probability", "parameters", "inputs", "output"):
        if key not in record:
            raise InputFileError(f"{source}: the record has no {key!r}")
    return record

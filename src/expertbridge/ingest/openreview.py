"""Readers of the OpenReview expertise format, as reviewer-matching tools exchange it.

- Archives: a folder with one ``<reviewer id>.jsonl`` file per reviewer (OpenReview names them
  ``~First_Last1.jsonl``), one publication per line: ``{"content": {"title": …, "abstract": …}}``.
- Submissions: a JSON object ``{submission id: {"content": {…}}}``, a JSON array of
  ``{"id": …, "content": {…}}``, or JSON Lines of ``{"id": …, "content": {…}}``.

Content values may be plain strings (API 1) or ``{"value": "…"}`` (API 2); a missing field or
``null`` is empty text.  Any other value (a number, a list, an object without ``"value"``) is an
error rather than silently empty text: a file like that was not written by OpenReview, and a
reviewer or submission scored on nothing would quietly get 0 everywhere.  Problems are reported
with the file and line, as :class:`InputFileError`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from expertbridge.ingest.report import InputFileError
from expertbridge.matching.affinity import Paper

FIELDS = ("title", "abstract")
ARCHIVES_EXPECTED = "expected one <reviewer id>.jsonl file of publications per reviewer"
SUBMISSIONS_EXPECTED = (
    'expected a JSON object of submission id → {"content": {"title": …, "abstract": …}}, '
    'or JSON Lines of {"id": …, "content": {…}}'
)

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "text"
    return "null" if value is None else type(value).__name__


def _text(value: Any, where: str, field: str) -> str:
    raw = value
    if isinstance(value, dict):
        if "value" not in value:
            raise InputFileError(
                f'{where}: "{field}" is an object without "value"; write the text itself '
                f'or {{"value": "text"}}'
            )
        value = value["value"]
    if value is None:
        return ""
    if not isinstance(value, str):
        shown = f'"{field}"' + (".value" if isinstance(raw, dict) else "")
        raise InputFileError(
            f'{where}: {shown} is {_kind(value)}, not text; write the text itself or {{"value": "text"}}'
        )
    return value.strip()


def _paper(item: Any, where: str) -> Paper:
    if not isinstance(item, dict) or not isinstance(item.get("content"), dict):
        raise InputFileError(
            f'{where}: expected an object with a "content" object holding title and abstract'
        )
    content = item["content"]
    title, abstract = (_text(content.get(field), where, field) for field in FIELDS)
    return Paper(title, abstract)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot read ({error.strerror})") from None


def _not_json(path: Path, line: int, error: json.JSONDecodeError, read_as: str) -> InputFileError:
    return InputFileError(f"{path}, line {line}: not JSON ({error.msg} at column {error.colno}); {read_as}")


def _parse_lines(path: Path, text: str) -> tuple[list[tuple[int, Any]], InputFileError | None, int]:
    """JSON Lines: the items with their line numbers, or the first error and its offset in ``text``."""
    items = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.strip():
            try:
                items.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                problem = _not_json(path, number, error, "read as JSON Lines, one JSON value per line")
                return items, problem, offset + error.pos
        offset += len(line)
    return items, None, len(text)


def _json_lines(path: Path) -> list[tuple[int, Any]]:
    items, problem, _ = _parse_lines(path, _read_text(path))
    if problem:
        raise problem
    return items


def _skip_whitespace(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _members(text: str) -> list[tuple[str | None, Any, int]]:
    """The members of the top-level object or array of ``text`` (valid JSON): key (``None`` in an
    array), value and the line the member starts on.  Unlike ``json.loads``, which keeps the last of
    two equal keys, this sees every key, with its line."""
    members: list[tuple[str | None, Any, int]] = []
    position = _skip_whitespace(text, 0)
    closer = "}" if text[position] == "{" else "]"
    position = _skip_whitespace(text, position + 1)
    line, counted = 1, 0
    while text[position] != closer:
        line += text.count("\n", counted, position)
        counted = position
        key = None
        if closer == "}":
            key, position = _DECODER.raw_decode(text, position)
            position = _skip_whitespace(text, _skip_whitespace(text, position) + 1)  # past the ':'
        value, position = _DECODER.raw_decode(text, position)
        members.append((key, value, line))
        position = _skip_whitespace(text, position)
        if text[position] == ",":
            position = _skip_whitespace(text, position + 1)
    return members


def read_archives(folder: Path) -> dict[str, list[Paper]]:
    """Each reviewer's publications, by reviewer id (the file name without ``.jsonl``)."""
    if folder.is_file():
        raise InputFileError(f"{folder}: is a file, expected a folder ({ARCHIVES_EXPECTED})")
    if not folder.is_dir():
        raise InputFileError(f"{folder}: no such folder ({ARCHIVES_EXPECTED})")
    reviewers: dict[str, list[Paper]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        reviewers[path.stem] = [_paper(item, f"{path}, line {number}") for number, item in _json_lines(path)]
    if not reviewers:
        raise InputFileError(f"{folder}: no .jsonl files ({ARCHIVES_EXPECTED})")
    return reviewers


def read_submissions(path: Path) -> dict[str, Paper]:
    """Submissions by id, from a JSON object of id → note, a JSON array of notes with an id, or JSON
    Lines of notes with an id.

    The file is first parsed as one JSON document, then (when that fails) as JSON Lines.  When both
    fail, the error reported is that of the parse that got further into the file: a pretty-printed
    object with a typo on line 3 is reported at line 3 (the JSON Lines parse stops at its line 1,
    ``{``), a JSON Lines file with a bad line 7 at line 7 (the whole-document parse stops at line 2,
    where the second value starts).  On a tie, JSON Lines wins when at least one line was read.
    Each message says which of the two readings it comes from.

    A submission id given twice (two keys of the object, or two notes) is an error naming both lines.
    """
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, expected a file ({SUBMISSIONS_EXPECTED})")
    if not path.is_file():
        raise InputFileError(f"{path}: no such file ({SUBMISSIONS_EXPECTED})")
    text = _read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as whole:
        items, problem, reached = _parse_lines(path, text)
        if problem:
            if whole.pos > reached or (whole.pos == reached and not items):
                raise _not_json(path, whole.lineno, whole, "read as one JSON document") from None
            raise problem from None
        members: list[tuple[str | None, Any, int]] = [(None, note, line) for line, note in items]
    else:
        if not isinstance(document, dict | list):
            raise InputFileError(f"{path}: holds {_kind(document)}; {SUBMISSIONS_EXPECTED}")
        members = _members(text)
    submissions: dict[str, Paper] = {}
    first_line: dict[str, int] = {}
    for key, note, line in members:
        if key is None:
            if not isinstance(note, dict) or note.get("id") in (None, ""):
                raise InputFileError(
                    f'{path}, line {line}: a submission needs an "id" and a "content" object'
                )
            key = str(note["id"])
        if key in first_line:
            raise InputFileError(
                f'{path}, lines {first_line[key]} and {line}: submission id "{key}" appears twice; '
                "give each submission its own id, or remove one of the two"
            )
        first_line[key] = line
        submissions[key] = _paper(note, f'{path}, line {line} (submission "{key}")')
    return submissions

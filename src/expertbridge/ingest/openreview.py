"""Readers of the OpenReview expertise format, as reviewer-matching tools exchange it.

- Archives: a folder with one ``<reviewer id>.jsonl`` file per reviewer (OpenReview names them
  ``~First_Last1.jsonl``), one publication per line: ``{"content": {"title": …, "abstract": …}}``.
- Submissions: a JSON object ``{submission id: {"content": {…}}}``, or JSON Lines of
  ``{"id": …, "content": {…}}``.

Content values may be plain strings (API 1) or ``{"value": "…"}`` (API 2).  Problems are reported
with the file and line, as :class:`InputFileError`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from expertbridge.ingest.report import InputFileError
from expertbridge.matching.affinity import Paper


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value", "")
    return value.strip() if isinstance(value, str) else ""


def _paper(item: Any, where: str) -> Paper:
    if not isinstance(item, dict) or not isinstance(item.get("content"), dict):
        raise InputFileError(
            f'{where}: expected an object with a "content" object holding title and abstract'
        )
    content = item["content"]
    return Paper(_text(content.get("title")), _text(content.get("abstract")))


def _json_lines(path: Path) -> list[tuple[int, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                items.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                raise InputFileError(f"{path}, line {number}: not JSON ({error.msg})") from None
    return items


def read_archives(folder: Path) -> dict[str, list[Paper]]:
    """Each reviewer's publications, by reviewer id (the file name without ``.jsonl``)."""
    if not folder.is_dir():
        raise InputFileError(f"{folder}: no such folder (expected one <reviewer id>.jsonl file per reviewer)")
    reviewers: dict[str, list[Paper]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        reviewers[path.stem] = [_paper(item, f"{path}, line {number}") for number, item in _json_lines(path)]
    if not reviewers:
        raise InputFileError(
            f"{folder}: no .jsonl files (expected one <reviewer id>.jsonl file per reviewer)"
        )
    return reviewers


def read_submissions(path: Path) -> dict[str, Paper]:
    """Submissions by id, from a JSON object of id → note or from JSON Lines of notes with an id."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        return {str(key): _paper(note, f"{path}, submission {key}") for key, note in data.items()}
    items = list(enumerate(data, start=1)) if isinstance(data, list) else _json_lines(path)
    submissions = {}
    for number, note in items:
        if not isinstance(note, dict) or not note.get("id"):
            raise InputFileError(f'{path}, item {number}: a submission needs an "id" and a "content" object')
        submissions[str(note["id"])] = _paper(note, f"{path}, item {number}")
    return submissions

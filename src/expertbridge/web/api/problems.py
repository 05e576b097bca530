"""The problems a 422 of the JSON API lists: each names its field and says what is wrong.

A problem repeats at most :data:`MAX_ECHO` characters of the value it is about, so that a 3 MB
value sent by mistake is not sent back in full; a body that is not JSON is said to be so, at its
line and column (not as a field named by a character offset).

>>> echoed("x" * 250) == "x" * MAX_ECHO + "…", echoed("Москва")
(True, 'Москва')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

MAX_ECHO = 200
ELLIPSIS = "…"


def echoed(value: str) -> str:
    """``value`` as a problem repeats it: whole up to :data:`MAX_ECHO` characters, else its start
    and "…"."""
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + ELLIPSIS


def shortened(message: str, values: Iterable[Any]) -> str:
    """``message`` with every long one of ``values`` it repeats cut as :func:`echoed` cuts it.

    >>> shortened("`" + "z" * 300 + "` is not a sector", ["z" * 300]) == f"`{'z' * 200}…` is not a sector"
    True
    """
    for value in values:
        if isinstance(value, str) and len(value) > MAX_ECHO and value in message:
            message = message.replace(value, echoed(value))
    return message


def json_position(document: str | bytes, position: int) -> tuple[int, int]:
    """The line and column (both from 1) of the character at ``position`` of ``document``.

    >>> json_position('{"a": 1,\\n "b": }', 15)
    (2, 7)
    """
    text = document.decode("utf-8", "replace") if isinstance(document, bytes) else document
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


def _invalid_json(error: dict[str, Any], document: Any) -> dict[str, str]:
    """The problem of a body that is not JSON: where it stops being JSON and why."""
    position = error["loc"][1] if len(error["loc"]) > 1 and isinstance(error["loc"][1], int) else 0
    reason = str((error.get("ctx") or {}).get("error") or "not JSON")
    if isinstance(document, str | bytes):
        line, column = json_position(document, position)
        where = f"line {line}, column {column}"
    else:
        where = f"character {position + 1}"
    return {
        "field": "",
        "message": f"the body is not valid JSON: {reason} at {where}; send one JSON object",
    }


def validation_problems(errors: Sequence[Any], body: Any = None) -> list[dict[str, str]]:
    """The problems of a request FastAPI refused: ``{"field", "message"}`` each, the field named by
    its path after the part of the request (``per_page``, ``languages.0``), the value it repeats
    cut to :data:`MAX_ECHO` characters.  ``body`` is the request body as FastAPI read it (the text
    of a body that is not JSON)."""
    problems = []
    for error in errors:
        if error.get("type") == "json_invalid":
            problems.append(_invalid_json(error, body))
            continue
        context = error.get("ctx") or {}
        problems.append(
            {
                "field": ".".join(str(part) for part in error["loc"][1:]),
                "message": shortened(str(error["msg"]), [error.get("input"), *context.values()]),
            }
        )
    return problems

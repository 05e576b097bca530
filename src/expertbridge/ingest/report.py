"""Validation issues, the report an import prints, and sentences a page can say in any language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

MessageValue: TypeAlias = "str | int | float | Message"


@dataclass(frozen=True)
class Message:
    """A sentence for a person: an English ``template`` marked for translation with ``N_`` and the values
    of its ``%(name)s`` placeholders.

    Text values are names and ids, shown as they are; numbers are written in the reader's way; a value
    that is itself a Message is said in the reader's language too.  ``text`` is the English sentence
    (the command line, CSV and JSON outputs); a page renders it with ``web.issues.message_text``.

    >>> Message.of("entry %(entry)s has only %(count)s experts", entry="E1", count=2).text
    'entry E1 has only 2 experts'
    >>> str(Message.join([Message.of("a %(n)s", n=1200), Message.of("b")]))
    'a 1,200; b'
    """

    template: str
    params: tuple[tuple[str, MessageValue], ...] = ()

    @classmethod
    def of(cls, template: str, **params: MessageValue) -> Message:
        """A message from its template and named values."""
        return cls(template, tuple(params.items()))

    @classmethod
    def join(cls, messages: Sequence[Message], separator: str = "; ") -> Message:
        """Several messages as one, each still said in the reader's language."""
        template = separator.join(f"%(m{number})s" for number in range(len(messages)))
        return cls(template, tuple((f"m{number}", message) for number, message in enumerate(messages)))

    def render(self, translate: Callable[[str], str], number: Callable[[int | float], str]) -> str:
        """The sentence with ``translate`` applied to every template and ``number`` to every number."""
        text = translate(self.template)
        if not self.params:
            return text
        values: dict[str, str] = {}
        for name, value in self.params:
            if isinstance(value, Message):
                values[name] = value.render(translate, number)
            elif isinstance(value, bool | str):
                values[name] = str(value)
            else:
                values[name] = number(value)
        return text % values

    @property
    def text(self) -> str:
        """The English sentence (numbers as 2,000 and 0.25)."""
        return self.render(lambda template: template, _english_number)

    def __str__(self) -> str:
        return self.text

    def renamed(self, name: str, names: Mapping[str, str]) -> Message:
        """The same message with every ``name`` value found in ``names`` replaced (an entry's id by its
        code, an expert's id by their name), in nested messages too."""
        params: list[tuple[str, MessageValue]] = []
        for key, value in self.params:
            if isinstance(value, Message):
                value = value.renamed(name, names)
            elif key == name and isinstance(value, str):
                value = names.get(value, value)
            params.append((key, value))
        return Message(self.template, tuple(params))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (stored with a panel run); ``from_json`` reads it back."""
        return {
            "template": self.template,
            "params": {
                name: value.to_json() if isinstance(value, Message) else value for name, value in self.params
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> Message:
        """A message from ``to_json``; a plain string (stored before messages were structured) is kept
        as it was written."""
        if isinstance(data, str):
            return cls(data)
        params = tuple(
            (name, cls.from_json(value) if isinstance(value, dict) else value)
            for name, value in data.get("params", {}).items()
        )
        return cls(str(data["template"]), params)


def _english_number(value: int | float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,g}"


class InputFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do.

    ``note`` (when given) is the same message as a :class:`Message`, for a page in another language.
    """

    def __init__(self, message: str | Message) -> None:
        super().__init__(str(message))
        self.note = message if isinstance(message, Message) else Message(message)


@dataclass(frozen=True)
class Issue:
    """One problem in one row: where, what value, why, and (in the message) what to do.

    ``message`` is English; ``template`` and ``params`` (when the message was made from a template
    marked for translation) let a page say it in the reader's language.
    """

    row: int
    column: str
    value: str
    message: str
    template: str = ""
    params: tuple[tuple[str, str | int], ...] = ()

    def describe(self) -> str:
        """One line for a person: ``row 7, column email ("x@"): not an e-mail address``."""
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        value = f" ({shown!r})" if shown else ""
        return f"{where}{value}: {self.message}"


@dataclass
class ImportReport:
    """What an import read, wrote and refused."""

    rows: int = 0
    valid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Valid rows left out on purpose (an expert who withdrew consent); a warning says why for each.
    skipped: int = 0
    organizations_created: int = 0
    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What each row that updates a stored record changes ("row 12, #7 Иванов Иван: would change email").
    changes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def invalid_rows(self) -> int:
        """How many rows had at least one issue."""
        return len({issue.row for issue in self.issues})

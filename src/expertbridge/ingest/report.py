"""Validation issues and the report an import prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from expertbridge.messages import Message

# How many row numbers a warning names before it stops ("2, 5, 9, …").
ROWS_NAMED = 10


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

    ``message`` is English; ``template`` and its values (when the message was made from a template
    marked for translation) let a page say it in the reader's language.  The values follow
    :class:`~expertbridge.messages.Message`: ``params`` are what the row or the registry holds, text
    shown as written on every page (a name, a city as the file wrote it, an id, a row number) and
    numbers written as quantities; ``labels`` are words of the code marked ``N_`` (a script's name),
    the only values a page translates.  A value is never translated for happening to be a word of
    the catalogs: an organization named "Other" stays "Other" on a Russian page.

    >>> script = Issue.of(2, "name_ru", "Ivan", "written in %(script)s", script=Message("Cyrillic"))
    >>> script.message, script.params, [name for name, _ in script.labels]
    ('written in Cyrillic', (), ['script'])
    >>> Issue.of(3, "bio_en", "…", "longer than %(limit)s characters", limit=20_000).message
    'longer than 20,000 characters'
    """

    row: int
    column: str
    value: str
    message: str
    template: str = ""
    params: tuple[tuple[str, str | int], ...] = ()
    labels: tuple[tuple[str, Message], ...] = ()

    @classmethod
    def of(cls, row: int, column: str, value: str, template: str, /, **values: str | int | Message) -> Issue:
        """The problem ``template`` (marked ``N_``) describes, its English message written as
        :attr:`Message.text` writes it (2,000): a :class:`Message` value is a label said in the
        reader's language, text is shown as written, an int is a quantity."""
        # Positional-only above: a template may name a value "row", "column" or "value".
        params = tuple((name, given) for name, given in values.items() if not isinstance(given, Message))
        labels = tuple((name, given) for name, given in values.items() if isinstance(given, Message))
        issue = cls(row, column, value, "", template, params, labels)
        return replace(issue, message=issue.note.text)

    @property
    def note(self) -> Message:
        """The problem as a :class:`Message`, for a page to say in its reader's language (labels
        translated, text as written, quantities the reader's way).  An issue made without a template
        is its English message, which a page shows as it is."""
        if not self.template:
            # Not a template of the catalogs: shown as written, never looked up.
            return Message("%(message)s", (("message", self.message),))
        return Message(self.template, (*self.params, *self.labels))

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
    # Written, or in a dry run what would be (organizations_created stays 0 in a dry run).
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Valid rows left out on purpose (an expert who withdrew consent); a warning says why for each.
    skipped: int = 0
    organizations_created: int = 0
    issues: list[Issue] = field(default_factory=list)
    # A Message when a page can say the warning in its language; str(warning) is the English one.
    warnings: list[str | Message] = field(default_factory=list)
    # What each row that updates a stored record changes ("row 12, #7 Иванов Иван: would change email").
    changes: list[Message] = field(default_factory=list)
    written: bool = False

    @property
    def invalid_rows(self) -> int:
        """How many rows had at least one issue."""
        return len({issue.row for issue in self.issues})

    def sort_issues(self, columns: Sequence[str]) -> None:
        """Put the issues in the order of the file: by row, then by column in ``columns``' order
        (other columns after those), each cell's issues in the order they were found.

        The checks run in turns (the cells of a row, then the registry, then a coordinator's side), so
        they find the problems of row 8 after those of row 16.
        """
        position = {column: index for index, column in enumerate(columns)}
        self.issues.sort(key=lambda issue: (issue.row, position.get(issue.column, len(position))))


def row_list(numbers: Sequence[int]) -> str:
    """Row numbers for a message, the first :data:`ROWS_NAMED` of them: ``2, 5, 9`` or ``2, 3, …``.

    >>> row_list([12, 13]), row_list(list(range(1, 30)))
    ('12, 13', '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …')
    """
    shown = ", ".join(str(number) for number in numbers[:ROWS_NAMED])
    return f"{shown}, …" if len(numbers) > ROWS_NAMED else shown

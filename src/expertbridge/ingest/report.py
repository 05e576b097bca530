"""Validation issues and the report an import prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from expertbridge.messages import Message


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

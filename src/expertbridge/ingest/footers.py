"""The rows an office puts below a table: a total ("合计：9人", "Итого: 9"), a note, a signature.

They are no records, and read as records they would refuse the whole file ("no name").  A row looks
like one when it starts with a word of totals or notes, or has a single cell filled outside the
name columns; only such rows at the end of the table are left out (the caller says which), since
one in the middle of the data is a record with a problem, reported as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from expertbridge.ingest.tables import Row

# The words a total or a note starts with, in the three languages (compared case-insensitively, and
# in Chinese with the spaces offices put between the characters to align them: "合  计").
FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "备注",
    "说明",
    "注",
    "итого",
    "всего",
    "примечание",
    "примечания",
    "total",
    "subtotal",
    "grand total",
    "note",
    "notes",
)


def _word_pattern(word: str) -> str:
    if all("\u4e00" <= char <= "\u9fff" for char in word):
        return r"\s*".join(word)
    return r"\s+".join(re.escape(part) for part in word.split())


# A footer word, then no other letter: "Итого: 9", "合计9人", "注：…"; not "Totaro", "注意力研究".
_FOOTER_START = re.compile(
    "^(?:" + "|".join(_word_pattern(word) for word in FOOTER_WORDS) + r")(?![^\W\d_])", re.IGNORECASE
)


def starts_like_footer(text: str) -> bool:
    """Whether ``text`` starts with a word of totals or notes ("Итого: 9", "合 计", "Note:").

    >>> starts_like_footer("Итого: 9"), starts_like_footer("合  计 9人"), starts_like_footer("Totaro Aiko")
    (True, True, False)
    """
    return _FOOTER_START.match(text) is not None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def looks_like_footer(row: Row, is_name_header: Callable[[str], bool]) -> bool:
    """Whether ``row`` looks like a total or a note rather than a record.

    >>> names = lambda header: header == "ФИО"
    >>> looks_like_footer(Row(9, {"№": "Итого: 9", "ФИО": "", "Город": ""}), names)
    True
    >>> looks_like_footer(Row(9, {"№": "", "ФИО": "Итого: 9 человек", "Город": ""}), names)
    True
    >>> looks_like_footer(Row(9, {"№": "", "ФИО": "Котов Кирилл", "Город": ""}), names)
    False
    >>> looks_like_footer(Row(9, {"№": "", "ФИО": "", "Город": "Составил: Петров П. П."}), names)
    True
    """
    filled = [(header, text) for header, value in row.cells.items() if (text := _text(value))]
    if not filled:
        return False
    names = {header for header, _ in filled if is_name_header(header)}
    first_header, first_text = filled[0]
    if starts_like_footer(first_text):
        # "Итого: 9" may stand under the name's header; a row with a name besides is a record.
        return names <= {first_header}
    return len(filled) == 1 and not names


class TrailingFooter:
    """Passes the rows of a table on, holding back the rows that look like a footer; those at its end
    are left out and named in :attr:`rows` once the table has been read.

    >>> footer = TrailingFooter(lambda header: header == "name")
    >>> table = [Row(2, {"name": "Ann Lee", "n": "1"}), Row(3, {"name": "", "n": "Total: 1"})]
    >>> [row.number for row in footer.trimmed(table)], footer.rows
    ([2], [3])
    """

    def __init__(self, is_name_header: Callable[[str], bool]):
        self.is_name_header = is_name_header
        self.rows: list[int] = []

    def trimmed(self, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows of the table but a footer at its end (a table of footer-like rows only is all
        passed on: those are records, whose problems the import reports)."""
        held: list[Row] = []
        passed = False
        for row in rows:
            if looks_like_footer(row, self.is_name_header):
                held.append(row)
                continue
            # A record follows: the rows held back were in the middle of the data.
            yield from held
            held.clear()
            passed = True
            yield row
        if passed:
            self.rows = [row.number for row in held]
        else:
            yield from held

"""A list of names to look up, read row by row: what to look up, and what was left out and why.

A list comes as offices keep it: a spreadsheet (CSV in any of the encodings and delimiters the
import reads, or an .xlsx workbook) with a title above the table and a column of names headed
``name``, ``ФИО``, ``姓名``, ``Full name``…; or as one name per line.  The reader keeps each row's
number, the rows that have no name to look up and the query ids given to more than one row, so
that a person can tell "not looked up" from "no match".
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from expertbridge.ingest.footers import starts_like_footer
from expertbridge.ingest.headers import EXPERT_HEADERS, header_lookup
from expertbridge.ingest.report import InputFileError
from expertbridge.ingest.tables import (
    DELIMITERS,
    HEADER_SEARCH_ROWS,
    OLE_SIGNATURE,
    ZIP_SIGNATURE,
    decoded_text,
)
from expertbridge.messages import Message
from expertbridge.names.parse import parse_name
from expertbridge.registry.problems import N_
from expertbridge.text.normalize import fold

MAX_QUERIES = 5000
QUERY_ID = "query_id"
# The import's columns that hold a person's name: a bare "ФИО"/"姓名"/"Name" is "name".
NAME_COLUMNS = ("name", "name_ru", "name_zh", "name_en")
# Folded header → column, with every column of an expert import: the header row of a delegation
# list is the row that names the most known columns (姓名 and 单位, ФИО and Город), as in an import.
_HEADERS = header_lookup(EXPERT_HEADERS, (QUERY_ID, *NAME_COLUMNS))
# A name split into columns (Фамилия | Имя | Отчество, 姓 | 名, Last name | First name): no column
# of an import, so not among its headers.  With a surname column, the name is these cells joined.
_SURNAME_HEADERS = frozenset({"фамилия", "surname", "last name", "family name", "姓"})
_NAME_PART_HEADERS = _SURNAME_HEADERS | {
    "имя",
    "name",
    "first name",
    "given name",
    "名",
    "отчество",
    "patronymic",
    "middle name",
}
# The delimiter of a list in one column, whose lines are never split (a name may hold a comma).
_WHOLE_LINE = "\x1f"


@dataclass(frozen=True)
class NameQuery:
    """One name to look up; ``row`` is its row of the table (the file's first row is row 1) or its
    line."""

    row: int
    query_id: str
    name: str


@dataclass(frozen=True)
class SkippedRow:
    """A row that is not looked up, what its name cell held, and why (``the name is empty``)."""

    row: int
    query_id: str
    name: str
    reason: Message


@dataclass(frozen=True)
class RepeatedQueryId:
    """A query id that several rows carry: their matches cannot be told apart in the output."""

    query_id: str
    rows: tuple[int, ...]


@dataclass(frozen=True)
class NameList:
    """The rows of a list of names: ``unit`` says whether they are rows of a table or lines of text.

    A table's names come from the columns ``name_columns`` (their headers as the file writes
    them) below the header in row ``header_row``; a list of lines has neither.
    """

    unit: Literal["row", "line"]
    queries: list[NameQuery]
    skipped: list[SkippedRow]
    repeated: list[RepeatedQueryId]
    name_columns: tuple[str, ...] = ()
    header_row: int | None = None


@dataclass(frozen=True)
class _Entry:
    """A row of the list as read: its number, query id and name, and why it is not looked up when
    that is known from the row as a whole (a total below the table)."""

    number: int
    query_id: str
    name: str
    reason: Message | None = None


@dataclass(frozen=True)
class _Header:
    """Where a table's header is and what it says: its index among the records, and the indexes of
    the columns of names and of the query id."""

    index: int
    headers: tuple[str, ...]
    names: tuple[int, ...]
    query_id: int | None
    # Whether the name is split into the columns ``names`` (surname, given name…), to be joined.
    split: bool = False


def read_name_list(data: bytes, source: str | Message) -> NameList:
    """The list in ``data`` (a file called ``source``).

    A table (CSV or .xlsx) is read below its header, found among its first rows as the import finds
    it (a title, a date and blank rows above are passed over), from the columns of names it
    recognises in the three languages; the query id is the ``query_id`` column, or the row's number.
    Without a header naming a column of names, each line (each row of a workbook) is one name.

    Blank lines and rows whose every cell is empty are not rows of the list and are passed over; a
    row with an empty name, a name with no letters (``🙂``, ``12345``) or a total or a note
    (``合计：9人``) is skipped with its reason.  An empty file, text that is not UTF-8 (or
    the encoding detected), an old .xls workbook and a list of more than :data:`MAX_QUERIES` names
    raise :class:`InputFileError`.

    >>> names = read_name_list("代表团名单\\n序号,姓名,单位\\n1,谢尔盖·切廖明,莫斯科\\n".encode(), "list.csv")
    >>> names.queries, names.name_columns, names.header_row
    ([NameQuery(row=3, query_id='3', name='谢尔盖·切廖明')], ('姓名',), 2)
    >>> [row.reason.text for row in read_name_list(b"query_id,name\\nq1,Li Wei\\nq2,\\n", "list.csv").skipped]
    ['the name is empty']
    """
    if not data.strip():
        raise InputFileError(Message.of(N_("%(source)s: the file is empty"), source=source))
    if data.startswith(OLE_SIGNATURE):
        raise InputFileError(
            Message.of(
                N_("%(file)s: the old Excel .xls format is not read; save the sheet as .xlsx or CSV"),
                file=source,
            )
        )
    if data.startswith(ZIP_SIGNATURE):
        return _from_records(_workbook_records(data, source), source)
    text = decoded_text(data, source)
    delimiter, header = _csv_layout(text)
    if header is None:
        lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
        return _listed("line", [_Entry(number, str(number), line) for number, line in lines if line], source)
    return _from_table(_csv_records(text, delimiter, source), header, source)


def _csv_records(text: str, delimiter: str, source: str | Message) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise InputFileError(
            Message.of(N_("%(source)s: not readable as CSV (%(detail)s)"), source=source, detail=str(error))
        ) from None


def _csv_layout(text: str) -> tuple[str, _Header | None]:
    """The delimiter of a CSV list and its header, or no header (a list of lines).

    The header is looked for with each delimiter; the one whose header names the most known
    columns wins, then the one that splits the header into the most cells.  A header of one cell
    and no delimiter is a list in one column: its lines are read whole.
    """
    found: list[tuple[int, int, str, _Header]] = []
    for delimiter in DELIMITERS:
        try:
            top = list(
                itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), HEADER_SEARCH_ROWS)
            )
        except csv.Error:
            continue
        best = _find_header(top)
        if best is not None:
            known, header = best
            found.append((known, len(header.headers), delimiter, header))
    if not found:
        return DELIMITERS[0], None
    _known, cells, delimiter, header = max(found, key=lambda item: (item[0], item[1]))
    return (_WHOLE_LINE if cells == 1 else delimiter), header


def _find_header(records: Sequence[Sequence[str]]) -> tuple[int, _Header] | None:
    """The row among ``records`` that names a column of names and the most known columns (the
    first of them on a tie), with how many it names; or None."""
    best: tuple[int, _Header] | None = None
    for index, cells in enumerate(records):
        folded = [fold(cell) for cell in cells]
        columns = [_HEADERS.get(text) for text in folded]
        split = any(text in _SURNAME_HEADERS for text in folded)
        if split:
            names = tuple(position for position, text in enumerate(folded) if text in _NAME_PART_HEADERS)
        else:
            names = tuple(position for position, column in enumerate(columns) if column in NAME_COLUMNS)
        if not names:
            continue
        known = sum(1 for position, column in enumerate(columns) if column or position in names)
        if best is None or known > best[0]:
            query_id = next((position for position, column in enumerate(columns) if column == QUERY_ID), None)
            best = (known, _Header(index, tuple(cell.strip() for cell in cells), names, query_id, split))
    return best


def _workbook_records(data: bytes, source: str | Message) -> list[list[str]]:
    """The rows of the first sheet of an .xlsx workbook, as text (the values Excel saved)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputFileError(
            Message.of(
                N_(
                    "%(file)s: not a readable .xlsx workbook (%(detail)s); open it in Excel and save it again"
                ),
                file=source,
                detail=str(error),
            )
        ) from None
    try:
        return [
            [_cell_text(value) for value in cells]
            for cells in workbook.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number column (序号 1, 2, 3) Excel stores as 1.0
    return str(value).strip()


def _from_records(records: list[list[str]], source: str | Message) -> NameList:
    """A workbook's list: below its header, or one name a row (its cells side by side)."""
    found = _find_header(records[:HEADER_SEARCH_ROWS])
    if found is None:
        rows = [
            _Entry(number, str(number), ", ".join(cell for cell in cells if cell))
            for number, cells in enumerate(records, 1)
        ]
        return _listed("row", [row for row in rows if row.name], source)
    return _from_table(records, found[1], source)


def _from_table(records: list[list[str]], header: _Header, source: str | Message) -> NameList:
    """The rows below ``header``: each row's name is its first name cell that is filled, or the parts
    of a split name joined (Черёмин Леонид Сергеевич, 许 心超)."""
    rows: list[_Entry] = []
    for number, record in enumerate(records[header.index + 1 :], start=header.index + 2):
        cells = [cell.strip() for cell in record]
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        parts = [cells[i] for i in header.names if i < len(cells) and cells[i]]
        name = " ".join(parts) if header.split else next(iter(parts), "")
        query_id = _cell(cells, header.query_id) or str(number)
        first = cells.index(filled[0])
        if starts_like_footer(filled[0]) and (first not in header.names or parts == [filled[0]]):
            # "合计 | 9人", "Итого по МГУ: 3", "注：…": below the list or between its groups.
            rows.append(
                _Entry(number, query_id, ", ".join(filled), Message.of(N_("a total or a note, not a name")))
            )
        else:
            rows.append(_Entry(number, query_id, name))
    columns = tuple(header.headers[position] for position in header.names)
    return replace(_listed("row", rows, source), name_columns=columns, header_row=header.index + 1)


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


def _listed(unit: Literal["row", "line"], rows: list[_Entry], source: str | Message) -> NameList:
    """The list of ``rows``: the names to look up, and the rows skipped and why."""
    queries: list[NameQuery] = []
    skipped: list[SkippedRow] = []
    for row in rows:
        reason = row.reason or _why_not_looked_up(row.name)
        if reason:
            skipped.append(SkippedRow(row.number, row.query_id, row.name, reason))
        else:
            queries.append(NameQuery(row.number, row.query_id, row.name))
    if len(queries) > MAX_QUERIES:
        raise InputFileError(
            Message.of(
                N_("%(source)s: %(count)s names; look up at most %(limit)s at a time"),
                source=source,
                count=len(queries),
                limit=MAX_QUERIES,
            )
        )
    return NameList(unit, queries, skipped, _repeated_ids(rows))


def _why_not_looked_up(name: str) -> Message | None:
    if not name:
        return Message.of(N_("the name is empty"))
    if not parse_name(name).parts:
        # The name search reads letters only: digits, punctuation and emoji leave nothing to compare.
        return Message.of(N_("the name ('%(name)s') has no letters to look up"), name=name)
    return None


def _repeated_ids(rows: list[_Entry]) -> list[RepeatedQueryId]:
    numbers: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        numbers[row.query_id].append(row.number)
    return [RepeatedQueryId(query_id, tuple(found)) for query_id, found in numbers.items() if len(found) > 1]

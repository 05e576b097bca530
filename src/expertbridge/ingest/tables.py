"""Read a spreadsheet-like file into rows of ``{header: value}``, whatever its format and encoding.

CSV comes from Russian offices in Windows-1251 and from Chinese offices in GB18030 as often as in
UTF-8; the encoding is detected from the bytes, and the delimiter from the header line.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from expertbridge.ingest.report import InputFileError
from expertbridge.messages import Message
from expertbridge.registry.problems import N_
from expertbridge.text.normalize import fold

MAX_CELL_CHARS = 1_000_000
SAMPLE_BYTES = 1 << 20
# How far down a spreadsheet its header row is looked for (below a title, a date, blank rows), and
# how much of a CSV file is read to find it.
HEADER_SEARCH_ROWS = 20
SAMPLE_CHARS = 1 << 16
DELIMITERS = ",;\t|"
FORMATS = ("csv", "xlsx", "json", "jsonl")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_CYRILLIC_CASE_FLIP = re.compile(r"[а-яё][А-ЯЁ]")
# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); tab and carriage return because Excel skips them before looking.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# The mark that keeps such a cell text: Excel's own way to type text that looks like a formula.
TEXT_MARK = "'"
# The first bytes of a ZIP archive (an .xlsx workbook is one) and of an old .xls workbook.
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
csv.field_size_limit(MAX_CELL_CHARS)


# What Python's JSON parser says (the start of its message) and how a person is told it.
JSON_PROBLEMS = (
    ("Expecting ',' delimiter", N_("a comma is missing between two items, or a bracket is not closed")),
    ("Expecting ':' delimiter", N_("a colon is missing after a key")),
    (
        "Expecting property name enclosed in double quotes",
        N_("a key in double quotes is expected here (JSON has no comma before } and no single quotes)"),
    ),
    (
        "Expecting value",
        N_(
            "a value is expected here (text in double quotes, a number, true, false, null, [ or {); the "
            "text may end too early, or have a comma before ]"
        ),
    ),
    ("Unterminated string", N_("a text in quotes is not closed with a double quote")),
    (
        "Invalid control character",
        N_("a text in quotes holds a line break or a tab, which JSON writes as a backslash and n or t"),
    ),
    ("Invalid \\", N_("a backslash starts an escape JSON does not have; to write a backslash, double it")),
    (
        "Extra data",
        N_(
            "there is more text after the end of the JSON value (a file of one record per line is a "
            ".jsonl file)"
        ),
    ),
)
JSON_PROBLEM = N_("the text is not JSON here")


@dataclass(frozen=True)
class Row:
    """One data row: its number as a person sees it in the file, and its cells by header."""

    number: int
    cells: dict[str, Any]


def _unreadable(template: str, path: Path, **values: str | int) -> InputFileError:
    """Why a file cannot be read, as a message any page says in its language (the file by name)."""
    return InputFileError(Message.of(template, file=path.name, **values))


def detect_format(path: Path) -> str:
    """The format of a file from its extension."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _unreadable(
            N_("%(file)s: the old Excel .xls format is not read; save the sheet as .xlsx or CSV"), path
        )
    if suffix not in _EXTENSIONS:
        raise InputFileError(
            f"{path.name}: unknown file type {suffix or '(none)'}; "
            "use .csv, .xlsx, .json or .jsonl (or give --format)"
        )
    return _EXTENSIONS[suffix]


def decoded_text(data: bytes, source: str | Message) -> str:
    """The text of a whole file of ``data`` (called ``source`` in messages), in the encoding
    :func:`detect_encoding` finds; a file that is not valid text in it is refused, saying what to do."""
    encoding = detect_encoding(data[:SAMPLE_BYTES])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputFileError(
            Message.of(
                N_("%(source)s: not valid %(encoding)s text; save it as UTF-8"),
                source=source,
                encoding=encoding,
            )
        ) from None


def detect_encoding(sample: bytes) -> str:
    """The text encoding of a CSV sample: utf-8-sig, utf-8, utf-16, gb18030 or cp1251.

    >>> detect_encoding("Иванов".encode("cp1251"))
    'cp1251'
    >>> detect_encoding("许心超".encode("gb18030"))
    'gb18030'
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: tab-separated UTF-16 with a byte-order mark.
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A sample cut in the middle of a character still counts as UTF-8.
        if error.start >= len(sample) - 3 and error.reason == "unexpected end of data":
            return "utf-8"
    as_cp1251 = sample.decode("cp1251", errors="replace")
    try:
        sample.decode("gb18030")
    except UnicodeDecodeError:
        return "cp1251"
    # Both decode.  Chinese bytes read as Windows-1251 give words of random case mixed with
    # symbols (°, ±, і); real Russian text almost never switches from lower to upper case inside a
    # word.
    letters = sum(1 for char in as_cp1251 if "А" <= char <= "я" or char in "Ёё")
    flips = len(_CYRILLIC_CASE_FLIP.findall(as_cp1251))
    symbols = sum(1 for char in as_cp1251 if char in "°±Ііґµ¶·јЅѕїЎўЈ¤Ґ¦§©Є¬®Ї")
    if letters and (flips + symbols) / letters > 0.05:
        return "gb18030"
    return "cp1251"


def _open_text(path: Path) -> tuple[IO[str], str]:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise _unreadable(N_("%(file)s: the file is empty"), path)
    _refuse_workbook(sample, path)
    encoding = detect_encoding(sample)
    return path.open("r", encoding=encoding, newline=""), encoding


def _refuse_workbook(sample: bytes, path: Path) -> None:
    """Refuse a workbook given a text file's name (an .xlsx renamed to .csv), before its bytes are
    read as Windows-1251 text and fail as "not cp1251 text"."""
    suffix = path.suffix.lower() or "(none)"
    if sample.startswith(ZIP_SIGNATURE):
        raise _unreadable(
            N_(
                "%(file)s: this is an Excel workbook (.xlsx) saved with a %(extension)s name; rename it "
                "to .xlsx, or open it in Excel and save it as CSV"
            ),
            path,
            extension=suffix,
        )
    if sample.startswith(OLE_SIGNATURE):
        raise _unreadable(
            N_(
                "%(file)s: this is an old Excel workbook (.xls) saved with a %(extension)s name; open it "
                "in Excel and save it as .xlsx or CSV"
            ),
            path,
            extension=suffix,
        )


def header_row(rows: Iterable[Sequence[Any]], header_names: frozenset[str] | None) -> tuple[int, int] | None:
    """Where the header is among the first rows of a spreadsheet: (its index, how many of its
    cells are known column names), or None.

    Offices put a title, a date and blank rows above the table, so the header is the row that names
    the most known columns (``header_names``, folded), the first of them on a tie; without a
    vocabulary it is the first non-empty row.

    >>> header_row([["Список экспертов, 2026"], [], ["ФИО", "Город", "Примечание"], ["Ли", "Пекин"]],
    ...            frozenset({"фио", "город"}))
    (2, 2)
    """
    best: tuple[int, int] | None = None
    for index, cells in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS)):
        texts = [text for cell in cells if (text := str(cell).strip())]
        if not texts:
            continue
        if header_names is None:
            return index, 0
        known = sum(1 for text in texts if fold(text) in header_names)
        if known and (best is None or known > best[1]):
            best = (index, known)
    return best


def _csv_layout(handle: IO[str], header_names: frozenset[str] | None) -> tuple[str, int]:
    """The delimiter of a CSV file and the index of its header record (see :func:`header_row`)."""
    first_line = handle.readline()
    handle.seek(0)
    sample = handle.read(SAMPLE_CHARS)
    handle.seek(0)
    # Without a header the importer can recognise, the first line says the delimiter, as before.
    fallback = max(DELIMITERS, key=first_line.count)
    found: dict[str, tuple[int, int]] = {}  # delimiter → (header index, known columns)
    for delimiter in DELIMITERS:
        try:
            header = header_row(csv.reader(io.StringIO(sample), delimiter=delimiter), header_names)
        except csv.Error:
            continue
        if header is not None and header[1]:
            found[delimiter] = header
    if not found:
        return fallback, 0
    most = max(known for _, known in found.values())
    # A header of one column is found whatever the delimiter: then the first line's counts decide.
    tied = [delimiter for delimiter, (_, known) in found.items() if known == most]
    delimiter = fallback if fallback in tied else tied[0]
    return delimiter, found[delimiter][0]


def _csv_rows(path: Path, header_names: frozenset[str] | None) -> Iterator[Row]:
    handle, encoding = _open_text(path)
    with handle:
        try:
            delimiter, header_index = _csv_layout(handle, header_names)
        except UnicodeDecodeError:
            raise _unreadable(
                N_("%(file)s: the first lines are not valid %(encoding)s text; save the file as UTF-8"),
                path,
                encoding=encoding,
            ) from None
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            headers: list[str] | None = None
            for index, record in enumerate(reader):
                line = reader.line_num
                if headers is None:
                    # The title rows above the header are skipped; rows keep their line numbers.
                    if index < header_index or not any(cell.strip() for cell in record):
                        continue
                    headers = [cell.strip() for cell in record]
                    continue
                if not any(cell.strip() for cell in record):
                    continue
                record = [unprotect_csv_cell(cell) for cell in record]
                yield Row(line, dict(zip(headers, record, strict=False)) | _extra(headers, record))
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise _unreadable(
                    N_(
                        "%(file)s, line %(line)s: a cell is longer than %(limit)s characters; check for an "
                        "unclosed quote or split the text"
                    ),
                    path,
                    line=str(reader.line_num + 1),
                    limit=MAX_CELL_CHARS,
                ) from None
            raise _unreadable(
                N_("%(file)s, line %(line)s: not readable as CSV (%(detail)s)"),
                path,
                line=str(reader.line_num),
                detail=str(error),
            ) from None
        except UnicodeDecodeError:
            raise _unreadable(
                N_(
                    "%(file)s, after line %(line)s: bytes that are not valid %(encoding)s; save the file "
                    "as UTF-8"
                ),
                path,
                line=str(reader.line_num),
                encoding=encoding,
            ) from None
        if headers is None:
            raise _unreadable(N_("%(file)s: the file has no header row"), path)


def protect_csv_cell(value: str) -> str:
    """``value`` as a CSV cell that no spreadsheet runs as a formula; :func:`unprotect_csv_cell`
    gives it back exactly.

    >>> protect_csv_cell("=SUM(A1:A9)"), protect_csv_cell("+7 495 111-22-33"), protect_csv_cell("-")
    ("'=SUM(A1:A9)", "'+7 495 111-22-33", "'-")
    >>> protect_csv_cell("Иванов"), protect_csv_cell("'quoted'"), protect_csv_cell("'-")
    ('Иванов', "'quoted'", "''-")
    """
    # A value that already starts with the mark is marked again when reading would strip its mark.
    if value[:1] in FORMULA_TRIGGERS or _is_protected(value):
        return TEXT_MARK + value
    return value


def unprotect_csv_cell(value: str) -> str:
    """The text of a CSV cell written by :func:`protect_csv_cell` (or typed in Excel as ``'=…``);
    any other cell unchanged, so that "'quoted'" stays as written.

    >>> unprotect_csv_cell("'+7 495 111-22-33"), unprotect_csv_cell("''-"), unprotect_csv_cell("'quoted'")
    ('+7 495 111-22-33', "'-", "'quoted'")
    """
    return value[1:] if _is_protected(value) else value


def read_as_formula_in_xlsx(value: object) -> bool:
    """Whether openpyxl would store ``value`` as a formula ("=…") or an error code ("#N/A") rather
    than as text; such a cell must be given the text type explicitly.

    >>> read_as_formula_in_xlsx("=1+2"), read_as_formula_in_xlsx("#N/A"), read_as_formula_in_xlsx("+7 495")
    (True, True, False)
    """
    return isinstance(value, str) and value[:1] in ("=", "#")


def _is_protected(value: str) -> bool:
    return value[:1] == TEXT_MARK and (value[1:2] in FORMULA_TRIGGERS or value[1:2] == TEXT_MARK)


def _extra(headers: list[str], record: list[str]) -> dict[str, Any]:
    # Cells beyond the header are kept under a marker column so that validation can name them.
    if len(record) > len(headers) and any(cell.strip() for cell in record[len(headers) :]):
        return {"": ";".join(record[len(headers) :])}
    return {}


def _cell_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return value


def _xlsx_cells(values: Sequence[Any]) -> list[Any]:
    return ["" if value is None else _cell_text(value) for value in values]


def _xlsx_rows(path: Path, header_names: frozenset[str] | None) -> Iterator[Row]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise _unreadable(
            N_("%(file)s: not a readable .xlsx workbook (%(detail)s); open it in Excel and save it again"),
            path,
            detail=str(error),
        ) from None
    try:
        # Rows keep their numbers in the sheet, whatever is above the header.
        values = _sheet_values(path, workbook)
        rows = ((number, _xlsx_cells(cells)) for number, cells in enumerate(values, 1))
        top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        header = header_row([cells for _, cells in top], header_names)
        if header is None:
            raise _unreadable(
                N_(
                    "%(file)s: no header row found in the first sheet (expected columns such as id, "
                    "name_ru, name_zh, name_en)"
                ),
                path,
            )
        headers = [str(c).strip() for c in top[header[0]][1]]
        for number, cells in itertools.chain(top[header[0] + 1 :], rows):
            _refuse_unsaved_formula(path, cells)
            if not any(str(c).strip() for c in cells):
                continue
            yield Row(number, {h: c for h, c in zip(headers, cells, strict=False) if h})
    finally:
        workbook.close()


class UnsavedFormula(str):
    """A cell whose formula has no value saved with it, and that no reader can compute: empty text
    that remembers where it is and what it is, for the import to name it."""

    cell: str
    formula: str

    def __new__(cls, cell: str, formula: str) -> UnsavedFormula:
        made = super().__new__(cls, "")
        made.cell, made.formula = cell, formula
        return made


def _sheet_values(path: Path, workbook: Any) -> Iterator[tuple[Any, ...]]:
    """The values of the first sheet's rows: what each formula gave when the file was last saved.

    Excel and LibreOffice store that value beside each formula; a workbook a program wrote may not
    (openpyxl writes none), and then the cell would read as empty: an e-mail address of
    ``=HYPERLINK(…)`` lost, a name missing.  Such a file is read a second time for its formulas: a
    link reads as the text it shows, a text formula as its text, any other formula as an
    :class:`UnsavedFormula`.  (A formula whose value is an empty text is saved as a text, ``str``,
    and stays empty.)
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    sheet = workbook.worksheets[0]
    if not _has_formulas(path):
        yield from sheet.iter_rows(values_only=True)
        return
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        written = formulas.worksheets[0].iter_rows(values_only=True)
        for number, (saved, typed) in enumerate(zip(sheet.iter_rows(), written, strict=False), 1):
            row: list[Any] = [cell.value for cell in saved]
            for index, (cell, formula) in enumerate(zip(saved, typed, strict=False)):
                unsaved = cell.value is None and cell.data_type != "str"
                if unsaved and isinstance(formula, str) and formula.startswith("="):
                    text = _formula_text(formula)
                    row[index] = (
                        UnsavedFormula(f"{get_column_letter(index + 1)}{number}", formula)
                        if text is None
                        else text
                    )
            yield tuple(row)
    finally:
        formulas.close()


def _refuse_unsaved_formula(path: Path, cells: Sequence[Any]) -> None:
    """Refuse the file at a data cell whose formula has no saved value (see :func:`_sheet_values`):
    read as empty, it would be a name or an address silently missing.  Above the header (a title's
    ``=TODAY()``) such a cell is only empty."""
    unsaved = next((cell for cell in cells if isinstance(cell, UnsavedFormula)), None)
    if unsaved is not None:
        raise _unreadable(
            N_(
                "%(file)s, cell %(cell)s: the formula %(formula)s has no value saved with it; open the "
                "file in Excel or LibreOffice and save it, so that the values are stored, or paste the "
                "values in place of the formulas"
            ),
            path,
            cell=unsaved.cell,
            formula=unsaved.formula[:100],
        )


# =HYPERLINK("mailto:a@b.cn", "a@b.cn"), its text optional; "" is a quote inside a text.
_HYPERLINK = re.compile(
    r'^=\s*HYPERLINK\(\s*"((?:[^"]|"")*)"\s*(?:[,;]\s*"((?:[^"]|"")*)"\s*)?\)\s*$', re.IGNORECASE
)
_TEXT_FORMULA = re.compile(r'^=\s*"((?:[^"]|"")*)"\s*$')
_FORMULA_MARK = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formula_text(formula: str) -> str | None:
    """What a cell of a link or a text formula shows, or None for a formula that must be computed.

    >>> _formula_text('=HYPERLINK("mailto:li@b.cn","Li Wei")'), _formula_text('=HYPERLINK("mailto:li@b.cn")')
    ('Li Wei', 'li@b.cn')
    >>> _formula_text('="Ли Вэй"'), _formula_text("=A2&B2")
    ('Ли Вэй', None)
    """
    if link := _HYPERLINK.match(formula):
        shown = link.group(2) if link.group(2) is not None else link.group(1).removeprefix("mailto:")
        return shown.replace('""', '"')
    if text := _TEXT_FORMULA.match(formula):
        return text.group(1).replace('""', '"')
    return None


def _has_formulas(path: Path) -> bool:
    """Whether a sheet of the workbook holds a formula (an ``<f>`` element), read without parsing."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as member:
                tail = b""
                while chunk := member.read(SAMPLE_BYTES):
                    if _FORMULA_MARK.search(tail + chunk):
                        return True
                    tail = chunk[-8:]
    return False


def _json_rows(path: Path, collection: str) -> Iterator[Row]:
    handle, _encoding = _open_text(path)
    with handle:
        try:
            document = json.load(handle)
        except json.JSONDecodeError as error:
            raise _invalid_json(path, error, error.lineno) from None
        except UnicodeDecodeError:
            raise _unreadable(N_("%(file)s: not valid UTF-8 text"), path) from None
    if isinstance(document, dict):
        document = document.get(collection, document.get("items"))
    if not isinstance(document, list):
        raise _unreadable(
            N_("%(file)s: expected a JSON array of objects (or an object with a %(collection)s array)"),
            path,
            collection=repr(collection),
        )
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise _unreadable(
                N_("%(file)s, record %(record)s: expected an object, got %(kind)s"),
                path,
                record=str(number),
                kind=type(item).__name__,
            )
        yield Row(number, item)


def _invalid_json(path: Path, error: json.JSONDecodeError, line: int) -> InputFileError:
    """Where a JSON text goes wrong (``line`` of the file: a JSON Lines file parses each line on its
    own) and what is wrong there, in words a page translates rather than Python's English."""
    problem = next((text for start, text in JSON_PROBLEMS if error.msg.startswith(start)), JSON_PROBLEM)
    return InputFileError(
        Message.of(
            N_("%(file)s, line %(line)s, column %(column)s: not valid JSON: %(problem)s"),
            file=path.name,
            line=str(line),
            column=str(error.colno),
            problem=Message(problem),
        )
    )


def _jsonl_rows(path: Path) -> Iterator[Row]:
    handle, _encoding = _open_text(path)
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                # Without its line break, which would read as one inside an unclosed text.
                item = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as error:
                raise _invalid_json(path, error, number) from None
            if not isinstance(item, dict):
                raise _unreadable(
                    N_("%(file)s, line %(line)s: expected a JSON object"), path, line=str(number)
                )
            yield Row(number, item)


def read_rows(
    path: Path,
    *,
    file_format: str | None = None,
    collection: str = "items",
    header_names: frozenset[str] | None = None,
) -> Iterator[Row]:
    """Rows of a CSV, XLSX, JSON or JSON Lines file, streamed; raises :class:`InputFileError`.

    ``header_names`` (folded) help find the header row of a spreadsheet (CSV or XLSX) with a title
    above it (see :func:`header_row`).
    """
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a file")
    fmt = file_format or detect_format(path)
    if fmt not in FORMATS:
        raise InputFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path.stat().st_size == 0:
        raise _unreadable(N_("%(file)s: the file is empty"), path)
    if fmt == "csv":
        return _csv_rows(path, header_names)
    if fmt == "xlsx":
        return _xlsx_rows(path, header_names)
    if fmt == "json":
        return _json_rows(path, collection)
    return _jsonl_rows(path)

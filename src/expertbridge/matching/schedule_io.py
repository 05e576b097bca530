"""CSV files of the meeting scheduler: reading an event (with row-level messages) and writing results.

Every problem found in the input is reported at once, each naming the file, the row (the header is
row 1, as a spreadsheet shows it), the field, the value and what to do; a file with any problem
yields no schedule.  Lists inside a cell are separated by ``;``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import TextIO

from babel import Locale

from expertbridge.matching.schedule_model import (
    Interpreter,
    Meeting,
    Participant,
    Pin,
    Schedule,
    ScheduleProblem,
    Slot,
    language_pair,
)

PARTICIPANT_COLUMNS = ("participant_id", "name", "side", "languages", "available_slots")
MEETING_COLUMNS = ("meeting_id", "participant_a", "participant_b", "priority", "mutual")
SLOT_COLUMNS = ("slot_id", "start", "end", "tables")
INTERPRETER_COLUMNS = ("interpreter_id", "language_pairs", "available_slots")
PIN_COLUMNS = ("meeting_id", "slot_id", "table", "interpreter_id")
SCHEDULE_COLUMNS = (
    "meeting_id",
    "slot_id",
    "start",
    "end",
    "table",
    "interpreter_id",
    "participant_a",
    "participant_b",
)
UNPLACED_COLUMNS = ("meeting_id", "reason")

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# ISO 639 codes of the languages CLDR names: a code outside them is a typo (``xx``, ``rus``).
KNOWN_LANGUAGES = frozenset(
    str(code) for code in Locale("en").languages if LANGUAGE_CODE.fullmatch(str(code))
)


def _is_language(code: str) -> bool:
    return code in KNOWN_LANGUAGES


TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0", ""}


class ScheduleFileError(ValueError):
    """The input files have problems; ``problems`` lists each one for a person."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


@dataclass
class _Issues:
    """Collects problems of one file so that all of them are reported together."""

    file: str
    problems: list[str] = field(default_factory=list)

    def add(self, row: int, column: str, value: str, message: str) -> None:
        shown = value if len(value) <= 60 else value[:57] + "..."
        self.problems.append(f"{self.file}, row {row}, field {column} ({shown!r}): {message}")

    def whole(self, message: str) -> None:
        self.problems.append(f"{self.file}: {message}")


@dataclass(frozen=True)
class EventFiles:
    """The text of an event's CSV files with the names to use in messages (pure: no file access)."""

    participants: tuple[str, str]
    meetings: tuple[str, str]
    slots: tuple[str, str]
    interpreters: tuple[str, str] | None = None
    pins: tuple[str, str] | None = None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file (a byte-order mark is fine); ScheduleFileError otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScheduleFileError(
            [f"{name}: byte {error.start} is not UTF-8; save the file as 'CSV UTF-8' and try again"]
        ) from None


def _rows(
    text: str, issues: _Issues, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells) of each non-blank row; a missing column is one problem for the file."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in columns if name not in header and name not in optional]
    if missing:
        issues.whole(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the header row must name {','.join(columns)}"
        )
        return
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):
        cells = {key: (value or "").strip() for key, value in row.items() if isinstance(key, str)}
        if any(cells.values()):
            yield number, cells


def _id_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _unique_id(issues: _Issues, row: int, column: str, value: str, seen: dict[str, int]) -> bool:
    if not value:
        issues.add(row, column, value, "empty; every row needs an id")
        return False
    if value in seen:
        issues.add(row, column, value, f"the same id as row {seen[value]}; ids must be unique")
        return False
    seen[value] = row
    return True


def _slot_set(
    issues: _Issues, row: int, column: str, value: str, slot_ids: dict[str, int]
) -> frozenset[str] | None:
    items = _id_list(value)
    if not items:
        return None
    unknown = [item for item in items if item not in slot_ids]
    if unknown:
        known = ", ".join(list(slot_ids)[:4]) + (", ..." if len(slot_ids) > 4 else "")
        issues.add(
            row,
            column,
            value,
            f"unknown slot{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; use slot ids from "
            f"the slots file ({known}) separated by ';', or leave it empty for all slots",
        )
    return frozenset(item for item in items if item in slot_ids)


def _datetime(
    issues: _Issues, row: int, column: str, value: str, default_timezone: tzinfo | None
) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        issues.add(row, column, value, "not an ISO date and time; write it like 2023-09-12T09:30+08:00")
        return None
    if moment.tzinfo is None:
        if default_timezone is None:
            issues.add(
                row,
                column,
                value,
                "no time zone; add the offset (2023-09-12T09:30+08:00 for Beijing, +03:00 for Moscow) "
                "or pass --timezone",
            )
            return None
        moment = moment.replace(tzinfo=default_timezone)
    return moment


def read_slots(
    text: str,
    name: str,
    default_tables: int | None,
    default_timezone: tzinfo | None,
    problems: list[str],
    seen: dict[str, int],
) -> tuple[Slot, ...]:
    """Slots from ``slot_id,start,end,tables``; an empty tables cell takes ``default_tables``.

    ``seen`` receives every slot id with its row, valid or not, so that other files are not also
    blamed for naming a slot whose row has a problem.
    """
    issues = _Issues(name)
    slots: list[tuple[int, Slot]] = []
    for row, cells in _rows(text, issues, SLOT_COLUMNS, optional=("tables",)):
        valid = _unique_id(issues, row, "slot_id", cells["slot_id"], seen)
        start = _datetime(issues, row, "start", cells["start"], default_timezone)
        end = _datetime(issues, row, "end", cells["end"], default_timezone)
        if start and end and end <= start:
            issues.add(row, "end", cells["end"], "not after the start; a slot must end after it starts")
            valid = False
        tables_text = cells.get("tables", "")
        tables = default_tables
        if tables_text:
            tables = int(tables_text) if tables_text.isdigit() else None
            if tables is None:
                issues.add(
                    row, "tables", tables_text, "not a whole number ≥ 0; give the count of meeting tables"
                )
        elif default_tables is None:
            issues.add(
                row, "tables", tables_text, "empty; give the count of meeting tables, or pass --tables N"
            )
        if valid and start and end and tables is not None:
            slots.append((row, Slot(cells["slot_id"], start, end, tables)))
    slots.sort(key=lambda item: (item[1].start, item[1].slot_id))
    for (_, before), (row, after) in pairwise(slots):
        if after.start < before.end:
            issues.add(
                row,
                "start",
                after.start.isoformat(),
                f"overlaps slot {before.slot_id} (row {seen[before.slot_id]}); a person could be booked "
                "twice at once, so slots must not overlap",
            )
    if not slots and not issues.problems:
        issues.whole("no slots; add one row per meeting slot")
    problems.extend(issues.problems)
    return tuple(slot for _, slot in slots)


def _languages(issues: _Issues, row: int, value: str) -> frozenset[str]:
    codes = [code.lower() for code in _id_list(value)]
    if not codes:
        issues.add(row, "languages", value, "empty; list the languages the person speaks, e.g. ru;en")
    bad = [code for code in codes if not _is_language(code)]
    if bad:
        issues.add(
            row,
            "languages",
            value,
            f"{', '.join(repr(code) for code in bad)} is not a language code; use ISO 639 codes "
            "(ru, zh, en) separated by ';'",
        )
    return frozenset(code for code in codes if _is_language(code))


def read_participants(
    text: str, name: str, slot_ids: dict[str, int], problems: list[str], seen: dict[str, int]
) -> tuple[Participant, ...]:
    """Participants from ``participant_id,name,side,languages,available_slots`` (``seen`` as for slots)."""
    issues = _Issues(name)
    result: list[Participant] = []
    for row, cells in _rows(text, issues, PARTICIPANT_COLUMNS):
        valid = _unique_id(issues, row, "participant_id", cells["participant_id"], seen)
        languages = _languages(issues, row, cells["languages"])
        available = _slot_set(issues, row, "available_slots", cells["available_slots"], slot_ids)
        if valid and languages:
            result.append(
                Participant(cells["participant_id"], cells["name"], languages, cells["side"], available)
            )
    problems.extend(issues.problems)
    return tuple(result)


def _positive(issues: _Issues, row: int, column: str, value: str, default: int) -> int:
    if not value:
        return default
    if value.isdigit() and int(value) > 0:
        return int(value)
    issues.add(row, column, value, "not a whole number ≥ 1; leave it empty for 1")
    return default


def read_meetings(
    text: str, name: str, people: dict[str, int], problems: list[str], seen: dict[str, int]
) -> tuple[Meeting, ...]:
    """Meetings from ``meeting_id,participant_a,participant_b,priority,mutual`` (``seen`` as for slots)."""
    issues = _Issues(name)
    result: list[Meeting] = []
    pairs: dict[frozenset[str], str] = {}
    for row, cells in _rows(text, issues, MEETING_COLUMNS, optional=("priority", "mutual")):
        valid = _unique_id(issues, row, "meeting_id", cells["meeting_id"], seen)
        for column in ("participant_a", "participant_b"):
            if cells[column] not in people:
                issues.add(
                    row,
                    column,
                    cells[column],
                    "no such participant; use a participant_id of the participants file",
                )
                valid = False
        if valid and cells["participant_a"] == cells["participant_b"]:
            issues.add(row, "participant_b", cells["participant_b"], "the same person as participant_a")
            valid = False
        pair = frozenset((cells["participant_a"], cells["participant_b"]))
        if valid and pair in pairs:
            issues.add(
                row,
                "participant_b",
                cells["participant_b"],
                f"this pair already meets in {pairs[pair]} (row {seen[pairs[pair]]}); remove one of the rows",
            )
            valid = False
        priority = _positive(issues, row, "priority", cells.get("priority", ""), 1)
        mutual_text = cells.get("mutual", "").lower()
        if mutual_text not in TRUE_WORDS | FALSE_WORDS:
            issues.add(row, "mutual", cells.get("mutual", ""), "use true or false (yes/no, 1/0 work too)")
        if valid:
            pairs[pair] = cells["meeting_id"]
            result.append(
                Meeting(
                    cells["meeting_id"],
                    cells["participant_a"],
                    cells["participant_b"],
                    priority,
                    mutual_text in TRUE_WORDS,
                )
            )
    problems.extend(issues.problems)
    return tuple(result)


def read_interpreters(
    text: str, name: str, slot_ids: dict[str, int], problems: list[str], seen: dict[str, int]
) -> tuple[Interpreter, ...]:
    """Interpreters from ``interpreter_id,language_pairs,available_slots`` (pairs like ``ru-zh;en-zh``;
    an optional ``name`` column is kept); ``seen`` as for slots."""
    issues = _Issues(name)
    result: list[Interpreter] = []
    for row, cells in _rows(text, issues, INTERPRETER_COLUMNS):
        valid = _unique_id(issues, row, "interpreter_id", cells["interpreter_id"], seen)
        pairs: set[tuple[str, str]] = set()
        for item in _id_list(cells["language_pairs"].lower()):
            parts = [part.strip() for part in re.split(r"[-–—]", item)]
            if len(parts) != 2 or not all(LANGUAGE_CODE.fullmatch(part) for part in parts):
                issues.add(
                    row,
                    "language_pairs",
                    cells["language_pairs"],
                    f"{item!r} is not a language pair; write pairs like ru-zh, separated by ';'",
                )
                valid = False
            elif parts[0] == parts[1]:
                issues.add(
                    row,
                    "language_pairs",
                    cells["language_pairs"],
                    f"{item!r} names the same language twice; an interpreter works between two languages",
                )
                valid = False
            elif not all(_is_language(part) for part in parts):
                unknown = next(part for part in parts if not _is_language(part))
                issues.add(
                    row,
                    "language_pairs",
                    cells["language_pairs"],
                    f"{unknown!r} in {item!r} is not a language code; use ISO 639 codes such as ru, zh, en",
                )
                valid = False
            else:
                pairs.add(language_pair(parts[0], parts[1]))
        if not _id_list(cells["language_pairs"]):
            issues.add(row, "language_pairs", "", "empty; list the pairs the interpreter covers, e.g. ru-zh")
            valid = False
        available = _slot_set(issues, row, "available_slots", cells["available_slots"], slot_ids)
        if valid:
            result.append(
                Interpreter(cells["interpreter_id"], frozenset(pairs), available, cells.get("name", ""))
            )
    problems.extend(issues.problems)
    return tuple(result)


def read_pins(
    text: str,
    name: str,
    meetings: dict[str, int],
    slot_ids: dict[str, int],
    interpreters: dict[str, int],
    problems: list[str],
) -> tuple[Pin, ...]:
    """Pins from ``meeting_id,slot_id,table,interpreter_id`` (table and interpreter may be empty)."""
    issues = _Issues(name)
    result: list[Pin] = []
    seen: dict[str, int] = {}
    for row, cells in _rows(text, issues, PIN_COLUMNS, optional=("table", "interpreter_id")):
        valid = _unique_id(issues, row, "meeting_id", cells["meeting_id"], seen)
        if valid and cells["meeting_id"] not in meetings:
            issues.add(row, "meeting_id", cells["meeting_id"], "no such meeting in the meetings file")
            valid = False
        if cells["slot_id"] not in slot_ids:
            issues.add(row, "slot_id", cells["slot_id"], "no such slot in the slots file")
            valid = False
        table_text = cells.get("table", "")
        if table_text and not (table_text.isdigit() and int(table_text) > 0):
            issues.add(row, "table", table_text, "not a table number ≥ 1; leave it empty for any free table")
            valid = False
        interpreter = cells.get("interpreter_id", "") or None
        if interpreter and interpreter not in interpreters:
            issues.add(row, "interpreter_id", interpreter, "no such interpreter in the interpreters file")
            valid = False
        if valid:
            table = int(table_text) if table_text else None
            result.append(Pin(cells["meeting_id"], cells["slot_id"], table, interpreter))
    problems.extend(issues.problems)
    return tuple(result)


def read_event(
    files: EventFiles, *, default_tables: int | None = None, default_timezone: tzinfo | None = None
) -> tuple[ScheduleProblem, tuple[Pin, ...]]:
    """The scheduling problem and pins of an event; ScheduleFileError listing every problem found."""
    problems: list[str] = []
    slot_ids: dict[str, int] = {}
    people: dict[str, int] = {}
    meeting_ids: dict[str, int] = {}
    interpreter_ids: dict[str, int] = {}
    slots = read_slots(*files.slots, default_tables, default_timezone, problems, slot_ids)
    participants = read_participants(*files.participants, slot_ids, problems, people)
    meetings = read_meetings(*files.meetings, people, problems, meeting_ids)
    interpreters: tuple[Interpreter, ...] = ()
    if files.interpreters:
        interpreters = read_interpreters(*files.interpreters, slot_ids, problems, interpreter_ids)
    pins: tuple[Pin, ...] = ()
    if files.pins:
        pins = read_pins(*files.pins, meeting_ids, slot_ids, interpreter_ids, problems)
    if problems:
        raise ScheduleFileError(problems)
    return ScheduleProblem(slots, participants, meetings, interpreters), pins


def _writer(handle: TextIO, columns: tuple[str, ...]) -> Callable[[list[object]], object]:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    return writer.writerow


def write_schedule(schedule: Schedule, handle: TextIO) -> int:
    """Write the placements (``SCHEDULE_COLUMNS``) in time and table order; returns the row count."""
    problem = schedule.problem
    row = _writer(handle, SCHEDULE_COLUMNS)
    for placement in schedule.placements:
        slot = problem.slot_by_id[placement.slot_id]
        meeting = problem.meeting_by_id[placement.meeting_id]
        row(
            [
                placement.meeting_id,
                placement.slot_id,
                slot.start.isoformat(),
                slot.end.isoformat(),
                placement.table,
                placement.interpreter_id or "",
                meeting.participant_a,
                meeting.participant_b,
            ]
        )
    return len(schedule.placements)


def write_unplaced(schedule: Schedule, handle: TextIO) -> int:
    """Write the unplaced meetings with their reasons (``meeting_id,reason``); returns the row count."""
    row = _writer(handle, UNPLACED_COLUMNS)
    for item in schedule.unplaced:
        row([item.meeting_id, item.reason])
    return len(schedule.unplaced)

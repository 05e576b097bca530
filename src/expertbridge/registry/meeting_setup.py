"""An event's meeting set-up: its slots (with tables) and its interpreters, as organizers type them.

The set-up form has two text fields, one line per slot (``code start end tables``) and one per
interpreter (``code; name; language pairs; slots``).  Every problem of every line is found at once
and named for a person (the field, the line, what is wrong, what is allowed) as a
:class:`~expertbridge.messages.Message`; a set-up with any problem is not saved at all.  A line
number places a line, it counts nothing: messages get it as text ("line 1200", never "1 200").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Event, EventInterpreter, EventSlot
from expertbridge.matching.schedule_model import language_pair
from expertbridge.messages import Message
from expertbridge.registry.audit import Change, write_changes
from expertbridge.registry.meeting_people import check_organizes, codes
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.registry.vocab import SPOKEN_LANGUAGES

MAX_CODE = 32
MAX_NAME = 200
MAX_TABLES = 500
EXAMPLE_TIME = "2023-09-12T09:00+08:00"


class ProblemsRefused(Refused):
    """A refusal with a list of problems: ``heading`` and each problem are said in the reader's
    language on a page; the API and the command line read the English ``message``."""

    def __init__(self, heading: str, message: str, problems: Sequence[Message], status: int = 422) -> None:
        super().__init__(message, status, problems="; ".join(problem.text for problem in problems))
        self.heading = heading
        self.problems = tuple(problems)


@dataclass(frozen=True)
class SlotView:
    """A slot as the set-up form and the grid show it."""

    code: str
    start: dt.datetime  # aware, in the organizers' offset
    end: dt.datetime
    tables: int


@dataclass(frozen=True)
class InterpreterView:
    """An interpreter as the set-up form shows them."""

    code: str
    name: str
    pairs: tuple[tuple[str, str], ...]
    available: frozenset[str] | None


def _aware(moment: dt.datetime, offset: int) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(minutes=offset)))


def slots(session: Session, event_id: int) -> list[SlotView]:
    """The event's slots in time order."""
    rows = session.scalars(
        select(EventSlot).where(EventSlot.event_id == event_id).order_by(EventSlot.starts_at, EventSlot.code)
    )
    return [
        SlotView(
            row.code, _aware(row.starts_at, row.utc_offset), _aware(row.ends_at, row.utc_offset), row.tables
        )
        for row in rows
    ]


def interpreters(session: Session, event_id: int) -> list[InterpreterView]:
    """The event's interpreters."""
    rows = session.scalars(
        select(EventInterpreter).where(EventInterpreter.event_id == event_id).order_by(EventInterpreter.code)
    )
    return [
        InterpreterView(
            row.code,
            row.name,
            tuple(_pair(text) for text in row.language_pairs.split()),
            codes(row.available_slots),
        )
        for row in rows
    ]


def _pair(text: str) -> tuple[str, str]:
    first, _, second = text.partition("-")
    return language_pair(first, second)


def slots_text(session: Session, event_id: int) -> str:
    """The slots as the set-up form's lines: ``code start end tables``."""
    return "\n".join(
        " ".join(
            (slot.code, slot.start.isoformat(timespec="minutes"), slot.end.isoformat(timespec="minutes"))
        )
        + f" {slot.tables}"
        for slot in slots(session, event_id)
    )


def interpreters_text(session: Session, event_id: int) -> str:
    """The interpreters as the set-up form's lines: ``code; name; pairs; slots``."""
    return "\n".join(
        "; ".join(
            [
                item.code,
                item.name,
                " ".join(f"{a}-{b}" for a, b in item.pairs),
                " ".join(sorted(item.available)) if item.available is not None else "",
            ]
        ).rstrip("; ")
        for item in interpreters(session, event_id)
    )


@dataclass(frozen=True)
class _SlotLine:
    line: int
    code: str
    start: dt.datetime
    end: dt.datetime
    tables: int


def _moment(text: str, line: int, which: str, problems: list[Message]) -> dt.datetime | None:
    """A slot's start or end (``which``), or None with the problem added."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        template = (
            N_("Slots, line %(line)s: the start %(value)s is not a date and time; write it like %(example)s.")
            if which == "start"
            else N_(
                "Slots, line %(line)s: the end %(value)s is not a date and time; write it like %(example)s."
            )
        )
        problems.append(Message.of(template, line=str(line), value=repr(text), example=EXAMPLE_TIME))
        return None
    if moment.tzinfo is None:
        template = (
            N_(
                "Slots, line %(line)s: the start %(value)s has no UTC offset; add it, like +08:00 for "
                "Beijing or +03:00 for Moscow."
            )
            if which == "start"
            else N_(
                "Slots, line %(line)s: the end %(value)s has no UTC offset; add it, like +08:00 for "
                "Beijing or +03:00 for Moscow."
            )
        )
        problems.append(Message.of(template, line=str(line), value=repr(text)))
        return None
    return moment


def _tables(text: str, line: int, problems: list[Message]) -> int | None:
    number = int(text) if text.isdigit() else None
    if number is None or number > MAX_TABLES:
        problems.append(
            Message.of(
                N_(
                    "Slots, line %(line)s: the number of tables %(value)s is not a whole number from 0 to "
                    "%(max)s."
                ),
                line=str(line),
                value=repr(text),
                max=MAX_TABLES,
            )
        )
    return number


def parse_slots(text: str, first_day: dt.date, last_day: dt.date) -> tuple[list[_SlotLine], list[Message]]:
    """The slots of the form's text and every problem found; a slot must lie within the event's days
    (in its own UTC offset), last longer than zero minutes and overlap no other slot."""
    parsed: list[_SlotLine] = []
    problems: list[Message] = []
    seen: dict[str, int] = {}
    for line, content in enumerate(text.splitlines(), start=1):
        parts = content.split()
        if not parts:
            continue
        if len(parts) != 4:
            problems.append(
                Message.of(
                    N_(
                        "Slots, line %(line)s: write four values separated by spaces: the code, the start, "
                        "the end and the number of tables."
                    ),
                    line=str(line),
                )
            )
            continue
        code, start_text, end_text, tables_text = parts
        valid = True
        if len(code) > MAX_CODE:
            problems.append(
                Message.of(
                    N_("Slots, line %(line)s: the code %(code)s is longer than %(max)s characters."),
                    line=str(line),
                    code=repr(code),
                    max=MAX_CODE,
                )
            )
            valid = False
        elif code in seen:
            problems.append(
                Message.of(
                    N_(
                        "Slots, line %(line)s: the code %(code)s is already used on line %(first)s; "
                        "every slot needs a code of its own."
                    ),
                    line=str(line),
                    code=repr(code),
                    first=str(seen[code]),
                )
            )
            valid = False
        seen.setdefault(code, line)
        start = _moment(start_text, line, "start", problems)
        end = _moment(end_text, line, "end", problems)
        tables = _tables(tables_text, line, problems)
        if start is None or end is None or tables is None or tables > MAX_TABLES or not valid:
            continue
        if end <= start:
            problems.append(
                Message.of(
                    N_(
                        "Slots, line %(line)s: the end %(end)s is not after the start %(start)s; a slot "
                        "must last longer than zero minutes."
                    ),
                    line=str(line),
                    start=start_text,
                    end=end_text,
                )
            )
            continue
        # The last instant of the slot: one that ends at midnight ends on the day it started.
        days = (start.date(), (end - dt.timedelta(microseconds=1)).date())
        if days[0] < first_day or days[1] > last_day:
            problems.append(
                Message.of(
                    N_(
                        "Slots, line %(line)s: the slot is outside the event's dates (%(first)s to "
                        "%(last)s); move it into the event or change the event's dates."
                    ),
                    line=str(line),
                    first=first_day.isoformat(),
                    last=last_day.isoformat(),
                )
            )
            continue
        parsed.append(_SlotLine(line, code, start, end, tables))
    ordered = sorted(parsed, key=lambda slot: (slot.start, slot.line))
    for before, after in pairwise(ordered):
        if after.start < before.end:
            problems.append(
                Message.of(
                    N_(
                        "Slots, line %(line)s: the slot %(code)s overlaps slot %(other)s (line "
                        "%(other_line)s); a person could be booked twice at once, so slots must not overlap."
                    ),
                    line=str(after.line),
                    code=after.code,
                    other=before.code,
                    other_line=str(before.line),
                )
            )
    return parsed, problems


@dataclass(frozen=True)
class _InterpreterLine:
    code: str
    name: str
    pairs: str  # canonical pairs separated by spaces: "ru-zh en-zh"
    available: str | None  # slot codes separated by spaces, None for every slot


def _language_pairs(text: str, line: int, problems: list[Message]) -> list[tuple[str, str]] | None:
    pairs: list[tuple[str, str]] = []
    found = len(problems)
    for item in text.split():
        parts = item.lower().split("-")
        if len(parts) != 2 or not all(parts):
            problems.append(
                Message.of(
                    N_(
                        "Interpreters, line %(line)s: %(pair)s is not a language pair; write two language "
                        "codes joined by a hyphen, like ru-zh."
                    ),
                    line=str(line),
                    pair=repr(item),
                )
            )
            continue
        unknown = [code for code in parts if code not in SPOKEN_LANGUAGES]
        if unknown:
            problems.append(
                Message.of(
                    N_(
                        "Interpreters, line %(line)s: %(code)s in %(pair)s is not a language code the "
                        "registry knows; use %(codes)s."
                    ),
                    line=str(line),
                    code=repr(unknown[0]),
                    pair=repr(item),
                    codes=", ".join(SPOKEN_LANGUAGES),
                )
            )
            continue
        if parts[0] == parts[1]:
            problems.append(
                Message.of(
                    N_(
                        "Interpreters, line %(line)s: %(pair)s names the same language twice; an "
                        "interpreter works between two different languages."
                    ),
                    line=str(line),
                    pair=repr(item),
                )
            )
            continue
        pair = language_pair(parts[0], parts[1])
        if pair not in pairs:
            pairs.append(pair)
    return pairs if len(problems) == found else None


def parse_interpreters(text: str, slot_codes: set[str]) -> tuple[list[_InterpreterLine], list[Message]]:
    """The interpreters of the form's text and every problem found."""
    parsed: list[_InterpreterLine] = []
    problems: list[Message] = []
    seen: dict[str, int] = {}
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip():
            continue
        parts = [part.strip() for part in content.split(";")]
        if len(parts) < 3 or len(parts) > 4 or not parts[0] or not parts[2]:
            problems.append(
                Message.of(
                    N_(
                        "Interpreters, line %(line)s: write the code; the name; the language pairs; the "
                        "slots (leave the slots empty for all)."
                    ),
                    line=str(line),
                )
            )
            continue
        code, name = parts[0], parts[1]
        found = len(problems)
        if len(code) > MAX_CODE:
            problems.append(
                Message.of(
                    N_("Interpreters, line %(line)s: the code %(code)s is longer than %(max)s characters."),
                    line=str(line),
                    code=repr(code),
                    max=MAX_CODE,
                )
            )
        elif code in seen:
            problems.append(
                Message.of(
                    N_(
                        "Interpreters, line %(line)s: the code %(code)s is already used on line %(first)s; "
                        "every interpreter needs a code of their own."
                    ),
                    line=str(line),
                    code=repr(code),
                    first=str(seen[code]),
                )
            )
        seen.setdefault(code, line)
        if len(name) > MAX_NAME:
            problems.append(
                Message.of(
                    N_("Interpreters, line %(line)s: the name is longer than %(max)s characters."),
                    line=str(line),
                    max=MAX_NAME,
                )
            )
        pairs = _language_pairs(parts[2], line, problems)
        available = parts[3].split() if len(parts) > 3 and parts[3] else None
        unknown = sorted(set(available or ()) - slot_codes)
        if unknown:
            problems.append(
                Message.of(
                    N_(
                        "Interpreters, line %(line)s: there is no slot %(codes)s; use the codes of the slots "
                        "above, or leave the slots empty for all."
                    ),
                    line=str(line),
                    codes=" ".join(unknown),
                )
            )
        if pairs is None or len(problems) > found:
            continue
        parsed.append(
            _InterpreterLine(
                code,
                name,
                " ".join(f"{first}-{second}" for first, second in pairs),
                " ".join(available) if available else None,
            )
        )
    return parsed, problems


# The set-up's rows that placements refer to, each kept by its code.
_Coded = TypeVar("_Coded", EventSlot, EventInterpreter)


def _keep_by_code(
    session: Session,
    table: type[_Coded],
    event_id: int,
    wanted: dict[str, dict[str, Any]],
) -> None:
    """Make the event's rows of ``table`` exactly ``wanted`` (code → column values), updating the
    rows whose code stays: placements refer to slots and interpreters by row, so a re-saved set-up
    must keep them (a removed slot takes its placements with it; a removed interpreter leaves the
    meeting without one, which current_schedule reports)."""
    existing = {row.code: row for row in session.scalars(select(table).where(table.event_id == event_id))}
    for code, values in wanted.items():
        row = existing.pop(code, None)
        if row is None:
            session.add(table(event_id=event_id, code=code, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
    for row in existing.values():
        session.delete(row)


def save_setup(
    session: Session, viewer: Viewer, event_id: int, slots_lines: str, interpreter_lines: str
) -> None:
    """Replace the event's slots and interpreters (by code: a kept code keeps its placements).

    Raises ProblemsRefused listing every problem; nothing is changed then.  Refused (404) for no
    such event, (403) for anyone but the event's organizers (the coordinators of its side, admins).
    """
    check_organizes(session, viewer, event_id)
    event = session.get_one(Event, event_id)
    parsed_slots, problems = parse_slots(slots_lines, event.starts_on, event.ends_on)
    slot_codes = {slot.code for slot in parsed_slots}
    parsed_interpreters, more = parse_interpreters(interpreter_lines, slot_codes)
    problems += more
    if problems:
        raise ProblemsRefused(
            N_("The set-up was not saved:"), N_("The set-up was not saved: %(problems)s"), problems
        )
    slot_values = {
        slot.code: {
            "starts_at": slot.start.astimezone(dt.UTC).replace(tzinfo=None),
            "ends_at": slot.end.astimezone(dt.UTC).replace(tzinfo=None),
            "utc_offset": int((slot.start.utcoffset() or dt.timedelta()).total_seconds() // 60),
            "tables": slot.tables,
        }
        for slot in parsed_slots
    }
    _keep_by_code(session, EventSlot, event_id, slot_values)
    interpreter_values = {
        item.code: {"name": item.name, "language_pairs": item.pairs, "available_slots": item.available}
        for item in parsed_interpreters
    }
    _keep_by_code(session, EventInterpreter, event_id, interpreter_values)
    session.flush()
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "update",
                "event",
                event_id,
                {"slots": [slot.code for slot in parsed_slots], "interpreters": list(interpreter_values)},
            )
        ],
    )

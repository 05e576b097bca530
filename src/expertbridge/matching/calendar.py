"""iCalendar (RFC 5545) agendas: one VCALENDAR per participant, one VEVENT per meeting.

Written by hand, it is a small format: CRLF line ends, lines folded at 75 octets (a continuation
line starts with one space), TEXT values escaped (backslash, semicolon, comma, newline), times in
UTC with a ``Z``.  The output is deterministic for a given schedule and ``stamp`` (DTSTAMP), so
calendars can be compared and regenerated; the UID of a meeting is the same in both participants'
calendars and stays the same when the meeting moves, so calendar clients update it in place.

>>> escape_text("Table 3; Hall A, level 2\\nbring cards")
'Table 3\\\\; Hall A\\\\, level 2\\\\nbring cards'
>>> fold_line("DESCRIPTION:" + "x" * 70)
'DESCRIPTION:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\r\\n xxxxxxx'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from expertbridge.matching.schedule_agenda import agendas
from expertbridge.matching.schedule_model import AgendaItem, Schedule

MAX_OCTETS = 75
CRLF = "\r\n"
PRODID = "-//expertbridge//Meeting scheduler//EN"


def escape_text(value: str) -> str:
    """Escape a TEXT property value: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line so that no physical line exceeds 75 octets of UTF-8.

    Breaks fall between characters, never inside a multi-byte one; each continuation line starts
    with a space, which counts towards its 75 octets.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, MAX_OCTETS
        current += character
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def format_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form: ``20230912T013000Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid_part(value: str) -> str:
    # UIDs must be stable and globally unique; keep them to characters every client accepts.
    return re.sub(r"[^A-Za-z0-9._-]", lambda match: f"%{ord(match.group()):X}", value)


def _event(item: AgendaItem, stamp: datetime, uid_domain: str, event_name: str) -> list[str]:
    counterpart = item.counterpart
    summary = f"Meeting with {counterpart.name or counterpart.participant_id}"
    if event_name:
        summary += f" ({event_name})"
    description = [
        f"Counterpart: {counterpart.label}" + (f", {counterpart.side}" if counterpart.side else "")
    ]
    if item.interpreter_id:
        description.append(f"Languages: {item.language}, interpreter {item.interpreter_id}")
    else:
        description.append(f"Language: {item.language}")
    description.append(f"Meeting id: {item.meeting_id}")
    return [
        "BEGIN:VEVENT",
        f"UID:{_uid_part(item.meeting_id)}@{_uid_part(uid_domain)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(item.slot.start)}",
        f"DTEND:{format_utc(item.slot.end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(f'Table {item.table}')}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def agenda_calendar(
    schedule: Schedule,
    participant_id: str,
    *,
    stamp: datetime,
    event_name: str = "",
    uid_domain: str = "expertbridge",
) -> str:
    """One participant's agenda as an iCalendar document (a str with CRLF line ends).

    ``stamp`` is the DTSTAMP of every event (pass the time the schedule was published);
    ``uid_domain`` should name the event, so that meeting ids of different events never clash.
    """
    items = agendas(schedule)[participant_id]
    return _calendar(schedule, participant_id, items, stamp, event_name, uid_domain)


def _calendar(
    schedule: Schedule,
    participant_id: str,
    items: tuple[AgendaItem, ...],
    stamp: datetime,
    event_name: str,
    uid_domain: str,
) -> str:
    person = schedule.problem.participant_by_id[participant_id]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(' – '.join(part for part in (event_name, person.name) if part))}",
    ]
    for item in items:
        lines.extend(_event(item, stamp, uid_domain, event_name))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)


def agenda_calendars(
    schedule: Schedule, *, stamp: datetime, event_name: str = "", uid_domain: str = "expertbridge"
) -> dict[str, str]:
    """Every participant with at least one meeting → their iCalendar document."""
    return {
        person_id: _calendar(schedule, person_id, items, stamp, event_name, uid_domain)
        for person_id, items in agendas(schedule).items()
        if items
    }

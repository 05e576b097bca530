"""iCalendar (RFC 5545) agendas: one VCALENDAR per participant, one VEVENT per meeting.

Written by hand, it is a small format: CRLF line ends, lines folded at 75 octets (a continuation
line starts with one space), TEXT values escaped (backslash, semicolon, comma, newline), times in
UTC with a ``Z``.  The output is deterministic for a given schedule and ``stamp`` (DTSTAMP), so
calendars can be compared and regenerated; the UID of a meeting is the same in both participants'
calendars and stays the same when the meeting moves, so calendar clients update it in place.

The words of summaries and descriptions are messages (English by default): a page passes ``say``
to write them in its language, and ``names`` to name people in its script.

>>> escape_text("Table 3; Hall A, level 2\\nbring cards")
'Table 3\\\\; Hall A\\\\, level 2\\\\nbring cards'
>>> fold_line("DESCRIPTION:" + "x" * 70)
'DESCRIPTION:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\r\\n xxxxxxx'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from expertbridge.matching.schedule_agenda import agendas
from expertbridge.matching.schedule_model import AgendaItem, Participant, Schedule
from expertbridge.messages import Message
from expertbridge.registry.problems import N_

MAX_OCTETS = 75
CRLF = "\r\n"
PRODID = "-//expertbridge//Meeting scheduler//EN"


def _english(message: Message) -> str:
    return message.text


def _as_given(text: str) -> str:
    return text


@dataclass(frozen=True)
class Wording:
    """How a calendar speaks: ``say`` writes a message (English by default), ``names`` gives the
    name to show for a participant id (their own name otherwise), ``place`` names a city (a
    participant's side)."""

    say: Callable[[Message], str] = _english
    names: Mapping[str, str] = field(default_factory=dict)
    place: Callable[[str], str] = _as_given

    def name(self, person: Participant) -> str:
        """The person as the calendar names them."""
        return self.names.get(person.participant_id) or person.name or person.participant_id

    def label(self, person: Participant) -> str:
        """The person with their id and city (side), as a description names them."""
        shown = self.names.get(person.participant_id)
        label = f"{shown} ({person.participant_id})" if shown else person.label
        return f"{label}, {self.place(person.side)}" if person.side else label


ENGLISH = Wording()


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


def _event(
    item: AgendaItem, stamp: datetime, uid_domain: str, event_name: str, wording: Wording
) -> list[str]:
    say = wording.say
    name = wording.name(item.counterpart)
    if event_name:
        summary = say(Message.of(N_("Meeting with %(name)s (%(event)s)"), name=name, event=event_name))
    else:
        summary = say(Message.of(N_("Meeting with %(name)s"), name=name))
    description = [say(Message.of(N_("Counterpart: %(name)s"), name=wording.label(item.counterpart)))]
    if item.interpreter_id:
        description.append(
            say(
                Message.of(
                    N_("Languages: %(languages)s, interpreter %(interpreter)s"),
                    languages=item.language,
                    interpreter=item.interpreter_id,
                )
            )
        )
    else:
        description.append(say(Message.of(N_("Language: %(language)s"), language=item.language)))
    description.append(say(Message.of(N_("Meeting id: %(meeting)s"), meeting=item.meeting_id)))
    location = say(Message.of(N_("Table %(table)s"), table=str(item.table)))
    return [
        "BEGIN:VEVENT",
        f"UID:{_uid_part(item.meeting_id)}@{_uid_part(uid_domain)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(item.slot.start)}",
        f"DTEND:{format_utc(item.slot.end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
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
    wording: Wording = ENGLISH,
) -> str:
    """One participant's agenda as an iCalendar document (a str with CRLF line ends).

    ``stamp`` is the DTSTAMP of every event (pass the time the schedule was published);
    ``uid_domain`` should name the event, so that meeting ids of different events never clash;
    ``wording`` the language and the names to write (English and the names as given by default).
    """
    items = agendas(schedule)[participant_id]
    return _calendar(schedule, participant_id, items, stamp, event_name, uid_domain, wording)


def _calendar(
    schedule: Schedule,
    participant_id: str,
    items: tuple[AgendaItem, ...],
    stamp: datetime,
    event_name: str,
    uid_domain: str,
    wording: Wording,
) -> str:
    person = schedule.problem.participant_by_id[participant_id]
    own_name = wording.names.get(participant_id) or person.name
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(' – '.join(part for part in (event_name, own_name) if part))}",
    ]
    for item in items:
        lines.extend(_event(item, stamp, uid_domain, event_name, wording))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)


def agenda_calendars(
    schedule: Schedule, *, stamp: datetime, event_name: str = "", uid_domain: str = "expertbridge"
) -> dict[str, str]:
    """Every participant with at least one meeting → their iCalendar document."""
    return {
        person_id: _calendar(schedule, person_id, items, stamp, event_name, uid_domain, ENGLISH)
        for person_id, items in agendas(schedule).items()
        if items
    }

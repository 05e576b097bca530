"""iCalendar agendas: structure (CRLF, folding at 75 octets, BEGIN/END balance), escaping, determinism."""

from __future__ import annotations

import doctest
import re
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from expertbridge.matching import calendar as calendar_module
from expertbridge.matching.calendar import agenda_calendar, agenda_calendars, escape_text, fold_line
from expertbridge.matching.schedule import (
    Interpreter,
    Meeting,
    Participant,
    Pin,
    Schedule,
    ScheduleProblem,
    Slot,
    SolveOptions,
    solve_schedule,
)

STAMP = datetime(2023, 9, 1, 12, 0, tzinfo=UTC)
BEIJING = timedelta(hours=8)


def event() -> Schedule:
    """Three people, one of them with a long name full of characters that need escaping."""
    zone = timezone(BEIJING)
    slots = tuple(
        Slot(
            f"S{i}",
            datetime(2023, 9, 12, 9, 30, tzinfo=zone) + timedelta(minutes=30 * i),
            datetime(2023, 9, 12, 10, 0, tzinfo=zone) + timedelta(minutes=30 * i),
            2,
        )
        for i in range(3)
    )
    people = (
        Participant(
            "M-1", "Черёмин, Сергей Петрович; ведущий научный сотрудник\\лаборатории", frozenset({"ru"})
        ),
        Participant(
            "B-1", "许心超（清华大学计算机科学与技术系，人工智能研究院）", frozenset({"zh", "en"}), "beijing"
        ),
        Participant("B-2", "Wang Wei", frozenset({"ru", "zh"})),
    )
    meetings = (Meeting("T1", "M-1", "B-1", mutual=True), Meeting("T2", "M-1", "B-2"))
    pool = (Interpreter("I1", frozenset({("ru", "zh")})),)
    problem = ScheduleProblem(slots, people, meetings, pool)
    return solve_schedule(problem, (Pin("T1", "S0"), Pin("T2", "S1")), SolveOptions(time_limit=5))


def unfold(text: str) -> list[str]:
    """Content lines of an iCalendar text (folds joined)."""
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_doctests() -> None:
    assert doctest.testmod(calendar_module).failed == 0


def test_calendar_is_structurally_valid() -> None:
    text = agenda_calendar(event(), "M-1", stamp=STAMP, event_name="Moscow–Beijing forum, 2023")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only, no bare LF or CR
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    lines = unfold(text)
    depth: list[str] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            depth.append(line[6:])
        elif line.startswith("END:"):
            assert depth.pop() == line[4:]
    assert not depth
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 2
    for line in lines:
        if line.startswith(("DTSTART:", "DTEND:", "DTSTAMP:")):
            assert re.fullmatch(r"[A-Z]+:\d{8}T\d{6}Z", line), line
    assert "DTSTART:20230912T013000Z" in lines  # 09:30 in Beijing is 01:30 UTC


def test_events_name_the_counterpart_table_and_language() -> None:
    lines = unfold(agenda_calendar(event(), "M-1", stamp=STAMP))
    assert "SUMMARY:Meeting with 许心超（清华大学计算机科学与技术系，人工智能研究院）" in lines
    assert "LOCATION:Table 1" in lines
    descriptions = [line for line in lines if line.startswith("DESCRIPTION:")]
    assert any("Languages: ru–zh\\, interpreter I1" in line for line in descriptions)
    assert any("Language: ru\\n" in line for line in descriptions)


def test_text_is_escaped_and_folds_keep_characters_whole() -> None:
    text = agenda_calendar(event(), "B-1", stamp=STAMP)
    for physical in text.encode("utf-8").split(b"\r\n"):
        physical.decode("utf-8")  # no multi-byte character cut by a fold
    lines = unfold(text)
    counterpart = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Черёмин\\, Сергей Петрович\\; ведущий научный сотрудник\\\\лаборатории" in counterpart


def test_output_is_deterministic_and_uids_are_shared_by_both_sides() -> None:
    schedule = event()
    assert agenda_calendars(schedule, stamp=STAMP) == agenda_calendars(event(), stamp=STAMP)
    calendars = agenda_calendars(schedule, stamp=STAMP, uid_domain="forum 2023")
    assert set(calendars) == {"M-1", "B-1", "B-2"}
    uids = {
        pid: [line for line in unfold(text) if line.startswith("UID:")] for pid, text in calendars.items()
    }
    assert uids["B-1"] == ["UID:T1@forum%202023"]
    assert sorted(uids["M-1"]) == sorted(uids["B-1"] + uids["B-2"])


@given(st.text(max_size=300))
def test_escape_and_fold_round_trip(value: str) -> None:
    folded = fold_line("DESCRIPTION:" + escape_text(value))
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    escaped = folded.replace("\r\n ", "")[len("DESCRIPTION:") :]
    assert "\n" not in escaped and "\r" not in escaped
    unescaped = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), escaped)
    assert unescaped == value.replace("\r\n", "\n").replace("\r", "\n")


def test_a_calendar_speaks_the_wording_it_is_given_and_english_by_default() -> None:
    from expertbridge.matching.calendar import Wording
    from expertbridge.web.i18n import Translator
    from expertbridge.web.issues import message_text

    schedule = event()
    english = unfold(agenda_calendar(schedule, "M-1", stamp=STAMP, event_name="Forum"))
    assert "SUMMARY:Meeting with Wang Wei (Forum)" in english and "LOCATION:Table 1" in english
    russian = Wording(
        say=lambda message: message_text(Translator("ru"), message),
        names={"B-1": "Сюй Синьчао (许心超)"},
        place=lambda city: {"beijing": "Пекин"}.get(city, city),
    )
    lines = unfold(agenda_calendar(schedule, "M-1", stamp=STAMP, event_name="Форум", wording=russian))
    assert "SUMMARY:Встреча: Сюй Синьчао (许心超) (Форум)" in lines
    assert "LOCATION:Стол 1" in lines
    assert any(
        line.startswith("DESCRIPTION:Партнёр по встрече: Сюй Синьчао (许心超) (B-1)\\, Пекин\\nЯзыки: ru–zh")
        for line in lines
    ), lines

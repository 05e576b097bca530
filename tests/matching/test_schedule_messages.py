"""The scheduler's reasons and conflicts are messages: English for the command line, translated on
pages, and stored and read back whole."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from expertbridge.matching.schedule import (
    Interpreter,
    Meeting,
    Participant,
    Pin,
    ScheduleInputError,
    ScheduleProblem,
    Slot,
    SolveOptions,
    check_move,
    solve_schedule,
)
from expertbridge.messages import Message
from expertbridge.registry.meetings import _read_unplaced, _unplaced_data
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text

NINE = datetime(2023, 9, 12, 1, 0, tzinfo=UTC)
LATIN = re.compile(r"\b(?!ru\b|zh\b|en\b)[a-z]{3,}\b")  # English words (codes and ids aside)


def _problem() -> ScheduleProblem:
    slots = tuple(
        Slot(f"s{i}", NINE + timedelta(minutes=30 * i), NINE + timedelta(minutes=30 * (i + 1)), 1)
        for i in range(2)
    )
    people = (
        Participant("a", "Анна", frozenset({"ru"}), available=frozenset({"s0"})),
        Participant("b", "白", frozenset({"zh"})),
        Participant("c", "Вера", frozenset({"ru"}), available=frozenset({"s1"})),
        Participant("d", "丁", frozenset({"zh"}), available=frozenset({"s0"})),
        Participant("e", "Егор", frozenset({"ru"})),
    )
    meetings = (
        Meeting("ab", "a", "b"),  # no interpreter in the pool
        Meeting("cd", "c", "d"),  # no common slot
        Meeting("ce", "c", "e", priority=2),
        Meeting("ae", "a", "e"),
    )
    return ScheduleProblem(slots, people, meetings, (Interpreter("i1", frozenset({("zh", "en")})),))


@pytest.mark.parametrize("language", ["ru", "zh"])
def test_reasons_are_said_in_the_page_language_and_written_in_english_elsewhere(language: str) -> None:
    schedule = solve_schedule(_problem(), options=SolveOptions(time_limit=2))
    reasons = {item.meeting_id: item for item in schedule.unplaced}
    assert (
        reasons["ab"].reason
        == "Анна (a) and 白 (b) share no language and need a ru–zh interpreter; the pool has none"
    )
    assert reasons["cd"].code == "no_common_slot"
    translator = Translator(language)
    for item in schedule.unplaced:
        said = message_text(translator, item.text)
        assert said != item.reason and not LATIN.search(said), said
        # stored with the schedule and read back, the reason is the same message
        assert _read_unplaced(_unplaced_data(item)) == item


def test_a_reason_stored_before_messages_is_read_as_it_was_written() -> None:
    old = {"meeting_id": "7", "code": "tables_full", "reason": "all tables are taken"}
    read = _read_unplaced(old)
    assert read.reason == "all tables are taken" and read.text == Message("all tables are taken")


def test_conflicts_and_pin_problems_are_messages_too() -> None:
    problem = _problem()
    schedule = solve_schedule(problem, options=SolveOptions(time_limit=2))
    conflicts = check_move(schedule, "ce", "s0", table=3)
    assert [c.kind for c in conflicts] == ["participant_unavailable", "participant_busy", "bad_table"]
    russian = [message_text(Translator("ru"), c.text) for c in conflicts]
    assert russian == [
        "Вера (c) не может встретиться в слоте s0",
        "Егор (e) уже на встрече в слоте s0 (ae)",
        "в слоте s0 есть только столы с 1 по 1",
    ]
    with pytest.raises(ScheduleInputError) as refused:
        solve_schedule(problem, (Pin("ce", "s0"), Pin("zz", "s0")), SolveOptions(time_limit=1))
    assert refused.value.problems == (
        "pin of ce: Вера (c) is not available in slot s0",
        "pin: there is no meeting 'zz'",
    )
    chinese = [message_text(Translator("zh"), m) for m in refused.value.messages]
    assert chinese == ["会面 ce 的固定安排：Вера (c) 在时段 s0 没有空", "固定安排：没有会面 'zz'"]

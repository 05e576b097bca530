"""`expertbridge schedule` as a user drives it (Typer's CliRunner), and the readers of its files."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.matching.schedule_io import EventFiles, ScheduleFileError, read_event

runner = CliRunner()

SLOTS = """slot_id,start,end,tables
S1,2023-09-12T09:30+08:00,2023-09-12T10:00+08:00,2
S2,2023-09-12T10:00+08:00,2023-09-12T10:30+08:00,
S3,2023-09-12T10:30+08:00,2023-09-12T11:00+08:00,1
"""
PARTICIPANTS = """participant_id,name,side,languages,available_slots
M1,"Иванов, Иван",moscow,ru;en,
M2,Петрова Анна,moscow,ru,S1;S2
B1,王伟,beijing,zh;en,
B2,李娜,beijing,zh,S3
"""
MEETINGS = """meeting_id,participant_a,participant_b,priority,mutual
T1,M1,B1,2,true
T2,M2,B1,1,false
T3,M2,B2,1,no
T4,M1,B2,,
"""
INTERPRETERS = """interpreter_id,language_pairs,available_slots
I1,ru-zh,S1;S2
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Four people, four meetings: two can be held (one with an interpreter), two cannot."""
    return {
        "slots": write(tmp_path / "slots.csv", SLOTS),
        "participants": write(tmp_path / "participants.csv", PARTICIPANTS),
        "meetings": write(tmp_path / "meetings.csv", MEETINGS),
        "interpreters": write(tmp_path / "interpreters.csv", INTERPRETERS),
    }


def arguments(files: dict[str, Path], output: Path, *extra: str) -> list[str]:
    result = ["schedule", "--output", str(output), "--tables", "1", "--time-limit", "5", *extra]
    for name, path in files.items():
        result += [f"--{name}", str(path)]
    return result


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def test_help_documents_the_formats() -> None:
    result = runner.invoke(app, ["schedule", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for text in ("participant_id,name,side,languages,available_slots", "slot_id,start,end,tables", "ru-zh"):
        assert text in result.output


def test_schedule_unplaced_and_calendars_are_written(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out" / "schedule.csv"
    result = runner.invoke(app, arguments(files, output, "--ics-dir", str(tmp_path / "ics")))
    assert result.exit_code == 0, result.output
    assert "placed 2 of 4 meetings" in result.output
    rows = read_rows(output)
    assert list(rows[0]) == [
        "meeting_id",
        "slot_id",
        "start",
        "end",
        "table",
        "interpreter_id",
        "participant_a",
        "participant_b",
    ]
    placed = {row["meeting_id"]: row for row in rows}
    assert set(placed) == {"T1", "T2"}
    assert placed["T2"]["interpreter_id"] == "I1"  # M2 speaks ru, B1 zh and en
    assert placed["T1"]["interpreter_id"] == ""
    assert placed["T1"]["start"].endswith("+08:00")
    unplaced = {
        row["meeting_id"]: row["reason"] for row in read_rows(tmp_path / "out" / "schedule.unplaced.csv")
    }
    assert unplaced == {
        "T3": "no common available slot for Петрова Анна (M2) and 李娜 (B2)",
        "T4": "needs a ru–zh / zh–en interpreter; none is available in the common slots of "
        "Иванов, Иван (M1) and 李娜 (B2)",
    }
    assert sorted(path.name for path in (tmp_path / "ics").iterdir()) == ["B1.ics", "M1.ics", "M2.ics"]
    assert (tmp_path / "ics" / "M1.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_pins_file_is_respected(files: dict[str, Path], tmp_path: Path) -> None:
    files["pins"] = write(tmp_path / "pins.csv", "meeting_id,slot_id,table,interpreter_id\nT1,S3,,\n")
    output = tmp_path / "schedule.csv"
    result = runner.invoke(app, arguments(files, output))
    assert result.exit_code == 0, result.output
    assert {row["meeting_id"]: row["slot_id"] for row in read_rows(output)}["T1"] == "S3"


def test_malformed_rows_are_reported_and_nothing_is_written(files: dict[str, Path], tmp_path: Path) -> None:
    write(
        files["participants"],
        PARTICIPANTS.replace('M1,"Иванов, Иван",moscow,ru;en,', 'M1,"Иванов",moscow,"ru,en",'),
    )
    write(files["meetings"], MEETINGS + "T5,M1,B9,high,maybe\n")
    output = tmp_path / "schedule.csv"
    result = runner.invoke(app, arguments(files, output, "--ics-dir", str(tmp_path / "ics")))
    assert result.exit_code == 1
    assert (
        "participants.csv, row 2, field languages ('ru,en'): 'ru,en' is not a language code; use ISO 639 "
        "codes (ru, zh, en) separated by ';'" in result.output
    )
    assert "meetings.csv, row 6, field participant_b ('B9'): no such participant" in result.output
    assert "meetings.csv, row 6, field priority ('high'): not a whole number ≥ 1" in result.output
    assert "meetings.csv, row 6, field mutual ('maybe'): use true or false" in result.output
    # M1's own row is wrong, but the meetings naming M1 are not blamed for it.
    assert "('M1')" not in result.output
    assert "4 problems in the input; nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not output.exists() and not (tmp_path / "ics").exists()


def test_bad_options_and_files(files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "schedule.csv"
    result = runner.invoke(app, arguments(files, output, "--timezone", "Mars/Olympus"))
    assert result.exit_code == 2
    assert "unknown time zone" in result.output
    files["slots"].write_bytes(SLOTS.encode("utf-16"))
    result = runner.invoke(app, arguments(files, output))
    assert result.exit_code == 1
    assert "slots.csv: byte 0 is not UTF-8" in result.output
    write(files["slots"], SLOTS.replace("tables", "seats"))
    result = runner.invoke(app, arguments(files, tmp_path / "other.csv"))
    assert result.exit_code == 0, result.output  # the tables column is optional with --tables
    write(files["slots"], "slot_id,begin,end\n")
    result = runner.invoke(app, arguments(files, output))
    assert result.exit_code == 1
    assert (
        "slots.csv: missing column start; the header row must name slot_id,start,end,tables" in result.output
    )
    assert not output.exists()


def event_files(slots: str = SLOTS, **texts: str) -> EventFiles:
    return EventFiles(
        participants=(texts.get("participants", PARTICIPANTS), "participants.csv"),
        meetings=(texts.get("meetings", MEETINGS), "meetings.csv"),
        slots=(slots, "slots.csv"),
        interpreters=(texts.get("interpreters", INTERPRETERS), "interpreters.csv"),
    )


def problems_of(files: EventFiles, **options: object) -> tuple[str, ...]:
    with pytest.raises(ScheduleFileError) as refused:
        read_event(files, **options)  # type: ignore[arg-type]
    return refused.value.problems


def test_slot_rows_are_checked() -> None:
    overlapping = (
        SLOTS
        + "S4,2023-09-12T10:45+08:00,2023-09-12T11:15+08:00,1\nS5,2023-09-12T12:00,2023-09-12T11:00+08:00,1\n"
    )
    problems = problems_of(event_files(overlapping), default_tables=1)
    assert any(
        p.startswith("slots.csv, row 5, field start") and "overlaps slot S3 (row 4)" in p for p in problems
    )
    assert any(
        p.startswith("slots.csv, row 6, field start ('2023-09-12T12:00'): no time zone") for p in problems
    )
    problem, _ = read_event(
        event_files(SLOTS.replace("+08:00", "")), default_tables=3, default_timezone=ZoneInfo("Asia/Shanghai")
    )
    assert problem.slot_by_id["S1"].start.utcoffset() == timedelta(hours=8)
    assert problem.slot_by_id["S2"].tables == 3


def test_interpreter_and_duplicate_rows_are_checked() -> None:
    interpreters = INTERPRETERS + "I2,ru-ru;zh,\nI1,en-zh,\nI3,xx-zh,\n"
    meetings = MEETINGS + "T9,B1,M1,1,\n"
    problems = problems_of(event_files(interpreters=interpreters, meetings=meetings), default_tables=1)
    assert (
        "interpreters.csv, row 3, field language_pairs ('ru-ru;zh'): 'ru-ru' names the same language twice; "
        "an interpreter works between two languages" in problems
    )
    assert (
        "interpreters.csv, row 3, field language_pairs ('ru-ru;zh'): 'zh' is not a language pair; "
        "write pairs like ru-zh, separated by ';'" in problems
    )
    assert (
        "interpreters.csv, row 5, field language_pairs ('xx-zh'): 'xx' in 'xx-zh' is not a language code; "
        "use ISO 639 codes such as ru, zh, en" in problems
    )
    assert (
        "interpreters.csv, row 4, field interpreter_id ('I1'): the same id as row 2; ids must be unique"
        in problems
    )
    assert any(p.startswith("meetings.csv, row 6") and "already meets in T1 (row 2)" in p for p in problems)


def test_a_participant_language_that_is_no_language_code_is_refused() -> None:
    participants = PARTICIPANTS + "Z9,Zed,moscow,ru;rus;qq,\n"
    problems = problems_of(event_files(participants=participants), default_tables=1)
    assert any(
        p.startswith("participants.csv") and "'qq' is not a language code; use ISO 639 codes" in p
        for p in problems
    ), problems


@given(st.text(alphabet=st.sampled_from(list(',;"\n abcS1-ruzhM2B:+0')), max_size=200))
def test_reader_never_crashes(cell_text: str) -> None:
    text = "participant_id,name,side,languages,available_slots\n" + cell_text
    try:
        read_event(event_files(participants=text), default_tables=1)
    except ScheduleFileError as error:
        assert all(p.startswith(("participants.csv", "meetings.csv")) for p in error.problems)

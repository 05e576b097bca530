"""`expertbridge schedule`: 1:1 meetings of a forum or delegation visit into slots and tables.

Parsing and printing only: the files are read by ``matching.schedule_io``, the schedule comes from
``matching.schedule`` and the calendars from ``matching.calendar``.  The command needs no database.
Nothing is written unless the input is valid and a schedule was made; then every file is written
next to its final name first and renamed into place.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from expertbridge.outputs import cannot_write, require_writable, write_atomically

SCHEDULE_HELP = (
    "Place accepted 1:1 meetings into time slots and tables, with interpreters when needed.\n\n"
    "Maximises the weighted number of placed meetings (priority; a mutual request counts double), "
    "then minimises idle slots in each participant's day. A meeting needs a language both participants "
    "speak, or an interpreter of the pool who covers one of their language pairs and works in that slot. "
    "Meetings that cannot be placed are listed in <output stem>.unplaced.csv with the reason. Bad input "
    "is refused with the file, row, field and fix of every problem; nothing is written then.\n\n"
    "Input files are UTF-8 CSV with a header row; lists inside a cell are separated by ';'.\n\n"
    "\b\n"
    "participants.csv  participant_id,name,side,languages,available_slots\n"
    "  languages: ru;en   available_slots: S01;S02 (empty: every slot)\n"
    "meetings.csv  meeting_id,participant_a,participant_b,priority,mutual\n"
    "  priority: integer >= 1 (empty: 1); mutual: true or false (empty: false)\n"
    "slots.csv  slot_id,start,end,tables\n"
    "  start, end: ISO 8601 with offset, e.g. 2023-09-12T09:30+08:00\n"
    "  tables: meeting tables in the slot (empty: --tables)\n"
    "interpreters.csv (optional)  interpreter_id,language_pairs,available_slots\n"
    "  language_pairs: ru-zh;en-zh   (a name column is allowed)\n"
    "pins.csv (optional)  meeting_id,slot_id,table,interpreter_id\n"
    "  placements fixed by hand; table and interpreter_id may be empty\n\n"
    "\b\n"
    "Output:\n"
    "--output  meeting_id,slot_id,start,end,table,interpreter_id,\n"
    "          participant_a,participant_b\n"
    "<stem>.unplaced.csv  meeting_id,reason\n"
    "--ics-dir  <participant_id>.ics, one calendar per participant with a meeting\n"
)


def _sibling(output: Path, suffix: str) -> Path:
    """``schedule.csv`` → ``schedule.<suffix>`` in the same folder."""
    return output.with_name(f"{output.stem}.{suffix}")


def _calendar_name(participant_id: str) -> str:
    # Participant ids become file names: keep them readable but safe on every file system.
    return re.sub(r"[^\w.-]", "_", participant_id).strip(".") or "participant"


def schedule(
    participants: Annotated[
        Path,
        typer.Option(
            exists=True, dir_okay=False, help="CSV participant_id,name,side,languages,available_slots"
        ),
    ],
    meetings: Annotated[
        Path,
        typer.Option(
            exists=True, dir_okay=False, help="CSV meeting_id,participant_a,participant_b,priority,mutual"
        ),
    ],
    slots: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV slot_id,start,end,tables")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV to write the schedule to")],
    interpreters: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            show_default=False,
            help="CSV interpreter_id,language_pairs,available_slots",
        ),
    ] = None,
    pins: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            show_default=False,
            help="CSV meeting_id,slot_id,table,interpreter_id: placements organisers fixed by hand",
        ),
    ] = None,
    tables: Annotated[
        int | None,
        typer.Option(min=0, show_default=False, help="tables of a slot whose tables cell is empty"),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            show_default=False, help="time zone of slot times written without an offset, e.g. Asia/Shanghai"
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option(min=1.0, help="seconds the solver may use")] = 30.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT threads")] = 2,
    seed: Annotated[int, typer.Option(help="random seed of the solver")] = 0,
    ics_dir: Annotated[
        Path | None,
        typer.Option(
            show_default=False, help="folder for one .ics calendar per participant (made if missing)"
        ),
    ] = None,
    event_name: Annotated[str, typer.Option(help="event name for calendar titles")] = "",
) -> None:
    """Schedule 1:1 meetings (see the formats below)."""
    from expertbridge.cli import err, fail, out
    from expertbridge.matching.calendar import agenda_calendars
    from expertbridge.matching.schedule import ScheduleInputError, SolveOptions, solve_schedule
    from expertbridge.matching.schedule_io import (
        EventFiles,
        ScheduleFileError,
        decode,
        read_event,
        write_schedule,
        write_unplaced,
    )

    zone: tzinfo | None = None
    if timezone:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(
                f"--timezone {timezone!r}: unknown time zone; use a name like Asia/Shanghai", 2
            ) from None
    require_writable(output, "--output")
    require_writable(_sibling(output, "unplaced.csv"), "--output", fix="give --output another path")
    if ics_dir is not None:
        require_writable(ics_dir, "--ics-dir", folder=True)

    def named(path: Path | None) -> tuple[str, str] | None:
        return None if path is None else (decode(path.read_bytes(), path.name), path.name)

    try:
        files = EventFiles(
            participants=(decode(participants.read_bytes(), participants.name), participants.name),
            meetings=(decode(meetings.read_bytes(), meetings.name), meetings.name),
            slots=(decode(slots.read_bytes(), slots.name), slots.name),
            interpreters=named(interpreters),
            pins=named(pins),
        )
        problem, pinned = read_event(files, default_tables=tables, default_timezone=zone)
        options = SolveOptions(time_limit=time_limit, num_workers=workers, random_seed=seed)
        result = solve_schedule(problem, pinned, options)
    except ScheduleFileError as error:
        for problem_text in error.problems[:50]:
            err.print(problem_text, markup=False)
        more = f" (and {len(error.problems) - 50} more)" if len(error.problems) > 50 else ""
        count = len(error.problems)
        raise fail(
            f"{count} problem{'s' if count > 1 else ''} in the input{more}; nothing was written"
        ) from None
    except ScheduleInputError as error:
        for problem_text in error.problems:
            err.print(problem_text, markup=False)
        raise fail("the input contradicts itself (see above); nothing was written") from None

    files_out: dict[Path, str] = {}
    for path, writer in ((output, write_schedule), (_sibling(output, "unplaced.csv"), write_unplaced)):
        buffer = io.StringIO(newline="")
        writer(result, buffer)
        files_out[path] = buffer.getvalue()
    if ics_dir is not None:
        stamp = datetime.now(UTC).replace(microsecond=0)
        for person_id, text in agenda_calendars(result, stamp=stamp, event_name=event_name).items():
            files_out[ics_dir / f"{_calendar_name(person_id)}.ics"] = text
    try:
        write_atomically(files_out)
    except OSError as error:
        where = Path(error.filename) if error.filename else output
        raise fail(f"{cannot_write(error, where)}; nothing was written") from None

    stats = result.stats
    out.print(
        f"placed {stats.placed} of {stats.total} meetings (weight {stats.weight}, "
        f"bound {stats.weight_bound}); {stats.idle_slots} idle slots; status {stats.status}; "
        f"{stats.wall_seconds:.1f} s"
    )
    out.print(f"schedule written to {output}")
    if result.unplaced:
        reasons = Counter(item.code for item in result.unplaced)
        summary = ", ".join(f"{count} {code}" for code, count in reasons.most_common())
        out.print(
            f"{len(result.unplaced)} unplaced ({summary}): reasons in {_sibling(output, 'unplaced.csv')}"
        )
    if ics_dir is not None:
        out.print(f"{len(files_out) - 2} calendars written to {ics_dir}")

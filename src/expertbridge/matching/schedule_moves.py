"""An organiser's hand moves on a solved schedule: check, move, take off.

The moves ask the same :class:`~expertbridge.matching.schedule_rules.Board` as the solver, with
every other meeting's table and interpreter held where they are, so a move never reshuffles
anyone else.  To keep hand moves when solving again, pass ``schedule.as_pins()`` as pins.
"""

from __future__ import annotations

from dataclasses import replace

from expertbridge.matching.schedule_agenda import idle_slots
from expertbridge.matching.schedule_model import Conflict, MoveConflictError, Schedule
from expertbridge.matching.schedule_rules import Board, MeetingNeeds, meeting_needs


def board_from_schedule(schedule: Schedule, needs: dict[str, MeetingNeeds] | None = None) -> Board:
    """A board holding the schedule's placements exactly (tables and interpreters fixed)."""
    problem = schedule.problem
    board = Board(problem, needs or {m.meeting_id: meeting_needs(problem, m) for m in problem.meetings})
    for placement in schedule.placements:
        board.slot_of[placement.meeting_id] = placement.slot_id
        board.count[placement.slot_id] += 1
        meeting = problem.meeting_by_id[placement.meeting_id]
        for person_id in (meeting.participant_a, meeting.participant_b):
            board.person_at[(person_id, placement.slot_id)] = placement.meeting_id
        board.table_of[placement.meeting_id] = placement.table
        board.table_at[(placement.slot_id, placement.table)] = placement.meeting_id
        if placement.interpreter_id is not None:
            board._assign_interpreter(placement.meeting_id, placement.interpreter_id, placement.slot_id)
        board.fixed.add(placement.meeting_id)
    return board


def check_move(
    schedule: Schedule,
    meeting_id: str,
    slot_id: str,
    table: int | None = None,
    interpreter_id: str | None = None,
) -> list[Conflict]:
    """What would stop an organiser from moving (or placing) a meeting to a slot and table.

    Other meetings keep their tables and interpreters; ``table`` None means "any free table",
    ``interpreter_id`` None "any free qualified interpreter" (when one is needed).  An empty list
    means the move is allowed; :func:`apply_move` makes it.
    """
    if meeting_id not in schedule.problem.meeting_by_id:
        raise KeyError(f"there is no meeting {meeting_id!r}")
    board = board_from_schedule(schedule)
    board.remove(meeting_id)
    return board.blockers(meeting_id, slot_id, table, interpreter_id)


def apply_move(
    schedule: Schedule,
    meeting_id: str,
    slot_id: str,
    table: int | None = None,
    interpreter_id: str | None = None,
) -> Schedule:
    """The schedule with the meeting moved (or placed) by hand; MoveConflictError if it cannot be.

    Unplaced meetings are explained again against the new schedule (a move may free a slot: those
    get the code ``placeable``).  To keep the hand move when re-solving, pass ``as_pins()``.
    """
    conflicts = check_move(schedule, meeting_id, slot_id, table, interpreter_id)
    if conflicts:
        raise MoveConflictError(conflicts)
    board = board_from_schedule(schedule)
    board.remove(meeting_id)
    board.place(meeting_id, slot_id, table, interpreter_id)
    return _rebuilt(schedule, board, hand_moves=1)


def unplace(schedule: Schedule, meeting_id: str) -> Schedule:
    """The schedule with the meeting taken off by hand (its reason says where it could go now)."""
    board = board_from_schedule(schedule)
    board.remove(meeting_id)
    return _rebuilt(schedule, board, hand_moves=1)


def _rebuilt(schedule: Schedule, board: Board, hand_moves: int) -> Schedule:
    problem = schedule.problem
    placements = board.placements()
    unplaced = tuple(
        board.explain(m.meeting_id) for m in problem.meetings if m.meeting_id not in board.slot_of
    )
    stats = replace(
        schedule.stats,
        placed=len(placements),
        weight=sum(problem.weight(problem.meeting_by_id[p.meeting_id]) for p in placements),
        idle_slots=idle_slots(problem, placements),
        hand_moves=schedule.stats.hand_moves + hand_moves,
    )
    return Schedule(problem, placements, unplaced, stats)

"""What a schedule means for each participant: agendas, working languages and idle slots."""

from __future__ import annotations

from collections import defaultdict

from expertbridge.matching.schedule_model import (
    AgendaItem,
    Meeting,
    Participant,
    Placement,
    Schedule,
    ScheduleProblem,
    language_key,
)


def person_idle(problem: ScheduleProblem, person: Participant, taken: set[str]) -> int:
    """Idle slots of one person whose meetings are in ``taken`` (see idle_slots_by_participant)."""
    idle = 0
    for day in {problem.slot_by_id[slot_id].day for slot_id in taken}:
        usable = [
            slot.slot_id
            for slot in problem.slots_in_order
            if slot.day == day and slot.tables > 0 and person.is_available(slot.slot_id)
        ]
        positions = [index for index, slot_id in enumerate(usable) if slot_id in taken]
        idle += positions[-1] - positions[0] + 1 - len(positions)
    return idle


def idle_slots_by_participant(problem: ScheduleProblem, placements: tuple[Placement, ...]) -> dict[str, int]:
    """Idle slots of each participant with a meeting: slots they are available in (and tables are
    offered) between their first and last meeting of the same day that hold no meeting of theirs.

    Slots a person is not available in are their own business, not idle time at the event.
    """
    meeting_slots: dict[str, set[str]] = defaultdict(set)
    for placement in placements:
        meeting = problem.meeting_by_id[placement.meeting_id]
        meeting_slots[meeting.participant_a].add(placement.slot_id)
        meeting_slots[meeting.participant_b].add(placement.slot_id)
    return {
        person_id: person_idle(problem, problem.participant_by_id[person_id], taken)
        for person_id, taken in meeting_slots.items()
    }


def idle_slots(problem: ScheduleProblem, placements: tuple[Placement, ...]) -> int:
    """Total idle slots of all participants (see :func:`idle_slots_by_participant`)."""
    return sum(idle_slots_by_participant(problem, placements).values())


def agendas(schedule: Schedule) -> dict[str, tuple[AgendaItem, ...]]:
    """Every participant's agenda in time order (an empty tuple for someone with no meeting)."""
    problem = schedule.problem
    items: dict[str, list[AgendaItem]] = {person.participant_id: [] for person in problem.participants}
    for placement in schedule.placements:
        meeting = problem.meeting_by_id[placement.meeting_id]
        slot = problem.slot_by_id[placement.slot_id]
        language = working_language(problem, meeting, placement.interpreter_id)
        for own, other in (
            (meeting.participant_a, meeting.participant_b),
            (meeting.participant_b, meeting.participant_a),
        ):
            items[own].append(
                AgendaItem(
                    placement.meeting_id,
                    slot,
                    placement.table,
                    problem.participant_by_id[other],
                    language,
                    placement.interpreter_id,
                )
            )
    return {
        person_id: tuple(sorted(entries, key=lambda item: problem.slot_order[item.slot.slot_id]))
        for person_id, entries in items.items()
    }


def working_language(problem: ScheduleProblem, meeting: Meeting, interpreter_id: str | None) -> str:
    """``ru`` for a shared language, ``ru–zh`` for the pair an interpreter bridges."""
    person_a: Participant = problem.participant_by_id[meeting.participant_a]
    person_b: Participant = problem.participant_by_id[meeting.participant_b]
    shared = sorted(person_a.languages & person_b.languages, key=language_key)
    if shared:
        return shared[0]
    interpreter = problem.interpreter_by_id.get(interpreter_id or "")
    for first in sorted(person_a.languages, key=language_key):
        for second in sorted(person_b.languages, key=language_key):
            if first != second and (interpreter is None or interpreter.covers(first, second)):
                return f"{first}–{second}"
    return ""

"""Heuristics around the CP-SAT model: the greedy warm start and the large-neighbourhood search.

A forum of hundreds of participants makes a single model too big to improve within a minute on two
cores (CP-SAT spends much of it in presolve).  The search here keeps a complete schedule and, again
and again, frees the meetings of a few participants (chosen among those with idle slots or unplaced
meetings, grown along their counterparts), solves that small CP-SAT model with everything else
fixed, and keeps the answer when it places more weight, or the same weight with fewer idle slots.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict, deque

from ortools.sat.python import cp_model

from expertbridge.matching.schedule_agenda import person_idle
from expertbridge.matching.schedule_cp import add_gap_variables, add_hint, build_model, usable_days
from expertbridge.matching.schedule_model import Meeting, Pin, ScheduleProblem, SolveOptions
from expertbridge.matching.schedule_rules import Board, MeetingNeeds, validate_pins

# Neighbourhood sizes (free meetings) adapt between these bounds.  Many short neighbourhoods beat
# a few long ones: on the 2,000-meeting benchmark, 30 s of search left 180 idle slots with 0.1 s per
# neighbourhood, 253 with 0.25 s, about 280 with 0.5 s and 372 with 1 s (from 744 after the greedy).
FIRST_NEIGHBOURHOOD = 60
SMALLEST_NEIGHBOURHOOD = 15
LARGEST_NEIGHBOURHOOD = 400
NEIGHBOURHOOD_SECONDS = 0.1


def fill(board: Board, needs: dict[str, MeetingNeeds]) -> None:
    """Greedily place every meeting not on the board that still fits: heavier first, then the most
    constrained; in a slot next to one of its participants' meetings when possible (fewer gaps)."""
    problem = board.problem
    order = {meeting.meeting_id: index for index, meeting in enumerate(problem.meetings)}
    waiting = [item for item in needs.values() if item.slots and item.meeting.meeting_id not in board.slot_of]
    waiting.sort(
        key=lambda item: (-problem.weight(item.meeting), len(item.slots), order[item.meeting.meeting_id])
    )
    slots = problem.slots_in_order
    for item in waiting:
        meeting = item.meeting

        def preference(slot_id: str, meeting: Meeting = meeting) -> tuple[int, int]:
            position = problem.slot_order[slot_id]
            touching = 0
            for neighbour in (position - 1, position + 1):
                if 0 <= neighbour < len(slots) and slots[neighbour].day == slots[position].day:
                    other = slots[neighbour].slot_id
                    touching += (meeting.participant_a, other) in board.person_at
                    touching += (meeting.participant_b, other) in board.person_at
            return (-touching, position)

        for slot_id in sorted(item.slots, key=preference):
            if not board.place(meeting.meeting_id, slot_id, reassign=True):
                break


def load(
    problem: ScheduleProblem,
    needs: dict[str, MeetingNeeds],
    pins: tuple[Pin, ...],
    assign: dict[str, str],
    skip: frozenset[str] = frozenset(),
) -> Board:
    """A board with the pins and the assigned meetings (except ``skip``), interpreters matched.

    The assignment must satisfy the model's constraints; then every placement succeeds, because
    Hall's condition holds in each slot and the augmenting paths find the matching.
    """
    board = validate_pins(problem, pins, needs)
    pinned = {pin.meeting_id for pin in pins}
    for meeting_id, slot_id in sorted(assign.items(), key=lambda item: problem.slot_order[item[1]]):
        if meeting_id in pinned or meeting_id in skip:
            continue
        conflicts = board.place(meeting_id, slot_id, reassign=True)
        if conflicts:  # the model and the rules disagree: a bug, not an input problem
            raise AssertionError(f"placement of {meeting_id} in {slot_id} breaks a rule: {conflicts}")
    return board


def weight_upper_bound(problem: ScheduleProblem, needs: dict[str, MeetingNeeds]) -> int:
    """A quick bound on the placeable weight: the heaviest feasible meetings that the tables can hold."""
    weights = sorted((problem.weight(item.meeting) for item in needs.values() if item.slots), reverse=True)
    return sum(weights[: sum(slot.tables for slot in problem.slots)])


def improve(
    problem: ScheduleProblem,
    needs: dict[str, MeetingNeeds],
    pins: tuple[Pin, ...],
    assign: dict[str, str],
    deadline: float,
    options: SolveOptions,
    weight_is_optimal: bool,
) -> tuple[dict[str, str], int, bool]:
    """Large-neighbourhood search from ``assign`` (meeting → slot) until the deadline, or until the
    answer is proven best (no idle slot left at an optimal weight, or one neighbourhood held every
    movable meeting and CP-SAT proved it).

    When ``weight_is_optimal`` (the placed weight meets a proven bound) each neighbourhood only
    minimises idle slots, a much easier model; otherwise it maximises weight first, and a few of
    the lightest placed meetings elsewhere join it so that full tables can make room.
    Returns the improved assignment, the number of neighbourhoods solved and whether it is proven.
    """
    rng = random.Random(options.random_seed)
    assign = dict(assign)
    pinned = {pin.meeting_id for pin in pins}
    movable: dict[str, list[str]] = defaultdict(list)
    for meeting_id, item in needs.items():
        if item.slots and meeting_id not in pinned:
            movable[item.meeting.participant_a].append(meeting_id)
            movable[item.meeting.participant_b].append(meeting_id)
    people = sorted(movable)
    if not people:
        return assign, 0, True
    all_movable = {m for meetings in movable.values() for m in meetings}
    pinned_slots: dict[str, set[str]] = defaultdict(set)
    for pin in pins:
        meeting = problem.meeting_by_id[pin.meeting_id]
        pinned_slots[meeting.participant_a].add(pin.slot_id)
        pinned_slots[meeting.participant_b].add(pin.slot_id)

    def slots_of(person_id: str, placed: dict[str, str]) -> set[str]:
        return pinned_slots[person_id] | {placed[m] for m in movable[person_id] if m in placed}

    def idle_of(person_id: str, placed: dict[str, str]) -> int:
        return person_idle(problem, problem.participant_by_id[person_id], slots_of(person_id, placed))

    idle = {person_id: idle_of(person_id, assign) for person_id in people}
    days = {person.participant_id: usable_days(problem, person) for person in problem.participants}
    board = load(problem, needs, pins, assign)
    qualified_cache: dict[tuple[str, str], frozenset[str]] = {}
    target = FIRST_NEIGHBOURHOOD
    rounds = 0
    while time.perf_counter() < deadline - 0.1:
        rounds += 1
        troubled = [p for p in people if idle[p] or any(m not in assign for m in movable[p])]
        free = _neighbourhood(problem, people, troubled, movable, target, rng)
        if not weight_is_optimal and assign:
            lightest = min(problem.weight(needs[m].meeting) for m in assign)
            light = sorted(m for m in assign if problem.weight(needs[m].meeting) == lightest)
            free = list(dict.fromkeys(free + rng.sample(light, min(len(light), target // 4))))
        for meeting_id in free:
            board.remove(meeting_id)
        affected = {p for m in free for p in (needs[m].meeting.participant_a, needs[m].meeting.participant_b)}
        built = build_model(problem, needs, free, board, qualified_cache)
        weight = built.weight(problem)
        old_weight = sum(problem.weight(needs[m].meeting) for m in free if m in assign)
        if options.minimise_gaps and weight_is_optimal:
            add_gap_variables(problem, built, board, affected, days)
            built.model.add(weight >= old_weight)
            built.model.minimize(built.idle())
        elif options.minimise_gaps:
            add_gap_variables(problem, built, board, affected, days)
            built.model.maximize(built.weight_then_idle(problem))
        else:
            built.model.maximize(weight)
        add_hint(built, {(m, assign[m]) for m in free if m in assign}, {})
        solver = cp_model.CpSolver()
        # Neighbourhoods are small: one worker proves them sooner than two share the machine.
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = options.random_seed + rounds
        limit = min(NEIGHBOURHOOD_SECONDS, deadline - time.perf_counter())
        solver.parameters.max_time_in_seconds = max(0.02, limit)
        status = solver.solve(built.model)
        # Adapt the neighbourhood to what CP-SAT can close in the time: grow while it proves
        # optimality quickly, shrink when it cannot.
        if status == cp_model.OPTIMAL and solver.wall_time < limit / 4:
            target = min(LARGEST_NEIGHBOURHOOD, round(target * 1.1))
        elif status != cp_model.OPTIMAL:
            target = max(SMALLEST_NEIGHBOURHOOD, round(target * 0.9))
        keep = {m: assign[m] for m in free if m in assign}
        # Everything movable was free and CP-SAT proved this neighbourhood: that is the optimum.
        proven = status == cp_model.OPTIMAL and len(free) == len(all_movable)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = built.chosen(solver)
            candidate = {m: s for m, s in assign.items() if m not in keep} | chosen
            new_weight = sum(problem.weight(needs[m].meeting) for m in chosen)
            new_idle = {person_id: idle_of(person_id, candidate) for person_id in affected}
            if new_weight > old_weight or (
                new_weight == old_weight and sum(new_idle.values()) <= sum(idle[p] for p in affected)
            ):
                assign = candidate
                idle.update(new_idle)
                keep = chosen
        for meeting_id, slot_id in sorted(keep.items(), key=lambda item: problem.slot_order[item[1]]):
            conflicts = board.place(meeting_id, slot_id, reassign=True)
            if conflicts:  # the model and the rules disagree: a bug, not an input problem
                raise AssertionError(f"placement of {meeting_id} in {slot_id} breaks a rule: {conflicts}")
        if proven or (weight_is_optimal and not any(idle.values())):
            return assign, rounds, True
    return assign, rounds, False


def _neighbourhood(
    problem: ScheduleProblem,
    people: list[str],
    troubled: list[str],
    movable: dict[str, list[str]],
    target: int,
    rng: random.Random,
) -> list[str]:
    """Meetings to free: grow a set of participants from one with idle slots or unplaced meetings
    (or anyone, now and then), along their meetings, until about ``target`` meetings are free."""
    queue = deque([rng.choice(troubled if troubled and rng.random() < 0.8 else people)])
    seen = {queue[0]}
    free: dict[str, None] = {}
    while queue and len(free) < target:
        person_id = queue.popleft()
        meetings = movable[person_id][:]
        rng.shuffle(meetings)
        for meeting_id in meetings:
            free[meeting_id] = None
            meeting = problem.meeting_by_id[meeting_id]
            other = meeting.participant_b if meeting.participant_a == person_id else meeting.participant_a
            if other not in seen:
                seen.add(other)
                queue.append(other)
        if not queue and len(free) < target:
            fresh = [p for p in people if p not in seen]
            if fresh:
                seen.add(choice := rng.choice(fresh))
                queue.append(choice)
    return list(free)

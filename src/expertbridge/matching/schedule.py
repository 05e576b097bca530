"""The 1:1 meeting scheduler: accepted meetings into slots, tables and interpreters (CP-SAT).

The model (``schedule_cp.py``) has a boolean ``x[meeting, slot]`` for every slot a meeting could use
(both participants available, tables offered, a qualified interpreter at work when they share no
language).  Tables are a capacity per slot, numbered afterwards.  Interpreters are a capacity too:
in each slot, for every set ``U`` of interpreters that is a union of some meetings' qualified sets,
the meetings qualified only within ``U`` may not outnumber ``U`` (Hall's condition, so an assignment
provably exists and a matching finds it); past a few hundred unions, explicit assignment variables.

The objective is lexicographic: first the total weight of placed meetings (priority, multiplied for
mutual requests), then the idle slots in every participant's day.  A greedy schedule warm-starts
the search and is kept if nothing better is found.  Small events (up to ``GLOBAL_MAX_PAIRS``
candidate (meeting, slot) pairs) are first solved as one model in two phases (weight, then idle
slots with the weight kept), which proves small ones optimal; whatever is left unproven goes on to
the large-neighbourhood search of ``schedule_search.py``, which also takes big events from the
start.  A final greedy pass places anything that still fits, so every unplaced meeting has a
concrete reason.

>>> from datetime import datetime, timezone
>>> nine, half_past = (datetime(2023, 5, 1, 9, minute, tzinfo=timezone.utc) for minute in (0, 30))
>>> slot = Slot("s1", nine, half_past, tables=1)
>>> people = (Participant("a", "Anna", frozenset({"ru"})), Participant("b", "Bo", frozenset({"ru", "zh"})))
>>> schedule = solve_schedule(ScheduleProblem((slot,), people, (Meeting("m1", "a", "b"),)))
>>> schedule.placements
(Placement(meeting_id='m1', slot_id='s1', table=1, interpreter_id=None),)
>>> schedule.stats.status
'OPTIMAL'
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from expertbridge.matching.schedule_agenda import agendas, idle_slots, idle_slots_by_participant
from expertbridge.matching.schedule_cp import CpBuild, add_gap_variables, add_hint, build_model
from expertbridge.matching.schedule_model import (
    AgendaItem,
    Conflict,
    Interpreter,
    Meeting,
    MoveConflictError,
    Participant,
    Pin,
    Placement,
    Schedule,
    ScheduleInputError,
    ScheduleProblem,
    Slot,
    SolveOptions,
    SolveStats,
    Unplaced,
)
from expertbridge.matching.schedule_moves import apply_move, check_move, unplace
from expertbridge.matching.schedule_rules import Board, MeetingNeeds, meeting_needs, validate_pins
from expertbridge.matching.schedule_search import fill, improve, load, weight_upper_bound

__all__ = [
    "AgendaItem",
    "Conflict",
    "Interpreter",
    "Meeting",
    "MoveConflictError",
    "Participant",
    "Pin",
    "Placement",
    "Schedule",
    "ScheduleInputError",
    "ScheduleProblem",
    "Slot",
    "SolveOptions",
    "SolveStats",
    "Unplaced",
    "agendas",
    "apply_move",
    "check_move",
    "idle_slots",
    "idle_slots_by_participant",
    "solve_schedule",
    "unplace",
]

# Up to this many candidate (meeting, slot) pairs the whole model is tried first, with GLOBAL_SHARE
# of the time: small events are proven optimal in it.  Beyond, CP-SAT's presolve alone eats much of
# a minute, and even below it the neighbourhood search lowers idle slots faster (measured: 16 idle
# slots against 149 at 400 meetings in 30 s), so whatever the whole model leaves unproven goes on
# to the search.
GLOBAL_MAX_PAIRS = 6000
GLOBAL_SHARE = 0.25


def solve_schedule(
    problem: ScheduleProblem, pins: tuple[Pin, ...] = (), options: SolveOptions | None = None
) -> Schedule:
    """Schedule the problem's meetings, keeping the pins.

    Raises ScheduleInputError when the problem or a pin contradicts itself (every contradiction is
    listed).  Returns placements, unplaced meetings with reasons, and solver stats.
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    deadline = started + options.time_limit
    problem.validate()
    needs = {meeting.meeting_id: meeting_needs(problem, meeting) for meeting in problem.meetings}
    pinned = {pin.meeting_id for pin in pins}
    pinned_board = validate_pins(problem, pins, needs)
    greedy = validate_pins(problem, pins, needs)
    fill(greedy, needs)
    assign = {m: s for m, s in greedy.slot_of.items() if m not in pinned}
    free = [
        m.meeting_id for m in problem.meetings if needs[m.meeting_id].slots and m.meeting_id not in pinned
    ]
    pairs = sum(len(needs[meeting_id].slots) for meeting_id in free)
    weight_bound, bound_source = weight_upper_bound(problem, needs), "tables"

    def placed_weight(chosen: dict[str, str]) -> int:
        return sum(problem.weight(problem.meeting_by_id[m]) for m in {*chosen, *pinned})

    use_global = options.method == "global" or (options.method == "auto" and pairs <= GLOBAL_MAX_PAIRS)
    placement_status = "GREEDY"
    gap_status = "SKIPPED"
    methods: list[str] = []
    rounds = 0
    if use_global:
        methods.append("global")
        share = 1.0 if options.method == "global" else GLOBAL_SHARE
        whole = _WholeModel(problem, needs, free, pinned_board, options)
        found = whole.solve(assign, greedy.interpreter_of, started + options.time_limit * share)
        if found is not None:
            assign, placement_status, gap_status, cp_bound = found
            if cp_bound + placed_weight({}) < weight_bound:
                weight_bound, bound_source = cp_bound + placed_weight({}), "cp-sat"
    proven = placement_status == "OPTIMAL" and (gap_status == "OPTIMAL" or not options.minimise_gaps)
    # Leave time to number tables, match interpreters and explain the unplaced ones.
    reserve = min(1.0, 0.03 * options.time_limit)
    if options.method != "global" and not proven and deadline - reserve - time.perf_counter() > 0.2:
        methods.append("search")
        if placement_status != "OPTIMAL":
            # The LP relaxation of the whole placement model is quick to solve and often tight:
            # when the weight meets it, the search can spend all its time on idle slots.
            relaxed = build_model(problem, needs, free, pinned_board)
            lp_bound = relaxed.lp_weight_bound(problem, (deadline - time.perf_counter()) / 4)
            if lp_bound is not None and int(lp_bound + 1e-6) + placed_weight({}) < weight_bound:
                weight_bound, bound_source = int(lp_bound + 1e-6) + placed_weight({}), "lp"
        optimal = placement_status == "OPTIMAL" or placed_weight(assign) >= weight_bound
        assign, rounds, proven = improve(problem, needs, pins, assign, deadline - reserve, options, optimal)
        placement_status = "OPTIMAL" if proven or optimal else "FEASIBLE"
        if options.minimise_gaps:
            gap_status = "OPTIMAL" if proven else "FEASIBLE"

    board = load(problem, needs, pins, assign)
    fill(board, needs)
    placements = board.placements()
    weight = placed_weight(board.slot_of)
    if weight >= weight_bound:
        placement_status = "OPTIMAL"
    if placement_status == "OPTIMAL" and gap_status in ("OPTIMAL", "SKIPPED"):
        overall = "OPTIMAL"
    elif placement_status in ("OPTIMAL", "FEASIBLE"):
        overall = "FEASIBLE"
    else:
        overall = "GREEDY"  # CP-SAT found nothing in time: the greedy schedule is the answer
    unplaced = tuple(
        board.explain(m.meeting_id) for m in problem.meetings if m.meeting_id not in board.slot_of
    )
    stats = SolveStats(
        status=overall,
        placement_status=placement_status,
        gap_status=gap_status,
        method="+".join(methods) or "greedy",
        placed=len(placements),
        total=len(problem.meetings),
        weight=weight,
        weight_bound=weight_bound,
        weight_bound_source=bound_source,
        idle_slots=idle_slots(problem, placements),
        wall_seconds=time.perf_counter() - started,
        search_rounds=rounds,
    )
    return Schedule(problem, placements, unplaced, stats)


class _WholeModel:
    """The whole event as one CP-SAT model, solved in two phases: weight, then idle slots."""

    def __init__(
        self,
        problem: ScheduleProblem,
        needs: dict[str, MeetingNeeds],
        free: list[str],
        pinned_board: Board,
        options: SolveOptions,
    ) -> None:
        self.problem = problem
        self.pinned_board = pinned_board
        self.options = options
        self.built = build_model(problem, needs, free, pinned_board)

    def solve(
        self, hint: dict[str, str], interpreters: dict[str, str], deadline: float
    ) -> tuple[dict[str, str], str, str, int] | None:
        """(meeting → slot, placement status, idle-slot status, bound on the free meetings' weight),
        or None when CP-SAT finds no schedule before the deadline."""
        problem, built, options = self.problem, self.built, self.options
        built.model.maximize(built.weight(problem))
        add_hint(built, set(hint.items()), interpreters)
        solver = _solver(options, (deadline - time.perf_counter()) * options.placement_share)
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        bound = round(solver.best_objective_bound)
        chosen = built.chosen(solver)
        if not options.minimise_gaps or deadline - time.perf_counter() <= 0.2:
            return chosen, status.name, "SKIPPED", bound
        gap_status, chosen = _minimise_gaps(
            problem, built, solver, chosen, status, deadline, self.pinned_board
        )
        # Optimal for weight-then-idle implies the weight is optimal too.
        return chosen, "OPTIMAL" if gap_status == "OPTIMAL" else status.name, gap_status, bound


def _solver(options: SolveOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, options.num_workers)
    solver.parameters.random_seed = options.random_seed
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    return solver


def _minimise_gaps(
    problem: ScheduleProblem,
    built: CpBuild,
    solver: cp_model.CpSolver,
    chosen: dict[str, str],
    status: cp_model.CpSolverStatus,
    deadline: float,
    pinned_board: Board,
) -> tuple[str, dict[str, str]]:
    """Second phase: keep the placed weight, minimise idle slots; returns its status and answer."""
    model = built.model
    weight = built.weight(problem)
    found = sum(problem.weight(problem.meeting_by_id[m]) for m in chosen)
    interpreters = built.interpreters(solver)
    add_gap_variables(problem, built, pinned_board, {p.participant_id for p in problem.participants})
    if status == cp_model.OPTIMAL:
        model.add(weight == found)
        model.minimize(built.idle())
    else:
        # Placement was not proven optimal: this phase may still place more, weight before idle slots.
        model.add(weight >= found)
        model.maximize(built.weight_then_idle(problem))
    add_hint(built, set(chosen.items()), interpreters)
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    gap_status = solver.solve(model)
    if gap_status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return gap_status.name, chosen
    return gap_status.name, built.chosen(solver)

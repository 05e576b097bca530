"""The scheduler's CP-SAT model: placement variables, capacities, interpreters and idle slots.

The same builder serves the whole event (everything free except the pins) and the neighbourhoods
of the large-instance search (a few participants' meetings free, the rest fixed on a board).
Fixed meetings are constants: they close their participants' slots, use up tables, and count in
the interpreter constraints of their slot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ortools.linear_solver.python import model_builder as mb
from ortools.sat.python import cp_model

from expertbridge.matching.schedule_model import Participant, ScheduleProblem
from expertbridge.matching.schedule_rules import Board, MeetingNeeds

# Beyond this many interpreter-set unions in one slot, Hall constraints would outgrow explicit
# assignment variables (the unions can grow exponentially with the number of interpreter profiles).
MAX_HALL_UNIONS = 256

Key = tuple[str, str]


@dataclass
class GapDay:
    """One participant's day: for each usable slot the free placements that would fill it, whether
    a fixed meeting fills it already, and the before/after/idle indicators."""

    person_id: str
    keys: list[list[Key]]
    fixed: list[bool]
    before: list[cp_model.IntVar]
    after: list[cp_model.IntVar]
    idle: list[cp_model.IntVar]


@dataclass
class CpBuild:
    """A CP-SAT model and the handles its phases, hints and readers need."""

    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[str, str, str], cp_model.IntVar] = field(default_factory=dict)
    days: list[GapDay] = field(default_factory=list)
    # The placement constraints as rows (variables, coefficients, lower, upper) for the LP bound.
    rows: list[tuple[list[cp_model.IntVar], list[int], int, int]] = field(default_factory=list)

    def add_row(
        self, variables: list[cp_model.IntVar], coefficients: list[int], lower: int, upper: int
    ) -> None:
        """Add a linear placement constraint to the model and remember it for the LP bound."""
        if coefficients == [1] * len(variables) and (lower, upper) == (0, 1):
            self.model.add_at_most_one(variables)
        else:
            self.model.add_linear_constraint(
                cp_model.LinearExpr.weighted_sum(variables, coefficients), lower, upper
            )
        self.rows.append((variables, coefficients, lower, upper))

    def lp_weight_bound(self, problem: ScheduleProblem, seconds: float) -> float | None:
        """The LP relaxation's optimum of the placement weight (GLOP), an upper bound on it; None
        when GLOP does not finish in time."""
        lp = mb.Model()  # type: ignore[no-untyped-call]  # ortools 9.15 leaves it unannotated
        columns: dict[int, mb.Variable] = {}

        def column(var: cp_model.IntVar) -> mb.Variable:
            if var.index not in columns:
                columns[var.index] = lp.new_num_var(0, 1, "")
            return columns[var.index]

        for variables, coefficients, lower, upper in self.rows:
            expression = mb.LinearExpr.weighted_sum(
                [column(var) for var in variables], [float(c) for c in coefficients]
            )
            lp.add(expression <= upper)
            if lower > 0 or min(coefficients) < 0:  # otherwise implied by the columns' bounds
                lp.add(expression >= lower)
        weights = [float(problem.weight(problem.meeting_by_id[meeting_id])) for meeting_id, _ in self.x]
        lp.maximize(mb.LinearExpr.weighted_sum([column(var) for var in self.x.values()], weights))
        solver = mb.Solver("GLOP")
        solver.set_time_limit_in_seconds(max(0.1, seconds))
        if solver.solve(lp) != mb.SolveStatus.OPTIMAL:
            return None
        return float(solver.objective_value)

    def weight(self, problem: ScheduleProblem) -> cp_model.LinearExpr:
        """Total weight of the free meetings placed."""
        weights = [problem.weight(problem.meeting_by_id[meeting_id]) for meeting_id, _ in self.x]
        return cp_model.LinearExpr.weighted_sum(list(self.x.values()), weights)

    def idle(self) -> cp_model.LinearExpr:
        """Total idle slots of the participants that have gap variables."""
        return cp_model.LinearExpr.sum([var for day in self.days for var in day.idle])

    def weight_then_idle(self, problem: ScheduleProblem) -> cp_model.LinearExpr:
        """One objective to maximise that orders by weight first, idle slots second: the weight is
        scaled past the largest possible idle count."""
        scale = sum(len(day.idle) for day in self.days) + 1
        return cp_model.LinearExpr.weighted_sum([self.weight(problem), self.idle()], [scale, -1])

    def chosen(self, solver: cp_model.CpSolver) -> dict[str, str]:
        """Meeting → slot of the free meetings the solver placed."""
        return {
            meeting_id: slot_id for (meeting_id, slot_id), var in self.x.items() if solver.boolean_value(var)
        }

    def interpreters(self, solver: cp_model.CpSolver) -> dict[str, str]:
        """Meeting → interpreter from explicit assignment variables (none when Hall constraints served)."""
        return {meeting_id: i for (meeting_id, _slot, i), var in self.y.items() if solver.boolean_value(var)}


def reserved_interpreters(fixed: Board) -> set[Key]:
    """(interpreter, slot) pairs a fixed meeting holds for good (a pin naming its interpreter)."""
    return {(fixed.interpreter_of[m], fixed.slot_of[m]) for m in fixed.fixed if m in fixed.interpreter_of}


def qualified_in_slot(
    problem: ScheduleProblem, needs: MeetingNeeds, slot_id: str, reserved: set[Key]
) -> frozenset[str]:
    """The interpreters who could take the meeting in the slot (working, qualified, not reserved)."""
    return frozenset(
        interpreter_id
        for interpreter_id in needs.interpreters
        if problem.interpreter_by_id[interpreter_id].is_available(slot_id)
        and (interpreter_id, slot_id) not in reserved
    )


def build_model(
    problem: ScheduleProblem,
    needs: dict[str, MeetingNeeds],
    free: list[str],
    fixed: Board,
    qualified_cache: dict[Key, frozenset[str]] | None = None,
) -> CpBuild:
    """Variables for the free meetings' candidate slots and every hard rule, with ``fixed`` as
    constants.  ``qualified_cache`` keeps (meeting, slot) → qualified interpreters across calls
    whose fixed boards reserve the same interpreters (the pins')."""
    built = CpBuild()
    model = built.model
    reserved = reserved_interpreters(fixed)
    cache = {} if qualified_cache is None else qualified_cache

    def qualified(meeting_id: str, slot_id: str) -> frozenset[str]:
        if (meeting_id, slot_id) not in cache:
            cache[(meeting_id, slot_id)] = qualified_in_slot(problem, needs[meeting_id], slot_id, reserved)
        return cache[(meeting_id, slot_id)]

    for meeting_id in free:
        item = needs[meeting_id]
        meeting = item.meeting
        for slot_id in item.slots:
            if (
                (meeting.participant_a, slot_id) in fixed.person_at
                or (meeting.participant_b, slot_id) in fixed.person_at
                or (item.language is None and not qualified(meeting_id, slot_id))
            ):
                continue
            built.x[(meeting_id, slot_id)] = model.new_bool_var(f"x[{meeting_id},{slot_id}]")
    per_meeting: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    per_person_slot: dict[Key, list[cp_model.IntVar]] = defaultdict(list)
    per_slot: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (meeting_id, slot_id), var in built.x.items():
        meeting = problem.meeting_by_id[meeting_id]
        per_meeting[meeting_id].append(var)
        per_person_slot[(meeting.participant_a, slot_id)].append(var)
        per_person_slot[(meeting.participant_b, slot_id)].append(var)
        per_slot[slot_id].append(var)
    for variables in (*per_meeting.values(), *per_person_slot.values()):
        if len(variables) > 1:
            built.add_row(variables, [1] * len(variables), 0, 1)
    for slot_id, variables in per_slot.items():
        room = problem.slot_by_id[slot_id].tables - fixed.count[slot_id]
        if len(variables) > room:
            built.add_row(variables, [1] * len(variables), 0, room)
    _interpreter_constraints(needs, fixed, qualified, built)
    return built


def _interpreter_constraints(
    needs: dict[str, MeetingNeeds],
    fixed: Board,
    qualified: Callable[[str, str], frozenset[str]],
    built: CpBuild,
) -> None:
    # Per slot, meetings grouped by the set of interpreters who could take them: fixed ones as counts.
    variables: dict[str, dict[frozenset[str], list[tuple[str, cp_model.IntVar | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (meeting_id, slot_id), var in built.x.items():
        item = needs[meeting_id]
        if item.language is None:
            variables[slot_id][qualified(meeting_id, slot_id)].append((meeting_id, var))
    for meeting_id, slot_id in fixed.slot_of.items():
        item = needs[meeting_id]
        if item.language is None and meeting_id not in fixed.fixed and slot_id in variables:
            variables[slot_id][qualified(meeting_id, slot_id)].append((meeting_id, None))
    for slot_id, by_set in variables.items():
        unions = _unions(list(by_set))
        if unions is None:
            _explicit_interpreters(slot_id, by_set, built)
            continue
        for union in unions:
            inside = [
                entry for qualified, entries in by_set.items() if qualified <= union for entry in entries
            ]
            if len(inside) > len(union):
                constant = sum(1 for _, var in inside if var is None)
                terms = [var for _, var in inside if var is not None]
                built.add_row(terms, [1] * len(terms), 0, len(union) - constant)


def _unions(sets: list[frozenset[str]]) -> set[frozenset[str]] | None:
    """Every union of some of the sets (their closure under union), or None past MAX_HALL_UNIONS.

    Hall's theorem: the meetings of a slot can all get distinct qualified interpreters iff no set of
    them is qualified only within fewer interpreters than it has meetings.  Meetings with the same
    qualified set are interchangeable, so the sets to check are exactly these unions.
    """
    closure = set(sets)
    frontier = list(closure)
    while frontier:
        current = frontier.pop()
        for base in sets:
            union = current | base
            if union not in closure:
                if len(closure) >= MAX_HALL_UNIONS:
                    return None
                closure.add(union)
                frontier.append(union)
    return closure


def _explicit_interpreters(
    slot_id: str, by_set: dict[frozenset[str], list[tuple[str, cp_model.IntVar | None]]], built: CpBuild
) -> None:
    model = built.model
    per_interpreter: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for qualified, entries in by_set.items():
        for meeting_id, var in entries:
            options = []
            for interpreter_id in sorted(qualified):
                assign = model.new_bool_var(f"y[{meeting_id},{slot_id},{interpreter_id}]")
                built.y[(meeting_id, slot_id, interpreter_id)] = assign
                per_interpreter[interpreter_id].append(assign)
                options.append(assign)
            if var is None:
                built.add_row(options, [1] * len(options), 1, 1)
            else:
                built.add_row([*options, var], [1] * len(options) + [-1], 0, 0)
    for assignments in per_interpreter.values():
        if len(assignments) > 1:
            built.add_row(assignments, [1] * len(assignments), 0, 1)


def usable_days(problem: ScheduleProblem, person: Participant) -> list[list[str]]:
    """The person's usable slots (available, tables offered), day by day, in time order."""
    days: dict[date, list[str]] = defaultdict(list)
    for slot in problem.slots_in_order:
        if slot.tables > 0 and person.is_available(slot.slot_id):
            days[slot.day].append(slot.slot_id)
    return list(days.values())


def add_gap_variables(
    problem: ScheduleProblem,
    built: CpBuild,
    fixed: Board,
    persons: set[str],
    days_of: dict[str, list[list[str]]] | None = None,
) -> None:
    """Idle-slot indicators for the persons' days: a usable slot (available, tables offered) between
    the first and last meeting of the day that holds no meeting of theirs.  ``days_of`` caches
    :func:`usable_days` across calls."""
    model = built.model
    keys_of: dict[Key, list[Key]] = defaultdict(list)
    for meeting_id, slot_id in built.x:
        meeting = problem.meeting_by_id[meeting_id]
        keys_of[(meeting.participant_a, slot_id)].append((meeting_id, slot_id))
        keys_of[(meeting.participant_b, slot_id)].append((meeting_id, slot_id))
    for person_id in sorted(persons):
        days = (
            days_of[person_id]
            if days_of is not None
            else usable_days(problem, problem.participant_by_id[person_id])
        )
        for usable_day in days:
            possible = [
                index
                for index, slot_id in enumerate(usable_day)
                if keys_of.get((person_id, slot_id)) or (person_id, slot_id) in fixed.person_at
            ]
            # Slots before the first or after the last possible meeting can never be idle.
            usable = usable_day[possible[0] : possible[-1] + 1] if len(possible) >= 2 else []
            keys = [keys_of.get((person_id, slot_id), []) for slot_id in usable]
            fixed_busy = [(person_id, slot_id) in fixed.person_at for slot_id in usable]
            if len(usable) < 3 or not any(keys):
                continue  # no idle slot possible, or nothing free on this day (a constant)
            busy = [
                1 if is_fixed else cp_model.LinearExpr.sum([built.x[key] for key in slot_keys])
                for slot_keys, is_fixed in zip(keys, fixed_busy, strict=True)
            ]
            count = len(usable)
            before = [model.new_bool_var("") for _ in range(count)]
            after = [model.new_bool_var("") for _ in range(count)]
            idle = [model.new_bool_var("") for _ in range(1, count - 1)]
            for index in range(count):
                # Lower bounds only: minimising idle slots pushes before/after down to the exact
                # "a meeting at or before / at or after this slot".
                model.add(before[index] >= busy[index])
                model.add(after[index] >= busy[index])
                if index:
                    model.add(before[index] >= before[index - 1])
                    model.add(after[index - 1] >= after[index])
            for index in range(1, count - 1):
                model.add(idle[index - 1] >= before[index] + after[index] - 1 - busy[index])
            built.days.append(GapDay(person_id, keys, fixed_busy, before, after, idle))


def add_hint(built: CpBuild, chosen: set[Key], interpreters: dict[str, str]) -> None:
    """Warm-start every variable from a schedule (placements, assignments and idle indicators)."""
    model = built.model
    model.clear_hints()  # type: ignore[no-untyped-call]  # ortools 9.15 leaves it unannotated
    for key, var in built.x.items():
        model.add_hint(var, key in chosen)
    for (meeting_id, slot_id, interpreter_id), var in built.y.items():
        model.add_hint(
            var, (meeting_id, slot_id) in chosen and interpreters.get(meeting_id) == interpreter_id
        )
    for day in built.days:
        busy = [f or any(key in chosen for key in keys) for keys, f in zip(day.keys, day.fixed, strict=True)]
        seen = False
        for index, value in enumerate(busy):
            seen = seen or value
            model.add_hint(day.before[index], seen)
        seen = False
        for index in reversed(range(len(busy))):
            seen = seen or busy[index]
            model.add_hint(day.after[index], seen)
        for index in range(1, len(busy) - 1):
            model.add_hint(
                day.idle[index - 1], any(busy[:index]) and any(busy[index + 1 :]) and not busy[index]
            )

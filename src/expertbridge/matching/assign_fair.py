"""Fair mode at conference scale: the best weakest-entry total, then the best total, with measured bounds.

The weakest entry's affinity is the sum of its K experts' scores (as in ``Mode.FAIR``), so "every
entry ≥ t" is a knapsack row per entry, not a flow constraint.  SCIP over every pair found nothing in
60 s at 5,000 entries × 3,000 experts (2M pairs), even on the 1,600 entries the LP leaves fractional;
so, measured on that instance (``bench/assign.py --figure fair``):

1. A working set of pairs: each entry's and each expert's 10 best, plus a feasible start (the
   max-total flow).  Both LPs below run on it (GLOP, ~90,000 columns instead of 2M) and missing pairs
   are priced with numpy against the duals: a pair whose reduced cost is positive joins the set.
   The duals also give a valid bound on the LP over *every* pair — the restricted optimum plus the
   positive reduced costs of the pairs left out — so the bounds reported hold for the whole instance.
2. Max t with every entry ≥ t, capped by the best any entry could have alone: an upper bound on the
   weakest entry (reached by the LP at 5,000 × 3,000, so it costs one solve).
3. Max total with every entry ≥ that t: an upper bound on the total at that level; fractional on
   ~1,600 entries there, so rounding is a real search.
4. CP-SAT on the entries the LP leaves fractional or at the floor, every other entry keeping its LP
   panel: first max–min with the LP's rounding as a hint, then max total at the level found.  Each
   solve has a time limit; the answer is proved optimal only when it meets both LP bounds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.linear_solver.pywraplp import Solver
from ortools.sat.python import cp_model

from expertbridge.matching.assign_problem import Instance

# Each entry's and each expert's best pairs that start the working set (10 + 10: the first LP then
# reached its bound at 5,000 × 3,000; 6 per entry alone needed 40 pricing rounds).
WORKING_PER_ENTRY = 10
WORKING_PER_EXPERT = 10
# Pricing adds at most this many pairs per round, the most promising first.
PRICING_BATCH = 50_000
# Pricing stops when the bound over every pair is within this fraction of the restricted optimum
# (measured: the last 0.001 % took 20 of 30 rounds).
PRICING_GAP = 1e-5
PRICING_ROUNDS = 30
# Seconds for each CP-SAT solve when the caller gives no time limit.
CP_SAT_SECONDS = 30.0
# CP-SAT needs integer scores: the largest |score| maps to this.
SCORE_RESOLUTION = 1_000_000
METHOD = "GLOP bounds + CP-SAT (fair)"


@dataclass(frozen=True)
class FairSolution:
    """Chosen pairs; upper bounds on the weakest entry and on the total; whether both are reached."""

    pairs: list[int]
    optimal: bool
    weakest_bound: float
    bound: float


def tolerance(level: float) -> float:
    """Room given to a level: GLOP's and SCIP's feasibility tolerance is 1e-6."""
    return 1e-6 * max(1.0, abs(level))


def best_alone(instance: Instance) -> float:
    """The lowest over entries of the entry's best panel alone (forced first): no assignment beats it."""
    levels = []
    scores = instance.pair_score
    for pairs in instance.by_entry:
        forced = [p for p in pairs if p in instance.forced]
        rest = [p for p in pairs if p not in instance.forced][: instance.per_entry - len(forced)]
        levels.append(math.fsum(scores[p] for p in forced + rest))
    return min(levels, default=0.0)


class _Relaxation:
    """The LP over a working set of pairs, grown by pricing; rows as in ``assign_mip._Model``."""

    def __init__(self, instance: Instance, start: list[int], cap: float) -> None:
        solver = Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships inside the ortools wheel
            raise RuntimeError("this OR-Tools build lacks GLOP")
        solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
        self.solver: Any = solver
        self.instance = instance
        self.entry_of = np.frombuffer(instance.pair_entry, dtype=np.int32)
        self.expert_of = np.frombuffer(instance.pair_expert, dtype=np.int32)
        self.score = np.frombuffer(instance.pair_score, dtype=np.float64)
        k = instance.per_entry
        self.entry_rows = [solver.Constraint(k, k) for _ in instance.entries]
        self.expert_rows = [solver.Constraint(instance.min_load, instance.max_load) for _ in instance.experts]
        self.floor_rows = [solver.Constraint(0, solver.infinity()) for _ in instance.entries]
        self.level = solver.NumVar(-solver.infinity(), cap, "level")
        for row in self.floor_rows:
            row.SetCoefficient(self.level, -1)
        self.group_rows: list[Any] = []
        group_pairs: list[tuple[int, ...]] = []
        for groups in instance.groups:
            for group in groups:
                high = solver.infinity() if group.rule.maximum is None else group.rule.maximum
                self.group_rows.append(solver.Constraint(group.rule.minimum, high))
                group_pairs.append(group.pairs)
        self.group_members = [np.array(pairs, dtype=np.int64) for pairs in group_pairs]
        self.group_of_pair: dict[int, list[int]] = {}
        for g, pairs in enumerate(group_pairs):
            for pair in pairs:
                self.group_of_pair.setdefault(pair, []).append(g)
        self.x: dict[int, Any] = {}
        self.last_values: dict[int, float] = {}
        self.in_set = np.zeros(len(instance.pair_score), dtype=bool)
        self.total_objective = False
        self.solver.Objective().SetCoefficient(self.level, 1)
        self.solver.Objective().SetMaximization()
        self.add(sorted(_working_set(instance, start)))

    def add(self, pairs: list[int]) -> None:
        """Columns for ``pairs`` in every row they belong to."""
        instance, objective = self.instance, self.solver.Objective()
        for pair in pairs:
            var = self.solver.NumVar(1 if pair in instance.forced else 0, 1, "")
            self.x[pair] = var
            score = instance.pair_score[pair]
            self.entry_rows[instance.pair_entry[pair]].SetCoefficient(var, 1)
            self.expert_rows[instance.pair_expert[pair]].SetCoefficient(var, 1)
            self.floor_rows[instance.pair_entry[pair]].SetCoefficient(var, score)
            for g in self.group_of_pair.get(pair, ()):
                self.group_rows[g].SetCoefficient(var, 1)
            if self.total_objective:
                objective.SetCoefficient(var, score)
        self.in_set[pairs] = True

    def maximise_total_at(self, level: float) -> None:
        """Switch to the second LP: every entry ≥ level, maximise the total."""
        self.level.SetBounds(level, level)
        objective = self.solver.Objective()
        objective.SetCoefficient(self.level, 0)
        for pair, var in self.x.items():
            objective.SetCoefficient(var, self.instance.pair_score[pair])
        self.total_objective = True

    def solve_priced(self, deadline: float) -> tuple[float, float] | None:
        """(restricted optimum, bound over every pair), pricing until they meet; None if infeasible."""
        value = bound = math.nan
        for round_ in range(PRICING_ROUNDS):
            status = self.solver.Solve()
            if status == Solver.ABNORMAL and round_:
                # Measured at 5,000 × 3,000: GLOP can fail after a round of new columns, warm or cold.
                # The previous round's solution and bound stay valid (columns were only added).
                break
            if status == Solver.INFEASIBLE:
                return None
            if status != Solver.OPTIMAL:
                raise RuntimeError(f"GLOP failed (status {status})")
            value = float(self.solver.Objective().Value())
            self.last_values = {pair: float(var.solution_value()) for pair, var in self.x.items()}
            reduced = self._reduced_costs()
            candidates = np.flatnonzero(~self.in_set & (reduced > 1e-9))
            # LP duality: the restricted optimum plus every positive reduced cost outside the set
            # bounds the LP over all pairs (each such column could add at most its reduced cost × 1).
            bound = value + float(reduced[candidates].sum())
            if bound - value <= PRICING_GAP * max(1.0, abs(value)) or time.perf_counter() > deadline:
                break
            best = candidates[np.argsort(-reduced[candidates], kind="stable")[:PRICING_BATCH]]
            self.add(best.tolist())
        return value, bound

    def _reduced_costs(self) -> Any:
        def duals(rows: list[Any]) -> Any:
            return np.array([row.dual_value() for row in rows], dtype=np.float64)

        entry, expert, score = self.entry_of, self.expert_of, self.score
        reduced = score.copy() if self.total_objective else np.zeros_like(score)
        reduced -= duals(self.entry_rows)[entry] + duals(self.expert_rows)[expert]
        reduced -= score * duals(self.floor_rows)[entry]
        for members, dual in zip(self.group_members, duals(self.group_rows), strict=True):
            if dual:
                reduced[members] -= dual
        return reduced

    def values(self) -> dict[int, float]:
        """The last optimal solution found (pairs added after it are at 0)."""
        return {pair: self.last_values.get(pair, 0.0) for pair in self.x}


def _working_set(instance: Instance, start: list[int]) -> set[int]:
    pairs = set(start) | set(instance.forced)
    for candidates in instance.by_entry:
        pairs.update(candidates[:WORKING_PER_ENTRY])
    scores = instance.pair_score
    for candidates in instance.by_expert:
        pairs.update(sorted(candidates, key=lambda p: -scores[p])[:WORKING_PER_EXPERT])
    for groups in instance.groups:
        for group in groups:
            pairs.update(group.pairs[: instance.per_entry])
    return pairs


def solve_fair_at_scale(
    instance: Instance, start: list[int], start_bound: float, time_limit: float | None = None
) -> FairSolution | None:
    """Fair mode from ``start`` (any feasible assignment); None when even the LP is infeasible.

    ``start_bound`` bounds the total with no floors (the max-total optimum), so it bounds fair mode's.
    """
    seconds = CP_SAT_SECONDS if time_limit is None else time_limit
    cap = best_alone(instance)
    lp = _Relaxation(instance, start, cap)
    weakest = lp.solve_priced(time.perf_counter() + seconds)
    if weakest is None:
        return None
    level, weakest_bound = weakest[0], min(cap, weakest[1])
    lp.maximise_total_at(level - tolerance(level))
    total = lp.solve_priced(time.perf_counter() + seconds)
    if total is None:  # pragma: no cover - the first LP's answer meets this level
        raise RuntimeError("the LP at the weakest entry's level became infeasible")
    values = lp.values()
    open_entries = _open_entries(instance, values, level)
    pairs, reached = _round(instance, values, open_entries, lp, seconds)
    chosen_total = math.fsum(instance.pair_score[p] for p in pairs)
    weakest_found = _weakest(instance, pairs)
    at_level = weakest_found >= level - 2 * tolerance(level)
    # Below the LP's level the second LP's bound does not hold; the max-total bound, which ignores the
    # floors, always does (and is the tighter one when pricing stopped early).
    total_bound = min(total[1], start_bound) if at_level else start_bound
    optimal = at_level and reached and chosen_total >= total_bound - tolerance(total_bound)
    return FairSolution(pairs, optimal, weakest_bound, total_bound)


def _open_entries(instance: Instance, values: dict[int, float], level: float) -> set[int]:
    """Entries the LP leaves fractional or at the floor: the integral search is over these."""
    totals = [0.0] * len(instance.entries)
    open_entries: set[int] = set()
    for pair, value in values.items():
        totals[instance.pair_entry[pair]] += value * instance.pair_score[pair]
        if 1e-6 < value < 1 - 1e-6:
            open_entries.add(instance.pair_entry[pair])
    return open_entries | {e for e, total in enumerate(totals) if total < level + tolerance(level)}


def _weakest(instance: Instance, pairs: list[int]) -> float:
    totals = [0.0] * len(instance.entries)
    for pair in pairs:
        totals[instance.pair_entry[pair]] += instance.pair_score[pair]
    return min(totals, default=0.0)


def _round(
    instance: Instance,
    values: dict[int, float],
    open_entries: set[int],
    lp: _Relaxation,
    seconds: float,
) -> tuple[list[int], bool]:
    """(pairs, both CP-SAT solves proved optimal on the open entries) from the LP's solution."""
    kept = [p for p, v in values.items() if v > 0.5 and instance.pair_entry[p] not in open_entries]
    if not open_entries:
        return sorted(kept), True
    allowed = [p for p in lp.x if instance.pair_entry[p] in open_entries]
    largest = max((abs(s) for s in instance.pair_score), default=1.0) or 1.0
    scale = SCORE_RESOLUTION / largest

    def points(pair: int) -> int:
        return round(instance.pair_score[pair] * scale)

    model = cp_model.CpModel()
    x = {p: model.new_bool_var("") for p in allowed}
    for pair in allowed:
        if pair in instance.forced:
            model.add(x[pair] == 1)
    used = [0] * len(instance.experts)
    for pair in kept:
        used[instance.pair_expert[pair]] += 1
    by_entry: dict[int, list[int]] = {}
    by_expert: dict[int, list[int]] = {}
    for pair in allowed:
        by_entry.setdefault(instance.pair_entry[pair], []).append(pair)
        by_expert.setdefault(instance.pair_expert[pair], []).append(pair)
    for e in open_entries:
        model.add(sum(x[p] for p in by_entry.get(e, [])) == instance.per_entry)
        for group in instance.groups[e]:
            members = [x[p] for p in group.pairs if p in x]
            model.add(sum(members) >= group.rule.minimum)
            if group.rule.maximum is not None:
                model.add(sum(members) <= group.rule.maximum)
    for expert, pairs in by_expert.items():
        low, high = max(0, instance.min_load - used[expert]), instance.max_load - used[expert]
        model.add_linear_constraint(sum(x[p] for p in pairs), low, high)
    weakest = model.new_int_var(-(2**40), 2**40, "weakest")
    for e in open_entries:
        model.add(sum(points(p) * x[p] for p in by_entry.get(e, [])) >= weakest)
    for pair in allowed:
        model.add_hint(x[pair], values[pair] > 0.5)
    model.maximize(weakest)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise TimeoutError(f"CP-SAT found no rounding of the LP within {seconds:g} s")
    proved = status == cp_model.OPTIMAL
    model.add(weakest >= solver.value(weakest))
    model.clear_hints()  # type: ignore[no-untyped-call]
    for pair in allowed:
        model.add_hint(x[pair], solver.value(x[pair]))
    model.maximize(sum(points(p) * x[p] for p in allowed))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - the hint is a solution
        raise RuntimeError("CP-SAT lost the max–min solution")
    chosen = [p for p in allowed if solver.value(x[p])]
    return sorted(kept + chosen), proved and status == cp_model.OPTIMAL

"""Assignment as a linear or mixed-integer program (GLOP and SCIP through OR-Tools' linear solver wrapper).

Used where min-cost flow cannot model the problem: quota rules that overlap (an expert who counts toward
two rules of one entry, e.g. side=Beijing and sector=energy) and fair mode, whose max–min objective is
not a flow.

Maximum total, in three steps: the LP relaxation (GLOP, dual simplex), which is often integral because
the constraint matrix is a transportation matrix plus a few rows per entry; if it is not, SCIP on the
pairs the LP uses plus each entry's best 2K candidates, whose answer is proved optimal when it reaches
the LP bound; only then SCIP on every pair.  SCIP straight away needed more than 5 GB and found nothing
in 600 s at 5,000 entries × 3,000 experts (1M pairs); the LP took 39 s and 1.4 GB and was integral.
SCIP rather than CP-SAT: on 500 × 300 with overlapping quotas SCIP proved the optimum in 4 s where
CP-SAT had not closed the gap after 300 s on two workers.

Fair mode is lexicographic: the best weakest-entry total, then the best total.  Solving "max t with
every entry total ≥ t" directly took SCIP 73 s on a 500 × 300 instance, most of it closing a gap that
the LP relaxation (GLOP, 0.2 s) had already closed: its bound t_LP is usually reached.  So the bound
comes first and SCIP solves "max total with every entry total ≥ t_LP" (20 s there); when that is
infeasible, the full max–min program runs and the total is raised at its level.  (Adding the rows
lazily, for the entries near the bottom, was no faster: SCIP's time goes into the first rows.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ortools.linear_solver.pywraplp import MPSolverParameters, Solver

from expertbridge.matching.assign_problem import Instance

# An LP value this close to 0 or 1 counts as integral (GLOP's tolerances are 1e-7 or tighter).
_INTEGRAL = 1e-6
# A total within this fraction of an upper bound counts as optimal (SCIP's feasibility tolerance).
_RELATIVE_GAP = 1e-6
# Above this many pairs SCIP over every pair is not attempted (measured: no solution in 600 s at 1M
# pairs); the answer of the sub-problem is returned with its bound instead.
_FULL_MIP_PAIRS = 200_000
_LP_INTEGRAL = "GLOP LP (integral)"
_LP_REPAIRED = "GLOP LP + SCIP on its fractional entries"
_FAIR = "GLOP bound + SCIP (fair)"


@dataclass(frozen=True)
class MipSolution:
    """Chosen pairs, whether they are proved optimal, and the best upper bound known on the total."""

    pairs: list[int]
    optimal: bool
    bound: float | None  # None where no bound is known (fair mode's total)
    method: str  # which solvers produced it, for the summary


class _Model:
    """The assignment constraints over one variable per candidate pair (binary, or in [0, 1] for an LP).

    ``allowed`` restricts the variables to a subset of the pairs (the others are fixed at 0 by being
    left out) and ``fixed`` pairs are fixed at 1.  The objective is the total affinity, maximised,
    unless ``total_objective`` is False (the max–min programs set their own).
    """

    def __init__(
        self,
        instance: Instance,
        *,
        min_loads: bool,
        quotas: bool,
        linear: bool = False,
        allowed: set[int] | None = None,
        fixed: set[int] | None = None,
        total_objective: bool = True,
    ) -> None:
        solver = Solver.CreateSolver("GLOP" if linear else "SCIP")
        if solver is None:  # pragma: no cover - both ship inside the ortools wheel
            raise RuntimeError("this OR-Tools build lacks the GLOP or SCIP solver")
        if linear:
            # Dual simplex: 1.6 s where GLOP's default primal took 16 s (1,000 × 600, 100,000 pairs).
            solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
        self.solver: Any = solver
        self.instance = instance
        self.x: dict[int, Any] = {}
        objective = solver.Objective()
        for pair, score in enumerate(instance.pair_score):
            if allowed is not None and pair not in allowed and pair not in instance.forced:
                continue
            low = 1 if pair in instance.forced or (fixed is not None and pair in fixed) else 0
            var = solver.NumVar(low, 1, "") if linear else solver.IntVar(low, 1, "")
            if total_objective:
                objective.SetCoefficient(var, score)
            self.x[pair] = var
        objective.SetMaximization()
        self._rows(instance.by_entry, instance.per_entry, instance.per_entry)
        self._rows(instance.by_expert, instance.min_load if min_loads else 0, instance.max_load)
        if quotas:
            for groups in instance.groups:
                for group in groups:
                    high = solver.infinity() if group.rule.maximum is None else group.rule.maximum
                    self._rows([group.pairs], group.rule.minimum, high)

    def _rows(self, sets: Iterable[Iterable[int]], low: float, high: float) -> None:
        """One row ``low ≤ Σ x ≤ high`` per set of pairs."""
        for pairs in sets:
            row = self.solver.Constraint(low, high)
            for pair in pairs:
                var = self.x.get(pair)
                if var is not None:
                    row.SetCoefficient(var, 1)

    def add_floor(self, entry: int, level: Any) -> Any:
        """The row ``total of entry ≥ level``: level is a number, or a variable (then the row is ≥ 0)."""
        if isinstance(level, float):
            row = self.solver.Constraint(level, self.solver.infinity())
        else:
            row = self.solver.Constraint(0, self.solver.infinity())
            row.SetCoefficient(level, -1)
        for pair in self.instance.by_entry[entry]:
            var = self.x.get(pair)
            if var is not None:
                row.SetCoefficient(var, self.instance.pair_score[pair])
        return row

    def solve(self, time_limit: float | None) -> tuple[bool, bool]:
        """Solve; returns (a solution exists, proved optimal).

        Raises TimeoutError when the time limit passed before any solution was found, so that
        "no solution yet" is never taken for "infeasible".
        """
        if time_limit is not None:
            self.solver.SetTimeLimit(int(time_limit * 1000))
        parameters = MPSolverParameters()
        if self.solver.IsMip():
            # OR-Tools' default stops SCIP at a 1e-4 relative gap; "optimal" here means within 1e-6.
            parameters.SetDoubleParam(MPSolverParameters.RELATIVE_MIP_GAP, _RELATIVE_GAP)
        status = int(self.solver.Solve(parameters))
        if status == Solver.NOT_SOLVED and time_limit is not None:
            raise TimeoutError(f"SCIP found no assignment within the time limit of {time_limit:g} s")
        if status in (Solver.ABNORMAL, Solver.NOT_SOLVED, Solver.MODEL_INVALID):
            raise RuntimeError(f"the MIP solver failed (status {status})")
        return status in (Solver.OPTIMAL, Solver.FEASIBLE), status == Solver.OPTIMAL

    def values(self) -> dict[int, float]:
        """The incumbent's value of every pair variable."""
        return {pair: var.solution_value() for pair, var in self.x.items()}

    def chosen(self) -> list[int]:
        """Pairs set to 1 in the incumbent."""
        return sorted(pair for pair, value in self.values().items() if value > 0.5)


def solve_mip(
    instance: Instance,
    *,
    fair: bool = False,
    time_limit: float | None = None,
    min_loads: bool = True,
    quotas: bool = True,
) -> MipSolution | None:
    """A maximum-affinity assignment (fair: first the best weakest-entry total), or None if infeasible.

    ``time_limit`` applies to each SCIP solve; a solution found before it is returned, marked not
    proved optimal.
    """
    if not fair:
        return _max_total(instance, time_limit, min_loads=min_loads, quotas=quotas)
    model = _Model(instance, min_loads=min_loads, quotas=quotas)
    bound = _weakest_relaxation(instance, min_loads=min_loads, quotas=quotas)
    if bound is None:
        return None
    rows = [model.add_floor(entry, bound - _tolerance(bound)) for entry in range(len(instance.entries))]
    # The LP bound is usually reached; if so, this one solve is the whole answer.
    found, proved = model.solve(time_limit)
    if found:
        return MipSolution(model.chosen(), proved, None, _FAIR)
    level, proved_level = _max_weakest(instance, bound, time_limit, min_loads=min_loads, quotas=quotas)
    for row in rows:
        row.SetLb(level - _tolerance(level))
    found, proved = model.solve(time_limit)
    if not found:  # pragma: no cover - the level was just reached
        return None
    return MipSolution(model.chosen(), proved and proved_level, None, _FAIR)


def _max_total(
    instance: Instance, time_limit: float | None, *, min_loads: bool, quotas: bool
) -> MipSolution | None:
    """The largest total: the LP first, then SCIP where the LP is fractional, then SCIP on every pair.

    The LP relaxation bounds the total from above and is often integral: then it is the answer.
    Otherwise it is fractional on a few entries (24 pairs of 11 entries at 5,000 × 3,000): SCIP
    re-solves those entries over their best candidates with every other pair kept as the LP set it,
    which takes seconds, and an answer within 1e-6 of the LP bound is optimal.  Failing that, SCIP
    searches every pair, from that answer, on instances small enough for it; on larger ones the
    answer is returned with the LP bound and marked not proved optimal.
    """
    relaxation = _Model(instance, min_loads=min_loads, quotas=quotas, linear=True)
    found, _ = relaxation.solve(time_limit)
    if not found:
        return None
    bound = float(relaxation.solver.Objective().Value())
    values = relaxation.values()
    fractional = {pair for pair, value in values.items() if _INTEGRAL < value < 1 - _INTEGRAL}
    if not fractional:
        return MipSolution(sorted(p for p, value in values.items() if value > 0.5), True, bound, _LP_INTEGRAL)
    candidate = _repair(instance, values, fractional, time_limit, min_loads=min_loads, quotas=quotas)
    if candidate is not None:
        total = sum(instance.pair_score[pair] for pair in candidate)
        if total >= bound - _tolerance(bound):
            return MipSolution(candidate, True, bound, _LP_REPAIRED)
        if len(instance.pair_score) > _FULL_MIP_PAIRS:
            return MipSolution(candidate, False, bound, _LP_REPAIRED)
    model = _Model(instance, min_loads=min_loads, quotas=quotas)
    if candidate is not None:
        picked = set(candidate)
        model.solver.SetHint(list(model.x.values()), [float(pair in picked) for pair in model.x])
    found, proved = model.solve(time_limit)
    if not found:
        return None
    return MipSolution(model.chosen(), proved, bound, "GLOP LP bound + SCIP on every pair")


def _repair(
    instance: Instance,
    values: dict[int, float],
    fractional: set[int],
    time_limit: float | None,
    *,
    min_loads: bool,
    quotas: bool,
) -> list[int] | None:
    """An integral assignment that keeps the LP's choices except on the entries it left fractional.

    Those entries may use their pairs in the LP's support and their best 3K candidates; every other
    entry keeps its LP panel.  None when that sub-problem has no solution.
    """
    open_entries = {instance.pair_entry[pair] for pair in fractional}
    kept = {
        pair
        for pair, value in values.items()
        if value > 0.5 and instance.pair_entry[pair] not in open_entries
    }
    allowed = set(kept) | {pair for pair, value in values.items() if value > _INTEGRAL}
    for entry in open_entries:
        allowed.update(instance.by_entry[entry][: 3 * instance.per_entry])
    model = _Model(instance, min_loads=min_loads, quotas=quotas, allowed=allowed, fixed=kept)
    found, _ = model.solve(time_limit)
    return model.chosen() if found else None


def _tolerance(level: float) -> float:
    # SCIP's feasibility tolerance is 1e-6: a level must be given that much room.
    return 1e-6 * max(1.0, abs(level))


def _weakest_relaxation(instance: Instance, *, min_loads: bool, quotas: bool) -> float | None:
    """The LP's best weakest-entry total (an upper bound on the MIP's), None if infeasible."""
    relaxation = _Model(instance, min_loads=min_loads, quotas=quotas, linear=True, total_objective=False)
    solver = relaxation.solver
    weakest = solver.NumVar(-solver.infinity(), solver.infinity(), "weakest")
    for entry in range(len(instance.entries)):
        relaxation.add_floor(entry, weakest)
    solver.Objective().SetCoefficient(weakest, 1)
    solver.Objective().SetMaximization()
    found, _ = relaxation.solve(None)
    if not found:
        return None
    return float(weakest.solution_value())


def _max_weakest(
    instance: Instance, bound: float, time_limit: float | None, *, min_loads: bool, quotas: bool
) -> tuple[float, bool]:
    """(the best weakest-entry total, proved): the full max–min program, when the LP bound is not reached."""
    model = _Model(instance, min_loads=min_loads, quotas=quotas, total_objective=False)
    weakest = model.solver.NumVar(-model.solver.infinity(), bound + _tolerance(bound), "weakest")
    for entry in range(len(instance.entries)):
        model.add_floor(entry, weakest)
    model.solver.Objective().SetCoefficient(weakest, 1)
    model.solver.Objective().SetMaximization()
    found, proved = model.solve(time_limit)
    if not found:  # pragma: no cover - the LP found the problem feasible, and the MIP is then too
        raise RuntimeError("SCIP found no assignment for the max–min program")
    return float(weakest.solution_value()), proved

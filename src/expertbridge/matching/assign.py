"""Expert panels and juries: assign K experts to every entry, optimally, fairly or by a capped random draw.

A pure engine: ids and scores in, frozen data classes out; no database, no files, no clock beyond
timing the solve.  Constraints: exactly K experts per entry; a min and max load per expert; conflicts of
interest (never violated: a conflicted pair is not a candidate); quota rules per entry ("at least one
expert from each side", "at least one in the entry's sector"); forced pairs.

Which solver runs:

- optimal mode, no quotas or quota rules that do not overlap within an entry → min-cost flow
  (``assign_flow``), exact, seconds for 5,000 entries × 3,000 experts;
- optimal mode with overlapping quota rules → the LP relaxation (GLOP), usually integral, else SCIP
  on the entries it leaves fractional (``assign_mip``);
- fair mode → the LP bound on the weakest entry (GLOP), then SCIP, up to 200,000 pairs; above that
  LPs over a priced working set of pairs and CP-SAT on the entries they leave open (``assign_fair``),
  exact when the answer meets the LP bounds, else with them reported;
- random mode → the fractional optimum by min-cost flow at a resolution of 1/10,000, then dependent
  rounding (``assign_random``).

>>> problem = AssignmentProblem(
...     scores=[("E1", "X1", 0.9), ("E1", "X2", 0.5), ("E2", "X1", 0.8), ("E2", "X2", 0.7)],
...     per_entry=1, max_load=1)
>>> [(a.entry, a.expert) for a in assign(problem).assignments]
[('E1', 'X1'), ('E2', 'X2')]
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

from expertbridge.matching.assign_fair import METHOD as FAIR_AT_SCALE
from expertbridge.matching.assign_fair import solve_fair_at_scale
from expertbridge.matching.assign_flow import diagnose, solve_optimal
from expertbridge.matching.assign_mip import solve_mip
from expertbridge.matching.assign_problem import (
    Alternate,
    Assignment,
    AssignmentProblem,
    AssignmentResult,
    AssignOptions,
    EntryExplanation,
    InfeasibleError,
    Instance,
    MalformedProblem,
    Mode,
    QuotaRule,
    Quotas,
    RandomDraw,
    ScoreRow,
    compile_problem,
    precheck,
)
from expertbridge.matching.assign_random import RESOLUTION, draw, fractional_assignment
from expertbridge.messages import Message
from expertbridge.registry.problems import N_

__all__ = [
    "Alternate",
    "AssignOptions",
    "Assignment",
    "AssignmentProblem",
    "AssignmentResult",
    "EntryExplanation",
    "InfeasibleError",
    "MalformedProblem",
    "Message",
    "Mode",
    "QuotaRule",
    "Quotas",
    "RandomDraw",
    "ScoreRow",
    "assign",
]

# Fair mode's exact SCIP path took 30 s at 500 × 300 (30,000 pairs) and found nothing in 60 s at 2M
# pairs; above this many pairs the LP-and-CP-SAT path of ``assign_fair`` runs instead.
FAIR_AT_SCALE_PAIRS = 200_000


def assign(problem: AssignmentProblem, options: AssignOptions | None = None) -> AssignmentResult:
    """Assign ``problem.per_entry`` experts to every entry, as ``options.mode`` asks.

    Raises InfeasibleError naming the constraint that cannot be met, MalformedProblem (a ValueError)
    for malformed input or options (random mode without a seed, a max probability outside (0, 1]),
    and TimeoutError when ``options.time_limit`` passed before SCIP found any assignment.
    """
    options = options or AssignOptions()
    started = time.perf_counter()
    _check_options(options)
    instance = compile_problem(problem)
    random_mode = options.mode is Mode.RANDOM
    overlap = instance.overlapping_group()
    if random_mode and overlap is not None:
        entry, pair = overlap
        raise MalformedProblem(
            Message.of(
                N_(
                    "random mode needs quota rules that do not overlap: for entry %(entry)s, "
                    "expert %(expert)s counts toward two rules"
                ),
                entry=instance.entries[entry],
                expert=instance.experts[instance.pair_expert[pair]],
            )
        )
    reasons = precheck(instance, options.mode, options.max_probability)
    if reasons:
        raise InfeasibleError(reasons)
    use_mip = options.mode is Mode.FAIR or options.use_mip or overlap is not None
    random_draw: RandomDraw | None = None
    optimal = True
    bound: float | None = None
    weakest_bound: float | None = None
    if random_mode:
        assert options.seed is not None  # checked in _check_options
        pairs, random_draw = _random(instance, options.max_probability, options.seed)
        solver = f"min-cost flow (fractional, resolution 1/{RESOLUTION}) + dependent rounding"
    elif options.mode is Mode.FAIR and len(instance.pair_score) > FAIR_AT_SCALE_PAIRS:
        pairs, optimal, bound, weakest_bound = _fair_at_scale(
            instance, overlap is not None, options.time_limit
        )
        solver = FAIR_AT_SCALE
    elif use_mip:
        solution = solve_mip(instance, fair=options.mode is Mode.FAIR, time_limit=options.time_limit)
        pairs = solution.pairs if solution else None
        optimal = bool(solution and solution.optimal)
        solver = solution.method if solution else "SCIP"
        bound = solution.bound if solution else None
    else:
        pairs = solve_optimal(instance)
        solver = "min-cost flow"
    if pairs is None:
        raise InfeasibleError(
            diagnose(
                instance,
                pair_capacity=options.max_probability if random_mode else 1.0,
                quotas_by_mip=overlap is not None,
            )
        )
    _verify(instance, pairs)
    result = _result(instance, pairs, options, solver, optimal, random_draw, time.perf_counter() - started)
    if bound is None and optimal and options.mode is Mode.OPTIMAL:
        bound = result.total
    return replace(result, bound=bound, weakest_bound=weakest_bound)


def _fair_at_scale(
    instance: Instance, overlap: bool, time_limit: float | None
) -> tuple[list[int] | None, bool, float | None, float | None]:
    """(pairs, optimal, bound on the total, bound on the weakest entry), starting from the max total."""
    start: list[int] | None = None
    if overlap:
        best = solve_mip(instance, time_limit=time_limit)
        if best is not None:
            start, start_bound = best.pairs, best.bound
    else:
        start = solve_optimal(instance)
        start_bound = math.fsum(instance.pair_score[p] for p in start) if start is not None else None
    if start is None or start_bound is None:
        return None, False, None, None
    solution = solve_fair_at_scale(instance, start, start_bound, time_limit)
    if solution is None:  # pragma: no cover - start is feasible, so the LP is too
        return None, False, None, None
    return solution.pairs, solution.optimal, solution.bound, solution.weakest_bound


def _verify(instance: Instance, pairs: Sequence[int]) -> None:
    """Check the solver's answer against every hard constraint before anyone sees it.

    The flow meets min loads through node supplies and the MIP through SCIP's tolerances: a wrong
    model or a tolerance slip must fail loudly here, not reach a jury.  (Conflicts cannot be broken:
    a conflicted pair is not a candidate at all.)
    """
    chosen = set(pairs)
    per_entry = [0] * len(instance.entries)
    loads = [0] * len(instance.experts)
    for pair in chosen:
        per_entry[instance.pair_entry[pair]] += 1
        loads[instance.pair_expert[pair]] += 1
    problems = [
        f"entry {instance.entries[e]} has {n} experts"
        for e, n in enumerate(per_entry)
        if n != instance.per_entry
    ]
    problems += [
        f"expert {instance.experts[x]} has load {load}"
        for x, load in enumerate(loads)
        if not instance.min_load <= load <= instance.max_load
    ]
    problems += [
        f"forced pair {instance.pair_name(p)} is missing" for p in instance.forced if p not in chosen
    ]
    for e, groups in enumerate(instance.groups):
        for group in groups:
            count = sum(1 for p in group.pairs if p in chosen)
            if count < group.rule.minimum or (group.rule.maximum is not None and count > group.rule.maximum):
                problems.append(f"entry {instance.entries[e]} has {count} experts with {group.rule.label}")
    if problems:
        raise RuntimeError("the solver's assignment breaks a constraint: " + "; ".join(problems[:5]))


def _check_options(options: AssignOptions) -> None:
    if options.mode is Mode.RANDOM:
        if options.seed is None:
            raise MalformedProblem(
                Message(N_("random mode needs a seed, so that the draw can be reproduced"))
            )
        if not 0 < options.max_probability <= 1:
            raise MalformedProblem(
                Message.of(
                    N_("max probability must be in (0, 1], not %(value)s"),
                    value=repr(options.max_probability),
                )
            )
        if options.max_probability < 1 / RESOLUTION:
            raise MalformedProblem(
                Message.of(
                    N_("max probability must be at least 1/%(resolution)s"), resolution=str(RESOLUTION)
                )
            )
    if options.alternates < 0:
        raise MalformedProblem(Message(N_("alternates must not be negative")))


def _random(
    instance: Instance, max_probability: float, seed: int
) -> tuple[list[int] | None, RandomDraw | None]:
    fractional = fractional_assignment(instance, max_probability)
    if fractional is None:
        return None, None
    pairs = draw(fractional, seed)
    scores = instance.pair_score
    unit = fractional.unit
    marginals = {
        (
            instance.entries[instance.pair_entry[p]],
            instance.experts[instance.pair_expert[p]],
        ): fractional.flows[p] / unit
        for p in range(fractional.pairs)
        if fractional.flows[p]
    }
    best = solve_optimal(instance)
    return pairs, RandomDraw(
        seed=seed,
        max_probability=max_probability,
        effective_max_probability=fractional.pair_capacity / unit,
        resolution=unit,
        expected_total=math.fsum(scores[p] * fractional.flows[p] for p in range(fractional.pairs)) / unit,
        optimal_total=math.fsum(scores[p] for p in best) if best is not None else math.nan,
        marginals=marginals,
    )


def _result(
    instance: Instance,
    pairs: Sequence[int],
    options: AssignOptions,
    solver: str,
    optimal: bool,
    random_draw: RandomDraw | None,
    seconds: float,
) -> AssignmentResult:
    chosen = set(pairs)
    loads = [0] * len(instance.experts)
    for pair in chosen:
        loads[instance.pair_expert[pair]] += 1
    assignments: list[Assignment] = []
    alternates: list[Alternate] = []
    explanations: list[EntryExplanation] = []
    totals: dict[str, float] = {}
    for e, entry in enumerate(instance.entries):
        # by_entry is sorted best first, so the panel and alternates come out in rank order.
        panel = [p for p in instance.by_entry[e] if p in chosen]
        for pair in panel:
            assignments.append(
                Assignment(entry, _expert(instance, pair), instance.pair_score[pair], pair in instance.forced)
            )
        # An alternate must be able to step in: an expert already at the max load could not.
        others = [
            p
            for p in instance.by_entry[e]
            if p not in chosen and loads[instance.pair_expert[p]] < instance.max_load
        ][: options.alternates]
        for rank, pair in enumerate(others, start=1):
            alternates.append(Alternate(entry, rank, _expert(instance, pair), instance.pair_score[pair]))
        totals[entry] = math.fsum(instance.pair_score[p] for p in panel)
        explanations.append(_explain(instance, e, panel, loads, random_draw, optimal))
    return AssignmentResult(
        assignments=tuple(assignments),
        alternates=tuple(alternates),
        explanations=tuple(explanations),
        loads=dict(zip(instance.experts, loads, strict=True)),
        entry_totals=totals,
        solver=solver,
        optimal=optimal,
        seconds=seconds,
        draw=random_draw,
    )


def _expert(instance: Instance, pair: int) -> str:
    return instance.experts[instance.pair_expert[pair]]


def _ideal(instance: Instance, e: int) -> list[int]:
    """The entry's best panel alone: its forced pairs, then its best candidates (no loads, no quotas)."""
    forced = [p for p in instance.by_entry[e] if p in instance.forced]
    rest = [p for p in instance.by_entry[e] if p not in instance.forced]
    return forced + rest[: instance.per_entry - len(forced)]


def _explain(
    instance: Instance,
    e: int,
    panel: list[int],
    loads: list[int],
    random_draw: RandomDraw | None,
    optimal: bool,
) -> EntryExplanation:
    """Why the entry's total is below its best alone: each expert it missed and what took the place."""
    scores = instance.pair_score
    ideal = _ideal(instance, e)
    on_panel = set(panel)
    notes: list[Message] = []

    def who(pair: int) -> dict[str, str | float]:
        # The score as the notes always showed it: four significant digits.
        return {"expert": _expert(instance, pair), "score": float(f"{scores[pair]:.4g}")}

    for pair in panel:
        if pair in instance.forced:
            notes.append(Message.of(N_("forced: %(expert)s (%(score)s)"), **who(pair)))
    missed = [p for p in ideal if p not in on_panel]
    ideal_set = set(ideal)
    fillers = [p for p in panel if p not in ideal_set]
    quota_fillers: set[int] = set()
    quota_capped = False
    lowest_missed = min((scores[p] for p in missed), default=math.inf)
    for group in instance.groups[e]:
        members = set(group.pairs)
        if sum(1 for p in ideal if p in members) < group.rule.minimum:
            # Only as many of the members who filled in as the quota lacked came for it; the others
            # took places the loads freed (their own notes say so).
            kept = sum(1 for p in panel if p in members and p in ideal_set)
            lacking = max(0, group.rule.minimum - kept)
            for pair in sorted((p for p in fillers if p in members), key=lambda p: -scores[p])[:lacking]:
                quota_fillers.add(pair)
                how = (
                    N_("quota %(quota)s forced a lower-score expert %(expert)s (%(score)s)")
                    if scores[pair] < lowest_missed
                    else N_("quota %(quota)s brought in %(expert)s (%(score)s)")
                )
                notes.append(Message.of(how, quota=group.rule.name, **who(pair)))
        elif group.rule.maximum is not None and sum(1 for p in ideal if p in members) > group.rule.maximum:
            quota_capped = True
            notes.append(
                Message.of(
                    N_("quota %(quota)s allows at most %(maximum)s"),
                    quota=group.rule.name,
                    maximum=group.rule.maximum,
                )
            )
    for pair in missed:
        x = instance.pair_expert[pair]
        if all(scores[p] >= scores[pair] - 1e-6 * max(1.0, abs(scores[pair])) for p in fillers):
            continue  # a tie: an expert of the same score took the place
        if random_draw is not None:
            probability = random_draw.marginals.get((instance.entries[e], instance.experts[x]), 0.0)
            notes.append(
                Message.of(
                    N_("%(expert)s (%(score)s) not drawn (probability %(probability)s)"),
                    probability=round(probability, 2),
                    **who(pair),
                )
            )
        elif loads[x] >= instance.max_load:
            notes.append(
                Message.of(
                    N_("%(expert)s (%(score)s) at max load %(high)s"), high=instance.max_load, **who(pair)
                )
            )
        elif quota_fillers or quota_capped:
            continue  # the quota notes say what took its place
        elif instance.min_load and any(loads[instance.pair_expert[p]] <= instance.min_load for p in fillers):
            notes.append(
                Message.of(
                    N_("%(expert)s (%(score)s) gave way to experts at min load %(low)s"),
                    low=instance.min_load,
                    **who(pair),
                )
            )
        elif not optimal:
            notes.append(
                Message.of(
                    N_("%(expert)s (%(score)s) not assigned: the solver stopped before proving the optimum"),
                    **who(pair),
                )
            )
        else:
            notes.append(
                Message.of(
                    N_(
                        "%(expert)s (%(score)s) not assigned: the loads and quotas of other entries "
                        "required it"
                    ),
                    **who(pair),
                )
            )
    for pair in fillers:
        x = instance.pair_expert[pair]
        if pair not in quota_fillers and instance.min_load and loads[x] <= instance.min_load:
            notes.append(
                Message.of(
                    N_("%(expert)s (%(score)s) assigned to reach min load %(low)s"),
                    low=instance.min_load,
                    **who(pair),
                )
            )
    return EntryExplanation(
        entry=instance.entries[e],
        total=math.fsum(scores[p] for p in panel),
        best_possible=math.fsum(scores[p] for p in ideal),
        messages=tuple(dict.fromkeys(notes)),
    )

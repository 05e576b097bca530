"""Panel assignment at programme scale: E entries × X experts, K per entry, loads min–max, 1% conflicts.

Scores come from a seeded topic model: entries and experts are mixtures of 16 topics, an expert's
affinity to an entry is their topic overlap scaled by the expert's standing (so some experts are wanted
by everyone and their max load binds).  The engine gets a sparse candidate list, as the product's ranking
produces it: each entry's top ``--top`` experts, plus each expert's top ``--expert-top`` entries (so that
every expert has enough candidate entries to reach its min load); 1% of the candidate pairs are conflicts
of interest.  ``dense`` solves the same instance with all E × X pairs (OR-Tools directly, numpy arrays)
to measure what the sparse list loses.

Each figure runs in a child process so that its peak memory is its own.  One line per figure:

    assign figure=optimal entries=5000 experts=3000 pairs=... seconds=... peak_rss_mb=... total=... bound=...

Usage: python bench/assign.py [--entries 5000 --experts 3000 --top 400 --seed 1]
                              [--figure optimal --figure quotas --figure quotas-mip --figure random ...]

Figures: optimal (min-cost flow); quotas (one expert from each side: min-cost flow with side groups);
quotas-mip (the same quotas through the MIP path: GLOP's LP, SCIP where it is fractional); overlap (each
side plus one expert in the entry's main topic: the rules overlap, so the MIP path); fair (above 200,000
pairs: GLOP bounds over a priced working set of pairs, then CP-SAT; below, GLOP bound then SCIP); random
(P = 0.5: fractional flow and dependent rounding); dense (every pair through OR-Tools' flow directly, to
measure what the sparse candidate list loses).  numpy, used to generate the data, comes with ortools.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

from expertbridge.matching.assign import (
    AssignmentProblem,
    AssignOptions,
    Mode,
    QuotaRule,
    Quotas,
    assign,
)

FIGURES = ("optimal", "quotas", "quotas-mip", "overlap", "fair", "random", "dense")
TOPICS = 16


def _model(
    args: argparse.Namespace,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(dense scores, each entry's main topic, each expert's main topic)."""
    rng = np.random.default_rng(args.seed)
    entry_topics = rng.dirichlet(np.full(TOPICS, 0.3), size=args.entries)
    expert_topics = rng.dirichlet(np.full(TOPICS, 0.3), size=args.experts)
    standing = rng.beta(2, 2, size=args.experts)
    overlap = entry_topics @ expert_topics.T
    scores: np.ndarray[Any, Any] = (1 - np.exp(-3 * overlap)) * (0.4 + 0.6 * standing)[None, :]
    scores += rng.normal(0, 0.02, size=scores.shape)
    return np.round(np.clip(scores, 0, 1), 4), entry_topics.argmax(axis=1), expert_topics.argmax(axis=1)


def _instance(args: argparse.Namespace) -> tuple[AssignmentProblem, dict[str, Any]]:
    """The sparse problem, and facts about it for the summary line."""
    rng = np.random.default_rng(args.seed + 1)
    scores, main_topic, expert_main = _model(args)
    entries, experts = scores.shape
    chosen = np.zeros(scores.shape, dtype=bool)
    top = np.argpartition(-scores, min(args.top, experts - 1), axis=1)[:, : args.top]
    chosen[np.arange(entries)[:, None], top] = True
    if args.expert_top:
        best_entries = np.argpartition(-scores, min(args.expert_top, entries - 1), axis=0)[
            : args.expert_top, :
        ]
        chosen[best_entries, np.arange(experts)[None, :]] = True
    rows, cols = np.nonzero(chosen)
    conflict = rng.random(len(rows)) < args.conflicts
    entry_ids = [f"E{i:05d}" for i in range(entries)]
    expert_ids = [f"X{j:04d}" for j in range(experts)]
    values = scores[rows, cols].tolist()
    pairs = [
        (entry_ids[i], expert_ids[j], s) for i, j, s in zip(rows.tolist(), cols.tolist(), values, strict=True)
    ]
    conflicts = {
        (entry_ids[i], expert_ids[j])
        for i, j in zip(rows[conflict].tolist(), cols[conflict].tolist(), strict=True)
    }
    sides = rng.random(experts) < 0.45
    attributes = {
        expert_ids[j]: {
            "side": frozenset({"Moscow" if sides[j] else "Beijing"}),
            "topic": frozenset({f"t{expert_main[j]}"}),
        }
        for j in range(experts)
    }
    quotas = Quotas()
    if args.figure in ("quotas", "quotas-mip", "overlap"):
        quotas = Quotas(
            default=(QuotaRule("side", frozenset({"Moscow"})), QuotaRule("side", frozenset({"Beijing"})))
        )
    if args.figure == "overlap":
        quotas = Quotas(
            default=quotas.default,
            per_entry={
                entry_ids[i]: (QuotaRule("topic", frozenset({f"t{main_topic[i]}"})),) for i in range(entries)
            },
        )
    problem = AssignmentProblem(
        scores=pairs,
        per_entry=args.per_entry,
        max_load=args.max_load,
        min_load=args.min_load,
        conflicts=conflicts,
        attributes=attributes,
        quotas=quotas,
    )
    return problem, {"pairs": len(pairs), "conflicts": len(conflicts), "dense_scores": scores}


def _bound(problem: AssignmentProblem) -> float:
    """Each entry's best K candidates without conflicts, loads ignored: no assignment does better."""
    best: dict[str, list[float]] = {}
    conflicts = problem.conflicts
    for entry, expert, score in problem.scores:
        if (entry, expert) not in conflicts:
            best.setdefault(entry, []).append(score)
    return sum(sum(sorted(scores, reverse=True)[: problem.per_entry]) for scores in best.values())


def _dense(
    args: argparse.Namespace, scores: np.ndarray[Any, Any], problem: AssignmentProblem
) -> tuple[float, float]:
    """(optimum over every pair, seconds): conflicts as in the sparse problem, same loads."""
    from ortools.graph.python import min_cost_flow

    entries, experts = scores.shape
    started = time.perf_counter()
    index_e = {f"E{i:05d}": i for i in range(entries)}
    index_x = {f"X{j:04d}": j for j in range(experts)}
    cost = -np.rint(scores * 1e7).astype(np.int64)
    capacity = np.ones(scores.shape, dtype=np.int64)
    for entry, expert in problem.conflicts:
        capacity[index_e[entry], index_x[expert]] = 0
    solver = min_cost_flow.SimpleMinCostFlow()
    tails = np.repeat(np.arange(entries, dtype=np.int32), experts)
    heads = np.tile(np.arange(entries, entries + experts, dtype=np.int32), entries)
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity.ravel(), cost.ravel())
    del tails, heads, cost, capacity
    sink = entries + experts
    expert_nodes = np.arange(entries, entries + experts, dtype=np.int32)
    solver.add_arcs_with_capacity_and_unit_cost(
        expert_nodes,
        np.full(experts, sink, dtype=np.int32),
        np.full(experts, args.max_load - args.min_load, dtype=np.int64),
        np.zeros(experts, dtype=np.int64),
    )
    supplies = np.concatenate(
        [
            np.full(entries, args.per_entry),
            np.full(experts, -args.min_load),
            [-(entries * args.per_entry - experts * args.min_load)],
        ]
    ).astype(np.int64)
    solver.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise SystemExit(f"dense solve: {status}")
    return -solver.optimal_cost() / 1e7, time.perf_counter() - started


def _child(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    problem, facts = _instance(args)
    generated = time.perf_counter() - started
    head = (
        f"assign figure={args.figure} entries={args.entries} experts={args.experts} k={args.per_entry} "
        f"loads={args.min_load}-{args.max_load} pairs={facts['pairs']} conflicts={facts['conflicts']}"
    )
    if args.figure == "dense":
        total, seconds = _dense(args, facts["dense_scores"], problem)
        del facts["dense_scores"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sparse = assign(problem)
        print(
            f"{head} all_pairs={args.entries * args.experts} seconds={seconds:.2f} peak_rss_mb={peak:.0f} "
            f"dense_total={total:.4f} sparse_total={sparse.total:.4f} "
            f"sparse_loss={1 - sparse.total / total:.2e}",
            flush=True,
        )
        return
    del facts["dense_scores"]
    options = AssignOptions(
        mode={"fair": Mode.FAIR, "random": Mode.RANDOM}.get(args.figure, Mode.OPTIMAL),
        use_mip=args.figure == "quotas-mip",
        max_probability=args.max_probability,
        seed=args.seed,
        time_limit=args.time_limit,
    )
    solve_started = time.perf_counter()
    result = assign(problem, options)
    seconds = time.perf_counter() - solve_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (
        f"{head} seconds={seconds:.2f} generate_s={generated:.1f} peak_rss_mb={peak:.0f} "
        f'total={result.total:.4f} min_entry={result.min_entry_total:.4f} solver="{result.solver}" '
        f"optimal={result.optimal}"
        + (f" solver_bound={result.bound:.4f}" if result.bound is not None else "")
        + (f" weakest_bound={result.weakest_bound:.4f}" if result.weakest_bound is not None else "")
    )
    if args.figure in ("optimal", "fair"):
        bound = _bound(problem)
        line += f" bound_top_k={bound:.4f} ratio={result.total / bound:.4f}"
    elif args.figure == "random":
        assert result.draw is not None
        line += (
            f" P={args.max_probability} expected_total={result.draw.expected_total:.4f} "
            f"deterministic_optimum={result.draw.optimal_total:.4f} "
            f"ratio={result.draw.expected_total / result.draw.optimal_total:.4f}"
        )
    else:
        free = assign(AssignmentProblem(**{**problem.__dict__, "quotas": Quotas()}))
        line += f" quota_free_optimum={free.total:.4f} ratio={result.total / free.total:.5f}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--experts", type=int, default=3000)
    parser.add_argument("--per-entry", type=int, default=3)
    parser.add_argument("--min-load", type=int, default=2)
    parser.add_argument("--max-load", type=int, default=9)
    parser.add_argument("--conflicts", type=float, default=0.01, help="share of candidate pairs")
    parser.add_argument("--top", type=int, default=400, help="candidate experts per entry")
    parser.add_argument("--expert-top", type=int, default=20, help="candidate entries per expert")
    parser.add_argument("--max-probability", type=float, default=0.5)
    parser.add_argument("--time-limit", type=float, default=None, help="seconds, SCIP figures")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--figure",
        action="append",
        choices=FIGURES,
        help="repeatable; default: all but fair (~2 min at 5,000)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    figures = args.figure or [figure for figure in FIGURES if figure != "fair"]
    if args.child:
        args.figure = figures[0]
        _child(args)
        return
    passed = [arg for arg in sys.argv[1:] if not arg.startswith("--figure") and arg not in FIGURES]
    for figure in figures:
        subprocess.run([sys.executable, __file__, "--child", "--figure", figure, *passed], check=True)


if __name__ == "__main__":
    main()

"""The panel-assignment engine: optimality against brute force, hard constraints, random draws, messages."""

from __future__ import annotations

import doctest
import itertools
import math
import random
from collections import Counter
from collections.abc import Iterator

import pytest

from expertbridge.matching import assign as assign_module
from expertbridge.matching import assign_problem
from expertbridge.matching.assign import (
    AssignmentProblem,
    AssignmentResult,
    AssignOptions,
    InfeasibleError,
    Mode,
    QuotaRule,
    Quotas,
    assign,
)

SIDES = ("Moscow", "Beijing")
EACH_SIDE = Quotas(
    default=(QuotaRule("side", frozenset({"Moscow"})), QuotaRule("side", frozenset({"Beijing"})))
)


def random_problem(
    seed: int, *, quotas: str = "none", entries: int = 4, experts: int = 5
) -> AssignmentProblem:
    """A small instance: most pairs scored (two decimals), some conflicts, now and then a forced pair.

    quotas: "none"; "sides" (one expert from each side: disjoint groups, solved by flow); "overlap"
    (sides plus a sector rule an expert can share with a side rule: solved by the MIP); "cycle" (E0
    takes at most one expert per label, and X0–X2 carry two of three labels each: an odd cycle, so the
    LP relaxation is fractional and SCIP must branch).
    """
    rng = random.Random(seed)
    entry_ids = [f"E{i}" for i in range(entries)]
    expert_ids = [f"X{j}" for j in range(experts)]
    scores = [(e, x, round(rng.random(), 2)) for e in entry_ids for x in expert_ids if rng.random() < 0.85]
    if quotas == "cycle":  # E0 wants X0–X2 most, which its label rules make a fractional LP of
        scores = [(e, x, s / 10 + 0.9 if e == "E0" and x in {"X0", "X1", "X2"} else s) for e, x, s in scores]
    conflicts = {(e, x) for e, x, _ in scores if rng.random() < 0.1}
    candidates = [(e, x) for e, x, _ in scores if (e, x) not in conflicts]
    forced = {rng.choice(candidates)} if candidates and rng.random() < 0.3 else set()
    attributes = {
        x: {
            "side": frozenset({SIDES[j % 2]}),
            "sector": frozenset({rng.choice(["energy.solar", "bio", "it"])}),
        }
        for j, x in enumerate(expert_ids)
    }
    for x, labels in zip(expert_ids, ({"ab", "ac"}, {"ab", "bc"}, {"bc", "ac"}), strict=False):
        attributes[x] = {**attributes[x], "label": frozenset(labels)}
    rules = Quotas()
    if quotas == "sides":
        rules = EACH_SIDE
    elif quotas == "overlap":
        rules = Quotas(
            default=EACH_SIDE.default,
            per_entry={entry_ids[0]: (QuotaRule("sector", frozenset({"energy"}), 1),)},
        )
    elif quotas == "cycle":
        rules = Quotas(
            per_entry={
                entry_ids[0]: tuple(QuotaRule("label", frozenset({v}), 0, 1) for v in ("ab", "bc", "ac"))
            }
        )
    max_load = rng.randint(2, 3)
    return AssignmentProblem(
        scores=scores,
        per_entry=2,
        max_load=max_load,
        min_load=rng.choice([0, 0, 1]),
        conflicts=conflicts,
        forced=forced,
        attributes=attributes,
        quotas=rules,
    )


def feasible_panels(problem: AssignmentProblem) -> Iterator[dict[str, tuple[str, ...]]]:
    """Every assignment that meets every constraint, by enumeration."""
    candidates: dict[str, list[str]] = {}
    for entry, expert, _ in problem.scores:
        candidates.setdefault(entry, [])
        if (entry, expert) not in problem.conflicts:
            candidates[entry].append(expert)
    experts = sorted({expert for _, expert, _ in problem.scores})
    entries = list(candidates)
    options = [list(itertools.combinations(candidates[entry], problem.per_entry)) for entry in entries]
    for choice in itertools.product(*options):
        panels = dict(zip(entries, choice, strict=True))
        if is_valid(problem, panels, experts):
            yield panels


def is_valid(problem: AssignmentProblem, panels: dict[str, tuple[str, ...]], experts: list[str]) -> bool:
    """Whether ``panels`` meets K, loads, conflicts, forced pairs and quotas."""
    loads = Counter(expert for panel in panels.values() for expert in panel)
    if any(not problem.min_load <= loads[x] <= problem.max_load for x in experts):
        return False
    for entry, panel in panels.items():
        if len(set(panel)) != problem.per_entry or any((entry, x) in problem.conflicts for x in panel):
            return False
        for rule in problem.quotas.rules_for(entry):
            count = sum(
                1 for x in panel if rule.matches(problem.attributes.get(x, {}).get(rule.attribute, ()))
            )
            if count < rule.minimum or (rule.maximum is not None and count > rule.maximum):
                return False
    return all(expert in panels.get(entry, ()) for entry, expert in problem.forced)


def panel_scores(problem: AssignmentProblem, panels: dict[str, tuple[str, ...]]) -> dict[str, float]:
    score = {(e, x): s for e, x, s in problem.scores}
    return {entry: sum(score[entry, x] for x in panel) for entry, panel in panels.items()}


def as_panels(result: AssignmentResult) -> dict[str, tuple[str, ...]]:
    panels: dict[str, list[str]] = {}
    for assignment in result.assignments:
        panels.setdefault(assignment.entry, []).append(assignment.expert)
    return {entry: tuple(experts) for entry, experts in panels.items()}


def check_result(problem: AssignmentProblem, result: AssignmentResult) -> None:
    """Every hard constraint holds in ``result``."""
    experts = sorted({expert for _, expert, _ in problem.scores} | {x for _, x in problem.forced})
    assert is_valid(problem, as_panels(result), experts)
    assert set(as_panels(result)) == {entry for entry, _, _ in problem.scores}
    scored = {(e, x) for e, x, _ in problem.scores}
    assert all((a.entry, a.expert) in scored or a.forced for a in result.assignments)


def brute_force(problem: AssignmentProblem) -> tuple[float, float, float] | None:
    """(best total, best weakest-entry total, best total among the fairest) or None when infeasible."""
    best_total = best_min = -math.inf
    fair_total = -math.inf
    found = False
    for panels in feasible_panels(problem):
        found = True
        totals = panel_scores(problem, panels)
        total, weakest = sum(totals.values()), min(totals.values())
        best_total = max(best_total, total)
        if weakest > best_min + 1e-9:
            best_min, fair_total = weakest, total
        elif weakest > best_min - 1e-9:
            fair_total = max(fair_total, total)
    return (best_total, best_min, fair_total) if found else None


@pytest.mark.parametrize(
    ("quotas", "use_mip"),
    [("none", False), ("none", True), ("sides", False), ("sides", True), ("overlap", False)],
)
def test_optimal_mode_matches_brute_force(quotas: str, use_mip: bool) -> None:
    feasible = 0
    for seed in range(40):
        problem = random_problem(seed, quotas=quotas)
        expected = brute_force(problem)
        if expected is None:
            with pytest.raises(InfeasibleError):
                assign(problem, AssignOptions(use_mip=use_mip))
            continue
        feasible += 1
        result = assign(problem, AssignOptions(use_mip=use_mip))
        check_result(problem, result)
        assert result.total == pytest.approx(expected[0], abs=1e-6), seed
        assert result.optimal
    assert feasible >= 20  # the generator must mostly produce solvable instances


@pytest.mark.parametrize("quotas", ["none", "sides", "overlap"])
def test_solver_follows_the_constraints(quotas: str) -> None:
    solvers = {
        "none": "min-cost flow",
        "sides": "min-cost flow",  # one group per side: the flow models it
        "overlap": "GLOP LP (integral)",  # an expert can count toward a side and a sector rule
    }
    for seed in range(40):
        problem = random_problem(seed, quotas=quotas)
        if brute_force(problem) is not None:
            assert assign(problem).solver == solvers[quotas]
            return
    pytest.fail("no feasible instance")


@pytest.mark.parametrize("quotas", ["none", "sides", "overlap", "cycle"])
def test_fair_mode_matches_brute_force_and_lifts_the_weakest_entry(quotas: str) -> None:
    for seed in range(30):
        problem = random_problem(seed, quotas=quotas)
        expected = brute_force(problem)
        if expected is None:
            continue
        fair = assign(problem, AssignOptions(mode=Mode.FAIR))
        check_result(problem, fair)
        optimal = assign(problem)
        assert fair.min_entry_total == pytest.approx(expected[1], abs=1e-6), seed
        assert fair.total == pytest.approx(expected[2], abs=1e-6), seed
        assert fair.min_entry_total >= optimal.min_entry_total - 1e-9
        assert fair.total <= optimal.total + 1e-9


def test_fractional_lp_is_branched_on() -> None:
    # X1–X3 are best, but any two share a label and E1 may have at most one per label: the LP takes
    # each at 1/2 (total 1.5 + 0.05), the integral optimum one of them and X4.
    labels = {"X1": {"ab", "ac"}, "X2": {"ab", "bc"}, "X3": {"bc", "ac"}, "X4": set()}
    problem = AssignmentProblem(
        scores=[("E1", "X1", 1.0), ("E1", "X2", 1.0), ("E1", "X3", 1.0), ("E1", "X4", 0.1)],
        per_entry=2,
        max_load=1,
        attributes={x: {"label": frozenset(values)} for x, values in labels.items()},
        quotas=Quotas(default=tuple(QuotaRule("label", frozenset({v}), 0, 1) for v in ("ab", "bc", "ac"))),
    )
    result = assign(problem)
    assert result.solver == "GLOP LP bound + SCIP on every pair" and result.optimal
    assert result.total == pytest.approx(1.1) and result.bound == pytest.approx(1.55)
    assert "quota label=ab allows at most 1" in " ".join(result.explanations[0].notes)


def test_fair_mode_trades_total_for_the_weakest_entry() -> None:
    # X1 can sit on one panel: optimal gives it to E1 (total 1.2, weakest 0.2), fair to E2
    # (total 0.9, weakest 0.4).
    problem = AssignmentProblem(
        scores=[("E1", "X1", 1.0), ("E1", "X2", 0.4), ("E2", "X1", 0.5), ("E2", "X2", 0.2)],
        per_entry=1,
        max_load=1,
    )
    optimal, fair = assign(problem), assign(problem, AssignOptions(mode=Mode.FAIR))
    assert as_panels(optimal) == {"E1": ("X1",), "E2": ("X2",)}
    assert as_panels(fair) == {"E1": ("X2",), "E2": ("X1",)}
    assert fair.min_entry_total == pytest.approx(0.4) and optimal.min_entry_total == pytest.approx(0.2)


@pytest.mark.parametrize("mode", list(Mode))
def test_hard_constraints_hold_in_every_mode(mode: Mode) -> None:
    for seed in range(100, 160):
        problem = random_problem(seed, quotas=["none", "sides"][seed % 2], entries=6, experts=7)
        options = AssignOptions(mode=mode, seed=seed, max_probability=0.7)
        try:
            result = assign(problem, options)
        except InfeasibleError:
            assert mode is Mode.RANDOM or next(feasible_panels(problem), None) is None
            continue
        check_result(problem, result)
        assert len(result.assignments) == 2 * len(result.entry_totals)
        assert all(a.forced == ((a.entry, a.expert) in problem.forced) for a in result.assignments)


def test_random_draw_is_reproduced_by_its_seed() -> None:
    problem = random_problem(3, entries=6, experts=8)
    first = assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.5, seed=42))
    again = assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.5, seed=42))
    assert first.assignments == again.assignments
    assert first.draw is not None and first.draw.seed == 42
    draws = {
        assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.5, seed=s)).assignments
        for s in range(20)
    }
    assert len(draws) > 1  # other seeds give other panels


def test_random_mode_needs_a_seed_and_a_sensible_cap() -> None:
    problem = random_problem(3)
    with pytest.raises(ValueError, match="needs a seed"):
        assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.5))
    with pytest.raises(ValueError, match=r"max probability must be in \(0, 1\]"):
        assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=1.5, seed=1))


@pytest.mark.parametrize("quotas", [Quotas(), EACH_SIDE])
def test_random_draws_follow_the_capped_marginals(quotas: Quotas) -> None:
    # 5 entries × 6 experts, K = 2, loads 1–3, a conflict and a forced pair; P = 0.5; with and
    # without one expert from each side (X0, X2, X4 Moscow).
    rng = random.Random(7)
    scores = [(f"E{i}", f"X{j}", round(rng.uniform(0.2, 1.0), 2)) for i in range(5) for j in range(6)]
    problem = AssignmentProblem(
        scores=scores,
        per_entry=2,
        max_load=3,
        min_load=1,
        conflicts={("E0", "X0")},
        forced={("E1", "X5")},
        attributes={f"X{j}": {"side": frozenset({SIDES[j % 2]})} for j in range(6)},
        quotas=quotas,
    )
    cap = 0.5
    draws = 2000
    counts: Counter[tuple[str, str]] = Counter()
    marginals: dict[tuple[str, str], float] = {}
    for seed in range(draws):
        result = assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=cap, seed=seed))
        check_result(problem, result)
        counts.update((a.entry, a.expert) for a in result.assignments)
        assert result.draw is not None
        marginals = dict(result.draw.marginals)
    assert result.draw is not None
    assert result.draw.expected_total <= result.draw.optimal_total + 1e-9
    for entry in {e for e, _, _ in scores}:
        assert sum(p for (e, _), p in marginals.items() if e == entry) == pytest.approx(2)
    assert marginals[("E1", "X5")] == 1.0  # forced pairs are certain, whatever the cap
    assert ("E0", "X0") not in marginals and counts[("E0", "X0")] == 0
    for pair in {(e, x) for e, x, _ in scores}:
        empirical = counts[pair] / draws
        expected = marginals.get(pair, 0.0)
        # Four standard deviations of a binomial proportion (at most 0.045 for 2,000 draws).
        tolerance = 4 * math.sqrt(max(expected * (1 - expected), 1e-4) / draws) + 1e-3
        assert abs(empirical - expected) <= tolerance, (pair, empirical, expected)
        if pair != ("E1", "X5"):
            assert expected <= cap + 1e-12
            assert empirical <= cap + tolerance


def test_random_mode_with_side_quotas_keeps_them_in_every_draw() -> None:
    problem = random_problem(11, quotas="sides", entries=5, experts=8)
    for seed in range(200):
        check_result(
            problem, assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.6, seed=seed))
        )


def test_random_mode_refuses_overlapping_quotas() -> None:
    problem = random_problem(0, quotas="overlap")
    with pytest.raises(ValueError, match="do not overlap"):
        assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.8, seed=1))


def grid(entries: int, experts: int, score: float = 0.5) -> list[tuple[str, str, float]]:
    return [(f"E{i}", f"X{j}", score) for i in range(1, entries + 1) for j in range(1, experts + 1)]


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (
            AssignmentProblem(grid(20, 3), per_entry=3, max_load=20, conflicts={("E17", "X1")}),
            "entry E17 has only 2 experts without conflicts, 3 required",
        ),
        (
            AssignmentProblem(grid(20, 10), per_entry=2, max_load=3),
            "total capacity 30 (max load 3 × 10 experts) < 40 needed (20 entries × 2)",
        ),
        (
            AssignmentProblem(grid(5, 10), per_entry=3, max_load=4, min_load=2),
            "min load 2 × 10 experts = 20 > 15 slots (5 entries × 3)",
        ),
        (
            AssignmentProblem(
                grid(3, 4),
                per_entry=2,
                max_load=3,
                attributes={"X1": {"side": frozenset({"Moscow"})}, "X2": {"side": frozenset({"Beijing"})}},
                quotas=Quotas(per_entry={"E3": (QuotaRule("side", frozenset({"Beijing"})),)}),
                conflicts={("E3", "X2")},
            ),
            "quota side=Beijing for entry E3: no eligible expert has side=Beijing",
        ),
        (
            AssignmentProblem(
                grid(2, 3), per_entry=2, max_load=2, forced={("E1", "X1")}, conflicts={("E1", "X1")}
            ),
            "forced assignment E1–X1 conflicts: a conflict of interest is declared for this pair",
        ),
        (
            AssignmentProblem(
                grid(3, 3), per_entry=1, max_load=2, forced={("E1", "X1"), ("E2", "X1"), ("E3", "X1")}
            ),
            "expert X1 is forced onto 3 entries, beyond max load 2",
        ),
        (
            AssignmentProblem(grid(2, 4), per_entry=1, max_load=2, forced={("E1", "X1"), ("E1", "X2")}),
            "entry E1 has 2 forced experts, 1 required",
        ),
        (
            AssignmentProblem(
                grid(2, 4),
                per_entry=3,
                max_load=2,
                attributes={
                    x: {"side": frozenset({SIDES[int(x[1:]) % 2]})} for x in ("X1", "X2", "X3", "X4")
                },
                quotas=Quotas(
                    default=(
                        QuotaRule("side", frozenset({"Moscow"}), 2),
                        QuotaRule("side", frozenset({"Beijing"}), 2),
                    )
                ),
            ),
            "quotas for entry E1 need 4 experts (side=Moscow ≥ 2, side=Beijing ≥ 2), 3 per entry",
        ),
    ],
)
def test_obvious_infeasibility_is_named_before_solving(problem: AssignmentProblem, message: str) -> None:
    with pytest.raises(InfeasibleError) as caught:
        assign(problem)
    assert any(reason.startswith(message) for reason in caught.value.reasons), caught.value.reasons


def test_infeasibility_found_by_the_solver_is_explained() -> None:
    # Each entry has 2 candidates and K=2, total capacity is ample, but E1–E3 all want X1 and X2,
    # who can take two entries each: Hall's condition fails, which no per-entry count shows.
    scores = [(e, x, 0.5) for e in ("E1", "E2", "E3") for x in ("X1", "X2")] + [
        ("E4", "X3", 0.5),
        ("E4", "X4", 0.5),
    ]
    with pytest.raises(
        InfeasibleError, match=r"at most 6 of 8 places can be filled .* short, for example: E[123] \(0 of 2\)"
    ):
        assign(AssignmentProblem(scores, per_entry=2, max_load=2))


def test_overlapping_quotas_that_cannot_be_met_are_named() -> None:
    # Both entries need the only energy expert, X1, who can sit on one panel.
    sides = {"X1": "Moscow", "X2": "Moscow", "X3": "Beijing", "X4": "Beijing"}
    attributes = {x: {"side": frozenset({side})} for x, side in sides.items()}
    attributes["X1"] = {**attributes["X1"], "sector": frozenset({"energy.solar"})}
    quotas = Quotas(default=(*EACH_SIDE.default, QuotaRule("sector", frozenset({"energy"}))))
    problem = AssignmentProblem(grid(2, 4), per_entry=2, max_load=1, attributes=attributes, quotas=quotas)
    with pytest.raises(
        InfeasibleError, match=r"the quotas \(sector=energy, side=Beijing, side=Moscow\) cannot"
    ):
        assign(problem)


def test_min_load_shortfall_names_the_experts() -> None:
    # X3 scores only E1, whose single place is forced to X1: X3 cannot reach min load 1, though
    # every count (3 experts × 1 ≤ 3 places, X3 has a candidate entry) allows it.
    scores = [("E1", "X1", 0.9), ("E1", "X3", 0.1), ("E2", "X1", 0.5), ("E2", "X2", 0.5), ("E3", "X2", 0.4)]
    problem = AssignmentProblem(scores, per_entry=1, max_load=2, min_load=1, forced={("E1", "X1")})
    with pytest.raises(InfeasibleError, match=r"min load 1 cannot be met .*X3 \(0 of 1\)"):
        assign(problem)


def test_random_cap_too_low_is_named() -> None:
    problem = AssignmentProblem(grid(2, 3), per_entry=2, max_load=2)
    with pytest.raises(
        InfeasibleError, match=r"with max probability 0\.5 its 3 candidates give at most 1\.5 of the 2"
    ):
        assign(problem, AssignOptions(mode=Mode.RANDOM, max_probability=0.5, seed=1))


def test_pairs_without_a_score_are_never_assigned_and_forced_ones_count_zero() -> None:
    scores = [("E1", "X1", 0.9), ("E1", "X2", 0.8), ("E2", "X2", 0.3)]
    result = assign(AssignmentProblem(scores, per_entry=1, max_load=2, forced={("E2", "X1")}))
    assert as_panels(result) == {"E1": ("X1",), "E2": ("X1",)}
    assert result.entry_totals["E2"] == 0.0
    assert "forced: X1 (0)" in result.explanations[1].notes


def test_alternates_are_the_next_best_experts_without_conflicts() -> None:
    scores = [("E1", f"X{j}", 1 - j / 10) for j in range(1, 7)]
    problem = AssignmentProblem(scores, per_entry=2, max_load=1, conflicts={("E1", "X3")})
    result = assign(problem, AssignOptions(alternates=3))
    assert [a.expert for a in result.assignments] == ["X1", "X2"]
    assert [(a.rank, a.expert) for a in result.alternates] == [(1, "X4"), (2, "X5"), (3, "X6")]


def test_alternates_leave_out_experts_already_at_the_max_load() -> None:
    # X2 sits on E2's panel at its max load of 1: offered as E1's alternate, it could not step in.
    scores = [("E1", "X1", 0.9), ("E1", "X2", 0.8), ("E1", "X3", 0.5), ("E2", "X2", 0.9), ("E2", "X4", 0.1)]
    result = assign(AssignmentProblem(scores, per_entry=1, max_load=1), AssignOptions(alternates=2))
    assert as_panels(result) == {"E1": ("X1",), "E2": ("X2",)}
    assert [(a.entry, a.expert) for a in result.alternates] == [("E1", "X3"), ("E2", "X4")]


def test_explanations_name_max_load_and_quotas() -> None:
    attributes = {
        "X1": {"side": frozenset({"Moscow"})},
        "X2": {"side": frozenset({"Moscow"})},
        "X3": {"side": frozenset({"Beijing"})},
    }
    scores = [("E1", "X1", 0.9), ("E1", "X2", 0.8), ("E1", "X3", 0.2), ("E2", "X1", 0.95), ("E2", "X3", 0.1)]
    scores += [("E2", "X2", 0.1)]
    problem = AssignmentProblem(scores, per_entry=2, max_load=2, attributes=attributes, quotas=EACH_SIDE)
    result = assign(problem)
    notes = {explanation.entry: explanation for explanation in result.explanations}
    assert "quota side=Beijing forced a lower-score expert X3 (0.2)" in notes["E1"].notes
    assert notes["E1"].best_possible == pytest.approx(1.7) and notes["E1"].total == pytest.approx(1.1)

    scores = [("E1", "X1", 0.8), ("E1", "X2", 0.5), ("E2", "X1", 0.9), ("E2", "X2", 0.1)]
    tight = assign(AssignmentProblem(scores, per_entry=1, max_load=1))
    assert tight.explanations[0].notes == ("X1 (0.8) at max load 1",)


def test_quota_values_match_sub_codes() -> None:
    rule = QuotaRule("sector", frozenset({"energy"}))
    assert rule.matches({"energy"}) and rule.matches({"energy.solar.pv"})
    assert not rule.matches({"energetics"}) and not rule.matches({"bio.energy"})


def test_malformed_input_is_refused() -> None:
    with pytest.raises(ValueError, match="has two scores"):
        assign(AssignmentProblem([("E1", "X1", 0.5), ("E1", "X1", 0.6)], per_entry=1, max_load=1))
    with pytest.raises(ValueError, match="not a finite number"):
        assign(AssignmentProblem([("E1", "X1", math.nan)], per_entry=1, max_load=1))
    with pytest.raises(ValueError, match="min load 3 must be between 0 and the max load 2"):
        assign(AssignmentProblem(grid(1, 1), per_entry=1, max_load=2, min_load=3))


def test_docstring_examples() -> None:
    for module in (assign_module, assign_problem):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("quotas", ["none", "sides", "overlap"])
def test_fair_mode_at_scale_matches_brute_force(quotas: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The LP-and-CP-SAT path runs above 200,000 pairs; forced on here to compare with enumeration.
    # Its bounds must hold, and where it claims optimality it must equal the lexicographic optimum.
    monkeypatch.setattr(assign_module, "FAIR_AT_SCALE_PAIRS", 0)
    checked = 0
    for seed in range(30):
        problem = random_problem(seed, quotas=quotas)
        expected = brute_force(problem)
        if expected is None:
            continue
        fair = assign(problem, AssignOptions(mode=Mode.FAIR))
        check_result(problem, fair)
        assert fair.solver == "GLOP bounds + CP-SAT (fair)"
        assert fair.weakest_bound is not None and fair.bound is not None
        assert fair.min_entry_total <= expected[1] + 1e-6 <= fair.weakest_bound + 2e-6, seed
        assert fair.min_entry_total == pytest.approx(expected[1], abs=1e-6), seed
        if fair.min_entry_total >= expected[1] - 1e-6:
            assert fair.total <= expected[2] + 1e-6 <= fair.bound + 2e-6, seed
        if fair.optimal:
            assert fair.total == pytest.approx(expected[2], abs=1e-6), seed
        checked += 1
    assert checked >= 15


def test_a_quota_explains_only_the_experts_it_brought_in() -> None:
    # E1's best two are Beijing experts, both taken by E2 at max load 1; two Moscow experts fill in,
    # one of them for E1's "at least one from Moscow" quota.
    sides = {"B1": "Beijing", "B2": "Beijing", "M1": "Moscow", "M2": "Moscow", "M3": "Moscow"}
    attributes = {expert: {"side": frozenset({side})} for expert, side in sides.items()}
    scores = [("E1", "B1", 0.9), ("E1", "B2", 0.8), ("E1", "M1", 0.3), ("E1", "M2", 0.2)]
    scores += [("E2", "B2", 0.95), ("E2", "B1", 0.94), ("E2", "M3", 0.1)]
    quotas = Quotas(per_entry={"E1": (QuotaRule("side", frozenset({"Moscow"})),)})
    result = assign(AssignmentProblem(scores, per_entry=2, max_load=1, attributes=attributes, quotas=quotas))
    assert as_panels(result) == {"E1": ("M1", "M2"), "E2": ("B2", "B1")}
    e1 = next(explanation for explanation in result.explanations if explanation.entry == "E1")
    assert [note for note in e1.notes if note.startswith("quota")] == [
        "quota side=Moscow forced a lower-score expert M1 (0.3)"
    ]

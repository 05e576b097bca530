"""Assignment as min-cost flow (OR-Tools), and the diagnosis of an instance no flow can serve.

The network, for ``unit`` = 1 (optimal mode) or a resolution such as 10,000 (random mode's fractional
solution, probabilities in steps of 1/unit)::

    entry ──[min·u, max·u]──▶ quota group ──┐
      │ (supply K·u)                         ├──[0, cap]──▶ expert ──[min_load·u, max_load·u]──▶ sink
      └──────────────────────────────────────┘  cost −score

Pairs whose expert counts toward one of the entry's quota rules leave from that rule's group node,
so "at least one expert from each side" becomes a lower bound on the group arc.  That works when an
expert counts toward at most one rule of an entry; overlapping rules need the MIP (``assign_mip``).
Lower bounds (min loads, quota minimums, forced pairs) become node supplies, which is exact: no
large negative costs on "min-load arcs" that a poorly chosen constant could outweigh.  (``assign``
still checks every answer against every constraint.)  The two-arc split does serve the diagnosis: it
finds how much min load can be met when not all of it can.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from expertbridge.matching.assign_problem import Instance
from expertbridge.messages import Message
from expertbridge.registry.problems import N_

# Scores become integer costs: the largest |score| maps to this, so totals are exact to ~1e-7 of it.
COST_RESOLUTION = 10_000_000
# Random mode's probabilities are multiples of 1/PROBABILITY_RESOLUTION.
PROBABILITY_RESOLUTION = 10_000


class Network:
    """A min-cost flow network with lower bounds on arcs, built node by node (one solve per network)."""

    def __init__(self) -> None:
        self.supplies: list[int] = []
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.lows: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []

    def add_node(self, supply: int = 0) -> int:
        """A new node; positive supply produces flow, negative consumes it."""
        self.supplies.append(supply)
        return len(self.supplies) - 1

    def add_arc(self, tail: int, head: int, low: int, cap: int, cost: int = 0) -> int:
        """An arc whose flow lies in [low, cap]; returns its index."""
        self.tails.append(tail)
        self.heads.append(head)
        self.lows.append(low)
        self.caps.append(cap)
        self.costs.append(cost)
        return len(self.tails) - 1

    def add_arcs(
        self, tails: list[int], heads: list[int], lows: list[int], caps: list[int], costs: list[int]
    ) -> None:
        """Many arcs at once (parallel lists), for the million pair arcs."""
        self.tails += tails
        self.heads += heads
        self.lows += lows
        self.caps += caps
        self.costs += costs

    def solve(self) -> list[int] | None:
        """The flow on every arc (lower bounds included) of a minimum-cost solution, or None if infeasible."""
        supplies = list(self.supplies)
        lows = self.lows
        for arc in (arc for arc, low in enumerate(lows) if low):
            # A lower bound l on u→v: v receives l for sure, u sends it; the arc keeps cap − l.
            supplies[self.tails[arc]] -= lows[arc]
            supplies[self.heads[arc]] += lows[arc]
        residual = [cap - low for cap, low in zip(self.caps, lows, strict=True)]
        if min(residual, default=0) < 0:
            return None
        solver = min_cost_flow.SimpleMinCostFlow()
        if self.tails:
            solver.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, residual, self.costs)
        # Every node must exist in the solver even when no arc touches it.
        solver.set_nodes_supplies(list(range(len(supplies))), supplies)
        status = solver.solve()
        if status == solver.INFEASIBLE or status == solver.UNBALANCED:
            return None
        if status != solver.OPTIMAL:
            raise RuntimeError(f"min-cost flow solver failed: {status}")
        if not self.tails:
            return []
        flows = solver.flows(list(range(len(self.tails)))).tolist()
        return [flow + low for flow, low in zip(flows, lows, strict=True)]


@dataclass(frozen=True)
class FlowNetwork:
    """The assignment network of an instance; pair ``p`` is arc ``p``."""

    network: Network
    unit: int


def cost_scale(instance: Instance) -> float:
    """Factor from scores to integer costs."""
    scores = instance.pair_score
    largest = max(max(scores), -min(scores)) if scores else 0.0
    return COST_RESOLUTION / largest if largest > 0 else 1.0


def build_network(
    instance: Instance,
    *,
    unit: int = 1,
    pair_capacity: int = 1,
    min_loads: bool = True,
    quotas: bool = True,
) -> FlowNetwork:
    """The network of ``instance`` (see the module docstring); its quota groups must be disjoint."""
    net = Network()
    k = instance.per_entry
    for _ in instance.entries:
        net.add_node(k * unit)
    expert_base = len(instance.entries)
    for _ in instance.experts:
        net.add_node()
    sink = net.add_node(-k * unit * len(instance.entries))
    tail_of_pair = list(instance.pair_entry)
    group_arcs: list[tuple[int, int, int, int]] = []
    if quotas:
        for e, groups in enumerate(instance.groups):
            for group in groups:
                node = net.add_node()
                for pair in group.pairs:
                    tail_of_pair[pair] = node
                high = k if group.rule.maximum is None else min(group.rule.maximum, k)
                group_arcs.append((e, node, group.rule.minimum * unit, high * unit))
    scale = cost_scale(instance)
    pairs = len(instance.pair_score)
    lows = [0] * pairs
    caps = [pair_capacity] * pairs
    for pair in instance.forced:
        lows[pair] = caps[pair] = unit
    net.add_arcs(
        tail_of_pair,
        [expert_base + x for x in instance.pair_expert],
        lows,
        caps,
        [-round(score * scale) for score in instance.pair_score],
    )
    for tail, head, low, high in group_arcs:
        net.add_arc(tail, head, low, high)
    low_load = instance.min_load * unit if min_loads else 0
    for x in range(len(instance.experts)):
        net.add_arc(expert_base + x, sink, low_load, instance.max_load * unit)
    return FlowNetwork(net, unit)


def solve_optimal(instance: Instance) -> list[int] | None:
    """The pairs of a maximum-affinity assignment, or None when none exists."""
    flows = build_network(instance).network.solve()
    if flows is None:
        return None
    return [pair for pair in range(len(instance.pair_score)) if flows[pair]]


def diagnose(instance: Instance, *, pair_capacity: float = 1.0, quotas_by_mip: bool = False) -> list[Message]:
    """Name the constraint that makes ``instance`` infeasible, by adding them one at a time.

    First K per entry within max loads (with the max probability in random mode), then the quotas,
    then the min loads.  ``quotas_by_mip``: the quotas overlap, so their step asks SCIP.
    """
    from expertbridge.matching.assign_mip import solve_mip  # the MIP is needed only for this step

    k, high = instance.per_entry, instance.max_load
    short = _max_flow_shortfall(instance)
    if short:
        return [short]
    if pair_capacity < 1:
        unit = PROBABILITY_RESOLUTION
        if (
            build_network(
                instance, unit=unit, pair_capacity=int(pair_capacity * unit), min_loads=False, quotas=False
            ).network.solve()
            is None
        ):
            return [
                Message.of(
                    N_(
                        "with max probability %(cap)s no fractional assignment gives every entry %(k)s "
                        "experts within max load %(high)s; raise the max probability"
                    ),
                    cap=pair_capacity,
                    k=k,
                    high=high,
                )
            ]
    if instance.has_quotas:
        if quotas_by_mip:
            quotas_met = solve_mip(instance, min_loads=False) is not None
        else:
            quotas_met = build_network(instance, min_loads=False).network.solve() is not None
        if not quotas_met:
            return [_quota_message(instance)]
    if instance.min_load:
        short_experts = _min_load_shortfall(instance)
        if short_experts:
            return [
                Message.of(
                    N_(
                        "min load %(low)s cannot be met together with %(k)s experts per entry and max "
                        "load %(high)s: %(experts)s"
                    ),
                    low=instance.min_load,
                    k=k,
                    high=high,
                    experts=Message.join(short_experts, ", "),
                )
            ]
        if instance.has_quotas:
            return [
                Message.of(N_("the quotas and min load %(low)s cannot both be met"), low=instance.min_load)
            ]
    return [Message(N_("no assignment meets every constraint together"))]


def _quota_message(instance: Instance) -> Message:
    rules = {group.rule.label: group.rule.name for groups in instance.groups for group in groups}
    return Message.of(
        N_(
            "the quotas (%(quotas)s) cannot all be met with %(k)s experts per entry within max load "
            "%(high)s: the eligible experts are too few or too loaded"
        ),
        quotas=Message.join(
            [Message.of("%(quota)s", quota=rules[label]) for label in sorted(rules)[:6]], ", "
        ),
        k=instance.per_entry,
        high=instance.max_load,
    )


def _max_flow_shortfall(instance: Instance) -> Message | None:
    """A sentence when even K per entry within max loads (no quotas, no min loads) cannot be met."""
    solver = min_cost_flow.SimpleMinCostFlow()
    entries, experts = len(instance.entries), len(instance.experts)
    sink = entries + experts
    need = [instance.per_entry] * entries
    room = [instance.max_load] * experts
    free_pairs = []
    for pair in range(len(instance.pair_score)):
        if pair in instance.forced:
            need[instance.pair_entry[pair]] -= 1
            room[instance.pair_expert[pair]] -= 1
        else:
            free_pairs.append(pair)
    tails = [instance.pair_entry[p] for p in free_pairs] + [entries + x for x in range(experts)]
    heads = [entries + instance.pair_expert[p] for p in free_pairs] + [sink] * experts
    caps = [1] * len(free_pairs) + [max(r, 0) for r in room]
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, [0] * len(tails))
    total = sum(max(n, 0) for n in need)
    for node in range(entries):
        solver.set_node_supply(node, max(need[node], 0))
    for x in range(experts):
        solver.set_node_supply(entries + x, 0)
    solver.set_node_supply(sink, -total)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"max-flow diagnosis failed: {status}")
    filled = solver.maximum_flow()
    if filled >= total:
        return None
    flows = solver.flows(list(range(len(free_pairs)))).tolist() if free_pairs else []
    got = [instance.per_entry - max(n, 0) for n in need]
    for pair, flow in zip(free_pairs, flows, strict=True):
        got[instance.pair_entry[pair]] += int(flow)
    short = [
        Message.of(
            N_("%(entry)s (%(count)s of %(k)s)"),
            entry=instance.entries[e],
            count=got[e],
            k=instance.per_entry,
        )
        for e in range(entries)
        if got[e] < instance.per_entry
    ]
    shown = Message.join(short[:8], ", ")
    if len(short) > 8:
        shown = Message.of(N_("%(shown)s and %(count)s more"), shown=shown, count=len(short) - 8)
    return Message.of(
        N_(
            "%(k)s experts per entry within max load %(high)s cannot be met: at most %(filled)s of "
            "%(places)s places can be filled from the candidates without conflicts; short, for example: "
            "%(shown)s"
        ),
        k=instance.per_entry,
        high=instance.max_load,
        filled=filled + (instance.per_entry * entries - total),
        places=instance.per_entry * entries,
        shown=shown,
    )


def _min_load_shortfall(instance: Instance) -> list[Message]:
    """Experts left below min load when the flow fills as much min load as it can (quotas ignored).

    This is the two-arc split: each expert's first ``min_load`` units to the sink earn −1, the rest 0,
    so the cheapest flow is the one that meets the most min load.
    """
    net = Network()
    k = instance.per_entry
    for _ in instance.entries:
        net.add_node(k)
    base = len(instance.entries)
    for _ in instance.experts:
        net.add_node()
    sink = net.add_node(-k * len(instance.entries))
    for pair in range(len(instance.pair_score)):
        low = 1 if pair in instance.forced else 0
        net.add_arc(instance.pair_entry[pair], base + instance.pair_expert[pair], low, 1)
    min_arcs = []
    for x in range(len(instance.experts)):
        min_arcs.append(net.add_arc(base + x, sink, 0, instance.min_load, -1))
        net.add_arc(base + x, sink, 0, instance.max_load - instance.min_load)
    flows = net.solve()
    if flows is None:
        return []
    return [
        Message.of(
            N_("%(expert)s (%(count)s of %(low)s)"),
            expert=instance.experts[x],
            count=flows[arc],
            low=instance.min_load,
        )
        for x, arc in enumerate(min_arcs)
        if flows[arc] < instance.min_load
    ][:8]

"""Random mode: a draw from the qualified pool with every pair's probability capped at P.

As in Jecmen et al. 2020 ("Mitigating manipulation in peer review via randomized reviewer
assignments", the OpenReview randomized matcher): find the fractional assignment of largest affinity
with 0 ≤ x ≤ P, then sample an integral assignment whose marginals are exactly x.

The fractional optimum comes from the same min-cost flow network as optimal mode, scaled by
``RESOLUTION``: pair capacities become ⌊P·R⌋, supplies K·R.  The network's matrix is totally
unimodular, so the integer optimum of the scaled network is an optimal solution of the LP with cap
⌊P·R⌋/R, and it is exact integers: flow conservation holds with no floating-point tolerance, which
the rounding below relies on (a float LP solution, from GLOP say, leaves residues of 1e-9 that break
it).

Sampling is dependent rounding (Gandhi et al. 2006) generalised from the bipartite graph to the flow
network: while some arc carries a fractional flow, find a cycle of fractional arcs (every node's net
flow is a whole number of units, so each node touches zero or at least two of them), and push flow
around it by +α or −β with probabilities β/(α+β) and α/(α+β), where α and β are the largest pushes
that keep every arc between the floor and ceiling of its flow.  Each step leaves every arc's expected
flow unchanged and makes at least one arc integral; flows never leave [floor, ceil], so K per entry,
loads (rounded to the floor or ceiling of their fractional value), quota groups and forced pairs all
hold in every draw, and each pair is drawn with probability equal to its fractional flow.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from expertbridge.matching.assign_flow import PROBABILITY_RESOLUTION, build_network
from expertbridge.matching.assign_problem import Instance

RESOLUTION = PROBABILITY_RESOLUTION


@dataclass(frozen=True)
class Fractional:
    """The fractional optimum: flows in units of 1/``unit`` on the network's arcs."""

    tails: tuple[int, ...]
    heads: tuple[int, ...]
    flows: tuple[int, ...]
    unit: int
    pair_capacity: int  # ⌊P·unit⌋
    pairs: int  # arcs 0..pairs−1 are the candidate pairs


def fractional_assignment(instance: Instance, max_probability: float) -> Fractional | None:
    """The largest-affinity fractional assignment with every pair at most ``max_probability``."""
    capacity = int(max_probability * RESOLUTION + 1e-9)
    if capacity < 1:
        raise ValueError(f"max probability {max_probability} is below the resolution 1/{RESOLUTION}")
    flow_network = build_network(instance, unit=RESOLUTION, pair_capacity=min(capacity, RESOLUTION))
    flows = flow_network.network.solve()
    if flows is None:
        return None
    net = flow_network.network
    return Fractional(
        tails=tuple(net.tails),
        heads=tuple(net.heads),
        flows=tuple(flows),
        unit=RESOLUTION,
        pair_capacity=min(capacity, RESOLUTION),
        pairs=len(instance.pair_score),
    )


def draw(fractional: Fractional, seed: int) -> list[int]:
    """The candidate pairs of one draw; the same ``fractional`` and ``seed`` give the same pairs."""
    rng = random.Random(seed)
    flows = list(fractional.flows)
    unit = fractional.unit
    # Node → fractional arcs at it.  Dicts keep insertion order, so the walk is deterministic.
    incident: dict[int, dict[int, None]] = {}
    for arc, flow in enumerate(flows):
        if flow % unit:
            incident.setdefault(fractional.tails[arc], {})[arc] = None
            incident.setdefault(fractional.heads[arc], {})[arc] = None
    # The walk: nodes visited, and the arc taken out of each (path_arcs[i] leaves path_nodes[i]).
    path_nodes: list[int] = []
    path_arcs: list[int] = []
    position: dict[int, int] = {}
    while incident or path_nodes:
        if not path_nodes:
            start = next(iter(incident))
            path_nodes.append(start)
            position[start] = 0
        node = path_nodes[-1]
        arriving = path_arcs[-1] if path_arcs else -1
        arcs = incident.get(node)
        if not arcs:
            # Rounding removed the arcs behind this node: restart from what is left.
            for stale in path_nodes:
                position.pop(stale, None)
            path_nodes.clear()
            path_arcs.clear()
            continue
        leaving = next((a for a in arcs if a != arriving), None)
        if leaving is None:  # pragma: no cover - impossible while every node's net flow is whole units
            raise RuntimeError("dependent rounding found a node with a single fractional arc")
        other = fractional.heads[leaving] if fractional.tails[leaving] == node else fractional.tails[leaving]
        path_arcs.append(leaving)
        if other not in position:
            position[other] = len(path_nodes)
            path_nodes.append(other)
            continue
        start = position[other]
        cycle_nodes = path_nodes[start:]
        cycle_arcs = path_arcs[start:]
        _round_cycle(cycle_nodes, cycle_arcs, fractional, flows, rng)
        for arc_done in cycle_arcs:
            if flows[arc_done] % unit == 0:
                for end in (fractional.tails[arc_done], fractional.heads[arc_done]):
                    at_end = incident.get(end)
                    if at_end is not None:
                        at_end.pop(arc_done, None)
                        if not at_end:
                            del incident[end]
        # Keep the walk up to the cycle's first node: its earlier arcs are still fractional.
        for stale in path_nodes[start + 1 :]:
            position.pop(stale, None)
        del path_nodes[start + 1 :]
        del path_arcs[start:]
    return [pair for pair in range(fractional.pairs) if flows[pair] == unit]


def _round_cycle(
    nodes: list[int], arcs: list[int], fractional: Fractional, flows: list[int], rng: random.Random
) -> None:
    unit = fractional.unit
    forward = [fractional.tails[arc] == node for node, arc in zip(nodes, arcs, strict=True)]
    # α: the push along the walk's direction until an arc hits its floor or ceiling; β: against it.
    alpha = min(
        (unit - flows[arc] % unit) if ahead else flows[arc] % unit
        for arc, ahead in zip(arcs, forward, strict=True)
    )
    beta = min(
        flows[arc] % unit if ahead else (unit - flows[arc] % unit)
        for arc, ahead in zip(arcs, forward, strict=True)
    )
    # E[change] = α·β/(α+β) − β·α/(α+β) = 0: the marginals are kept exactly.
    step = alpha if rng.randrange(alpha + beta) < beta else -beta
    for arc, ahead in zip(arcs, forward, strict=True):
        flows[arc] += step if ahead else -step

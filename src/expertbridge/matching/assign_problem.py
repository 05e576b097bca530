"""Expert-panel assignment: the problem, the result, and the checks that name an impossible constraint.

Everything a caller sees is a frozen data class.  ``compile_problem`` turns the caller's ids into the
integer form the solvers share (``Instance``): one row per candidate pair, conflicts already removed,
pairs of each entry sorted best first, and each entry's quota groups resolved to pair indexes.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from expertbridge.messages import Message
from expertbridge.registry.problems import N_

ScoreRow = tuple[str, str, float]
"""``(entry_id, expert_id, affinity)``: one candidate pair and its score."""

MAX_REASONS_SHOWN = 10


class Mode(StrEnum):
    """What the assignment maximises."""

    OPTIMAL = "optimal"  # the largest total affinity
    FAIR = "fair"  # the weakest entry's total first, then the total
    RANDOM = "random"  # a draw whose every pair has probability at most ``max_probability``


class InfeasibleError(ValueError):
    """No assignment meets the constraints; ``reasons`` names each constraint that cannot be met.

    ``messages`` are the same reasons as :class:`Message` (for a page in the reader's language),
    ``reasons`` their English text.
    """

    def __init__(self, reasons: Sequence[Message | str]) -> None:
        self.messages = tuple(
            reason if isinstance(reason, Message) else Message(reason) for reason in reasons
        )
        self.reasons = tuple(message.text for message in self.messages)
        shown = list(self.reasons[:MAX_REASONS_SHOWN])
        if len(reasons) > MAX_REASONS_SHOWN:
            shown.append(f"… and {len(reasons) - MAX_REASONS_SHOWN} more")
        super().__init__("; ".join(shown))


class MalformedProblem(ValueError):
    """Input or options the engine cannot take (not an infeasible one); ``message`` says it as a
    :class:`Message`, the exception's text in English."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text)
        self.message = message


@dataclass(frozen=True)
class QuotaRule:
    """Between ``minimum`` and ``maximum`` of an entry's experts have ``attribute`` in ``values``.

    A value matches itself and, as sector codes do, its sub-codes: ``energy`` matches
    ``energy.solar``.  ``maximum=None`` means no upper limit.

    >>> rule = QuotaRule("sector", frozenset({"energy"}))
    >>> rule.label, rule.matches({"energy.solar"}), rule.matches({"energetics"})
    ('sector=energy', True, False)
    """

    attribute: str
    values: frozenset[str]
    minimum: int = 1
    maximum: int | None = None
    # How messages name the rule for a reader (e.g. "an expert from Moscow"); None: by ``label``.
    title: Message | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """``side=Beijing``, or ``sector in {a, b}`` when several values count."""
        if len(self.values) == 1:
            return f"{self.attribute}={next(iter(self.values))}"
        return f"{self.attribute} in {{{', '.join(sorted(self.values))}}}"

    @property
    def name(self) -> Message | str:
        """The rule as messages name it: its title, else its label."""
        return self.title if self.title is not None else self.label

    def matches(self, expert_values: Iterable[str]) -> bool:
        """Whether an expert with these values of the attribute counts toward the rule."""
        for value in expert_values:
            if value in self.values:
                return True
            # Walk up the dotted code: energy.solar.pv → energy.solar → energy.
            head = value
            while "." in head:
                head = head.rsplit(".", 1)[0]
                if head in self.values:
                    return True
        return False


@dataclass(frozen=True)
class Quotas:
    """Quota rules: ``default`` ones apply to every entry, ``per_entry`` ones are added for an entry."""

    default: tuple[QuotaRule, ...] = ()
    per_entry: Mapping[str, tuple[QuotaRule, ...]] = field(default_factory=dict)

    def rules_for(self, entry: str) -> tuple[QuotaRule, ...]:
        """Every rule that binds ``entry``."""
        return self.default + tuple(self.per_entry.get(entry, ()))

    @property
    def empty(self) -> bool:
        """True when no rule binds any entry."""
        return not self.default and not any(self.per_entry.values())


@dataclass(frozen=True)
class AssignmentProblem:
    """Entries (projects, applications, opportunities), candidate experts and the rules of the panel.

    Only pairs listed in ``scores`` (or ``forced``) are candidates: a pair without a score is never
    assigned.  ``attributes`` maps expert → attribute → values (``{"X1": {"side": {"Moscow"}}}``).
    """

    scores: Sequence[ScoreRow]
    per_entry: int
    max_load: int
    min_load: int = 0
    conflicts: Collection[tuple[str, str]] = frozenset()
    forced: Collection[tuple[str, str]] = frozenset()
    attributes: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    quotas: Quotas = field(default_factory=Quotas)


@dataclass(frozen=True)
class AssignOptions:
    """How to solve: the objective, the random draw's cap and seed, alternates, the solver."""

    mode: Mode = Mode.OPTIMAL
    max_probability: float = 1.0  # random mode: the cap P on every pair's probability
    seed: int | None = None  # random mode: required, so that every draw can be reproduced
    alternates: int = 0  # how many next-best experts to list per entry
    use_mip: bool = False  # solve with SCIP even where min-cost flow would do (for comparison)
    time_limit: float | None = None  # seconds, for each GLOP or SCIP solve (not the flow)


@dataclass(frozen=True)
class Assignment:
    """One expert on one entry's panel."""

    entry: str
    expert: str
    score: float
    forced: bool = False


@dataclass(frozen=True)
class Alternate:
    """A next-best expert for an entry: no conflict, not on its panel; rank 1 is the best."""

    entry: str
    rank: int
    expert: str
    score: float


@dataclass(frozen=True)
class EntryExplanation:
    """An entry's total affinity, the best it could have alone, and what held it below that."""

    entry: str
    total: float
    best_possible: float  # its top experts without conflicts, ignoring loads and quotas
    messages: tuple[Message, ...]  # what held it below, each for a reader in any language

    @property
    def notes(self) -> tuple[str, ...]:
        """The messages in English."""
        return tuple(message.text for message in self.messages)


@dataclass(frozen=True)
class RandomDraw:
    """How a random assignment was drawn, enough to reproduce it and to audit its fairness."""

    seed: int
    max_probability: float  # as asked
    effective_max_probability: float  # the cap actually used: P rounded down to the resolution
    resolution: int  # probabilities are multiples of 1/resolution
    expected_total: float  # the fractional optimum: the draw's expected total affinity
    optimal_total: float  # the deterministic optimum, for the price of randomness
    marginals: Mapping[tuple[str, str], float]  # (entry, expert) → probability, pairs above zero

    def probability_summary(self) -> dict[str, object]:
        """Counts of pairs by probability, for the draw record (the marginals can be millions)."""
        cap = self.effective_max_probability
        buckets = [0.1 * step for step in range(1, 11)]
        histogram: dict[str, int] = {}
        for upper in buckets:
            histogram[f"<={upper:.1f}"] = 0
        for probability in self.marginals.values():
            for upper in buckets:
                if probability <= upper + 1e-12:
                    histogram[f"<={upper:.1f}"] += 1
                    break
        return {
            "pairs_with_positive_probability": len(self.marginals),
            "pairs_at_cap": sum(1 for p in self.marginals.values() if abs(p - cap) < 1e-12),
            "pairs_certain": sum(1 for p in self.marginals.values() if p >= 1 - 1e-12),
            "largest": max(self.marginals.values(), default=0.0),
            "histogram": histogram,
        }


@dataclass(frozen=True)
class AssignmentResult:
    """The panels, their alternates and explanations, and how they were found."""

    assignments: tuple[Assignment, ...]  # by entry (input order), best score first
    alternates: tuple[Alternate, ...]
    explanations: tuple[EntryExplanation, ...]
    loads: Mapping[str, int]  # expert → number of entries (every known expert, zeros included)
    entry_totals: Mapping[str, float]
    solver: str
    optimal: bool  # False when a time limit stopped SCIP first, or SCIP was not run over every pair
    seconds: float
    draw: RandomDraw | None = None
    bound: float | None = None  # an upper bound on the total when one is known (the LP's on the MIP path)
    weakest_bound: float | None = None  # fair mode at scale: an upper bound on the weakest entry's total

    @property
    def total(self) -> float:
        """Sum of the affinity of every assigned pair."""
        return math.fsum(assignment.score for assignment in self.assignments)

    @property
    def min_entry_total(self) -> float:
        """The weakest entry's total affinity."""
        return min(self.entry_totals.values(), default=0.0)

    @property
    def mean_entry_total(self) -> float:
        """The mean entry total affinity."""
        return self.total / len(self.entry_totals) if self.entry_totals else 0.0

    @property
    def experts_used(self) -> int:
        """How many experts sit on at least one panel."""
        return sum(1 for load in self.loads.values() if load)


@dataclass(frozen=True)
class Group:
    """The candidate pairs of one entry whose expert counts toward one quota rule."""

    rule: QuotaRule
    pairs: tuple[int, ...]


@dataclass(frozen=True)
class Instance:
    """The solvers' integer form of a problem (internal): pairs are rows of parallel arrays."""

    entries: tuple[str, ...]
    experts: tuple[str, ...]
    pair_entry: array[int]
    pair_expert: array[int]
    pair_score: array[float]
    forced: frozenset[int]  # pair indexes
    by_entry: tuple[tuple[int, ...], ...]  # candidate pairs of each entry, best score first
    by_expert: tuple[tuple[int, ...], ...]
    groups: tuple[tuple[Group, ...], ...]  # quota groups of each entry
    per_entry: int
    min_load: int
    max_load: int

    @property
    def has_quotas(self) -> bool:
        """Whether any entry has a quota rule."""
        return any(self.groups)

    def overlapping_group(self) -> tuple[int, int] | None:
        """An (entry, pair) where one expert counts toward two quota rules, or None.

        Min-cost flow models quotas only when each entry's groups are disjoint (one node per group);
        an overlap needs the MIP.
        """
        for entry, groups in enumerate(self.groups):
            seen: set[int] = set()
            for group in groups:
                for pair in group.pairs:
                    if pair in seen:
                        return entry, pair
                    seen.add(pair)
        return None

    def pair_name(self, pair: int) -> str:
        """``E1–X3`` for messages."""
        return f"{self.entries[self.pair_entry[pair]]}–{self.experts[self.pair_expert[pair]]}"


def compile_problem(problem: AssignmentProblem) -> Instance:
    """The integer form of ``problem``; raises InfeasibleError for contradictions in the input itself.

    Raises ValueError for malformed input (non-positive K, a repeated pair, a score that is not finite).
    """
    _check_parameters(problem)
    entry_index: dict[str, int] = {}
    expert_index: dict[str, int] = {}
    pair_entry: array[int] = array("i")
    pair_expert: array[int] = array("i")
    pair_score: array[float] = array("d")
    conflicts = set(problem.conflicts)
    forced = set(problem.forced)
    forced_index: dict[tuple[str, str], int] = {}
    # This loop runs once per score (millions): integer keys and local names keep it to ~1 µs a row.
    seen: set[int] = set()
    isfinite = math.isfinite
    for entry, expert, score in problem.scores:
        e = entry_index.get(entry)
        if e is None:
            e = entry_index[entry] = len(entry_index)
        x = expert_index.get(expert)
        if x is None:
            x = expert_index[expert] = len(expert_index)
        key = (e << 32) | x
        if key in seen:
            raise MalformedProblem(
                Message.of(N_("pair %(entry)s–%(expert)s has two scores"), entry=entry, expert=expert)
            )
        seen.add(key)
        if not isfinite(score):
            raise MalformedProblem(
                Message.of(
                    N_("pair %(entry)s–%(expert)s: score %(score)s is not a finite number"),
                    entry=entry,
                    expert=expert,
                    score=repr(score),
                )
            )
        if conflicts and (entry, expert) in conflicts:
            continue
        if forced and (entry, expert) in forced:
            forced_index[entry, expert] = len(pair_score)
        pair_entry.append(e)
        pair_expert.append(x)
        pair_score.append(score)
    del seen
    reasons: list[Message] = []
    forced_pairs: set[int] = set()
    for entry, expert in sorted(forced):
        if (entry, expert) in conflicts:
            reasons.append(
                Message.of(
                    N_(
                        "forced assignment %(entry)s–%(expert)s conflicts: "
                        "a conflict of interest is declared for this pair"
                    ),
                    entry=entry,
                    expert=expert,
                )
            )
            continue
        pair = forced_index.get((entry, expert))
        if pair is None:
            # A coordinator's decision needs no score; it counts as 0 in the totals.
            pair = len(pair_score)
            pair_entry.append(entry_index.setdefault(entry, len(entry_index)))
            pair_expert.append(expert_index.setdefault(expert, len(expert_index)))
            pair_score.append(0.0)
        forced_pairs.add(pair)
    if reasons:
        raise InfeasibleError(reasons)
    entries = tuple(entry_index)
    experts = tuple(expert_index)
    by_entry_lists: list[list[int]] = [[] for _ in entries]
    by_expert_lists: list[list[int]] = [[] for _ in experts]
    for pair, (e, x) in enumerate(zip(pair_entry, pair_expert, strict=True)):
        by_entry_lists[e].append(pair)
        by_expert_lists[x].append(pair)
    for pairs in by_entry_lists:
        # Best first; the sort is stable, so ties keep the input's order and runs repeat exactly.
        pairs.sort(key=pair_score.__getitem__, reverse=True)
    by_entry = tuple(tuple(pairs) for pairs in by_entry_lists)
    groups = _quota_groups(problem, entries, experts, by_entry, pair_expert)
    return Instance(
        entries=entries,
        experts=experts,
        pair_entry=pair_entry,
        pair_expert=pair_expert,
        pair_score=pair_score,
        forced=frozenset(forced_pairs),
        by_entry=by_entry,
        by_expert=tuple(tuple(pairs) for pairs in by_expert_lists),
        groups=groups,
        per_entry=problem.per_entry,
        min_load=problem.min_load,
        max_load=problem.max_load,
    )


def _check_parameters(problem: AssignmentProblem) -> None:
    def refuse(template: str, **params: Message | str | int | float) -> MalformedProblem:
        return MalformedProblem(Message.of(template, **params))

    if problem.per_entry < 1:
        raise refuse(N_("experts per entry must be at least 1, not %(count)s"), count=problem.per_entry)
    if problem.max_load < 1:
        raise refuse(N_("max load must be at least 1, not %(count)s"), count=problem.max_load)
    if not 0 <= problem.min_load <= problem.max_load:
        raise refuse(
            N_("min load %(low)s must be between 0 and the max load %(high)s"),
            low=problem.min_load,
            high=problem.max_load,
        )
    for rule in problem.quotas.default + tuple(r for rs in problem.quotas.per_entry.values() for r in rs):
        if rule.minimum < 0 or (rule.maximum is not None and rule.maximum < rule.minimum):
            raise refuse(
                N_("quota %(quota)s: min %(low)s, max %(high)s is not a range"),
                quota=rule.name,
                low=rule.minimum,
                # A quantity; without a maximum, a dash rather than "None".
                high=rule.maximum if rule.maximum is not None else "—",
            )
        if not rule.values:
            raise refuse(N_("quota on %(attribute)s names no value"), attribute=repr(rule.attribute))


def _quota_groups(
    problem: AssignmentProblem,
    entries: tuple[str, ...],
    experts: tuple[str, ...],
    by_entry: tuple[tuple[int, ...], ...],
    pair_expert: array[int],
) -> tuple[tuple[Group, ...], ...]:
    if problem.quotas.empty:
        return tuple(() for _ in entries)
    # Rules repeat across entries (the default ones always do): resolve each rule once.
    members: dict[QuotaRule, frozenset[int]] = {}
    groups: list[tuple[Group, ...]] = []
    for e, entry in enumerate(entries):
        entry_groups = []
        for rule in problem.quotas.rules_for(entry):
            if rule.minimum == 0 and rule.maximum is None:
                continue  # binds nothing
            if rule not in members:
                members[rule] = frozenset(
                    x
                    for x, expert in enumerate(experts)
                    if rule.matches(problem.attributes.get(expert, {}).get(rule.attribute, frozenset()))
                )
            matching = members[rule]
            entry_groups.append(Group(rule, tuple(p for p in by_entry[e] if pair_expert[p] in matching)))
        groups.append(tuple(entry_groups))
    return tuple(groups)


def precheck(instance: Instance, mode: Mode, max_probability: float) -> list[Message]:
    """Every constraint that obviously cannot be met, each named in a sentence (empty: none found).

    These are counting arguments, so they are fast and exact in what they say; an instance that passes
    can still be infeasible, which the solver then reports.
    """
    reasons: list[Message] = []
    say = Message.of
    k, low, high = instance.per_entry, instance.min_load, instance.max_load
    cap = max_probability if mode is Mode.RANDOM else 1.0
    forced_by_entry = [0] * len(instance.entries)
    forced_by_expert = [0] * len(instance.experts)
    for pair in instance.forced:
        forced_by_entry[instance.pair_entry[pair]] += 1
        forced_by_expert[instance.pair_expert[pair]] += 1
    for e, entry in enumerate(instance.entries):
        candidates = len(instance.by_entry[e])
        if forced_by_entry[e] > k:
            reasons.append(
                say(
                    N_("entry %(entry)s has %(forced)s forced experts, %(k)s required"),
                    entry=entry,
                    forced=forced_by_entry[e],
                    k=k,
                )
            )
        elif candidates < k:
            reasons.append(
                say(
                    N_("entry %(entry)s has only %(count)s experts without conflicts, %(k)s required"),
                    entry=entry,
                    count=candidates,
                    k=k,
                )
            )
        elif cap < 1 and forced_by_entry[e] + (candidates - forced_by_entry[e]) * cap < k - 1e-9:
            free = candidates - forced_by_entry[e]
            reasons.append(
                say(
                    N_(
                        "entry %(entry)s: with max probability %(cap)s its %(count)s candidates give at most "
                        "%(most)s of the %(k)s experts required"
                    ),
                    entry=entry,
                    cap=cap,
                    count=free,
                    most=free * cap,
                    k=k - forced_by_entry[e],
                )
            )
    for x, expert in enumerate(instance.experts):
        candidates = len(instance.by_expert[x])
        if forced_by_expert[x] > high:
            reasons.append(
                say(
                    N_("expert %(expert)s is forced onto %(count)s entries, beyond max load %(high)s"),
                    expert=expert,
                    count=forced_by_expert[x],
                    high=high,
                )
            )
        elif candidates < low:
            reasons.append(
                say(
                    N_(
                        "expert %(expert)s has only %(count)s entries without conflicts, "
                        "below min load %(low)s"
                    ),
                    expert=expert,
                    count=candidates,
                    low=low,
                )
            )
        elif cap < 1 and forced_by_expert[x] + (candidates - forced_by_expert[x]) * cap < low - 1e-9:
            reasons.append(
                say(
                    N_(
                        "expert %(expert)s: with max probability %(cap)s its %(count)s entries give at most "
                        "%(most)s of min load %(low)s"
                    ),
                    expert=expert,
                    cap=cap,
                    count=candidates,
                    most=forced_by_expert[x] + (candidates - forced_by_expert[x]) * cap,
                    low=low,
                )
            )
    needed = k * len(instance.entries)
    experts = len(instance.experts)
    if high * experts < needed:
        reasons.append(
            say(
                N_(
                    "total capacity %(capacity)s (max load %(high)s × %(experts)s experts) < "
                    "%(needed)s needed (%(entries)s entries × %(k)s)"
                ),
                capacity=high * experts,
                high=high,
                experts=experts,
                needed=needed,
                entries=len(instance.entries),
                k=k,
            )
        )
    if low * experts > needed:
        reasons.append(
            say(
                N_(
                    "min load %(low)s × %(experts)s experts = %(total)s > %(needed)s slots "
                    "(%(entries)s entries × %(k)s)"
                ),
                low=low,
                experts=experts,
                total=low * experts,
                needed=needed,
                entries=len(instance.entries),
                k=k,
            )
        )
    reasons.extend(_quota_reasons(instance, cap))
    return reasons


def _quota_reasons(instance: Instance, cap: float) -> list[Message]:
    reasons: list[Message] = []
    say = Message.of
    k = instance.per_entry
    for e, groups in enumerate(instance.groups):
        entry = instance.entries[e]
        candidates = len(instance.by_entry[e])
        for group in groups:
            rule = group.rule
            forced = sum(1 for p in group.pairs if p in instance.forced)
            if rule.minimum > k:
                reasons.append(
                    say(
                        N_("quota %(quota)s for entry %(entry)s needs %(count)s experts, %(k)s per entry"),
                        quota=rule.name,
                        entry=entry,
                        count=rule.minimum,
                        k=k,
                    )
                )
            elif not group.pairs and rule.minimum:
                reasons.append(
                    say(
                        N_(
                            "quota %(quota)s for entry %(entry)s: no eligible expert has %(quota)s "
                            "(among its %(count)s candidates without conflicts)"
                        ),
                        quota=rule.name,
                        entry=entry,
                        count=candidates,
                    )
                )
            elif len(group.pairs) < rule.minimum:
                reasons.append(
                    say(
                        N_(
                            "quota %(quota)s for entry %(entry)s: only %(count)s eligible experts, "
                            "%(minimum)s required"
                        ),
                        quota=rule.name,
                        entry=entry,
                        count=len(group.pairs),
                        minimum=rule.minimum,
                    )
                )
            elif forced + (len(group.pairs) - forced) * cap < rule.minimum - 1e-9:
                reasons.append(
                    say(
                        N_(
                            "quota %(quota)s for entry %(entry)s: with max probability %(cap)s its "
                            "%(count)s eligible experts give at most %(most)s of %(minimum)s"
                        ),
                        quota=rule.name,
                        entry=entry,
                        cap=cap,
                        count=len(group.pairs),
                        most=forced + (len(group.pairs) - forced) * cap,
                        minimum=rule.minimum,
                    )
                )
            if rule.maximum is not None and forced > rule.maximum:
                reasons.append(
                    say(
                        N_(
                            "quota %(quota)s for entry %(entry)s: %(count)s forced experts exceed "
                            "its max %(maximum)s"
                        ),
                        quota=rule.name,
                        entry=entry,
                        count=forced,
                        maximum=rule.maximum,
                    )
                )
        disjoint = len({p for group in groups for p in group.pairs}) == sum(len(g.pairs) for g in groups)
        if disjoint and sum(group.rule.minimum for group in groups) > k:
            wanted = [
                say(N_("%(quota)s ≥ %(minimum)s"), quota=g.rule.name, minimum=g.rule.minimum)
                for g in groups
                if g.rule.minimum
            ]
            reasons.append(
                say(
                    N_("quotas for entry %(entry)s need %(count)s experts (%(wanted)s), %(k)s per entry"),
                    entry=entry,
                    count=sum(g.rule.minimum for g in groups),
                    wanted=Message.join(wanted, ", "),
                    k=k,
                )
            )
    return reasons

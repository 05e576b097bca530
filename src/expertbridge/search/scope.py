"""What of each expert a viewer's search may look at: the index fields of the levels they see.

Most viewers see the same levels on every profile.  A coordinator sees every level on the experts
of their own side and only their clearance on the others, so their queries are built twice: over
all levels for their side's experts, over their clearance for everyone else.  Each expert matches
exactly one of the two halves, so scores and counts stay those of a single query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import tantivy

from expertbridge.registry.visibility import LEVELS, Viewer, side_levels, visible_levels
from expertbridge.search.index import ExpertIndex

Build = Callable[[tuple[str, ...]], tantivy.Query]


@dataclass(frozen=True)
class Scope:
    """The levels a viewer sees on every expert, and on the experts of their own side."""

    levels: tuple[str, ...]
    side: str | None = None
    side_levels: tuple[str, ...] = ()


def scope_of(viewer: Viewer) -> Scope:
    """The search scope of ``viewer``.

    >>> scope_of(Viewer("partner")).levels
    ('public', 'partners')
    >>> scope_of(Viewer("coordinator", city="Moscow")).side_levels[-1]
    'private'
    """
    levels = visible_levels(viewer)
    side = side_levels(viewer)
    if side is None:
        return Scope(levels)
    return Scope(levels, side[0], LEVELS)


def _halves(index: ExpertIndex, scope: Scope) -> tuple[tantivy.Query, tantivy.Query]:
    """(experts of the viewer's side, everyone else) as index queries."""
    own = index.any_of("side", [scope.side or ""])
    others = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, own)]
    )
    return own, others


def scoped(index: ExpertIndex, scope: Scope, build: Build) -> tantivy.Query:
    """``build(levels)`` over the levels each expert shows the viewer."""
    if scope.side is None:
        return build(scope.levels)
    own, others = _halves(index, scope)
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, _both(build(scope.side_levels), own)),
            (tantivy.Occur.Should, _both(build(scope.levels), others)),
        ]
    )


def scoped_value(index: ExpertIndex, scope: Scope, field_name: str, values: list[str]) -> tantivy.Query:
    """Experts with any of ``values`` in ``field_name`` where they show it to the viewer."""
    return scoped(index, scope, lambda levels: index.any_value(field_name, values, levels))


def _both(query: tantivy.Query, restriction: tantivy.Query) -> tantivy.Query:
    # The restriction only filters: boosted by zero, it adds nothing to the score.
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, query), (tantivy.Occur.Must, tantivy.Query.boost_query(restriction, 0.0))]
    )


def scoped_facets(
    index: ExpertIndex,
    scope: Scope,
    query: tantivy.Query,
    fields: Iterable[str],
    size: int = 20,
    *,
    count: bool = True,
) -> tuple[dict[str, list[tuple[str, int]]], int | None]:
    """Facet counts over ``query`` of the values each expert shows the viewer (the ``size`` most
    frequent of each field), and the number of experts ``query`` matches (None unless ``count``)."""
    wanted = list(fields)
    if scope.side is None:
        return index.facets(query, wanted, scope.levels, size, count=count)
    own, others = _halves(index, scope)
    merged: dict[str, dict[str, int]] = {name: {} for name in wanted}
    total = 0
    for restriction, levels in ((own, scope.side_levels), (others, scope.levels)):
        counts, found = index.facets(_both(query, restriction), wanted, levels, size, count=count)
        total += found or 0
        for name, buckets in counts.items():
            for value, experts in buckets:
                merged[name][value] = merged[name].get(value, 0) + experts
    ordered = {
        name: sorted(values.items(), key=lambda item: (-item[1], item[0]))[:size]
        for name, values in merged.items()
    }
    return ordered, total if count else None

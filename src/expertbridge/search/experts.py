"""Expert lists and search: one entry point for the registry page, the API, the CLI and matching.

Everything is answered by the search index: the ranking, the total, the facet counts and the
filters.  Visibility is one more filter, applied inside the index query, so an expert the viewer may
not see is never ranked, counted or shown.  A query is read both as words and as a name: people
whose names match come first (with the names engine's explanation), then the experts whose
profiles match the words, best first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import tantivy

from expertbridge.names.score import NameExplanation
from expertbridge.registry.places import counterpart_city
from expertbridge.registry.records import ExpertRecord, OpportunityRecord
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import Viewer, visible_statuses
from expertbridge.search.document import contact_key
from expertbridge.search.index import CONTACT_FIELD, Clause, ExpertIndex
from expertbridge.search.names import NameMatch, find_by_name
from expertbridge.search.query import AnalysedQuery, analyse_query, relevance
from expertbridge.search.scope import scope_of, scoped, scoped_facets, scoped_value
from expertbridge.search.semantic import CANDIDATES, Reranking

# Facet name (as pages and the API call it) → index field.
FACETS = {
    "sector": "area",
    "subsector": "subsector",
    "city": "city",
    "country": "country",
    "organization_type": "organization_type",
    "language": "language",
    "status": "status",
}
# A query typed in the search box counts as a name only when it matches one well; a query given
# as a name (?name=) is looked up with more tolerance.
NAME_MATCH_FLOOR = 0.75
NAME_ONLY_FLOOR = 0.6
NAME_MATCHES = 100
# Threads that count and facet a query's matches while the caller ranks them (see list_experts).
_COUNTING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="expertbridge-counts")


@dataclass(frozen=True)
class ExpertFilters:
    """What a list of experts is narrowed to; empty means no restriction."""

    query: str = ""
    name: str = ""
    sector: str = ""
    city: str = ""
    organization_type: str = ""
    language: str = ""
    country: str = ""
    status: str = ""


@dataclass
class ExpertPage:
    """One page of a list, the total count, and facet counts over the whole filtered list."""

    ids: list[int]
    total: int
    # Relevance in [0, 1], never rising down the list: a contact match 1, a name match its score,
    # a profile its score relative to the best one (under the last exact match's score).
    scores: dict[int, float] = field(default_factory=dict)
    # Why an expert matched by name: expert id → explanation.
    name_matches: dict[int, NameExplanation] = field(default_factory=dict)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    query: AnalysedQuery | None = None


def _must(queries: list[tantivy.Query], restrict: Sequence[Clause] = ()) -> tantivy.Query:
    """Experts matching every one of ``queries`` and the ``restrict`` clauses."""
    clauses = [(tantivy.Occur.Must, query) for query in queries] + list(restrict)
    if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
        clauses.insert(0, (tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses)


def restrictions(index: ExpertIndex, viewer: Viewer, filters: ExpertFilters) -> list[Clause]:
    """The exact filters, visibility first, as clauses every result must satisfy.

    A filter matches a value only where the viewer may see it: an expert whose city is hidden
    from the viewer is not found by filtering on that city.
    """
    scope = scope_of(viewer)
    clauses = []
    statuses = visible_statuses(viewer)
    if statuses is not None:
        clauses.append(index.status_clause(statuses))
    elif filters.status:
        clauses.append(index.status_clause([filters.status]))
    if filters.sector:
        node = load_taxonomy().nodes.get(filters.sector)
        field_name = "area" if node is not None and node.parent is None else "subsector"
        clauses.append((tantivy.Occur.Must, scoped_value(index, scope, field_name, [filters.sector])))
    for field_name in ("city", "country", "organization_type", "language"):
        if value := getattr(filters, field_name):
            clauses.append((tantivy.Occur.Must, scoped_value(index, scope, field_name, [value])))
    return clauses


Facets = dict[str, list[tuple[str, int]]]


def _facets(
    index: ExpertIndex, viewer: Viewer, query: tantivy.Query, *, count: bool = True
) -> tuple[Facets, int]:
    """Facet counts over every expert ``query`` matches, and how many it matches (0 unless
    ``count``: the caller counts them in its ranked search)."""
    wanted = dict(FACETS)
    if visible_statuses(viewer) is not None:
        del wanted["status"]  # one value only: nothing to choose from
    counted, total = scoped_facets(index, scope_of(viewer), query, wanted.values(), count=count)
    facets = {name: counted[field_name] for name, field_name in wanted.items()}
    # Areas keep the programme's order; the other facets are most frequent first.
    areas = dict(facets["sector"])
    facets["sector"] = [
        (node.code, areas[node.code]) for node in load_taxonomy().top_level if node.code in areas
    ]
    return facets, total or 0


# Each filter and the facets it narrows.  Those facets are counted without it: their links replace
# its value, so each count is what its link shows.  (The sub-sectors of a selected sub-sector are
# counted within its area: see _filtered_facets.)
_OWN_FACETS = {
    "sector": ("sector",),
    "city": ("city",),
    "country": ("country",),
    "organization_type": ("organization_type",),
    "language": ("language",),
    "status": ("status",),
}


def _filtered_facets(
    index: ExpertIndex,
    viewer: Viewer,
    filters: ExpertFilters,
    matching: Callable[[list[Clause]], tantivy.Query],
    *,
    count: bool = True,
) -> tuple[Facets, int]:
    """Facet counts over what ``matching`` finds under ``filters`` (each facet without its own
    filter), and how many it finds (0 unless ``count``)."""
    facets, total = _facets(index, viewer, matching(restrictions(index, viewer, filters)), count=count)
    for name, narrowed in _OWN_FACETS.items():
        if getattr(filters, name):
            others = restrictions(index, viewer, replace(filters, **{name: ""}))
            counted, _ = _facets(index, viewer, matching(others), count=False)
            facets.update({facet: counted[facet] for facet in narrowed if facet in facets})
    node = load_taxonomy().nodes.get(filters.sector) if filters.sector else None
    if node is not None and node.parent is not None and "subsector" in facets:
        # A sub-sector is chosen among its area's: they are counted within the area.
        area = restrictions(index, viewer, replace(filters, sector=node.parent))
        facets["subsector"] = _facets(index, viewer, matching(area), count=False)[0]["subsector"]
    return facets, total


def _name_matches(
    index: ExpertIndex,
    viewer: Viewer,
    filters: ExpertFilters,
    restrict: list[Clause],
    analysed: AnalysedQuery | None,
) -> list[NameMatch]:
    """Experts matching the query (or the name) as a name, best first, among the allowed ones."""
    name = filters.name or filters.query
    if not name.strip():
        return []
    if not filters.name and analysed is not None and not analysed.may_be_a_name():
        return []  # a request or a subject, not a person: spare the name lookup
    floor = NAME_ONLY_FLOOR if filters.name else NAME_MATCH_FLOOR
    found = [match for match in find_by_name(index, name, viewer, top=NAME_MATCHES) if match.score >= floor]
    if not found or not restrict:
        return found
    allowed_query = _must([index.with_ids(match.expert_id for match in found)], restrict)
    allowed = {expert_id for expert_id, _ in index.search(allowed_query, len(found)).ranked}
    return [match for match in found if match.expert_id in allowed]


def _contact_matches(index: ExpertIndex, viewer: Viewer, query: str, restrict: list[Clause]) -> list[int]:
    """Experts whose contact item is exactly the query (an e-mail address, a phone number), where
    the viewer may see that item: a hidden address finds nobody."""
    key = contact_key(query)
    if not key:
        return []
    found = scoped_value(index, scope_of(viewer), CONTACT_FIELD, [key])
    return [expert_id for expert_id, _ in index.search(_must([found], restrict), NAME_MATCHES).ranked]


def list_experts(
    index: ExpertIndex,
    viewer: Viewer,
    filters: ExpertFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    with_facets: bool = True,
    reranking: Reranking | None = None,
) -> ExpertPage:
    """A page of the experts the viewer may see: newest first, or best first for a query.

    ``reranking``: blend in semantic similarity for the best candidates (see search/semantic.py).
    """
    page = max(page, 1)
    start, end = (page - 1) * per_page, page * per_page
    restrict = restrictions(index, viewer, filters)
    if not filters.query.strip() and not filters.name.strip():
        hits = index.search(_must([], restrict), per_page, offset=start, newest=True, count=not with_facets)
        if with_facets:
            facets, total = _filtered_facets(index, viewer, filters, lambda clauses: _must([], clauses))
        else:
            facets, total = {}, hits.total
        return ExpertPage(ids=[i for i, _ in hits.ranked], total=total, facets=facets)

    analysed = analyse_query(filters.query) if filters.query.strip() else None
    named = _name_matches(index, viewer, filters, restrict, analysed)
    scope = scope_of(viewer)
    words = None
    if analysed is not None and not analysed.empty:
        words = scoped(index, scope, lambda levels: relevance(index, analysed, levels=levels))
    contacted = _contact_matches(index, viewer, filters.query, restrict)
    named = [match for match in named if match.expert_id not in contacted]
    exact = [*contacted, *(match.expert_id for match in named)]
    alternatives = [(tantivy.Occur.Should, index.with_ids(exact))] if exact else []
    if words is not None:
        alternatives.append((tantivy.Occur.Should, words))
    if not alternatives:
        return ExpertPage(ids=[], total=0, facets={}, query=analysed)

    def matching_under(clauses: list[Clause]) -> tantivy.Query:
        return _must([tantivy.Query.boolean_query(alternatives)], clauses)

    matching = matching_under(restrict)

    ranked = [(expert_id, 1.0) for expert_id in contacted]
    ranked += [(match.expert_id, match.score) for match in named]
    if words is not None:
        # The text ranking after the exact matches, which the ranked search also finds (and
        # counts): fetch enough to fill the window past them.
        wanted = end + len(exact)
        # Facets are counted in another thread while this one ranks and counts the matches: both
        # passes over the index let go of the interpreter lock, so they overlap on two cores
        # (2–5 ms less per query at 1M), and the total is counted in the shorter of the two.
        counting = (
            _COUNTING.submit(_filtered_facets, index, viewer, filters, matching_under, count=False)
            if with_facets
            else None
        )
        hits = index.search(matching, max(wanted, CANDIDATES) if reranking else wanted)
        best = next((score for i, score in hits.ranked if i not in exact), 1.0)
        by_words = [(i, score / best) for i, score in hits.ranked if i not in exact]
        if reranking:
            by_words = reranking.apply(filters.query, by_words)
        # Word matches come after the exact ones: their scores are scaled under the last exact
        # match's, so that scores never rise down the list.
        ceiling = ranked[-1][1] if ranked else 1.0
        ranked += [(i, round(score * ceiling, 4)) for i, score in by_words]
        facets, total = (counting.result()[0] if counting else {}), hits.total
    elif with_facets:
        facets, total = _filtered_facets(index, viewer, filters, matching_under)
    else:
        facets, total = {}, len(exact)
    window = ranked[start:end]
    by_name = {match.expert_id: match for match in named}
    return ExpertPage(
        ids=[expert_id for expert_id, _ in window],
        total=total,
        scores=dict(window),
        name_matches={i: by_name[i].why for i, _ in window if i in by_name},
        facets=facets,
        query=analysed,
    )


def experts_for_text(
    index: ExpertIndex,
    viewer: Viewer,
    text: str,
    *,
    filters: ExpertFilters | None = None,
    languages: tuple[str, ...] = (),
    exclude: tuple[int, ...] = (),
    limit: int = 10,
    reranking: Reranking | None = None,
) -> ExpertPage:
    """The experts whose profiles best match a whole text (an opportunity, a profile, a paper).

    ``languages``: keep only experts who speak one of them; ``exclude``: experts to leave out
    (the expert whose profile the text is, for "experts like this one").
    """
    analysed = analyse_query(text, document=True)
    if analysed.empty:
        return ExpertPage(ids=[], total=0, query=analysed)
    scope = scope_of(viewer)
    queries = [scoped(index, scope, lambda levels: relevance(index, analysed, levels=levels))]
    if languages:
        queries.append(scoped_value(index, scope, "language", list(languages)))
    restrict = restrictions(index, viewer, filters or ExpertFilters())
    if exclude:
        restrict.append((tantivy.Occur.MustNot, index.with_ids(exclude)))
    query = _must(queries, restrict)
    hits = index.search(query, max(limit, CANDIDATES) if reranking else limit)
    best = hits.ranked[0][1] if hits.ranked else 1.0
    ranked = [(expert_id, round(score / best, 4)) for expert_id, score in hits.ranked]
    if reranking is not None:
        ranked = reranking.apply(text, ranked)
    ranked = ranked[:limit]
    return ExpertPage(
        ids=[expert_id for expert_id, _ in ranked], total=hits.total, scores=dict(ranked), query=analysed
    )


def profile_text(record: ExpertRecord) -> str:
    """The words of a profile (keywords and biographies), as a query."""
    return "\n".join([*(text for text, _ in record.expertise), *(text for _, text in record.bios)])


def opportunity_text(record: OpportunityRecord) -> str:
    """Title and description of an opportunity in all its languages, as a query."""
    return "\n".join(f"{text.title}\n{text.description or ''}" for text in record.texts.values())


def experts_like(
    index: ExpertIndex,
    viewer: Viewer,
    expert_id: int,
    record: ExpertRecord,
    *,
    limit: int = 6,
    reranking: Reranking | None = None,
) -> ExpertPage:
    """Experts like this one: the profiles nearest to what ``viewer`` may see of ``record``."""
    return experts_for_text(
        index, viewer, profile_text(record), exclude=(expert_id,), limit=limit, reranking=reranking
    )


@dataclass(frozen=True)
class OpportunityMatches:
    """Experts for an opportunity, and what they were narrowed to."""

    page: ExpertPage
    counterpart: str | None  # the city the experts were taken from, if narrowed to one
    owner_languages: tuple[str, ...]  # the languages the opportunity is written in

    def needs_interpreter(self, spoken: Iterable[str]) -> bool:
        """Whether an expert speaking ``spoken`` shares no working language with the owner."""
        return not set(spoken) & set(self.owner_languages)


def experts_for_opportunity(
    index: ExpertIndex,
    viewer: Viewer,
    record: OpportunityRecord,
    *,
    counterpart_only: bool = True,
    shared_language: bool = False,
    limit: int = 10,
    reranking: Reranking | None = None,
) -> OpportunityMatches:
    """The experts who best match an opportunity.

    ``counterpart_only``: from the partner city of the opportunity's own (Moscow ↔ Beijing), which
    is what the programme asks for; ``shared_language``: only experts who speak a language the
    opportunity is written in (its owner's working languages).
    """
    counterpart = counterpart_city(record.city) if counterpart_only else None
    owner_languages = tuple(sorted(record.texts))
    page = experts_for_text(
        index,
        viewer,
        opportunity_text(record),
        filters=ExpertFilters(city=counterpart or ""),
        languages=owner_languages if shared_language else (),
        limit=limit,
        reranking=reranking,
    )
    return OpportunityMatches(page, counterpart, owner_languages)

"""Text search over cooperation opportunities, in any of the three languages.

Opportunities are few (tens to a few thousand), so they need no index: a query is analysed as the
experts' search box analyses it (:func:`~expertbridge.search.query.analyse_query`: words, concepts,
the concepts' labels in the other two languages), and each opportunity the viewer may list is
scored against the analysis of its titles and descriptions in every language.  That analysis is
the expert documents' (search/document.py): the same analyser's index terms, the same concept
tagger, the concepts' broader nodes.  It is kept in a bounded LRU keyed by the opportunity's id and
``updated_at`` (every write of an opportunity sets it), and the poster's names by the organization's
id and ``updated_at``, so a list request analyses only what changed since the last one.

The score follows the expert ranking (search/query.py): a concept of the query counts where the
opportunity names it, a narrower concept, the concept just above it, its sub-sector or another
concept of the sub-sector, less and less; words count where they occur, a title above a
description above the poster's name; every part is weighted by how rare it is among the
opportunities listed (as BM25 weighs terms).  Without a shared concept, an opportunity must match
most of the query's words.

Visibility is the list's own: only the opportunities :func:`list_opportunities` gives the viewer
are scored, and the poster's name is searched only where the viewer is shown it (not for an
anonymous opportunity unless the viewer may know who posted it, nor for an organization the
viewer may not see).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from expertbridge.db.models import Opportunity, Organization, OrganizationName
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.catalog import Listing, list_opportunities, visible_organizations
from expertbridge.registry.records import OpportunityRecord
from expertbridge.registry.visibility import Viewer, may_know_anonymous_poster
from expertbridge.search.explain import Explanation, concept_matches
from expertbridge.search.query import (
    BROADER_BOOST,
    CONCEPT_BOOST,
    EXPANSION_BOOST,
    MIN_WORD_SHARE,
    NARROWER_BOOST,
    SIBLING_BOOST,
    SUBSECTOR_BOOST,
    AnalysedQuery,
    QueryTerm,
    analyse_query,
)
from expertbridge.text.analyze import Analyzer, default_analyzer
from expertbridge.text.concepts import ConceptTagger, default_tagger

# A title says what an opportunity is about; its description says more, and more in passing; the
# sectors its poster declared count as a description's concepts; the poster's name says who, not what.
FIELD_WEIGHTS = {"title": 2.0, "description": 1.0, "sectors": 1.0, "organization": 0.5}
# A long Chinese word of the query found only through the shorter words inside it.
PARTS_WEIGHT = 0.5
# Opportunities and organizations whose analysis is kept: more than a registry holds, so a list
# request never analyses an unchanged one twice (measured: 26 MB for 2,000 opportunities in one
# to three languages, so at most about 130 MB when full).
CACHE_ENTRIES = 10_000
# The most opportunities one search scores (the registry holds tens to a few thousand).
MAX_CANDIDATES = 100_000
_BROADER = "^"  # marks a broader concept among an opportunity's features (words hold no "^")


@dataclass(frozen=True)
class FieldTerms:
    """What one field of an opportunity offers a query: its index terms and the concepts it names
    (with their broader nodes)."""

    name: str
    terms: frozenset[str] = frozenset()
    concepts: frozenset[str] = frozenset()
    broader: frozenset[str] = frozenset()
    weight: float = field(init=False)  # how much a match here counts (FIELD_WEIGHTS)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", FIELD_WEIGHTS[self.name])


@dataclass(frozen=True)
class OpportunityTerms:
    """An opportunity's analysed fields, and every term and concept of them at once (a query
    that shares none of them is passed over without looking at each field)."""

    fields: tuple[FieldTerms, ...]
    features: frozenset[str]

    @classmethod
    def of(cls, fields: Iterable[FieldTerms]) -> OpportunityTerms:
        """The fields that hold anything, with their features."""
        kept = tuple(found for found in fields if found.terms or found.concepts)
        features: set[str] = set()
        for found in kept:
            features |= found.terms
            features |= found.concepts
            features.update(_BROADER + code for code in found.broader)
        return cls(kept, frozenset(features))


class AnalysisCache:
    """A bounded least-recently-used map, safe to share between the server's threads."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self._entries = entries
        self._items: OrderedDict[Hashable, OpportunityTerms] = OrderedDict()
        self._lock = threading.Lock()
        self.stored = 0  # entries put, ever: how many analyses were made

    def get_many(self, keys: Sequence[Hashable]) -> list[OpportunityTerms | None]:
        """The entries for ``keys`` (None where missing), each marked as just used."""
        found: list[OpportunityTerms | None] = []
        with self._lock:
            for key in keys:
                item = self._items.get(key)
                if item is not None:
                    self._items.move_to_end(key)
                found.append(item)
        return found

    def put(self, key: Hashable, value: OpportunityTerms) -> None:
        """Keep ``value``, forgetting the least recently used entry when full."""
        with self._lock:
            self.stored += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry (benchmarks measure a cold start with it)."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


# The process's cache: analyses are pure functions of the texts, so every request may share them.
_CACHE = AnalysisCache()


def default_cache() -> AnalysisCache:
    """The process's cache of opportunity analyses."""
    return _CACHE


@dataclass(frozen=True)
class OpportunityFilters:
    """What a list of opportunities is narrowed to; empty means no restriction."""

    query: str = ""
    kind: str = ""
    sector: str = ""
    status: str = ""
    city: str = ""


@dataclass
class OpportunityPage:
    """One page of a list: ids in order, the total, and for a query each one's relevance in
    [0, 1] (relative to the best) and the analysed query (empty: the list was not searched)."""

    ids: list[int]
    total: int
    scores: dict[int, float] = field(default_factory=dict)
    query: AnalysedQuery | None = None


def analyse_opportunity(
    record: OpportunityRecord, analyzer: Analyzer | None = None, tagger: ConceptTagger | None = None
) -> OpportunityTerms:
    """The terms and concepts of an opportunity's titles, descriptions (every language) and
    declared sectors, as search/document.py analyses an expert's keywords and biography."""
    analyzer = analyzer or default_analyzer()
    tagger = tagger or default_tagger()

    def field_of(name: str, texts: Iterable[str], declared: Iterable[str] = ()) -> FieldTerms:
        terms: set[str] = set()
        concepts: set[str] = set(declared)
        for text in texts:
            if not text:
                continue
            analysis = analyzer.analysis(text)
            terms.update(analysis.index_terms)
            concepts.update(tagger.tag(text, analysis))
        broader = {parent for code in concepts for parent in tagger.ancestors(code)}
        return FieldTerms(name, frozenset(terms), frozenset(concepts), frozenset(broader))

    texts = record.texts.values()
    return OpportunityTerms.of(
        (
            field_of("title", (text.title for text in texts)),
            field_of("description", (text.description for text in texts)),
            field_of("sectors", (), record.sectors),
        )
    )


def organization_terms(names: Iterable[str], analyzer: Analyzer | None = None) -> OpportunityTerms:
    """The words of an organization's names (no concepts: a name says who posted, not what about:
    the «Институт искусственного интеллекта» posts calls for accountants too)."""
    analyzer = analyzer or default_analyzer()
    terms = frozenset(term for name in names for term in analyzer.analysis(name).index_terms)
    return OpportunityTerms.of((FieldTerms("organization", terms),))


def _database(session: Session) -> str:
    """Which database a session reads (a cache shared by several must not mix their ids)."""
    bind: Any = session.get_bind()
    url = getattr(bind, "url", None) or bind.engine.url
    return str(url.render_as_string(hide_password=True))


class _Stamp(NamedTuple):
    """What tells whether an opportunity's cached analysis is still its own, and whose names the
    viewer may search with it."""

    updated_at: dt.datetime | None
    owner: int | None  # the poster, when the viewer may search its names (see _stamps)
    owner_version: dt.datetime | None  # the poster's updated_at (its names change with it)


def _stamps(session: Session, viewer: Viewer) -> dict[int, _Stamp]:
    """Every opportunity's version, and whose names ``viewer`` may search with it: the rule of
    the one place that decides (an anonymous opportunity hides its poster from most viewers), and
    the organization must be one the viewer may see."""
    anonymous_shown = may_know_anonymous_poster(viewer)
    organization_seen = visible_organizations(viewer)
    query = select(
        Opportunity.id,
        Opportunity.updated_at,
        Opportunity.anonymous,
        Organization.id,
        Organization.updated_at,
        (organization_seen if organization_seen is not None else true()).label("seen"),
    ).outerjoin(Organization, Organization.id == Opportunity.organization_id)
    # Plain rows, not ORM ones: a list request reads every opportunity's (a third of the time).
    rows = session.connection().execute(query)
    return {
        opportunity_id: _Stamp(
            updated_at,
            owner if owner is not None and seen and (anonymous_shown or not anonymous) else None,
            owner_version,
        )
        for opportunity_id, updated_at, anonymous, owner, owner_version, seen in rows
    }


def _chunks(items: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cached(
    cache: AnalysisCache,
    keys: dict[int, Hashable],
    analyse: Callable[[Sequence[int]], dict[int, OpportunityTerms]],
) -> dict[int, OpportunityTerms]:
    """The analysis of each id in ``keys`` from ``cache``; the missing ones by ``analyse``."""
    ids = list(keys)
    found = dict(zip(ids, cache.get_many([keys[i] for i in ids]), strict=True))
    missing = [i for i, terms in found.items() if terms is None]
    for chunk in _chunks(missing):
        for i, terms in analyse(chunk).items():
            cache.put(keys[i], terms)
            found[i] = terms
    return {i: terms for i, terms in found.items() if terms is not None}


# An opportunity as one viewer may search it: the analysis of its texts, and of its poster's names
# when the viewer may search those (kept apart: the poster's names are the viewer's to search or not).
Searchable = tuple[OpportunityTerms, ...]


def opportunity_analyses(
    session: Session,
    viewer: Viewer,
    ids: Sequence[int],
    cache: AnalysisCache | None = None,
) -> dict[int, Searchable]:
    """What ``viewer`` may search of each opportunity in ``ids``: its texts' analysis, and its
    poster's names where the viewer may search them; unchanged ones from ``cache`` (the
    process's by default)."""
    cache = cache if cache is not None else default_cache()
    database = _database(session)
    stamps = _stamps(session, viewer)
    ids = [i for i in ids if i in stamps]
    texts = _cached(
        cache,
        {i: (database, "opportunity", i, stamps[i].updated_at) for i in ids},
        lambda chunk: {
            i: analyse_opportunity(record) for i, record in read_opportunities(session, chunk).items()
        },
    )
    owners: dict[int, Hashable] = {
        stamp.owner: (database, "organization", stamp.owner, stamp.owner_version)
        for stamp in (stamps[i] for i in ids)
        if stamp.owner is not None
    }

    def names_of(chunk: Sequence[int]) -> dict[int, OpportunityTerms]:
        names: dict[int, list[str]] = {i: [] for i in chunk}
        query = select(OrganizationName.organization_id, OrganizationName.text).where(
            OrganizationName.organization_id.in_(chunk)
        )
        for organization_id, text in session.execute(query):
            names[organization_id].append(text)
        return {i: organization_terms(found) for i, found in names.items()}

    named = _cached(cache, owners, names_of)
    searchable: dict[int, Searchable] = {}
    for i in ids:
        if i in texts:
            owner = stamps[i].owner
            searchable[i] = (texts[i], named[owner]) if owner in named else (texts[i],)
    return searchable


@dataclass(frozen=True)
class _Feature:
    """One thing of the query to look for: a word, a concept or a concept's label in another
    language; ``probe(field)`` is how much it counts in that field (0: not there)."""

    key: str
    probe: Callable[[FieldTerms], float]
    # Features that make an opportunity a match by themselves (concepts and their labels); the
    # words do only together, when enough of them are found.
    alone: bool
    # The opportunity features that may satisfy it (a quick test before probing each field).
    needs: frozenset[str]


def _word_feature(word: QueryTerm) -> _Feature:
    parts = frozenset(word.parts)

    def probe(found: FieldTerms) -> float:
        if word.term in found.terms:
            return 1.0
        if parts and parts <= found.terms:
            return PARTS_WEIGHT
        return 0.0

    return _Feature(f"word:{word.term}", probe, False, frozenset({word.term, *parts}))


def _concept_feature(code: str, tagger: ConceptTagger) -> _Feature:
    """The query's concept, the narrower ones, the one just above, its sub-sector, or another
    concept of its sub-sector, as the expert ranking counts them (search/query.py)."""
    parents = tagger.ancestors(code)
    probes = [("concepts", code, CONCEPT_BOOST), ("broader", code, NARROWER_BOOST)]
    # The area (the last ancestor) is too broad to count: every opportunity of an area would match.
    if len(parents) > 1:
        probes.append(("concepts", parents[0], BROADER_BOOST))
    if len(parents) > 2:
        probes.append(("concepts", parents[-2], SUBSECTOR_BOOST))
    if len(parents) > 1:
        probes.append(("broader", parents[-2], SIBLING_BOOST))

    def probe(found: FieldTerms) -> float:
        for kind, wanted, boost in probes:  # strongest first
            if wanted in (found.concepts if kind == "concepts" else found.broader):
                return boost
        return 0.0

    needs = frozenset(wanted if kind == "concepts" else _BROADER + wanted for kind, wanted, _ in probes)
    return _Feature(f"concept:{code}", probe, True, needs)


def _label_feature(sequence: tuple[str, ...]) -> _Feature:
    """A concept's label in another language, all of its words in one field."""
    wanted = frozenset(sequence)

    def probe(found: FieldTerms) -> float:
        return EXPANSION_BOOST if wanted <= found.terms else 0.0

    return _Feature("label:" + " ".join(sequence), probe, True, wanted)


def _features(query: AnalysedQuery, tagger: ConceptTagger) -> list[_Feature]:
    features = [_word_feature(word) for word in query.terms]
    features += [_concept_feature(code, tagger) for code in query.concepts]
    features += [_label_feature(sequence) for sequence in query.expansions]
    return features


def _idf(candidates: int, matched: int) -> float:
    """BM25's weight of something ``matched`` opportunities out of ``candidates`` have."""
    return math.log(1 + (candidates - matched + 0.5) / (matched + 0.5))


def score_opportunities(
    query: AnalysedQuery,
    analyses: dict[int, Searchable],
    tagger: ConceptTagger | None = None,
) -> dict[int, float]:
    """The score of each opportunity ``query`` matches (the others are left out)."""
    features = _features(query, tagger or default_tagger())
    if not features:
        return {}
    # Which features each term or concept of an opportunity may satisfy: an opportunity is probed
    # for those only (most share nothing, or one word, with a query).
    wanted_by: dict[str, list[int]] = {}
    for number, feature in enumerate(features):
        for need in feature.needs:
            wanted_by.setdefault(need, []).append(number)
    everything = frozenset(wanted_by)
    words = sum(not feature.alone for feature in features)
    needed = max(1, math.ceil(MIN_WORD_SHARE * words))
    # First pass: what each opportunity has of each feature, field by field.
    found: dict[int, list[tuple[int, float]]] = {}
    matched = [0] * len(features)
    for opportunity_id, parts in analyses.items():
        numbers: set[int] = set()
        fields: list[FieldTerms] = []
        for part in parts:
            common = everything & part.features  # the smaller set is walked: the query's
            if common:
                fields.extend(part.fields)
                for need in common:
                    numbers.update(wanted_by[need])
        hits = []
        for number in sorted(numbers):
            probe = features[number].probe
            weight = sum(found_field.weight * probe(found_field) for found_field in fields)
            if weight:
                hits.append((number, weight))
                matched[number] += 1
        if hits:
            found[opportunity_id] = hits
    # Second pass: the rarer a feature among the opportunities listed, the more it counts.
    idf = [_idf(len(analyses), count) for count in matched]
    scores = {}
    for opportunity_id, hits in found.items():
        word_hits = [(number, weight) for number, weight in hits if not features[number].alone]
        alone = [(number, weight) for number, weight in hits if features[number].alone]
        counted = alone + (word_hits if len(word_hits) >= needed else [])
        if counted:
            scores[opportunity_id] = sum(weight * idf[number] for number, weight in counted)
    return scores


def search_opportunities(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    cache: AnalysisCache | None = None,
) -> OpportunityPage:
    """A page of the opportunities the viewer may see under ``filters``: soonest deadline first,
    or for a query the best match first (equal scores by deadline)."""
    page = max(page, 1)

    def listed(number: int, size: int) -> Listing:
        return list_opportunities(
            session,
            viewer,
            kind=filters.kind,
            sector=filters.sector,
            status=filters.status,
            city=filters.city,
            page=number,
            per_page=size,
        )

    analysed = analyse_query(filters.query) if filters.query.strip() else None
    if analysed is None or analysed.empty:
        listing = listed(page, per_page)
        return OpportunityPage(ids=listing.ids, total=listing.total, query=None)
    # Every opportunity the list would show, in its order (the ties' order): the list's own
    # filters and visibility, not a second copy of them.
    candidates = listed(1, MAX_CANDIDATES).ids
    analyses = opportunity_analyses(session, viewer, candidates, cache)
    scores = score_opportunities(analysed, {i: analyses[i] for i in candidates if i in analyses})
    best = max(scores.values(), default=1.0)
    relative = {i: round(score / best, 4) for i, score in scores.items()}
    ranked = sorted((i for i in candidates if i in relative), key=lambda i: -relative[i])
    window = ranked[(page - 1) * per_page : page * per_page]
    return OpportunityPage(
        ids=window, total=len(ranked), scores={i: relative[i] for i in window}, query=analysed
    )


def explain_opportunity(
    query: AnalysedQuery,
    record: OpportunityRecord,
    *,
    analyzer: Analyzer | None = None,
    tagger: ConceptTagger | None = None,
) -> Explanation:
    """What of ``record`` (as the viewer may see it: pass it through
    :func:`~expertbridge.registry.visibility.opportunity_for`) meets ``query``: the shared concepts
    and the words that met, as written, by field ("title", "description", "organization")."""
    analyzer = analyzer or default_analyzer()
    tagger = tagger or default_tagger()
    wanted = {word.term for word in query.terms}
    for word in query.terms:
        wanted.update(word.parts)
    for sequence in query.expansions:
        wanted.update(sequence)
    texts = [("title", text.title) for text in record.texts.values()]
    texts += [("description", text.description) for text in record.texts.values() if text.description]
    texts += [("organization", record.organization)] if record.organization else []
    words: dict[str, list[str]] = {}
    named: set[str] = set(record.sectors)
    for field_name, text in texts:
        prepared = analyzer.prepare(text)
        tokens = analyzer.tokens(prepared)
        for token in tokens:
            if token.term in wanted or (
                token.language == "zh" and wanted & set(analyzer.chinese_parts(token.term))
            ):
                surface = prepared[token.start : token.end]
                if surface not in words.setdefault(field_name, []):
                    words[field_name].append(surface)
        if field_name != "organization":
            named.update(mention.code for mention in tagger.mentions(prepared, tokens))
    return Explanation(
        concepts=concept_matches(query.concepts, named, tagger),
        words={name: tuple(found) for name, found in words.items() if found},
    )

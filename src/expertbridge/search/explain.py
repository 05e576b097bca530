"""Why an expert was found: the concepts and words that met, and a highlighted snippet.

Computed for the experts on the page only (a few dozen), from their registry records, so the index
need not store text.  Snippets are cut from the text that matched, in the language it is written
in, and highlight the words of the profile (in their own inflected form) that met the query.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from expertbridge.registry.records import ExpertRecord
from expertbridge.search.query import AnalysedQuery
from expertbridge.text.analyze import Analyzer, default_analyzer
from expertbridge.text.concepts import ConceptTagger, default_tagger

SNIPPET_CHARS = 180
SNIPPET_LEAD = 50
MAX_CONCEPTS_SHOWN = 5


@dataclass(frozen=True)
class Snippet:
    """A piece of a profile text with the matching words marked: (text, highlighted) pieces."""

    language: str
    segments: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class ConceptMatch:
    """A concept of the query the expert's profile meets: the same, a narrower or a broader one."""

    code: str
    relation: str  # "same", "narrower" (the profile is more specific) or "broader"
    # The profile's concept that met it (``code`` itself when the same, or when not given): what a
    # page shows, with the relation, so that "a broader concept" is said of the concept that is.
    profile_code: str = ""

    def __post_init__(self) -> None:
        if not self.profile_code:
            object.__setattr__(self, "profile_code", self.code)


@dataclass(frozen=True)
class Explanation:
    """The reasons one expert ranks where it does."""

    concepts: tuple[ConceptMatch, ...] = ()
    # Field ("keywords", "bio", "organization") → the profile's words that met, as written there.
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    snippet: Snippet | None = None


def _query_terms(query: AnalysedQuery) -> set[str]:
    terms = {word.term for word in query.terms}
    for word in query.terms:
        terms.update(word.parts)
    for sequence in query.expansions:
        terms.update(sequence)
    return terms


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet_of(text: str, language: str, spans: list[tuple[int, int]]) -> Snippet:
    """The part of ``text`` around its first highlighted span, with ``spans`` marked."""
    spans = _merge(spans)
    start = max(0, spans[0][0] - SNIPPET_LEAD) if spans else 0
    if start and language != "zh":
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text) and language != "zh":
        space = text.rfind(" ", start, end)
        end = space if space > (spans[0][1] if spans else start) else end
    segments: list[tuple[str, bool]] = [("…", False)] if start else []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > position:
            segments.append((text[position:span_start], False))
        segments.append((text[span_start:span_end], True))
        position = span_end
    if position < end:
        segments.append((text[position:end], False))
    if end < len(text):
        segments.append(("…", False))
    return Snippet(language, tuple(segments))


def explain(
    query: AnalysedQuery,
    record: ExpertRecord,
    organization_names: list[str] | None = None,
    *,
    analyzer: Analyzer | None = None,
    tagger: ConceptTagger | None = None,
) -> Explanation:
    """What of ``record`` meets ``query``."""
    analyzer = analyzer or default_analyzer()
    tagger = tagger or default_tagger()
    wanted = _query_terms(query)
    query_concepts = set(query.concepts)
    # The concept just above one of the query's counts partly in the ranking (search/query.py): a
    # profile that names it has that highlighted.  (Its sub-sector counts too, but a word such as
    # "energy" highlighted all over a biography says nothing.)
    query_above = {parent for code in query.concepts for parent in tagger.ancestors(code)[:1]}
    texts: list[tuple[str, str, str]] = [
        ("keywords", language or "", text) for text, language in record.expertise
    ]
    texts += [("bio", language, text) for language, text in record.bios]
    texts += [("organization", "", name) for name in organization_names or []]
    words: dict[str, list[str]] = {}
    profile_concepts: set[str] = set(record.sectors)
    # A snippet in the language the query was typed in reads best, then the one that meets most.
    typed_in = {term.language for term in query.terms}
    best: tuple[tuple[bool, int], Snippet] | None = None
    for field_name, language, text in texts:
        prepared = analyzer.prepare(text)
        tokens = analyzer.tokens(prepared)
        spans = []
        # A whole text as the query (an opportunity, a profile) shares common words with any
        # biography ("joined", "authored"): there only the keywords' words and concepts count.
        words_count = not query.document or field_name != "bio"
        for token in tokens if words_count else ():
            if token.term in wanted or (
                token.language == "zh" and wanted & set(analyzer.chinese_parts(token.term))
            ):
                surface = prepared[token.start : token.end]
                if surface not in words.setdefault(field_name, []):
                    words[field_name].append(surface)
                spans.append((token.start, token.end))
        for mention in tagger.mentions(prepared, tokens):
            profile_concepts.add(mention.code)
            related = {mention.code, *tagger.ancestors(mention.code)}
            if related & query_concepts or mention.code in query_above:
                spans.append((mention.start, mention.end))
        if spans and field_name != "organization":
            written_in = language or max(
                ("ru", "zh", "en"), key=lambda lang: sum(token.language == lang for token in tokens)
            )
            rank = (written_in in typed_in, len(spans))
            if best is None or rank > best[0]:
                best = (rank, snippet_of(prepared, written_in, spans))
    return Explanation(
        concepts=concept_matches(query.concepts, profile_concepts, tagger),
        words={name: tuple(found) for name, found in words.items()},
        snippet=best[1] if best else None,
    )


def concept_matches(
    asked: Iterable[str], named: Collection[str], tagger: ConceptTagger
) -> tuple[ConceptMatch, ...]:
    """How the concepts ``asked`` for meet the concepts a record ``named``: the same, a narrower one
    of the record's, or the concept just above or the sub-sector (as the ranking counts them:
    search/query.py); the most specific first, a handful at most.  Experts and opportunities alike."""
    matches = []
    for code in asked:
        parents = tagger.ancestors(code)
        if not parents:
            continue  # a whole programme area says too little to be a reason
        narrower = [other for other in named if code in tagger.ancestors(other)]
        above = [parent for parent in (*parents[:1], *parents[-2:-1]) if parent in named]
        if code in named:
            matches.append(ConceptMatch(code, "same"))
        elif narrower:
            # The nearest of the record's narrower concepts (the fewest steps below the query's).
            nearest = min(narrower, key=lambda other: (len(tagger.ancestors(other)), other))
            matches.append(ConceptMatch(code, "narrower", nearest))
        elif above:
            matches.append(ConceptMatch(code, "broader", above[0]))
    order = {"same": 0, "narrower": 1, "broader": 2}
    # The most specific shared concepts first (the deepest in the hierarchy).
    matches.sort(key=lambda match: (order[match.relation], -len(tagger.ancestors(match.code))))
    return tuple(matches[:MAX_CONCEPTS_SHOWN])

"""From the words a user typed to the index query that ranks experts.

A query is analysed like a profile (:mod:`expertbridge.text.analyze`) and tagged with the concepts
it mentions.  An expert matches when they share a concept with the query, or most of its words;
the score adds up, with field boosts, BM25 on the words, the concepts (a broader or narrower
concept counts partly), and the query's concepts spelled in the other two languages.

Queries are data: whatever the text (operators, quotes, emoji, ten thousand characters), it only
ever becomes term lookups, so it cannot fail to parse.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import tantivy

from expertbridge.registry.visibility import LEVELS
from expertbridge.search.document import leveled
from expertbridge.search.index import ExpertIndex
from expertbridge.text.analyze import MAX_QUERY_CHARS, Analyzer, default_analyzer
from expertbridge.text.concepts import LANGUAGES, ConceptTagger, default_tagger
from expertbridge.text.stopwords import REQUEST_WORDS

# A keyword the expert chose says more than a word in a biography, which says more than a word in
# the name of their organization.
FIELD_BOOSTS = {"keywords": 3.0, "bio": 1.0, "organization": 0.5}
CONCEPT_BOOST = 4.0  # the expert mentions a concept of the query
NARROWER_BOOST = 2.5  # ... or a narrower one (query "photovoltaics", profile "thin-film cells")
BROADER_BOOST = 1.2  # ... or the concept just above it
SUBSECTOR_BOOST = 0.6  # ... or only the sub-sector it belongs to (declared: "AI" for "machine learning")
# ... or another concept of that sub-sector (a geriatrics request, a profile on healthy ageing): a
# weaker sign than a declared sub-sector.  Measured on the judged collection: cross-language nDCG@10
# 0.896 → 0.898 and recall@10 0.912 → 0.923 (ru→en 0.799 → 0.808, zh→en 0.854 → 0.857), much the
# same from 0.2 to 0.8; at 100,000 demo experts a typed concept's matches grew by 7 % and the median
# latency did not change.
SIBLING_BOOST = 0.3
EXPANSION_BOOST = 1.0  # the query's concept, in another language's words, without being tagged
# Without a shared concept, an expert must match this share of the query's words.
MIN_WORD_SHARE = 0.6
MAX_TERMS = 32
# The longest Chinese name without a middle dot (a two-character surname and a long given name).
MAX_HAN_NAME = 6
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NAME_DOT = re.compile("[·•・‧]")
# A foreign name in characters with its parts apart, as people type it without the middle dot:
# a space (列昂尼德 切廖明), a full-width space, or a full stop (列昂尼德.切廖明).
_HAN_NAME_PARTS = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+(?:[\s.．]+[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+){1,3}"
)
_SENTENCE_PUNCTUATION = re.compile("[，。、；：！？（）;!?()]")  # not the comma of "Surname, Given"
MAX_CONCEPTS = 12
# A whole text as the query (an opportunity, a profile, a paper): its most frequent words count,
# and any one of them may match; BM25 and the concepts do the ranking.
MAX_DOCUMENT_TERMS = 48
MAX_DOCUMENT_CONCEPTS = 24
# A whole text's words are in its own language: at full weight, profiles written in that language
# outranked profiles in the other languages that share the text's concepts, on words such as
# «производство» (measured on the judged collection with every profile in one list: nDCG@10 per
# query language 0.875 / 0.911 / 0.884 → 0.889 / 0.921 / 0.933).  When the text names concepts,
# its words only break ties between experts of similar concepts.
DOCUMENT_WORD_WEIGHT = 0.25


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query; a long Chinese word also matches by the shorter words inside it."""

    term: str
    language: str
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnalysedQuery:
    """A query's words, concepts and cross-language expansions."""

    text: str
    terms: tuple[QueryTerm, ...]
    concepts: tuple[str, ...]
    expansions: tuple[tuple[str, ...], ...]
    # A whole text rather than words typed in a search box: any word may match.
    document: bool = False
    # Every word belongs to a concept's name ("машинное обучение", 地铁信号系统): not a person.
    all_concepts: bool = False

    def may_be_a_name(self) -> bool:
        """Whether the query could be a person's name: a few words, not all of them concepts nor
        (past two) stop words, no sentence punctuation, and in Chinese characters a name's length
        (a foreign name written in characters has its parts joined by a middle dot, or set apart by
        a space or a full stop)."""
        text = self.text.strip()
        if self.document or self.all_concepts or len(text) > 60 or len(text.split()) > 5:
            return False
        if _SENTENCE_PUNCTUATION.search(text):
            return False
        if self.empty and len(text.split()) > 2:
            return False  # «и в на с по»: function words, not a name (though Ли На is one)
        if len(_HAN.findall(text)) <= MAX_HAN_NAME or _NAME_DOT.search(text) is not None:
            return True
        # Words of a topic set apart by spaces (薄膜太阳能电池 研究进展) name a concept; a name does not.
        return not self.concepts and _HAN_NAME_PARTS.fullmatch(text) is not None

    @property
    def empty(self) -> bool:
        """Nothing to look for (only stop words, punctuation or emoji)."""
        return not self.terms and not self.concepts


def analyse_query(
    text: str,
    analyzer: Analyzer | None = None,
    tagger: ConceptTagger | None = None,
    *,
    document: bool = False,
) -> AnalysedQuery:
    """The words and concepts of ``text``: words typed in a search box, or a whole ``document``."""
    analyzer = analyzer or default_analyzer()
    tagger = tagger or default_tagger()
    text = text[: MAX_QUERY_CHARS * (10 if document else 1)]
    tokens = analyzer.tokens(text)
    counts = Counter(token.term for token in tokens if token.term not in REQUEST_WORDS)
    limit = MAX_DOCUMENT_TERMS if document else MAX_TERMS
    # Typed words keep their order; a document keeps its most frequent words.
    chosen = [term for term, _ in counts.most_common(limit)] if document else list(counts)[:limit]
    languages = {token.term: token.language for token in tokens}
    terms = [
        QueryTerm(
            term, languages[term], tuple(analyzer.chinese_parts(term)) if languages[term] == "zh" else ()
        )
        for term in chosen
    ]
    mentions = tagger.mentions(text, tokens)
    # A request names a concept also with a qualifier inside its name («жаропрочные никелевые
    # сплавы» for superalloys), which a concept's listed forms cannot all spell out.
    mentions += tagger.loose_mentions(text, tokens, known={mention.code for mention in mentions})
    if not document:
        # In a few typed words, 地铁 inside 地铁信号系统 is not a second subject: the longest wins.
        mentions = [
            mention
            for mention in mentions
            if not any(
                other.start <= mention.start
                and mention.end <= other.end
                and other.end - other.start > mention.end - mention.start
                for other in mentions
            )
        ]
    mentioned = Counter(mention.code for mention in mentions)
    if any(tagger.ancestors(code) for code in mentioned):
        # A programme area ("transport") matches a tenth of the registry: a query that names
        # anything more specific does not also look for the whole area.
        mentioned = Counter({code: n for code, n in mentioned.items() if tagger.ancestors(code)})
    concepts = [
        code for code, _ in mentioned.most_common(MAX_DOCUMENT_CONCEPTS if document else MAX_CONCEPTS)
    ]
    written_in = {token.language for token in tokens}
    expansions: list[tuple[str, ...]] = []
    if not document:  # a document's concepts are enough; spelling them out would only add noise
        others = [language for language in LANGUAGES if language not in written_in]
        for code in concepts:
            # The labels only: every synonym spelled out costs more time than it finds experts
            # the concepts themselves do not (measured on the judged collection and at 1M).
            for sequence in tagger.forms_terms(code, others, labels_only=True):
                if sequence not in expansions:
                    expansions.append(sequence)
    covered = bool(tokens) and all(
        any(mention.start <= token.start and token.end <= mention.end for mention in mentions)
        for token in tokens
    )
    return AnalysedQuery(text, tuple(terms), tuple(concepts), tuple(expansions), document, covered)


def _term(index: ExpertIndex, field_name: str, term: str, boost: float) -> tantivy.Query:
    query = tantivy.Query.term_query(index.schema, field_name, term)
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


@dataclass(frozen=True)
class _Builder:
    """Builds clauses over the copies of each field the viewer may see (one per visibility level)."""

    index: ExpertIndex
    tagger: ConceptTagger
    levels: tuple[str, ...]

    def term(self, field_name: str, term: str, boost: float) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        return [
            (tantivy.Occur.Should, _term(self.index, leveled(field_name, level), term, boost))
            for level in self.levels
        ]

    def in_text(self, term: str, scale: float = 1.0) -> tantivy.Query:
        """A word anywhere in the profile's text, weighted by field."""
        return tantivy.Query.boolean_query(
            [
                clause
                for name, boost in FIELD_BOOSTS.items()
                for clause in self.term(name, term, boost * scale)
            ]
        )

    def word(self, word: QueryTerm) -> tantivy.Query:
        if not word.parts:
            return self.in_text(word.term)
        inside = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self.in_text(part, 0.5)) for part in word.parts]
        )
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self.in_text(word.term)), (tantivy.Occur.Should, inside)]
        )

    def concept(self, code: str) -> tantivy.Query:
        clauses = self.term("concepts", code, CONCEPT_BOOST) + self.term("broader", code, NARROWER_BOOST)
        parents = self.tagger.ancestors(code)
        # The area (the last ancestor) is too broad to count: every expert of an area would match.
        if len(parents) > 1:
            clauses += self.term("concepts", parents[0], BROADER_BOOST)
        if len(parents) > 2:
            clauses += self.term("concepts", parents[-2], SUBSECTOR_BOOST)
        if len(parents) > 1:
            # Another concept of the same sub-sector (the profile's "broader" field holds the
            # sub-sectors of every concept it names).
            clauses += self.term("broader", parents[-2], SIBLING_BOOST)
        return tantivy.Query.boolean_query(clauses)


def relevance(
    index: ExpertIndex,
    query: AnalysedQuery,
    tagger: ConceptTagger | None = None,
    levels: tuple[str, ...] = LEVELS[:1],
) -> tantivy.Query:
    """The index query that matches and scores experts for ``query``, over the profile fields at
    visibility ``levels`` (what the viewer may see: a hidden field neither matches nor counts)."""
    build = _Builder(index, tagger or default_tagger(), levels)
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if query.terms:
        needed = 1 if query.document else max(1, math.ceil(MIN_WORD_SHARE * len(query.terms)))
        words = [(tantivy.Occur.Should, build.word(word)) for word in query.terms]
        matched = tantivy.Query.boolean_query(words, minimum_number_should_match=needed)
        if query.document and query.concepts:
            matched = tantivy.Query.boost_query(matched, DOCUMENT_WORD_WEIGHT)
        clauses.append((tantivy.Occur.Should, matched))
    for code in query.concepts:
        clauses.append((tantivy.Occur.Should, build.concept(code)))
    for sequence in query.expansions:
        together = [(tantivy.Occur.Must, build.in_text(term, EXPANSION_BOOST)) for term in sequence]
        clauses.append((tantivy.Occur.Should, tantivy.Query.boolean_query(together)))
    if not clauses:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query(clauses)

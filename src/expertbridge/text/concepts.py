"""The trilingual concepts that bridge languages, and tagging text with the concepts it mentions.

Concepts are the programme's areas and sub-sectors (``data/taxonomy.json``) and the science,
technology and industry concepts under them (``data/concepts.json``), each with Russian, Chinese
and English labels and synonyms.  A Russian profile that says «системы сигнализации
метрополитена» and a Chinese request for 地铁信号系统 both mention ``transport.metro.signalling``:
they meet in concept space whatever language they were written in.

Russian and English forms are compared as analysed term sequences (lemmas, stems), so any
inflection matches; Chinese forms are found as substrings of the Chinese runs of the text, which
does not depend on how the segmenter happened to cut them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any

import ahocorasick

if TYPE_CHECKING:
    from expertbridge.text.analyze import Analysis, Analyzer, Token

# Keywords and names repeat across profiles: their tags are cached (biographies are longer).
SHORT_TEXT = 80

LANGUAGES = ("ru", "zh", "en")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# The words of a form that may be an acronym in capitals (IT, ITS, «ПО»): see acronyms().
_ACRONYM_WORD = re.compile(r"[A-Za-z0-9\u0400-\u052f]+")
# Where a concept is mentioned: (start, end, codes), in token or character positions.
_Span = tuple[int, int, frozenset[str]]
# Terms joined by a character no term holds: a phrase then occurs in the joined text exactly where
# its terms follow each other, and one automaton finds every phrase in one pass.
TERM_JOIN = "\x1f"
# The longest name (in words) that a request may write with one more word inside it.
MAX_LOOSE_PHRASE = 4


def joined_terms(terms: Iterable[str]) -> str:
    """``terms`` as one string in which a sequence of terms is a substring."""
    return TERM_JOIN + TERM_JOIN.join(terms) + TERM_JOIN


def split_terms(joined: str) -> tuple[str, ...]:
    """The terms of a :func:`joined_terms` string."""
    return tuple(term for term in joined.split(TERM_JOIN) if term)


@dataclass(frozen=True)
class Concept:
    """One node: an area, a sub-sector or a concept, with its broader node."""

    code: str
    broader: str | None
    labels: dict[str, str]
    synonyms: dict[str, tuple[str, ...]]

    def forms(self, language: str) -> tuple[str, ...]:
        """The label and synonyms in ``language``."""
        label = self.labels.get(language)
        return ((label,) if label else ()) + self.synonyms.get(language, ())

    def label(self, language: str) -> str:
        """The label in ``language``, English when missing."""
        return self.labels.get(language) or self.labels.get("en") or self.code


@dataclass(frozen=True)
class Mention:
    """A concept found in a text, and where (offsets into the analyser's prepared text)."""

    code: str
    language: str
    start: int
    end: int


def _read(name: str) -> dict[str, Any]:
    with resources.files("expertbridge.data").joinpath(name).open("r", encoding="utf-8") as file:
        data: dict[str, Any] = json.load(file)
        return data


def _concept(raw: dict[str, Any], broader: str | None) -> Concept:
    synonyms = raw.get("synonyms") or {}
    return Concept(
        code=raw["code"],
        broader=broader,
        labels={language: text for language, text in raw["labels"].items() if text},
        synonyms={language: tuple(synonyms.get(language, ())) for language in LANGUAGES},
    )


@cache
def load_concepts() -> dict[str, Concept]:
    """Every area, sub-sector and concept by code, broader nodes before narrower ones."""
    concepts: dict[str, Concept] = {}

    def walk(nodes: list[dict[str, Any]], broader: str | None) -> None:
        for raw in nodes:
            concepts[raw["code"]] = _concept(raw, broader)
            walk(raw.get("children", []), raw["code"])

    walk(_read("taxonomy.json")["sectors"], None)
    pending = list(_read("concepts.json")["concepts"])
    # A concept may name a broader concept that comes later in the file: place it once its
    # broader node is known, so that ancestors() never meets an unknown code.
    while pending:
        placed = [raw for raw in pending if (raw.get("broader") or raw["sector"]) in concepts]
        if not placed:
            unknown = sorted({raw.get("broader") or raw["sector"] for raw in pending})
            raise ValueError(f"concepts.json: unknown broader codes {unknown[:5]}")
        for raw in placed:
            concepts[raw["code"]] = _concept(raw, raw.get("broader") or raw["sector"])
        pending = [raw for raw in pending if raw["code"] not in concepts]
    return concepts


def concept_label(code: str, language: str) -> str:
    """The label of a concept in ``language`` (the code when unknown)."""
    concept = load_concepts().get(code)
    return concept.label(language) if concept else code


def chinese_forms() -> list[str]:
    """Every Chinese label and synonym (the segmenter keeps them whole)."""
    return sorted({form for concept in load_concepts().values() for form in concept.forms("zh")})


def acronyms() -> list[str]:
    """Every word in capitals (two letters or more) of a label or synonym: "IT", "ITS", «ПО»."""
    return sorted(
        {
            word
            for concept in load_concepts().values()
            for language in LANGUAGES
            for form in concept.forms(language)
            for word in _ACRONYM_WORD.findall(form)
            if len(word) > 1 and word.isupper()
        }
    )


@dataclass
class ConceptTagger:
    """Finds concept mentions in analysed text."""

    analyzer: Analyzer
    concepts: dict[str, Concept]
    _phrases: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    _han_forms: dict[str, set[str]] = field(default_factory=dict)
    # Every Chinese form at once (Aho–Corasick): form → (length, codes).
    _han_automaton: Any = None
    # Every phrase at once over joined terms (see TERM_JOIN): joined phrase → (length, codes).
    _phrase_automaton: Any = None
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _ancestor_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    # Phrase length → phrase → codes, for the phrases of 2 to MAX_LOOSE_PHRASE terms.
    _gappable: dict[int, dict[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for concept in self.concepts.values():
            for language in LANGUAGES:
                for form in concept.forms(language):
                    prepared = self.analyzer.simplified(self.analyzer.prepare(form))
                    han = HAN_RUN.fullmatch("".join(prepared.split()))
                    if han is not None:
                        # Chinese written without spaces is found as a substring (see _han_mentions).
                        if len(han.group()) > 1:
                            self._han_forms.setdefault(han.group(), set()).add(concept.code)
                        continue
                    terms = tuple(token.term for token in self.analyzer.tokens(prepared))
                    if len(terms) == 1 and len(prepared.split()) > 1:
                        # "sport for all" without its stop words is "sport": it would name every
                        # text that says "sport".
                        continue
                    if terms:
                        self._phrases[terms] = self._phrases.get(terms, frozenset()) | {concept.code}
        self._ancestors = {code: _ancestors(self.concepts, code) for code in self.concepts}
        self._ancestor_sets = {code: frozenset(found) for code, found in self._ancestors.items()}
        # A form that names a concept and also one of its broader nodes (光伏 is a synonym of the
        # energy sector and the label of photovoltaics) means the narrower one: the broader node
        # still counts, partly, through the index's broader concepts.
        self._phrases = {terms: self._narrowest(codes) for terms, codes in self._phrases.items()}
        self._han_forms = {form: set(self._narrowest(codes)) for form, codes in self._han_forms.items()}
        self._han_automaton = ahocorasick.Automaton()
        for form, codes in self._han_forms.items():
            self._han_automaton.add_word(form, (len(form), frozenset(codes)))
        if self._han_forms:
            self._han_automaton.make_automaton()
        self._phrase_automaton = ahocorasick.Automaton()
        for terms, phrase_codes in self._phrases.items():
            joined = joined_terms(terms)
            self._phrase_automaton.add_word(joined, (len(joined), phrase_codes))
        if self._phrases:
            self._phrase_automaton.make_automaton()
        # Phrases that a request may write with one more word inside (see loose_mentions).
        self._gappable = {}
        for terms, phrase_codes in self._phrases.items():
            if 2 <= len(terms) <= MAX_LOOSE_PHRASE:
                self._gappable.setdefault(len(terms), {})[terms] = phrase_codes
        self._short_tags = lru_cache(maxsize=65_536)(self._tag)
        # The same pairs of nested concepts recur in every text that names them.
        self._broader_inside = lru_cache(maxsize=65_536)(self._broader)

    def _narrowest(self, codes: Iterable[str]) -> frozenset[str]:
        """``codes`` without those broader than another of them."""
        codes = frozenset(codes)
        broader = frozenset().union(*(self._ancestor_sets.get(code, ()) for code in codes))
        return codes - broader

    def mentions(self, text: str, tokens: tuple[Token, ...] | None = None) -> list[Mention]:
        """Every concept mention in ``text`` (``tokens``: its analysis, when already done).

        Overlapping mentions are all kept: a profile about 薄膜太阳能电池 mentions thin-film cells
        and also solar cells.
        """
        prepared = self.analyzer.prepare(text)
        if tokens is None:
            tokens = self.analyzer.tokens(prepared)
        found = list(self._phrase_mentions(tokens))
        if not prepared.isascii():
            found.extend(self._han_mentions(prepared))
        spans = [(mention.start, mention.end, frozenset((mention.code,))) for mention in found]
        kept = {(start, end, next(iter(codes))) for start, end, codes in self._outside_unrelated(spans)}
        return [mention for mention in found if (mention.start, mention.end, mention.code) in kept]

    def loose_mentions(
        self, text: str, tokens: tuple[Token, ...] | None = None, *, known: Collection[str] = ()
    ) -> list[Mention]:
        """Mentions of a Russian or English name of two to four words with one more word inside it:
        «жаропрочные никелевые сплавы» names «жаропрочные сплавы», "metro train signalling" names
        "metro signalling".  The extra word must stand right next to its neighbours (only spaces
        or a hyphen between), so "public health and transport" does not name public transport.

        For a request's words (search/query.py), where a name is often split by a qualifier; a
        profile is tagged by the names as written.  ``known``: concepts already found, left out.
        """
        prepared = self.analyzer.prepare(text)
        if tokens is None:
            tokens = self.analyzer.tokens(prepared)
        terms = [token.term for token in tokens]
        known = frozenset(known)
        found: list[Mention] = []
        for length, phrases in self._gappable.items():
            for gap in range(1, length):
                picked = [offset for offset in range(length + 1) if offset != gap]
                windows = list(zip(*(terms[offset:] for offset in picked), strict=False))
                if phrases.keys().isdisjoint(windows):
                    continue
                for first, window in enumerate(windows):
                    codes = phrases.get(window)
                    if codes is None or codes <= known:
                        continue
                    inside = tokens[first : first + length + 1]
                    if self._written_together(prepared, inside):
                        found.extend(
                            Mention(code, inside[0].language, inside[0].start, inside[-1].end)
                            for code in sorted(codes - known)
                        )
        return found

    @staticmethod
    def _written_together(prepared: str, tokens: Sequence[Token]) -> bool:
        """Whether ``tokens`` are Russian or English words with only spaces or hyphens between."""
        return all(token.language != "zh" for token in tokens) and all(
            not prepared[before.end : after.start].replace("-", " ").strip()
            for before, after in pairwise(tokens)
        )

    def _phrase_mentions(self, tokens: tuple[Token, ...]) -> Iterator[Mention]:
        terms = [token.term for token in tokens]
        # Where the separator before each token lies in the joined terms: a phrase span runs from
        # the separator before its first token to the one before the token after its last.
        token_at = {
            offset: number for number, offset in enumerate(accumulate((len(t) + 1 for t in terms), initial=0))
        }
        for start, end, codes in self._phrase_spans(terms):
            first, last = token_at[start], token_at[end - 1] - 1
            for code in codes:
                yield Mention(code, tokens[first].language, tokens[first].start, tokens[last].end)

    def _phrase_spans(self, terms: Sequence[str]) -> list[_Span]:
        """Where phrases occur among ``terms``: (start, end, codes) in the joined terms."""
        if not self._phrases or not terms:
            return []
        return [
            (last + 1 - length, last + 1, codes)
            for last, (length, codes) in self._phrase_automaton.iter(joined_terms(terms))
        ]

    def _han_spans(self, prepared: str) -> list[_Span]:
        """Where Chinese forms occur in ``prepared`` text: (start, end, codes)."""
        # Most profiles are not in Chinese: one regex scan spares the automaton a walk over them.
        if not self._han_forms or prepared.isascii() or HAN_RUN.search(prepared) is None:
            return []
        return [
            (last + 1 - length, last + 1, codes)
            for last, (length, codes) in self._han_automaton.iter(self.analyzer.simplified(prepared))
        ]

    def _han_mentions(self, text: str) -> Iterator[Mention]:
        for start, end, codes in self._han_spans(text):
            for code in codes:
                yield Mention(code, "zh", start, end)

    def tag(self, text: str, analysis: Analysis | None = None) -> Counter[str]:
        """How often each concept is mentioned in ``text`` (the fast path: no positions);
        ``analysis``: the analyser's :meth:`~expertbridge.text.analyze.Analyzer.analysis` of it,
        when already done.

        The counter may be shared with other callers (short texts are cached): do not modify it.
        """
        if len(text) <= SHORT_TEXT:
            return self._short_tags(text)
        return self._tag(text, analysis)

    def tag_analysis(self, analysis: Analysis) -> Counter[str]:
        """How often each concept is mentioned in an analysis that is not one of a text as written
        (words taken out of it: see search/document.py's without_names); never cached."""
        return self._tag(analysis.prepared, analysis)

    def _tag(self, text: str, analysis: Analysis | None = None) -> Counter[str]:
        if analysis is None:
            analysis = self.analyzer.analysis(text)
        found: Counter[str] = Counter()
        if not analysis.terms:
            return found
        # Phrase spans are positions in the joined terms, Chinese ones in the prepared text: each
        # list is compared within itself, where containment means the same in either measure.
        phrases = self._phrase_spans(analysis.terms)
        han = self._han_spans(analysis.prepared)
        for spans in (phrases, han):
            for _start, _end, codes in self._outside_unrelated(spans):
                found.update(codes)
        return found

    def _outside_unrelated(self, spans: list[_Span]) -> list[_Span]:
        """Drop a mention inside a longer one of an unrelated concept.

        "film" inside "thin-film photovoltaics" is not about cinema, while "solar cells" inside
        "thin-film solar cells" is about solar cells (a broader concept of the longer one).
        """
        if len(spans) < 2:
            return spans
        # Sorted by start, longest first, the spans that may cover one come before it, and none
        # starts earlier than its end minus the longest span: only those few are compared.
        ordered = sorted([(start, -end, number) for number, (start, end, _codes) in enumerate(spans)])
        longest = max(end - start for start, end, _codes in spans)
        covered: dict[int, list[frozenset[str]]] = {}
        reach = -1
        for position, (start, negative_end, number) in enumerate(ordered):
            end = -negative_end
            if end > reach:
                reach = end
                continue
            covering = []
            for other in range(position - 1, -1, -1):
                other_start, other_negative_end, other_number = ordered[other]
                if other_start < end - longest:
                    break
                if end <= -other_negative_end and -other_negative_end - other_start > end - start:
                    covering.append(spans[other_number][2])
            if covering:
                covered[number] = covering
        if not covered:
            return spans
        kept = []
        for number, (start, end, codes) in enumerate(spans):
            if number not in covered:
                kept.append((start, end, codes))
                continue
            broader = self._broader_inside(codes, frozenset().union(*covered[number]))
            if broader:
                kept.append((start, end, broader))
        return kept

    def _broader(self, codes: frozenset[str], longer: frozenset[str]) -> frozenset[str]:
        """Of the concepts ``codes`` mentioned inside a mention of ``longer``, those broader than
        it: a shorter synonym of the same concept is the same mention, a broader one is kept."""
        above = frozenset().union(*(self._ancestor_sets.get(code, ()) for code in longer))
        return (codes - longer) & above

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The broader nodes of a concept, nearest first (up to the programme area)."""
        return self._ancestors.get(code, ())

    def forms_terms(
        self, code: str, languages: Iterable[str], *, labels_only: bool = False
    ) -> list[tuple[str, ...]]:
        """A concept's labels (and synonyms, unless ``labels_only``) in ``languages``, as
        index-term sequences."""
        concept = self.concepts.get(code)
        if concept is None:
            return []
        sequences = []
        for language in languages:
            forms = (concept.labels[language],) if labels_only and language in concept.labels else ()
            for form in forms if labels_only else concept.forms(language):
                terms = tuple(dict.fromkeys(self.analyzer.index_terms(form)))
                if terms and terms not in sequences:
                    sequences.append(terms)
        return sequences


def _ancestors(concepts: dict[str, Concept], code: str) -> tuple[str, ...]:
    chain: list[str] = []
    node = concepts.get(code)
    while node is not None and node.broader is not None and node.broader not in chain:
        chain.append(node.broader)
        node = concepts.get(node.broader)
    return tuple(chain)


@lru_cache(maxsize=1)
def default_tagger() -> ConceptTagger:
    """The process's tagger over the packaged concepts."""
    from expertbridge.text.analyze import default_analyzer

    return ConceptTagger(default_analyzer(), load_concepts())

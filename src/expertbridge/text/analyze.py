"""Analysis of mixed Russian, Chinese and English text into comparable terms.

Text is split into runs by script.  Chinese runs are segmented by jieba (the Rust binding
rjieba), with the taxonomy's terms kept whole; Russian words are reduced to their lemma
(pymorphy3), so that «метрополитена», «метрополитене» and «метрополитен» are one term; English
(and any Latin) words are Snowball-stemmed, after British spellings are made American and with a
few unrelated words kept off each other's stems (see :mod:`expertbridge.text.english`).  Stop words
of each language are dropped.

>>> analyzer = Analyzer()
>>> [token.term for token in analyzer.tokens("Системы сигнализации метрополитена")]
['система', 'сигнализация', 'метрополитен']
>>> [token.term for token in analyzer.tokens("Signalling systems for metros")]
['signal', 'system', 'metro']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

import pymorphy3
import rjieba
import snowballstemmer
import zhconv

from expertbridge.text.english import STEM_EXCEPTIONS, american_spelling, specialist_field
from expertbridge.text.stopwords import STOP_WORDS

# Cyrillic words may be hyphenated («научно-исследовательский»); Latin words split at hyphens,
# so "thin-film" meets "thin film".  Digits stay with Latin letters ("5G", "CBTC-2"), and an
# acronym with an ampersand is one word (R&D, M&A: apart, M&A would be the letter "m").
_WORD = re.compile(
    r"[\u0400-\u052f]+(?:-[\u0400-\u052f]+)*"
    r"|[A-Za-z\u00c0-\u024f0-9]+(?:&[A-Za-z]{1,3}(?![A-Za-z]))?"
    r"|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
# An all-capital Cyrillic word of up to six letters is an abbreviation (БПЛА, ИИ, ЖКХ): the
# morphological analyser would take it for an unknown word and invent a lemma («бпнуть»).
_MAX_ABBREVIATION = 6
# A Latin word in capitals of up to four letters is an acronym (AIDS, ETS, UAS), kept unstemmed;
# longer words in capitals are as often a heading's ordinary words.
_MAX_LATIN_ABBREVIATION = 4
# A specialist (an animate noun) and the ending that names their field instead: вирусолог →
# вирусология, генетик → генетика, журналист → журналистика, селекционер → селекция.
_SPECIALIST_FIELDS = (("олог", "ология"), ("ик", "ика"), ("ист", "истика"), ("ционер", "ция"))
_SPECIALIST_ENDINGS = tuple(ending for ending, _ in _SPECIALIST_FIELDS)
_LEMMA_CACHE = 262_144
# Keywords, titles and organization names repeat across profiles: their analysis is cached.
_SHORT_TEXT = 80
_TEXT_CACHE = 65_536
# Distinct words (and Chinese runs) whose analysis is kept: a registry's vocabulary fits, and the
# cache starts afresh when it is full rather than grow without bound on unique Chinese clauses.
_WORD_CACHE = 500_000
# Queries longer than this are cut: nobody types more, and analysis cost must stay bounded.
MAX_QUERY_CHARS = 2000


class Token(NamedTuple):
    """One analysed word: its comparable term, language and position in the analysed text."""

    term: str
    language: str
    start: int
    end: int


# A profile has hundreds of tokens: tuple.__new__ skips NamedTuple's Python-level constructor,
# which cost a tenth of the index build.
_token: Callable[[tuple[str, str, int, int]], Token] = partial(tuple.__new__, Token)


class Analysis(NamedTuple):
    """What the index needs of a text: the prepared text, its terms (as :meth:`Analyzer.tokens`
    gives them, without positions) and its index terms (as :meth:`Analyzer.index_terms`)."""

    prepared: str
    terms: tuple[str, ...]
    index_terms: tuple[str, ...]


class _Word(NamedTuple):
    """One match of ``_WORD`` analysed: its terms (stop words removed), its index terms, their
    language, and where each term lies in the word."""

    terms: tuple[str, ...]
    index_terms: tuple[str, ...]
    language: str
    spans: tuple[tuple[int, int], ...]


class _WordAnalyses(dict[str, _Word]):
    """Word (or Chinese run) → its analysis, worked out on first sight.

    A dictionary subclass so that a whole text is looked up by ``map`` without a Python-level
    loop: the index build analyses hundreds of words per profile, nearly all seen before.
    """

    def __init__(self, analyse: Callable[[str], _Word]) -> None:
        super().__init__()
        self._analyse = analyse

    def __missing__(self, word: str) -> _Word:
        found = self._analyse(word)
        if len(self) >= _WORD_CACHE:
            self.clear()
        self[word] = found
        return found


_TERMS, _INDEX_TERMS = itemgetter(0), itemgetter(1)


def _traditional_to_simplified() -> dict[int, str]:
    """zhconv's one-to-one traditional → simplified characters, so that offsets survive."""
    if not zhconv.zhconv.zhcdicts:
        zhconv.zhconv.loaddict()
    mapping: dict[str, str] = zhconv.zhconv.zhcdicts["zh2Hans"]
    return {ord(old): new for old, new in mapping.items() if len(old) == 1 and len(new) == 1}


class Analyzer:
    """Turns text into terms; holds the segmenter, the lemmatiser and their caches.

    Build one per process (see :func:`default_analyzer`): loading the dictionaries takes a second.
    """

    def __init__(self, keep_whole: Iterable[str] = (), acronyms: Iterable[str] = ()) -> None:
        """``keep_whole``: Chinese words the segmenter must not cut; ``acronyms``: words in capitals
        kept as terms where their lower-case form is a stop word ("IT", "ITS")."""
        self._acronyms = frozenset(acronyms)
        self._jieba = rjieba.Jieba()
        for word in keep_whole:
            if len(word) > 1:
                self._jieba.add_word(word, None, None)
        self._morph = pymorphy3.MorphAnalyzer()
        self._stemmer = snowballstemmer.stemmer("english")
        self._simplified = _traditional_to_simplified()
        # Most Chinese text is already simplified: find out with one set scan before translating.
        self._traditional = frozenset(map(chr, self._simplified))
        self.russian_lemma = lru_cache(maxsize=_LEMMA_CACHE)(self._russian_lemma)
        self.english_stem = lru_cache(maxsize=_LEMMA_CACHE)(self._english_stem)
        self._short_tokens = lru_cache(maxsize=_TEXT_CACHE)(self._tokens)
        self._parts = lru_cache(maxsize=_LEMMA_CACHE)(self._chinese_parts)
        self._words = _WordAnalyses(self._word_analysis)
        self._short_analyses = lru_cache(maxsize=_TEXT_CACHE)(self._analysis)

    def _russian_lemma(self, word: str) -> str:
        folded = word.lower().replace("ё", "е")
        if word.isupper() and len(word) <= _MAX_ABBREVIATION:
            return folded
        parse = self._morph.parse(folded)[0]
        lemma = str(parse.normal_form)
        if lemma.endswith(_SPECIALIST_ENDINGS) and parse.tag.POS == "NOUN" and parse.tag.animacy == "anim":
            lemma = self._specialist_field(lemma)
        return lemma.replace("ё", "е")

    def _specialist_field(self, lemma: str) -> str:
        """The field a specialist's name names: «вирусолог» → «вирусология», «генетик» →
        «генетика», «журналист» → «журналистика», «селекционер» → «селекция», so that «ищем
        вирусологов» finds virology; the lemma itself when the language has no such field
        (монолог, график and ученик are not people or have none)."""
        for ending, field_ending in _SPECIALIST_FIELDS:
            if not lemma.endswith(ending):
                continue
            field = lemma[: -len(ending)] + field_ending
            if self._morph.word_is_known(field) and any(
                parse.normal_form == field and parse.tag.POS == "NOUN" and parse.tag.animacy == "inan"
                for parse in self._morph.parse(field)
            ):
                return field
        return lemma

    def _english_stem(self, word: str) -> str:
        folded = word.lower()
        if folded.isdigit() or len(folded) < 3:
            return folded
        if len(word) <= _MAX_LATIN_ABBREVIATION and word.isupper():
            # An acronym: stemmed, AIDS would become "aid" and SARS "sar" (synthetic aperture radar).
            return folded
        folded = specialist_field(american_spelling(folded))
        exception = STEM_EXCEPTIONS.get(folded)
        if exception is not None:
            return exception
        return str(self._stemmer.stemWord(folded))

    @staticmethod
    def prepare(text: str) -> str:
        """The form of ``text`` whose offsets :class:`Token` refers to (NFKC-normalised)."""
        if text.isascii() or unicodedata.is_normalized("NFKC", text):
            return text
        return unicodedata.normalize("NFKC", text)

    def simplified(self, text: str) -> str:
        """``text`` with traditional Chinese characters replaced by simplified ones."""
        if self._traditional.isdisjoint(text):
            return text
        return text.translate(self._simplified)

    def tokens(self, text: str) -> tuple[Token, ...]:
        """The content words of ``text`` in order, stop words removed, offsets into prepare(text)."""
        if len(text) <= _SHORT_TEXT:
            return self._short_tokens(text)
        return self._tokens(text)

    def _tokens(self, text: str) -> tuple[Token, ...]:
        text = self.prepare(text)
        found: list[Token] = []
        for match in _WORD.finditer(text):
            word, offset = self._words[match.group()], match.start()
            for term, (start, end) in zip(word.terms, word.spans, strict=True):
                found.append(_token((term, word.language, offset + start, offset + end)))
        return tuple(found)

    def analysis(self, text: str) -> Analysis:
        """Terms and index terms of ``text`` at once, without positions: the index build's path.

        The same terms as :meth:`tokens` and :meth:`index_terms`, several times faster: each
        distinct word is analysed once per process, and a text is a lookup of its words.
        """
        if len(text) <= _SHORT_TEXT:
            return self._short_analyses(text)
        return self._analysis(text)

    def _analysis(self, text: str) -> Analysis:
        prepared = self.prepare(text)
        words = list(map(self._words.__getitem__, _WORD.findall(prepared)))
        return Analysis(
            prepared,
            tuple(chain.from_iterable(map(_TERMS, words))),
            tuple(chain.from_iterable(map(_INDEX_TERMS, words))),
        )

    def _word_analysis(self, word: str) -> _Word:
        """One match of ``_WORD``: a Russian word is lemmatised, a Latin one stemmed, a Chinese run
        segmented (its index terms add the dictionary words inside its longer words)."""
        first = word[0]
        whole = ((0, len(word)),)
        if "\u0400" <= first <= "\u052f":
            term = self.russian_lemma(word)
            if term in STOP_WORDS["ru"] and word not in self._acronyms:
                return _Word((), (), "ru", ())
            return _Word((term,), (term,), "ru", whole)
        if first.isascii() or "\u00c0" <= first <= "\u024f":
            term = self.english_stem(word)
            if term in STOP_WORDS["en"]:
                # "IT" and "ITS" are acronyms, not the pronouns (and «ПО», software, is not the
                # preposition): kept when written in capitals.
                if word not in self._acronyms:
                    return _Word((), (), "en", ())
                term = word.lower()
            return _Word((term,), (term,), "en", whole)
        pieces = [
            (piece, (start, end))
            for piece, start, end in self._jieba.tokenize(self.simplified(word))
            if piece not in STOP_WORDS["zh"]
        ]
        index_terms: list[str] = []
        for piece, _span in pieces:
            index_terms.append(piece)
            if len(piece) > 2:
                index_terms.extend(self.chinese_parts(piece))
        return _Word(
            tuple(piece for piece, _span in pieces),
            tuple(index_terms),
            "zh",
            tuple(span for _piece, span in pieces),
        )

    def index_terms(self, text: str) -> tuple[str, ...]:
        """Terms to index ``text`` under: its tokens, plus the shorter words inside Chinese words.

        A document about 薄膜太阳能电池 is then found by 太阳能电池 and by 电池 too.
        """
        return self.analysis(text).index_terms

    def chinese_parts(self, word: str) -> tuple[str, ...]:
        """The dictionary words inside a Chinese word, without the word itself."""
        return self._parts(word)

    def _chinese_parts(self, word: str) -> tuple[str, ...]:
        return tuple(
            part
            for part in self._jieba.cut_for_search(word)
            if part != word and len(part) > 1 and part not in STOP_WORDS["zh"]
        )


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The process's analyser, keeping the taxonomy's Chinese terms whole and its acronyms."""
    from expertbridge.text.concepts import acronyms, chinese_forms

    return Analyzer(keep_whole=chinese_forms(), acronyms=acronyms())

"""What the search index keeps of an expert: analysed text, concepts, name keys and filter values.

Built from the registry's record by pure functions, so the index can be rebuilt from the database
at any time and benchmarks can build entries without one.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from expertbridge.names.keys import stored_keys
from expertbridge.names.parse import parse_name
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.visibility import LEVELS, contact_levels, field_levels
from expertbridge.text.analyze import Analysis, Analyzer
from expertbridge.text.concepts import HAN_RUN, TERM_JOIN, ConceptTagger, joined_terms, split_terms

# A concept named among the keywords says more than one mentioned in passing in a biography.
KEYWORD_CONCEPT_WEIGHT = 2
DECLARED_SECTOR_WEIGHT = 2


@dataclass(frozen=True)
class Affiliation:
    """An organization an expert belongs to, as the index sees it."""

    type: str
    names: tuple[str, ...]


def leveled(name: str, level: str) -> str:
    """The index field holding ``name`` values that viewers need clearance ``level`` to see.

    >>> leveled("keywords", "public"), leveled("keywords", "partners")
    ('keywords', 'keywords_partners')
    """
    return name if level == LEVELS[0] else f"{name}_{level}"


@dataclass(frozen=True)
class ExpertDocument:
    """One expert in the index.

    ``fields`` maps index field names to their values.  Text, concepts and filter values are stored
    under the visibility level of the profile field they come from (see :func:`leveled`), so a
    search only ever looks at, matches on and counts what its viewer may see.  Concepts repeat:
    the count is the weight.
    """

    id: int
    status: str
    name_keys: frozenset[str]
    names: tuple[tuple[str, bool], ...]  # (text, generated), for rescoring name matches
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


def contact_key(text: str) -> str:
    """How a contact item is indexed and looked up: an e-mail or handle in lower case, a phone
    number as its digits; "" for text that is neither (a query of words).

    >>> contact_key(" Anna@Example.ORG "), contact_key("+7 (495) 111-22-33"), contact_key("@quokka")
    ('anna@example.org', '74951112233', '@quokka')
    >>> contact_key("photonic crystals"), contact_key("2021"), contact_key("ａｎｎａ＠example.org")
    ('', '', 'anna@example.org')
    """
    if not text.isascii():
        # Full-width forms (＠, ＋７, letters) as a Chinese input method types them: stored
        # contacts are NFKC-normalised, so a query must be too.
        text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split()).casefold()
    if "@" in text:  # never a phone number: "@" is neither a digit nor a phone's punctuation
        return text if " " not in text else ""
    digits = "".join(char for char in text if char.isdigit())
    if len(digits) >= 6 and all(char.isdigit() or char in " +-()." for char in text):
        return digits
    return ""


@lru_cache(maxsize=100_000)
def _name_keys(text: str) -> frozenset[str]:
    # Cached by the written name: names repeat across a registry (王伟, Ivanov Ivan, and every
    # generated rendering of them), and their keys cost more than the rest of a document.
    return frozenset(stored_keys(parse_name(text)))


def name_entry(expert_id: int, status: str, names: Sequence[tuple[str, bool]]) -> ExpertDocument:
    """A document with names only (enough for name lookup; used by the name benchmarks)."""
    keys: set[str] = set()
    for text, generated in names:
        # Only the names the expert gave: the engine reads every name in the other scripts itself,
        # so the keys of generated renderings only repeated them (measured: the same recall, a
        # third less memory, a faster build).
        if not generated:
            keys |= _name_keys(text)
    return ExpertDocument(id=expert_id, status=status, name_keys=frozenset(keys), names=tuple(names))


@lru_cache(maxsize=65_536)
def _organization_name_form(analyzer: Analyzer, name: str) -> tuple[str | None, str, str]:
    """How :func:`without_names` looks for an organization name: (its Chinese characters as
    written, "", "") for a name in characters, else (None, its joined terms, its joined index
    terms), both "" when it has no terms.  Cached: an organization's staff share its name."""
    written = analyzer.simplified(analyzer.prepare(name)).strip()
    if HAN_RUN.fullmatch(written):
        return written, "", ""
    named = analyzer.analysis(name)
    if not named.terms:
        return None, "", ""
    return None, joined_terms(named.terms), joined_terms(named.index_terms)


def without_names(text: str, names: Sequence[str], analyzer: Analyzer) -> tuple[Analysis, bool]:
    """The analysis of ``text`` without the mentions of ``names``, and whether any was found.

    A biography names the expert's organization ("joined the Beijing Institute for General
    Artificial Intelligence"): that says where the expert works, which the organization field
    indexes, not what the expert knows, and counted as expertise it ranked the institute's
    accountants first for "artificial intelligence".  A name in Chinese characters is blanked out
    of the text as written (Chinese does not inflect, and the segmenter may cut it differently in
    a sentence); any other name is taken out of the analysed words, so an inflected mention goes
    too («в Институте искусственного интеллекта»).
    """
    word_names: list[tuple[str, str]] = []
    blanked = text
    for name in names:
        written, terms_form, index_form = _organization_name_form(analyzer, name)
        if written is None:
            if terms_form:
                word_names.append((terms_form, index_form))
        elif written in analyzer.simplified(blanked):
            blanked = analyzer.simplified(analyzer.prepare(blanked)).replace(written, " " * len(written))
    analysis = analyzer.analysis(blanked)
    if not word_names:
        return analysis, blanked != text
    terms = joined_terms(analysis.terms)
    index_terms: str | None = None  # joined only when a name is found
    for terms_form, index_form in word_names:
        if terms_form in terms:
            if index_terms is None:
                index_terms = joined_terms(analysis.index_terms)
            terms = terms.replace(terms_form, TERM_JOIN)
            index_terms = index_terms.replace(index_form, TERM_JOIN)
    if index_terms is None:
        return analysis, blanked != text
    return analysis._replace(terms=split_terms(terms), index_terms=split_terms(index_terms)), True


def build_document(
    expert_id: int,
    record: ExpertRecord,
    affiliations: Sequence[Affiliation],
    analyzer: Analyzer,
    tagger: ConceptTagger,
) -> ExpertDocument:
    """The index document of an expert the registry holds as ``record``."""
    named = name_entry(expert_id, record.status, [(name.text, name.generated) for name in record.names])
    levels = field_levels(record)
    fields: dict[str, list[str]] = defaultdict(list)
    concepts: dict[str, Counter[str]] = defaultdict(Counter)  # level → concept → weight

    def add_text(field_name: str, level: str, text: str, weight: int = 1) -> None:
        analysis = analyzer.analysis(text)
        add_analysis(field_name, level, analysis, tagger.tag(text, analysis), weight)

    def add_analysis(
        field_name: str, level: str, analysis: Analysis, tags: Counter[str], weight: int = 1
    ) -> None:
        fields[leveled(field_name, level)].extend(analysis.index_terms)
        for code, count in tags.items():
            concepts[level][code] += count * weight

    for text, _language in record.expertise:
        add_text("keywords", levels["expertise"], text, KEYWORD_CONCEPT_WEIGHT)
    employers = [name for affiliation in affiliations for name in affiliation.names]
    for _language, text in record.bios:
        analysis, changed = without_names(text, employers, analyzer)
        tags = tagger.tag_analysis(analysis) if changed else tagger.tag(text, analysis)
        add_analysis("bio", levels["bios"], analysis, tags)
    if record.position_title:
        add_text("bio", levels["organization"], record.position_title)
    for affiliation in affiliations:
        for name in affiliation.names:
            fields[leveled("organization", levels["organization"])].extend(
                analyzer.analysis(name).index_terms
            )
    for code in record.sectors:
        concepts[levels["sectors"]][code] += DECLARED_SECTOR_WEIGHT
    for level, counted in concepts.items():
        fields[leveled("concepts", level)] = [code for code, n in sorted(counted.items()) for _ in range(n)]
        broader = {parent for code in counted for parent in tagger.ancestors(code)}
        fields[leveled("broader", level)] = sorted(broader)
    areas = {tagger.ancestors(code)[-1] if tagger.ancestors(code) else code for code in record.sectors}
    values = {
        ("location", "city"): [record.city] if record.city else [],
        ("location", "country"): [record.country] if record.country else [],
        ("sectors", "area"): sorted(areas),
        ("sectors", "subsector"): sorted(code for code in record.sectors if code not in areas),
        ("organization", "organization_type"): sorted({affiliation.type for affiliation in affiliations}),
        ("languages", "language"): sorted({language for language, _level in record.languages}),
    }
    for (profile_field, field_name), found in values.items():
        if found:
            fields[leveled(field_name, levels[profile_field])].extend(found)
    for (_kind, value), level in zip(record.contacts, contact_levels(record), strict=True):
        if key := contact_key(value):
            fields[leveled("contact", level)].append(key)
    if record.city:
        # Whose side the expert is on, whatever the location's visibility: only ever matched
        # against a coordinator's own side, never counted or shown (see search/scope.py).
        fields["side"].append(record.city)
    return ExpertDocument(
        id=expert_id,
        status=record.status,
        name_keys=named.name_keys,
        names=named.names,
        fields={name: tuple(found) for name, found in fields.items() if found},
    )

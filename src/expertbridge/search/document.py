"""What the search index keeps of an expert: analysed text, concepts, name keys and filter values.

Built from the registry's record by pure functions, so the index can be rebuilt from the database
at any time and benchmarks can build entries without one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from expertbridge.names.keys import stored_keys
from expertbridge.names.parse import parse_name
from expertbridge.registry.records import ExpertRecord
from expertbridge.text.analyze import Analyzer
from expertbridge.text.concepts import ConceptTagger

# A concept named among the keywords says more than one mentioned in passing in a biography.
KEYWORD_CONCEPT_WEIGHT = 2
DECLARED_SECTOR_WEIGHT = 2


@dataclass(frozen=True)
class Affiliation:
    """An organization an expert belongs to, as the index sees it."""

    type: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class ExpertDocument:
    """One expert in the index."""

    id: int
    status: str
    name_keys: frozenset[str]
    names: tuple[tuple[str, bool], ...]  # (text, generated), for rescoring name matches
    keywords: tuple[str, ...] = ()
    bio: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()  # with repetitions: the count is the weight
    broader: tuple[str, ...] = ()
    city: str | None = None
    country: str | None = None
    areas: tuple[str, ...] = ()
    subsectors: tuple[str, ...] = ()
    organization_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


def name_entry(expert_id: int, status: str, names: Sequence[tuple[str, bool]]) -> ExpertDocument:
    """A document with names only (enough for name lookup; used by the name benchmarks)."""
    keys: set[str] = set()
    for text, _generated in names:
        keys |= stored_keys(parse_name(text))
    return ExpertDocument(id=expert_id, status=status, name_keys=frozenset(keys), names=tuple(names))


def build_document(
    expert_id: int,
    record: ExpertRecord,
    affiliations: Sequence[Affiliation],
    analyzer: Analyzer,
    tagger: ConceptTagger,
) -> ExpertDocument:
    """The index document of an expert the registry holds as ``record``."""
    named = name_entry(expert_id, record.status, [(name.text, name.generated) for name in record.names])
    concepts: Counter[str] = Counter()
    keyword_terms: list[str] = []
    for text, _language in record.expertise:
        keyword_terms.extend(analyzer.index_terms(text))
        for code, count in tagger.tag(text).items():
            concepts[code] += count * KEYWORD_CONCEPT_WEIGHT
    bio_terms: list[str] = []
    texts = [text for _language, text in record.bios]
    if record.position_title:
        texts.append(record.position_title)
    for text in texts:
        tokens = analyzer.tokens(text)
        bio_terms.extend(analyzer.index_terms(text, tokens))
        concepts.update(tagger.tag(text, tokens))
    for code in record.sectors:
        concepts[code] += DECLARED_SECTOR_WEIGHT
    broader: set[str] = set()
    for code in concepts:
        broader.update(tagger.ancestors(code))
    organization_terms: list[str] = []
    for affiliation in affiliations:
        for name in affiliation.names:
            organization_terms.extend(analyzer.index_terms(name))
    areas = {tagger.ancestors(code)[-1] if tagger.ancestors(code) else code for code in record.sectors}
    return ExpertDocument(
        id=expert_id,
        status=record.status,
        name_keys=named.name_keys,
        names=named.names,
        keywords=tuple(keyword_terms),
        bio=tuple(bio_terms),
        organization=tuple(organization_terms),
        concepts=tuple(code for code, count in sorted(concepts.items()) for _ in range(count)),
        broader=tuple(sorted(broader)),
        city=record.city,
        country=record.country,
        areas=tuple(sorted(areas)),
        subsectors=tuple(sorted(code for code in record.sectors if code not in areas)),
        organization_types=tuple(sorted({affiliation.type for affiliation in affiliations})),
        languages=tuple(sorted({language for language, _level in record.languages})),
    )

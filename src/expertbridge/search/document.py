"""What the search index keeps of an expert: analysed text, concepts, name keys and filter values.

Built from the registry's record by pure functions, so the index can be rebuilt from the database
at any time and benchmarks can build entries without one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from expertbridge.names.keys import stored_keys
from expertbridge.names.parse import parse_name
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.visibility import LEVELS, field_levels
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
    levels = field_levels(record)
    fields: dict[str, list[str]] = defaultdict(list)
    concepts: dict[str, Counter[str]] = defaultdict(Counter)  # level → concept → weight

    def add_text(field_name: str, level: str, text: str, weight: int = 1) -> None:
        tokens = analyzer.tokens(text)
        fields[leveled(field_name, level)].extend(analyzer.index_terms(text, tokens))
        for code, count in tagger.tag(text, tokens).items():
            concepts[level][code] += count * weight

    for text, _language in record.expertise:
        add_text("keywords", levels["expertise"], text, KEYWORD_CONCEPT_WEIGHT)
    for _language, text in record.bios:
        add_text("bio", levels["bios"], text)
    if record.position_title:
        add_text("bio", levels["organization"], record.position_title)
    for affiliation in affiliations:
        for name in affiliation.names:
            fields[leveled("organization", levels["organization"])].extend(analyzer.index_terms(name))
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
    return ExpertDocument(
        id=expert_id,
        status=record.status,
        name_keys=named.name_keys,
        names=named.names,
        fields={name: tuple(found) for name, found in fields.items() if found},
    )

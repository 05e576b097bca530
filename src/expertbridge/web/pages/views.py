"""Shaping registry records into what the templates show (presentation only, no rules)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from expertbridge.names.score import MatchedPart, NameExplanation
from expertbridge.registry.places import CITIES, canonical_city, city_label
from expertbridge.registry.records import ExpertRecord, LocalizedText, NameRecord
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.search.experts import ExpertFilters
from expertbridge.search.explain import ConceptMatch, Explanation
from expertbridge.settings import SUPPORTED_LANGUAGES
from expertbridge.text.concepts import concept_label, default_tagger
from expertbridge.web.i18n import Translator
from expertbridge.web.labels import N_, NAME_PART_ROLE, ORGANIZATION_TYPE, SPOKEN_LANGUAGE

SCRIPT_ORDER = {"ru": ("ru", "zh", "en"), "zh": ("zh", "ru", "en"), "en": ("en", "ru", "zh")}


@dataclass(frozen=True)
class ExpertCard:
    """An expert as a list shows it."""

    id: int
    name: str
    other_names: tuple[NameRecord, ...]
    organization: str | None
    city: str | None
    country: str | None
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    languages: tuple[tuple[str, str | None], ...]
    score: float | None = None
    match: NameExplanation | None = None
    why: Explanation | None = None
    needs_interpreter: bool = False
    # On an opportunity's matches: why whether an interpreter is needed is not known, as
    # registry.visibility.languages_unknown says it ("hidden": the viewer may not see the expert's
    # languages; "not_given": the expert lists none), never guessed from an empty list.
    languages_unknown: str | None = None
    # Only when the expert gave no name at all: the heading is then a generated rendering.
    name_generated: bool = False


def names_in_order(names: tuple[NameRecord, ...], language: str) -> list[NameRecord]:
    """The name to head a page with, then the others, the page language's script first.

    The heading is a name the expert gave, never one the system wrote for them (a generated
    rendering is marked wherever it is shown): the one in the page language when the expert gave
    one, else their primary name.
    """
    order = SCRIPT_ORDER.get(language, SCRIPT_ORDER["en"])
    ranked = sorted(
        names,
        key=lambda n: (order.index(n.language) if n.language in order else 9, not n.is_primary),
    )
    heading = min(
        range(len(ranked)),
        key=lambda i: (ranked[i].generated, ranked[i].language != language, not ranked[i].is_primary, i),
        default=None,
    )
    if heading is None:
        return ranked
    return [ranked[heading], *ranked[:heading], *ranked[heading + 1 :]]


def name_parts_in_order(why: NameExplanation) -> list[MatchedPart]:
    """The parts of a name match as a reader expects them: surname, given name, patronymic,
    initials, then the parts whose role is not known (in the engine's order)."""
    rank = {role: position for position, role in enumerate(NAME_PART_ROLE)}
    return sorted(why.parts, key=lambda part: rank.get(part.role, len(rank)))


def distinct_concepts(why: Explanation, language: str) -> Explanation:
    """The explanation with each concept label shown once in ``language``.

    A sector and a concept under it may carry the same label (Artificial intelligence): the more
    specific one stays, where the first of them was.
    """
    tagger = default_tagger()
    chosen: dict[str, ConceptMatch] = {}
    for found in why.concepts:
        label = concept_label(found.profile_code, language).casefold()
        kept = chosen.get(label)
        depth = len(tagger.ancestors(found.profile_code))
        if kept is None or depth > len(tagger.ancestors(kept.profile_code)):
            chosen[label] = found
    concepts = tuple(chosen.values())
    return why if concepts == why.concepts else replace(why, concepts=concepts)


def expert_card(
    expert_id: int, record: ExpertRecord, language: str, score: float | None = None
) -> ExpertCard:
    """The list card of an expert in the page language."""
    names = names_in_order(record.names, language)
    # Keywords in the page language first: a Chinese reader scans Chinese keywords faster.
    keywords = sorted(record.expertise, key=lambda k: k[1] != language)
    return ExpertCard(
        id=expert_id,
        name=names[0].text if names else "",
        name_generated=bool(names) and names[0].generated,
        other_names=tuple(names[1:]),
        organization=record.organization,
        city=record.city,
        country=record.country,
        sectors=record.sectors,
        keywords=tuple(text for text, _ in keywords[:8]),
        languages=record.languages,
        score=score,
    )


def localized(texts: dict[str, LocalizedText], language: str) -> tuple[LocalizedText, str]:
    """The text in the page language, else the first available; and the language it is in."""
    for candidate in SCRIPT_ORDER.get(language, SCRIPT_ORDER["en"]):
        if candidate in texts:
            return texts[candidate], candidate
    return LocalizedText(""), language


# The registry's filters as its facets name them (the sector's title says "Sub-sector" for one).
FILTER_TITLES = {
    "sector": N_("Sector"),
    "city": N_("City"),
    "organization_type": N_("Organization type"),
    "language": N_("Languages spoken"),
}
FacetItems = list[tuple[str, int | None]]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter of the registry page as the page shows it, with a link to take it away.

    ``known``: the value is one the registry uses (``city=moscow`` is not: cities are written
    ``Moscow``); ``suggestion``: the value it probably means, with its label, when one is found.
    """

    key: str
    title: str
    value: str
    label: str
    known: bool
    suggestion: tuple[str, str] | None = None


def facet_items(
    filters: ExpertFilters, facets: dict[str, list[tuple[str, int]]]
) -> tuple[dict[str, FacetItems], str]:
    """The values each facet lists, and the programme area of the chosen sector ("" for none).

    A chosen value is always listed, counted or not, so it can be seen and taken away: a chosen
    sub-sector under its area (both stay listed), a value no expert has (``city=moscow``) alone.
    """
    taxonomy = load_taxonomy()
    items: dict[str, FacetItems] = {
        key: list(facets.get(key, [])) for key in ("sector", "city", "organization_type", "language")
    }
    area = taxonomy.area_of(filters.sector) if filters.sector in taxonomy.nodes else ""
    if area:
        children = set(taxonomy.nodes[area].children)
        items["subsector"] = [
            (code, count) for code, count in facets.get("subsector", []) if code in children
        ]
    else:
        items["subsector"] = []
    chosen = {
        "sector": area or filters.sector,
        "subsector": filters.sector if area and filters.sector != area else "",
        "city": filters.city,
        "organization_type": filters.organization_type,
        "language": filters.language,
    }
    for key, value in chosen.items():
        if value and value not in {listed for listed, _count in items[key]}:
            items[key].append((value, None))
    return items, area


def _named(value: str, vocabulary: dict[str, str]) -> str | None:
    """The code of a closed vocabulary that ``value`` names: the code in another case or with
    spaces, or its label in any of the page languages (``Russian``, ``русский``, ``俄语`` → ``ru``)."""
    folded = value.strip().casefold()
    code = folded.replace(" ", "_").replace("-", "_")
    if code in vocabulary:
        return code
    for candidate, label in vocabulary.items():
        if any(Translator(language).gettext(label).casefold() == folded for language in SUPPORTED_LANGUAGES):
            return candidate
    return None


def active_filters(
    filters: ExpertFilters, facets: dict[str, list[tuple[str, int]]], language: str
) -> list[ActiveFilter]:
    """The filters in force, each named in ``language``, in the order of the facets."""
    taxonomy = load_taxonomy()
    translator = Translator(language)
    shown = []
    for key, title in FILTER_TITLES.items():
        value = getattr(filters, key)
        if not value:
            continue
        listed = {listed for listed, _count in facets.get(key, [])}
        suggested: str | None
        if key == "sector":
            node = taxonomy.nodes.get(value)
            known, suggested = node is not None, taxonomy.resolve(value)
            title = N_("Sub-sector") if node is not None and node.parent else title
            label = taxonomy.label(value, language)
        elif key == "city":
            known, suggested = value in CITIES or value in listed, canonical_city(value)
            label = city_label(value, language)
        else:
            vocabulary = ORGANIZATION_TYPE if key == "organization_type" else SPOKEN_LANGUAGE
            known, suggested = value in vocabulary or value in listed, _named(value, vocabulary)
            label = translator.gettext(vocabulary[value]) if value in vocabulary else value
        suggestion = None
        if not known and suggested and suggested != value:
            if key == "sector":
                suggestion = (suggested, taxonomy.label(suggested, language))
            elif key == "city" and suggested in CITIES:
                suggestion = (suggested, city_label(suggested, language))
            elif key in ("organization_type", "language"):
                vocabulary = ORGANIZATION_TYPE if key == "organization_type" else SPOKEN_LANGUAGE
                suggestion = (suggested, translator.gettext(vocabulary[suggested]))
        shown.append(ActiveFilter(key, title, value, label, known, suggestion))
    return shown

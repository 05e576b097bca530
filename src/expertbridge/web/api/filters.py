"""The list filters of the JSON API, each a query parameter that checks its own value.

A filter of a closed vocabulary (sector codes of the taxonomy, organization types, opportunity kinds
and statuses, event kinds, spoken languages, countries) refuses a value the vocabulary lacks with a
422 that names the parameter, the value, what is allowed and, when the value is a label or another
spelling of a code, that code: ``sector=Transport`` would otherwise list nothing and look like an
empty registry.  The empty string is no filter.

Three filters take what an import takes, read by the import's own tables: an organization type
by a synonym (``НИИ``), a country by its name in the three languages (``Китай``), and a city by
its name in any of them, any case (``Москва``, ``北京``, ``moscow``: ``Moscow``, as the registry
stores it).  The city stays open, as in imports and forms: a city the registry has no name for is
matched as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from expertbridge.ingest.organizations import organization_type_code
from expertbridge.registry.countries import country_code
from expertbridge.registry.places import CITIES, canonical_city
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.vocab import (
    EVENT_KINDS,
    OPPORTUNITY_KINDS,
    OPPORTUNITY_STATUSES,
    ORGANIZATION_TYPES,
    SPOKEN_LANGUAGES,
    spoken_language_code,
)
from expertbridge.settings import SUPPORTED_LANGUAGES
from expertbridge.web.i18n import Translator
from expertbridge.web.labels import EVENT_KIND, OPPORTUNITY_KIND, OPPORTUNITY_STATUS

MAX_FILTER = 500


def codes(values: Iterable[str]) -> str:
    """``a``, ``b`` as the descriptions and messages list codes."""
    return ", ".join(f"`{value}`" for value in values)


def _refuse(value: str, what: str, allowed: str, suggestion: str | None) -> PydanticCustomError:
    """The problem of an unknown value: what it is not, the code it probably means, what is allowed."""
    hint = f" Did you mean `{suggestion}`?" if suggestion and suggestion != value else ""
    # The value goes in as context, so that braces in it are not read as placeholders.
    return PydanticCustomError(
        "unknown_code", "`{value}` is not " + what + "." + hint + " Use " + allowed + ".", {"value": value}
    )


def _checked(check: Callable[[str], None]) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if value:
            check(value)
        return value

    return validate


def _read(read: Callable[[str], str]) -> Callable[[str], str]:
    """A validator that replaces a non-empty value by the code ``read`` finds for it (or refuses)."""

    def validate(value: str) -> str:
        return read(value) if value else value

    return validate


def _as_code(value: str) -> str:
    """``Research institute`` → ``research_institute``."""
    return value.strip().casefold().replace(" ", "_").replace("-", "_")


def code_named(value: str, labels: dict[str, str]) -> str | None:
    """The code whose label (in any language of the pages) or code spelling ``value`` is."""
    code = _as_code(value)
    if code in labels:
        return code
    folded = value.strip().casefold()
    for candidate, label in labels.items():
        if any(Translator(language).gettext(label).casefold() == folded for language in SUPPORTED_LANGUAGES):
            return candidate
    return None


def _check_sector(value: str) -> None:
    taxonomy = load_taxonomy()
    if value in taxonomy.nodes:
        return
    lowered = value.strip().lower()
    suggestion = lowered if lowered in taxonomy.nodes else taxonomy.resolve(value)
    prefix, dot, rest = value.partition(".")
    area = taxonomy.nodes.get(prefix)
    if area is not None and area.parent is None and dot:
        # `transport.subway`: the sub-sector whose label or synonym the part after the dot is.
        named = taxonomy.resolve(rest)
        suggestion = suggestion or (named if named in area.children else None)
        allowed = f"one of the sub-sectors of `{area.code}`: {codes(area.children)}, or `{area.code}` itself"
    else:
        allowed = (
            f"an area ({codes(node.code for node in taxonomy.top_level)}) or one of its sub-sectors "
            "written `area.sub-sector`, such as `transport.metro`"
        )
    raise _refuse(value, "a sector code of the taxonomy", allowed, suggestion)


def _closed(allowed: tuple[str, ...], labels: dict[str, str], what: str) -> Callable[[str], None]:
    """The check of a vocabulary the registry stores (``allowed``), hinting by ``labels``."""

    def check(value: str) -> None:
        if value not in allowed:
            raise _refuse(value, what, "one of: " + codes(allowed), code_named(value, labels))

    return check


def _check_language(value: str) -> None:
    if value not in SPOKEN_LANGUAGES:
        raise _refuse(
            value,
            "a spoken language's ISO 639-1 code",
            "one of: " + codes(SPOKEN_LANGUAGES),
            spoken_language_code(value),
        )


def _read_organization_type(value: str) -> str:
    code = organization_type_code(value)
    if code is None:
        raise _refuse(
            value,
            "an organization type",
            "one of: " + codes(ORGANIZATION_TYPES) + ", or a type's name as imports take it",
            None,
        )
    return code


def _read_country(value: str) -> str:
    code = country_code(value)
    if code is None:
        raise _refuse(
            value,
            "a country's ISO 3166-1 alpha-2 code or name",
            "a code such as `RU` or `CN`, or a name in English, Russian or Chinese (`China`, `Китай`, "
            "`中国`)",
            None,
        )
    return code


_REFUSED = " Any other value is refused (422) with the codes allowed; an empty value is no filter."

# Where an opportunity's matches are taken from: the partner city of the opportunity's own (Moscow ↔
# Beijing), or every city.
SIDES = ("counterpart", "any")


def _check_side(value: str) -> None:
    if value not in SIDES:
        folded = value.strip().casefold()
        raise _refuse(
            value,
            "a side to take experts from",
            "`counterpart` (the partner city of the opportunity's own, the default) or `any` (every city)",
            folded if folded in SIDES else None,
        )


SectorFilter = Annotated[
    str,
    Query(
        max_length=MAX_FILTER,
        description="A sector code of the taxonomy, lower case: an area ("
        + codes(node.code for node in load_taxonomy().top_level)
        + ") or one of its sub-sectors written `area.sub-sector`, such as `transport.metro` or "
        "`science.ai`; an area includes its sub-sectors. A sector's label (`Transport`, `Транспорт`) "
        "is refused with its code." + _REFUSED,
    ),
    AfterValidator(_checked(_check_sector)),
]
CityFilter = Annotated[
    str,
    Query(
        max_length=MAX_FILTER,
        description="A city: "
        + codes(CITIES)
        + ", named in English, Russian or Chinese, in any case (`Moscow`, `moscow`, `Москва`, `莫斯科` "
        "are the same city), or another city, matched as the registry writes it. Cities are open: "
        "a city no record is in lists nothing.",
    ),
    AfterValidator(_read(canonical_city)),
]
CountryFilter = Annotated[
    str,
    Query(
        max_length=MAX_FILTER,
        description="A country: its ISO 3166-1 alpha-2 code (`RU`, `CN`; any case), or its name in "
        "English, Russian or Chinese (`China`, `Китай`, `中国`). A code ISO does not assign (`ZZ`) or "
        "a name the registry does not know is refused (422); an empty value is no filter.",
    ),
    AfterValidator(_read(_read_country)),
]
LanguageFilter = Annotated[
    str,
    Query(
        max_length=MAX_FILTER,
        description="A spoken language as an ISO 639-1 code, lower case: "
        + codes(SPOKEN_LANGUAGES)
        + " (not a language's name such as `Russian`)."
        + _REFUSED,
    ),
    AfterValidator(_checked(_check_language)),
]
OrganizationTypeFilter = Annotated[
    str,
    Query(
        max_length=MAX_FILTER,
        description="An organization type, one of: "
        + codes(ORGANIZATION_TYPES)
        + ", or its name or a synonym in English, Russian or Chinese, as imports take it "
        "(`University`, `НИИ`, `高校`)." + _REFUSED,
    ),
    AfterValidator(_read(_read_organization_type)),
]
OpportunityKindFilter = Annotated[
    str,
    Query(max_length=MAX_FILTER, description="One of: " + codes(OPPORTUNITY_KINDS) + "." + _REFUSED),
    AfterValidator(_checked(_closed(OPPORTUNITY_KINDS, OPPORTUNITY_KIND, "a kind of opportunity"))),
]
OpportunityStatusFilter = Annotated[
    str,
    Query(max_length=MAX_FILTER, description="One of: " + codes(OPPORTUNITY_STATUSES) + "." + _REFUSED),
    AfterValidator(_checked(_closed(OPPORTUNITY_STATUSES, OPPORTUNITY_STATUS, "an opportunity status"))),
]
EventKindFilter = Annotated[
    str,
    Query(max_length=MAX_FILTER, description="One of: " + codes(EVENT_KINDS) + "." + _REFUSED),
    AfterValidator(_checked(_closed(EVENT_KINDS, EVENT_KIND, "a kind of event"))),
]
SideChoice = Annotated[
    str,
    Query(
        max_length=MAX_FILTER,
        description="Where the experts are taken from: `counterpart` (the partner city of the "
        "opportunity's own, Moscow ↔ Beijing; the default) or `any` (every city). Any other value is "
        "refused (422) with the values allowed; an empty value is the default.",
    ),
    AfterValidator(_checked(_check_side)),
]

"""The countries ISO 3166-1 assigns a code to, and the country a filter's value names.

A country filter is a closed list: ``ZZ`` or ``XX`` look like codes but name no country, and
answering them with an empty list would look like an empty registry.

>>> country_code("Китай"), country_code("ru"), country_code("FI"), country_code("ZZ")
('CN', 'RU', 'FI', None)
"""

from __future__ import annotations

from expertbridge.registry.places import ISO_3166_ALPHA2, canonical_country

__all__ = ["ISO_3166_ALPHA2", "country_code"]


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code ``text`` names: an assigned code in any case, or a country's name
    in English, Russian or Chinese that the registry knows (:data:`~expertbridge.registry.places.COUNTRIES`
    and its aliases, such as ``КНР``); None for anything else.  The same reading as imports and forms
    (:func:`~expertbridge.registry.places.canonical_country`), so that the three agree."""
    return canonical_country(text)

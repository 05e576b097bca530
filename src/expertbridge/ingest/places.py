"""The city and country cells of a row, read one way for experts, organizations and activities.

A city is open (any city is kept as written, known ones in their canonical form: Москва, 北京 →
Moscow, Beijing); a country is a code or a name in the three languages.  A country that contradicts
a known city ("北京" with "Россия") is a problem on the country cell, and an empty country is filled
in from a known city.
"""

from __future__ import annotations

from expertbridge.ingest.cells import RowCells
from expertbridge.messages import Message
from expertbridge.registry.places import (
    COUNTRIES,
    canonical_city,
    canonical_country,
    conflicting_country,
    country_of_city,
)
from expertbridge.registry.problems import N_

MAX_CITY = 200
UNKNOWN_COUNTRY = N_("unknown country; use a code such as RU or CN")
COUNTRY_OF_CITY = N_(
    "the country of %(city)s is %(country)s: correct the country or the city, or leave the country empty "
    "and it is filled in from the city"
)


def read_place(cells: RowCells) -> tuple[str | None, str | None]:
    """The row's canonical city and country (the country filled in from a known city when the row
    has none); problems go to ``cells``.

    >>> cells = RowCells(2, {"city": "北京", "country": "Россия"})
    >>> read_place(cells), [issue.column for issue in cells.issues]
    (('Beijing', 'RU'), ['country'])
    >>> moscow, kyoto = RowCells(3, {"city": "Москва"}), RowCells(4, {"city": "Kyoto", "country": "JP"})
    >>> read_place(moscow), read_place(kyoto)
    (('Moscow', 'RU'), ('Kyoto', 'JP'))
    """
    city_text = cells.get("city", max_chars=MAX_CITY)
    city = canonical_city(city_text) if city_text else None
    country_text = cells.get("country")
    country = canonical_country(country_text) if country_text else None
    if country_text and country is None:
        cells.fail("country", country_text, UNKNOWN_COUNTRY)
    expected = conflicting_country(city, country)
    if expected is not None:
        # One of the two was mistyped, and a record in two countries is listed and filtered under both.
        named = Message(COUNTRIES[expected][0]) if expected in COUNTRIES else expected
        cells.fail("country", country_text, COUNTRY_OF_CITY, city=city_text, country=named)
    return city, country or (country_of_city(city) if city else None)

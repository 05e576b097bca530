"""Partial rows: a column that a file does not have leaves the stored value alone.

Coordinators update the registry with spreadsheets that carry some columns only (the names and the
e-mail addresses, say).  A row replaces the fields of the columns it has (an empty cell clears its
field) and keeps the others.  The stored record is turned back into import columns, the row's cells
are laid over them, and the result is read like any row, so that it is validated, normalised and
compared exactly as a full row would be.  The API's partial updates work the same way
(:func:`expertbridge.ingest.changes.update`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from expertbridge.ingest.experts import expert_row
from expertbridge.ingest.organizations import organization_row
from expertbridge.registry.places import canonical_city, country_of_city
from expertbridge.registry.records import ExpertRecord, OrganizationRecord
from expertbridge.text.normalize import script_of

# Columns that a row cannot clear: an empty cell keeps the stored value.  An expert's status and an
# organization's type have no empty value (an empty cell would mean the default: approving a
# rejected profile, making a university "other"), and the import id is what the row was matched by.
KEPT_WHEN_EMPTY = frozenset({"id", "status", "type"})
# The language a bare name column (ФИО, 姓名, Name) gives, by the script it is written in.
BARE_NAME_LANGUAGES = {"Cyrl": "ru", "Hani": "zh", "Latn": "en"}


def given_columns(cells: Mapping[str, str]) -> frozenset[str]:
    """The canonical columns whose stored values a row replaces."""
    return frozenset(
        column for column, text in cells.items() if column and (text or column not in KEPT_WHEN_EMPTY)
    )


def row_fingerprint(record: ExpertRecord, given: frozenset[str]) -> str:
    """The fingerprint of an imported row: its record and the columns it sets.

    The columns count because two rows with the same record may do different things: an empty email
    column clears the stored addresses, a file without that column keeps them.
    """
    key = f"{record.fingerprint()}|{','.join(sorted(given))}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def expert_cells_over(stored: ExpertRecord, cells: Mapping[str, str]) -> dict[str, str]:
    """The cells of an expert row completed with the stored profile's values of the other columns."""
    merged = _laid_over(expert_row(stored, ""), cells)
    # The reader takes a bare name only in a language the name columns leave empty; it replaces
    # the stored name in its own script.
    bare = " ".join(cells.get("name", "").split())
    language = BARE_NAME_LANGUAGES.get(script_of(bare)) if bare else None
    if language and not cells.get(f"name_{language}"):
        merged[f"name_{language}"] = ""
    return merged


def organization_cells_over(stored: OrganizationRecord, cells: Mapping[str, str]) -> dict[str, str]:
    """The cells of an organization row completed with the stored values of the other columns."""
    return _laid_over(organization_row(stored, ""), cells)


def same_expert(row: ExpertRecord, stored: ExpertRecord) -> bool:
    """Whether writing ``row`` would leave ``stored`` as it is.

    Biographies are compared by language: the reader lists them ru, zh, en, the registry's reader
    in alphabetical order.
    """
    return replace(row, bios=tuple(sorted(row.bios))) == replace(stored, bios=tuple(sorted(stored.bios)))


def _laid_over(stored_row: dict[str, str], cells: Mapping[str, str]) -> dict[str, str]:
    given = given_columns(cells)
    merged = {**stored_row, **{column: text for column, text in cells.items() if column in given}}
    follow_city(merged, cells.get("city", ""), given)
    return merged


def follow_city(merged: dict[str, Any], city: object, given: Collection[str]) -> None:
    """A new ``city`` without a country among the ``given`` columns brings its own country into the
    ``merged`` row (a move from Moscow to Beijing is a move to China) when the registry knows the
    city; an unknown one keeps the stored country.  Imports and the API's partial updates alike."""
    if isinstance(city, str) and city and "country" not in given:
        merged["country"] = country_of_city(canonical_city(city)) or merged.get("country", "")

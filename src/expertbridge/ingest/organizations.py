"""Validate organization rows (spreadsheet columns or ROR records) into records."""

from __future__ import annotations

from typing import Any

from expertbridge.ingest.cells import RowCells, cell_text, split_list
from expertbridge.registry.places import canonical_city, canonical_country, country_of_city
from expertbridge.registry.records import OrganizationRecord
from expertbridge.registry.vocab import ORGANIZATION_TYPES
from expertbridge.text.normalize import script_of

ORGANIZATION_COLUMNS = (
    "id",
    "name_ru",
    "name_zh",
    "name_en",
    "aliases",
    "type",
    "city",
    "country",
    "ror_id",
    "wikidata_id",
    "website",
    "parent",
)
# ROR organization types, most telling first, mapped to the registry's types.
ROR_TYPES = (
    ("education", "university"),
    ("healthcare", "hospital"),
    ("company", "enterprise"),
    ("government", "government_body"),
    ("facility", "research_institute"),
    ("nonprofit", "association"),
    ("funder", "government_body"),
    ("archive", "other"),
    ("other", "other"),
)
_EXPECTED_SCRIPT = {"ru": "Cyrl", "zh": "Hani", "en": "Latn"}


def is_ror_record(cells: dict[str, Any]) -> bool:
    """Whether a JSON object is a ROR record rather than a row of canonical columns."""
    identifier = str(cells.get("ror_id") or cells.get("id") or "")
    return identifier.startswith("https://ror.org/") and isinstance(cells.get("names"), list)


def read_organization_row(cells: RowCells) -> OrganizationRecord | None:
    """An organization from canonical columns, or None with issues in ``cells``."""
    names: dict[str, str] = {}
    for language, script in _EXPECTED_SCRIPT.items():
        text = " ".join(cells.get(f"name_{language}", max_chars=500).split())
        if text and script_of(text) not in (script, "Zyyy", "Mixed"):
            cells.fail(f"name_{language}", text, f"is not written in the script of {language}")
        elif text:
            names[language] = text
    if not names and not cells.issues:
        cells.fail("name_en", "", "no name: fill at least one of name_ru, name_zh, name_en")
    city = canonical_city(cells.get("city")) if cells.get("city") else None
    country_text = cells.get("country")
    country = canonical_country(country_text) if country_text else None
    if country_text and country is None:
        cells.fail("country", country_text, "unknown country; use a code such as RU or CN")
    ror_id = cells.get("ror_id") or None
    if ror_id and not ror_id.startswith("https://ror.org/"):
        ror_id = f"https://ror.org/{ror_id.rsplit('/', 1)[-1]}"
    record = OrganizationRecord(
        names=names,
        external_id=cells.get("id", max_chars=200) or None,
        aliases=tuple(split_list(cells.get("aliases", max_chars=5_000))),
        type=cells.choice("type", ORGANIZATION_TYPES, "other"),
        city=city,
        country=country or (country_of_city(city) if city else None),
        ror_id=ror_id,
        wikidata_id=cells.get("wikidata_id", max_chars=32) or None,
        website=cells.get("website", max_chars=500) or None,
        parent=cells.get("parent", max_chars=500) or None,
    )
    return None if cells.issues else record


def _ror_names(raw: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    names: dict[str, str] = {}
    aliases: list[str] = []
    # ROR values sometimes carry stray spaces; a name is compared and exported trimmed.
    entries = [
        {**entry, "value": " ".join(str(entry.get("value", "")).split())} for entry in raw.get("names") or []
    ]
    # The display name is the English label unless an English label is given explicitly.
    for entry in entries:
        value, language, types = entry.get("value", ""), entry.get("lang"), entry.get("types", [])
        is_label = "label" in types or "ror_display" in types
        if is_label and language in _EXPECTED_SCRIPT and language not in names:
            names[language] = value
    for entry in entries:
        value, types = entry.get("value", ""), entry.get("types", [])
        if "ror_display" in types and "en" not in names and script_of(value) == "Latn":
            names["en"] = value
    for entry in entries:
        value = entry.get("value", "")
        if value and value not in names.values() and value not in aliases:
            aliases.append(value)
    return names, aliases


def read_ror_record(cells: RowCells, raw: dict[str, Any]) -> OrganizationRecord | None:
    """An organization from a ROR record (schema v1 or v2, or the project's ROR extract)."""
    names, aliases = _ror_names(raw)
    if not names:
        cells.fail("names", "", "the ROR record has no label")
        return None
    types = raw.get("types") or []
    org_type = next((ours for ror, ours in ROR_TYPES if ror in types), "other")
    location = (raw.get("locations") or [{}])[0]
    details = location.get("geonames_details") or {}
    city = location.get("city") or details.get("name") or ((raw.get("cities") or [None])[0])
    country = location.get("country_code") or details.get("country_code")
    if not country and raw.get("country_codes"):
        country = raw["country_codes"][0]
    wikidata = raw.get("wikidata")
    external = raw.get("external_ids")
    if not wikidata and isinstance(external, list):
        wikidata = next(
            (cell_text((e.get("all") or [None])[0]) for e in external if e.get("type") == "wikidata"),
            None,
        )
    if isinstance(wikidata, list):
        wikidata = wikidata[0] if wikidata else None
    links = raw.get("links") or []
    website = links[0].get("value") if links and isinstance(links[0], dict) else (links[0] if links else None)
    parent = next(
        (rel.get("id") for rel in raw.get("relationships") or [] if rel.get("type") == "parent"), None
    )
    return OrganizationRecord(
        names=names,
        aliases=tuple(aliases),
        type=org_type,
        city=canonical_city(city) if city else None,
        country=country,
        ror_id=str(raw.get("ror_id") or raw.get("id")),
        wikidata_id=cell_text(wikidata) or None,
        website=website,
        parent=parent,
    )


def organization_row(record: OrganizationRecord, fallback_id: str) -> dict[str, str]:
    """The export row of an organization."""
    return {
        "id": record.external_id or fallback_id,
        "name_ru": record.names.get("ru", ""),
        "name_zh": record.names.get("zh", ""),
        "name_en": record.names.get("en", ""),
        "aliases": ";".join(record.aliases),
        "type": record.type,
        "city": record.city or "",
        "country": record.country or "",
        "ror_id": record.ror_id or "",
        "wikidata_id": record.wikidata_id or "",
        "website": record.website or "",
        "parent": record.parent or "",
    }

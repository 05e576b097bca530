"""Validate organization rows (spreadsheet columns or ROR records) into records."""

from __future__ import annotations

from typing import Any

from expertbridge.ingest.cells import RowCells, cell_text, split_list
from expertbridge.registry.places import canonical_city, canonical_country, country_of_city
from expertbridge.registry.problems import N_
from expertbridge.registry.records import OrganizationRecord
from expertbridge.registry.vocab import ORGANIZATION_TYPES
from expertbridge.text.normalize import fold, script_of

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
# What offices write in the type column, besides the codes: the labels the pages show for each type
# in English, Russian and Chinese (web/labels.py and the catalogs; a test keeps them in step), and
# common synonyms.  The ROR types (ROR_TYPES) are understood too.
ORGANIZATION_TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "enterprise": ("Enterprise", "Предприятие", "企业", "company", "компания", "公司"),
    "university": ("University", "Университет", "高校", "вуз", "大学", "高等院校"),
    "research_institute": (
        "Research institute",
        "Научно-исследовательский институт",
        "科研院所",
        "НИИ",
        "研究所",
        "研究院",
        "科研机构",
    ),
    "government_body": (
        "Government body",
        "Орган государственной власти",
        "政府机构",
        "government agency",
        "государственный орган",
        "госорган",
        "政府部门",
    ),
    "innovation_cluster": ("Innovation cluster", "Инновационный кластер", "创新集群", "кластер"),
    "science_park": ("Science park", "Научный парк", "科技园", "technopark", "технопарк", "科技园区"),
    "association": ("Association", "Ассоциация", "协会"),
    "hospital": ("Hospital", "Больница", "医院", "clinic", "клиника"),
    "other": ("Other", "Другое", "其他", "прочее", "其它"),
}


def _type_lookup() -> dict[str, str]:
    lookup = {fold(code): code for code in ORGANIZATION_TYPES}
    for code, names in ORGANIZATION_TYPE_NAMES.items():
        lookup.update((fold(name), code) for name in names)
    for ror_type, code in ROR_TYPES:
        lookup.setdefault(fold(ror_type), code)
    return lookup


_TYPE_LOOKUP = _type_lookup()
_TYPE_CHOICES = ", ".join(
    f"{code} ({', '.join(ORGANIZATION_TYPE_NAMES[code][1:3])})" for code in ORGANIZATION_TYPES
)


def organization_type(cells: RowCells) -> str:
    """The type code of a row's type cell: a code, or a label or synonym in any of the three
    languages, case and spaces forgiven; "other" when empty.

    >>> organization_type(RowCells(2, {"type": " научно-исследовательский  ИНСТИТУТ"})), organization_type(
    ...     RowCells(2, {"type": "高校"})), organization_type(RowCells(2, {"type": "Science_Park"}))
    ('research_institute', 'university', 'science_park')
    """
    text = cells.get("type")
    if not text:
        return "other"
    code = _TYPE_LOOKUP.get(fold(text))
    if code is None:
        cells.fail(
            "type", text, N_("unknown organization type; use one of: %(choices)s"), choices=_TYPE_CHOICES
        )
        return "other"
    return code


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
        type=organization_type(cells),
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

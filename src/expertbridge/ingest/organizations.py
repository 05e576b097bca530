"""Validate organization rows (spreadsheet columns or ROR records) into records.

Every way into the registry reads an organization here (files, the API, the web form), so its ROR
id, Wikidata id and website are judged alike wherever they come from: a website is a link on the
organization's page, and only an http or https address may become one.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from expertbridge.ingest.cells import RowCells, cell_text, split_list
from expertbridge.ingest.places import read_place
from expertbridge.registry.places import (
    canonical_city,
)
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
# The script each name is written in, and what to tell when it is not.
NAME_SCRIPTS = {
    "ru": ("Cyrl", N_("is not written in Cyrillic letters; write the Russian name here")),
    "zh": ("Hani", N_("is not written in Chinese characters; write the Chinese name here")),
    "en": ("Latn", N_("is not written in Latin letters; write the English name here")),
}
# The lengths the database keeps (organization_names.text, organizations.website).
MAX_NAME = 500
MAX_WEBSITE = 500
ROR_PREFIX = "https://ror.org/"
# ROR ids are "0", six digits of Crockford's base 32 and a two-digit ISO 7064 checksum.
_ROR_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR_ID = re.compile(r"(?:(?:https?://)?(?:www\.)?ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})/?")
_WIKIDATA_ID = re.compile(r"(?:https?://(?:www\.|m\.)?wikidata\.org/(?:wiki|entity)/)?[Qq]([1-9][0-9]{0,11})")
NOT_A_ROR_ID = N_("not a ROR id: a ROR id is 9 characters such as 0009eea46; copy it from ror.org")
ROR_ID_MISTYPED = N_(
    "not a ROR id: its last two digits do not match the others, so a character was mistyped; copy it "
    "from ror.org"
)
NOT_A_WIKIDATA_ID = N_("not a Wikidata id: write the item's Q-number, such as Q1053996")
NOT_A_WEBSITE = N_("not a website address: write the whole address, starting with https:// or http://")
OWN_PARENT = N_(
    "an organization cannot be its own parent; leave the parent empty or give the organization it is part of"
)
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


def organization_type_code(text: str) -> str | None:
    """The type code ``text`` names: a code, or a label or synonym in any of the three languages
    (:data:`ORGANIZATION_TYPE_NAMES`, the ROR types), case and spaces forgiven; None otherwise.
    The API's filter reads its value with it, so a filter takes what an import takes.

    >>> organization_type_code("НИИ"), organization_type_code("uni")
    ('research_institute', None)
    """
    return _TYPE_LOOKUP.get(fold(text))


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
    code = organization_type_code(text)
    if code is None:
        cells.fail(
            "type", text, N_("unknown organization type; use one of: %(choices)s"), choices=_TYPE_CHOICES
        )
        return "other"
    return code


def ror_identifier(text: str) -> str | None:
    """The ROR id ``text`` gives (the bare id or its address, any case) as its address; None when
    it is not a ROR id (wrong form, or a checksum that does not match).

    >>> ror_identifier("0009EEA46"), ror_identifier(" https://ror.org/0009eea46/")
    ('https://ror.org/0009eea46', 'https://ror.org/0009eea46')
    >>> ror_identifier("0009eea47"), ror_identifier("msu.ru"), ror_identifier("https://ror.org/")
    (None, None, None)
    """
    found = _ROR_ID.fullmatch(text.strip().lower())
    if found is None:
        return None
    identifier = found.group(1)
    number = 0
    for digit in identifier[1:7]:
        number = number * 32 + _ROR_DIGITS.index(digit)
    return ROR_PREFIX + identifier if int(identifier[7:]) == 98 - number * 100 % 97 else None


def wikidata_identifier(text: str) -> str | None:
    """The Wikidata item ``text`` gives (its Q-number or its page's address), as ``Q`` and the
    number; None when it is not one.

    >>> wikidata_identifier("q1053996"), wikidata_identifier("https://www.wikidata.org/wiki/Q1053996")
    ('Q1053996', 'Q1053996')
    >>> wikidata_identifier("Q0"), wikidata_identifier("1053996"), wikidata_identifier("P31")
    (None, None, None)
    """
    found = _WIKIDATA_ID.fullmatch(text.strip())
    return f"Q{found.group(1)}" if found else None


def is_website(text: str) -> bool:
    """Whether ``text`` is the whole address of a website: http or https, and a host name.

    >>> is_website("https://www.msu.ru/"), is_website("http://tsinghua.edu.cn/en")
    (True, True)
    >>> is_website("www.msu.ru"), is_website("javascript:alert(1)"), is_website("https://intranet")
    (False, False, False)
    """
    if any(character.isspace() for character in text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # a malformed port or IPv6 address
        return False
    return parts.scheme.lower() in ("http", "https") and host is not None and "." in host.strip(".")


def _ror_id(cells: RowCells, column: str, text: str) -> str | None:
    """The ROR id of a cell as its address; None when empty or refused (with a problem)."""
    ror_id = ror_identifier(text) if text else None
    if text and ror_id is None:
        # The right shape with a wrong checksum is a typing error, not a misunderstanding.
        shaped = _ROR_ID.fullmatch(text.strip().lower()) is not None
        cells.fail(column, text, ROR_ID_MISTYPED if shaped else NOT_A_ROR_ID)
    return ror_id


def _wikidata_id(cells: RowCells, column: str, text: str) -> str | None:
    """The Wikidata id of a cell as ``Q`` and its number; None when empty or refused."""
    wikidata_id = wikidata_identifier(text) if text else None
    if text and wikidata_id is None:
        cells.fail(column, text, NOT_A_WIKIDATA_ID)
    return wikidata_id


def _website(cells: RowCells, column: str, text: str) -> str | None:
    """The website of a cell; None when empty or refused (anything but an http or https address
    would be a dangerous link on the organization's page)."""
    if text and not is_website(text):
        cells.fail(column, text, NOT_A_WEBSITE)
        return None
    return text or None


def _check_not_own_parent(
    cells: RowCells, column: str, parent: str | None, own: tuple[str | None, ...]
) -> None:
    """Refuse a parent that names the row's own organization by its import id or ROR id (a name
    may be another organization's too: the registry judges that when it links the parent)."""
    if parent and parent in own:
        cells.fail(column, parent, OWN_PARENT)


def is_ror_record(cells: dict[str, Any]) -> bool:
    """Whether a JSON object is a ROR record rather than a row of canonical columns."""
    identifier = str(cells.get("ror_id") or cells.get("id") or "")
    return identifier.startswith(ROR_PREFIX) and isinstance(cells.get("names"), list)


def read_organization_row(cells: RowCells) -> OrganizationRecord | None:
    """An organization from canonical columns, or None with issues in ``cells``."""
    names: dict[str, str] = {}
    for language, (script, wrong_script) in NAME_SCRIPTS.items():
        text = " ".join(cells.get(f"name_{language}", max_chars=MAX_NAME).split())
        if text and script_of(text) not in (script, "Zyyy", "Mixed"):
            cells.fail(f"name_{language}", text, wrong_script)
        elif text:
            names[language] = text
    if not names and not cells.issues:
        cells.fail("name_en", "", N_("no name: fill at least one of name_ru, name_zh, name_en"))
    city, country = read_place(cells)
    external_id = cells.get("id", max_chars=200) or None
    ror_id = _ror_id(cells, "ror_id", cells.get("ror_id"))
    parent = cells.get("parent", max_chars=500) or None
    _check_not_own_parent(cells, "parent", parent, (external_id, ror_id))
    record = OrganizationRecord(
        names=names,
        external_id=external_id,
        aliases=tuple(split_list(cells.get("aliases", max_chars=5_000))),
        type=organization_type(cells),
        city=city,
        country=country,
        ror_id=ror_id,
        wikidata_id=_wikidata_id(cells, "wikidata_id", cells.get("wikidata_id", max_chars=200)),
        website=_website(cells, "website", cells.get("website", max_chars=MAX_WEBSITE)),
        parent=parent,
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
        if is_label and language in NAME_SCRIPTS and language not in names:
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


def _ror_wikidata(raw: dict[str, Any]) -> tuple[str, str]:
    """The key of a ROR record that gives its Wikidata id, and the (first) id."""
    wikidata = raw.get("wikidata")
    external = raw.get("external_ids")
    if not wikidata and isinstance(external, list):
        found = next((e.get("all") for e in external if e.get("type") == "wikidata"), None)
        return "external_ids", cell_text((found or [None])[0])
    if isinstance(wikidata, list):
        wikidata = wikidata[0] if wikidata else None
    return "wikidata", cell_text(wikidata)


def read_ror_record(cells: RowCells, raw: dict[str, Any]) -> OrganizationRecord | None:
    """An organization from a ROR record (schema v1 or v2, or the project's ROR extract), or None
    with issues in ``cells``: each names the key of the record it is about."""
    names, aliases = _ror_names(raw)
    if not names:
        cells.fail("names", "", N_("the ROR record has no label"))
        return None
    types = raw.get("types") or []
    org_type = next((ours for ror, ours in ROR_TYPES if ror in types), "other")
    location = (raw.get("locations") or [{}])[0]
    details = location.get("geonames_details") or {}
    city = location.get("city") or details.get("name") or ((raw.get("cities") or [None])[0])
    country = location.get("country_code") or details.get("country_code")
    if not country and raw.get("country_codes"):
        country = raw["country_codes"][0]
    links = raw.get("links") or []
    website = _ror_website(links)
    parent = next(
        (rel.get("id") for rel in raw.get("relationships") or [] if rel.get("type") == "parent"), None
    )
    id_key = "ror_id" if raw.get("ror_id") else "id"
    ror_id = _ror_id(cells, id_key, cell_text(raw.get(id_key)))
    _check_not_own_parent(cells, "relationships", cell_text(parent) or None, (ror_id,))
    wikidata_key, wikidata = _ror_wikidata(raw)
    record = OrganizationRecord(
        names=names,
        aliases=tuple(aliases),
        type=org_type,
        city=canonical_city(city) if city else None,
        country=country,
        ror_id=ror_id,
        wikidata_id=_wikidata_id(cells, wikidata_key, wikidata),
        website=_website(cells, "links", cell_text(website)),
        parent=parent,
    )
    return None if cells.issues else record


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


def _ror_website(links: list[Any]) -> Any:
    """The organization's own website among a ROR record's links: schema v1 lists addresses (the
    website first), v2 typed links (``{"type": "website"}`` beside ``wikipedia``), in any order."""
    for link in links:
        if isinstance(link, dict):
            if link.get("type", "website") == "website":
                return link.get("value")
        elif link:
            return link
    return None

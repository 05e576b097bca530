"""Validate one expert row from a file into an :class:`ExpertRecord`."""

from __future__ import annotations

import re
import unicodedata

from expertbridge.ingest.cells import RowCells, comma_separated, split_closed_list, split_list
from expertbridge.ingest.footers import starts_like_footer
from expertbridge.ingest.places import read_place
from expertbridge.messages import Message
from expertbridge.names.transliterate import renderings
from expertbridge.registry.problems import N_
from expertbridge.registry.records import ExpertRecord, NameRecord
from expertbridge.registry.taxonomy import Taxonomy
from expertbridge.registry.vocab import EXPERT_STATUSES, language_level, spoken_language_code
from expertbridge.text.normalize import language_of, script_of

EXPERT_COLUMNS = (
    "id",
    "name_ru",
    "name_zh",
    "name_en",
    "organization",
    "city",
    "country",
    "sectors",
    "expertise",
    "languages",
    "email",
    "phone",
    "orcid",
    "bio_ru",
    "bio_zh",
    "bio_en",
)
# Written by export and read back by import, after the canonical columns.
EXPERT_EXTRA_COLUMNS = (
    "position_title",
    "status",
    "scopus",
    "elibrary_spin",
    "researcher_id",
    "messenger",
)
NAME_COLUMNS = {"name_ru": ("ru", "Cyrl"), "name_zh": ("zh", "Hani"), "name_en": ("en", "Latn")}
SCRIPT_NAMES = {"Cyrl": N_("Cyrillic"), "Hani": N_("Chinese characters"), "Latn": N_("Latin letters")}
COUNTRY_LANGUAGE = {"RU": "ru", "CN": "zh"}
MAX_NAME = 300
# Marks a registry number in the id column (see registry_reference).
REGISTRY_MARK = "#"
MAX_BIO = 20_000

_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
# "en:C1", "English (C1)", "英语 - 母语", "английский — C1" (after NFKC, "中文：母语" is "中文:母语").
_LANGUAGE_ITEM = re.compile(r"^(?P<language>[^:(\-–—]+?)\s*(?:[:(\-–—]\s*(?P<level>[^)]*)\)?)?$")


def generated_names(names: tuple[NameRecord, ...]) -> tuple[NameRecord, ...]:
    """Forms of the primary name in the scripts the expert gave no name in, marked generated.

    Russian names get the English-press romanization and the Chinese rendering, Chinese names
    pinyin and Palladius, Latin names a Cyrillic back-transliteration (and Chinese when every
    word has a known form).  They are regenerated on every import, and never exported.
    """
    given_scripts = {name.script for name in names}
    primary = next((name for name in names if name.is_primary), names[0] if names else None)
    if primary is None:
        return ()
    return tuple(
        NameRecord(
            text=form.text,
            script=form.script,
            language=form.language,
            kind="transliteration",
            scheme=form.scheme,
            generated=True,
        )
        for form in renderings(primary.text)
        if form.script not in given_scripts
    )


def orcid_check_digit(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 15 ORCID digits."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def _names(cells: RowCells) -> list[tuple[str, str, str]]:
    """(text, language, script) of each name given, from the language columns and a bare name."""
    found: dict[str, tuple[str, str, str]] = {}
    for column, (language, script) in NAME_COLUMNS.items():
        text = " ".join(cells.get(column, max_chars=MAX_NAME).split())
        if not text:
            continue
        if starts_like_footer(text):
            _footer_in_data(cells, column, text)
            continue
        actual = script_of(text)
        if actual != script:
            cells.fail(
                column,
                text,
                N_(
                    "must be written in %(script)s; put each spelling in its own column "
                    "(name_ru, name_zh, name_en)"
                ),
                # The script's name is a word of the code: said in the reader's language.
                script=Message(SCRIPT_NAMES[script]),
            )
            continue
        found[language] = (text, language, script)
    bare = " ".join(cells.get("name", max_chars=MAX_NAME).split())
    if bare and starts_like_footer(bare):
        _footer_in_data(cells, "name", bare)
    elif bare:
        bare_script = script_of(bare)
        bare_language = {"Cyrl": "ru", "Hani": "zh", "Latn": "en"}.get(bare_script)
        if bare_language is None:
            cells.fail("name", bare, N_("mixes scripts or has no letters; use name_ru, name_zh and name_en"))
        elif bare_language not in found:
            found[bare_language] = (bare, bare_language, bare_script)
    return list(found.values())


def _footer_in_data(cells: RowCells, column: str, text: str) -> None:
    # Below the table such a row is left out (ingest/footers.py); among the rows it is no name.
    cells.fail(
        column,
        text,
        N_("a total or a note, not a name: remove the row, or move it below the last row of the table"),
    )


def _languages(cells: RowCells) -> tuple[tuple[str, str | None], ...]:
    result: list[tuple[str, str | None]] = []
    # Chinese input methods type the colon, comma and letters full-width ("英语：Ｃ1，俄语：母语").
    typed = unicodedata.normalize("NFKC", cells.get("languages"))
    for item in split_closed_list(typed):
        match = _LANGUAGE_ITEM.match(item)
        code = spoken_language_code(match.group("language")) if match else None
        if match is None or code is None:
            cells.fail("languages", item, N_("unknown language; write e.g. ru:native;en:C1;zh:B2"))
            continue
        level_text = (match.group("level") or "").strip()
        level = language_level(level_text) if level_text else None
        if level_text and level is None:
            cells.fail("languages", item, N_("unknown level; use native, C2, C1, B2, B1, A2 or A1"))
            continue
        if code not in (existing for existing, _ in result):
            result.append((code, level))
    return tuple(result)


def contact_value(kind: str, typed: str) -> str:
    """A contact item in the form it is checked, stored and compared in.

    Chinese input methods type full-width letters, digits and signs (``ｉｖａｎ＠example．org``,
    ``＋８６（１０）…``); NFKC turns them into the ASCII ones.  Messenger handles stay as typed.

    >>> contact_value("email", "ｉｖａｎ＠example．org"), contact_value("phone", "＋８６ １０")
    ('ivan@example.org', '+86 10')
    """
    return unicodedata.normalize("NFKC", typed) if kind in ("email", "phone") else typed


def _contacts(cells: RowCells) -> tuple[tuple[str, str], ...]:
    contacts: list[tuple[str, str]] = []
    # No e-mail address or phone number holds a comma, so a comma (half- or full-width) separates
    # them as ';' does: offices write "a@b.cn, c@d.cn" and "+7 495 123-45-67，+86 10 6275 1234".
    for typed in split_closed_list(cells.get("email")):
        email = contact_value("email", typed)
        if not _EMAIL.match(email):
            cells.fail("email", typed, N_("not an e-mail address (expected name@example.org)"))
        elif not _listed(contacts, "email", email):
            contacts.append(("email", email))
    for typed in split_closed_list(cells.get("phone")):
        phone = contact_value("phone", typed)
        digits = sum(char.isdigit() for char in phone)
        if not (_PHONE_CHARS.match(phone) and 6 <= digits <= 15):
            cells.fail(
                "phone", typed, N_("not a phone number (digits, spaces, +, -, parentheses; 6–15 digits)")
            )
        elif not _listed(contacts, "phone", phone):
            contacts.append(("phone", phone))
    for handle in split_list(cells.get("messenger", max_chars=200)):
        contacts.append(("messenger", handle))
    return tuple(contacts)


def _listed(contacts: list[tuple[str, str]], kind: str, value: str) -> bool:
    """Whether the item is already listed: the same address typed half-width and full-width is one."""
    return any(kind == listed_kind and value.lower() == listed.lower() for listed_kind, listed in contacts)


def _identifiers(cells: RowCells) -> tuple[tuple[str, str], ...]:
    identifiers: list[tuple[str, str]] = []
    orcid = cells.get("orcid")
    if orcid:
        match = _ORCID.match(orcid)
        if match is None:
            cells.fail("orcid", orcid, N_("not an ORCID iD (expected 0000-0002-1825-0097)"))
        else:
            value = match.group(1).upper()
            digits = value.replace("-", "")
            if orcid_check_digit(digits[:15]) != digits[15]:
                cells.fail(
                    "orcid", orcid, N_("the ORCID iD's check digit is wrong; copy it again from orcid.org")
                )
            else:
                identifiers.append(("orcid", value))
    for scheme in ("scopus", "elibrary_spin", "researcher_id"):
        value = cells.get(scheme, max_chars=50)
        if value:
            identifiers.append((scheme, value))
    return tuple(sorted(identifiers))


class ExpertRowReader:
    """Turns the canonical cells of a row into an :class:`ExpertRecord` or issues."""

    def __init__(self, taxonomy: Taxonomy, *, default_status: str = "approved"):
        self.taxonomy = taxonomy
        self.default_status = default_status

    def read(self, cells: RowCells) -> ExpertRecord | None:
        """The record, or None when the row has issues (they are in ``cells.issues``)."""
        if cells.cells.get(""):
            cells.fail("", cells.cells[""], N_("more cells than there are column headers"))
        names = _names(cells)
        if not names and not any(issue.column.startswith("name") for issue in cells.issues):
            cells.fail("name_ru", "", N_("no name: fill at least one of name_ru, name_zh, name_en"))
        city, country = read_place(cells)
        native = COUNTRY_LANGUAGE.get(country or "", "en")
        languages_given = [language for _, language, _ in names]
        primary = native if native in languages_given else next(iter(languages_given), None)
        name_records = tuple(
            NameRecord(
                text=text,
                script=script,
                language=language,
                kind="native" if language == primary else "transliteration",
                is_primary=language == primary,
            )
            for text, language, script in sorted(names, key=lambda n: ("ru", "zh", "en").index(n[1]))
        )
        name_records += generated_names(name_records)
        expertise = tuple(
            (keyword, language_of(keyword))
            for keyword in split_list(cells.get("expertise", max_chars=MAX_BIO))
        )
        for keyword, _ in expertise:
            if len(keyword) > MAX_NAME:
                cells.fail(
                    "expertise", keyword, N_("a keyword is longer than %(limit)s characters"), limit=MAX_NAME
                )
        bios = tuple(
            (language, text)
            for language in ("ru", "zh", "en")
            if (text := cells.get(f"bio_{language}", max_chars=MAX_BIO))
        )
        external_id = cells.get("id", max_chars=200) or None
        record = ExpertRecord(
            names=name_records,
            external_id=external_id,
            status=cells.choice("status", EXPERT_STATUSES, self.default_status),
            organization=cells.get("organization", max_chars=500) or None,
            position_title=cells.get("position_title", max_chars=300) or None,
            city=city,
            country=country,
            sectors=cells.sectors("sectors", self.taxonomy),
            expertise=expertise,
            languages=_languages(cells),
            bios=bios,
            identifiers=_identifiers(cells),
            contacts=_contacts(cells),
        )
        return None if cells.issues else record


def registry_reference(expert_id: int) -> str:
    """The id an export writes for an expert without an import id: its registry number, marked so
    that an import takes it for that expert and never for an import id of its own.

    >>> registry_reference(42), registry_number("#42"), registry_number("42"), registry_number("#4x")
    ('#42', 42, None, None)
    """
    return f"{REGISTRY_MARK}{expert_id}"


def registry_number(external_id: str | None) -> int | None:
    """The registry number a :func:`registry_reference` names, or None for any other id."""
    if not external_id or not external_id.startswith(REGISTRY_MARK):
        return None
    digits = external_id[len(REGISTRY_MARK) :]
    # isascii: int() would also read other scripts' digits; the database's integers stop at 2**63.
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        return int(digits)
    return None


def expertise_cell(expertise: tuple[tuple[str, str | None], ...]) -> str:
    """The expertise keywords as one cell that an import reads back as they are: a lone keyword with a
    comma gets a ';' after it, which an import reads as one keyword rather than a list written with
    commas (see :func:`~expertbridge.ingest.cells.comma_separated`).

    >>> expertise_cell((("Cu, Zn alloys", "en"),)), expertise_cell((("тоннели", "ru"), ("метро", "ru")))
    ('Cu, Zn alloys;', 'тоннели;метро')
    """
    cell = ";".join(text for text, _ in expertise)
    return f"{cell};" if comma_separated(cell) is not None else cell


def expert_row(record: ExpertRecord, fallback_id: str) -> dict[str, str]:
    """The export row of a record: canonical columns, then the extra ones."""
    names = {name.language: name.text for name in reversed(record.names) if not name.generated}
    identifiers = dict(record.identifiers)
    contacts: dict[str, list[str]] = {"email": [], "phone": [], "messenger": []}
    for kind, value in record.contacts:
        contacts.setdefault(kind, []).append(value)
    bios = dict(record.bios)
    return {
        "id": record.external_id or fallback_id,
        "name_ru": names.get("ru", ""),
        "name_zh": names.get("zh", ""),
        "name_en": names.get("en", ""),
        "organization": record.organization or "",
        "city": record.city or "",
        "country": record.country or "",
        "sectors": ";".join(record.sectors),
        "expertise": expertise_cell(record.expertise),
        "languages": ";".join(f"{code}:{level}" if level else code for code, level in record.languages),
        "email": ";".join(contacts["email"]),
        "phone": ";".join(contacts["phone"]),
        "orcid": identifiers.get("orcid", ""),
        "bio_ru": bios.get("ru", ""),
        "bio_zh": bios.get("zh", ""),
        "bio_en": bios.get("en", ""),
        "position_title": record.position_title or "",
        "status": record.status,
        "scopus": identifiers.get("scopus", ""),
        "elibrary_spin": identifiers.get("elibrary_spin", ""),
        "researcher_id": identifiers.get("researcher_id", ""),
        "messenger": ";".join(contacts["messenger"]),
    }

"""Every user-visible string has a Russian and a Chinese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "expertbridge"
METHODS = [("**/web/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        METHODS,
        keywords=KEYWORDS,
        options_map={"**/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        messages.add(message[0] if isinstance(message, tuple) else message)
    return {message for message in messages if message}


@pytest.mark.parametrize("language", ["ru", "zh"])
def test_catalog_translates_every_message(language: str) -> None:
    path = PACKAGE / "web" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {
        message.id[0] if isinstance(message.id, tuple) else message.id
        for message in catalog
        if message.id
        and "fuzzy" not in message.flags
        and (all(message.string) if isinstance(message.string, tuple) else message.string)
    }
    missing = sorted(_source_messages() - translated)
    assert not missing, f"{len(missing)} untranslated in {language} (run `make messages`): {missing[:10]}"


def test_source_has_messages() -> None:
    assert {"Experts", "Organizations", "Opportunities", "Events"} <= _source_messages()

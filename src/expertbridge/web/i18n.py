"""Page languages: gettext catalogs (ru, zh; English is the source) and choosing the language.

Catalogs are read from the ``.po`` files at start-up, so no compiled ``.mo`` files are kept in git.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from expertbridge.settings import SUPPORTED_LANGUAGES

LANGUAGE_NAMES = {"ru": "Русский", "zh": "中文", "en": "English"}


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` (identity for English), read once."""
    if language == "en":
        return gettext.NullTranslations()
    path = resources.files("expertbridge.web").joinpath(f"locale/{language}/LC_MESSAGES/messages.po")
    with path.open("rb") as handle:
        po = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, po, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate(accept_language: str | None, default: str) -> str:
    """The best supported language for an ``Accept-Language`` header.

    >>> negotiate("zh-CN,zh;q=0.9,en;q=0.8", "en")
    'zh'
    >>> negotiate("de-DE,ru;q=0.5", "en")
    'ru'
    """
    if not accept_language:
        return default
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.strip().startswith("q="):
                try:
                    quality = float(parameter.strip()[2:])
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary in SUPPORTED_LANGUAGES and quality > 0:
            choices.append((-quality, index, primary))
    return min(choices)[2] if choices else default


@dataclass(frozen=True)
class Translator:
    """Everything a page needs to speak one language."""

    language: str

    def gettext(self, message: str, **values: Any) -> str:
        """Translate ``message`` and fill %(name)s placeholders."""
        text = catalog(self.language).gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
        """Translate a message that depends on a count (%(num)s is the count)."""
        text = catalog(self.language).ngettext(singular, plural, count)
        return text % {"num": count, **values}

    def date(self, value: Any) -> str:
        """A date in the language's usual form."""
        if value is None:
            return ""
        return format_date(value, format="long" if self.language != "en" else "medium", locale=self._locale())

    def number(self, value: int | float) -> str:
        """A number with the language's grouping."""
        return format_decimal(value, locale=self._locale())

    def percent(self, value: float) -> str:
        """A share in [0, 1] as a whole percentage; only 1 itself is 100 % (0.998 is 99 %)."""
        whole = min(round(value * 100), 99 if value < 1 else 100)
        return format_percent(whole / 100, locale=self._locale())

    def _locale(self) -> Locale:
        try:
            return Locale.parse({"zh": "zh_Hans_CN", "ru": "ru_RU", "en": "en_GB"}[self.language])
        except (UnknownLocaleError, KeyError):
            return Locale.parse("en")

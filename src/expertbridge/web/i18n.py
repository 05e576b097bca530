"""Page languages: gettext catalogs (ru, zh; English is the source) and choosing the language.

Catalogs are read from the ``.po`` files at start-up, so no compiled ``.mo`` files are kept in git.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from expertbridge.settings import SUPPORTED_LANGUAGES

LANGUAGE_NAMES = {"ru": "Русский", "zh": "中文", "en": "English"}

# How a language puts several things side by side.  Items of a list (sectors, languages, names)
# take Chinese's enumeration comma 、; the parts of one description (a city and its country, an
# organization and a position) take the full-width comma ，.  Russian and English use ", " for both.
ITEM_SEPARATORS = {"zh": "、"}
PART_SEPARATORS = {"zh": "，"}
DEFAULT_SEPARATOR = ", "
# After a label: Chinese takes the full-width colon, with no space after it (国家：中国).
COLONS = {"zh": "："}
DEFAULT_COLON = ": "

# The CLDR skeleton of a date range: year, month by name, day.  CLDR gives range patterns with the
# abbreviated month (MMM) only and leaves widening it to the long form to the formatter.
RANGE_SKELETON = "yMMMd"
_ABBREVIATED_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")


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
        """Translate a message that depends on a count; %(num)s is the count written as every other
        number of the page (``2 403 эксперта``, ``共2,412位专家``), never bare (``2403``)."""
        text = catalog(self.language).ngettext(singular, plural, count)
        return text % {"num": self.number(count), **values}

    def date(self, value: Any) -> str:
        """A date in the language's usual form."""
        if value is None:
            return ""
        return format_date(value, format=self._date_format(), locale=self._locale())

    def date_range(self, start: dt.date | None, end: dt.date | None) -> str:
        """The days from ``start`` to ``end``, what they share said once (CLDR interval formats).

        ``15–16 марта 2027 г.``, ``2027年3月15日至16日``, ``15–16 Mar 2027``; one day (``end`` missing
        or equal) is that date as :meth:`date` writes it."""
        if start is None:
            return self.date(end)
        if end is None or end == start:
            return self.date(start)
        if end < start:  # stored the wrong way round: shown as it is rather than as a range
            return f"{self.date(start)} – {self.date(end)}"
        locale = self._locale()
        patterns = locale.interval_formats.get(RANGE_SKELETON)
        if not patterns:
            return format_interval(start, end, RANGE_SKELETON, locale=locale)
        field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        halves = patterns[field] if field in patterns else patterns["y"]
        if self._date_format() == "long":
            # The long form names the month in full (15 марта): widen MMM as TR 35 tells the formatter
            # to ("adjusting the field's width"), which Babel's format_interval does not do.
            halves = [_ABBREVIATED_MONTH.sub(r"\1\1\1\1", half) for half in halves]
        return "".join(
            parse_pattern(half).apply(value, locale) for half, value in zip(halves, (start, end), strict=True)
        )

    def date_time(self, value: dt.datetime) -> str:
        """A date with its hours and minutes, joined the language's way (``15 марта 2027 г., 14:05``,
        ``2027年3月15日 14:05``)."""
        locale = self._locale()
        pattern = locale.datetime_formats.get(self._date_format(), "{1} {0}")
        return str(pattern).replace("{1}", self.date(value)).replace("{0}", value.strftime("%H:%M"))

    @property
    def colon(self) -> str:
        """What follows a label before its value: ``：`` in Chinese, ``: `` otherwise.

        >>> Translator("zh").colon, Translator("ru").colon
        ('：', ': ')
        """
        return COLONS.get(self.language, DEFAULT_COLON)

    @property
    def item_separator(self) -> str:
        """What separates the items of a list: ``、`` in Chinese, ``, `` otherwise."""
        return ITEM_SEPARATORS.get(self.language, DEFAULT_SEPARATOR)

    @property
    def part_separator(self) -> str:
        """What separates the parts of one description (a city and its country): ``，`` in Chinese,
        ``, `` otherwise."""
        return PART_SEPARATORS.get(self.language, DEFAULT_SEPARATOR)

    def join_items(self, items: Iterable[str | None]) -> str:
        """The items of a list, the empty ones left out.

        >>> Translator("zh").join_items(["交通", "", "能源"]), Translator("ru").join_items(["Метро", "ИИ"])
        ('交通、能源', 'Метро, ИИ')
        """
        return self.item_separator.join(item for item in items if item)

    def join_parts(self, parts: Iterable[str | None]) -> str:
        """The parts of one description, the empty ones left out.

        >>> Translator("zh").join_parts(["北京", "中国"]), Translator("en").join_parts([None, "China"])
        ('北京，中国', 'China')
        """
        return self.part_separator.join(part for part in parts if part)

    def number(self, value: int | float) -> str:
        """A number with the language's grouping."""
        return format_decimal(value, locale=self._locale())

    def percent(self, value: float) -> str:
        """A share in [0, 1] as a whole percentage; only 1 itself is 100 % (0.998 is 99 %)."""
        whole = min(round(value * 100), 99 if value < 1 else 100)
        return format_percent(whole / 100, locale=self._locale())

    def _date_format(self) -> str:
        return "long" if self.language != "en" else "medium"

    def _locale(self) -> Locale:
        try:
            return Locale.parse({"zh": "zh_Hans_CN", "ru": "ru_RU", "en": "en_GB"}[self.language])
        except (UnknownLocaleError, KeyError):
            return Locale.parse("en")

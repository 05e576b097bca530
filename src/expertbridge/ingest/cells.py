"""Turning raw cells into checked values, collecting :class:`Issue` objects instead of raising."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from expertbridge.ingest.report import Issue
from expertbridge.messages import Message
from expertbridge.registry.problems import N_
from expertbridge.registry.taxonomy import Taxonomy

# What separates the items of a list cell: ';' (the import's own), its full-width form, a line break,
# and the enumeration comma 、 with which Chinese lists items ("机器学习、计算机视觉").
LIST_SEPARATORS = re.compile(r"[;；\n、]")
# A cell of a closed vocabulary (sectors, languages) is split at commas too: no value holds one.
CLOSED_LIST_SEPARATORS = re.compile(r"[;；\n、,，]")
# Commas that may separate keywords in a cell with no other separator (see comma_separated).
_COMMAS = re.compile(r"[,，]")
DEFAULT_MAX_CHARS = 2_000


def cell_text(value: Any) -> str:
    """A cell as trimmed text; lists (from JSON) are joined with ';'."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ";".join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return ""
    return str(value).strip()


def split_list(text: str, separators: re.Pattern[str] = LIST_SEPARATORS) -> list[str]:
    """Items of a ';'-separated cell (or 、, a line break), trimmed, empty ones and duplicates (by
    case) dropped.

    >>> split_list("机器学习、计算机视觉; тоннели"), split_list("Cu, Zn alloys")
    (['机器学习', '计算机视觉', 'тоннели'], ['Cu, Zn alloys'])
    """
    if not text:
        return []
    if not separators.search(text):
        single = " ".join(text.split())
        return [single] if single else []
    items: list[str] = []
    seen: set[str] = set()
    for item in separators.split(text):
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(item)
    return items


def split_closed_list(text: str) -> list[str]:
    """Items of a cell of a closed vocabulary (sector codes or labels, languages): separated as by
    :func:`split_list`, and by commas, half- or full-width, since no value of the vocabulary holds one.

    >>> split_closed_list("zh:native, en:B2"), split_closed_list("人工智能，机器人与先进制造")
    (['zh:native', 'en:B2'], ['人工智能', '机器人与先进制造'])
    """
    return split_list(text, CLOSED_LIST_SEPARATORS)


def comma_separated(text: str) -> str | None:
    """A keyword cell that separates its keywords with commas only, rewritten with ';'; None when the
    cell has a list separator (then a comma belongs to its keyword: "Cu, Zn alloys; brazing") or no
    comma.

    Offices write "нейросети, компьютерное зрение" and "石墨烯，薄膜太阳能电池" for two keywords.  The
    caller tells the user how such a cell was split: a single keyword with a comma is written with a
    ';' after it ("Cu, Zn alloys;"), as an export writes it.

    >>> comma_separated("石墨烯，薄膜太阳能电池"), comma_separated("Cu, Zn alloys;"), comma_separated("метро")
    ('石墨烯;薄膜太阳能电池', None, None)
    """
    if LIST_SEPARATORS.search(text) or not _COMMAS.search(text):
        return None
    return _COMMAS.sub(";", text)


@dataclass
class RowCells:
    """The canonical cells of one row and the issues found while reading them."""

    number: int
    cells: dict[str, str]
    issues: list[Issue] = field(default_factory=list)

    def get(self, column: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
        """A cell's text, or "" with an issue when it is longer than ``max_chars``."""
        text = self.cells.get(column, "")
        if len(text) > max_chars:
            self.fail(
                column,
                text,
                N_("longer than %(limit)s characters (%(length)s); shorten it"),
                limit=max_chars,
                length=len(text),
            )
            return ""
        return text

    def fail(self, column: str, value: str, message: str, /, **params: str | int | Message) -> None:
        """Record a problem with one cell; ``message`` is a template marked with N_ whose
        ``%(name)s`` placeholders ``params`` fill, as :meth:`Issue.of` reads them: text (a value of
        the row or the registry) shown as written, an int a quantity (2,000 in English), a
        :class:`Message` a label of the code said in the reader's language."""
        self.issues.append(Issue.of(self.number, column, value, message, **params))

    def choice(self, column: str, allowed: tuple[str, ...], default: str) -> str:
        """A value from a closed list (case and spaces forgiven), or the default when empty."""
        text = self.get(column)
        if not text:
            return default
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        if key in allowed:
            return key
        self.fail(column, text, N_("must be one of: %(choices)s"), choices=", ".join(allowed))
        return default

    def flag(self, column: str) -> bool:
        """A yes/no cell."""
        text = self.get(column).lower()
        if text in ("", "false", "no", "0", "нет", "否", "n"):
            return False
        if text in ("true", "yes", "1", "да", "是", "y"):
            return True
        self.fail(column, text, N_("must be true or false"))
        return False

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        """An ISO date (YYYY-MM-DD; DD.MM.YYYY as Russian offices write it is accepted)."""
        text = self.get(column)
        if not text:
            if required:
                self.fail(column, text, N_("is required (a date such as 2026-06-15)"))
            return None
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%Y年%m月%d日"):
            try:
                return dt.datetime.strptime(text[:19].split("T")[0], pattern).date()
            except ValueError:
                continue
        self.fail(column, text, N_("is not a date; write it as YYYY-MM-DD, e.g. 2026-06-15"))
        return None

    def sectors(self, column: str, taxonomy: Taxonomy) -> tuple[str, ...]:
        """Sector codes from codes or labels in any language."""
        codes: list[str] = []
        for item in split_closed_list(self.get(column)):
            code = taxonomy.resolve(item)
            if code is None:
                self.fail(
                    column,
                    item,
                    N_(
                        "unknown sector; use a code such as transport.metro or a label listed by "
                        "`expertbridge sectors`"
                    ),
                )
            elif code not in codes:
                codes.append(code)
        return tuple(codes)

"""Shaping registry records into what the templates show (presentation only, no rules)."""

from __future__ import annotations

from dataclasses import dataclass

from expertbridge.registry.records import ExpertRecord, LocalizedText, NameRecord
from expertbridge.search.explain import Explanation

SCRIPT_ORDER = {"ru": ("ru", "zh", "en"), "zh": ("zh", "ru", "en"), "en": ("en", "ru", "zh")}


@dataclass(frozen=True)
class ExpertCard:
    """An expert as a list shows it."""

    id: int
    name: str
    other_names: tuple[str, ...]
    organization: str | None
    city: str | None
    country: str | None
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    languages: tuple[tuple[str, str | None], ...]
    score: float | None = None
    match: str | None = None
    why: Explanation | None = None
    needs_interpreter: bool = False


def names_in_order(names: tuple[NameRecord, ...], language: str) -> list[NameRecord]:
    """Names with the page language's script first, then the expert's primary name."""
    order = SCRIPT_ORDER.get(language, SCRIPT_ORDER["en"])
    return sorted(
        names,
        key=lambda n: (order.index(n.language) if n.language in order else 9, not n.is_primary),
    )


def expert_card(
    expert_id: int, record: ExpertRecord, language: str, score: float | None = None
) -> ExpertCard:
    """The list card of an expert in the page language."""
    names = names_in_order(record.names, language)
    # Keywords in the page language first: a Chinese reader scans Chinese keywords faster.
    keywords = sorted(record.expertise, key=lambda k: k[1] != language)
    return ExpertCard(
        id=expert_id,
        name=names[0].text if names else "",
        other_names=tuple(n.text for n in names[1:]),
        organization=record.organization,
        city=record.city,
        country=record.country,
        sectors=record.sectors,
        keywords=tuple(text for text, _ in keywords[:8]),
        languages=record.languages,
        score=score,
    )


def localized(texts: dict[str, LocalizedText], language: str) -> tuple[LocalizedText, str]:
    """The text in the page language, else the first available; and the language it is in."""
    for candidate in SCRIPT_ORDER.get(language, SCRIPT_ORDER["en"]):
        if candidate in texts:
            return texts[candidate], candidate
    return LocalizedText(""), language

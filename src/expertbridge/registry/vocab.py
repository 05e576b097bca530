"""Closed vocabularies of the registry: statuses, kinds, types, levels, spoken languages."""

from __future__ import annotations

from expertbridge.text.normalize import fold

# draft → pending (submitted) → approved or rejected; approved → frozen when not re-confirmed for
# 24 months; any → withdrawn when the expert withdraws consent.
EXPERT_STATUSES = ("draft", "pending", "approved", "rejected", "frozen", "withdrawn", "suspended", "archived")
ORGANIZATION_TYPES = (
    "enterprise",
    "university",
    "research_institute",
    "government_body",
    "innovation_cluster",
    "science_park",
    "association",
    "hospital",
    "other",
)
OPPORTUNITY_KINDS = (
    "expert_wanted",
    "partner_wanted",
    "technology_offer",
    "technology_request",
    "business_offer",
    "business_request",
    "rd_cooperation",
)
OPPORTUNITY_STATUSES = ("draft", "open", "closed", "archived")
EVENT_KINDS = (
    "roundtable",
    "forum",
    "delegation_visit",
    "competition",
    "working_group_meeting",
    "conference",
)
LANGUAGE_LEVELS = ("native", "C2", "C1", "B2", "B1", "A2", "A1")
CONTACT_KINDS = ("email", "phone", "messenger")
IDENTIFIER_SCHEMES = ("orcid", "scopus", "elibrary_spin", "researcher_id")
NAME_KINDS = ("native", "transliteration", "alias")
TEXT_LANGUAGES = ("ru", "zh", "en")

# Spoken languages: ISO 639-1 code → names people write in the three languages.
SPOKEN_LANGUAGES: dict[str, tuple[str, ...]] = {
    "ru": ("Russian", "русский", "русский язык", "俄语", "俄文"),
    "zh": ("Chinese", "Mandarin", "китайский", "китайский язык", "中文", "汉语", "普通话"),
    "en": ("English", "английский", "английский язык", "英语", "英文"),
    "de": ("German", "немецкий", "德语"),
    "fr": ("French", "французский", "法语"),
    "es": ("Spanish", "испанский", "西班牙语"),
    "ja": ("Japanese", "японский", "日语"),
    "ko": ("Korean", "корейский", "韩语"),
    "kk": ("Kazakh", "казахский", "哈萨克语"),
    "uz": ("Uzbek", "узбекский", "乌兹别克语"),
    "mn": ("Mongolian", "монгольский", "蒙古语"),
    "ar": ("Arabic", "арабский", "阿拉伯语"),
    "it": ("Italian", "итальянский", "意大利语"),
}
_LEVEL_ALIASES = {
    "native": "native",
    "родной": "native",
    "母语": "native",
    "fluent": "C1",
    "свободно": "C1",
    "流利": "C1",
    "advanced": "C1",
    "intermediate": "B1",
    "средний": "B1",
    "basic": "A2",
    "базовый": "A2",
    "基础": "A2",
    "beginner": "A1",
}


def _spoken_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, names in SPOKEN_LANGUAGES.items():
        lookup[code] = code
        for name in names:
            lookup[fold(name)] = code
    return lookup


_SPOKEN_LOOKUP = _spoken_lookup()


def spoken_language_code(text: str) -> str | None:
    """ISO 639-1 code of a spoken language named by code or name in ru/zh/en."""
    return _SPOKEN_LOOKUP.get(fold(text))


def language_level(text: str) -> str | None:
    """A CEFR level or "native" from the ways people write it; None when unrecognised."""
    stripped = text.strip()
    if stripped.upper() in LANGUAGE_LEVELS:
        return stripped.upper()
    return _LEVEL_ALIASES.get(fold(stripped))

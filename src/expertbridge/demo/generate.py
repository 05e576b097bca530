"""Seeded generator of synthetic, clearly fictional demo data for expertbridge.

Produces experts (Moscow-based Russians and Beijing-based Chinese), a dozen fictional
organizations, cooperation opportunities and events in Russian, Chinese and English.
Everything is derived from ``random.Random(seed)`` instances created per call, so the
same seed always yields the same output. Every value of every row is a string; list-valued
fields are joined with ``";"``. E-mail addresses use only the reserved ``example.*``
domains, phone numbers use the ``5550`` fictional block and ORCID-style identifiers use
the ``0000-0000`` prefix, so none of them can belong to a real person.

Inputs are package data: ``data/ror_moscow_beijing.jsonl`` (real organizations the
experts are attached to), ``data/demo/names_ru.json``, ``data/demo/names_zh.json``,
``data/demo/vocabulary.json`` and ``data/demo/activities.json`` (the fictional
organizations, their opportunities and events).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate
from types import MappingProxyType
from typing import Any, Final

import iuliia
from pypinyin import lazy_pinyin

from expertbridge.ingest.activities import EVENT_COLUMNS, OPPORTUNITY_COLUMNS
from expertbridge.ingest.experts import EXPERT_COLUMNS, orcid_check_digit
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.registry.activities import deadline_passed, deadline_today

__all__ = [
    "AREAS",
    "EVENT_KEYS",
    "EXPERT_KEYS",
    "OPPORTUNITY_KEYS",
    "ORGANIZATION_KEYS",
    "SUB_SECTORS",
    "DemoDataset",
    "generate_demo",
    "iter_experts",
    "orcid_check_character",
]

SUB_SECTORS: Final[tuple[str, ...]] = (
    "trade.export_import",
    "trade.ecommerce",
    "trade.logistics_customs",
    "trade.exhibitions",
    "trade.finance_investment",
    "innovation.technology_transfer",
    "innovation.startups_venture",
    "innovation.industrial_parks",
    "innovation.smes",
    "innovation.ip",
    "science.ai",
    "science.it_software",
    "science.energy",
    "science.materials",
    "science.biotech",
    "science.aerospace",
    "science.microelectronics",
    "science.environment",
    "science.robotics",
    "education.higher",
    "education.vocational",
    "education.exchange",
    "education.languages",
    "education.online",
    "urban.spatial_planning",
    "urban.smart_city",
    "urban.construction",
    "urban.utilities",
    "urban.green_spaces",
    "transport.metro",
    "transport.rail",
    "transport.roads",
    "transport.hubs",
    "transport.aviation",
    "transport.public_transport",
    "health.infectious_diseases",
    "health.diagnostics",
    "health.pharma",
    "health.digital_health",
    "health.traditional_medicine",
    "health.management",
    "tourism.travel",
    "tourism.hospitality",
    "tourism.heritage",
    "culture.arts",
    "culture.museums",
    "culture.film",
    "culture.literature",
    "culture.creative_industries",
    "media.news",
    "media.television",
    "media.digital",
    "media.publishing",
    "sports.events",
    "sports.winter",
    "sports.science",
    "sports.youth",
)

AREAS: Final[tuple[str, ...]] = tuple(dict.fromkeys(code.split(".")[0] for code in SUB_SECTORS))

# The demo writes the same columns the import reads.
EXPERT_KEYS: Final[tuple[str, ...]] = EXPERT_COLUMNS
ORGANIZATION_KEYS: Final[tuple[str, ...]] = ORGANIZATION_COLUMNS
OPPORTUNITY_KEYS: Final[tuple[str, ...]] = OPPORTUNITY_COLUMNS
EVENT_KEYS: Final[tuple[str, ...]] = EVENT_COLUMNS

_LEVELS: Final[tuple[str, ...]] = ("C2", "C1", "B2", "B1", "A2", "A1")
_EN_LEVEL_WEIGHTS: Final[tuple[int, ...]] = (5, 25, 35, 20, 10, 5)
_OTHER_LEVEL_WEIGHTS: Final[tuple[int, ...]] = (4, 12, 20, 26, 22, 16)
_EMAIL_DOMAINS: Final[tuple[str, ...]] = ("example.org", "example.com", "example.net")
_COMPOUND_SURNAME_SHARE: Final[float] = 0.02
_TYPE_WEIGHTS: Final[Mapping[str, int]] = MappingProxyType(
    {"education": 5, "facility": 5, "healthcare": 3, "company": 3}
)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoDataset:
    """A complete synthetic demo dataset; every row is a ``dict[str, str]``."""

    organizations: list[dict[str, str]]
    experts: list[dict[str, str]]
    opportunities: list[dict[str, str]]
    events: list[dict[str, str]]


def generate_demo(seed: int = 2021, experts: int = 2400, today: dt.date | None = None) -> DemoDataset:
    """Generate the full demo dataset deterministically from ``seed`` (and the day: ``today``,
    by default the registry's, moves the deadlines of open calls that have passed, see
    :func:`_open_deadline`).

    ``organizations`` holds only the fictional demo organizations (the ROR records are
    imported separately); experts are attached to ROR organizations, opportunities are
    posted by demo organizations and events reference both plus generated expert ids.
    """
    tables = _load_tables()
    activities = _load_activities()
    expert_rows = list(_expert_stream(tables, experts, seed, "demo-"))
    organizations = [_org_row(number, org) for number, org in enumerate(activities.orgs, start=1)]
    day = today or deadline_today()
    opportunities = [
        _opportunity_row(number, opp, activities, day)
        for number, opp in enumerate(activities.opportunities, start=1)
    ]
    rng = random.Random(f"expertbridge-demo-events:{seed}")
    events = [
        _event_row(number, event, activities, expert_rows, tables, rng)
        for number, event in enumerate(activities.events, start=1)
    ]
    return DemoDataset(
        organizations=organizations,
        experts=expert_rows,
        opportunities=opportunities,
        events=events,
    )


def iter_experts(count: int, seed: int, id_prefix: str = "demo-") -> Iterator[dict[str, str]]:
    """Streams synthetic experts (memory flat for 1,000,000 rows; used by benchmarks).

    Rows are produced one by one from a single ``random.Random(seed)``, so the first ``n``
    rows of a longer stream equal a stream of ``n`` rows with the same seed.
    """
    return _expert_stream(_load_tables(), count, seed, id_prefix)


# The ISO 7064 MOD 11-2 check character of 15 ORCID digits, kept under the name this module exported.
orcid_check_character = orcid_check_digit


# ---------------------------------------------------------------------------
# Package data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _RorOrg:
    name_en: str
    name_ru: str
    name_zh: str
    kind: str


@dataclass(frozen=True)
class _RuSurname:
    male: str
    female: str
    male_en: str
    female_en: str


@dataclass(frozen=True)
class _RuMaleName:
    name: str
    name_en: str
    patronymic_male: str
    patronymic_female: str


@dataclass(frozen=True)
class _RuFemaleName:
    name: str
    name_en: str


@dataclass(frozen=True)
class _ZhSurname:
    zh: str
    pinyin: str


@dataclass(frozen=True)
class _OrgPool:
    orgs: tuple[_RorOrg, ...]
    cum_weights: tuple[int, ...]


@dataclass(frozen=True)
class _Keyword:
    ru: str
    zh: str
    en: str


@dataclass(frozen=True)
class _Tables:
    ru_surnames: tuple[_RuSurname, ...]
    ru_male: tuple[_RuMaleName, ...]
    ru_female: tuple[_RuFemaleName, ...]
    zh_single: tuple[_ZhSurname, ...]
    zh_single_cum: tuple[float, ...]
    zh_compound: tuple[_ZhSurname, ...]
    zh_compound_cum: tuple[float, ...]
    zh_male_chars: tuple[str, ...]
    zh_female_chars: tuple[str, ...]
    zh_pinyin: dict[str, str]
    keywords: dict[str, tuple[_Keyword, ...]]
    # (city, prefers_healthcare) -> weighted pool of ROR organizations
    org_pools: dict[tuple[str, bool], _OrgPool]
    ror_by_city: dict[str, tuple[str, ...]]


def _read_text(*parts: str) -> str:
    resource = resources.files("expertbridge").joinpath("data", *parts)
    return resource.read_text(encoding="utf-8")


def _read_json(*parts: str) -> Any:
    return json.loads(_read_text(*parts))


def _clean(text: str) -> str:
    """Keep list separators and stress marks out of single values."""
    return " ".join(text.replace(";", ",").replace("\u0301", "").split())


def _romanize_ru(text: str) -> str:
    return str(iuliia.WIKIPEDIA.translate(text))


def _given_pinyin(chars: str, table: dict[str, str]) -> str:
    syllables = "".join(table[char] for char in chars)
    return syllables.capitalize()


def _load_tables() -> _Tables:
    names_ru = _read_json("demo", "names_ru.json")
    names_zh = _read_json("demo", "names_zh.json")
    vocabulary = _read_json("demo", "vocabulary.json")

    ru_surnames = tuple(
        _RuSurname(
            male=str(item["male"]),
            female=str(item["female"]),
            male_en=_romanize_ru(str(item["male"])),
            female_en=_romanize_ru(str(item["female"])),
        )
        for item in names_ru["surnames"]
    )
    ru_male = tuple(
        _RuMaleName(
            name=str(item["name"]),
            name_en=_romanize_ru(str(item["name"])),
            patronymic_male=str(item["patronymic_male"]),
            patronymic_female=str(item["patronymic_female"]),
        )
        for item in names_ru["male_given"]
    )
    ru_female = tuple(
        _RuFemaleName(name=str(name), name_en=_romanize_ru(str(name))) for name in names_ru["female_given"]
    )

    single: list[_ZhSurname] = []
    weights: list[float] = []
    compound: list[_ZhSurname] = []
    compound_weights: list[float] = []
    for item in names_zh["surnames"]:
        surname = _ZhSurname(zh=str(item["zh"]), pinyin=str(item["pinyin"]))
        if len(surname.zh) > 1:
            compound.append(surname)
            # square root flattens the long tail so rare compound surnames still show up
            compound_weights.append(float(item["weight"]) ** 0.5)
        else:
            single.append(surname)
            weights.append(float(item["weight"]))
    given = names_zh["given_chars"]
    male_chars = tuple(str(c) for c in given["male"]) + tuple(str(c) for c in given["neutral"])
    female_chars = tuple(str(c) for c in given["female"]) + tuple(str(c) for c in given["neutral"])
    zh_pinyin: dict[str, str] = {}
    for char in male_chars + female_chars:
        syllable = lazy_pinyin(char)[0]
        # pypinyin writes ü as "v"; passports write it as "yu" (Lyu, Nyu).
        zh_pinyin[char] = str(syllable).replace("v", "yu")

    raw_keywords = vocabulary["keywords"]
    missing = [code for code in SUB_SECTORS if code not in raw_keywords]
    if missing:
        raise ValueError(f"vocabulary.json lacks sub-sectors: {', '.join(missing)}")
    keywords: dict[str, tuple[_Keyword, ...]] = {}
    for code in SUB_SECTORS:
        lists = raw_keywords[code]
        ru, zh, en = (list(lists[lang]) for lang in ("ru", "zh", "en"))
        size = min(len(ru), len(zh), len(en))
        if size < 3:
            raise ValueError(f"vocabulary.json has fewer than 3 keywords for {code}")
        keywords[code] = tuple(
            _Keyword(ru=_clean(str(ru[i])), zh=_clean(str(zh[i])), en=_clean(str(en[i]))) for i in range(size)
        )

    by_city: dict[str, list[_RorOrg]] = {"Moscow": [], "Beijing": []}
    records: list[tuple[str, list[str], _RorOrg]] = []
    for line in _read_text("ror_moscow_beijing.jsonl").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        display = str(record["display_name"])
        if not display or ";" in display:
            continue
        types = [str(t) for t in record.get("types") or []]
        org = _RorOrg(
            name_en=display,
            name_ru=_clean(str((record.get("name_ru") or [""])[0])),
            name_zh=_clean(str((record.get("name_zh") or [""])[0])),
            kind=types[0] if types else "other",
        )
        records.append((str(record["ror_id"]), [str(c) for c in record["cities"]], org))
    records.sort(key=lambda item: item[0])
    for _ror_id, cities, org in records:
        for city in cities:
            if city in by_city:
                by_city[city].append(org)

    org_pools: dict[tuple[str, bool], _OrgPool] = {}
    for city, orgs in by_city.items():
        if not orgs:
            raise ValueError(f"no ROR organizations in {city}")
        for health in (False, True):
            org_weights = []
            for org in orgs:
                weight = _TYPE_WEIGHTS.get(org.kind, 1)
                if health and org.kind == "healthcare":
                    weight *= 6
                org_weights.append(weight)
            org_pools[(city, health)] = _OrgPool(orgs=tuple(orgs), cum_weights=tuple(accumulate(org_weights)))

    return _Tables(
        ru_surnames=ru_surnames,
        ru_male=ru_male,
        ru_female=ru_female,
        zh_single=tuple(single),
        zh_single_cum=tuple(accumulate(weights)),
        zh_compound=tuple(compound),
        zh_compound_cum=tuple(accumulate(compound_weights)),
        zh_male_chars=male_chars,
        zh_female_chars=female_chars,
        zh_pinyin=zh_pinyin,
        keywords=keywords,
        org_pools=org_pools,
        ror_by_city={city: tuple(o.name_en for o in orgs) for city, orgs in by_city.items()},
    )


# ---------------------------------------------------------------------------
# Experts
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Position:
    ru_male: str
    ru_female: str
    zh: str
    en: str
    article: str


def _pos(ru_male: str, zh: str, en: str, ru_female: str = "", article: str = "a") -> _Position:
    return _Position(ru_male, ru_female or ru_male, zh, en, article)


_ACADEMIC: Final[tuple[_Position, ...]] = (
    _pos("профессор", "教授", "professor"),
    _pos("доцент", "副教授", "associate professor", article="an"),
    _pos("заведующий кафедрой", "系主任", "head of department", "заведующая кафедрой", ""),
    _pos("ведущий научный сотрудник", "研究员", "senior researcher"),
    _pos("старший преподаватель", "讲师", "senior lecturer"),
)
_RESEARCH: Final[tuple[_Position, ...]] = (
    _pos("ведущий научный сотрудник", "研究员", "senior researcher"),
    _pos("старший научный сотрудник", "副研究员", "research fellow"),
    _pos("научный сотрудник", "助理研究员", "researcher"),
    _pos("заведующий лабораторией", "实验室主任", "head of laboratory", "заведующая лабораторией", ""),
    _pos("главный научный сотрудник", "首席研究员", "chief researcher"),
    _pos("ведущий аналитик", "高级分析师", "lead analyst"),
)
_INDUSTRY: Final[tuple[_Position, ...]] = (
    _pos("главный инженер", "总工程师", "chief engineer"),
    _pos("руководитель проектов", "项目经理", "project manager"),
    _pos("технический директор", "技术总监", "chief technology officer"),
    _pos("ведущий инженер", "高级工程师", "senior engineer"),
    _pos("директор по развитию", "发展总监", "director of business development"),
)
_CLINICAL: Final[tuple[_Position, ...]] = (
    _pos("врач-исследователь", "主治医师", "physician-researcher"),
    _pos("заведующий отделением", "科室主任", "head of department", "заведующая отделением", ""),
    _pos("ведущий научный сотрудник", "研究员", "senior researcher"),
    _pos("главный специалист", "主任医师", "chief physician"),
)
_POSITIONS_BY_KIND: Final[Mapping[str, tuple[_Position, ...]]] = MappingProxyType(
    {"education": _ACADEMIC, "company": _INDUSTRY, "healthcare": _CLINICAL}
)

_RU_INTRO: Final[tuple[str, ...]] = (
    "{name} — {title} в организации {org_q}.",
    "{name} работает в организации {org_q}, должность — {title}.",
    "{Title}, место работы: {org}.",
)
_RU_KEYWORDS: Final[tuple[str, ...]] = (
    "Основные направления исследований: {kw}.",
    "Область профессиональных интересов: {kw}.",
    "Круг научных интересов включает следующие темы: {kw}.",
    "Специализация: {kw}.",
)
_RU_EXTRA: Final[tuple[tuple[str, str], ...]] = (
    (
        "Участвует в совместных российско-китайских проектах.",
        "Участвует в совместных российско-китайских проектах.",
    ),
    ("Открыт к сотрудничеству с партнёрами из Пекина.", "Открыта к сотрудничеству с партнёрами из Пекина."),
    ("Автор более {n} научных публикаций.", "Автор более {n} научных публикаций."),
    ("Имеет опыт работы с китайскими партнёрами.", "Имеет опыт работы с китайскими партнёрами."),
    ("Выступал с докладами на конференциях в Китае.", "Выступала с докладами на конференциях в Китае."),
)
_RU_ONE: Final[str] = "{name} — {title} в организации {org_q}, основные направления работы: {kw}."

_ZH_INTRO: Final[tuple[str, ...]] = (
    "{name}，{org}{title}。",
    "{name}现任{org}{title}。",
    "{name}在{org}担任{title}。",
)
_ZH_KEYWORDS: Final[tuple[str, ...]] = (
    "主要研究方向为{kw}。",
    "研究领域包括{kw_list}等。",
    "长期从事{kw}相关工作。",
    "专业方向：{kw_list}。",
)
_ZH_EXTRA: Final[tuple[str, ...]] = (
    "积极参与中俄科技合作项目。",
    "有意与莫斯科合作伙伴开展交流与合作。",
    "发表学术论文{n}余篇。",
    "曾多次赴俄罗斯参加学术交流活动。",
)
_ZH_ONE: Final[str] = "{name}现任{org}{title}，主要从事{kw}方面的工作。"

_EN_INTRO: Final[tuple[str, ...]] = (
    "{name} is {a_title} at {org}.",
    "{name} works at {org} as {a_title}.",
    "{name} joined {org} and now serves as {a_title}.",
)
_EN_KEYWORDS: Final[tuple[str, ...]] = (
    "{His} research interests include {kw}.",
    "{He} specializes in {kw}.",
    "Main areas of expertise: {kw}.",
    "{He} works on {kw}.",
)
_EN_EXTRA_RU: Final[tuple[str, ...]] = (
    "{He} takes part in joint Russian–Chinese projects.",
    "{He} is open to cooperation with partners in Beijing.",
    "{He} has authored more than {n} publications.",
)
_EN_EXTRA_ZH: Final[tuple[str, ...]] = (
    "{He} takes part in joint Chinese–Russian projects.",
    "{He} is open to cooperation with partners in Moscow.",
    "{He} has authored more than {n} publications.",
)
_EN_ONE: Final[str] = "{name} is {a_title} at {org}, working on {kw}."


def _join(items: Sequence[str], comma: str, conjunction: str) -> str:
    """Join as "a, b and c"; only commas when an item already contains the conjunction."""
    if len(items) == 1 or any(conjunction.strip() in f" {item} ".split() for item in items):
        return comma.join(items)
    return comma.join(items[:-1]) + conjunction + items[-1]


def _join_ru(items: Sequence[str]) -> str:
    return _join(items, ", ", " и ")


def _join_en(items: Sequence[str]) -> str:
    return _join(items, ", ", " and ")


def _join_zh(items: Sequence[str]) -> str:
    if len(items) == 1 or any("和" in item for item in items):
        return "、".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def _ru_quote(name: str) -> str:
    """Wrap in «…», turning quotes inside the name into „…“."""
    inner = re.sub(r"[«»“”]", '"', name)
    inner = re.sub(r'"([^"]*)"', "„\\1“", inner).replace('"', "")
    return f"«{inner}»"


def _zh_org(name: str) -> str:
    """Chinese text runs Latin names in with a space on each side."""
    if re.search(r"[A-Za-z]", name):
        return f" {name} "
    return name.replace(" (", "（").replace("(", "（").replace(")", "）")


def _sentence_count(rng: random.Random) -> int:
    return rng.choices((1, 2, 3), weights=(2, 4, 4))[0]


def _bio_ru(
    rng: random.Random,
    name: str,
    female: bool,
    position: _Position,
    org: _RorOrg,
    kws: Sequence[str],
) -> str:
    title = position.ru_female if female else position.ru_male
    org_name = org.name_ru or org.name_en
    fields = {
        "name": name,
        "title": title,
        "Title": title[:1].upper() + title[1:],
        "org": org_name,
        "org_q": _ru_quote(org_name),
        "kw": _join_ru(kws),
    }
    count = _sentence_count(rng)
    if count == 1:
        return _RU_ONE.format(**fields)
    sentences = [rng.choice(_RU_INTRO).format(**fields), rng.choice(_RU_KEYWORDS).format(**fields)]
    if count == 3:
        extra = rng.choice(_RU_EXTRA)[1 if female else 0]
        sentences.append(extra.format(n=rng.choice((20, 30, 40, 50, 70, 100))))
    return " ".join(sentences)


def _bio_zh(rng: random.Random, name: str, position: _Position, org: _RorOrg, kws: Sequence[str]) -> str:
    fields = {
        "name": name,
        "title": position.zh,
        "org": _zh_org(org.name_zh or org.name_en),
        "kw": _join_zh(kws),
        "kw_list": "、".join(kws),
    }
    count = _sentence_count(rng)
    if count == 1:
        text = _ZH_ONE.format(**fields)
    else:
        sentences = [rng.choice(_ZH_INTRO).format(**fields)]
        sentences.append(rng.choice(_ZH_KEYWORDS).format(**fields))
        if count == 3:
            sentences.append(rng.choice(_ZH_EXTRA).format(n=rng.choice((20, 30, 50, 80))))
        text = "".join(sentences)
    return " ".join(text.replace(" ，", "，").replace(" 。", "。").split())


def _bio_en(
    rng: random.Random,
    name: str,
    female: bool,
    russian: bool,
    position: _Position,
    org: _RorOrg,
    kws: Sequence[str],
) -> str:
    article = f"{position.article} " if position.article else ""
    fields = {
        "name": name,
        "a_title": article + position.en,
        "org": org.name_en,
        "kw": _join_en(kws),
        "He": "She" if female else "He",
        "His": "Her" if female else "His",
    }
    count = _sentence_count(rng)
    if count == 1:
        return _EN_ONE.format(**fields)
    sentences = [rng.choice(_EN_INTRO).format(**fields), rng.choice(_EN_KEYWORDS).format(**fields)]
    if count == 3:
        extra = rng.choice(_EN_EXTRA_RU if russian else _EN_EXTRA_ZH)
        sentences.append(extra.format(n=rng.choice((20, 30, 50, 80)), **fields))
    return " ".join(sentences)


_SAME_AREA: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        primary: tuple(
            code for code in SUB_SECTORS if code.split(".")[0] == primary.split(".")[0] and code != primary
        )
        for primary in SUB_SECTORS
    }
)


def _pick_sectors(rng: random.Random, primary: str) -> list[str]:
    count = rng.choices((1, 2, 3), cum_weights=(30, 75, 100))[0]
    same_area = _SAME_AREA[primary]
    sectors = [primary]
    while len(sectors) < count:
        pool = same_area if rng.random() < 0.8 else SUB_SECTORS
        code = rng.choice(pool)
        if code not in sectors:
            sectors.append(code)
    return sectors


def _pick_keywords(
    rng: random.Random, tables: _Tables, sectors: Sequence[str], russian: bool
) -> tuple[list[_Keyword], list[_Keyword]]:
    """Return (native keywords, extra English keywords), all distinct concepts."""
    pool = [kw for code in sectors for kw in tables.keywords[code]]
    native_count = rng.randint(3, 5)
    english_count = rng.choices((0, 1, 2), weights=(4, 3, 3))[0]
    picked = rng.sample(pool, min(len(pool), native_count + english_count))
    seen: set[str] = set()
    native: list[_Keyword] = []
    english: list[_Keyword] = []
    for kw in picked:
        text = kw.ru if russian else kw.zh
        if len(native) < native_count:
            if text.casefold() not in seen and kw.en.casefold() not in seen:
                seen.update((text.casefold(), kw.en.casefold()))
                native.append(kw)
        elif kw.en.casefold() not in seen and text.casefold() not in seen:
            seen.update((text.casefold(), kw.en.casefold()))
            english.append(kw)
    return native, english


def _languages(rng: random.Random, russian: bool) -> str:
    parts = ["ru:native" if russian else "zh:native"]
    if rng.random() < 0.8:
        parts.append("en:" + rng.choices(_LEVELS, weights=_EN_LEVEL_WEIGHTS)[0])
    if rng.random() < 0.25:
        other = "zh" if russian else "ru"
        parts.append(f"{other}:" + rng.choices(_LEVELS, weights=_OTHER_LEVEL_WEIGHTS)[0])
    return ";".join(parts)


def _email_part(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _orcid(rng: random.Random, number: int) -> str:
    # Unique per expert (a registry refuses two people with one ORCID iD): the expert's number
    # scrambled by a bijection of the seven free digits.  The random digits are still drawn, so
    # that everything generated after them stays as it was.
    for _ in range(7):
        rng.randrange(10)
    digits = "00000000" + f"{(number * 7_919 + 1_234_567) % 10_000_000:07d}"
    full = digits + orcid_check_digit(digits)
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def _zh_given(rng: random.Random, tables: _Tables, female: bool, surname: str) -> str:
    chars = tables.zh_female_chars if female else tables.zh_male_chars
    length = 1 if rng.random() < 0.3 else 2
    given = ""
    while len(given) < length:
        char = rng.choice(chars)
        if char not in given and char not in surname:
            given += char
    return given


def _expert_stream(tables: _Tables, count: int, seed: int, id_prefix: str) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    block: list[str] = []
    for number in range(1, count + 1):
        if not block:
            # every run of len(SUB_SECTORS) experts covers each sub-sector once as primary
            block = list(SUB_SECTORS)
            rng.shuffle(block)
        primary = block.pop()
        russian = rng.random() < 0.5
        female = rng.random() < 0.5
        sectors = _pick_sectors(rng, primary)
        city = "Moscow" if russian else "Beijing"
        pool = tables.org_pools[(city, primary.startswith("health."))]
        org = rng.choices(pool.orgs, cum_weights=pool.cum_weights)[0]
        position = rng.choice(_POSITIONS_BY_KIND.get(org.kind, _RESEARCH))
        native, english = _pick_keywords(rng, tables, sectors, russian)
        domain = rng.choice(_EMAIL_DOMAINS)

        if russian:
            surname = rng.choice(tables.ru_surnames)
            father = rng.choice(tables.ru_male)
            if female:
                first = rng.choice(tables.ru_female)
                given_ru, given_en = first.name, first.name_en
                surname_ru, surname_en = surname.female, surname.female_en
                patronymic = father.patronymic_female
            else:
                given = rng.choice(tables.ru_male)
                given_ru, given_en = given.name, given.name_en
                surname_ru, surname_en = surname.male, surname.male_en
                patronymic = father.patronymic_male
            name_ru = f"{surname_ru} {given_ru} {patronymic}"
            name_zh = ""
            name_en = f"{given_en} {surname_en}"
            local = f"{_email_part(given_en)[:1]}.{_email_part(surname_en)}"
            phone = f"+7 495 5550 {rng.randrange(1000):03d}"
            bio_name_ru = f"{given_ru} {patronymic} {surname_ru}"
        else:
            if rng.random() < _COMPOUND_SURNAME_SHARE:
                zh_surname = rng.choices(tables.zh_compound, cum_weights=tables.zh_compound_cum)[0]
            else:
                zh_surname = rng.choices(tables.zh_single, cum_weights=tables.zh_single_cum)[0]
            given_zh = _zh_given(rng, tables, female, zh_surname.zh)
            given_py = _given_pinyin(given_zh, tables.zh_pinyin)
            name_ru = ""
            name_zh = zh_surname.zh + given_zh
            name_en = f"{zh_surname.pinyin} {given_py}"
            local = f"{_email_part(given_py)}.{_email_part(zh_surname.pinyin)}"
            phone = f"+86 10 5550 {rng.randrange(10000):04d}"
            bio_name_ru = ""

        has_phone = rng.random() < 0.7
        orcid = _orcid(rng, number) if rng.random() < 0.4 else ""
        bio_kw_count = min(len(native), rng.choice((2, 3)))
        bio_kws = native[:bio_kw_count]
        if russian:
            bio_ru = _bio_ru(rng, bio_name_ru, female, position, org, [k.ru for k in bio_kws])
            bio_zh = ""
        else:
            bio_ru = ""
            bio_zh = _bio_zh(rng, name_zh, position, org, [k.zh for k in bio_kws])
        bio_en = ""
        if rng.random() < 0.8:
            bio_en = _bio_en(rng, name_en, female, russian, position, org, [k.en for k in bio_kws])

        expertise = [k.ru if russian else k.zh for k in native] + [k.en for k in english]
        yield {
            "id": f"{id_prefix}{number:06d}",
            "name_ru": name_ru,
            "name_zh": name_zh,
            "name_en": name_en,
            "organization": org.name_en,
            "city": city,
            "country": "RU" if russian else "CN",
            "sectors": ";".join(sectors),
            "expertise": ";".join(expertise),
            "languages": _languages(rng, russian),
            "email": f"{local}.{number:06d}@{domain}",
            "phone": phone if has_phone else "",
            "orcid": orcid,
            "bio_ru": bio_ru.replace(";", ","),
            "bio_zh": bio_zh.replace(";", "，"),
            "bio_en": bio_en.replace(";", ","),
        }


# ---------------------------------------------------------------------------
# Fictional organizations, opportunities and events (data/demo/activities.json)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _DemoOrg:
    key: str
    name_ru: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    type: str
    city: str
    country: str
    website: str


@dataclass(frozen=True)
class _Opportunity:
    kind: str
    org: str
    sectors: tuple[str, ...]
    deadline: str
    status: str
    anonymous: bool
    title_ru: str
    title_zh: str
    title_en: str
    description_ru: str
    description_zh: str
    description_en: str


@dataclass(frozen=True)
class _Event:
    kind: str
    starts_on: str
    ends_on: str
    city: str
    country: str
    venue: str
    online: bool
    organizers: tuple[str, ...]
    areas: tuple[str, ...]
    title_ru: str
    title_zh: str
    title_en: str
    description_ru: str
    description_zh: str
    description_en: str


@dataclass(frozen=True)
class _Activities:
    orgs: tuple[_DemoOrg, ...]
    opportunities: tuple[_Opportunity, ...]
    events: tuple[_Event, ...]
    org_by_key: dict[str, _DemoOrg]
    # demo organization key -> top-level areas of the opportunities it posts
    org_areas: dict[str, frozenset[str]]


def _texts(item: Mapping[str, Any], field: str) -> tuple[str, str, str]:
    texts = item[field]
    return str(texts["ru"]), str(texts["zh"]), str(texts["en"])


def _flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"activities.json: {what} must be true or false, not {value!r}")
    return value


def _known(values: Sequence[Any], allowed: Sequence[str], what: str) -> tuple[str, ...]:
    result = tuple(str(value) for value in values)
    unknown = [value for value in result if value not in allowed]
    if unknown:
        raise ValueError(f"activities.json: unknown {what}: {', '.join(unknown)}")
    return result


def _load_activities() -> _Activities:
    data = _read_json("demo", "activities.json")
    orgs = tuple(
        _DemoOrg(
            str(item["key"]),
            *_texts(item, "name"),
            tuple(str(alias) for alias in item["aliases"]),
            str(item["type"]),
            str(item["city"]),
            str(item["country"]),
            str(item["website"]),
        )
        for item in data["organizations"]
    )
    keys = [org.key for org in orgs]
    if len(set(keys)) != len(keys):
        raise ValueError("activities.json: duplicate organization keys")
    opportunities = tuple(
        _Opportunity(
            str(item["kind"]),
            _known([item["organization"]], keys, "organization")[0],
            _known(item["sectors"], SUB_SECTORS, "sub-sector"),
            str(item["deadline"]),
            str(item["status"]),
            _flag(item["anonymous"], "anonymous"),
            *_texts(item, "title"),
            *_texts(item, "description"),
        )
        for item in data["opportunities"]
    )
    events = tuple(
        _Event(
            str(item["kind"]),
            str(item["starts_on"]),
            str(item["ends_on"]),
            str(item["city"]),
            str(item["country"]),
            str(item["venue"]),
            _flag(item["online"], "online"),
            _known(item["organizers"], keys, "organization"),
            _known(item["areas"], AREAS, "area"),
            *_texts(item, "title"),
            *_texts(item, "description"),
        )
        for item in data["events"]
    )
    org_areas = {
        key: frozenset(code.split(".")[0] for opp in opportunities if opp.org == key for code in opp.sectors)
        for key in keys
    }
    return _Activities(orgs, opportunities, events, {org.key: org for org in orgs}, org_areas)


def _org_row(number: int, org: _DemoOrg) -> dict[str, str]:
    return {
        "id": f"demo-org-{number:02d}",
        "name_ru": org.name_ru,
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "aliases": ";".join(org.aliases),
        "type": org.type,
        "city": org.city,
        "country": org.country,
        "ror_id": "",
        "wikidata_id": "",
        "website": org.website,
        "parent": "",
    }


def _open_deadline(deadline: str, status: str, today: dt.date) -> str:
    """The deadline of a demo opportunity, moved on by whole years while the call is open and the
    deadline has passed.

    The dataset's deadlines were written for 2026 and 2027; an open call whose deadline has passed
    is refused (ingest/activities.py), and a demo loaded later should still show open calls.

    >>> later = dt.date(2027, 3, 1)
    >>> _open_deadline("2026-02-28", "open", later), _open_deadline("2026-02-28", "closed", later)
    ('2028-02-28', '2026-02-28')
    """
    day = dt.date.fromisoformat(deadline)
    while deadline_passed(status, day, today):
        # 29 February has no date in the next year: the 28th stands in for it.
        day = (
            day.replace(year=day.year + 1, day=28)
            if (day.month, day.day) == (2, 29)
            else day.replace(year=day.year + 1)
        )
    return day.isoformat()


def _opportunity_row(
    number: int, opp: _Opportunity, activities: _Activities, today: dt.date
) -> dict[str, str]:
    org = activities.org_by_key[opp.org]
    return {
        "id": f"demo-opp-{number:02d}",
        "kind": opp.kind,
        "title_ru": opp.title_ru,
        "title_zh": opp.title_zh,
        "title_en": opp.title_en,
        "description_ru": opp.description_ru,
        "description_zh": opp.description_zh,
        "description_en": opp.description_en,
        "sectors": ";".join(opp.sectors),
        "organization": org.name_en,
        "city": org.city,
        "country": org.country,
        "deadline": _open_deadline(opp.deadline, opp.status, today),
        "status": opp.status,
        "anonymous": "true" if opp.anonymous else "false",
    }


def _event_row(
    number: int,
    event: _Event,
    activities: _Activities,
    experts: Sequence[dict[str, str]],
    tables: _Tables,
    rng: random.Random,
) -> dict[str, str]:
    organizers = [activities.org_by_key[key].name_en for key in event.organizers]
    relevant = [
        row["id"]
        for row in experts
        if any(code.split(".")[0] in event.areas for code in row["sectors"].split(";"))
    ]
    wanted = min(rng.randint(5, 30), len(experts))
    chosen = rng.sample(relevant, min(wanted, len(relevant)))
    if len(chosen) < wanted:
        taken = set(chosen)
        rest = [row["id"] for row in experts if row["id"] not in taken]
        chosen += rng.sample(rest, wanted - len(chosen))
    # The order of this condition matters: rng.random() is drawn only for eligible guests.
    guests = [
        org.name_en
        for org in activities.orgs
        if org.name_en not in organizers
        and activities.org_areas[org.key].intersection(event.areas)
        and rng.random() < 0.6
    ]
    ror_names = [
        *rng.sample(tables.ror_by_city["Moscow"], rng.randint(1, 3)),
        *rng.sample(tables.ror_by_city["Beijing"], rng.randint(1, 3)),
    ]
    participants = list(dict.fromkeys(organizers + guests + ror_names))
    return {
        "id": f"demo-event-{number:02d}",
        "kind": event.kind,
        "title_ru": event.title_ru,
        "title_zh": event.title_zh,
        "title_en": event.title_en,
        "description_ru": event.description_ru,
        "description_zh": event.description_zh,
        "description_en": event.description_en,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "city": event.city,
        "country": event.country,
        "venue": event.venue,
        "online": "true" if event.online else "false",
        "organizers": ";".join(organizers),
        "expert_participants": ";".join(sorted(chosen)),
        "organization_participants": ";".join(participants),
    }

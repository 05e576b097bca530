"""Seeded generator of synthetic, clearly fictional demo data for expertbridge.

Produces experts (Moscow-based Russians and Beijing-based Chinese), a dozen fictional
organizations, cooperation opportunities and events in Russian, Chinese and English.
Everything is derived from ``random.Random(seed)`` instances created per call, so the
same seed always yields the same output. Every value of every row is a string; list-valued
fields are joined with ``";"``. E-mail addresses use only the reserved ``example.*``
domains, phone numbers use the ``5550`` fictional block and ORCID-style identifiers use
the ``0000-0000`` prefix, so none of them can belong to a real person.

Inputs are package data: ``data/ror_moscow_beijing.jsonl`` (real organizations the
experts are attached to), ``data/demo/names_ru.json``, ``data/demo/names_zh.json`` and
``data/demo/vocabulary.json``.
"""

from __future__ import annotations

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

EXPERT_KEYS: Final[tuple[str, ...]] = (
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
ORGANIZATION_KEYS: Final[tuple[str, ...]] = (
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
OPPORTUNITY_KEYS: Final[tuple[str, ...]] = (
    "id",
    "kind",
    "title_ru",
    "title_zh",
    "title_en",
    "description_ru",
    "description_zh",
    "description_en",
    "sectors",
    "organization",
    "city",
    "country",
    "deadline",
    "status",
    "anonymous",
)
EVENT_KEYS: Final[tuple[str, ...]] = (
    "id",
    "kind",
    "title_ru",
    "title_zh",
    "title_en",
    "description_ru",
    "description_zh",
    "description_en",
    "starts_on",
    "ends_on",
    "city",
    "country",
    "venue",
    "online",
    "organizers",
    "expert_participants",
    "organization_participants",
)

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


def generate_demo(seed: int = 2021, experts: int = 2400) -> DemoDataset:
    """Generate the full demo dataset deterministically from ``seed``.

    ``organizations`` holds only the fictional demo organizations (the ROR records are
    imported separately); experts are attached to ROR organizations, opportunities are
    posted by demo organizations and events reference both plus generated expert ids.
    """
    tables = _load_tables()
    expert_rows = list(_expert_stream(tables, experts, seed, "demo-"))
    organizations = [_org_row(number, org) for number, org in enumerate(_DEMO_ORGS, start=1)]
    opportunities = [_opportunity_row(number, opp) for number, opp in enumerate(_OPPORTUNITIES, start=1)]
    rng = random.Random(f"expertbridge-demo-events:{seed}")
    events = [
        _event_row(number, event, expert_rows, tables, rng) for number, event in enumerate(_EVENTS, start=1)
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


def orcid_check_character(base_digits: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character ("0"-"9" or "X") for 15 digits."""
    total = 0
    for char in base_digits:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


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


def _orcid(rng: random.Random) -> str:
    digits = "00000000" + "".join(str(rng.randrange(10)) for _ in range(7))
    full = digits + orcid_check_character(digits)
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
        orcid = _orcid(rng) if rng.random() < 0.4 else ""
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
# Fictional organizations, opportunities and events (literal trilingual text)
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


_DEMO_ORGS: Final[tuple[_DemoOrg, ...]] = (
    _DemoOrg(
        "hub",
        "АО «Узловая гавань — развитие пересадочных узлов»",
        "“枢纽港”换乘枢纽开发股份公司",
        "Uzlovaya Gavan Interchange Development JSC",
        ("Uzlovaya Gavan", "Узловая гавань"),
        "enterprise",
        "Moscow",
        "RU",
        "https://uzlovaya-gavan.example.com",
    ),
    _DemoOrg(
        "cluster",
        "Инновационный кластер «Полярная звезда»",
        "“北极星”创新集群",
        "Polar Star Innovation Cluster",
        ("Polar Star Cluster", "Полярная звезда"),
        "innovation_cluster",
        "Moscow",
        "RU",
        "https://polar-star-cluster.example.org",
    ),
    _DemoOrg(
        "solar",
        "Пекинская компания тонкоплёночной солнечной энергетики «Яоши»",
        "北京曜石薄膜太阳能科技有限公司",
        "Beijing Yaoshi Thin-Film Solar Technology Co., Ltd.",
        ("Yaoshi Solar", "曜石薄膜"),
        "enterprise",
        "Beijing",
        "CN",
        "https://yaoshi-solar.example.com",
    ),
    _DemoOrg(
        "ai",
        "Пекинская компания интеллектуального программного обеспечения «Юньхэн»",
        "北京云衡智能软件有限公司",
        "Beijing Yunheng Intelligent Software Co., Ltd.",
        ("Yunheng AI", "云衡智能"),
        "enterprise",
        "Beijing",
        "CN",
        "https://yunheng-ai.example.com",
    ),
    _DemoOrg(
        "dx",
        "Пекинская компания медицинской диагностики «Минси»",
        "北京明析医学诊断技术有限公司",
        "Beijing Mingxi Medical Diagnostics Co., Ltd.",
        ("Mingxi Diagnostics", "明析诊断"),
        "enterprise",
        "Beijing",
        "CN",
        "https://mingxi-dx.example.com",
    ),
    _DemoOrg(
        "metro",
        "ООО «Глубина Метротех»",
        "“格卢比纳”地铁技术有限责任公司",
        "Glubina Metrotech LLC",
        ("Glubina Metrotech", "Глубина Метротех"),
        "enterprise",
        "Moscow",
        "RU",
        "https://glubina-metrotech.example.net",
    ),
    _DemoOrg(
        "youth",
        "Организационный комитет молодёжного инновационного конкурса «Москва — Пекин»",
        "莫斯科—北京青年创新大赛组委会",
        "Organizing Committee of the Moscow–Beijing Youth Innovation Competition",
        ("Moscow–Beijing Youth Innovation Competition", "Оргкомитет конкурса «Москва — Пекин»"),
        "association",
        "Moscow",
        "RU",
        "https://youth-competition.example.org",
    ),
    _DemoOrg(
        "park",
        "Научно-технологический парк «Яньси»",
        "北京燕溪科技园",
        "Yanxi Science Park",
        ("Yanxi Park", "燕溪科技园"),
        "science_park",
        "Beijing",
        "CN",
        "https://yanxi-park.example.org",
    ),
    _DemoOrg(
        "urban",
        "Ассоциация урбанистов «Городской диалог»",
        "“城市对话”城市规划协会",
        "Urban Dialogue Association",
        ("Urban Dialogue", "Городской диалог"),
        "association",
        "Moscow",
        "RU",
        "https://urban-dialogue.example.org",
    ),
    _DemoOrg(
        "rail",
        "Институт планирования рельсового транспорта «Цзинхуа»",
        "北京京华轨道交通规划研究院",
        "Jinghua Rail Transit Planning Institute",
        ("Jinghua Institute", "京华轨道院"),
        "research_institute",
        "Beijing",
        "CN",
        "https://jinghua-rail.example.net",
    ),
    _DemoOrg(
        "med",
        "НИИ цифровой медицины «Медиана»",
        "“梅迪亚纳”数字医学研究所",
        "Mediana Research Institute of Digital Medicine",
        ("Mediana Institute", "НИИ «Медиана»"),
        "research_institute",
        "Moscow",
        "RU",
        "https://mediana-institute.example.org",
    ),
    _DemoOrg(
        "winter",
        "Ассоциация технологий зимнего спорта «Сюэюань»",
        "北京雪原冰雪运动科技协会",
        "Xueyuan Winter Sports Technology Association",
        ("Xueyuan Association", "雪原协会"),
        "association",
        "Beijing",
        "CN",
        "https://xueyuan-winter.example.org",
    ),
    _DemoOrg(
        "culture",
        "Агентство культурных обменов «Шёлковая нить»",
        "“丝线”文化交流机构",
        "Silk Thread Cultural Exchange Agency",
        ("Silk Thread Agency", "Шёлковая нить"),
        "enterprise",
        "Moscow",
        "RU",
        "https://silk-thread.example.com",
    ),
)


def _opp(
    kind: str,
    org: str,
    sectors: str,
    deadline: str,
    status: str,
    anonymous: bool,
    titles: tuple[str, str, str],
    descriptions: tuple[str, str, str],
) -> _Opportunity:
    return _Opportunity(
        kind, org, tuple(sectors.split(";")), deadline, status, anonymous, *titles, *descriptions
    )


_OPPORTUNITIES: Final[tuple[_Opportunity, ...]] = (
    _opp(
        "partner_wanted",
        "hub",
        "transport.hubs;urban.construction",
        "2026-09-30",
        "open",
        False,
        (
            "Ищем китайских подрядчиков для строительства транспортно-пересадочных узлов в Москве",
            "莫斯科交通换乘枢纽建设项目寻求中国承包商",
            "Chinese contractors wanted to build transport interchange hubs in Moscow",
        ),
        (
            "Компания развивает несколько транспортно-пересадочных узлов, объединяющих метро, "
            "пригородные поезда и автобусные маршруты Москвы. Мы ищем китайские генподрядные и "
            "инжиниринговые компании с опытом строительства крупных мультимодальных узлов. "
            "Приветствуется создание совместных предприятий с российскими партнёрами.",
            "本公司正在莫斯科开发多个连接地铁、市郊铁路和公交线路的交通换乘枢纽。"
            "我们寻找具有大型多式联运枢纽建设经验的中国总承包商和工程公司。"
            "欢迎与俄罗斯合作伙伴组建合资企业。",
            "We are developing several transport interchange hubs that connect metro, suburban "
            "rail and bus lines in Moscow. We are looking for Chinese general contractors and "
            "engineering companies with experience in large multimodal hubs. Joint ventures with "
            "Russian partners are welcome.",
        ),
    ),
    _opp(
        "rd_cooperation",
        "metro",
        "transport.metro;transport.rail",
        "2026-12-15",
        "open",
        False,
        (
            "Обмен технологиями метрополитена: проходка тоннелей, управление движением поездов, "
            "обслуживание станций",
            "地铁技术交流：隧道掘进、列车控制与车站维护",
            "Metro technology exchange: tunnelling, train control and station maintenance",
        ),
        (
            "Предлагаем обмен технологиями с пекинскими инжиниринговыми компаниями в сфере "
            "метрополитена. Темы сотрудничества — щитовая проходка тоннелей в сложных грунтах, "
            "управление движением поездов на основе радиосвязи и предиктивное обслуживание "
            "эскалаторов. Планируются совместные пилотные проекты и взаимные стажировки инженеров.",
            "我们希望与北京的地铁工程企业开展技术交流。合作内容包括复杂地层中的盾构掘进、"
            "基于通信的列车控制系统以及自动扶梯的预测性维护。计划开展联合试点项目和工程师互派实习。",
            "We propose a technology exchange with Beijing metro engineering companies. Topics "
            "include shield tunnelling in difficult soils, communications-based train control and "
            "predictive maintenance of escalators. We plan joint pilot projects and reciprocal "
            "engineering internships.",
        ),
    ),
    _opp(
        "expert_wanted",
        "rail",
        "transport.public_transport;sports.events",
        "2026-06-30",
        "open",
        False,
        (
            "Требуются российские эксперты по транспортному планированию крупных спортивных мероприятий",
            "诚邀俄罗斯专家参与大型体育赛事交通规划",
            "Russian experts wanted: transport planning for large sports events",
        ),
        (
            "Институт готовит транспортные планы для международных спортивных соревнований в "
            "Пекине. Мы ищем московских экспертов с опытом планирования зрительских потоков, "
            "временных маршрутов общественного транспорта и организации дорожного движения во "
            "время крупных турниров. Возможны консультационные договоры и совместные публикации.",
            "本院正在为在北京举办的国际体育赛事编制交通规划。我们寻找在大型赛事观众客流组织、"
            "临时公交线路和交通管理方面具有经验的莫斯科专家。可签订咨询合同并联合发表成果。",
            "Our institute is preparing transport plans for international sports events in "
            "Beijing. We are looking for Moscow experts who have planned spectator flows, "
            "temporary public transport routes and traffic management for major tournaments. "
            "Consulting contracts and joint publications are possible.",
        ),
    ),
    _opp(
        "rd_cooperation",
        "dx",
        "health.infectious_diseases;health.diagnostics",
        "2026-10-31",
        "open",
        False,
        (
            "Диагностика COVID-19 и респираторных инфекций: совместная клиническая валидация",
            "新冠肺炎及呼吸道感染诊断：联合临床验证",
            "COVID-19 and respiratory infection diagnostics: joint clinical validation",
        ),
        (
            "Компания разработала экспресс-тесты для одновременного выявления COVID-19, гриппа и "
            "респираторно-синцитиальной инфекции. Мы ищем московские клинические центры и "
            "лаборатории для валидации тестов на местных образцах и подготовки к регистрации в "
            "России. Приветствуются совместные научные публикации.",
            "本公司研发了可同时检测新冠病毒、流感病毒和呼吸道合胞病毒的快速多重检测试剂。"
            "我们寻找莫斯科的临床中心和实验室，利用当地样本验证检测性能，并为在俄罗斯注册做准备。"
            "欢迎联合发表科研论文。",
            "We have developed rapid multiplex tests for COVID-19, influenza and RSV. We are "
            "seeking Moscow clinical centres and laboratories to validate the tests on local "
            "samples and to prepare registration in Russia. Joint research publications are "
            "welcome.",
        ),
    ),
    _opp(
        "technology_offer",
        "solar",
        "science.energy;urban.construction",
        "2027-03-31",
        "open",
        False,
        (
            "Тонкоплёночные солнечные модули для фасадов и кровель зданий в Москве",
            "面向莫斯科建筑幕墙和屋顶的薄膜太阳能组件",
            "Thin-film solar modules for building facades and roofs in Moscow",
        ),
        (
            "Мы производим лёгкие тонкоплёночные солнечные модули CIGS, которые встраиваются в "
            "фасады, кровли и шумозащитные экраны. Модули сохраняют высокую выработку при "
            "рассеянном свете и низких температурах. Предлагаем пилотные установки совместно с "
            "московскими девелоперами и лицензирование локальной сборки.",
            "本公司生产可集成于建筑幕墙、屋顶和隔音屏障的轻质铜铟镓硒（CIGS）薄膜太阳能组件。"
            "组件在散射光和低温条件下仍保持较高发电效率。我们可与莫斯科开发商合作建设试点项目，"
            "并提供本地组装技术许可。",
            "We manufacture lightweight CIGS thin-film solar modules that can be integrated into "
            "facades, roofs and noise barriers. The modules keep a high output in diffuse light "
            "and at low temperatures. We offer pilot installations with Moscow developers and "
            "licensing for local assembly.",
        ),
    ),
    _opp(
        "business_offer",
        "ai",
        "science.ai;science.it_software",
        "2026-12-31",
        "open",
        False,
        (
            "Платформа ИИ и облачного ПО для российских предприятий: ищем партнёров по дистрибуции",
            "面向俄罗斯企业的人工智能与云软件平台：寻求分销合作伙伴",
            "AI and cloud software platform for Russian enterprises: distribution partners wanted",
        ),
        (
            "Наша платформа объединяет компьютерное зрение, распознавание документов и "
            "возможность развёртывания в частном облаке. Ею уже пользуются производственные и "
            "логистические компании в Китае. Мы ищем московских системных интеграторов, готовых "
            "локализовать интерфейс, разместить сервис в России и обеспечивать поддержку клиентов.",
            "我们的平台集计算机视觉、文档识别和私有云部署于一体，已服务于中国的制造和物流企业。"
            "我们正在寻找莫斯科的系统集成商，负责界面本地化、在俄罗斯境内部署服务并提供客户支持。",
            "Our platform combines computer vision, document recognition and a private cloud "
            "deployment option. It already serves manufacturing and logistics customers in China. "
            "We are looking for Moscow system integrators to localise the interface, host the "
            "service in Russia and support customers.",
        ),
    ),
    _opp(
        "expert_wanted",
        "youth",
        "innovation.startups_venture;education.exchange",
        "2026-04-15",
        "open",
        False,
        (
            "Приглашаем экспертов в жюри молодёжного инновационного конкурса «Москва — Пекин»",
            "莫斯科—北京青年创新大赛诚邀评审专家",
            "Expert jury wanted for the Moscow–Beijing Youth Innovation Competition",
        ),
        (
            "Конкурс объединяет команды студентов и молодых учёных из Москвы и Пекина. Мы "
            "приглашаем экспертов из обоих городов оценить заявки в онлайн-формате и войти в жюри "
            "финала. От членов жюри ожидается опыт в технологическом предпринимательстве, "
            "венчурных инвестициях или прикладных исследованиях.",
            "大赛汇聚莫斯科和北京的大学生及青年科研团队。我们邀请两市专家在线评审参赛材料并担任"
            "决赛评委。评审专家应具有科技创业、风险投资或应用研究方面的经验。",
            "The competition brings together teams of students and young researchers from Moscow "
            "and Beijing. We invite experts from both cities to review applications online and to "
            "judge the final pitches. Jury members should have experience in technology "
            "entrepreneurship, venture investment or applied research.",
        ),
    ),
    _opp(
        "partner_wanted",
        "cluster",
        "innovation.industrial_parks;innovation.smes",
        "2026-11-30",
        "open",
        False,
        (
            "Ищем китайские индустриальные парки для программы мягкой посадки московских стартапов",
            "寻求中国产业园区合作开展莫斯科初创企业“软着陆”项目",
            "Chinese industrial parks wanted for a soft-landing programme for Moscow start-ups",
        ),
        (
            "Кластер объединяет более двухсот технологических компаний. Мы хотим договориться с "
            "индустриальными парками Пекина о предоставлении нашим резидентам офисов, юридической "
            "поддержки и знакомства с заказчиками. Взамен предлагаем такие же услуги китайским "
            "компаниям, выходящим на московский рынок.",
            "本集群汇聚了两百多家科技企业。我们希望与北京的产业园区达成合作，为我方入驻企业提供"
            "办公场地、法律支持和客户对接服务。作为回报，我们为进入莫斯科市场的中国企业提供同等服务。",
            "The cluster brings together more than two hundred technology companies. We want to "
            "agree with industrial parks in Beijing on office space, legal support and "
            "introductions to customers for our residents. In return we offer the same services "
            "to Chinese companies entering Moscow.",
        ),
    ),
    _opp(
        "technology_request",
        "med",
        "health.digital_health;science.ai",
        "2026-08-31",
        "open",
        False,
        (
            "Запрос технологии: анализ КТ-изображений органов грудной клетки с помощью ИИ",
            "技术需求：人工智能辅助胸部CT影像分析",
            "Technology request: AI-assisted analysis of chest CT images",
        ),
        (
            "Институт ищет зрелое программное решение на основе ИИ для выявления очагов в лёгких "
            "на КТ-снимках грудной клетки. Решение должно интегрироваться с больничными системами "
            "PACS и формировать заключения на русском языке. Мы готовы организовать совместное "
            "испытание в московских клиниках.",
            "本所寻求成熟的人工智能软件，用于在胸部CT影像中检测肺部病灶。该方案应能与医院PACS"
            "系统集成，并支持生成俄语报告。我们愿意在莫斯科的医疗机构组织联合试用。",
            "The institute is looking for mature AI software for detecting lung lesions on chest "
            "CT scans. The solution should integrate with hospital PACS systems and support "
            "Russian-language reports. We are ready to organise a joint trial in Moscow clinics.",
        ),
    ),
    _opp(
        "business_offer",
        "park",
        "innovation.industrial_parks;innovation.technology_transfer",
        "2027-01-31",
        "open",
        False,
        (
            "Офисы и лаборатории для российских технологических компаний в научном парке «Яньси»",
            "燕溪科技园为俄罗斯科技企业提供办公及实验室空间",
            "Office and laboratory space for Russian technology companies in Yanxi Science Park",
        ),
        (
            "Научный парк «Яньси» предлагает офисы с мебелью, лаборатории коллективного "
            "пользования и площадки для опытного производства на льготных условиях в течение "
            "первых двух лет. Резиденты получают помощь в регистрации компании, оформлении виз и "
            "поиске китайских заказчиков. Мы приглашаем российские компании в области новых "
            "материалов, электроники и биотехнологий.",
            "燕溪科技园提供精装办公室、共享实验室和中试生产场地，前两年享受优惠条件。"
            "入园企业可获得公司注册、签证办理和对接中国客户等方面的协助。"
            "我们欢迎新材料、电子和生物技术领域的俄罗斯企业入驻。",
            "Yanxi Science Park offers furnished offices, shared laboratories and pilot "
            "production areas on preferential terms for the first two years. Resident companies "
            "receive help with company registration, visas and contacts with Chinese customers. "
            "We welcome Russian companies in new materials, electronics and biotechnology.",
        ),
    ),
    _opp(
        "expert_wanted",
        "urban",
        "urban.spatial_planning;transport.hubs",
        "2026-07-31",
        "open",
        False,
        (
            "Приглашаем китайских урбанистов к сравнительному исследованию "
            "транзитно-ориентированного развития",
            "诚邀中国城市规划专家参与公共交通导向开发比较研究",
            "Chinese urban planners wanted for a comparative study of transit-oriented development",
        ),
        (
            "Ассоциация готовит сравнительное исследование транзитно-ориентированного развития "
            "территорий вокруг станций метро и железной дороги в Москве и Пекине. Мы ищем "
            "китайских планировщиков и исследователей, готовых поделиться данными о проектах и "
            "стать соавторами доклада. Результаты будут представлены на совместной конференции.",
            "本协会正在开展莫斯科与北京地铁站和铁路车站周边公共交通导向开发（TOD）的比较研究。"
            "我们寻找愿意分享项目数据并共同撰写报告的中国规划师和研究人员。"
            "研究成果将在双方联合举办的会议上发布。",
            "The association is preparing a comparative study of transit-oriented development "
            "around metro and rail stations in Moscow and Beijing. We are looking for Chinese "
            "planners and researchers who can share project data and co-author the report. "
            "Results will be presented at a joint conference.",
        ),
    ),
    _opp(
        "technology_request",
        "winter",
        "sports.winter;science.energy",
        "2026-05-31",
        "closed",
        False,
        (
            "Запрос технологии: энергоэффективное оснежение и холодильные системы для ледовых арен",
            "技术需求：节能造雪及冰场制冷技术",
            "Technology request: energy-efficient snowmaking and ice-rink refrigeration",
        ),
        (
            "Ассоциация ищет энергоэффективное оборудование для оснежения и холодильные системы "
            "на природных хладагентах для ледовых арен. Мы приглашаем российских производителей и "
            "научные коллективы с реализованными проектами направить предложения. Пилотные "
            "проекты планируются в тренировочных центрах под Пекином.",
            "本协会寻求节能造雪设备以及采用天然制冷剂的冰场制冷系统。诚邀具有成功应用案例的"
            "俄罗斯制造商和科研团队提交方案。试点项目计划在北京周边的训练基地实施。",
            "The association is looking for energy-efficient snowmaking equipment and natural "
            "refrigerant systems for ice rinks. Russian manufacturers and research teams with "
            "proven installations are invited to submit proposals. Pilot projects are planned at "
            "training centres near Beijing.",
        ),
    ),
    _opp(
        "partner_wanted",
        "culture",
        "culture.film;media.television",
        "2027-02-28",
        "open",
        False,
        (
            "Ищем партнёров для совместного производства документального сериала о Москве и Пекине",
            "寻求合作伙伴联合摄制莫斯科与北京主题纪录片",
            "Co-production partners wanted for a documentary series about Moscow and Beijing",
        ),
        (
            "Мы планируем документальный сериал из шести серий об архитектуре, науке и "
            "повседневной жизни Москвы и Пекина. Ищем китайскую продюсерскую студию или телеканал "
            "для совместного производства и дистрибуции. Съёмки в Москве проведёт российская "
            "группа, в Пекине — китайская.",
            "我们计划摄制一部六集纪录片，展现莫斯科和北京的建筑、科学与日常生活。现寻找中国制作"
            "公司或电视台开展联合摄制和发行。莫斯科部分由俄方摄制组拍摄，北京部分由中方摄制组拍摄。",
            "We are planning a six-episode documentary series about the architecture, science and "
            "everyday life of Moscow and Beijing. We are looking for a Chinese production studio "
            "or television channel for co-production and distribution. Russian crews will film in "
            "Moscow and Chinese crews in Beijing.",
        ),
    ),
    _opp(
        "technology_request",
        "solar",
        "science.materials;science.energy",
        "2026-09-15",
        "open",
        True,
        (
            "Запрос: герметизирующие материалы для тандемных перовскит-кремниевых солнечных элементов",
            "需求：钙钛矿/晶硅叠层太阳能电池封装材料",
            "Request: encapsulation materials for perovskite–silicon tandem solar cells",
        ),
        (
            "Пекинский производитель солнечных модулей ищет барьерные плёнки и герметики, "
            "защищающие перовскитные слои от влаги и нагрева. Нас интересуют российские "
            "материаловеды и компании, способные предоставить образцы или провести совместные "
            "ускоренные испытания на старение. Название компании будет раскрыто после "
            "предварительной договорённости.",
            "北京一家太阳能组件制造商正在寻找能保护钙钛矿层免受湿气和高温影响的阻隔膜和封装材料。"
            "我们希望与能够提供样品或开展联合加速老化试验的俄罗斯材料科学家和企业合作。"
            "初步达成意向后将披露公司名称。",
            "A Beijing solar manufacturer is looking for barrier films and encapsulants that "
            "protect perovskite layers from moisture and heat. We are interested in Russian "
            "materials scientists and companies that can supply samples or run joint accelerated "
            "ageing tests. The name of the company will be disclosed after an initial agreement.",
        ),
    ),
    _opp(
        "rd_cooperation",
        "ai",
        "science.ai;education.languages",
        "2026-12-01",
        "open",
        False,
        (
            "Совместные исследования: машинный перевод технической документации между русским и китайским",
            "联合研发：中俄技术文档机器翻译",
            "Joint R&D: Russian–Chinese machine translation of technical documentation",
        ),
        (
            "Мы хотим создать специализированную модель перевода для инженерных стандартов, "
            "руководств и патентов. Ищем российских лингвистов и специалистов по обработке "
            "естественного языка для подготовки параллельных корпусов и оценки качества перевода. "
            "Результаты могут быть опубликованы в виде открытого набора тестов.",
            "我们计划构建面向工程标准、技术手册和专利文献的领域机器翻译模型。现寻找俄罗斯语言学家"
            "和自然语言处理研究人员，共同构建平行语料库并评估翻译质量。研究成果可作为开放评测基准发布。",
            "We want to build a domain-specific translation model for engineering standards, "
            "manuals and patents. We are looking for Russian linguists and NLP researchers to "
            "prepare parallel corpora and evaluate translation quality. The results may be "
            "published as an open benchmark.",
        ),
    ),
    _opp(
        "technology_offer",
        "cluster",
        "science.robotics;innovation.technology_transfer",
        "2027-04-30",
        "open",
        False,
        (
            "Промышленная робототехника и машинное зрение от компаний московского кластера",
            "莫斯科创新集群企业提供工业机器人及机器视觉解决方案",
            "Industrial robotics and machine vision solutions from Moscow cluster companies",
        ),
        (
            "Участники кластера предлагают коллаборативных роботов, системы машинного зрения для "
            "контроля качества и программное обеспечение для программирования роботов. Решения "
            "прошли испытания на российских автомобильных и электронных заводах. Мы ищем китайских "
            "производителей и интеграторов, заинтересованных в лицензировании или совместном "
            "производстве.",
            "集群成员企业可提供协作机器人、用于质量检测的机器视觉系统和机器人编程软件。"
            "相关方案已在俄罗斯汽车和电子工厂通过测试。我们寻找有意获得技术许可或开展联合生产的"
            "中国制造商和系统集成商。",
            "Cluster members offer collaborative robots, machine vision systems for quality "
            "control and software for robot programming. The solutions have been tested at "
            "Russian automotive and electronics plants. We are looking for Chinese manufacturers "
            "and integrators interested in licensing or joint production.",
        ),
    ),
    _opp(
        "business_request",
        "hub",
        "transport.hubs;transport.metro",
        "2026-08-15",
        "open",
        True,
        (
            "Поставка эскалаторов и платформенных раздвижных дверей для пересадочных узлов",
            "换乘枢纽自动扶梯及站台屏蔽门采购",
            "Supply of escalators and platform screen doors for interchange hubs",
        ),
        (
            "Московский девелопер пересадочных узлов ищет поставщиков эскалаторов для "
            "интенсивной эксплуатации и платформенных раздвижных дверей. Оборудование должно быть "
            "сертифицировано для работы при температуре до минус 30 °C. Приглашаем китайских "
            "производителей с опытом поставок для метрополитенов направить технические и "
            "коммерческие предложения.",
            "莫斯科一家换乘枢纽开发商正在寻找重载型自动扶梯和站台屏蔽门供应商。"
            "设备须通过零下30摄氏度运行环境认证。诚邀具有地铁供货业绩的中国制造商提交技术和商务方案。",
            "A Moscow developer of interchange hubs is looking for suppliers of heavy-duty "
            "escalators and platform screen doors. Equipment must be certified for operation at "
            "temperatures down to minus 30 °C. Chinese manufacturers with metro references are "
            "invited to send technical and commercial proposals.",
        ),
    ),
    _opp(
        "partner_wanted",
        "dx",
        "health.diagnostics;trade.export_import",
        "2026-10-01",
        "open",
        False,
        (
            "Ищем дистрибьюторов в России для анализаторов экспресс-диагностики",
            "即时检验分析仪寻求俄罗斯分销合作伙伴",
            "Distribution partners wanted in Russia for point-of-care diagnostic analysers",
        ),
        (
            "Мы выпускаем компактные анализаторы для экспресс-диагностики у постели больного: "
            "кардиомаркеры, маркеры воспаления и показатели свёртываемости крови. Ищем российских "
            "дистрибьюторов с сервисной сетью и опытом регистрации медицинских изделий. Обучение "
            "сервисных инженеров проводится в Пекине.",
            "本公司生产用于心肌标志物、炎症及凝血检测的小型即时检验（POCT）分析仪。"
            "现寻找拥有服务网络和医疗器械注册经验的俄罗斯分销商。我们将在北京为服务工程师提供培训。",
            "We produce compact point-of-care analysers for cardiac markers, inflammation and "
            "coagulation tests. We are looking for Russian distributors with a service network "
            "and experience in registering medical devices. Training for service engineers is "
            "provided in Beijing.",
        ),
    ),
    _opp(
        "business_offer",
        "culture",
        "tourism.travel;tourism.heritage",
        "2026-11-15",
        "open",
        False,
        (
            "Маршруты по объектам культурного наследия Москвы для китайских туроператоров",
            "面向中国旅行社的莫斯科文化遗产旅游线路",
            "Heritage tourism routes in Moscow for Chinese tour operators",
        ),
        (
            "Мы разработали тематические маршруты по московским монастырям, усадьбам и музеям с "
            "китайскоязычными гидами. Программы включают билеты, транспорт и питание с учётом "
            "пожеланий китайских групп. Приглашаем китайских туроператоров включить маршруты в "
            "свои предложения.",
            "我们设计了涵盖莫斯科修道院、庄园和博物馆的主题线路，并配备中文导游。"
            "行程包括门票、交通和适合中国团队口味的餐饮。诚邀中国旅行社将上述线路纳入其产品。",
            "We have designed themed routes around Moscow monasteries, country estates and "
            "museums with Chinese-speaking guides. The programmes include tickets, transport and "
            "meals adapted for Chinese groups. We invite Chinese tour operators to include the "
            "routes in their offers.",
        ),
    ),
    _opp(
        "expert_wanted",
        "park",
        "innovation.ip;innovation.technology_transfer",
        "2026-03-31",
        "closed",
        False,
        (
            "Требуются российские эксперты по трансферу технологий и лицензированию "
            "интеллектуальной собственности",
            "诚聘俄罗斯技术转移与知识产权许可专家担任导师",
            "Russian experts in technology transfer and IP licensing wanted as mentors",
        ),
        (
            "Научный парк проводит акселерационную программу для компаний, коммерциализирующих "
            "университетские разработки. Мы ищем российских экспертов, способных стать "
            "наставниками и консультировать по патентной стратегии, лицензионным договорам и "
            "оценке технологий. Наставнические сессии проходят онлайн два раза в месяц.",
            "本科技园为转化高校科研成果的企业开展加速计划。我们寻找能够就专利策略、许可协议和"
            "技术评估提供咨询的俄罗斯专家担任导师。导师辅导每月在线进行两次。",
            "The science park runs an acceleration programme for companies that commercialise "
            "university research. We are looking for Russian experts who can advise on patent "
            "strategy, licensing agreements and technology valuation. Mentoring sessions are held "
            "online twice a month.",
        ),
    ),
    _opp(
        "rd_cooperation",
        "urban",
        "urban.smart_city;urban.utilities",
        "2027-05-31",
        "open",
        False,
        (
            "Пилотный проект «умного города»: цифровые двойники сетей теплоснабжения и водоснабжения",
            "智慧城市试点：区域供热与供水管网数字孪生",
            "Smart city pilot: digital twins of district heating and water networks",
        ),
        (
            "Участники ассоциации предлагают совместный пилотный проект по созданию цифровых "
            "двойников инженерных сетей в одном районе Москвы и одном районе Пекина. Двойники "
            "объединят данные датчиков, гидравлические модели и сведения об обслуживании. Мы ищем "
            "китайских разработчиков программного обеспечения и эксплуатирующие организации.",
            "协会成员提议在莫斯科和北京各选一个城区，联合开展市政管网数字孪生试点。"
            "数字孪生将整合传感器数据、水力模型和运维记录。我们正在寻找中国软件开发商和市政公用事业"
            "运营单位。",
            "Members of the association propose a joint pilot on digital twins of utility "
            "networks in one Moscow district and one Beijing district. The twins will combine "
            "sensor data, hydraulic models and maintenance records. We are looking for Chinese "
            "software developers and utility operators.",
        ),
    ),
    _opp(
        "partner_wanted",
        "rail",
        "trade.logistics_customs;transport.rail",
        "2026-02-28",
        "closed",
        False,
        (
            "Ищем партнёров для исследования цифрового таможенного оформления железнодорожных грузов",
            "中俄铁路货运数字化通关研究寻求合作伙伴",
            "Partners wanted for a study on digital customs clearance of China–Russia rail freight",
        ),
        (
            "Институт изучает, как электронные документы и предварительное информирование могут "
            "сократить простой контейнерных поездов на границе. Мы ищем российских логистических "
            "операторов и таможенных брокеров, готовых поделиться данными о процессах и принять "
            "участие в интервью. По итогам будет подготовлен совместный доклад.",
            "本院正在研究电子单证和预先申报如何缩短集装箱班列在边境的停留时间。我们寻找愿意分享"
            "流程数据并参与访谈的俄罗斯物流运营商和报关企业。研究完成后将形成联合报告。",
            "The institute is studying how electronic documents and pre-arrival information can "
            "shorten border stops of container trains. We are looking for Russian logistics "
            "operators and customs brokers to share process data and take part in interviews. A "
            "joint report will be prepared at the end of the study.",
        ),
    ),
    _opp(
        "expert_wanted",
        "med",
        "health.traditional_medicine;health.management",
        "2026-12-20",
        "open",
        True,
        (
            "Приглашаем специалистов традиционной китайской медицины в исследовательскую "
            "программу по реабилитации",
            "诚邀中医专家参与康复研究项目",
            "Traditional Chinese medicine specialists wanted for a rehabilitation research programme",
        ),
        (
            "Московский научно-исследовательский институт планирует исследование "
            "иглорефлексотерапии и других традиционных методов в реабилитации пациентов после "
            "инсульта. Мы ищем китайских врачей и исследователей, которые помогут разработать "
            "протокол и обучить персонал. Название института будет сообщено после первого "
            "контакта.",
            "莫斯科一家科研机构计划开展针灸等传统疗法在脑卒中患者康复中的应用研究。"
            "我们寻找中国临床医生和研究人员协助设计研究方案并培训人员。首次联系后将告知机构名称。",
            "A Moscow research institute is planning a study of acupuncture and other "
            "traditional methods in the rehabilitation of patients after stroke. We are looking "
            "for Chinese clinicians and researchers to help design the protocol and train staff. "
            "The institute will be named after the first contact.",
        ),
    ),
    _opp(
        "partner_wanted",
        "youth",
        "media.digital;media.news",
        "2026-03-15",
        "open",
        False,
        (
            "Ищем медиапартнёров для освещения молодёжного инновационного конкурса «Москва — Пекин»",
            "莫斯科—北京青年创新大赛寻求媒体合作伙伴",
            "Media partners wanted to cover the Moscow–Beijing Youth Innovation Competition",
        ),
        (
            "Оргкомитет приглашает интернет-издания, научных блогеров и информационные агентства "
            "обеих стран к освещению конкурса. Партнёры получат интервью с финалистами и доступ к "
            "трансляции финала. Материалы можно публиковать на русском, китайском и английском "
            "языках.",
            "组委会邀请两国网络媒体、科普博主和通讯社报道本次大赛。合作伙伴将获得决赛选手专访机会"
            "和决赛直播资源。相关内容可使用俄文、中文和英文发布。",
            "The organizing committee invites online media, science bloggers and news agencies "
            "from both countries to cover the competition. Partners will receive interviews with "
            "finalists and access to the broadcast of the final. Materials may be published in "
            "Russian, Chinese and English.",
        ),
    ),
    _opp(
        "partner_wanted",
        "cluster",
        "trade.exhibitions;innovation.smes",
        "2026-06-15",
        "open",
        False,
        (
            "Ищем китайского партнёра для организации деловых встреч на московском стенде в Пекине",
            "寻求中方合作伙伴在北京莫斯科联合展台组织企业对接会",
            "Chinese partner wanted to organise B2B meetings at a joint Moscow pavilion in Beijing",
        ),
        (
            "Кластер планирует объединённый стенд малых и средних технологических компаний Москвы "
            "на выставке в Пекине. Мы ищем китайского партнёра, который подберёт потенциальных "
            "покупателей, составит график деловых встреч и обеспечит переводчиков. Необходим опыт "
            "работы с промышленными выставками.",
            "本集群计划在北京某展会上设立莫斯科中小科技企业联合展台。我们寻找中方合作伙伴，"
            "负责邀请潜在采购商、安排企业对接会并提供翻译服务。合作方须具备工业展会组织经验。",
            "The cluster plans a joint pavilion of Moscow small and medium-sized technology "
            "companies at an exhibition in Beijing. We are looking for a Chinese partner to find "
            "potential buyers, schedule B2B meetings and provide interpreters. Experience with "
            "industrial exhibitions is required.",
        ),
    ),
    _opp(
        "business_offer",
        "park",
        "innovation.startups_venture;trade.finance_investment",
        "2027-06-30",
        "open",
        False,
        (
            "Соинвестирование в российские наукоёмкие стартапы, выходящие на китайский рынок",
            "面向进入中国市场的俄罗斯硬科技初创企业的联合投资",
            "Co-investment for Russian deep-tech start-ups entering the Chinese market",
        ),
        (
            "Венчурный фонд научного парка готов вместе с российскими фондами инвестировать в "
            "наукоёмкие стартапы, планирующие производство или продажи в Китае. Приоритетные "
            "направления — микроэлектроника, новые материалы и медицинские изделия. Отобранные "
            "компании также получают место в инкубаторе парка.",
            "科技园旗下风险投资基金愿与俄罗斯基金联合投资计划在中国开展生产或销售的硬科技初创企业。"
            "重点领域为微电子、新材料和医疗器械。入选企业还可入驻园区孵化器。",
            "The science park's venture fund is ready to co-invest with Russian funds in "
            "deep-tech start-ups that plan production or sales in China. Priority areas are "
            "microelectronics, new materials and medical devices. Selected companies also receive "
            "a place in the park's incubator.",
        ),
    ),
)


def _event(
    kind: str,
    dates: tuple[str, str],
    place: tuple[str, str, str],
    online: bool,
    organizers: str,
    areas: str,
    titles: tuple[str, str, str],
    descriptions: tuple[str, str, str],
) -> _Event:
    return _Event(
        kind,
        dates[0],
        dates[1],
        place[0],
        place[1],
        place[2],
        online,
        tuple(organizers.split(";")),
        tuple(areas.split(";")),
        *titles,
        *descriptions,
    )


_EVENTS: Final[tuple[_Event, ...]] = (
    _event(
        "roundtable",
        ("2020-11-26", "2020-11-26"),
        ("Moscow", "RU", "Online videoconference between Moscow and Beijing"),
        True,
        "cluster;park",
        "innovation;science",
        (
            "Круглый стол по научно-техническому и инновационному сотрудничеству Москвы и Пекина",
            "莫斯科—北京科技创新合作圆桌会议",
            "Round table on scientific, technological and innovation cooperation between Moscow and Beijing",
        ),
        (
            "Онлайн-круглый стол, посвящённый приоритетам научно-технического сотрудничества двух "
            "городов. Участники обсудили совместные исследования, трансфер технологий и поддержку "
            "инновационных компаний. Рекомендации круглого стола переданы рабочим группам "
            "программы сотрудничества на 2021–2023 годы.",
            "以线上形式举办的圆桌会议，探讨两市科技合作的重点方向。与会者就联合研究、技术转移和"
            "创新企业支持等议题进行了交流。会议建议已转交2021—2023年合作计划各工作组。",
            "An online round table on the priorities of sci-tech cooperation between the two "
            "cities. Participants discussed joint research, technology transfer and support for "
            "innovative companies. The recommendations were passed to the working groups of the "
            "2021–2023 cooperation programme.",
        ),
    ),
    _event(
        "delegation_visit",
        ("2023-06-19", "2023-06-22"),
        ("Beijing", "CN", "Science parks and research institutes in Beijing"),
        False,
        "cluster;park",
        "innovation;transport;urban;science",
        (
            "Визит московской делегации представителей органов власти и компаний в Пекин",
            "莫斯科政府官员和企业代表团访问北京",
            "Visit of a Moscow delegation of officials and companies to Beijing",
        ),
        (
            "Представители органов власти Москвы и технологических компаний посетили научные "
            "парки, исследовательские институты и производственные предприятия Пекина. Программа "
            "включала деловые встречи, посещение площадок и подписание меморандумов о "
            "сотрудничестве. Стороны договорились о дальнейших встречах по вопросам транспорта, "
            "градостроительства и инноваций.",
            "莫斯科市政府部门和科技企业代表参观了北京的科技园区、科研院所和生产企业。访问期间举行了"
            "企业对接会、实地考察并签署了合作备忘录。双方商定在交通、城市建设和创新领域开展后续会谈。",
            "Representatives of the Moscow city authorities and technology companies visited "
            "science parks, research institutes and manufacturers in Beijing. The programme "
            "included B2B meetings, site visits and the signing of cooperation memoranda. Both "
            "sides agreed on follow-up meetings on transport, urban development and innovation.",
        ),
    ),
    _event(
        "forum",
        ("2023-11-08", "2023-11-09"),
        ("Shenzhen", "CN", "Conference centre, Futian District, Shenzhen"),
        False,
        "park;ai",
        "innovation;science;trade",
        (
            "Российско-китайский форум по инновациям и высоким технологиям в Шэньчжэне",
            "深圳中俄创新与高新技术论坛",
            "Russian–Chinese forum on innovation and high technology in Shenzhen",
        ),
        (
            "Форум собрал делегации Москвы и Пекина и технологические компании региона Большого "
            "залива. На сессиях обсуждались электроника, искусственный интеллект и венчурные "
            "инвестиции. Московские компании представили свою продукцию на выставке рядом с "
            "пленарным залом.",
            "论坛汇聚了莫斯科、北京代表团和粤港澳大湾区科技企业。各分会场围绕电子信息、人工智能和"
            "风险投资展开讨论。莫斯科企业在主会场旁的展区展示了产品。",
            "The forum brought together the Moscow and Beijing delegations and technology "
            "companies from the Greater Bay Area. Sessions covered electronics, artificial "
            "intelligence and venture investment. Moscow companies presented their products at an "
            "exhibition next to the plenary hall.",
        ),
    ),
    _event(
        "competition",
        ("2022-10-20", "2022-10-21"),
        ("Moscow", "RU", "Final stage in Moscow with an online link to Beijing"),
        False,
        "youth;cluster;park",
        "innovation;education;science",
        (
            "Финал молодёжного инновационного конкурса «Москва — Пекин»",
            "莫斯科—北京青年创新大赛决赛",
            "Final of the Moscow–Beijing Youth Innovation Competition",
        ),
        (
            "Команды финалистов — студенты и молодые учёные из обоих городов — представили свои "
            "проекты совместному жюри. Победители получили гранты на создание прототипов и "
            "стажировки в научных парках-партнёрах. Финал транслировался онлайн для команд из "
            "Пекина.",
            "来自两市的大学生和青年科研人员决赛团队向联合评审团展示了各自项目。获奖团队获得样机研制"
            "资助以及在合作科技园区实习的机会。决赛面向北京参赛团队进行了线上直播。",
            "Finalist teams of students and young researchers from both cities pitched their "
            "projects to a joint jury. The winners received grants for prototyping and "
            "internships at partner science parks. The final was streamed online for the teams in "
            "Beijing.",
        ),
    ),
    _event(
        "working_group_meeting",
        ("2022-04-12", "2022-04-12"),
        ("Moscow", "RU", "Videoconference"),
        True,
        "metro;rail",
        "transport",
        (
            "Заседание рабочей группы Москвы и Пекина по транспорту",
            "莫斯科—北京交通工作组会议",
            "Meeting of the Moscow–Beijing working group on transport",
        ),
        (
            "Рабочая группа рассмотрела ход обмена технологиями метрополитена и проекты "
            "транспортно-пересадочных узлов. Участники обсудили обмен данными для моделирования "
            "пассажиропотоков и транспортное планирование крупных спортивных мероприятий. "
            "Следующее заседание решено провести в Пекине.",
            "工作组审议了地铁技术交流和交通换乘枢纽项目的进展。与会者讨论了客流建模的数据共享以及"
            "大型体育赛事的交通规划。双方商定下次会议在北京举行。",
            "The working group reviewed progress on the metro technology exchange and the "
            "transport interchange hub projects. Members discussed data sharing for passenger "
            "flow modelling and transport planning for large sports events. The next meeting will "
            "be held in Beijing.",
        ),
    ),
    _event(
        "conference",
        ("2022-09-14", "2022-09-15"),
        ("Moscow", "RU", "Conference hall of the Urban Dialogue Association, Moscow"),
        False,
        "urban",
        "urban;transport",
        (
            "Конференция «Компактный город: опыт градостроительства Москвы и Пекина»",
            "“紧凑城市：莫斯科与北京的城市规划经验”研讨会",
            "Conference “Compact city: urban planning experience of Moscow and Beijing”",
        ),
        (
            "Планировщики, архитекторы и исследователи сравнили подходы двух столиц к реновации, "
            "озеленению и транзитно-ориентированному развитию. Среди рассмотренных примеров — "
            "реновация жилых кварталов и преобразование промышленных зон. Избранные доклады будут "
            "опубликованы в двуязычном сборнике.",
            "规划师、建筑师和研究人员比较了两国首都在城市更新、绿地建设和公共交通导向开发方面的做法。"
            "案例涵盖住宅区改造和工业区再开发。优秀论文将收录于双语论文集出版。",
            "Planners, architects and researchers compared the approaches of the two capitals to "
            "redevelopment, green spaces and transit-oriented development. Case studies included "
            "the renovation of housing estates and the regeneration of industrial zones. Selected "
            "papers will be published in a bilingual collection.",
        ),
    ),
    _event(
        "conference",
        ("2021-12-08", "2021-12-08"),
        ("Beijing", "CN", "Online"),
        True,
        "dx;med",
        "health",
        (
            "Онлайн-конференция по диагностике и цифровому здравоохранению после COVID-19",
            "新冠疫情后诊断与数字医疗线上研讨会",
            "Online conference on diagnostics and digital health after COVID-19",
        ),
        (
            "Врачи, специалисты лабораторной диагностики и разработчики из Москвы и Пекина "
            "поделились опытом, полученным во время пандемии. Обсуждались экспресс-тестирование, "
            "телемедицина и анализ медицинских изображений с помощью ИИ. Участники предложили "
            "провести совместные валидационные исследования диагностических тестов.",
            "来自莫斯科和北京的临床医生、检验专家和研发人员交流了抗疫经验。议题包括快速检测、"
            "远程医疗和人工智能辅助影像分析。与会者提议联合开展诊断试剂验证研究。",
            "Clinicians, laboratory specialists and developers from Moscow and Beijing shared "
            "lessons from the pandemic. Topics included rapid testing, telemedicine and "
            "AI-assisted image analysis. Participants proposed joint validation studies of "
            "diagnostic tests.",
        ),
    ),
    _event(
        "forum",
        ("2023-09-20", "2023-09-21"),
        ("Beijing", "CN", "Exhibition hall, Yanxi Science Park, Beijing"),
        False,
        "culture;park",
        "culture;media;tourism",
        (
            "Форум культуры и креативных индустрий Москвы и Пекина",
            "莫斯科—北京文化创意产业论坛",
            "Moscow–Beijing forum of culture and creative industries",
        ),
        (
            "Музеи, киностудии, издательства и туристические компании двух городов обсудили "
            "совместные проекты. В программу вошли питч-сессия проектов совместного "
            "кинопроизводства и презентация цифровых музейных экспозиций. Участники договорились "
            "подготовить общий календарь культурных мероприятий.",
            "两市博物馆、电影制片公司、出版社和旅游企业共同商讨合作项目。活动包括合拍项目推介会和"
            "数字博物馆展览展示。与会各方同意共同编制文化活动日程。",
            "Museums, film studios, publishers and tourism companies from the two cities "
            "discussed joint projects. The programme included a pitch session for film "
            "co-productions and a showcase of digital museum exhibitions. Participants agreed to "
            "prepare a joint calendar of cultural events.",
        ),
    ),
    _event(
        "working_group_meeting",
        ("2021-05-25", "2021-05-25"),
        ("Beijing", "CN", "Videoconference"),
        True,
        "youth;winter",
        "education;sports",
        (
            "Заседание рабочей группы по образованию, молодёжным обменам и спорту",
            "教育、青年交流与体育工作组会议",
            "Meeting of the working group on education, youth exchange and sport",
        ),
        (
            "Рабочая группа обсудила студенческие обмены между университетами Москвы и Пекина, "
            "языковые курсы и совместные молодёжные спортивные мероприятия. Участники согласовали "
            "положение о молодёжном инновационном конкурсе. В качестве новой темы предложены "
            "научные исследования в зимних видах спорта.",
            "工作组讨论了莫斯科与北京高校之间的学生交流、语言课程和青少年体育联合活动。成员商定了"
            "青年创新大赛的章程。会议提议将冰雪运动科学列为新的合作议题。",
            "The working group discussed student exchanges between Moscow and Beijing "
            "universities, language courses and joint youth sports events. Members agreed on the "
            "rules of the youth innovation competition. Winter sports science was proposed as a "
            "new topic.",
        ),
    ),
)


def _demo_org(key: str) -> tuple[int, _DemoOrg]:
    for number, org in enumerate(_DEMO_ORGS, start=1):
        if org.key == key:
            return number, org
    raise KeyError(key)


def _org_areas(key: str) -> set[str]:
    """Top-level areas of the opportunities a demo organization posts."""
    return {code.split(".")[0] for opp in _OPPORTUNITIES if opp.org == key for code in opp.sectors}


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


def _opportunity_row(number: int, opp: _Opportunity) -> dict[str, str]:
    _, org = _demo_org(opp.org)
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
        "deadline": opp.deadline,
        "status": opp.status,
        "anonymous": "true" if opp.anonymous else "false",
    }


def _event_row(
    number: int,
    event: _Event,
    experts: Sequence[dict[str, str]],
    tables: _Tables,
    rng: random.Random,
) -> dict[str, str]:
    organizers = [_demo_org(key)[1].name_en for key in event.organizers]
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
    guests = [
        org.name_en
        for org in _DEMO_ORGS
        if org.name_en not in organizers
        and _org_areas(org.key).intersection(event.areas)
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

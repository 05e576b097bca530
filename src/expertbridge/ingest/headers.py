"""Column names as offices write them, in three languages, mapped to canonical columns."""

from __future__ import annotations

from expertbridge.text.normalize import fold

# canonical column → other names seen in Russian, Chinese and English spreadsheets.
# "name" is not canonical: a bare "ФИО"/"姓名"/"Name" column is routed by the script it is written in.
EXPERT_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("external_id", "external id", "идентификатор", "код", "编号", "标识"),
    "name": (
        "full name",
        "participant name",
        "фио",
        "ф и о",
        "имя",
        "фамилия имя",
        "фамилия и имя",
        "фамилия имя отчество",
        "姓名",
        "姓 名",
        "名字",
        "专家姓名",
        "人员姓名",
        "代表姓名",
    ),
    "name_ru": ("фио рус", "фио на русском", "имя на русском", "русское имя", "俄文姓名", "俄文名"),
    "name_zh": ("фио кит", "имя на китайском", "китайское имя", "chinese name", "中文姓名", "中文名"),
    "name_en": (
        "english name",
        "name in english",
        "latin name",
        "фио лат",
        "фио латиницей",
        "имя на английском",
        "英文姓名",
        "英文名",
        "拼音",
    ),
    "organization": (
        "organisation",
        "affiliation",
        "employer",
        "организация",
        "место работы",
        "учреждение",
        "单位",
        "工作单位",
        "机构",
        "所在单位",
        "所在机构",
    ),
    "position_title": ("position", "job title", "title", "должность", "职务", "职称", "职位"),
    "city": ("город", "城市", "所在城市"),
    "country": ("страна", "国家", "国别"),
    "sectors": ("sector", "industry", "отрасль", "отрасли", "сфера", "направление", "领域", "行业"),
    "expertise": (
        "keywords",
        "expertise keywords",
        "ключевые слова",
        "экспертиза",
        "компетенции",
        "область экспертизы",
        "专业领域",
        "研究方向",
        "关键词",
        "专长",
    ),
    "languages": ("language", "языки", "владение языками", "языки владения", "语言", "外语", "工作语言"),
    "email": (
        "e-mail",
        "e mail",
        "mail",
        "эл почта",
        "электронная почта",
        "почта",
        "邮箱",
        "电子邮件",
        "电子邮箱",
    ),
    "phone": ("tel", "telephone", "mobile", "телефон", "тел", "电话", "手机", "联系电话"),
    "orcid": ("orcid id", "orcid ид"),
    "bio_ru": ("биография", "о себе", "俄文简介"),
    "bio_zh": ("简介", "个人简介", "中文简介"),
    "bio_en": ("biography", "bio", "英文简介"),
    "status": ("статус", "状态"),
    "scopus": ("scopus id", "scopus author id"),
    "elibrary_spin": ("spin", "spin код", "elibrary spin", "spin ринц"),
    "researcher_id": ("researcherid", "researcher id", "wos researcherid"),
    "messenger": ("telegram", "wechat", "мессенджер", "微信"),
}

ORGANIZATION_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("external_id", "идентификатор", "код", "编号"),
    "name_ru": ("название", "наименование", "俄文名称"),
    "name_zh": ("中文名称", "名称", "单位名称"),
    "name_en": ("name", "english name", "英文名称"),
    "aliases": ("alias", "синонимы", "сокращения", "别名", "简称"),
    "type": ("тип", "类型"),
    "city": ("город", "城市"),
    "country": ("страна", "国家"),
    "ror_id": ("ror",),
    "wikidata_id": ("wikidata",),
    "website": ("url", "site", "сайт", "网站"),
    "parent": ("parent organization", "вышестоящая организация", "上级单位"),
}

OPPORTUNITY_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("external_id",),
    "kind": ("type", "тип", "类型"),
    "organization": ("организация", "单位"),
    "deadline": ("срок", "截止日期"),
    "status": ("статус", "状态"),
    "anonymous": ("анонимно", "匿名"),
    "city": ("город", "城市"),
    "country": ("страна", "国家"),
    "sectors": ("sector", "отрасль", "领域"),
}

EVENT_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("external_id",),
    "kind": ("type", "тип", "类型"),
    "starts_on": ("start", "start date", "начало", "开始日期"),
    "ends_on": ("end", "end date", "окончание", "结束日期"),
    "city": ("город", "城市"),
    "country": ("страна", "国家"),
    "venue": ("place", "место", "地点"),
    "online": ("онлайн", "线上"),
}


def header_lookup(aliases: dict[str, tuple[str, ...]], canonical: tuple[str, ...]) -> dict[str, str]:
    """Folded header → canonical column, for the canonical names and every alias."""
    lookup = {fold(column): column for column in canonical}
    for column, names in aliases.items():
        lookup[fold(column)] = column
        for name in names:
            lookup.setdefault(fold(name), column)
    return lookup


def map_headers(headers: list[str], lookup: dict[str, str]) -> tuple[dict[str, str], list[str], list[str]]:
    """Map file headers to canonical columns.

    Returns (file header → canonical column, unknown headers, canonical columns given twice).
    """
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    twice: list[str] = []
    for header in headers:
        column = lookup.get(fold(header))
        if column is None:
            if header:
                unknown.append(header)
            continue
        if column in seen:
            twice.append(f"{seen[column]!r} and {header!r} both mean {column}")
            continue
        seen[column] = header
        mapping[header] = column
    return mapping, unknown, twice

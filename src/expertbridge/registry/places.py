"""Countries and cities: canonical codes and names, with their Russian and Chinese forms.

Spreadsheets write the same city as "Москва", "莫斯科", "Moscow" or "moscow"; the registry stores one
canonical English name so that facets and filters count them together, and shows it in the page's
language.  Unknown cities are kept as written.

>>> canonical_city("Пекин")
'Beijing'
>>> canonical_country("Китай")
'CN'
"""

from __future__ import annotations

from expertbridge.registry.problems import N_
from expertbridge.text.normalize import fold

# The 249 officially assigned alpha-2 codes (ISO 3166-1, as of 2024).  Reserved and user-assigned
# codes (EU, UN, XK, AA, QM–QZ, XA–XZ, ZZ) are not countries and are left out: a row, a form and an
# API filter all refuse ``ZZ`` alike.
_ASSIGNED = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_3166_ALPHA2 = frozenset(_ASSIGNED.split())

# code → (English, Russian, Chinese).  The English name is marked for translation too, so that a
# message of the registry can name a country in the reader's language (as a Message's value).
COUNTRIES: dict[str, tuple[str, str, str]] = {
    "RU": (N_("Russia"), "Россия", "俄罗斯"),
    "CN": (N_("China"), "Китай", "中国"),
    "BY": (N_("Belarus"), "Беларусь", "白俄罗斯"),
    "KZ": (N_("Kazakhstan"), "Казахстан", "哈萨克斯坦"),
    "MN": (N_("Mongolia"), "Монголия", "蒙古"),
    "UZ": (N_("Uzbekistan"), "Узбекистан", "乌兹别克斯坦"),
    "KG": (N_("Kyrgyzstan"), "Киргизия", "吉尔吉斯斯坦"),
    "AM": (N_("Armenia"), "Армения", "亚美尼亚"),
    "DE": (N_("Germany"), "Германия", "德国"),
    "FR": (N_("France"), "Франция", "法国"),
    "GB": (N_("United Kingdom"), "Великобритания", "英国"),
    "US": (N_("United States"), "США", "美国"),
    "IN": (N_("India"), "Индия", "印度"),
    "JP": (N_("Japan"), "Япония", "日本"),
    "KR": (N_("South Korea"), "Южная Корея", "韩国"),
    "SG": (N_("Singapore"), "Сингапур", "新加坡"),
}
_COUNTRY_ALIASES = {
    "russian federation": "RU",
    "российская федерация": "RU",
    "рф": "RU",
    "俄罗斯联邦": "RU",
    "俄国": "RU",
    "prc": "CN",
    "people s republic of china": "CN",
    "кнр": "CN",
    "中华人民共和国": "CN",
    "usa": "US",
    "uk": "GB",
}

# English canonical name → (Russian, Chinese, country code)
CITIES: dict[str, tuple[str, str, str]] = {
    "Moscow": ("Москва", "莫斯科", "RU"),
    "Saint Petersburg": ("Санкт-Петербург", "圣彼得堡", "RU"),
    "Novosibirsk": ("Новосибирск", "新西伯利亚", "RU"),
    "Kazan": ("Казань", "喀山", "RU"),
    "Yekaterinburg": ("Екатеринбург", "叶卡捷琳堡", "RU"),
    "Vladivostok": ("Владивосток", "符拉迪沃斯托克", "RU"),
    "Beijing": ("Пекин", "北京", "CN"),
    "Shanghai": ("Шанхай", "上海", "CN"),
    "Shenzhen": ("Шэньчжэнь", "深圳", "CN"),
    "Guangzhou": ("Гуанчжоу", "广州", "CN"),
    "Tianjin": ("Тяньцзинь", "天津", "CN"),
    "Harbin": ("Харбин", "哈尔滨", "CN"),
    "Hangzhou": ("Ханчжоу", "杭州", "CN"),
    "Wuhan": ("Ухань", "武汉", "CN"),
    "Chengdu": ("Чэнду", "成都", "CN"),
}
_CITY_ALIASES = {
    "moskva": "Moscow",
    "st petersburg": "Saint Petersburg",
    "st. petersburg": "Saint Petersburg",
    "санкт петербург": "Saint Petersburg",
    "спб": "Saint Petersburg",
    "peking": "Beijing",
    "北京市": "Beijing",
    "上海市": "Shanghai",
    "深圳市": "Shenzhen",
    "г москва": "Moscow",
    "москва г": "Moscow",
    "天津市": "Tianjin",
    "广州市": "Guangzhou",
}


def _build_country_lookup() -> dict[str, str]:
    lookup = {fold(alias): code for alias, code in _COUNTRY_ALIASES.items()}
    for code, names in COUNTRIES.items():
        lookup[fold(code)] = code
        for name in names:
            lookup[fold(name)] = code
    return lookup


def _build_city_lookup() -> dict[str, str]:
    lookup = {fold(alias): name for alias, name in _CITY_ALIASES.items()}
    for name, (russian, chinese, _country) in CITIES.items():
        for form in (name, russian, chinese):
            lookup[fold(form)] = name
    return lookup


_COUNTRY_LOOKUP = _build_country_lookup()
_CITY_LOOKUP = _build_city_lookup()


def canonical_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code ``text`` names: an assigned code in any case, or a country's name
    in English, Russian or Chinese that the registry knows (:data:`COUNTRIES` and its aliases, such
    as ``КНР``); None for anything else, including two letters ISO assigns to no country.

    >>> canonical_country("fi"), canonical_country("КНР"), canonical_country("ZZ")
    ('FI', 'CN', None)
    """
    folded = fold(text)
    if folded in _COUNTRY_LOOKUP:
        return _COUNTRY_LOOKUP[folded]
    code = text.strip().upper()
    return code if code in ISO_3166_ALPHA2 else None


def canonical_city(text: str) -> str:
    """The canonical English name of a known city, or the text as written (trimmed)."""
    return _CITY_LOOKUP.get(fold(text), " ".join(text.split()))


def country_of_city(city: str) -> str | None:
    """The country code of a known canonical city."""
    entry = CITIES.get(city)
    return entry[2] if entry else None


def conflicting_country(city: str | None, country: str | None) -> str | None:
    """The country a known canonical ``city`` is in when ``country`` (a code) is another one; None
    when they agree, or either is missing, or the city is not one the registry knows.

    >>> conflicting_country("Beijing", "RU"), conflicting_country("Beijing", "CN")
    ('CN', None)
    >>> conflicting_country("Ulaanbaatar", "MN"), conflicting_country("Moscow", None)
    (None, None)
    """
    known = country_of_city(city) if city else None
    return known if known is not None and country and country != known else None


def city_label(city: str | None, language: str) -> str:
    """A canonical city name in ``language``."""
    if not city:
        return ""
    entry = CITIES.get(city)
    if entry is None or language == "en":
        return city
    return entry[0] if language == "ru" else entry[1]


def country_label(code: str | None, language: str) -> str:
    """A country code's name in ``language``."""
    if not code:
        return ""
    names = COUNTRIES.get(code)
    if names is None:
        return code
    return {"en": names[0], "ru": names[1], "zh": names[2]}.get(language, names[0])


# The two sides of the programme: an opportunity posted on one side looks for partners on the
# other.  Another pair of cities is one more line here.
COUNTERPART_CITIES = {"Moscow": "Beijing", "Beijing": "Moscow"}


def counterpart_city(city: str | None) -> str | None:
    """The partner city of ``city`` in the cooperation programme, if it has one."""
    return COUNTERPART_CITIES.get(city or "")

"""Renderings of a name in the other scripts: romanizations of Russian (passport, BGN/PCGN,
GOST 7.79 B, ALA-LC, scholarly, English press), Latin → Cyrillic, pinyin and Palladius for Chinese,
and Russian → Chinese by the conventional forms or, failing those, the Xinhua syllable table.

>>> romanize_russian("Черёмин", "press"), romanize_russian("Черёмин", "passport")
('Cheryomin', 'Cheremin')
>>> latin_to_cyrillic("Sergey Cheryomin")
'Сергей Черёмин'
>>> pinyin_name("许心超"), palladius_of("许心超")
('Xu Xinchao', 'Сюй Синьчао')
>>> russian_to_chinese("Сергей Черёмин")
'谢尔盖·切廖明'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import iuliia
from pypinyin import Style, lazy_pinyin

from expertbridge.names.dictionary import chinese_forms, usual_chinese_form
from expertbridge.names.parse import NamePart, parse_name
from expertbridge.names.pinyin import palladius_name, segment_pinyin

RUSSIAN_SCHEMES = {
    "passport": iuliia.ICAO_DOC_9303,
    "bgn_pcgn": iuliia.BGN_PCGN,
    "gost_7_79_b": iuliia.GOST_779_ALT,
    "ala_lc": iuliia.ALA_LC,
    "scholarly": iuliia.SCIENTIFIC,
    "press": iuliia.WIKIPEDIA,
}

# Latin → Cyrillic, longest groups first; "ye"/"yo" at a word start or after a vowel are е/ё.
_BACK = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("iu", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("yo", "ё"),
    ("ye", "е"),
    ("iy", "ий"),
    ("yy", "ый"),
    ("ey", "ей"),
    ("ay", "ай"),
    ("oy", "ой"),
    ("uy", "уй"),
    ("ei", "ей"),
    ("ai", "ай"),
    ("oi", "ой"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "ы"),
    ("z", "з"),
)
_BACK_PATTERN = re.compile("|".join(re.escape(latin) for latin, _ in _BACK), re.IGNORECASE)
_BACK_MAP = dict(_BACK)

# Xinhua Russian–Chinese transcription, the core of the table: consonant → its syllables with
# а о у ы э е ё ю я и, then the consonant alone.
_VOWELS = "аоуыэеёюяи"
_XINHUA_ROWS = {
    "": "阿 奥 乌 厄 埃 叶 约 尤 亚 伊 -",
    "б": "巴 博 布 贝 贝 别 比奥 比尤 比亚 比 布",
    "п": "帕 波 普 佩 佩 佩 皮奥 皮尤 皮亚 皮 普",
    "в": "瓦 沃 武 维 韦 韦 维奥 维尤 维亚 维 夫",
    "ф": "法 福 富 菲 费 费 菲奥 菲尤 菲亚 菲 夫",
    "д": "达 多 杜 德 德 杰 焦 久 佳 季 德",
    "т": "塔 托 图 特 泰 捷 乔 秋 佳 季 特",
    "г": "加 戈 古 格 格 格 戈 久 加 吉 格",
    "к": "卡 科 库 克 凯 克 乔 丘 基亚 基 克",
    "х": "哈 霍 胡 黑 赫 赫 霍 休 希亚 希 赫",
    "з": "扎 佐 祖 济 泽 泽 佐 久 贾 济 兹",
    "с": "萨 索 苏 瑟 塞 谢 晓 休 夏 西 斯",
    "ш": "沙 绍 舒 希 舍 舍 晓 休 夏 希 什",
    "щ": "夏 晓 休 希 谢 谢 晓 休 夏 希 希",
    "ж": "扎 若 茹 日 热 热 若 久 扎 日 日",
    "ч": "恰 乔 丘 奇 切 切 乔 丘 恰 奇 奇",
    "ц": "察 措 楚 齐 策 采 措 丘 恰 齐 茨",
    "м": "马 莫 穆 梅 梅 梅 莫 缪 米亚 米 姆",
    "н": "纳 诺 努 内 内 涅 纽 纽 尼亚 尼 恩",
    "л": "拉 洛 卢 雷 莱 列 廖 柳 利亚 利 尔",
    "р": "拉 罗 鲁 雷 雷 列 廖 留 里亚 里 尔",
}
# A vowel followed by н at the end of a syllable: ан, ен, ин, он, ун.
_XINHUA_NASALS = {
    "а": "安 班 潘 万 凡 丹 坦 甘 坎 汉 赞 桑 尚 夏 让 钱 灿 曼 南 兰 兰",
    "е": "延 边 片 文 芬 坚 坚 根 肯 亨 津 先 申 先 任 琴 岑 缅 宁 连 连",
    "и": "因 宾 平 温 芬 金 京 金 金 欣 津 辛 申 辛 任 钦 金 明 宁 林 林",
    "о": "翁 邦 蓬 翁 丰 东 通 贡 孔 洪 宗 松 雄 雄 容 琼 聪 蒙 农 隆 龙",
    "у": "温 本 蓬 文 丰 敦 通 贡 昆 洪 尊 孙 顺 顺 容 琼 聪 蒙 农 伦 伦",
}
_CONSONANTS = list(_XINHUA_ROWS)


@dataclass(frozen=True)
class Rendering:
    """A generated form of a name in another script."""

    text: str
    script: str
    language: str
    scheme: str


def romanize_russian(text: str, scheme: str = "press") -> str:
    """A Russian name in Latin letters by one of RUSSIAN_SCHEMES."""
    return " ".join(_romanized_word(word, scheme) for word in text.split(" "))


@lru_cache(maxsize=100_000)
def _romanized_word(word: str, scheme: str) -> str:
    # Word by word, cached: a registry's given names and surnames repeat.
    return str(RUSSIAN_SCHEMES[scheme].translate(word))


def latin_to_cyrillic(text: str) -> str:
    """Back-transliterate a Russian name typed in Latin letters."""

    def replace(match: re.Match[str]) -> str:
        latin = match.group(0)
        cyrillic = _BACK_MAP[latin.lower()]
        start = match.start()
        at_start = start == 0 or not text[start - 1].isalpha()
        if latin.lower() in ("yo", "ye") and not at_start and text[start - 1].lower() not in "aeiouy":
            cyrillic = {"yo": "ё", "ye": "е"}[latin.lower()]
        elif latin.lower() == "e" and at_start:
            cyrillic = "э"
        return cyrillic.capitalize() if latin[0].isupper() else cyrillic

    return _BACK_PATTERN.sub(replace, text)


# GOST 7.79-2000 system B is reversible by design; this is its inverse.
_GOST_B = (
    ("shh", "щ"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yo", "ё"),
    ("yu", "ю"),
    ("ya", "я"),
    ("y`", "ы"),
    ("e`", "э"),
    ("``", "ъ"),
    ("cz", "ц"),
    ("`", "ь"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("x", "х"),
    ("c", "ц"),
)
# e`` is е + ъ (въезд-like), never э + ь: a backtick that starts `` does not mark э or ы.
_GOST_B_PATTERN = re.compile(
    "|".join(re.escape(latin) + ("(?!`)" if latin in ("y`", "e`") else "") for latin, _ in _GOST_B),
    re.IGNORECASE,
)
_GOST_B_MAP = dict(_GOST_B)


def gost_to_cyrillic(text: str) -> str:
    """Undo a GOST 7.79-2000 system B romanization exactly (Cheryomin → Черёмин).

    >>> gost_to_cyrillic(romanize_russian("Щукин Пётр Ильич", "gost_7_79_b"))
    'Щукин Пётр Ильич'
    """

    def replace(match: re.Match[str]) -> str:
        cyrillic = _GOST_B_MAP[match.group(0).lower()]
        return cyrillic.upper() if match.group(0)[0].isupper() else cyrillic

    return _GOST_B_PATTERN.sub(replace, text)


def _han_part_pinyin(part: NamePart) -> list[str]:
    if part.syllables:
        return list(part.syllables)
    return [s for s in lazy_pinyin(part.text, style=Style.NORMAL, errors="ignore") if s.isalpha()]


def pinyin_name(text: str) -> str:
    """A Chinese name in pinyin, surname first (许心超 → Xu Xinchao), surname readings used."""
    parts = parse_name(text).parts
    return " ".join("".join(_han_part_pinyin(part)).capitalize() for part in parts if part.script == "Hani")


def palladius_of(text: str) -> str:
    """A Chinese name in Cyrillic by the Palladius system (许心超 → Сюй Синьчао)."""
    parts = parse_name(text).parts
    return " ".join(palladius_name(_han_part_pinyin(part)) for part in parts if part.script == "Hani")


def _xinhua_word(word: str) -> str:
    word = word.lower().replace("ъ", "").replace("ь", "")
    word = re.sub(r"([ыи])й$", r"\1", word)  # Дмитрий → Дмитри, as 德米特里
    word = re.sub(r"([бвгджзклмнпрстфхцчшщ])\1", r"\1", word)  # doubled consonants once
    out: list[str] = []
    i = 0
    while i < len(word):
        char = word[i]
        consonant = char if char in _XINHUA_ROWS else ""
        vowel_at = i + 1 if consonant else i
        vowel = word[vowel_at] if vowel_at < len(word) else ""
        if char == "й":
            i += 1
            continue
        if not consonant and char not in _VOWELS:
            i += 1
            continue
        if vowel and vowel in _VOWELS:
            after = vowel_at + 1
            nasal = (
                vowel in _XINHUA_NASALS
                and after < len(word)
                and word[after] == "н"
                and (after + 1 == len(word) or word[after + 1] not in _VOWELS)
            )
            if nasal:
                out.append(_XINHUA_NASALS[vowel].split()[_CONSONANTS.index(consonant)])
                i = after + 1
                continue
            out.append(_XINHUA_ROWS[consonant].split()[_VOWELS.index(vowel)])
            i = after
            continue
        alone = _XINHUA_ROWS[consonant].split()[-1]
        if alone != "-":
            out.append(alone)
        i += 1
    return "".join(out)


@lru_cache(maxsize=100_000)
def _chinese_word(word: str) -> str:
    return usual_chinese_form(word) or _xinhua_word(word)


def russian_to_chinese(text: str) -> str:
    """A Russian name in Chinese characters, given name first, parts joined by ·.

    Each part takes its conventional form when the dictionary has one (Сергей → 谢尔盖), and the
    Xinhua syllables otherwise.
    """
    # The short form, as Chinese usage has it: no patronymic.
    parts = [
        p for p in parse_name(text).parts if p.script == "Cyrl" and p.role not in ("initial", "patronymic")
    ]
    order = {"given": 0, "patronymic": 1, "unknown": 2, "surname": 3}
    chosen = (
        sorted(parts, key=lambda p: order.get(p.role, 2))
        if any(p.role == "surname" for p in parts)
        else parts
    )
    rendered = []
    for part in chosen:
        rendered.append(_chinese_word(part.text))
    return "·".join(r for r in rendered if r)


def _russian_given_first(text: str) -> str:
    parts = parse_name(text).parts
    given = [p.text for p in parts if p.role == "given"]
    surname = [p.text for p in parts if p.role == "surname"]
    if given and surname:
        return " ".join(given + surname)
    return " ".join(p.text for p in parts if p.role != "patronymic")


def renderings(text: str) -> list[Rendering]:
    """Generated forms of a name in the two scripts it is not written in."""
    parsed = parse_name(text)
    script = parsed.script
    found: list[Rendering] = []
    if script == "Cyrl":
        press = romanize_russian(_russian_given_first(text), "press")
        found.append(Rendering(press, "Latn", "en", "press"))
        chinese = russian_to_chinese(text)
        if chinese:
            found.append(Rendering(chinese, "Hani", "zh", "xinhua"))
    elif script == "Hani" and all(p.role in ("surname", "given") for p in parsed.parts):
        found.append(Rendering(pinyin_name(text), "Latn", "en", "pinyin"))
        found.append(Rendering(palladius_of(text), "Cyrl", "ru", "palladius"))
    elif script == "Latn":
        words = [p.text for p in parsed.parts if p.role != "initial"]
        if words and all(segment_pinyin(word) for word in words):
            pinyin = [list(segment_pinyin(word) or ()) for word in words]
            found.append(Rendering(" ".join(palladius_name(s) for s in pinyin), "Cyrl", "ru", "palladius"))
        else:
            cyrillic = latin_to_cyrillic(" ".join(p.text for p in parsed.parts))
            found.append(Rendering(cyrillic, "Cyrl", "ru", "back_transliteration"))
            # Only names whose every word has a known Chinese form: a Latin name may not be
            # Russian at all, and Xinhua syllables of an English name would mislead.
            words = [p.text for p in parse_name(cyrillic).parts if p.role != "initial"]
            if words and all(chinese_forms(word) for word in words):
                found.append(Rendering(russian_to_chinese(cyrillic), "Hani", "zh", "xinhua"))
    return [r for r in found if r.text.strip()]

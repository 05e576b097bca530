"""Renderings of a name in the other scripts: romanizations of Russian (passport, BGN/PCGN,
GOST 7.79 B, ALA-LC, scholarly, English press), Latin → Cyrillic, pinyin and Palladius for Chinese,
and Russian → Chinese by the conventional forms or, failing those, the Xinhua syllable table
(:mod:`expertbridge.names.xinhua`; Latin → Cyrillic lives in :mod:`expertbridge.names.latin`).

>>> romanize_russian("Черёмин", "press"), romanize_russian("Черёмин", "passport")
('Cheryomin', 'Cheremin')
>>> latin_to_cyrillic("Sergey Cheryomin")
'Сергей Черёмин'
>>> pinyin_name("许心超"), palladius_of("许心超")
('Xu Xinchao', 'Сюй Синьчао')
>>> russian_to_chinese("Сергей Черёмин")
'谢尔盖·切廖明'
>>> [r.text for r in renderings("Чжан Вэй")]  # a Chinese name in Palladius: pinyin, no characters
['Zhang Wei']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import iuliia
from pypinyin import Style, lazy_pinyin

from expertbridge.names.chinese import palladius_chinese_name
from expertbridge.names.dictionary import chinese_forms, usual_chinese_form
from expertbridge.names.latin import latin_to_cyrillic
from expertbridge.names.parse import APOSTROPHE, NamePart, ParsedName, parse_name
from expertbridge.names.pinyin import palladius_name, pinyin_word, segment_pinyin
from expertbridge.names.xinhua import xinhua_word

__all__ = [
    "RUSSIAN_SCHEMES",
    "Rendering",
    "gost_to_cyrillic",
    "latin_to_cyrillic",
    "palladius_of",
    "palladius_to_pinyin",
    "pinyin_name",
    "renderings",
    "romanize_russian",
    "russian_to_chinese",
    "xinhua_word",
]

RUSSIAN_SCHEMES = {
    "passport": iuliia.ICAO_DOC_9303,
    "bgn_pcgn": iuliia.BGN_PCGN,
    "gost_7_79_b": iuliia.GOST_779_ALT,
    "ala_lc": iuliia.ALA_LC,
    "scholarly": iuliia.SCIENTIFIC,
    "press": iuliia.WIKIPEDIA,
}


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
    """A Chinese name in pinyin, surname first (许心超 → Xu Xinchao), surname readings used.

    >>> pinyin_name("王建安"), pinyin_name("王 小明")
    ("Wang Jian'an", 'Wang Xiaoming')
    """
    parts = parse_name(text).parts
    return " ".join(pinyin_word(_han_part_pinyin(part)) for part in parts if part.script == "Hani")


def _palladius_reading(parsed: ParsedName) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The pinyin of a Chinese name written in Palladius Cyrillic (Чжан Вэй), or None.  The parser
    read it as a surname and given name (not У. Вэй, an initial)."""
    roles = [part.role for part in parsed.parts]
    if parsed.script != "Cyrl" or roles[:1] != ["surname"] or set(roles[1:]) != {"given"}:
        return None
    return palladius_chinese_name([part.text for part in parsed.parts])


def palladius_to_pinyin(text: str) -> str:
    """A Chinese name written in Palladius Cyrillic in pinyin, surname first (Ван Сяомин → Wang
    Xiaoming), or "" when the text is not such a name."""
    reading = _palladius_reading(parse_name(text))
    if reading is None:
        return ""
    surname, given = reading
    return f"{pinyin_word(surname)} {pinyin_word(given)}"


def palladius_of(text: str) -> str:
    """A Chinese name in Cyrillic by the Palladius system (许心超 → Сюй Синьчао)."""
    parts = parse_name(text).parts
    return " ".join(palladius_name(_han_part_pinyin(part)) for part in parts if part.script == "Hani")


@lru_cache(maxsize=100_000)
def _chinese_word(word: str) -> str:
    return usual_chinese_form(word) or xinhua_word(word)


def russian_to_chinese(text: str) -> str:
    """A Russian name in Chinese characters, given name first, parts joined by ·.

    Each part takes its conventional form when the dictionary has one (Сергей → 谢尔盖), and the
    Xinhua syllables otherwise.  A Chinese name written in Palladius (Чжан Вэй) gives "": its
    sounds have many characters (张 or 章, 伟 or 维), and a wrong one on a profile is worse than none.
    """
    parsed = parse_name(text)
    if _palladius_reading(parsed):
        return ""
    # The short form, as Chinese usage has it: no patronymic.
    parts = [p for p in parsed.parts if p.script == "Cyrl" and p.role not in ("initial", "patronymic")]
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


def _pinyin_word(word: str) -> tuple[str, ...] | None:
    """The pinyin syllables of a Latin word, or None; an apostrophe separates syllables (Xi’an)."""
    pieces = [segment_pinyin(piece) for piece in word.split(APOSTROPHE) if piece]
    if not pieces or any(piece is None for piece in pieces):
        return None
    return tuple(syllable for piece in pieces for syllable in piece or ())


def renderings(text: str) -> list[Rendering]:
    """Generated forms of a name in the two scripts it is not written in."""
    parsed = parse_name(text)
    script = parsed.script
    found: list[Rendering] = []
    if script == "Cyrl" and (chinese_in_pinyin := palladius_to_pinyin(text)):
        # A Chinese name in Palladius: its Latin form is pinyin, surname first, and no characters.
        found.append(Rendering(chinese_in_pinyin, "Latn", "en", "pinyin"))
    elif script == "Cyrl":
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
        pinyin = [_pinyin_word(word) for word in words]
        if words and all(pinyin):
            found.append(
                Rendering(" ".join(palladius_name(list(s or ())) for s in pinyin), "Cyrl", "ru", "palladius")
            )
        else:
            cyrillic = latin_to_cyrillic(" ".join(p.text for p in parsed.parts))
            found.append(Rendering(cyrillic, "Cyrl", "ru", "back_transliteration"))
            # Only names whose every word has a known Chinese form: a Latin name may not be
            # Russian at all, and Xinhua syllables of an English name would mislead.
            words = [p.text for p in parse_name(cyrillic).parts if p.role != "initial"]
            if words and all(chinese_forms(word) for word in words):
                found.append(Rendering(russian_to_chinese(cyrillic), "Hani", "zh", "xinhua"))
    return [r for r in found if r.text.strip()]

"""Pinyin syllables, the Palladius system (pinyin ↔ Cyrillic) and pinyin segmentation.

The syllable inventory comes from pypinyin's dictionary; the Palladius spellings follow the
system's rules (zh → чж, x → с, j → цз, q → ц, r → ж; -ng → н, -n → нь; ye → е, you → ю …).

>>> palladius_name(["xu"]), palladius_name(["xin", "chao"])
('Сюй', 'Синьчао')
>>> segment_pinyin("xinchao")
('xin', 'chao')
>>> segment_palladius("синьчао")
('xin', 'chao')
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

_INITIALS = {
    "zh": "чж",
    "ch": "ч",
    "sh": "ш",
    "b": "б",
    "p": "п",
    "m": "м",
    "f": "ф",
    "d": "д",
    "t": "т",
    "n": "н",
    "l": "л",
    "g": "г",
    "k": "к",
    "h": "х",
    "j": "цз",
    "q": "ц",
    "x": "с",
    "r": "ж",
    "z": "цз",
    "c": "ц",
    "s": "с",
}
_FINALS = {
    "a": "а",
    "o": "о",
    "e": "э",
    "ai": "ай",
    "ei": "эй",
    "ao": "ао",
    "ou": "оу",
    "an": "ань",
    "en": "энь",
    "ang": "ан",
    "eng": "эн",
    "ong": "ун",
    "er": "эр",
    "i": "и",
    "ia": "я",
    "ie": "е",
    "iao": "яо",
    "iu": "ю",
    "ian": "янь",
    "in": "инь",
    "iang": "ян",
    "ing": "ин",
    "iong": "юн",
    "u": "у",
    "ua": "уа",
    "uo": "о",
    "uai": "уай",
    "ui": "уй",
    "uan": "уань",
    "un": "унь",
    "uang": "уан",
    "v": "юй",
    "ve": "юэ",
    "van": "юань",
    "vn": "юнь",
    "ue": "юэ",
}
# Syllables without an initial, written with y- or w- in pinyin.
_STANDALONE = {
    "yi": "и",
    "ya": "я",
    "yo": "ё",
    "ye": "е",
    "yao": "яо",
    "you": "ю",
    "yan": "янь",
    "yin": "инь",
    "yang": "ян",
    "ying": "ин",
    "yong": "юн",
    "yu": "юй",
    "yue": "юэ",
    "yuan": "юань",
    "yun": "юнь",
    "wu": "у",
    "wa": "ва",
    "wo": "во",
    "wai": "вай",
    "wei": "вэй",
    "wan": "вань",
    "wen": "вэнь",
    "wang": "ван",
    "weng": "вэн",
}


@lru_cache(maxsize=65_536)
def char_pinyin(char: str) -> str:
    """The default toneless reading of one character ('' when it has none); ü is written v.

    Names are not phrases, so per-character readings are what matter (surnames have their own
    reading table in :mod:`expertbridge.names.parse`).
    """
    readings = pinyin_dict.get(ord(char))
    if readings is None:
        return ""
    return to_normal(readings.split(",")[0]).replace("ü", "v")


def han_syllables(text: str) -> list[str]:
    """The pinyin syllables of the characters of ``text`` (other characters are skipped)."""
    return [syllable for char in text if (syllable := char_pinyin(char)).isalpha()]


@cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (ü written v)."""
    toned = {reading for readings in pinyin_dict.values() for reading in readings.split(",")}
    found = {to_normal(reading).replace("ü", "v") for reading in toned}
    return frozenset(s for s in found if s.isalpha() and s.isascii())


@lru_cache(maxsize=4096)
def palladius(syllable: str) -> str:
    """The Palladius spelling of one toneless pinyin syllable ('' when it is not one); lü and nü
    may be written as in passports, lyu and nyu (吕 Lyu Люй)."""
    syllable = syllable.lower().replace("ü", "v")
    if syllable.startswith(("lyu", "nyu")):
        syllable = syllable[0] + "v" + syllable[3:]
    if syllable in _STANDALONE:
        return _STANDALONE[syllable]
    for initial in ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcs"):
        if syllable.startswith(initial):
            final = syllable[len(initial) :]
            break
    else:
        return _FINALS.get(syllable, "")
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]  # ju, qu, xu are jü, qü, xü
    if final == "i" and initial in ("z", "c", "s"):
        return _INITIALS[initial] + "ы"
    if final == "uo" and initial not in ("g", "k", "h", "zh", "ch", "sh", "r"):
        final = "o"
    spelled = _FINALS.get(final)
    if spelled is None:
        return ""
    if initial in ("zh", "ch", "sh", "r") and spelled.startswith(("я", "е", "ю")):
        return ""
    return _INITIALS[initial] + spelled


@cache
def _readings_count() -> dict[str, int]:
    """How many characters read each toneless syllable."""
    counts: dict[str, int] = {}
    for readings in pinyin_dict.values():
        for syllable in {to_normal(reading).replace("ü", "v") for reading in readings.split(",")}:
            counts[syllable] = counts.get(syllable, 0) + 1
    return counts


@cache
def _palladius_table() -> dict[str, str]:
    # Palladius writes lo (咯, two characters) and luo (罗, two hundred) alike, ло: a spelling
    # reads as the syllable more characters have.
    counts = _readings_count()
    table: dict[str, str] = {}
    for syllable in sorted(syllables(), key=lambda s: (-counts.get(s, 0), s)):
        spelled = palladius(syllable)
        if spelled:
            table.setdefault(spelled, syllable)
    return table


_VOWEL_LETTERS = tuple("аоуэияеёю")
_VOWEL_INITIALS = ("a", "o", "e")
_PASSPORT_U = {"lv": "lyu", "nv": "nyu", "lve": "lue", "nve": "nue"}


def palladius_name(parts: list[str]) -> str:
    """A name part from its pinyin syllables, in Palladius Cyrillic, capitalized.

    A hard sign separates a syllable in -ng (written н) from a next one that starts with a vowel,
    as the system writes it: Chang'an Чанъань, Mingyu Минъюй (Минюй would read mi-nü).

    >>> palladius_name(["chang", "an"]), palladius_name(["ming", "yu"]), palladius_name(["yan", "an"])
    ('Чанъань', 'Минъюй', 'Яньань')
    """
    spelled = ""
    for syllable in parts:
        written = palladius(syllable)
        if spelled.endswith("н") and written.startswith(_VOWEL_LETTERS):
            spelled += "ъ"
        spelled += written
    return spelled.capitalize()


def pinyin_word(parts: Sequence[str]) -> str:
    """A name part from its pinyin syllables, capitalized, with the apostrophe pinyin writes
    before a syllable that starts with a, o or e (Jian'an, not Jianan: jia-nan); ü after l and n
    as passports write it (吕 Lyu, 略 lue).

    >>> pinyin_word(["jian", "an"]), pinyin_word(["xiao", "ming"]), pinyin_word(["lv"])
    ("Jian'an", 'Xiaoming', 'Lyu')
    """
    spelled = "".join(
        ("'" if i and syllable.startswith(_VOWEL_INITIALS) else "") + _PASSPORT_U.get(syllable, syllable)
        for i, syllable in enumerate(parts)
    )
    return spelled.capitalize()


def _segment(text: str, table: dict[str, str] | frozenset[str], longest: int) -> tuple[str, ...] | None:
    # Fewest syllables first (dynamic programming over prefixes).
    best: list[tuple[str, ...] | None] = [None] * (len(text) + 1)
    best[0] = ()
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - longest), end):
            previous = best[start]
            piece = text[start:end]
            if previous is None or piece not in table:
                continue
            syllable = table[piece] if isinstance(table, dict) else piece
            candidate = (*previous, syllable)
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[len(text)]


def segment_pinyin(text: str) -> tuple[str, ...] | None:
    """The pinyin syllables a Latin word is made of, or None when it is not pinyin."""
    word = text.lower().replace("ü", "v").replace("'", "").replace("-", "")
    if not word.isascii() or not word.isalpha() or len(word) > 30:
        return None
    return _segment(word, syllables(), 6)


def segment_palladius(text: str) -> tuple[str, ...] | None:
    """The pinyin syllables a Cyrillic word in Palladius spelling is made of, or None.

    A hard sign or a hyphen ends a syllable (Минъюй is min-yu, not mi-nü).

    >>> segment_palladius("Минъюй"), segment_palladius("Сяо-мин")
    (('ming', 'yu'), ('xiao', 'ming'))
    """
    word = text.lower()
    if len(word) > 30:
        return None
    found: list[str] = []
    for piece in word.replace("-", "ъ").split("ъ"):
        if piece:
            syllables = _segment(piece, _palladius_table(), 5)
            if syllables is None:
                return None
            found.extend(syllables)
    return tuple(found) or None

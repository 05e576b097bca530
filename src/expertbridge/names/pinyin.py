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
    """The Palladius spelling of one toneless pinyin syllable ('' when it is not one)."""
    syllable = syllable.lower().replace("ü", "v")
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
def _palladius_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for syllable in sorted(syllables()):
        spelled = palladius(syllable)
        if spelled:
            table.setdefault(spelled, syllable)
    return table


def palladius_name(parts: list[str]) -> str:
    """A name part from its pinyin syllables, in Palladius Cyrillic, capitalized."""
    return "".join(palladius(s) for s in parts).capitalize()


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
    """The pinyin syllables a Cyrillic word in Palladius spelling is made of, or None."""
    word = text.lower().replace("ъ", "").replace("-", "")
    if len(word) > 30:
        return None
    return _segment(word, _palladius_table(), 5)

"""Script-independent consonant skeletons of name parts.

Russian, Chinese and Latin renderings of one name agree on its consonants far more than on its
vowels: Сергей, 谢尔盖 (xie-er-gai), Sergei and Sergey all reduce to S L G.  Each consonant falls in
a class that the transcription systems map onto each other (Xinhua writes р as 尔/里/拉, so р and
l share a class; Palladius writes 许 as Сюй, so pinyin x and Russian с share one).  Vowels, й, ь,
ъ and glides are dropped; repeated classes are collapsed.

Classes: B (б п b p), D (д т d t), G (г к х g k h kh), V (в ф v f w), L (л р l r), M, N (н, and a
Chinese final -n/-ng), S (с з ш щ ж ч ц and their romanizations, pinyin z c s zh ch sh).  Some
sounds stand for more than one class and are written as wildcards: J (pinyin j q x: Xinhua uses
基 for ки, 西 for си and 基 for ди in Владимир 弗拉基米尔) matches G, S or D; R (pinyin r, Latin r)
matches L or S; C (Latin c) matches S or G.

>>> cyrillic_skeleton("Черёмин")
'SLMN'
>>> sorted(han_skeletons(["qie", "liao", "ming"]))
['JLMN']
>>> sorted(latin_skeletons("Cheremin"))
['SRMN']
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

WILDCARDS = {"J": "GSD", "R": "LS", "C": "SG"}
MAX_VARIANTS = 16

_CYRILLIC = {
    "б": "B",
    "п": "B",
    "д": "D",
    "т": "D",
    "г": "G",
    "к": "G",
    "х": "G",
    "в": "V",
    "ф": "V",
    "л": "L",
    "р": "L",
    "м": "M",
    "н": "N",
    "с": "S",
    "з": "S",
    "ш": "S",
    "щ": "S",
    "ж": "S",
    "ч": "S",
    "ц": "S",
}
# Consonant pairs that Chinese (and most romanizations) write as one sound: тс, дс → ts; дж → j.
_CYRILLIC_MERGES = (("тс", "ц"), ("дс", "ц"), ("тц", "ц"), ("дц", "ц"), ("дж", "ж"), ("тч", "ч"))

# Latin letter groups, longest first.  Values may be wildcards.
_LATIN = (
    ("shch", "S"),
    ("sch", "S"),
    ("tsch", "S"),
    ("tch", "S"),
    ("dzh", "S"),
    ("zh", "S"),
    ("ch", "S"),
    ("sh", "S"),
    ("ts", "S"),
    ("tz", "S"),
    ("dz", "S"),
    ("dj", "S"),
    ("kh", "G"),
    ("gh", "G"),
    ("ck", "G"),
    ("ph", "V"),
    ("th", "D"),
    ("ng", "N"),
    ("qu", "G"),
    ("b", "B"),
    ("p", "B"),
    ("d", "D"),
    ("t", "D"),
    ("g", "G"),
    ("k", "G"),
    ("h", "G"),
    ("q", "J"),
    ("j", "J"),
    ("v", "V"),
    ("f", "V"),
    ("w", "V"),
    ("l", "L"),
    ("r", "R"),
    ("m", "M"),
    ("n", "N"),
    ("s", "S"),
    ("z", "S"),
    ("c", "C"),
    ("x", "X"),
)
_LATIN_PATTERN = re.compile("|".join(re.escape(group) for group, _ in _LATIN) + "|.", re.DOTALL)
_LATIN_CLASS = dict(_LATIN)
_VOWELS = frozenset("aeiouy")
# Vowels after which a j may be a glide.  Not i: ji is pinyin's (Jiang, Jin), and й before и does
# not occur in the romanizations that write й as j.
_GLIDE_VOWELS = frozenset("aeou")

_PINYIN_INITIALS = (
    ("zh", "S"),
    ("ch", "S"),
    ("sh", "S"),
    ("b", "B"),
    ("p", "B"),
    ("m", "M"),
    ("f", "V"),
    ("d", "D"),
    ("t", "D"),
    ("n", "N"),
    ("l", "L"),
    ("g", "G"),
    ("k", "G"),
    ("h", "G"),
    ("j", "J"),
    ("q", "J"),
    ("x", "J"),
    ("r", "R"),
    ("z", "S"),
    ("c", "S"),
    ("s", "S"),
)


def _collapse(skeleton: str) -> str:
    # Wildcards are not collapsed: J J may read G S.
    collapsed: list[str] = []
    for letter in skeleton:
        if not collapsed or collapsed[-1] != letter or letter in WILDCARDS:
            collapsed.append(letter)
    return "".join(collapsed)


def cyrillic_skeleton(text: str) -> str:
    """The skeleton of a Cyrillic name part."""
    word = text.lower().replace("ё", "е")
    for pair, single in _CYRILLIC_MERGES:
        word = word.replace(pair, single)
    return _collapse("".join(_CYRILLIC.get(char, "") for char in word))


def _latin_options(word: str, group: str, start: int, end: int, glide: bool) -> list[str]:
    """The classes one Latin letter group may stand for, the usual reading first."""
    value = _LATIN_CLASS.get(group, "")
    if value == "X":
        return ["GS", "J"]
    if group not in ("j", "dj") or (not glide and end < len(word)):
        return [value]
    after = word[end : end + 1]
    before = word[start - 1 : start]
    if group == "dj":
        # Scholarly and German д + я, е, ё, ю (Nadja Надя, Djakov Дьяков) besides Djokovic's dj.
        return [value, "D"] if after in _GLIDE_VOWELS else [value]
    if not after and before:
        return [""]  # a final j after a letter is й (Yurij, Sergej)
    if after in _GLIDE_VOWELS or (before in _VOWELS and after not in _VOWELS):
        # The glide of scholarly, ISO 9 and German romanizations of Russian: ja, je, jo, ju are
        # я, е, ё, ю (Jakovlev, Beljaev, Tscherjomin, Jurij) and j after a vowel is й (Majkov).
        # English and pinyin read a consonant (John, Jun): both readings stay.
        return [value, ""]
    return [value]


def latin_skeletons(text: str, *, glide: bool = True) -> set[str]:
    """The skeletons of a Latin name part (x reads as ks or, in pinyin, as s; j before a vowel as a
    consonant or, unless ``glide`` is false, as the glide of я, е, ё, ю).

    Pinyin's j is a consonant: a part that reads as pinyin (Jun, Wenjun) is better read without
    the glide, which would make it Юн or Вэнь.

    >>> sorted(latin_skeletons("Beljaev")), sorted(latin_skeletons("Jun", glide=False))
    (['BLJV', 'BLV'], ['JN'])
    """
    word = text.lower()
    pieces = [
        _latin_options(word, match.group(0), match.start(), match.end(), glide)
        for match in _LATIN_PATTERN.finditer(word)
    ]
    variants = {
        _collapse("".join(choice)) for choice in itertools.islice(itertools.product(*pieces), MAX_VARIANTS)
    }
    return variants


def pinyin_syllable_skeletons(syllable: str) -> set[str]:
    """The skeletons of one toneless pinyin syllable (``wu`` may or may not carry a v: 吴 У, 武 Ву)."""
    syllable = syllable.lower().replace("ü", "v")
    if syllable in ("er", "r"):
        return {"L"}
    initial = ""
    rest = syllable
    for prefix, value in _PINYIN_INITIALS:
        if syllable.startswith(prefix):
            initial, rest = value, syllable[len(prefix) :]
            break
    else:
        if syllable.startswith("w"):
            rest = syllable[1:]
            if rest.startswith("u"):
                return {"", "V" + ("N" if rest.endswith(("n", "ng")) else "")} if rest != "u" else {"", "V"}
            initial = "V"
        elif syllable.startswith("y"):
            rest = syllable[1:]
    final = "N" if rest.endswith(("n", "ng")) else ""
    return {initial + final}


def han_skeletons(syllables: list[str]) -> set[str]:
    """The skeletons of a name part from the pinyin of its characters."""
    options = [sorted(pinyin_syllable_skeletons(syllable)) for syllable in syllables]
    return {
        _collapse("".join(choice)) for choice in itertools.islice(itertools.product(*options), MAX_VARIANTS)
    }


@lru_cache(maxsize=65_536)
def concrete(skeleton: str) -> tuple[str, ...]:
    """Every wildcard-free reading of a skeleton (J → G or S, R → L or S, C → S or G)."""
    options = [WILDCARDS.get(letter, letter) for letter in skeleton]
    readings = ("".join(choice) for choice in itertools.product(*options))
    return tuple(dict.fromkeys(_collapse(reading) for reading in itertools.islice(readings, MAX_VARIANTS)))

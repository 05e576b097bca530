"""What a name part sounds like written in Chinese characters: toneless pinyin, vowels included.

Consonant skeletons find candidates, but they drop the vowels that tell Соколов from Соколова
(both S-G-L-V) or Гречко from Краско.  Pinyin keeps them, and every script reaches it: a Chinese
part is read as written (with the surname readings), a Russian part as it is written in characters
(its conventional forms, Сергей → 谢尔盖 xieergai, its Xinhua transcription, and the forms of its
Western counterpart, Иван → 约翰 yuehan), a Latin part as pinyin when it is pinyin and through its
Cyrillic reading otherwise.  Two renderings of one name agree on these "sounds" letter by letter
far more often than they differ; folded syllables (fold_syllable) also make a second family of
index keys, finer than skeletons.

>>> sounds_of([("suo", "ke", "luo", "wa")])
('suokeluowa|SoGeLoVa',)
>>> "suokeluowa|SoGeLoVa" in cyrillic_sounds("Соколова")  # Xinhua: 索科洛瓦
True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from expertbridge.names.dictionary import counterpart_forms, ranked_chinese_forms
from expertbridge.names.latin import latin_to_cyrillic
from expertbridge.names.pinyin import han_syllables, segment_palladius
from expertbridge.names.xinhua import xinhua_word

MAX_SOUNDS = 8
MAX_RENDERINGS = 3
MAX_WORD = 40
# Pinyin initials folded into the consonant classes of expertbridge.names.phonetic, for index keys.
_INITIAL_CLASSES = (
    ("zh", "S"), ("ch", "S"), ("sh", "S"), ("b", "B"), ("p", "B"), ("d", "D"), ("t", "D"),
    ("g", "G"), ("k", "G"), ("h", "G"), ("f", "V"), ("w", "V"), ("l", "L"), ("r", "L"),
    ("m", "M"), ("n", "N"), ("z", "S"), ("c", "S"), ("s", "S"), ("j", "J"), ("q", "J"),
    ("x", "S"), ("y", ""),
)  # fmt: skip
_MAIN_VOWELS = {"uo": "o", "ou": "o", "ao": "o", "ie": "e", "ei": "e", "ai": "e", "v": "u"}

Syllables = tuple[str, ...]
# A sound: pinyin run together and, after a bar, the same syllables folded (see fold_syllable), so
# that one comparison weighs both: 柯 ke and 戈 ge differ less than 柯 ke and 斯 si.
Sound = str


def han_sound(syllables: list[str] | tuple[str, ...]) -> str:
    """The sound of a part from its pinyin syllables."""
    return "".join(syllables)


@lru_cache(maxsize=4096)
def fold_syllable(syllable: str) -> str:
    """A pinyin syllable reduced to its initial's consonant class, main vowel and nasal ending:
    the part that renderings of one sound agree on (洛 luo and 罗 luo and 勒 le → Lo, Lo, Le).

    >>> fold_syllable("luo"), fold_syllable("ting"), fold_syllable("qie")
    ('Lo', 'Din', 'Je')
    """
    initial, rest = "", syllable
    for prefix, letter in _INITIAL_CLASSES:
        if syllable.startswith(prefix):
            initial, rest = letter, syllable[len(prefix) :]
            break
    nasal = ""
    if rest.endswith(("n", "ng")) and rest not in ("n", "ng"):
        nasal, rest = "n", rest.removesuffix("g").removesuffix("n")
    vowel = _MAIN_VOWELS.get(rest, rest[-1:])
    return initial + _MAIN_VOWELS.get(vowel, vowel) + nasal


@lru_cache(maxsize=20_000)
def cyrillic_syllables(text: str) -> tuple[Syllables, ...]:
    """The sounds of a Cyrillic part, as pinyin syllables: its usual Chinese forms, its Xinhua
    transcription as the table has it and as English habits have it (Денисов: 杰尼索夫 jie ni suo fu,
    德尼索夫 de ni suo fu), its pinyin when it is a Chinese name in Palladius spelling (Синьчао →
    xin chao), and the Chinese forms of its Western counterparts (Иван → 约翰 yue han)."""
    word = text.lower()[:MAX_WORD]
    forms = [
        *ranked_chinese_forms(word)[: MAX_RENDERINGS - 1],
        xinhua_word(word),
        xinhua_word(word, western=True),
        *counterpart_forms(word),
    ]
    found = [tuple(han_syllables(form)) for form in forms]
    palladius = segment_palladius(word)
    if palladius:
        found.insert(0, palladius)
    return tuple(dict.fromkeys(s for s in found if s))[:MAX_SOUNDS]


@lru_cache(maxsize=20_000)
def latin_syllables(letters: str, pinyin: Syllables | None) -> tuple[Syllables, ...]:
    """The sounds of a Latin part: as pinyin when it reads as pinyin, and through Cyrillic."""
    found = [pinyin] if pinyin else []
    found += cyrillic_syllables(latin_to_cyrillic(letters.lower()[:MAX_WORD]))
    return tuple(dict.fromkeys(found))[:MAX_SOUNDS]


def sounds_of(heard: Iterable[Syllables]) -> tuple[Sound, ...]:
    """Sounds from pinyin syllables: run together as written, and folded."""
    return tuple(dict.fromkeys(f"{han_sound(s)}|{''.join(fold_syllable(x) for x in s)}" for s in heard if s))


def cyrillic_sounds(text: str) -> tuple[Sound, ...]:
    """The sounds of a Cyrillic part (see :func:`cyrillic_syllables`)."""
    return sounds_of(cyrillic_syllables(text))


@lru_cache(maxsize=100_000)
def sound_similarity(left: tuple[Sound, ...], right: tuple[Sound, ...]) -> tuple[float, str, str]:
    """The best similarity of any sound of ``left`` with any of ``right``, and which met (as
    pinyin)."""
    flipped = len(left) > len(right)
    few, many = (right, left) if flipped else (left, right)
    best, met = 0.0, ("", "")
    for sound in few:
        found = process.extractOne(sound, many, scorer=Levenshtein.normalized_similarity)
        if found is not None and found[1] > best:
            best, met = found[1], (found[0], sound) if flipped else (sound, found[0])
            if best == 1.0:
                break
    return best, met[0].partition("|")[0], met[1].partition("|")[0]

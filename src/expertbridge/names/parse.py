"""Split a personal name into its parts (surname, given name, patronymic, initials) in any script.

>>> [(p.text, p.role) for p in parse_name("Филиппов, Дмитрий Николаевич").parts]
[('Филиппов', 'surname'), ('Дмитрий', 'given'), ('Николаевич', 'patronymic')]
>>> [(p.text, p.role) for p in parse_name("许心超").parts]
[('许', 'surname'), ('心超', 'given')]
>>> [(p.text, p.role) for p in parse_name("玛利亚·索茨科娃").parts]
[('玛利亚', 'given'), ('索茨科娃', 'surname')]
>>> [[p.text for p in reading] for reading in parse_name("Винер-Усманова Ирина (МГУ)").alternatives]
[['Винер', 'Ирина'], ['Усманова', 'Ирина']]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import iuliia
import zhconv

from expertbridge.names.chinese import palladius_chinese_name, surname_readings
from expertbridge.names.dictionary import chinese_forms, counterpart_forms, russian_forms
from expertbridge.names.phonetic import cyrillic_skeleton, han_skeletons, latin_skeletons
from expertbridge.names.pinyin import han_syllables, segment_palladius, segment_pinyin
from expertbridge.names.russian import patronymic_form, surname_first
from expertbridge.names.sound import Sound, Syllables, cyrillic_syllables, latin_syllables, sounds_of
from expertbridge.text.normalize import script_of

ROLES = ("surname", "given", "patronymic", "initial", "unknown", "whole")
MAX_NAME_CHARS = 300
MAX_PARTS = 6
MAX_PIECES = 2
MAX_ALTERNATIVES = 4
# -ович/-евич, -овна/-евна as Chinese renders them (维奇, 芙娜/夫娜).
_HAN_PATRONYMIC = ("维奇", "芙娜", "夫娜")
_HYPHENS = re.compile("[-‐‑–—]")
_DOTS = re.compile("[·•・‧∙⋅･.]")
# A note in brackets after a name (a disambiguation, an affiliation) is not part of it.
_NOTE = re.compile(r"[(\[][^()\[\]]*[)\]]")
_HAN = re.compile("[\u3400-\u9fff]")
_COMMA_AFTER_FIRST = re.compile(r"^[^,，]+[,，]")
_GLUED_INITIALS = re.compile(r"(?:\w\.){2,3}")
# An apostrophe inside a word is part of it: the soft sign of BGN/PCGN and scholarly
# romanizations (Ol'ga, Vasil'ev, Natalʹja), Ukrainian's apostrophe (Мар'яна), O'Brien, and pinyin's
# syllable mark (Xi'an).  Every form of it reads as the typographic one; at the ends of a word it
# is a quotation mark and is dropped.
APOSTROPHE = "’"
_APOSTROPHE_FORMS = frozenset("'‘’ʼʹʺʻ′″`´")
_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHE_FORMS, APOSTROPHE))
# A double quote between letters is the hard sign of ALA-LC and ISO 9 (Ob"edkov Объедков).
_HARD_SIGN = re.compile(r'(?<=[^\W\d_])"(?=[^\W\d_])')
_SPLIT = re.compile(r"[\s,，、;；/()（）\[\]\"«»“”]+")
_TOKEN_EDGES = "-‐‑–—._" + APOSTROPHE


# Compared by identity: parts are made once per (text, role) and cached, and identity makes them
# cheap keys for the scorer's caches.
@dataclass(frozen=True, eq=False)
class NamePart:
    """One part of a name with its script, role, consonant skeletons and sounds."""

    text: str
    script: str
    role: str
    skeletons: frozenset[str]
    romanized: str
    # Pinyin syllables when the part may be a Chinese name: characters of a Chinese name, or a
    # Latin or Cyrillic word that reads as pinyin or Palladius.  None for everything else.
    syllables: tuple[str, ...] | None = None
    heard: tuple[tuple[str, ...], ...] = ()
    latin: str = ""

    @cached_property
    def sounds(self) -> tuple[Sound, ...]:
        """How the part sounds in pinyin (see expertbridge.names.sound), run together and as
        syllables: the vowels that skeletons drop.  Worked out when first scored: indexing a name
        needs only its keys."""
        return sounds_of(self.heard)


@dataclass(frozen=True)
class ParsedName:
    """A name split into parts, in the order written."""

    original: str
    parts: tuple[NamePart, ...]
    # Other ways to read the same text: a double surname by either half.  (A short Chinese name
    # may also be a foreign one written in characters: see foreign_reading.)
    alternatives: tuple[tuple[NamePart, ...], ...] = ()

    @property
    def script(self) -> str:
        """The script of the name (Mixed when its parts differ)."""
        scripts = {part.script for part in self.parts}
        return scripts.pop() if len(scripts) == 1 else ("Mixed" if scripts else "Zyyy")


def normalize_name(text: str) -> str:
    """NFKC, traditional → simplified Chinese, one kind of apostrophe, trimmed, length-capped."""
    # Apostrophes first: NFKC would turn an acute accent typed for one (´) into a space.
    text = text[: MAX_NAME_CHARS * 2]
    if not _APOSTROPHE_FORMS.isdisjoint(text):
        text = text.translate(_APOSTROPHES)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text[:MAX_NAME_CHARS]
    if '"' in text:
        text = _HARD_SIGN.sub(APOSTROPHE, text)
    if _HAN.search(text):
        text = zhconv.convert(text, "zh-cn")
    return " ".join(text.split())


@lru_cache(maxsize=100_000)
def _part(text: str, role: str, *, surname: bool = False, chinese: bool = False) -> NamePart:
    # Cached: given names and surnames repeat across a registry, and parts are immutable.
    script = script_of(text)
    syllables: tuple[str, ...] | None = None
    if script == "Hani":
        reading = surname_readings().get(text) if surname else None
        pinyin = list(segment_pinyin(reading) or [reading]) if reading else han_syllables(text)
        # A conventional rendering also carries the skeleton of the Russian name it stands for.
        conventional = {cyrillic_skeleton(form) for form in russian_forms(text)}
        skeletons = frozenset(han_skeletons(pinyin) | conventional)
        romanized = latin = "".join(pinyin)
        if chinese:
            syllables = tuple(pinyin)
        heard: tuple[Syllables, ...] = (tuple(pinyin),)
    elif script == "Cyrl":
        # Мар’яна is Марьяна: the apostrophe separates sounds that the letters already say.
        word = text.replace(APOSTROPHE, "")
        forms = chinese_forms(word) | set(counterpart_forms(word))
        conventional = {s for form in forms for s in han_skeletons(han_syllables(form))}
        skeletons = frozenset({cyrillic_skeleton(word)} | conventional)
        romanized = word.lower().replace("ё", "е")
        latin = iuliia.WIKIPEDIA.translate(romanized)
        syllables = segment_palladius(word)
        heard = cyrillic_syllables(word)
    else:
        letters = "".join(char for char in unicodedata.normalize("NFKD", text) if char.isalpha())
        syllables = _pinyin_syllables(text, letters)
        if syllables:
            # Read as pinyin too, so that a "ng" or "x" keeps its syllable (Jun-gang, Xu), and with
            # pinyin's consonant j only.
            skeletons = frozenset(latin_skeletons(letters, glide=False) | han_skeletons(list(syllables)))
        else:
            skeletons = frozenset(latin_skeletons(letters))
        romanized = latin = letters.lower()
        heard = latin_syllables(letters, syllables)
    return NamePart(
        text=text,
        script=script,
        role=role,
        skeletons=skeletons,
        romanized=romanized,
        syllables=syllables,
        heard=heard,
        latin=latin,
    )


def _pinyin_syllables(text: str, letters: str) -> tuple[str, ...] | None:
    """The pinyin syllables of a Latin word, or None.  An apostrophe in pinyin separates syllables
    (Xi’an is xi-an, not xian): each piece it separates must be pinyin.  In a Russian name it
    stands for the soft sign (Ol’ga), and the pieces are not."""
    if APOSTROPHE not in text:
        return segment_pinyin(letters)
    found: list[str] = []
    for piece in text.split(APOSTROPHE):
        piece_letters = "".join(char for char in unicodedata.normalize("NFKD", piece) if char.isalpha())
        syllables = segment_pinyin(piece_letters) if piece_letters else ()
        if syllables is None:
            return None
        found.extend(syllables)
    return tuple(found) or None


# Tokens repeat across a registry far more than whole names do.
_script = lru_cache(maxsize=65_536)(script_of)


def _is_initial(token: str) -> bool:
    letters = [char for char in token if char.isalpha()]
    return 0 < len(letters) <= 2 and (token.endswith(".") or len(letters) == 1) and _script(token) != "Hani"


def _han_parts(token: str) -> list[NamePart]:
    pieces = [piece for piece in _DOTS.split(token) if piece]
    if len(pieces) > 1:
        # A foreign name written in characters: given (patronymic) … surname.
        roles = ["given", *["patronymic"] * (len(pieces) - 2), "surname"]
        if len(pieces[-1]) >= 4 and pieces[-1].endswith(_HAN_PATRONYMIC):
            # The Russian order kept in characters: (surname·) given·patronymic, as in
            # 玛丽亚·亚历山德罗芙娜 (Мария Александровна).
            roles = ["given", "patronymic"] if len(pieces) == 2 else ["surname", "given", "patronymic"]
            roles += ["patronymic"] * (len(pieces) - len(roles))
        return [_part(piece, role, surname=False) for piece, role in zip(pieces, roles, strict=True)]
    readings = surname_readings()
    # A Chinese name is a one- or two-character surname and a one- or two-character given name;
    # longer runs are foreign names written in characters.
    for size in (2, 1):
        if token[:size] in readings and 1 <= len(token) - size <= 2:
            return [
                _part(token[:size], "surname", surname=True, chinese=True),
                _part(token[size:], "given", chinese=True),
            ]
    return [_part(token, "whole")]


@lru_cache(maxsize=65_536)
def _patronymic_form(token: str) -> str | None:
    return patronymic_form(token) if _script(token) == "Cyrl" else None


def _patronymic_at(tokens: list[str], words: list[int]) -> int | None:
    """Which word (an index into ``tokens``) is the patronymic, by its form and where it stands.

    A patronymic follows the given name: never first (Петрович Иван Сергеевич, Милошевич
    Слободан are surnames), second of three (Иван Никитович Кожедуб) or third (Князев Руслан
    Кузьмич).  Of two words, only a female form is one (Мария Александровна): a male one is a
    surname as often (Дмитрий Шостакович), and a surname read as a patronymic would be left out of
    the name's keys and of its Chinese form.
    """
    later = words[1:]
    forms = [_patronymic_form(tokens[i]) for i in later]
    if len(words) == 2:
        return later[0] if forms[0] == "female" else None
    if len(words) == 3:
        return next((i for i, form in zip(later, forms, strict=True) if form), None)
    # Longer names are not Russian names of the usual shapes: only the unmistakable forms.
    return next((i for i, form in zip(later, forms, strict=True) if form in ("female", "male")), None)


def _roles_for(tokens: list[str], comma_after_first: bool) -> list[str]:
    roles = ["initial" if _is_initial(token) else "unknown" for token in tokens]
    words = [i for i, role in enumerate(roles) if role != "initial"]
    patronymic = _patronymic_at(tokens, words) if words else None
    if patronymic is not None:
        roles[patronymic] = "patronymic"
    if comma_after_first and words:
        roles[words[0]] = "surname"
        rest = [i for i in words[1:] if roles[i] == "unknown"]
        if rest:
            roles[rest[0]] = "given"
        return roles
    others = [i for i in words if roles[i] == "unknown"]
    if len(others) != 2:
        return roles
    first, second = others
    if patronymic is not None:
        surname_at_first = second < patronymic  # Surname Given Patronymic, else Given Patronymic Surname
    elif _script(tokens[first]) == _script(tokens[second]) == "Cyrl":
        order = surname_first(tokens[first], tokens[second])
        if order is None:  # neither word tells: the order as written, roles unknown
            return roles
        surname_at_first = order
    else:
        return roles
    roles[first], roles[second] = ("surname", "given") if surname_at_first else ("given", "surname")
    return roles


def _chinese_in_words(raw_tokens: list[str]) -> list[NamePart] | None:
    """A Chinese name in two or three words: characters with a space between surname and given
    name (王 小明, 王　小明), or Palladius Cyrillic, surname first (Чжан Вэй, Ван Сяо Мин)."""
    tokens = [token.strip(_TOKEN_EDGES) for token in raw_tokens]
    if any(not token or "." in raw for token, raw in zip(tokens, raw_tokens, strict=True)):
        return None
    scripts = {_script(token) for token in tokens}
    if scripts == {"Hani"} and len(tokens) == 2:
        surname, given = tokens
        if surname in surname_readings() and 1 <= len(given) <= 2:
            return [
                _part(surname, "surname", surname=True, chinese=True),
                _part(given, "given", chinese=True),
            ]
        return None
    if scripts == {"Cyrl"} and palladius_chinese_name(tokens):
        return [_part(tokens[0], "surname"), *(_part(token, "given") for token in tokens[1:])]
    return None


@lru_cache(maxsize=65_536)
def _token_reading(raw: str) -> tuple[tuple[NamePart, ...], tuple[str, ...]]:
    """What one space-separated token of a name gives: its parts when it is Chinese (a Chinese
    name is read by itself), or its words, whose roles depend on the rest of the name."""
    token = raw.strip(_TOKEN_EDGES)
    if not token or not any(char.isalpha() for char in token):
        return (), ()
    if _script(token) == "Hani":
        # Chinese writes no apostrophe inside a name: one there separates names.
        return tuple(part for piece in token.split(APOSTROPHE) if piece for part in _han_parts(piece)), ()
    # Initials glued together ("А.А.") become separate initials; other dots separate words.
    if "." in token and _GLUED_INITIALS.fullmatch(token):
        return (), tuple(piece + "." for piece in token.split(".") if piece)
    return (), tuple(piece for piece in _DOTS.split(token) if piece)


@lru_cache(maxsize=100_000)
def parse_name(text: str) -> ParsedName:
    """Parse a name written in any script and any usual order into its parts."""
    normalized = normalize_name(text)
    if "(" in normalized or "[" in normalized:
        without_notes = _NOTE.sub(" ", normalized)
        if any(char.isalpha() for char in without_notes):
            normalized = without_notes
    comma = bool(_COMMA_AFTER_FIRST.match(normalized))
    raw_tokens = [raw for raw in _SPLIT.split(normalized) if raw]
    if 2 <= len(raw_tokens) <= 3 and (chinese_name := _chinese_in_words(raw_tokens)):
        return ParsedName(original=text[:MAX_NAME_CHARS], parts=tuple(chinese_name))
    parts: list[NamePart] = []
    latin_or_cyrillic: list[str] = []
    # Tokens repeat across a registry far more than whole names do: each is read once.
    for raw in raw_tokens:
        chinese, words = _token_reading(raw)
        parts.extend(chinese)
        latin_or_cyrillic.extend(words)
    if latin_or_cyrillic:
        kept = latin_or_cyrillic[:MAX_PARTS]
        roles = _roles_for(kept, comma)
        parts += [_part(token.rstrip("."), role) for token, role in zip(kept, roles, strict=True)]
    parts = parts[:MAX_PARTS]
    return ParsedName(original=text[:MAX_NAME_CHARS], parts=tuple(parts), alternatives=_alternatives(parts))


def foreign_reading(name: ParsedName) -> tuple[NamePart, ...] | None:
    """A Chinese name of two or three characters read as a foreign name written in characters
    (杜连 Турлин, 安索夫 Ансов), or None when the name is not such a run."""
    parts = name.parts
    if len(parts) == 2 and all(p.script == "Hani" and p.syllables is not None for p in parts):
        return (_part(parts[0].text + parts[1].text, "whole"),)
    return None


def _alternatives(parts: list[NamePart]) -> tuple[tuple[NamePart, ...], ...]:
    """Other readings of a name: a double surname (Винер-Усманова, 贝科夫斯基-罗马绍夫) by either of
    its halves."""
    found: list[tuple[NamePart, ...]] = []
    for i, part in enumerate(parts):
        if not _HYPHENS.search(part.text):
            continue
        pieces = [piece for piece in _HYPHENS.split(part.text) if len(piece) >= 2]
        if len(pieces) >= 2 and part.role not in ("initial", "patronymic"):
            for piece in pieces[:MAX_PIECES]:
                found.append((*parts[:i], _part(piece, part.role), *parts[i + 1 :]))
    return tuple(found[:MAX_ALTERNATIVES])

"""Text folding used for matching and indexing.

>>> fold("  Сергей  ЧЕРЁМИН ")
'сергей черемин'
>>> fold("ＡＩ，Cloud·Software")
'ai cloud software'
>>> script_of("许心超")
'Hani'
"""

from __future__ import annotations

import re
import unicodedata

# Everything that is not a letter, a digit or a combining mark separates words.
_SEPARATORS = re.compile(r"[^\w]+|_", re.UNICODE)


def fold(text: str) -> str:
    """Fold text for matching: NFKC, case-folded, ё→е, punctuation to single spaces."""
    if text.isascii():
        text = text.lower()
        return " ".join(_SEPARATORS.sub(" ", text).split())
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold().replace("ё", "е")
    return " ".join(_SEPARATORS.sub(" ", text).split())


_SCRIPT_PATTERNS = (
    ("Cyrl", re.compile("[\u0400-\u052f]")),
    ("Hani", re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")),
    (
        "Latn",
        re.compile(
            "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]"
        ),
    ),
)


def _char_script(char: str) -> str | None:
    code = ord(char)
    if 0x0400 <= code <= 0x052F:
        return "Cyrl"
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2EBEF
        or 0xF900 <= code <= 0xFAFF
    ):
        return "Hani"
    if char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
        return "Latn"
    return None


def script_of(text: str) -> str:
    """The writing system of ``text``: Cyrl, Hani, Latn, Mixed, or Zyyy when it has no letters."""
    if text.isascii():
        return "Latn" if any(char.isalpha() for char in text) else "Zyyy"
    scripts = {script for script, pattern in _SCRIPT_PATTERNS if pattern.search(text)}
    if not scripts:
        return "Zyyy"
    if len(scripts) == 1:
        return scripts.pop()
    return "Mixed"


SCRIPT_LANGUAGE = {"Cyrl": "ru", "Hani": "zh", "Latn": "en"}


def language_of(text: str) -> str | None:
    """The registry language (ru, zh, en) a short text is most likely written in, by script."""
    script = script_of(text)
    if script == "Mixed":
        counts: dict[str, int] = {}
        for char in text:
            char_script = _char_script(char)
            if char_script:
                counts[char_script] = counts.get(char_script, 0) + 1
        script = max(sorted(counts), key=lambda name: counts[name])
    return SCRIPT_LANGUAGE.get(script)

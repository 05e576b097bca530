"""Latin → Cyrillic back-transliteration of Russian names typed in Latin letters.

Reads the everyday spellings (passport, BGN/PCGN, English press) back into Cyrillic; GOST 7.79 B,
which is reversible, has its exact inverse in :mod:`expertbridge.names.transliterate`.

>>> latin_to_cyrillic("Sergey Cheryomin")
'Сергей Черёмин'
"""

from __future__ import annotations

import re

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

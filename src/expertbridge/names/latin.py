"""Latin → Cyrillic back-transliteration of Russian names typed in Latin letters.

Reads the everyday spellings (passport, BGN/PCGN, English press) back into Cyrillic, and the
scholarly, ISO 9 and German ones where they differ: j before a vowel is the glide of я, ю, е, ё
(Beljaev, Jurij, Tscherjomin), an apostrophe after a consonant is the soft sign (Ol'ga).  GOST 7.79 B,
which is reversible, has its exact inverse in :mod:`expertbridge.names.transliterate`.

>>> latin_to_cyrillic("Sergey Cheryomin"), latin_to_cyrillic("Jurij Beljaev"), latin_to_cyrillic("Ol'ga")
('Сергей Черёмин', 'Юрий Беляев', 'Ольга')
"""

from __future__ import annotations

import re

# Latin → Cyrillic, longest groups first; "ye"/"yo" at a word start or after a vowel are е/ё.
_BACK = (
    ("shch", "щ"),
    ("tsch", "ч"),
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
    ("ja", "я"),
    ("ju", "ю"),
    ("jo", "ё"),
    ("je", "е"),
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
# The soft sign of BGN/PCGN and scholarly romanizations: an apostrophe between a consonant and a
# letter (Ol'ga, Natal'ya, Vasil'ev); after a vowel it is not one (O'Brien).
_APOSTROPHES = "'’ʼʹ′`"
_APOSTROPHE = f"(?<=[b-df-hj-np-tv-z])[{_APOSTROPHES}](?=[a-z])"
_BACK_PATTERN = re.compile("|".join([_APOSTROPHE, *(re.escape(latin) for latin, _ in _BACK)]), re.IGNORECASE)
_BACK_MAP = dict(_BACK)


def latin_to_cyrillic(text: str) -> str:
    """Back-transliterate a Russian name typed in Latin letters."""

    def replace(match: re.Match[str]) -> str:
        latin = match.group(0)
        if not latin.isalpha():
            return "ь"
        lower = latin.lower()
        cyrillic = _BACK_MAP[lower]
        start = match.start()
        at_start = start == 0 or not (text[start - 1].isalpha() or text[start - 1] in _APOSTROPHES)
        if lower == "e" and at_start:
            cyrillic = "э"
        elif lower == "jo" and at_start:
            cyrillic = "йо"  # Josef, John: the German Jo- for a first ё is rare
        elif lower == "je" and not at_start and text[start - 1].lower() not in "aeiouy":
            cyrillic = "ье"  # German Wasiljew, Afanasjew
        return cyrillic.capitalize() if latin[0].isupper() else cyrillic

    return _BACK_PATTERN.sub(replace, text)

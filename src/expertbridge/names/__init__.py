"""Pure engine for personal names across Cyrillic, Chinese characters and Latin letters.

No database and no web: text in, data classes out.  ``parse_name`` splits a name into parts,
``phonetic`` reduces each part to a script-independent consonant skeleton and ``sound`` to its
pinyin (vowels included), ``score`` compares two parsed names part by part and explains the match,
and ``keys`` gives the index keys that find candidates without scanning.  ``transliterate`` (with
``xinhua`` and ``latin``) renders a name in the other scripts; ``dictionary`` holds the
conventional renderings of name tokens.  ``russian`` knows what the words of a Russian name say
about their roles (given names, surname endings, patronymics), and ``chinese`` the Chinese surnames
and Chinese names written in Palladius Cyrillic.
"""

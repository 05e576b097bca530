"""The organizations a form offers for a name the registry does not know, so that a person picks
the one they mean rather than adding it again under another spelling: "МГУ имени М. В. Ломоносова"
offers "Московский государственный университет имени М.В. Ломоносова".

The picker of the event and organization forms (:func:`organizations_named`) finds the names that
contain the whole text; a name written otherwise (an abbreviation, another word order) shares
only some of its words, so those are looked up too, each without its last letters (Russian names
change their endings: "университета", "университет").
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from expertbridge.registry.visibility import Viewer
from expertbridge.text.normalize import fold
from expertbridge.web.pages.pickers import FOUND, organizations_named

# Words shorter than this say too little alone ("им", "of", "и"); at most this many are looked up.
SHORTEST_WORD = 4
WORDS_LOOKED_UP = 5


def word_stems(text: str) -> list[str]:
    """The words of ``text`` worth looking up alone, longest first, long ones without their last
    two letters.

    >>> word_stems("МГУ имени М. В. Ломоносова")
    ['ломоносо', 'имени']
    """
    words = sorted({word for word in fold(text).split() if len(word) >= SHORTEST_WORD}, key=len, reverse=True)
    return [word[:-2] if len(word) >= 7 else word for word in words[:WORDS_LOOKED_UP]]


def organization_choices(
    session: Session, viewer: Viewer, text: str, language: str
) -> list[tuple[str, str, str]]:
    """Up to FOUND organizations the viewer sees whose names are like ``text`` (form line, name in
    ``language``, city): those containing it first, then those sharing most of its words (more
    than half as many as the best of them)."""
    found = organizations_named(session, viewer, text, language)
    shared: dict[str, int] = {}
    rows: dict[str, tuple[str, str, str]] = {}
    for stem in word_stems(text) if len(found) < FOUND else []:
        for row in organizations_named(session, viewer, stem, language):
            shared[row[0]] = shared.get(row[0], 0) + 1
            rows.setdefault(row[0], row)
    listed = {line for line, _, _ in found}
    # Those sharing at most half of what the best shares met a common word ("имени", "institute").
    best = max(shared.values(), default=0)
    # sorted() keeps the order of equals: the organizations found by the longest words first.
    more = [
        rows[line]
        for line in sorted(rows, key=lambda line: -shared[line])
        if line not in listed and shared[line] * 2 > best
    ]
    return [*found, *more][:FOUND]

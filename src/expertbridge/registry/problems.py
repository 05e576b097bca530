"""Refusals the registry explains to a person, in their language.

A service that refuses a request (a wrong password, an expired link, a decision that is not the
viewer's to take) raises :class:`Refused` with an English message marked for translation; pages
translate it, the API and the command line show it as written.

>>> str(Refused(N_("Try again in %(minutes)s minutes."), 429, minutes=3))
'Try again in 3 minutes.'
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation (extracted by Babel) without translating it here."""
    return message


class Refused(ValueError):
    """A request the registry will not carry out, and why (``message % values``)."""

    def __init__(self, message: str, status: int = 400, **values: Any):
        super().__init__(message % values if values else message)
        self.message = message
        self.status = status
        self.values = values

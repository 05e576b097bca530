"""Refusals the registry explains to a person, in their language.

A service that refuses a request (a wrong password, an expired link, a decision that is not the
viewer's to take) raises :class:`Refused` with an English message marked for translation; pages
say it in the reader's language (``web.issues.refused_text``), the API and the command line show it
as written.  Its values follow :class:`~expertbridge.messages.Message`: a record id is text
(``id=str(expert_id)``), a number is a quantity.

>>> str(Refused(N_("Try again in %(minutes)s minutes."), 429, minutes=3))
'Try again in 3 minutes.'
"""

from __future__ import annotations

from typing import Any

from expertbridge.messages import Message


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

    def as_message(self) -> Message:
        """The refusal as a :class:`~expertbridge.messages.Message`, which any page says in its
        reader's language (ids as written, quantities the reader's way)."""
        return Message(self.message, tuple(self.values.items()))

"""How the organizers' pages name who did something (made a panel run, edited a panel).

The audit log and the records it describes keep an account as ``user:ID`` (never an e-mail, which
may change or be erased); a page for organizers names the account as people know it: its display
name, else its e-mail.  Other actors (the operator, a command) are shown as recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import User

ACCOUNT_PREFIX = "user:"


def account_id(actor: str) -> int | None:
    """The account an actor names, or None.

    >>> account_id("user:12"), account_id("operator"), account_id("user:x")
    (12, None, None)
    """
    digits = actor[len(ACCOUNT_PREFIX) :] if actor.startswith(ACCOUNT_PREFIX) else ""
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 18 else None


def actor_names(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """Each actor as an organizer's page names it: ``user:ID`` → the account's display name, else its
    e-mail; any other actor (or an account since deleted) as it is."""
    actors = set(actors)
    ids = {number for actor in actors if (number := account_id(actor)) is not None}
    accounts = {
        user_id: display_name or email
        for user_id, display_name, email in session.execute(
            select(User.id, User.display_name, User.email).where(User.id.in_(ids))
        ).tuples()
    }
    names: dict[str, str] = {}
    for actor in actors:
        number = account_id(actor)
        names[actor] = accounts.get(number, actor) if number is not None else actor
    return names

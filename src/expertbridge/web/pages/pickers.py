"""Records found by name for the forms that name them (an event's organizers, an organization's
parent), without JavaScript: the form comes back with the matches to choose from, each as the line
the form reads back (``reference · name``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Organization
from expertbridge.ingest.event_form import LABEL_SEPARATOR
from expertbridge.registry.catalog import list_organizations
from expertbridge.registry.organizations import names_in
from expertbridge.registry.places import city_label
from expertbridge.registry.visibility import Viewer

FOUND = 10


def organizations_named(
    session: Session, viewer: Viewer, text: str, language: str, *, leave_out: int | None = None
) -> list[tuple[str, str, str]]:
    """Up to FOUND organizations the viewer sees with a name containing ``text``, ``leave_out``
    excepted (an organization is never its own parent): (form line, name, city)."""
    ids = [
        i for i in list_organizations(session, viewer, query=text, per_page=FOUND + 1).ids if i != leave_out
    ]
    ids = ids[:FOUND]
    names = names_in(session, ids, language)
    cities: dict[int, str | None] = dict(
        session.execute(select(Organization.id, Organization.city).where(Organization.id.in_(ids)))
        .tuples()
        .all()
    )
    return [
        (f"{i}{LABEL_SEPARATOR}{names[i]}", names[i], city_label(cities.get(i), language))
        for i in ids
        if i in names
    ]

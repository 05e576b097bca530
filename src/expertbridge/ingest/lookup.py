"""Finding a record by its external id, for any kind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Event, Expert, Opportunity, Organization

TABLES: dict[str, Any] = {
    "experts": Expert,
    "organizations": Organization,
    "opportunities": Opportunity,
    "events": Event,
}


def find_by_external_id(session: Session, kind: str, external_id: str) -> int | None:
    """The database id of the record of ``kind`` with ``external_id``."""
    table = TABLES[kind]
    result: int | None = session.scalar(select(table.id).where(table.external_id == external_id))
    return result

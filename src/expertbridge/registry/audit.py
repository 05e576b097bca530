"""The audit log: one row for every create, update and delete, written in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from expertbridge.db.models import AuditEntry

ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class Change:
    """One audited change, before it is written."""

    action: str
    entity_type: str
    entity_id: int | None
    changes: Mapping[str, Any] | None = None


def utcnow() -> dt.datetime:
    """The current UTC time without tzinfo, as the database stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def write_changes(session: Session, actor: str, changes: Iterable[Change]) -> None:
    """Append audit rows for ``changes``, all stamped with the same time."""
    now = utcnow()
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": change.action,
            "entity_type": change.entity_type,
            "entity_id": change.entity_id,
            "changes": (
                None
                if change.changes is None
                else json.dumps(change.changes, ensure_ascii=False, sort_keys=True, default=str)
            ),
        }
        for change in changes
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value differs: field → [before, after].

    >>> diff({"city": "Moscow", "status": "pending"}, {"city": "Moscow", "status": "approved"})
    {'status': ['pending', 'approved']}
    """
    keys = sorted(set(before) | set(after))
    return {key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)}


def history(session: Session, entity_type: str, entity_id: int) -> list[AuditEntry]:
    """The audit rows of one entity, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(query))

"""The audit log: one row for every create, update and delete, written in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from expertbridge.db.dialect import dialect_of
from expertbridge.db.models import AuditEntry

ACTIONS = ("create", "update", "delete", "status", "consent", "view", "erase", "signin", "export")
AUDIT_COLUMNS = ("at", "actor", "action", "entity_type", "entity_id", "changes")


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
    connection = session.connection()
    dialect = dialect_of(connection)
    now = dialect.datetime_value(utcnow())
    rows = [
        (
            now,
            actor,
            change.action,
            change.entity_type,
            change.entity_id,
            None
            if change.changes is None
            else json.dumps(change.changes, ensure_ascii=False, sort_keys=True, default=str),
        )
        for change in changes
    ]
    dialect.insert_many(connection, AuditEntry.__table__, AUDIT_COLUMNS, rows)  # type: ignore[arg-type]


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


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log is narrowed to; empty means no restriction."""

    actor: str = ""
    action: str = ""
    entity_type: str = ""
    entity_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def browse(
    session: Session, where: AuditFilter, *, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEntry], int]:
    """A page of audit entries (newest first) matching ``where``, and how many match."""

    query = select(AuditEntry)
    if where.actor:
        query = query.where(AuditEntry.actor == where.actor)
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.entity_type:
        query = query.where(AuditEntry.entity_type == where.entity_type)
    if where.entity_id is not None:
        query = query.where(AuditEntry.entity_id == where.entity_id)
    if where.since is not None:
        query = query.where(AuditEntry.at >= dt.datetime.combine(where.since, dt.time()))
    if where.until is not None:
        query = query.where(
            AuditEntry.at < dt.datetime.combine(where.until, dt.time()) + dt.timedelta(days=1)
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = session.scalars(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return list(entries), total

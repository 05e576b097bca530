"""The index outbox: what the search index must rebuild, recorded with each change."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.orm import Session

from expertbridge.db.dialect import dialect_of
from expertbridge.db.models import Expert, ExpertAffiliation, IndexOutbox


def enqueue(session: Session, entity_type: str, ids: Iterable[int]) -> None:
    """Record that these entities must be reindexed (inside the caller's transaction)."""
    rows = [(entity_type, entity_id) for entity_id in dict.fromkeys(ids)]
    connection = session.connection()
    dialect_of(connection).insert_many(connection, IndexOutbox.__table__, ("entity_type", "entity_id"), rows)  # type: ignore[arg-type]


def enqueue_organization_experts(session: Session, organization_ids: Iterable[int]) -> None:
    """Record every expert of these organizations for reindexing (inside the caller's transaction).

    An expert's index document carries the names and type of their organizations (search/document.py,
    ``Affiliation``): renamed, the organization must find its experts by the new name, and no longer
    by the old one.
    """
    ids = list(dict.fromkeys(organization_ids))
    for start in range(0, len(ids), 900):
        experts = (
            select(literal("expert"), ExpertAffiliation.expert_id)
            .where(ExpertAffiliation.organization_id.in_(ids[start : start + 900]))
            .distinct()
        )
        session.execute(insert(IndexOutbox).from_select(["entity_type", "entity_id"], experts))


def enqueue_all_experts(session: Session) -> None:
    """Record every expert for reindexing (a full rebuild, into an empty index).

    The expert rows already waiting are dropped: every expert is in the new rows, and an expert
    deleted since is in no empty index.  Kept, they had each expert analysed twice (a rebuild after
    an import that was not yet indexed: 200,000 analyses for 100,000 experts).
    """
    session.execute(delete(IndexOutbox).where(IndexOutbox.entity_type == "expert"))
    session.execute(
        insert(IndexOutbox).from_select(
            ["entity_type", "entity_id"], select(literal("expert"), Expert.id).order_by(Expert.id)
        )
    )


def pending(session: Session, limit: int, after: int = 0) -> list[tuple[int, str, int]]:
    """The oldest outbox rows after outbox id ``after``: (outbox id, entity type, entity id)."""
    query = (
        select(IndexOutbox.id, IndexOutbox.entity_type, IndexOutbox.entity_id)
        .where(IndexOutbox.id > after)
        .order_by(IndexOutbox.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def has_pending(session: Session) -> bool:
    """Whether anything waits to be indexed."""
    return session.scalar(select(IndexOutbox.id).limit(1)) is not None


def done(session: Session, outbox_ids: list[int]) -> None:
    """Forget applied outbox rows."""
    for start in range(0, len(outbox_ids), 900):
        session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(outbox_ids[start : start + 900])))

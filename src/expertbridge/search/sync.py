"""Apply the outbox to the search index: after each commit, at start-up, and for a full rebuild."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.names.keys import stored_keys
from expertbridge.names.parse import parse_name
from expertbridge.registry.experts import read_experts
from expertbridge.registry.outbox import done, enqueue_all_experts, pending
from expertbridge.registry.records import ExpertRecord
from expertbridge.search.index import ExpertIndex, IndexedExpert

BATCH = 5000
log = logging.getLogger("expertbridge.search")


def indexed(expert_id: int, record: ExpertRecord) -> IndexedExpert:
    """What the index keeps of an expert."""
    keys: set[str] = set()
    for name in record.names:
        keys |= stored_keys(parse_name(name.text))
    return IndexedExpert(
        id=expert_id,
        status=record.status,
        name_keys=frozenset(keys),
        names=tuple((name.text, name.generated) for name in record.names),
    )


def sync(factory: sessionmaker[Session], index: ExpertIndex, progress: object = None) -> int:
    """Apply every pending outbox row; returns how many entries were rewritten."""
    applied = 0
    while True:
        with factory() as session:
            rows = pending(session, BATCH)
            if not rows:
                return applied
            expert_ids = list(dict.fromkeys(entity_id for _, kind, entity_id in rows if kind == "expert"))
            records = read_experts(session, expert_ids)
        index.write(
            (indexed(expert_id, records[expert_id]) for expert_id in expert_ids if expert_id in records),
            removed=[expert_id for expert_id in expert_ids if expert_id not in records],
        )
        with factory() as session, session.begin():
            done(session, [outbox_id for outbox_id, _, _ in rows])
        applied += len(expert_ids)
        if callable(progress):
            progress(applied)


def rebuild(factory: sessionmaker[Session], index: ExpertIndex) -> int:
    """Empty the index and index every expert again."""
    index.clear()
    with factory() as session, session.begin():
        enqueue_all_experts(session)
    return sync(factory, index)

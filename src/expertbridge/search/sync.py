"""Apply the outbox to the search index: after each commit, at start-up, and for a full rebuild."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.names.keys import stored_keys
from expertbridge.names.parse import parse_name
from expertbridge.registry.experts import read_experts
from expertbridge.registry.outbox import done, enqueue_all_experts, pending
from expertbridge.registry.records import ExpertRecord
from expertbridge.search.index import ExpertIndex, IndexedExpert

BATCH = 5000
log = logging.getLogger("expertbridge.search")


def entry(expert_id: int, status: str, names: Sequence[tuple[str, bool]]) -> IndexedExpert:
    """The index entry of an expert from its names, each (text, generated)."""
    keys: set[str] = set()
    for text, _generated in names:
        keys |= stored_keys(parse_name(text))
    return IndexedExpert(id=expert_id, status=status, name_keys=frozenset(keys), names=tuple(names))


def indexed(expert_id: int, record: ExpertRecord) -> IndexedExpert:
    """What the index keeps of an expert."""
    return entry(expert_id, record.status, [(name.text, name.generated) for name in record.names])


def sync(
    factory: sessionmaker[Session], index: ExpertIndex, progress: Callable[[int], None] | None = None
) -> int:
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
        if progress is not None:
            progress(applied)


def rebuild(factory: sessionmaker[Session], index: ExpertIndex) -> int:
    """Empty the index and index every expert again."""
    index.clear()
    with factory() as session, session.begin():
        enqueue_all_experts(session)
    return sync(factory, index)

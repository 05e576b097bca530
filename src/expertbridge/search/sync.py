"""Apply the outbox to the search index: after each commit, at start-up, and for a full rebuild."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, ExpertAffiliation, Organization, OrganizationName
from expertbridge.registry.experts import read_experts
from expertbridge.registry.outbox import done, enqueue_all_experts, pending
from expertbridge.registry.records import ExpertRecord
from expertbridge.search.document import Affiliation, ExpertDocument, build_document
from expertbridge.search.index import ExpertIndex, IndexEntry, index_entry
from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger

BATCH = 5000
# Experts per task sent to a worker process.
PARALLEL_CHUNK = 500
log = logging.getLogger("expertbridge.search")


def affiliations_of(session: Session, expert_ids: Sequence[int]) -> dict[int, list[Affiliation]]:
    """Each expert's organizations with every name they are known by, in two queries."""
    links = session.execute(
        select(ExpertAffiliation.expert_id, Organization.id, Organization.type)
        .join(Organization, Organization.id == ExpertAffiliation.organization_id)
        .where(ExpertAffiliation.expert_id.in_(expert_ids))
        .order_by(ExpertAffiliation.expert_id, ExpertAffiliation.position)
    ).all()
    names: dict[int, list[str]] = {}
    organization_ids = sorted({organization_id for _, organization_id, _ in links})
    for organization_id, text in session.execute(
        select(OrganizationName.organization_id, OrganizationName.text)
        .where(OrganizationName.organization_id.in_(organization_ids))
        .order_by(OrganizationName.organization_id, OrganizationName.position)
    ):
        names.setdefault(organization_id, []).append(text)
    found: dict[int, list[Affiliation]] = {}
    for expert_id, organization_id, kind in links:
        found.setdefault(expert_id, []).append(Affiliation(kind, tuple(names.get(organization_id, ()))))
    return found


def _sources(
    session: Session, expert_ids: Sequence[int]
) -> list[tuple[int, ExpertRecord, list[Affiliation]]]:
    """What the documents of ``expert_ids`` are built from (missing experts are left out)."""
    records: dict[int, ExpertRecord] = read_experts(session, expert_ids)
    affiliations = affiliations_of(session, list(records))
    return [(expert_id, record, affiliations.get(expert_id, [])) for expert_id, record in records.items()]


def _build(sources: list[tuple[int, ExpertRecord, list[Affiliation]]]) -> list[ExpertDocument]:
    analyzer, tagger = default_analyzer(), default_tagger()
    return [build_document(i, record, affiliations, analyzer, tagger) for i, record, affiliations in sources]


# The session factory of a worker process (set once when the worker starts; each process has its own).
_worker_sessions: sessionmaker[Session] | None = None


def _start_worker(database_url: str) -> None:
    global _worker_sessions
    from expertbridge.db.engine import make_engine, session_factory
    from expertbridge.search.warm import quiet_collector

    quiet_collector()

    _worker_sessions = session_factory(make_engine(database_url))


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers come from a fork server, never from this process.

    This process has the index open, and tantivy's threads hold file locks (flock) on its files
    from time to time: a process forked while one is held keeps the lock for as long as it lives,
    and the next commit here waits for it forever.  The fork server is a fresh interpreter that
    never opens the index; it loads the analyser once (see search/warm.py), and each worker forks
    from it with the dictionaries already in memory.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["expertbridge.search.warm"])
    return context


def _read_and_build(expert_ids: list[int]) -> list[IndexEntry]:
    assert _worker_sessions is not None, "worker started without a session factory"
    with _worker_sessions() as session:
        sources = _sources(session, expert_ids)
    # Entries, not documents: they cost the writing process far less to take in (see index_entry).
    return [index_entry(document) for document in _build(sources)]


class _Builders:
    """Worker processes that read profiles and analyse them while this process writes the index.

    Reading and analysis are Python work and dominate indexing; the machine's cores share it.  Small
    updates (an edit through the API) are built in-process: starting workers would cost more.
    """

    def __init__(self, factory: sessionmaker[Session], workers: int):
        self.factory = factory
        self.workers = workers
        self.pool: Any = None

    def build(self, expert_ids: list[int]) -> Iterator[ExpertDocument | IndexEntry]:
        """The documents of the experts among ``expert_ids`` that exist, as they are finished.

        With workers, the work is handed to them at once (the caller may start the next batch
        while this one is still being written); otherwise it is done as the caller reads.
        """
        if self.workers < 2 or len(expert_ids) < PARALLEL_CHUNK:
            return self._build_here(expert_ids)
        if self.pool is None:  # started on the first large batch: a small catch-up needs none
            engine = self.factory.kw["bind"]
            self.pool = _worker_context().Pool(
                self.workers,
                initializer=_start_worker,
                initargs=(engine.url.render_as_string(hide_password=False),),
            )
        chunks = [
            expert_ids[start : start + PARALLEL_CHUNK] for start in range(0, len(expert_ids), PARALLEL_CHUNK)
        ]
        return chain.from_iterable(self.pool.imap(_read_and_build, chunks))

    def _build_here(self, expert_ids: list[int]) -> Iterator[ExpertDocument]:
        with self.factory() as session:
            yield from _build(_sources(session, expert_ids))

    def close(self, *, finish: bool = True) -> None:
        """Stop the workers, after the work handed to them (``finish``) or at once."""
        if self.pool is not None:
            if finish:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()


class _Batch(NamedTuple):
    """Outbox rows taken together, and the entries they call for."""

    outbox_ids: list[int]
    expert_ids: list[int]
    removed: list[int]
    documents: Iterator[ExpertDocument | IndexEntry]


def _next_batch(factory: sessionmaker[Session], builders: _Builders, size: int, after: int) -> _Batch | None:
    """The outbox rows after outbox id ``after`` (at most ``size``), their documents under way."""
    with factory() as session:
        rows = pending(session, size, after)
        if not rows:
            return None
        expert_ids = list(dict.fromkeys(entity_id for _, kind, entity_id in rows if kind == "expert"))
        existing = set(session.scalars(select(Expert.id).where(Expert.id.in_(expert_ids))))
    return _Batch(
        outbox_ids=[outbox_id for outbox_id, _, _ in rows],
        expert_ids=expert_ids,
        removed=[i for i in expert_ids if i not in existing],
        documents=builders.build([i for i in expert_ids if i in existing]),
    )


def sync(
    factory: sessionmaker[Session],
    index: ExpertIndex,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int = 1,
) -> int:
    """Apply every pending outbox row; returns how many entries were rewritten.

    ``workers`` > 1 analyses large batches in that many processes (a rebuild, a big import).  Each
    batch is one commit, after which its outbox rows are forgotten; while it is written and
    committed, the workers already analyse the next one.
    """
    applied = 0
    builders = _Builders(factory, workers)
    size = BATCH * workers
    try:
        batch = _next_batch(factory, builders, size, after=0)
        if batch is None:
            return 0
        with index.writing() as writing:
            while batch is not None:
                following = _next_batch(factory, builders, size, after=batch.outbox_ids[-1])
                # Documents stream from the workers into the index writer while they are built.
                writing.write(batch.documents, removed=batch.removed)
                with factory() as session, session.begin():
                    done(session, batch.outbox_ids)
                applied += len(batch.expert_ids)
                if progress is not None:
                    progress(applied)
                batch = following
    except BaseException:
        builders.close(finish=False)  # the work queued for the next batch is of no use now
        raise
    builders.close()
    return applied


def rebuild(factory: sessionmaker[Session], index: ExpertIndex, *, workers: int = 1) -> int:
    """Empty the index and index every expert again."""
    index.clear()
    with factory() as session, session.begin():
        enqueue_all_experts(session)
    return sync(factory, index, workers=workers)

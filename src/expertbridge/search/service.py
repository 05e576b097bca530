"""Opening the search index for a deployment and keeping it in step with the database."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry.experts import read_experts
from expertbridge.registry.outbox import enqueue_all_experts, has_pending
from expertbridge.registry.visibility import Viewer, expert_for
from expertbridge.search.experts import profile_text
from expertbridge.search.index import ExpertIndex
from expertbridge.search.semantic import Reranking, SemanticReranker
from expertbridge.search.sync import sync
from expertbridge.settings import Settings

log = logging.getLogger("expertbridge.search")


def open_index(settings: Settings) -> ExpertIndex:
    """The deployment's index, created when missing."""
    return ExpertIndex(settings.index_dir)


def catch_up(factory: sessionmaker[Session], index: ExpertIndex, *, workers: int = 1) -> int:
    """Apply pending outbox rows, unless another process is writing the index right now.

    Returns how many entries were rewritten; ``workers`` > 1 analyses large backlogs in that many
    processes.  A busy index is not an error: the rows stay in the
    outbox and the next call, or the writing process, applies them.
    """
    if index.needs_refill:
        with factory() as session, session.begin():
            enqueue_all_experts(session)
        index.needs_refill = False
    with factory() as session:
        if not has_pending(session):
            return 0
    try:
        return sync(factory, index, workers=workers)
    except ValueError as error:  # tantivy reports a held writer lock as ValueError
        log.warning("search index busy, will catch up later: %s", error)
        return 0


def open_reranker(settings: Settings) -> SemanticReranker | None:
    """The deployment's semantic re-ranker, or None when none is configured (the default).

    Raises SemanticModelError with what to fix when the configured folder cannot be used.
    """
    if settings.semantic_model is None:
        return None
    return SemanticReranker.load(settings.semantic_model, settings.semantic_weight)


def reranking_for(reranker: SemanticReranker | None, session: Session, viewer: Viewer) -> Reranking | None:
    """Re-ranking that reads candidates' profiles as ``viewer`` may see them (hidden fields never
    influence the order)."""
    if reranker is None:
        return None

    def texts(expert_ids: list[int]) -> dict[int, str]:
        records = read_experts(session, expert_ids)
        return {expert_id: profile_text(expert_for(viewer, record)) for expert_id, record in records.items()}

    return Reranking(reranker, texts)

"""Opening the search index for a deployment and keeping it in step with the database."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry.outbox import has_pending
from expertbridge.search.index import ExpertIndex
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
    with factory() as session:
        if not has_pending(session):
            return 0
    try:
        return sync(factory, index, workers=workers)
    except ValueError as error:  # tantivy reports a held writer lock as ValueError
        log.warning("search index busy, will catch up later: %s", error)
        return 0

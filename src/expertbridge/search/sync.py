"""Apply the outbox to the search index: after each commit, at start-up, and for a full rebuild."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import ExpertAffiliation, Organization, OrganizationName
from expertbridge.registry.experts import read_experts
from expertbridge.registry.outbox import done, enqueue_all_experts, pending
from expertbridge.registry.records import ExpertRecord
from expertbridge.search.document import Affiliation, ExpertDocument, build_document, name_entry
from expertbridge.search.index import ExpertIndex
from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger

BATCH = 5000
log = logging.getLogger("expertbridge.search")


def entry(expert_id: int, status: str, names: Sequence[tuple[str, bool]]) -> ExpertDocument:
    """A names-only index entry (see :func:`expertbridge.search.document.name_entry`)."""
    return name_entry(expert_id, status, names)


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


def documents(session: Session, expert_ids: Sequence[int]) -> dict[int, ExpertDocument]:
    """The index documents of the experts ``expert_ids`` that exist."""
    records: dict[int, ExpertRecord] = read_experts(session, expert_ids)
    affiliations = affiliations_of(session, list(records))
    analyzer, tagger = default_analyzer(), default_tagger()
    return {
        expert_id: build_document(expert_id, record, affiliations.get(expert_id, []), analyzer, tagger)
        for expert_id, record in records.items()
    }


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
            built = documents(session, expert_ids)
        index.write(built.values(), removed=[expert_id for expert_id in expert_ids if expert_id not in built])
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

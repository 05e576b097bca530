"""Applying the outbox in batches: each batch is one commit, a failed batch leaves nothing half
done, and what failed is applied by the next catch-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, IndexOutbox
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.visibility import OPERATOR
from expertbridge.search import sync as sync_module
from expertbridge.search.document import ExpertDocument
from expertbridge.search.experts import ExpertFilters, list_experts
from expertbridge.search.index import ExpertIndex
from tests.helpers import write_csv
from tests.search.test_search import EXPERTS


def imported(factory: sessionmaker[Session], data_dir: Path) -> list[int]:
    Importer(factory, ImportOptions(parallel=False)).run("experts", write_csv(data_dir / "a.csv", EXPERTS))
    with factory() as session:
        return list(session.scalars(select(Expert.id).order_by(Expert.id)))


def pending_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(IndexOutbox)) or 0)


def listed(index: ExpertIndex) -> list[int]:
    return sorted(list_experts(index, OPERATOR, ExpertFilters(), per_page=50).ids)


def test_a_failing_batch_keeps_the_earlier_ones_and_is_applied_later(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = imported(factory, data_dir)
    monkeypatch.setattr(sync_module, "BATCH", 2)
    real_build = sync_module.build_document
    broken = ids[2]  # in the second batch

    def build_document(expert_id: int, *args: object, **kwargs: object) -> ExpertDocument:
        if expert_id == broken:
            raise RuntimeError("analysis failed")
        return real_build(expert_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_module, "build_document", build_document)
    index = ExpertIndex(tmp_path / "index")
    with pytest.raises(RuntimeError, match="analysis failed"):
        sync_module.sync(factory, index)
    # The first batch is in the index and out of the outbox; the second left no trace.
    assert listed(index) == ids[:2]
    assert pending_count(factory) == len(ids) - 2
    # The writer was given up: the next catch-up writes, and applies what was left.
    monkeypatch.setattr(sync_module, "build_document", real_build)
    assert sync_module.sync(factory, index) == len(ids) - 2
    assert listed(index) == ids
    assert pending_count(factory) == 0


def test_one_writer_commits_each_batch_and_a_failed_one_is_rolled_back(tmp_path: Path) -> None:
    index = ExpertIndex(tmp_path / "index")
    first = ExpertDocument(id=1, status="approved", name_keys=frozenset(), names=(("Орлов Пётр", False),))

    def failing() -> Iterator[ExpertDocument]:
        yield ExpertDocument(id=2, status="approved", name_keys=frozenset(), names=(("Ван Лэй", False),))
        raise OSError("disk full")

    with pytest.raises(OSError), index.writing() as writing:
        writing.write([first], removed=[])
        writing.write(failing(), removed=[1])
    assert listed(index) == [1]
    index.write([], removed=[1])  # the lock is free again
    assert listed(index) == []


def test_a_rebuild_analyses_each_expert_once_whatever_was_waiting(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An import that was not indexed yet left a row per expert in the outbox; a rebuild enqueues
    # every expert again, and the rows of one expert fall into different batches.
    ids = imported(factory, data_dir)
    assert pending_count(factory) == len(ids)
    monkeypatch.setattr(sync_module, "BATCH", 2)
    built: list[int] = []
    real_build = sync_module.build_document

    def build_document(expert_id: int, *args: object, **kwargs: object) -> ExpertDocument:
        built.append(expert_id)
        return real_build(expert_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_module, "build_document", build_document)
    index = ExpertIndex(tmp_path / "index")
    assert sync_module.rebuild(factory, index) == len(ids)
    assert sorted(built) == ids
    assert listed(index) == ids
    assert pending_count(factory) == 0

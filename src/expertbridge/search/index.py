"""The expert search index: an embedded tantivy index derived from the database.

It holds, per expert the public may look for, the name keys of every name (see
:mod:`expertbridge.names.keys`) and the names themselves for rescoring.  The database stays the
single source of truth: the index is rebuilt from the outbox (:mod:`expertbridge.search.sync`)
and can be deleted at any time.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tantivy

SCHEMA_VERSION = "2"
WRITER_HEAP = 64_000_000


@dataclass(frozen=True)
class IndexedExpert:
    """What the index keeps of one expert."""

    id: int
    status: str
    name_keys: frozenset[str]
    names: tuple[tuple[str, bool], ...]  # (text, generated)


@dataclass(frozen=True)
class Candidate:
    """An expert sharing name keys with a query, with its names for rescoring."""

    id: int
    key_score: float
    names: tuple[tuple[str, bool], ...]


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("status", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("name_keys", tokenizer_name="raw", index_option="freq")
    builder.add_text_field("names", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


class ExpertIndex:
    """The on-disk index in one folder; recreated empty when its schema version changed."""

    def __init__(self, path: Path):
        self.path = path
        self.schema = _schema()
        marker = path / "expertbridge-schema"
        if path.exists() and (not marker.exists() or marker.read_text() != SCHEMA_VERSION):
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        marker.write_text(SCHEMA_VERSION)

    def write(self, experts: Iterable[IndexedExpert], removed: Iterable[int]) -> None:
        """Replace the entries of ``experts`` and delete those of ``removed``, in one commit."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            for expert_id in removed:
                writer.delete_documents_by_term("id", expert_id)
            for expert in experts:
                writer.delete_documents_by_term("id", expert.id)
                document = tantivy.Document()
                document.add_integer("id", expert.id)
                document.add_text("status", expert.status)
                for key in sorted(expert.name_keys):
                    document.add_text("name_keys", key)
                document.add_text("names", json.dumps(expert.names, ensure_ascii=False))
                writer.add_document(document)
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise

    def clear(self) -> None:
        """Remove every entry (before a full rebuild)."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()

    def count(self) -> int:
        """How many experts the index holds."""
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def name_candidates(
        self, keys: Iterable[str], statuses: tuple[str, ...] | None, limit: int
    ) -> list[Candidate]:
        """Experts sharing the most (and rarest) keys with a name, among ``statuses``."""
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "name_keys", key))
            for key in sorted(set(keys))
        ]
        if not clauses:
            return []
        query = tantivy.Query.boolean_query(clauses)
        if statuses is not None:
            allowed = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "status", s)) for s in statuses]
            )
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, allowed)])
        self.index.reload()
        searcher = self.index.searcher()
        found = []
        for score, address in searcher.search(query, limit).hits:
            document = searcher.doc(address)
            names = tuple((text, bool(generated)) for text, generated in json.loads(document["names"][0]))
            found.append(Candidate(int(document["id"][0]), float(score), names))
        return found

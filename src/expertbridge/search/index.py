"""The expert search index: an embedded tantivy index derived from the database.

Per expert it holds the analysed text of the profile (see :mod:`expertbridge.text.analyze`), the
concepts the profile mentions, the name keys of every name (see :mod:`expertbridge.names.keys`) with
the names for rescoring, and the values that lists are filtered and counted by.  The database stays
the single source of truth: the index is fed from the outbox (:mod:`expertbridge.search.sync`) and
can be deleted and rebuilt at any time.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from expertbridge.registry.visibility import LEVELS
from expertbridge.search.document import ExpertDocument, leveled

SCHEMA_VERSION = "4"
WRITER_HEAP = 128_000_000
WRITER_THREADS = 2
# Commits by other processes (a command-line import) become visible within this many seconds.
RELOAD_AFTER = 1.0
# Analysed text, one space-separated term list per field (the analysis happens in Python).
TEXT_FIELDS = ("keywords", "bio", "organization")
CONCEPT_FIELDS = ("concepts", "broader")
# Exact values that lists are filtered by and counted by (facets).  Status is always visible; the
# others come from profile fields whose visibility the expert chooses.
FACET_FIELDS = ("city", "country", "area", "subsector", "organization_type", "language")
# Every one of these exists once per visibility level (see search.document.leveled).
LEVELED_FIELDS = (*TEXT_FIELDS, *CONCEPT_FIELDS, *FACET_FIELDS)


@dataclass(frozen=True)
class Candidate:
    """An expert sharing name keys with a query, with its names for rescoring."""

    id: int
    key_score: float
    names: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Hits:
    """A ranked page of experts and how many matched in all."""

    ranked: list[tuple[int, float]]
    total: int


_SPACE_SEPARATED = frozenset(
    leveled(name, level) for name in (*TEXT_FIELDS, *CONCEPT_FIELDS) for level in LEVELS
)


def _count(result: tantivy.SearchResult) -> int:
    # The type stubs of tantivy lack SearchResult.count, which search(count=True) fills in.
    return int(getattr(result, "count", 0) or 0)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("name_keys", tokenizer_name="raw", index_option="freq")
    builder.add_text_field("names", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("status", tokenizer_name="raw", index_option="basic", fast=True)
    for level in LEVELS:
        for name in (*TEXT_FIELDS, *CONCEPT_FIELDS):
            builder.add_text_field(leveled(name, level), tokenizer_name="whitespace", index_option="freq")
        for name in FACET_FIELDS:
            builder.add_text_field(
                leveled(name, level), tokenizer_name="raw", index_option="basic", fast=True
            )
    return builder.build()


class ExpertIndex:
    """The on-disk index in one folder (or in memory); recreated empty when its schema changed."""

    def __init__(self, path: Path | None):
        self.path = path
        self.schema = _schema()
        self._stale, self._reloaded = True, 0.0
        if path is None:
            self.index = tantivy.Index(self.schema)
            return
        marker = path / "expertbridge-schema"
        if path.exists() and (not marker.exists() or marker.read_text() != SCHEMA_VERSION):
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        marker.write_text(SCHEMA_VERSION)

    def _searcher(self) -> tantivy.Searcher:
        """A searcher that sees every commit of this process, and those of others within a second."""
        now = time.monotonic()
        if self._stale or now - self._reloaded > RELOAD_AFTER:
            self.index.reload()
            self._stale, self._reloaded = False, now
        return self.index.searcher()

    def write(
        self, documents: Iterable[ExpertDocument], removed: Iterable[int], *, new: bool = False
    ) -> None:
        """Replace the entries of ``documents`` and delete those of ``removed``, in one commit.

        ``documents`` may be a stream (it is consumed as it comes, while others produce it);
        ``new``: the documents are known not to be in the index (a rebuild after clear()).
        """
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
        try:
            for expert_id in removed:
                writer.delete_documents_by_term("id", expert_id)
            for document in documents:
                if not new:
                    writer.delete_documents_by_term("id", document.id)
                writer.add_document(self._tantivy_document(document))
            writer.commit()
            writer.wait_merging_threads()
            self._stale = True
        except BaseException:
            writer.rollback()
            raise

    @staticmethod
    def _tantivy_document(document: ExpertDocument) -> tantivy.Document:
        entry = tantivy.Document()
        entry.add_integer("id", document.id)
        for key in sorted(document.name_keys):
            entry.add_text("name_keys", key)
        entry.add_text("names", json.dumps(document.names, ensure_ascii=False))
        entry.add_text("status", document.status)
        for name, values in document.fields.items():
            if name in _SPACE_SEPARATED:
                entry.add_text(name, " ".join(values))
            else:
                for value in values:
                    entry.add_text(name, value)
        return entry

    def clear(self) -> None:
        """Remove every entry (before a full rebuild)."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        self._stale = True

    def count(self) -> int:
        """How many experts the index holds."""
        return int(self._searcher().num_docs)

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
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, self.any_of("status", statuses))]
            )
        searcher = self._searcher()
        found = []
        for score, address in searcher.search(query, limit).hits:
            document = searcher.doc(address)
            names = tuple((text, bool(generated)) for text, generated in json.loads(document["names"][0]))
            found.append(Candidate(int(document["id"][0]), float(score), names))
        return found

    def any_of(self, field_name: str, values: Iterable[str]) -> tantivy.Query:
        """Documents with any of ``values`` in an exact-value field."""
        return tantivy.Query.term_set_query(self.schema, field_name, sorted(set(values)))

    def with_ids(self, ids: Iterable[int]) -> tantivy.Query:
        """Documents of the experts ``ids``."""
        return tantivy.Query.term_set_query(self.schema, "id", sorted(set(ids)))

    def search(self, query: tantivy.Query, limit: int, *, offset: int = 0, newest: bool = False) -> Hits:
        """The best ``limit`` experts after ``offset`` (or the newest, by id), and the total count."""
        searcher = self._searcher()
        if limit <= 0:
            result = searcher.search(query, 1, count=True)
            return Hits([], _count(result))
        if newest:
            result = searcher.search(query, limit, count=True, offset=offset, order_by_field="id")
            ranked = [(int(key), 0.0) for key, _address in result.hits]
        else:
            result = searcher.search(query, limit, count=True, offset=offset)
            ranked = [(int(searcher.doc(address)["id"][0]), float(score)) for score, address in result.hits]
        return Hits(ranked, _count(result))

    def facets(
        self, query: tantivy.Query, fields: Iterable[str], levels: Iterable[str] = LEVELS[:1], size: int = 20
    ) -> tuple[dict[str, list[tuple[str, int]]], int]:
        """How many matching experts have each value of ``fields`` (most frequent first), and the
        number of matching experts, in one pass over the matches.

        Values are counted in the copies of each field at ``levels`` (what the viewer may see);
        every expert's value sits at exactly one level, so the counts add up.
        """
        wanted = list(fields)
        request: dict[str, Any] = {
            leveled(name, level): {"terms": {"field": leveled(name, level), "size": size}}
            for name in wanted
            for level in (("public",) if name == "status" else levels)
        }
        request["_total"] = {"value_count": {"field": "id"}}
        answer: dict[str, Any] = self._searcher().aggregate(query, request)
        total = int(answer["_total"]["value"] or 0)
        counts: dict[str, list[tuple[str, int]]] = {}
        for name in wanted:
            merged: dict[str, int] = {}
            for level in ("public",) if name == "status" else levels:
                for bucket in answer[leveled(name, level)]["buckets"]:
                    key = str(bucket["key"])
                    merged[key] = merged.get(key, 0) + int(bucket["doc_count"])
            counts[name] = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:size]
        return counts, total

    def any_value(self, field_name: str, values: Iterable[str], levels: Iterable[str]) -> tantivy.Query:
        """Documents with any of ``values`` in ``field_name`` at any of ``levels``."""
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self.any_of(leveled(field_name, level), values)) for level in levels]
        )

"""The expert search index: an embedded tantivy index derived from the database.

Per expert it holds the analysed text of the profile (see :mod:`expertbridge.text.analyze`), the
concepts the profile mentions, the name keys of every name (see :mod:`expertbridge.names.keys`) with
the names for rescoring, and the values that lists are filtered and counted by.  The database stays
the single source of truth: the index is fed from the outbox (:mod:`expertbridge.search.sync`) and
can be deleted and rebuilt at any time.
"""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import orjson
import tantivy

from expertbridge.registry.visibility import LEVELS
from expertbridge.registry.vocab import EXPERT_STATUSES
from expertbridge.search.document import ExpertDocument, leveled

SCHEMA_VERSION = "7"
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
# Every facet value once more in one field per level, as "name<FACET_JOIN>value": the facets of a
# page are then one aggregation over one column instead of one per field (a third faster).
FACET_COLUMN = "facet"
FACET_JOIN = "\x1f"
# Contact items (see search.document.contact_key), matched whole, never counted.
CONTACT_FIELD = "contact"
# Every one of these exists once per visibility level (see search.document.leveled).
LEVELED_FIELDS = (*TEXT_FIELDS, *CONCEPT_FIELDS, *FACET_FIELDS, CONTACT_FIELD)


# A clause of a boolean index query: a filter that must hold, or one that must not.
Clause = tuple[tantivy.Occur, tantivy.Query]


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


# Index field of a facet → (the combined column of its level, the prefix its values take there).
_FACET_COLUMNS = {
    leveled(name, level): (leveled(FACET_COLUMN, level), name + FACET_JOIN)
    for name in FACET_FIELDS
    for level in LEVELS
}
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
    # Kept for rescoring name matches, never searched: a stored bytes field, not a text field
    # (every expert's names as one more term of the dictionary cost a fifth of the index writes).
    builder.add_bytes_field("names", stored=True, indexed=False, fast=False)
    builder.add_text_field("status", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("side", tokenizer_name="raw", index_option="basic")
    for level in LEVELS:
        for name in (*TEXT_FIELDS, *CONCEPT_FIELDS):
            builder.add_text_field(leveled(name, level), tokenizer_name="whitespace", index_option="freq")
        for name in FACET_FIELDS:
            # Filtered by term; counted through the facet column, so not a column of their own.
            builder.add_text_field(leveled(name, level), tokenizer_name="raw", index_option="basic")
        builder.add_text_field(leveled(CONTACT_FIELD, level), tokenizer_name="raw", index_option="basic")
        builder.add_text_field(
            leveled(FACET_COLUMN, level), tokenizer_name="raw", index_option="basic", fast=True
        )
    return builder.build()


class IndexEntry(NamedTuple):
    """An expert's document as the index writer takes it: the id and the fields as JSON."""

    id: int
    json: str


def index_entry(document: ExpertDocument) -> IndexEntry:
    """The entry of ``document``.

    Worker processes send entries rather than documents: one string is a hundredth of the work to
    pass between processes, and the writer parses it in Rust.  Measured on 20,000 profiles: the
    writing process spends 23 µs a document instead of 83 (unpickling, then building a document
    field by field).
    """
    fields: dict[str, Any] = {
        "id": document.id,
        "name_keys": list(document.name_keys),
        "names": base64.b64encode(orjson.dumps(document.names)).decode(),  # bytes go in as base64
        # A status outside the vocabulary would escape the exclusions of status_clause: it is
        # indexed as a draft, which nobody but the operator lists.
        "status": document.status if document.status in EXPERT_STATUSES else "draft",
    }
    for name, values in document.fields.items():
        fields[name] = " ".join(values) if name in _SPACE_SEPARATED else list(values)
        if name in _FACET_COLUMNS:
            column, prefix = _FACET_COLUMNS[name]
            fields.setdefault(column, []).extend(prefix + value for value in values)
    # orjson: a profile's entry is a few kilobytes, and the standard encoder took a tenth of the
    # analysis workers' time writing it (measured: 37 µs a profile).
    return IndexEntry(document.id, orjson.dumps(fields).decode())


class ExpertIndex:
    """The on-disk index in one folder (or in memory); recreated empty when its schema changed."""

    def __init__(self, path: Path | None):
        self.path = path
        self.schema = _schema()
        self._stale, self._reloaded = True, 0.0
        # Whether this index was just made empty (a new folder, or a new schema) while the database
        # may hold experts: the next catch-up indexes every expert (search/service.py).
        self.needs_refill = False
        if path is None:
            self.index = tantivy.Index(self.schema)
            return
        marker = path / "expertbridge-schema"
        if path.exists() and (not marker.exists() or marker.read_text() != SCHEMA_VERSION):
            shutil.rmtree(path)
        self.needs_refill = not path.exists()
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
        self, documents: Iterable[ExpertDocument | IndexEntry], removed: Iterable[int], *, new: bool = False
    ) -> None:
        """Replace the entries of ``documents`` and delete those of ``removed``, in one commit
        (see :meth:`IndexWriting.write`)."""
        with self.writing() as writing:
            writing.write(documents, removed, new=new)

    @contextmanager
    def writing(self) -> Iterator[IndexWriting]:
        """One writer for several commits (a rebuild, a large catch-up), closed at the end.

        Segment merges then run in the background while the next batches are written, instead of
        being waited for after each commit.  While it is open, no other process can write.
        """
        writing = IndexWriting(self, self.index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS))
        try:
            yield writing
        finally:
            writing.close()

    def clear(self) -> None:
        """Remove every entry (before a full rebuild)."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        self.written()

    def written(self) -> None:
        """Note a write of this process: the next search sees it."""
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
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), self.status_clause(statuses)])
        searcher = self._searcher()
        found = []
        for score, address in searcher.search(query, limit).hits:
            document = searcher.doc(address)
            names = tuple((text, bool(generated)) for text, generated in orjson.loads(document["names"][0]))
            found.append(Candidate(int(document["id"][0]), float(score), names))
        return found

    def status_clause(self, statuses: Iterable[str]) -> Clause:
        """A clause keeping the experts whose status is one of ``statuses``.

        Written as the exclusion of the other statuses: nearly every expert of a registry is
        approved, and intersecting a query with "approved" costs more than the query itself,
        while excluding the few others is nearly free (11.6 → 4.8 ms for 研究 at 1M).
        """
        visible = set(statuses)
        others = [status for status in EXPERT_STATUSES if status not in visible]
        if not others:
            return (tantivy.Occur.Must, tantivy.Query.all_query())
        return (tantivy.Occur.MustNot, self.any_of("status", others))

    def any_of(self, field_name: str, values: Iterable[str]) -> tantivy.Query:
        """Documents with any of ``values`` in an exact-value field."""
        return tantivy.Query.term_set_query(self.schema, field_name, sorted(set(values)))

    def with_ids(self, ids: Iterable[int]) -> tantivy.Query:
        """Documents of the experts ``ids``."""
        return tantivy.Query.term_set_query(self.schema, "id", sorted(set(ids)))

    def search(
        self, query: tantivy.Query, limit: int, *, offset: int = 0, newest: bool = False, count: bool = True
    ) -> Hits:
        """The best ``limit`` experts after ``offset`` (or the newest, by id), and the total count.

        ``count=False`` leaves the total at 0: counting visits every match, which a caller that
        counts elsewhere (with the facets) need not pay twice.
        """
        searcher = self._searcher()
        if limit <= 0:
            result = searcher.search(query, 1, count=True)
            return Hits([], _count(result))
        if newest:
            result = searcher.search(query, limit, count=count, offset=offset, order_by_field="id")
            ranked = [(int(key), 0.0) for key, _address in result.hits]
        else:
            result = searcher.search(query, limit, count=count, offset=offset)
            ranked = [(int(searcher.doc(address)["id"][0]), float(score)) for score, address in result.hits]
        return Hits(ranked, _count(result))

    def facets(
        self,
        query: tantivy.Query,
        fields: Iterable[str],
        levels: Iterable[str] = LEVELS[:1],
        size: int = 20,
        *,
        count: bool = True,
    ) -> tuple[dict[str, list[tuple[str, int]]], int | None]:
        """How many matching experts have each value of ``fields`` (most frequent first), and the
        number of matching experts (None unless ``count``), in one pass over the matches.

        Values are counted in the copies of each field at ``levels`` (what the viewer may see);
        every expert's value sits at exactly one level, so the counts add up.
        """
        wanted = list(fields)
        levels = tuple(levels)
        request: dict[str, Any] = {
            leveled(FACET_COLUMN, level): {"terms": {"field": leveled(FACET_COLUMN, level), "size": 100_000}}
            for level in levels
        }
        if "status" in wanted:
            request["status"] = {"terms": {"field": "status", "size": size}}
        if count:
            request["_total"] = {"value_count": {"field": "id"}}
        answer: dict[str, Any] = self._searcher().aggregate(query, request)
        total = int(answer["_total"]["value"] or 0) if count else None
        merged: dict[str, dict[str, int]] = {name: {} for name in wanted}
        buckets = [bucket for level in levels for bucket in answer[leveled(FACET_COLUMN, level)]["buckets"]]
        for bucket in buckets:
            name, _, value = str(bucket["key"]).partition(FACET_JOIN)
            if name in merged:
                merged[name][value] = merged[name].get(value, 0) + int(bucket["doc_count"])
        for bucket in answer.get("status", {}).get("buckets", []):
            merged["status"][str(bucket["key"])] = int(bucket["doc_count"])
        counts = {
            name: sorted(values.items(), key=lambda item: (-item[1], item[0]))[:size]
            for name, values in merged.items()
        }
        return counts, total

    def any_value(self, field_name: str, values: Iterable[str], levels: Iterable[str]) -> tantivy.Query:
        """Documents with any of ``values`` in ``field_name`` at any of ``levels``."""
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self.any_of(leveled(field_name, level), values)) for level in levels]
        )


class IndexWriting:
    """An open writer of an :class:`ExpertIndex` (see :meth:`ExpertIndex.writing`)."""

    def __init__(self, index: ExpertIndex, writer: tantivy.IndexWriter):
        self._index = index
        self._writer = writer

    def write(
        self, documents: Iterable[ExpertDocument | IndexEntry], removed: Iterable[int], *, new: bool = False
    ) -> None:
        """Replace the entries of ``documents`` and delete those of ``removed``, in one commit: on
        any error nothing of this call is kept (earlier commits are).

        ``documents`` may be a stream (it is consumed as it comes, while others produce it), of
        documents or of their entries (see :func:`index_entry`: worker processes send those);
        ``new``: the documents are known not to be in the index (a rebuild after clear()).
        """
        writer = self._writer
        try:
            for expert_id in removed:
                writer.delete_documents_by_term("id", expert_id)
            for document in documents:
                entry = document if isinstance(document, IndexEntry) else index_entry(document)
                if not new:
                    writer.delete_documents_by_term("id", entry.id)
                writer.add_json(entry.json)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            self._index.written()

    def close(self) -> None:
        """Wait for the background merges and give the writer up."""
        self._writer.wait_merging_threads()

"""Expert search speed at scale: index build rate and query latency with facets.

Generates N synthetic experts with the demo generator (names in Russian or Chinese with their
generated renderings, expertise keywords and biographies in one to three languages, drawn from the
vocabulary of the 57 sub-sectors), builds their index documents in worker processes and writes them
to a tantivy index, then runs Q queries through the product's search (``list_experts`` for the
public, with facet counts) and prints the median and p95 latency.

The index build rate counts analysis (segmentation, lemmatisation, stemming, concept tagging, name
keys) and index writes, as a rebuild does them: worker processes load the records, analyse them and
send index entries to the writing process, which commits every 10,000 while the workers go on.
Preparing the records (what the database would hold: files of 500 records, written before the
clock starts) is not counted; loading them in the workers is.  The rate of the index writes alone
(20,000 entries built beforehand) is printed too.

Usage: python bench/search_experts.py --experts 1000000 --queries 1000 [--workers 2] [--seed 3]
       python bench/search_experts.py --analysis-only 6000   # one core's analysis time per profile
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import pickle
import random
import resource
import shutil
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from expertbridge.demo.generate import iter_experts
from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.experts import ExpertRowReader
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import PUBLIC
from expertbridge.search.document import Affiliation, ExpertDocument, build_document
from expertbridge.search.experts import ExpertFilters, list_experts
from expertbridge.search.index import ExpertIndex, IndexEntry, index_entry
from expertbridge.search.warm import quiet_collector
from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger, load_concepts

# Experts per commit and per task of a worker, as a rebuild with two workers (search/sync.py).
BATCH = 10_000
CHUNK = 500
BROAD_WORDS = [
    "система",
    "управление",
    "研究",
    "技术",
    "数据",
    "technology",
    "data",
    "energy",
    "城市",
    "health",
]


def _records(rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, ExpertRecord, list[Affiliation]]]:
    reader = ExpertRowReader(load_taxonomy())
    found = []
    for number, row in rows:
        record = reader.read(RowCells(number, row))
        if record is not None:
            organization = (
                [Affiliation("research_institute", (record.organization,))] if record.organization else []
            )
            found.append((number, record, organization))
    return found


def _documents(sources: list[tuple[int, ExpertRecord, list[Affiliation]]]) -> list[ExpertDocument]:
    analyzer, tagger = default_analyzer(), default_tagger()
    return [
        build_document(i, record, organizations, analyzer, tagger) for i, record, organizations in sources
    ]


def _stored_records(rows: list[tuple[int, dict[str, str]]]) -> bytes:
    # Records as a worker would read them from the database: kept serialised until the timed
    # build, so that the writing process only passes them on (in the product it passes ids).
    return pickle.dumps(_records(rows), protocol=pickle.HIGHEST_PROTOCOL)


def _store_chunk(job: tuple[Path, list[tuple[int, dict[str, str]]]]) -> Path:
    path, rows = job
    path.write_bytes(_stored_records(rows))
    return path


def _entries(stored: bytes) -> list[IndexEntry]:
    # What the product's workers do (search/sync.py): load the records, analyse them, and send
    # back index entries.
    return [index_entry(document) for document in _documents(pickle.loads(stored))]


def _entries_of_chunk(path: Path) -> list[IndexEntry]:
    return _entries(path.read_bytes())


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_workers(workers: int) -> Any:
    """The worker processes, forked before any index is open (see search/sync.py on why)."""
    default_analyzer(), default_tagger()  # loaded before the fork, shared by the workers
    return multiprocessing.get_context("fork").Pool(workers, initializer=quiet_collector)


def store_records(experts: int, seed: int, folder: Path, pool: Any) -> list[Path]:
    """The records of ``experts`` generated experts in files of CHUNK records (not timed): what
    the workers of a rebuild read from the database."""
    rows = iter_experts(experts, seed)
    jobs = (
        (folder / f"records-{number:05d}.pickle", [(start + n + 1, row) for n, row in enumerate(chunk)])
        for number, (start, chunk) in enumerate(
            (start, list(itertools.islice(rows, CHUNK))) for start in range(0, experts, CHUNK)
        )
    )
    return list(pool.imap(_store_chunk, jobs))


def build_index(index: ExpertIndex, chunks: list[Path], pool: Any) -> float:
    """Fill ``index`` from the stored records; returns the seconds it took.

    As in a rebuild (search/sync.py): the workers read and analyse while the writing process
    writes, one commit every BATCH experts, and the merges finish before the clock stops.
    """
    started = time.perf_counter()
    try:
        entries = pool.imap(_entries_of_chunk, chunks)
        with index.writing() as writing:
            for done in range(0, len(chunks), BATCH // CHUNK):
                batch = itertools.islice(entries, BATCH // CHUNK)
                writing.write(itertools.chain.from_iterable(batch), removed=[], new=True)
                print(f"  indexed {min(done + BATCH // CHUNK, len(chunks)) * CHUNK:,}", flush=True)
    finally:
        pool.close()
        pool.join()
    return time.perf_counter() - started


def write_rate(experts: int, seed: int) -> float:
    """Experts a second written into an empty index when their entries are already built: the
    index's own share of a build (the rest is analysis)."""
    rows = [(n + 1, row) for n, row in zip(range(experts), iter_experts(experts, seed), strict=False)]
    entries = _entries(_stored_records(rows))
    with tempfile.TemporaryDirectory() as folder:
        index = ExpertIndex(Path(folder) / "index")
        started = time.perf_counter()
        index.write(iter(entries), removed=[], new=True)
        return len(entries) / (time.perf_counter() - started)


def analysis_time(experts: int, seed: int) -> float:
    """Microseconds of one core per profile to load, analyse and encode it (what each worker of a
    build does), with the caches warmed by as many profiles first (a registry's vocabulary and
    common names are known after the first few thousand).  Uses only what every version of the
    package has, so that it can be run against an older checkout (PYTHONPATH) for a comparison."""
    rows = [(n + 1, row) for n, row in zip(range(2 * experts), iter_experts(2 * experts, seed), strict=False)]
    _entries(_stored_records(rows[:experts]))
    stored = [_stored_records(rows[start : start + CHUNK]) for start in range(experts, 2 * experts, CHUNK)]
    quiet_collector()
    started = time.perf_counter()
    for chunk in stored:
        _entries(chunk)
    return (time.perf_counter() - started) / experts * 1e6


def queries(count: int, seed: int) -> list[str]:
    """A mix of what people type: concept names, keyword pairs, broad words, whole requests."""
    rng = random.Random(seed)
    concepts = list(load_concepts().values())
    with resources.files("expertbridge.data.demo").joinpath("vocabulary.json").open(encoding="utf-8") as file:
        vocabulary = json.load(file)["keywords"]
    keywords = [word for lists in vocabulary.values() for words in lists.values() for word in words]
    collection = (
        Path(__file__).resolve().parent.parent / "tests" / "data" / "search_collection" / "topics.jsonl"
    )
    requests = [
        text
        for line in collection.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for text in json.loads(line)["texts"].values()
    ]
    found = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.4:
            found.append(rng.choice(concepts).label(rng.choice(("ru", "zh", "en"))))
        elif kind < 0.7:
            found.append(f"{rng.choice(keywords)} {rng.choice(keywords)}")
        elif kind < 0.9:
            found.append(rng.choice(BROAD_WORDS))
        else:
            found.append(rng.choice(requests))
    return found


def measure(index: ExpertIndex, texts: list[str], with_facets: bool) -> list[float]:
    """Latency of each query in milliseconds."""
    latencies = []
    for text in texts:
        started = time.perf_counter()
        list_experts(index, PUBLIC, ExpertFilters(query=text), per_page=20, with_facets=with_facets)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--index-dir", type=Path, help="keep the index here and reuse it on the next run")
    parser.add_argument(
        "--analysis-only",
        type=int,
        metavar="N",
        help="only measure one core's analysis time per profile over N profiles (after N to warm up)",
    )
    args = parser.parse_args()
    if args.analysis_only:
        micros = analysis_time(args.analysis_only, args.seed)
        print(f"analysis on one core: {micros:.0f} µs a profile ({1e6 / micros:,.0f} profiles/s)")
        return
    with tempfile.TemporaryDirectory() as folder:
        pool = start_workers(args.workers)
        index = ExpertIndex(args.index_dir or Path(folder) / "index")
        if index.count() == 0:
            records = Path(folder) / "records"
            records.mkdir()
            chunks = store_records(args.experts, args.seed, records, pool)
            seconds = build_index(index, chunks, pool)
            shutil.rmtree(records)
            print(
                f"index build: {args.experts:,} experts in {seconds:.1f} s "
                f"= {args.experts / seconds:,.0f} experts/s"
            )
            rate = write_rate(20_000, args.seed)
            print(f"index writes alone (documents already analysed): {rate:,.0f} experts/s")
        else:
            pool.terminate()
            print(f"reusing the index in {args.index_dir} ({index.count():,} experts)")
        texts = queries(args.queries, args.seed)
        measure(index, texts[:50], True)  # warm the caches and the page cache
        before = _rss_mb()
        for with_facets in (True, False):
            latencies = measure(index, texts, with_facets)
            cut = statistics.quantiles(latencies, n=20)
            label = "with facets" if with_facets else "no facets"
            print(
                f"search {label} at {args.experts:,}: median {statistics.median(latencies):.1f} ms, "
                f"p95 {cut[18]:.1f} ms over {len(latencies)} queries"
            )
        print(f"memory: peak RSS {before:.0f} MB before the queries, {_rss_mb():.0f} MB after")


if __name__ == "__main__":
    main()

"""Name lookup speed: one name in any script against N indexed experts.

Builds a search index of N synthetic experts (their Russian or Chinese name and its generated
renderings, as the registry stores them), then looks up Q names written in another script than
the stored one, as the operator and as the public (approved experts only), and prints the median
and p95 latency, the index build rate, and the process's memory before and after the lookups (it
must not grow with the number of queries).

Usage: python bench/names_lookup.py --experts 1000000 --queries 2000 [--seed 5]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from expertbridge.demo.generate import iter_experts
from expertbridge.names.parse import parse_name
from expertbridge.names.score import compare
from expertbridge.names.transliterate import renderings
from expertbridge.registry.visibility import OPERATOR, PUBLIC, Viewer
from expertbridge.search.document import ExpertDocument, name_entry
from expertbridge.search.index import ExpertIndex
from expertbridge.search.names import find_by_name

BATCH = 50_000


def native_score(name: str, native: str) -> float:
    """The score of ``name`` against the name an expert gave (as the lookup weighs it)."""
    return compare(parse_name(name), parse_name(native)).score


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        index = ExpertIndex(Path(folder) / "index")
        # (expert id, the name asked, the name the expert gave): synthetic names repeat, so
        # a lookup is right when its best match carries the same name, whichever expert that is.
        queries: list[tuple[int, str, str]] = []
        native_count: Counter[str] = Counter()
        started = time.perf_counter()
        batch: list[ExpertDocument] = []
        for number, row in enumerate(iter_experts(args.experts, args.seed), start=1):
            native = row["name_ru"] or row["name_zh"]
            native_count[native] += 1
            forms = [native, *(r.text for r in renderings(native))]
            batch.append(
                name_entry(number, "approved", [(form, position > 0) for position, form in enumerate(forms)])
            )
            if (
                len(forms) > 1
                and len(queries) < args.queries
                and rng.random() < args.queries / args.experts * 2
            ):
                queries.append((number, rng.choice(forms[1:]), native))
            if len(batch) == BATCH:
                index.write(batch, removed=[])
                batch = []
        index.write(batch, removed=[])
        build = time.perf_counter() - started
        # Synthetic names repeat; ask only for names one expert has, so that the right answer is one.
        queries = [q for q in queries if native_count[q[2]] == 1]
        rate = args.experts / build
        print(f"names_index_build experts={args.experts} seconds={build:.1f} experts_per_s={rate:.0f}")
        for label, viewer in (("operator", OPERATOR), ("public", PUBLIC)):
            _measure(index, queries, label, viewer)


def _measure(index: ExpertIndex, queries: list[tuple[int, str, str]], label: str, viewer: Viewer) -> None:
    """Look every query up as ``viewer`` (the public sees approved experts only) and print the figures."""
    before = _rss_mb()
    latencies = []
    found_first = 0
    for expert_id, name, native in queries:
        started = time.perf_counter()
        matches = find_by_name(index, name, viewer, top=5)
        latencies.append((time.perf_counter() - started) * 1000)
        # Right when no other expert scores above the one asked for (renderings drop the
        # patronymic, so several experts may tie).
        expected = max(
            (m.score for m in matches if m.expert_id == expert_id),
            default=native_score(name, native),
        )
        found_first += bool(matches) and matches[0].score <= expected + 1e-9
    after = _rss_mb()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    median = statistics.median(latencies)
    print(
        f"names_lookup viewer={label} experts={index.count()} queries={len(latencies)} "
        f"median_ms={median:.2f} p95_ms={p95:.2f} top1={found_first / max(len(latencies), 1):.3f} "
        f"rss_mb_before={before:.0f} rss_mb_after={after:.0f}"
    )


if __name__ == "__main__":
    main()

"""Opportunity search speed: latency of a text query over N opportunities, cold and warm.

Generates N opportunities in a SQLite registry of its own (the demo's organizations; titles and
descriptions made from the demo's 26 opportunities with keywords of their sub-sectors and of
another one, in one to three languages, a tenth anonymous), then runs Q queries through the
product's search (``search_opportunities`` for the public, every status, 20 a page): a mix of
concept names in the three languages, keyword pairs, broad single words and whole requests
(bench/search_experts.py's ``queries``).

Cold: the cache of opportunity analyses is emptied before each query, so each one analyses every
opportunity again (the analyser's own word caches stay warm after the first, as in a server that
has run for a while).  Warm: the same queries again, once every opportunity has been analysed.

Usage: python bench/search_opportunities.py --opportunities 2000 --queries 100 [--seed 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.demo.generate import generate_demo
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.setup import initialize
from expertbridge.registry.visibility import PUBLIC
from expertbridge.search.opportunities import (
    AnalysisCache,
    OpportunityFilters,
    search_opportunities,
)
from expertbridge.text.concepts import default_tagger

# The expert benchmark's mix of queries (this script's folder is on the path when it runs).
from search_experts import queries

LANGUAGES = ("ru", "zh", "en")
SEPARATOR = {"ru": ", ", "zh": "、", "en": ", "}


def _vocabulary() -> dict[str, dict[str, list[str]]]:
    with resources.files("expertbridge.data.demo").joinpath("vocabulary.json").open(encoding="utf-8") as file:
        keywords: dict[str, dict[str, list[str]]] = json.load(file)["keywords"]
    return keywords


def opportunity_rows(count: int, seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The demo's organizations, and ``count`` opportunities made from the demo's ones."""
    rng = random.Random(seed)
    demo = generate_demo(seed=seed, experts=0)
    vocabulary = _vocabulary()
    sectors = sorted(vocabulary)
    rows = []
    today = dt.date.today()
    for number in range(count):
        template = rng.choice(demo.opportunities)
        own = [code for code in template["sectors"].split(";") if code in vocabulary]
        topics = [rng.choice(own) if own else rng.choice(sectors), rng.choice(sectors)]
        languages = rng.sample(LANGUAGES, rng.choice((1, 1, 2, 3)))
        row = {
            "id": f"bench-opp-{number}",
            "kind": template["kind"],
            "sectors": template["sectors"],
            "organization": template["organization"],
            "city": template["city"],
            "country": template["country"],
            "status": "open" if rng.random() < 0.7 else "closed",
            "deadline": (today + dt.timedelta(days=rng.randint(1, 720))).isoformat(),
            "anonymous": "true" if rng.random() < 0.1 else "false",
        }
        for language in languages:
            words = [rng.choice(vocabulary[topic][language]) for topic in topics for _ in range(2)]
            row[f"title_{language}"] = f"{template[f'title_{language}']}: {words[0]}"
            row[f"description_{language}"] = (
                f"{template[f'description_{language}']} {SEPARATOR[language].join(words[1:])}"
            )
        rows.append(row)
    return demo.organizations, rows


def measure(
    factory: sessionmaker[Session], texts: list[str], cache: AnalysisCache, *, cold: bool
) -> tuple[list[float], list[int]]:
    """Latency of each query in milliseconds (a session each, as a request has), and its total."""
    latencies, totals = [], []
    for text in texts:
        if cold:
            cache.clear()
        started = time.perf_counter()
        with factory() as session:
            page = search_opportunities(
                session, PUBLIC, OpportunityFilters(query=text), per_page=20, cache=cache
            )
        latencies.append((time.perf_counter() - started) * 1000)
        totals.append(page.total)
    return latencies, totals


def _summary(latencies: list[float]) -> str:
    cut = statistics.quantiles(latencies, n=20)
    return f"median {statistics.median(latencies):.1f} ms, p95 {cut[18]:.1f} ms over {len(latencies)} queries"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--opportunities", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'registry.db'}")
        initialize(engine)
        factory = session_factory(engine)
        organizations, rows = opportunity_rows(args.opportunities, args.seed)
        importer = Importer(factory, ImportOptions(actor="bench"))
        for kind, records in (("organizations", organizations), ("opportunities", rows)):
            report: Any = importer.run_rows(kind, records, f"bench {kind}")
            if report.issues:
                raise SystemExit(f"the generated {kind} did not validate: {report.issues[0].describe()}")
        texts = queries(args.queries, args.seed)
        cache = AnalysisCache()
        default_tagger()  # the dictionaries load once per process, before any request is timed
        first, _ = measure(factory, texts[:1], cache, cold=True)
        print(
            f"first query at {args.opportunities:,} opportunities (the analyser's word caches empty too): "
            f"{first[0]:.0f} ms"
        )
        cold, totals = measure(factory, texts, cache, cold=True)
        print(f"cold (every opportunity analysed) at {args.opportunities:,}: {_summary(cold)}")
        measure(factory, texts, cache, cold=False)  # every opportunity analysed once
        warm, _ = measure(factory, texts, cache, cold=False)
        print(f"warm (analyses cached) at {args.opportunities:,}: {_summary(warm)}")
        print(
            f"matches per query: median {statistics.median(totals):.0f}, "
            f"none for {sum(total == 0 for total in totals)} of {len(totals)}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()

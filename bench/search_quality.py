"""Cross-language search quality on the judged collection in tests/data/search_collection.

Imports the collection's 261 experts into a fresh SQLite registry through the product's importer,
builds the search index, then ranks every topic text (80 topics, each written in Russian, Chinese
and English) two ways: as an opportunity ("experts for this opportunity") and as words typed in the
search box.  Prints nDCG@10 and recall@10 per pair of query language → profile language, the
mean over the six cross-language pairs, and per query language over all profiles together (→any:
what a user sees, where a profile in the query's own language must not come first for that alone).

Usage: python bench/search_quality.py [--collection DIR] [--k 10]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.db.models import Expert
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.setup import initialize
from expertbridge.registry.visibility import PUBLIC
from expertbridge.search.evaluate import PairScore, evaluate, evaluate_pooled, read_collection
from expertbridge.search.experts import ExpertFilters, experts_for_text, list_experts
from expertbridge.search.index import ExpertIndex
from expertbridge.search.sync import sync

COLLECTION = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_collection"
DEPTH = 100


def rankers(folder: Path, workdir: Path) -> dict[str, Callable[[str], list[str]]]:
    """The two ways the product ranks experts for a text, over the imported collection."""
    engine = make_engine(f"sqlite:///{workdir / 'registry.db'}")
    initialize(engine)
    factory = session_factory(engine)
    Importer(factory, ImportOptions(parallel=False)).run("experts", folder / "experts.csv")
    index = ExpertIndex(workdir / "index")
    sync(factory, index)
    with factory() as session:
        external = {i: str(e) for i, e in session.execute(select(Expert.id, Expert.external_id))}

    def as_opportunity(text: str) -> list[str]:
        return [external[i] for i in experts_for_text(index, PUBLIC, text, limit=DEPTH).ids]

    def as_search(text: str) -> list[str]:
        page = list_experts(index, PUBLIC, ExpertFilters(query=text), per_page=DEPTH, with_facets=False)
        return [external[i] for i in page.ids]

    return {"opportunity": as_opportunity, "search box": as_search}


def cross_language_mean(scores: list[PairScore]) -> tuple[float, float]:
    """Mean nDCG and recall over the pairs whose languages differ."""
    cross = [score for score in scores if score.query_language != score.profile_language]
    return (
        sum(score.ndcg for score in cross) / len(cross),
        sum(score.recall for score in cross) / len(cross),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--collection", type=Path, default=COLLECTION)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    topics, judgements, languages = read_collection(args.collection)
    with tempfile.TemporaryDirectory() as workdir:
        for mode, rank in rankers(args.collection, Path(workdir)).items():
            scores = evaluate(rank, topics, judgements, languages, k=args.k)
            for score in scores:
                print(
                    f"{mode:12} {score.query_language}→{score.profile_language}  "
                    f"nDCG@{args.k} {score.ndcg:.3f}  recall@{args.k} {score.recall:.3f}  "
                    f"({score.topics} topics)"
                )
            ndcg, recall = cross_language_mean(scores)
            print(f"{mode:12} cross-language mean  nDCG@{args.k} {ndcg:.3f}  recall@{args.k} {recall:.3f}")
            pooled = evaluate_pooled(rank, topics, judgements, k=args.k)
            for score in pooled:
                print(
                    f"{mode:12} {score.query_language}→any  nDCG@{args.k} {score.ndcg:.3f}  "
                    f"recall@{args.k} {score.recall:.3f}  ({score.topics} topics, all profiles together)"
                )


if __name__ == "__main__":
    main()

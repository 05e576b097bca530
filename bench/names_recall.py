"""Cross-script name matching on real Russian↔Chinese name pairs (Wikidata, CC0).

Indexes the Russian names as the registry does (with their generated renderings, in the search
index), looks up each Chinese name through the product's lookup, and the reverse; prints
recall@1 and recall@5 per direction (one line per figure).  The data file is the 1,000-pair development
split in ../shared/data/names/ (not shipped in the package).

``--half odd`` or ``--half even`` keeps only the odd or even data rows (1-based: the first pair is
row 1) and indexes only that half, so each half is a self-contained test of 500 pairs against 500
experts; a change is worth keeping only when it helps both halves.

Usage: python bench/names_recall.py [--data PATH] [--half all|odd|even] [--show-misses N]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from expertbridge.names.transliterate import renderings
from expertbridge.registry.visibility import OPERATOR
from expertbridge.search.document import ExpertDocument, name_entry
from expertbridge.search.index import ExpertIndex
from expertbridge.search.names import find_by_name

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "names" / "people_ru_zh_dev.tsv"


def _pairs(path: Path, half: str = "all") -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        rows = [(row["wikidata"], row["name_ru"], row["name_zh"]) for row in reader]
    if half == "all":
        return rows
    return [row for number, row in enumerate(rows, start=1) if number % 2 == (1 if half == "odd" else 0)]


def _indexed(number: int, name: str) -> ExpertDocument:
    # As the registry stores an expert: the name given and its generated renderings.
    return name_entry(number, "approved", [(name, False), *((r.text, True) for r in renderings(name))])


def _direction(
    pairs: list[tuple[str, str, str]], stored: int, asked: int, label: str, half: str, show: int
) -> None:
    folder = tempfile.TemporaryDirectory()
    index = ExpertIndex(Path(folder.name) / "index")
    index.write([_indexed(number, row[stored]) for number, row in enumerate(pairs)], removed=[])
    at1 = at5 = 0
    misses = []
    started = time.perf_counter()
    for number, row in enumerate(pairs):
        hits = find_by_name(index, row[asked], OPERATOR, top=5)
        ids = [hit.expert_id for hit in hits]
        at1 += bool(ids) and ids[0] == number
        at5 += number in ids
        if ids[:1] != [number]:
            misses.append((row[asked], row[stored], hits[0].name if hits else "-"))
    seconds = time.perf_counter() - started
    n = len(pairs)
    print(
        f"names_recall direction={label} half={half} n={n} recall_at_1={at1 / n:.3f} "
        f"recall_at_5={at5 / n:.3f} ms_per_lookup={1000 * seconds / n:.2f}"
    )
    for query, expected, got in misses[:show]:
        print(f"  miss: {query} -> expected {expected}, got {got}")
    folder.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--half", choices=("all", "odd", "even"), default="all")
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args()
    pairs = _pairs(args.data, args.half)
    _direction(pairs, 1, 2, "zh_to_ru", args.half, args.show_misses)
    _direction(pairs, 2, 1, "ru_to_zh", args.half, args.show_misses)


if __name__ == "__main__":
    main()

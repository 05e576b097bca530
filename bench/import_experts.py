"""Import throughput: N synthetic experts from a CSV file into a fresh SQLite database.

Each N runs in a child process so that its peak memory is its own.  One line per figure:

    import_experts n=100000 seconds=8.1 experts_per_s=12345 rows_written=... peak_rss_mb=...

Usage: python bench/import_experts.py --experts 10000 --experts 100000 [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.db.models import Base
from expertbridge.demo.generate import iter_experts
from expertbridge.demo.load import ror_records
from expertbridge.ingest.experts import EXPERT_COLUMNS
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.setup import initialize


def _write_csv(path: Path, count: int, seed: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EXPERT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in iter_experts(count, seed, id_prefix="bench-"):
            writer.writerow(row)


def _child(count: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "experts.csv"
        _write_csv(csv_path, count, seed)
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        initialize(engine)
        factory = session_factory(engine)
        # The organizations exist already, as in a registry that imports its experts.
        Importer(factory, ImportOptions(actor="bench")).run_rows("organizations", ror_records(), "ror")
        started = time.perf_counter()
        report = Importer(factory, ImportOptions(actor="bench")).run("experts", csv_path)
        seconds = time.perf_counter() - started
        with factory() as session:
            rows = sum(
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            )
        assert report.created == count and not report.issues, report.issues[:3]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"import_experts n={count} seconds={seconds:.2f} experts_per_s={count / seconds:.0f} "
            f"rows_in_database={rows} peak_rss_mb={peak_mb:.0f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, action="append", help="N (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.experts or [100_000]
    if args.child:
        _child(sizes[0], args.seed)
        return
    for size in sizes:
        subprocess.run(
            [sys.executable, __file__, "--child", "--experts", str(size), "--seed", str(args.seed)],
            check=True,
        )


if __name__ == "__main__":
    main()

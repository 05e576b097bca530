"""The product's index rebuild (`expertbridge reindex`) from a SQLite registry of N synthetic experts.

bench/search_experts.py measures the build of a million experts from records prepared in files;
this one runs what an operator runs: worker processes read the profiles from the database (with
their organizations), analyse them and send the entries to this process, which writes the index.

The registry is imported first (not timed) and kept with ``--database`` so that later runs, of
this code or another checkout (PYTHONPATH), rebuild from the same file:

    python bench/reindex.py --experts 100000 --database /tmp/registry.db [--workers 2]

One line per run: experts/s, and the processor time a profile took in this process (the index
writer and its threads) and on the whole machine (run it on a quiet one).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.db.models import Expert
from expertbridge.demo.load import ror_records
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.setup import initialize
from expertbridge.search.index import ExpertIndex
from expertbridge.search.sync import rebuild

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The same synthetic rows as the import benchmark.
from import_experts import _write_csv


def _fill(database: Path, count: int, seed: int) -> None:
    engine = make_engine(f"sqlite:///{database}")
    initialize(engine)
    factory = session_factory(engine)
    with tempfile.TemporaryDirectory() as folder:
        rows = Path(folder) / "experts.csv"
        _write_csv(rows, count, seed)
        Importer(factory, ImportOptions(actor="bench")).run_rows("organizations", ror_records(), "ror")
        report = Importer(factory, ImportOptions(actor="bench")).run("experts", rows)
    assert report.created == count and not report.issues, report.issues[:3]
    engine.dispose()


def _processor_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _machine_busy_seconds() -> float:
    # The workers are children of the fork server, not of this process: their time is read off
    # the whole machine (user, nice, system, interrupts), which on a quiet machine is theirs.
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(value) for value in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database", type=Path, help="registry file to create once and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or Path(folder) / "registry.db"
        if not database.exists():
            print(f"importing {args.experts:,} synthetic experts into {database} (not timed)", flush=True)
            _fill(database, args.experts, args.seed)
        engine = make_engine(f"sqlite:///{database}")
        factory = session_factory(engine)
        with factory() as session:
            count = session.scalar(select(func.count()).select_from(Expert)) or 0
        index = ExpertIndex(Path(folder) / "index")
        own, busy = _processor_seconds(), _machine_busy_seconds()
        started = time.perf_counter()
        rebuilt = rebuild(factory, index, workers=args.workers)
        seconds = time.perf_counter() - started
        own = _processor_seconds() - own
        busy = _machine_busy_seconds() - busy
        assert rebuilt == count == index.count(), (rebuilt, count, index.count())
        print(
            f"reindex n={count} workers={args.workers} seconds={seconds:.1f} "
            f"experts_per_s={count / seconds:.0f} writer_us={own / count * 1e6:.0f} "
            f"machine_us={busy / count * 1e6:.0f}"
        )


if __name__ == "__main__":
    main()

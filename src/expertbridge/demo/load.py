"""Load the bundled demo dataset: ROR organizations, then synthetic experts, opportunities, events."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.demo.generate import generate_demo
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport

DEMO_SEED = 2021
DEMO_EXPERTS = 2400
DEMO_MARKER = "demo-000001"


@dataclass(frozen=True)
class DemoResult:
    """What loading the demo did; ``reports`` is empty when it was already loaded."""

    already_loaded: bool
    reports: dict[str, ImportReport]


def ror_records() -> Iterator[dict[str, Any]]:
    """The packaged ROR records of Moscow and Beijing organizations."""
    text = resources.files("expertbridge.data").joinpath("ror_moscow_beijing.jsonl").read_text("utf-8")
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


def is_loaded(factory: sessionmaker[Session]) -> bool:
    """Whether the demo experts are already in the database."""
    with factory() as session:
        return session.scalar(select(Expert.id).where(Expert.external_id == DEMO_MARKER)) is not None


def load_demo(
    factory: sessionmaker[Session],
    *,
    experts: int = DEMO_EXPERTS,
    seed: int = DEMO_SEED,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Load the demo dataset unless it is there already (idempotent)."""
    if is_loaded(factory):
        return DemoResult(True, {})
    say = progress or (lambda _message: None)
    dataset = generate_demo(seed=seed, experts=experts)
    importer = Importer(factory, ImportOptions(actor="demo"))
    reports: dict[str, ImportReport] = {}
    steps: list[tuple[str, str, list[dict[str, Any]] | Iterator[dict[str, Any]]]] = [
        ("organizations", "ROR organizations", ror_records()),
        ("organizations", "demo organizations", dataset.organizations),
        ("experts", "experts", dataset.experts),
        ("opportunities", "opportunities", dataset.opportunities),
        ("events", "events", dataset.events),
    ]
    for kind, label, rows in steps:
        say(f"loading {label}")
        report = importer.run_rows(kind, rows, f"demo {label}")
        if report.issues:
            problems = "; ".join(issue.describe() for issue in report.issues[:5])
            raise RuntimeError(f"the demo {label} did not validate: {problems}")
        reports[label] = report
    return DemoResult(False, reports)

"""Experts, organizations and events read their city and country one way: a country that
contradicts a known city is a problem on the country cell, whatever the kind of row."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.ingest.importer import Importer, ImportOptions
from tests.helpers import RUSSIAN_EXPERT, write_csv


def test_an_expert_in_beijing_cannot_be_in_russia(factory: sessionmaker[Session], data_dir: Path) -> None:
    rows = [
        {**RUSSIAN_EXPERT, "city": "北京", "country": "Россия"},
        {
            **RUSSIAN_EXPERT,
            "id": "ru-2",
            "orcid": "",
            "email": "b@example.org",
            "city": "Москва",
            "country": "",
        },
        {
            **RUSSIAN_EXPERT,
            "id": "ru-3",
            "orcid": "",
            "email": "c@example.org",
            "city": "Kyoto",
            "country": "JP",
        },
    ]
    report = Importer(factory, ImportOptions(dry_run=True)).run(
        "experts", write_csv(data_dir / "e.csv", rows)
    )
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "country")]
    assert "the country of 北京 is China" in report.issues[0].message


def test_an_event_in_moscow_cannot_be_in_china(factory: sessionmaker[Session], data_dir: Path) -> None:
    row = {
        "kind": "forum",
        "title_en": "Metro forum",
        "starts_on": "2030-05-01",
        "ends_on": "2030-05-02",
        "city": "Moscow",
        "country": "CN",
    }
    report = Importer(factory, ImportOptions(dry_run=True)).run(
        "events", write_csv(data_dir / "v.csv", [row], columns=list(row))
    )
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "country")]

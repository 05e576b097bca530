"""A country is an ISO 3166-1 code ISO assigns, or a name the registry knows: an import, a form
and the API read it the same way, so ``ZZ`` (two letters, no country) is the row's "unknown
country" problem rather than a country stored that no filter may ask for."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.countries import country_code
from expertbridge.registry.places import canonical_country
from tests.helpers import RUSSIAN_EXPERT, write_csv


@pytest.mark.parametrize("text", ["ZZ", "zz", "XX", "QM", "AA", "EU", "UN", "XK", "Q1", "R"])
def test_two_letters_iso_assigns_to_no_country_are_no_country(text: str) -> None:
    assert canonical_country(text) is None
    assert country_code(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("FI", "FI"), ("fi", "FI"), (" Br ", "BR"), ("Китай", "CN"), ("КНР", "CN"), ("usa", "US")],
)
def test_assigned_codes_and_known_names_are_read_as_the_api_reads_them(text: str, code: str) -> None:
    assert canonical_country(text) == code == country_code(text)


def _import(factory: sessionmaker[Session], data_dir: Path, country: str) -> object:
    row = {**RUSSIAN_EXPERT, "city": "Helsinki", "country": country}
    return Importer(factory, ImportOptions()).run("experts", write_csv(data_dir / "e.csv", [row]))


def test_an_imported_row_with_an_unassigned_code_is_refused(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    report = _import(factory, data_dir, "ZZ")
    issues = report.issues  # type: ignore[attr-defined]
    assert [(issue.row, issue.column, issue.value) for issue in issues] == [(2, "country", "ZZ")]
    assert "unknown country" in issues[0].message
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Expert)) == 0


def test_an_imported_row_with_an_assigned_code_keeps_it(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    report = _import(factory, data_dir, "fi")
    assert (report.created, report.issues) == (1, [])  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(Expert.country)) == "FI"

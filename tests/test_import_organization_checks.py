"""An organization's ROR id, Wikidata id, website and parent are checked by the import's reader, so
files, the API and the web form judge them alike: a problem names the row, the column and the value,
a dry run shows it, and nothing of the file is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS, read_organization_row
from expertbridge.ingest.report import ImportReport
from tests.helpers import write_csv

INSTITUTE = {
    "id": "iqs",
    "name_ru": "Институт квантовых сенсоров",
    "name_en": "Institute of Quantum Sensors",
    "type": "research_institute",
    "city": "Moscow",
    "ror_id": "https://ror.org/0zzzzzz02",  # a valid checksum
    "wikidata_id": "Q4115189",
    "website": "https://iqs.example.ru/",
}
# A ROR record as distributed (schema v2).
TSINGHUA = {
    "id": "https://ror.org/03cve4549",
    "names": [{"value": "Tsinghua University", "lang": "en", "types": ["ror_display", "label"]}],
    "types": ["education"],
    "locations": [{"geonames_details": {"name": "Beijing", "country_code": "CN"}}],
    "links": [{"type": "website", "value": "https://www.tsinghua.edu.cn"}],
    "external_ids": [{"type": "wikidata", "all": ["Q16955"]}],
}


def run(factory: sessionmaker[Session], path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run("organizations", path)  # type: ignore[arg-type]


def organization_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Organization)) or 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "website",
            "javascript:alert(1)",
            "not a website address: write the whole address, starting with https:// or http://",
        ),
        ("website", "www.iqs.example.ru", "not a website address"),
        (
            "ror_id",
            "0zzzzzz03",  # the checksum of 0zzzzzz02 is 02: the shape of a ROR id, mistyped
            "not a ROR id: its last two digits do not match the others, so a character was mistyped",
        ),
        (
            "ror_id",
            "https://ror.org/msu",
            "not a ROR id: a ROR id is 9 characters such as 0009eea46; copy it from ror.org",
        ),
        ("wikidata_id", "P31", "not a Wikidata id: write the item's Q-number, such as Q1053996"),
        ("wikidata_id", "Moscow State University", "not a Wikidata id"),
    ],
)
def test_a_row_with_a_wrong_identifier_or_website_is_refused_and_nothing_is_written(
    factory: sessionmaker[Session], data_dir: Path, column: str, value: str, message: str
) -> None:
    valid = {**INSTITUTE, "id": "other", "ror_id": "", "name_en": "Other Institute", "name_ru": ""}
    path = write_csv(
        data_dir / "organizations.csv", [valid, {**INSTITUTE, column: value}], columns=ORGANIZATION_COLUMNS
    )
    dry = run(factory, path, dry_run=True)
    report = run(factory, path)
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [(3, column, value)]
    assert report.issues[0].message.startswith(message)
    assert report.issues[0].describe().startswith(f"row 3, column {column} ({value!r}): ")
    assert dry.issues == report.issues
    assert not report.written and organization_count(factory) == 0


def test_identifiers_written_as_addresses_or_in_capitals_are_kept_in_one_form(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [
        {
            **INSTITUTE,
            "ror_id": "https://ror.org/0zzzzzz02/",
            "wikidata_id": "https://www.wikidata.org/wiki/Q4115189",
        },
        {
            **INSTITUTE,
            "id": "thu",
            "name_ru": "",
            "name_en": "Tsinghua",
            "ror_id": "03CVE4549",
            "wikidata_id": "q16955",
        },
        {**INSTITUTE, "id": "bmstu", "name_ru": "", "name_en": "Bauman", "ror_id": "ror.org/00pb8h375"},
    ]
    report = run(factory, write_csv(data_dir / "o.csv", rows, columns=ORGANIZATION_COLUMNS))
    assert (report.created, report.issues) == (3, [])
    with factory() as session:
        stored = dict(
            session.execute(
                select(Organization.external_id, Organization.ror_id + " " + Organization.wikidata_id)
            )
            .tuples()
            .all()
        )
    assert stored == {
        "iqs": "https://ror.org/0zzzzzz02 Q4115189",
        "thu": "https://ror.org/03cve4549 Q16955",
        "bmstu": "https://ror.org/00pb8h375 Q4115189",
    }


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("links", [{"type": "website", "value": "javascript:alert(1)"}]),
        ("external_ids", [{"type": "wikidata", "all": ["not-an-item"]}]),
        ("id", "https://ror.org/03cve4548"),
    ],
)
def test_a_ror_record_is_checked_alike(
    factory: sessionmaker[Session], data_dir: Path, key: str, value: object
) -> None:
    path = data_dir / "ror.jsonl"
    path.write_text(json.dumps({**TSINGHUA, key: value}) + "\n", encoding="utf-8")
    report = run(factory, path)
    assert [(issue.row, issue.column) for issue in report.issues] == [(1, key)]
    assert not report.written and organization_count(factory) == 0


def test_the_bundled_ror_records_pass_the_checks() -> None:
    from expertbridge.demo.load import ror_records
    from expertbridge.ingest.organizations import read_ror_record

    problems = []
    for number, raw in enumerate(ror_records(), start=1):
        cells = RowCells(number, {})
        if read_ror_record(cells, raw) is None:
            problems.extend(cells.issues)
    assert problems == []


@pytest.mark.parametrize("parent", ["iqs", "https://ror.org/0zzzzzz02"])
def test_a_row_naming_itself_as_its_parent_is_refused_even_in_a_dry_run(
    factory: sessionmaker[Session], data_dir: Path, parent: str
) -> None:
    path = write_csv(data_dir / "o.csv", [{**INSTITUTE, "parent": parent}], columns=ORGANIZATION_COLUMNS)
    for report in (run(factory, path, dry_run=True), run(factory, path)):
        assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [(2, "parent", parent)]
        assert report.issues[0].message.startswith("an organization cannot be its own parent; leave")
    assert organization_count(factory) == 0


def test_the_reader_says_its_problems_in_any_language() -> None:
    """Each problem carries its template for a page in Russian or Chinese."""
    cells = RowCells(
        2,
        {
            "name_ru": "Latin letters",
            "name_en": "Institute",
            "country": "Atlantis",
            "ror_id": "0zzzzzz03",
            "wikidata_id": "P31",
            "website": "javascript:alert(1)",
        },
    )
    assert read_organization_row(cells) is None
    assert [(issue.column, issue.template != "") for issue in cells.issues] == [
        ("name_ru", True),
        ("country", True),
        ("ror_id", True),
        ("wikidata_id", True),
        ("website", True),
    ]


def test_the_examples_of_the_reader_hold() -> None:
    import doctest

    from expertbridge.ingest import organizations

    result = doctest.testmod(organizations)
    assert result.failed == 0 and result.attempted > 0

"""A ROR id identifies one organization: a row may not take over another organization by it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.ingest import changes
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.ingest.report import ImportReport
from expertbridge.registry.organizations import read_organizations
from expertbridge.registry.records import OrganizationRecord
from tests.helpers import write_csv

TSINGHUA_ROR = "https://ror.org/03cve4549"
# A ROR record as distributed (schema v2), without an import id.
TSINGHUA = {
    "id": TSINGHUA_ROR,
    "names": [
        {"value": "Tsinghua University", "lang": "en", "types": ["ror_display", "label"]},
        {"value": "清华大学", "lang": "zh", "types": ["label"]},
        {"value": "THU", "lang": None, "types": ["acronym"]},
    ],
    "types": ["education"],
    "locations": [{"geonames_details": {"name": "Beijing", "country_code": "CN"}}],
    "links": [{"type": "website", "value": "https://www.tsinghua.edu.cn"}],
    "external_ids": [{"type": "wikidata", "all": ["Q16955"]}],
}
BAUMAN = {
    "id": "bmstu",
    "name_ru": "МГТУ им. Н. Э. Баумана",
    "name_en": "Bauman Moscow State Technical University",
    "type": "university",
    "city": "Москва",
    "ror_id": "https://ror.org/00pb8h375",
}
MSU_WITH_TSINGHUA_ROR = {
    "id": "msu-x",
    "name_ru": "МГУ им. Ломоносова",
    "type": "university",
    "city": "Москва",
    "ror_id": TSINGHUA_ROR,
}


def run(factory: sessionmaker[Session], path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run("organizations", path)  # type: ignore[arg-type]


def organization(factory: sessionmaker[Session], ror_id: str) -> tuple[int, OrganizationRecord]:
    with factory() as session:
        organization_id = session.scalar(select(Organization.id).where(Organization.ror_id == ror_id))
        assert organization_id is not None
        return organization_id, read_organizations(session, [organization_id])[organization_id]


def organization_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Organization)) or 0


@pytest.fixture
def registry(factory: sessionmaker[Session], data_dir: Path) -> dict[str, tuple[int, OrganizationRecord]]:
    """Tsinghua from its ROR record (no import id) and Bauman from a spreadsheet (import id bmstu)."""
    ror = data_dir / "ror.jsonl"
    ror.write_text(json.dumps(TSINGHUA, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run(factory, ror).created == 1
    assert (
        run(factory, write_csv(data_dir / "bauman.csv", [BAUMAN], columns=ORGANIZATION_COLUMNS)).created == 1
    )
    return {
        "tsinghua": organization(factory, TSINGHUA_ROR),
        "bauman": organization(factory, BAUMAN["ror_id"]),
    }


def test_a_new_id_with_another_organizations_ror_id_is_refused(
    factory: sessionmaker[Session], data_dir: Path, registry: dict[str, tuple[int, OrganizationRecord]]
) -> None:
    tsinghua_id, tsinghua = registry["tsinghua"]
    path = write_csv(data_dir / "org2.csv", [MSU_WITH_TSINGHUA_ROR], columns=ORGANIZATION_COLUMNS)
    report = run(factory, path)
    assert [issue.describe() for issue in report.issues] == [
        f"row 2, column ror_id ('{TSINGHUA_ROR}'): this ROR id belongs to Tsinghua University "
        f"(id {tsinghua_id}, no import id); correct the ROR id, or use that organization's id "
        f"({tsinghua_id}) to update it"
    ]
    assert not report.written and report.updated == 0
    assert organization(factory, TSINGHUA_ROR) == (tsinghua_id, tsinghua)
    assert (
        tsinghua.names == {"en": "Tsinghua University", "zh": "清华大学"} and tsinghua.wikidata_id == "Q16955"
    )


def test_an_id_of_one_organization_with_the_ror_id_of_another_is_refused(
    factory: sessionmaker[Session], data_dir: Path, registry: dict[str, tuple[int, OrganizationRecord]]
) -> None:
    bauman_id, _ = registry["bauman"]
    row = {**BAUMAN, "ror_id": TSINGHUA_ROR}
    report = run(
        factory, write_csv(data_dir / "o.csv", [row], columns=ORGANIZATION_COLUMNS), skip_invalid=True
    )
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "ror_id")]
    assert "belongs to Tsinghua University" in report.issues[0].message
    assert organization(factory, TSINGHUA_ROR) == registry["tsinghua"]
    assert organization(factory, BAUMAN["ror_id"]) == (bauman_id, registry["bauman"][1])


def test_the_import_id_of_the_holder_is_named_when_it_has_one(
    factory: sessionmaker[Session], data_dir: Path, registry: dict[str, tuple[int, OrganizationRecord]]
) -> None:
    bauman_id, _ = registry["bauman"]
    row = {**MSU_WITH_TSINGHUA_ROR, "ror_id": BAUMAN["ror_id"]}
    report = run(factory, write_csv(data_dir / "o.csv", [row], columns=ORGANIZATION_COLUMNS))
    assert report.issues[0].message.endswith(
        f"(id {bauman_id}, import id bmstu); correct the ROR id, or use that organization's id (bmstu) "
        "to update it"
    )


def test_a_dry_run_reports_the_conflict_too(
    factory: sessionmaker[Session], data_dir: Path, registry: dict[str, tuple[int, OrganizationRecord]]
) -> None:
    path = write_csv(data_dir / "org2.csv", [MSU_WITH_TSINGHUA_ROR], columns=ORGANIZATION_COLUMNS)
    assert run(factory, path, dry_run=True).issues == run(factory, path).issues != []


def test_two_rows_of_one_file_may_not_share_a_ror_id(factory: sessionmaker[Session], data_dir: Path) -> None:
    rows = [BAUMAN, {**MSU_WITH_TSINGHUA_ROR, "ror_id": BAUMAN["ror_id"]}]
    report = run(factory, write_csv(data_dir / "o.csv", rows, columns=ORGANIZATION_COLUMNS))
    assert [(issue.row, issue.column) for issue in report.issues] == [(3, "ror_id")]
    assert "import id bmstu)" in report.issues[0].message and not report.written
    # nothing of the file is written: not even the valid row before the refused one
    assert organization_count(factory) == 0


@pytest.mark.parametrize("identifier", ["", "registry id"])
def test_a_row_without_an_import_id_updates_the_organization_by_its_ror_id(
    factory: sessionmaker[Session],
    data_dir: Path,
    registry: dict[str, tuple[int, OrganizationRecord]],
    identifier: str,
) -> None:
    tsinghua_id, tsinghua = registry["tsinghua"]
    # Exports write an organization without an import id under its registry id.
    row = {
        "id": str(tsinghua_id) if identifier else "",
        "name_ru": "Университет Цинхуа",
        "ror_id": TSINGHUA_ROR,
    }
    report = run(factory, write_csv(data_dir / "o.csv", [row], columns=["id", "name_ru", "ror_id"]))
    assert (report.updated, report.issues) == (1, [])
    _, after = organization(factory, TSINGHUA_ROR)
    # The names, aliases, website and Wikidata id the row does not carry are kept, and the
    # registry id an export wrote does not become an import id.
    assert after == OrganizationRecord(
        **{**tsinghua.__dict__, "names": {**tsinghua.names, "ru": "Университет Цинхуа"}}
    )
    assert organization_count(factory) == 2


def test_exported_organizations_import_again_unchanged(
    factory: sessionmaker[Session], data_dir: Path, registry: dict[str, tuple[int, OrganizationRecord]]
) -> None:
    from expertbridge.ingest.export import export_rows
    from expertbridge.ingest.export import write_csv as export_csv

    path = data_dir / "organizations.csv"
    with factory() as session, path.open("w", encoding="utf-8") as out:
        export_csv(*export_rows(session, "organizations"), out)
    report = run(factory, path)
    assert (report.unchanged, report.issues) == (2, [])
    assert organization(factory, TSINGHUA_ROR) == registry["tsinghua"]


def test_the_api_refuses_another_organizations_ror_id(
    factory: sessionmaker[Session], registry: dict[str, tuple[int, OrganizationRecord]]
) -> None:
    bauman_id, _ = registry["bauman"]
    with factory() as session, pytest.raises(changes.ChangeRejected, match="belongs to Tsinghua University"):
        changes.update(session, "organizations", bauman_id, {"ror_id": TSINGHUA_ROR}, actor="api")


def test_a_ror_record_gives_its_website_whatever_the_order_of_its_links(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    # ROR's schema v2 lists typed links; the Wikipedia article is not the organization's website.
    wikipedia = {"type": "wikipedia", "value": "https://en.wikipedia.org/wiki/Tsinghua_University"}
    record = {**TSINGHUA, "links": [wikipedia, *TSINGHUA["links"]]}
    ror = data_dir / "ror.jsonl"
    ror.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run(factory, ror).created == 1
    assert organization(factory, TSINGHUA_ROR)[1].website == "https://www.tsinghua.edu.cn"

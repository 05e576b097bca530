"""A re-import with some columns only replaces those columns and keeps every other stored value."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, ExpertContact
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.ingest.report import ImportReport
from expertbridge.registry.experts import read_experts
from expertbridge.registry.organizations import read_organizations
from expertbridge.registry.records import ExpertRecord, NameRecord, OrganizationRecord
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

NARROW = ["id", "name_ru", "name_en"]


def run(factory: sessionmaker[Session], kind: str, path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run(kind, path)  # type: ignore[arg-type]


def expert(factory: sessionmaker[Session], external_id: str) -> ExpertRecord:
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == external_id))
        assert expert_id is not None
        return read_experts(session, [expert_id])[expert_id]


def given_names(record: ExpertRecord) -> dict[str | None, str]:
    return {name.language: name.text for name in record.names if not name.generated}


@pytest.fixture
def imported(factory: sessionmaker[Session], data_dir: Path) -> ExpertRecord:
    """ru-1 and cn-1 imported with every column; returns ru-1 as stored."""
    run(factory, "experts", write_csv(data_dir / "full.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))
    return expert(factory, "ru-1")


def test_a_narrow_file_updates_its_columns_and_keeps_the_others(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    row = {"id": "ru-1", "name_ru": "Черёмин Сергей Петрович", "name_en": "Sergey Cheryomin"}
    report = run(factory, "experts", write_csv(data_dir / "narrow.csv", [row], columns=NARROW))
    assert (report.updated, report.unchanged, report.issues) == (1, 0, [])
    after = expert(factory, "ru-1")
    assert given_names(after) == {"ru": "Черёмин Сергей Петрович", "en": "Sergey Cheryomin"}
    assert after == replace(imported, names=after.names)
    assert after.organization == "Московский государственный университет"
    assert (after.city, after.country, after.sectors) == (
        "Moscow",
        "RU",
        ("transport.metro", "transport.rail"),
    )
    assert after.contacts == (("email", "s.cheremin@example.org"), ("phone", "+7 495 555-00-11"))
    assert ("orcid", "0000-0002-1825-0097") in after.identifiers and after.bios == (
        ("ru", "Инженер-исследователь."),
    )


def test_a_narrow_row_equal_to_the_stored_values_is_unchanged(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    row = {"id": "ru-1", "name_ru": RUSSIAN_EXPERT["name_ru"], "name_en": RUSSIAN_EXPERT["name_en"]}
    path = write_csv(data_dir / "narrow.csv", [row], columns=NARROW)
    for _ in range(2):  # compared with the stored profile, then skipped by its fingerprint
        report = run(factory, "experts", path)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert expert(factory, "ru-1") == imported


def test_an_empty_cell_of_a_column_the_file_has_clears_the_field(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    row = {"id": "ru-1", "name_ru": RUSSIAN_EXPERT["name_ru"], "email": "", "bio_ru": ""}
    run(
        factory,
        "experts",
        write_csv(data_dir / "clear.csv", [row], columns=["id", "name_ru", "email", "bio_ru"]),
    )
    after = expert(factory, "ru-1")
    assert after.contacts == (("phone", "+7 495 555-00-11"),)
    assert after.bios == () and given_names(after) == given_names(imported)
    assert after.organization == imported.organization


def test_status_and_contact_levels_are_kept_unless_the_file_sets_them(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    with factory.begin() as session:
        session.execute(update(Expert).values(status="rejected").where(Expert.external_id == "ru-1"))
        session.execute(
            update(ExpertContact).values(visibility="partners").where(ExpertContact.kind == "phone")
        )
    columns = ["id", "name_ru", "status", "phone"]
    row = {"id": "ru-1", "name_ru": "Черёмин Сергей", "status": "", "phone": "+7 495 555-00-11"}
    run(factory, "experts", write_csv(data_dir / "a.csv", [row], columns=columns))
    after = expert(factory, "ru-1")
    assert (after.status, after.contact_levels) == ("rejected", ("private", "partners"))
    run(factory, "experts", write_csv(data_dir / "b.csv", [{**row, "status": "approved"}], columns=columns))
    assert expert(factory, "ru-1").status == "approved"


def test_a_bare_name_column_replaces_the_name_in_its_script_only(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    path = data_dir / "fio.csv"
    path.write_text("id,ФИО\nru-1,Черёмин Сергей\n", encoding="utf-8")
    assert run(factory, "experts", path).updated == 1
    assert given_names(expert(factory, "ru-1")) == {"ru": "Черёмин Сергей", "en": "Sergei Cheremin"}


def test_a_new_city_without_a_country_column_brings_its_country(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    row = {"id": "ru-1", "name_ru": RUSSIAN_EXPERT["name_ru"], "city": "Пекин"}
    run(factory, "experts", write_csv(data_dir / "moved.csv", [row], columns=["id", "name_ru", "city"]))
    assert (expert(factory, "ru-1").city, expert(factory, "ru-1").country) == ("Beijing", "CN")


def test_json_records_keep_the_keys_they_leave_out(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    path = data_dir / "partial.jsonl"
    records = [
        {"id": "ru-1", "name_ru": RUSSIAN_EXPERT["name_ru"], "languages": None},
        {"id": "cn-1", **_zh_name()},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    report = run(factory, "experts", path)
    assert (report.updated, report.unchanged) == (1, 1)
    assert expert(factory, "ru-1") == replace(imported, languages=())


def _zh_name() -> dict[str, str]:
    return {"name_zh": CHINESE_EXPERT["name_zh"]}


def test_a_new_expert_from_a_narrow_file_has_only_what_it_gives(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    row = {"id": "new-1", "name_ru": "Иванова Анна Сергеевна", "name_en": "Anna Ivanova"}
    assert run(factory, "experts", write_csv(data_dir / "n.csv", [row], columns=NARROW)).created == 1
    record = expert(factory, "new-1")
    assert (record.organization, record.city, record.contacts, record.status) == (None, None, (), "approved")


def test_a_dry_run_reports_what_the_import_does(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    rows = [
        {"id": "ru-1", "name_ru": RUSSIAN_EXPERT["name_ru"], "name_en": "Sergey Cheryomin"},
        {"id": "cn-1", "name_ru": "", "name_en": CHINESE_EXPERT["name_en"]},
        {"id": "x-1", "name_ru": "Smith", "name_en": ""},
    ]
    path = write_csv(data_dir / "mixed.csv", rows, columns=NARROW)
    dry = run(factory, "experts", path, dry_run=True)
    assert expert(factory, "ru-1") == imported
    real = run(factory, "experts", path, skip_invalid=True)
    assert (dry.valid, dry.issues, dry.warnings) == (real.valid, real.issues, real.warnings)
    assert [(issue.row, issue.column) for issue in real.issues] == [(4, "name_ru")]
    assert (real.updated, real.unchanged) == (1, 1)


def test_a_narrow_organization_file_keeps_the_other_columns(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    full = {
        "id": "bmstu",
        "name_ru": "МГТУ им. Н. Э. Баумана",
        "name_zh": "鲍曼莫斯科国立技术大学",
        "name_en": "Bauman Moscow State Technical University",
        "aliases": "BMSTU;Бауманка",
        "type": "university",
        "city": "Москва",
        "ror_id": "https://ror.org/00pb8h375",
        "wikidata_id": "Q1061502",
        "website": "https://bmstu.ru",
    }
    run(factory, "organizations", write_csv(data_dir / "full.csv", [full], columns=ORGANIZATION_COLUMNS))
    with factory() as session:
        before = read_organizations(session, [1, 2, 3])
    [(organization_id, stored)] = before.items()
    # An empty type keeps the stored one: an organization has no type "empty".
    narrow = write_csv(
        data_dir / "narrow.csv",
        [{"id": "bmstu", "name_ru": "МГТУ им. Баумана", "type": ""}],
        columns=["id", "name_ru", "type"],
    )
    assert run(factory, "organizations", narrow).updated == 1
    assert run(factory, "organizations", narrow).unchanged == 1
    with factory() as session:
        after = read_organizations(session, [organization_id])[organization_id]
    assert after == OrganizationRecord(
        **{**stored.__dict__, "names": {**stored.names, "ru": "МГТУ им. Баумана"}}
    )


def test_a_ror_record_keeps_the_import_id(factory: sessionmaker[Session], data_dir: Path) -> None:
    row = {"id": "thu", "name_en": "Tsinghua University", "ror_id": "https://ror.org/03cve4549"}
    run(factory, "organizations", write_csv(data_dir / "o.csv", [row], columns=ORGANIZATION_COLUMNS))
    ror = {
        "id": "https://ror.org/03cve4549",
        "names": [{"value": "Tsinghua University", "lang": "en", "types": ["ror_display", "label"]}],
        "types": ["education"],
        "locations": [{"geonames_details": {"name": "Beijing", "country_code": "CN"}}],
    }
    (data_dir / "ror.jsonl").write_text(json.dumps(ror), encoding="utf-8")
    assert run(factory, "organizations", data_dir / "ror.jsonl").updated == 1
    with factory() as session:
        [record] = read_organizations(session, [1, 2]).values()
    assert (record.external_id, record.type, record.city) == ("thu", "university", "Beijing")


def test_names_stay_consistent_when_the_country_decides_the_primary_name(
    factory: sessionmaker[Session], data_dir: Path, imported: ExpertRecord
) -> None:
    # The Russian name is primary for an expert in Russia; a Latin-only row keeps it so.
    row = {"id": "ru-1", "name_en": "Sergey Cheryomin"}
    run(factory, "experts", write_csv(data_dir / "en.csv", [row], columns=["id", "name_en"]))
    primary = [name for name in expert(factory, "ru-1").names if name.is_primary]
    assert primary == [NameRecord(RUSSIAN_EXPERT["name_ru"], "Cyrl", "ru", "native", None, True, False)]

"""Importing experts from every file type, on both databases, including every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Expert, ExpertContact, ExpertName, Organization
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import InputFileError
from expertbridge.registry.experts import read_experts
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv


def run(factory: sessionmaker[Session], path: Path, **options: object) -> object:
    return Importer(factory, ImportOptions(**options)).run("experts", path)  # type: ignore[arg-type]


def count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_canonical_csv_is_imported_with_every_field(factory: sessionmaker[Session], data_dir: Path) -> None:
    report = run(factory, write_csv(data_dir / "experts.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))
    assert (report.created, report.issues) == (2, [])  # type: ignore[attr-defined]
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == "ru-1"))
        record = read_experts(session, [expert_id])[expert_id]  # type: ignore[list-item]
    assert record.status == "approved"
    assert (record.city, record.country) == ("Moscow", "RU")
    assert record.sectors == ("transport.metro", "transport.rail")
    assert record.expertise == (("системы сигнализации метрополитена", "ru"), ("тоннели", "ru"))
    assert record.languages == (("ru", "native"), ("en", "C1"))
    assert ("orcid", "0000-0002-1825-0097") in record.identifiers
    assert ("email", "s.cheremin@example.org") in record.contacts
    primary = [n for n in record.names if n.is_primary]
    assert [(n.text, n.script, n.kind) for n in primary] == [("Черёмин Сергей Петрович", "Cyrl", "native")]
    assert {n.script for n in record.names if not n.generated} == {"Cyrl", "Latn"}
    # the script the row did not give is generated, marked as such
    assert [(n.text, n.script, n.scheme) for n in record.names if n.generated] == [
        ("谢尔盖·切廖明", "Hani", "xinhua")
    ]
    assert record.organization == "Московский государственный университет"
    assert count(factory, Organization) == 2
    # contacts are private by default
    with factory() as session:
        assert set(session.scalars(select(ExpertContact.visibility))) == {"private"}


def test_russian_and_chinese_headers_are_recognised(factory: sessionmaker[Session], data_dir: Path) -> None:
    path = data_dir / "офис.csv"
    path.write_text(
        "ФИО;Организация;Город;Отрасль;Ключевые слова;Эл. почта\n"
        "Иванова Анна Сергеевна;МФТИ;Москва;Искусственный интеллект;нейросети;a@example.org\n"
        "王芳;北京大学;北京;人工智能;深度学习;w@example.com\n",
        encoding="utf-8",
    )
    report = run(factory, path)
    assert report.created == 2 and not report.issues  # type: ignore[attr-defined]
    with factory() as session:
        scripts = set(
            session.execute(
                select(ExpertName.text, ExpertName.script).where(ExpertName.generated.is_(False))
            ).tuples()
        )
    assert scripts == {("Иванова Анна Сергеевна", "Cyrl"), ("王芳", "Hani")}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "cp1251"])
def test_csv_encodings_are_detected(factory: sessionmaker[Session], data_dir: Path, encoding: str) -> None:
    row = RUSSIAN_EXPERT if encoding == "cp1251" else {**CHINESE_EXPERT, "bio_en": "Researcher."}
    if encoding == "cp1251":
        row = {key: value for key, value in row.items() if key != "name_en"}
    path = write_csv(data_dir / "e.csv", [row], encoding=encoding)
    report = run(factory, path)
    assert report.created == 1, report.issues  # type: ignore[attr-defined]
    with factory() as session:
        names = set(session.scalars(select(ExpertName.text).where(ExpertName.generated.is_(False))))
    assert (row.get("name_ru") or row["name_zh"]) in names


def test_xlsx_with_a_title_row_above_the_header(factory: sessionmaker[Session], data_dir: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Список экспертов для круглого стола"])
    sheet.append([])
    sheet.append(["id", "姓名", "单位", "城市", "领域", "电话"])
    sheet.append(["x1", "李明", "北京大学", "北京", "人工智能", 861055501234])
    path = data_dir / "experts.xlsx"
    workbook.save(path)
    report = run(factory, path)
    assert report.created == 1, report.issues  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(ExpertContact.value)) == "861055501234"


def test_json_and_json_lines(factory: sessionmaker[Session], data_dir: Path) -> None:
    as_lists = {**CHINESE_EXPERT, "sectors": ["science.ai"], "expertise": ["机器学习", "computer vision"]}
    (data_dir / "a.json").write_text(json.dumps({"experts": [as_lists]}, ensure_ascii=False), "utf-8")
    (data_dir / "b.jsonl").write_text(json.dumps(RUSSIAN_EXPERT, ensure_ascii=False) + "\n\n", "utf-8")
    assert run(factory, data_dir / "a.json").created == 1  # type: ignore[attr-defined]
    assert run(factory, data_dir / "b.jsonl").created == 1  # type: ignore[attr-defined]
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == "cn-1"))
        record = read_experts(session, [expert_id])[expert_id]  # type: ignore[list-item]
    assert record.expertise == (("机器学习", "zh"), ("computer vision", "en"))


def test_reimport_changes_nothing_and_edits_update(factory: sessionmaker[Session], data_dir: Path) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT])
    run(factory, path)
    audit_rows = count(factory, AuditEntry)
    again = run(factory, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)  # type: ignore[attr-defined]
    assert count(factory, AuditEntry) == audit_rows
    edited = write_csv(data_dir / "e2.csv", [{**RUSSIAN_EXPERT, "city": "Санкт-Петербург"}, CHINESE_EXPERT])
    third = run(factory, edited)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(Expert.city).where(Expert.external_id == "ru-1")) == "Saint Petersburg"
    assert count(factory, Expert) == 2


def test_dry_run_writes_nothing(factory: sessionmaker[Session], data_dir: Path) -> None:
    report = run(factory, write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT]), dry_run=True)
    assert (report.valid, report.written) == (1, False)  # type: ignore[attr-defined]
    assert count(factory, Expert) == 0


BAD_ROWS = [
    ({"email": "not-an-address"}, "email", "not an e-mail address"),
    ({"orcid": "0000-0002-1825-0098"}, "orcid", "check digit"),
    ({"sectors": "astrology"}, "sectors", "unknown sector"),
    ({"country": "Atlantis"}, "country", "unknown country"),
    ({"languages": "ru:fluentish"}, "languages", "unknown level"),
    ({"phone": "call me"}, "phone", "not a phone number"),
    ({"name_ru": "Ivanov", "name_en": ""}, "name_ru", "Cyrillic"),
    ({"name_ru": "", "name_en": ""}, "name_ru", "no name"),
    ({"bio_ru": "я" * 20_001}, "bio_ru", "longer than"),
]


@pytest.mark.parametrize(("change", "column", "reason"), BAD_ROWS)
def test_an_invalid_row_is_reported_and_nothing_is_written(
    factory: sessionmaker[Session], data_dir: Path, change: dict[str, str], column: str, reason: str
) -> None:
    rows = [CHINESE_EXPERT, {**RUSSIAN_EXPERT, **change}]
    report = run(factory, write_csv(data_dir / "e.csv", rows))
    issues = report.issues  # type: ignore[attr-defined]
    assert [(issue.row, issue.column) for issue in issues] == [(3, column)]
    assert reason in issues[0].message
    assert not report.written  # type: ignore[attr-defined]
    assert count(factory, Expert) == 0 and count(factory, Organization) == 0


def test_skip_invalid_writes_the_valid_rows(factory: sessionmaker[Session], data_dir: Path) -> None:
    rows = [CHINESE_EXPERT, {**RUSSIAN_EXPERT, "email": "broken@"}]
    report = run(factory, write_csv(data_dir / "e.csv", rows), skip_invalid=True)
    assert (report.created, report.invalid_rows, report.written) == (1, 1, True)  # type: ignore[attr-defined]
    assert count(factory, Expert) == 1


def test_duplicate_ids_inside_one_file(factory: sessionmaker[Session], data_dir: Path) -> None:
    report = run(factory, write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, {**CHINESE_EXPERT, "id": "ru-1"}]))
    assert [issue.describe() for issue in report.issues] == [  # type: ignore[attr-defined]
        "row 3, column id ('ru-1'): the same id is already used in row 2"
    ]
    assert count(factory, Expert) == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("header.csv", b"id,name_ru\n", "no data rows"),
        ("nonames.csv", b"id,city\n1,Moscow\n", "no name column"),
        ("broken.json", b'[{"id": 1,', "not valid JSON"),
        ("scalar.json", b"42", "expected a JSON array"),
        ("lines.jsonl", b'{"id": "1", "name_en": "Ann Lee"}\n[1, 2]\n', "line 2"),
        ("old.xls", b"\xd0\xcf\x11\xe0", ".xls format"),
        ("fake.xlsx", b"this is not a zip file", "not a readable .xlsx"),
        ("notes.pdf", b"%PDF-1.4", "unknown file type"),
        ("huge.csv", b'id,name_en,bio_en\n1,Ann Lee,"' + b"x" * 1_200_000 + b'"\n', "longer than 1,000,000"),
        ("dup.csv", "id,ФИО,姓名,name_ru\n1,Иван,李明,Иван\n".encode(), "both mean"),
    ],
)
def test_unreadable_files_get_a_clear_message_and_write_nothing(
    factory: sessionmaker[Session], data_dir: Path, name: str, content: bytes, message: str
) -> None:
    path = data_dir / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        run(factory, path)
    assert count(factory, Expert) == 0


def test_status_option_creates_pending_profiles(factory: sessionmaker[Session], data_dir: Path) -> None:
    run(factory, write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT]), status="pending")
    with factory() as session:
        assert session.scalar(select(Expert.status)) == "pending"


def test_sector_labels_in_three_languages_resolve_to_one_code(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [
        {**RUSSIAN_EXPERT, "id": "a", "sectors": "Метрополитен"},
        # another person: one ORCID iD (or an e-mail without ids) in two rows is refused
        {**RUSSIAN_EXPERT, "id": "b", "orcid": "", "sectors": "transport.metro"},
        {**CHINESE_EXPERT, "id": "c", "sectors": "地铁与城市轨道交通"},
    ]
    run(factory, write_csv(data_dir / "e.csv", rows))
    with factory() as session:
        records = read_experts(session, list(session.scalars(select(Expert.id))))
    assert {record.sectors for record in records.values()} == {("transport.metro",)}


def test_csv_with_title_rows_above_the_header(factory: sessionmaker[Session], data_dir: Path) -> None:
    # The title has a comma, the table semicolons: the header row decides the delimiter.
    path = data_dir / "список.csv"
    path.write_text(
        "Список экспертов, ноябрь 2026;;;\n"
        ";;;\n"
        "ФИО;Организация;Город;Эл. почта\n"
        "Иванова Анна Сергеевна;МФТИ;Москва;a@example.org\n"
        "Петров Пётр;МГУ;Москва;not-an-address\n",
        encoding="cp1251",
    )
    report = run(factory, path)
    # problems keep the file's own line numbers
    assert [(issue.row, issue.column) for issue in report.issues] == [(5, "email")]  # type: ignore[attr-defined]
    assert run(factory, path, skip_invalid=True).created == 1  # type: ignore[attr-defined]
    with factory() as session:
        assert (
            session.scalar(select(ExpertName.text).where(ExpertName.is_primary)) == "Иванова Анна Сергеевна"
        )


def test_csv_with_a_chinese_title_and_a_blank_line(factory: sessionmaker[Session], data_dir: Path) -> None:
    path = data_dir / "名单.csv"
    path.write_text(
        "专家名单\n\n姓名,单位,城市,邮箱\n李明,北京大学,北京,li@example.com\n", encoding="gb18030"
    )
    report = run(factory, path)
    assert (report.created, report.issues) == (1, [])  # type: ignore[attr-defined]


def test_csv_without_a_known_header_is_still_explained(
    data_dir: Path, factory: sessionmaker[Session]
) -> None:
    path = data_dir / "unknown.csv"
    path.write_text("Список экспертов\nколонка1,колонка2\nа,б\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no name column"):
        run(factory, path)


def test_xlsx_title_rows_keep_the_sheets_row_numbers(factory: sessionmaker[Session], data_dir: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["专家名单", None, None, "2026年11月"])
    sheet.append(["Контакты", None, "Почта"])  # a group row above the header: one known word
    sheet.append(["姓名", "单位", "城市", "邮箱"])
    sheet.append(["李明", "北京大学", "北京", "li@"])
    path = data_dir / "experts.xlsx"
    workbook.save(path)
    report = run(factory, path)
    assert [(issue.row, issue.column) for issue in report.issues] == [(4, "email")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+86（10）6275-1234", "+86(10)6275-1234"),
        ("＋８６ １０ ６２７５ １２３４", "+86 10 6275 1234"),
        ("＋８６\u3000１０\u3000６２７５－１２３４", "+86 10 6275-1234"),
    ],
)
def test_full_width_phone_numbers_are_normalised(
    factory: sessionmaker[Session], data_dir: Path, typed: str, stored: str
) -> None:
    report = run(factory, write_csv(data_dir / "e.csv", [{**CHINESE_EXPERT, "phone": typed}]))
    assert (report.created, report.issues) == (1, [])  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalar(select(ExpertContact.value).where(ExpertContact.kind == "phone")) == stored


def test_a_wrong_phone_is_reported_as_typed(factory: sessionmaker[Session], data_dir: Path) -> None:
    report = run(factory, write_csv(data_dir / "e.csv", [{**CHINESE_EXPERT, "phone": "电话：６２７５"}]))
    [issue] = report.issues  # type: ignore[attr-defined]
    assert (issue.column, issue.value) == ("phone", "电话：６２７５")

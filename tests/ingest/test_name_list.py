"""The reader of lists of names (ingest/name_list.py): any bytes give a list or a readable refusal;
names typed one a line come back as typed; a table is read below its header, whatever its title."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from expertbridge.ingest.name_list import read_name_list
from expertbridge.ingest.report import InputFileError

# Names as people type them: letters in the three scripts, spaces, a hyphen, a middle dot, a comma.
NAME = st.text(
    alphabet=st.sampled_from("АбвЧерёминLeoXuWang许心超列昂尼德 -·,"), min_size=1, max_size=20
).filter(lambda text: any(char.isalpha() for char in text))


@settings(deadline=None)  # the first call loads the name tables
@given(st.binary(max_size=400))
def test_any_bytes_give_a_list_or_a_refusal_that_says_why(data: bytes) -> None:
    try:
        names = read_name_list(data, "list.csv")
    except InputFileError as error:
        assert str(error).startswith("list.csv")
        return
    rows = [query.row for query in names.queries] + [skipped.row for skipped in names.skipped]
    assert len(rows) == len(set(rows)) and all(row >= 1 for row in rows)


@settings(deadline=None)  # the first call loads the name tables
@given(st.lists(NAME, min_size=1, max_size=8))
def test_names_typed_one_a_line_come_back_as_typed(names: list[str]) -> None:
    text = "\n".join(names)
    listed = read_name_list(text.encode(), "the text box")
    typed = [name.strip() for name in names if name.strip()]
    assert [query.name for query in listed.queries] == [name for name in typed if name.strip(" -·,")]
    assert listed.unit == "line" and listed.header_row is None


@settings(deadline=None)  # the first call loads the name tables
@given(st.lists(st.text(alphabet="Заголовок отчёта 2026", max_size=15), max_size=4), st.sampled_from(",;\t"))
def test_a_table_is_read_below_its_header_whatever_is_above_it(titles: list[str], delimiter: str) -> None:
    above = "".join(title + "\n" for title in titles)
    table = delimiter.join(["№", "ФИО", "Город"]) + "\n" + delimiter.join(["1", "Черёмин Леонид", "Москва"])
    names = read_name_list((above + table + "\n").encode("cp1251"), "list.csv")
    assert [(query.row, query.name) for query in names.queries] == [(len(titles) + 2, "Черёмин Леонид")]
    assert names.name_columns == ("ФИО",) and names.header_row == len(titles) + 1


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "list.csv: the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "list.csv: the old Excel .xls format is not read"),
        (b"PK\x03\x04broken", "list.csv: not a readable .xlsx workbook"),
    ],
)
def test_files_it_cannot_read_are_refused_with_what_to_do(data: bytes, problem: str) -> None:
    with pytest.raises(InputFileError, match=problem):
        read_name_list(data, "list.csv")


@pytest.mark.parametrize(
    ("table", "columns", "name"),
    [
        (
            "№;Фамилия;Имя;Отчество\n1;Черёмин;Леонид;Сергеевич\n",
            ("Фамилия", "Имя", "Отчество"),
            "Черёмин Леонид Сергеевич",
        ),
        ("序号,姓,名,单位\n1,许,心超,清华大学\n", ("姓", "名"), "许 心超"),
        ("First name,Last name\nLeonid,Cheremin\n", ("First name", "Last name"), "Leonid Cheremin"),
    ],
)
def test_a_name_split_into_columns_is_looked_up_whole(
    table: str, columns: tuple[str, ...], name: str
) -> None:
    # Not the given name alone, which the column Имя (an alias of a full name) would give.
    names = read_name_list(table.encode("utf-8"), "list.csv")
    assert names.name_columns == columns and [query.name for query in names.queries] == [name]


def test_totals_and_notes_in_the_table_are_not_looked_up() -> None:
    table = "序号,姓名,单位\n1,许心超,清华大学\n小计,1人,\n2,王伟,北京大学\n合  计：2人,,\n"
    names = read_name_list(table.encode("utf-8"), "list.csv")
    assert [query.name for query in names.queries] == ["许心超", "王伟"]
    assert [(row.row, row.reason.text) for row in names.skipped] == [
        (3, "a total or a note, not a name"),
        (5, "a total or a note, not a name"),
    ]

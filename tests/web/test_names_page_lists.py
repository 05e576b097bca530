"""The name lookup page with lists as offices make them: a title above the header, the column of
names headed 姓名 or ФИО, Windows-1251, a workbook; weak matches said to be weak, rows not looked
up said with their reason; and the command line reading the same file the same way."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.registry.experts import ExpertWriter
from expertbridge.registry.records import ExpertRecord, NameRecord
from tests.helpers import csrf_token

CHEREMIN = ExpertRecord(
    names=(NameRecord("Черёмин Леонид Сергеевич", "Cyrl", "ru", is_primary=True),),
    city="Moscow",
    sectors=("transport.metro",),
)
XU = ExpertRecord(
    names=(NameRecord("许心超", "Hani", "zh", is_primary=True), NameRecord("Xu Xinchao", "Latn", "en")),
    city="Beijing",
    sectors=("science.ai",),
)
# As the tester's list: a title, the header 序号,姓名,单位, then a total below the table.
CHINESE_LIST = "代表团名单,,\n序号,姓名,单位\n1,列昂尼德·切廖明,莫斯科\n2,许心超,清华大学\n,,\n合计：2人,,\n"
RUSSIAN_LIST = "Список делегации\n№;ФИО;Организация\n1;Черёмин Леонид Сергеевич;МГУ\n2;Сюй Синьчао;Цинхуа\n"


def _write(factory: sessionmaker[Session], *records: ExpertRecord) -> list[int]:
    with factory() as session, session.begin():
        return list(ExpertWriter(session, actor="test").write(list(records)).ids)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _body(page: str) -> str:
    """The results table's body."""
    assert "<tbody>" in page, _text(page)[-500:]
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _rows_of(page: str, name: str) -> list[str]:
    """The table rows of the name looked up ``name``: the first names it, the others follow it."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", _body(page), re.S)
    start = next(index for index, row in enumerate(rows) if "<td rowspan" in row and f">{name}</td>" in row)
    end = next(
        (
            index
            for index in range(start + 1, len(rows))
            if re.search(r"<td( rowspan=\"\d+\")?>\d+</td>", rows[index])
        ),
        len(rows),
    )
    return rows[start:end]


def _lookup(client: TestClient, top: int = 3, output: str = "html", lang: str = "en", **sent: object):
    token = csrf_token(client.get("/names", params={"lang": lang}).text)
    data = {"csrf": token, "top": str(top), "output": output, "text": sent.pop("text", "")}
    return client.post("/names", data=data, **sent)  # type: ignore[arg-type]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


def test_a_list_with_a_title_and_a_chinese_header_finds_its_people_not_its_title(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    cheremin, xu = _write(factory, CHEREMIN, XU)
    upload = {"files": {"file": ("代表团名单.csv", CHINESE_LIST.encode(), "text/csv")}}
    page = _lookup(client, **upload).text
    body = _text(_body(page))
    # Neither the title nor the header is looked up as a name, nor the total below the table.
    assert "代表团名单" not in body and "序号" not in body and "Tang" not in body
    assert "Names were read from the column “姓名” below the header in row 2." in _text(page)
    first = _rows_of(page, "列昂尼德·切廖明")
    # The name alone was looked up (not "1,列昂尼德·切廖明,莫斯科"): a match, not a possible one.
    assert f'href="/experts/{cheremin}"' in first[0] and "possible" not in first[0]
    assert f'href="/experts/{xu}"' in _rows_of(page, "许心超")[0]
    assert "6 合计：2人 Not looked up: a total or a note, not a name" in body
    answer = _lookup(client, top=1, output="csv", **upload)
    # Query ids are the rows of the table as a spreadsheet numbers them.
    assert [row[:3] for row in _csv_rows(answer.text)] == [["3", "1", str(cheremin)], ["4", "1", str(xu)]]
    assert all(float(row[3]) >= 0.9 for row in _csv_rows(answer.text))


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("utf-8", ","), ("utf-8-sig", "\t")],
    ids=["cp1251", "utf8", "excel-utf8-tabs"],
)
def test_a_russian_list_headed_fio_is_read_in_its_encoding(
    client: TestClient, factory: sessionmaker[Session], encoding: str, delimiter: str
) -> None:
    cheremin, xu = _write(factory, CHEREMIN, XU)
    data = RUSSIAN_LIST.replace(";", delimiter).encode(encoding)
    upload = {"files": {"file": ("делегация.csv", data, "text/csv")}}
    page = _lookup(client, lang="ru", **upload).text
    assert "Список делегации" not in _body(page)
    assert "Имена взяты из столбца «ФИО» под заголовком в строке 2." in _text(page)
    assert f'href="/experts/{cheremin}"' in _rows_of(page, "Черёмин Леонид Сергеевич")[0]
    answer = _lookup(client, top=1, output="csv", **upload)
    assert [row[:3] for row in _csv_rows(answer.text)] == [["3", "1", str(cheremin)], ["4", "1", str(xu)]]


def test_a_workbook_with_a_title_is_read_below_its_header(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    cheremin, xu = _write(factory, CHEREMIN, XU)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (
        ["代表团名单"],
        [],
        ["序号", "姓名", "单位"],
        [1, "列昂尼德·切廖明", "莫斯科"],
        [2, "Xu Xinchao", None],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    upload = {"files": {"file": ("名单.xlsx", buffer.getvalue(), sheet_type)}}
    answer = _lookup(client, top=1, output="csv", **upload)
    assert [row[:3] for row in _csv_rows(answer.text)] == [["4", "1", str(cheremin)], ["5", "1", str(xu)]]


@pytest.mark.parametrize(
    ("lang", "no_match", "possible", "floor"),
    [("en", "No confident match", "possible", "75%"), ("zh", "没有可靠的匹配", "可能", "75%")],
)
def test_a_weak_match_is_labelled_possible_under_no_confident_match(
    client: TestClient, factory: sessionmaker[Session], lang: str, no_match: str, possible: str, floor: str
) -> None:
    (cheremin,) = _write(factory, CHEREMIN)
    # Another given name: the surname alone meets, well below a match.
    page = _lookup(client, lang=lang, text="Черёмина Анна\nЧерёмин Леонид\n").text
    weak = _rows_of(page, "Черёмина Анна")
    assert no_match in _text(weak[0]) and "/experts/" not in weak[0]
    candidate = next(row for row in weak if f'href="/experts/{cheremin}"' in row)
    assert 'class="possible"' in candidate and f'<span class="badge">{possible}</span>' in candidate
    score = re.search(r"(\d+)\s?%", _text(candidate))
    assert score and int(score.group(1)) < 75
    strong = _rows_of(page, "Черёмин Леонид")
    assert f'href="/experts/{cheremin}"' in strong[0] and "possible" not in strong[0]
    assert no_match not in _text("".join(strong))
    assert floor in _text(page.split("</table>", 1)[1])  # the note says where a match starts


def test_rows_not_looked_up_are_shown_with_their_reason(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    (xu,) = _write(factory, XU)
    listed = b"query_id,name\nq1,Xu Xinchao\nq2,\nq3,\xf0\x9f\x99\x82\xf0\x9f\x99\x82\n"
    page = _lookup(client, files={"file": ("list.csv", listed, "text/csv")}).text
    body = _text(_body(page))
    assert "3 Not looked up: the name is empty" in body
    assert "4 🙂🙂 Not looked up: the name ('🙂🙂') has no letters to look up" in body
    assert (
        "1 name looked up; with a match: 1; possible matches only: 0; not found: 0; 2 rows not looked up"
        in (_text(page))
    )
    repeated = b"query_id,name\nq1,Xu Xinchao\nq2,Li Wei\nq1,<b>Xu</b>\n"
    page = _lookup(client, files={"file": ("list.csv", repeated, "text/csv")}).text
    assert "Rows 2, 4 have the same query_id q1: their matches cannot be told apart in the CSV download." in (
        _text(page)
    )
    assert "&lt;b&gt;Xu&lt;/b&gt;" in page and "<b>Xu" not in page
    russian = _text(_body(_lookup(client, lang="ru", files={"file": ("list.csv", listed, "text/csv")}).text))
    assert "3 Не проверено: имя не заполнено" in russian
    # Typed names stay one a line, a comma and all.
    typed = _lookup(client, text="Xu, Xinchao\n").text
    assert f'href="/experts/{xu}"' in _rows_of(typed, "Xu, Xinchao")[0]


def test_the_command_line_reads_the_same_file_the_same_way(
    client: TestClient,
    factory: sessionmaker[Session],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _write(factory, CHEREMIN, XU)
    monkeypatch.setenv("EXPERTBRIDGE_DATABASE_URL", database_url)
    monkeypatch.setenv("EXPERTBRIDGE_INDEX_DIR", str(tmp_path / "cli-index"))
    stderr = {}
    for name, data in (
        ("代表团名单.csv", CHINESE_LIST.encode()),
        ("делегация.csv", RUSSIAN_LIST.encode("cp1251")),
    ):
        # The page first: its index takes the new experts from the outbox the command line empties.
        page = _lookup(client, top=1, output="csv", files={"file": (name, data, "text/csv")})
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["names", "lookup", str(path), "--top", "1"])
        assert result.exit_code == 0, result.output
        assert _csv_rows(result.stdout) == _csv_rows(page.text)
        assert [row[0] for row in _csv_rows(result.stdout)] == ["3", "4"]
        stderr[name] = " ".join(result.stderr.split())
    assert (
        "代表团名单.csv, row 6, query_id 6: not looked up: a total or a note, not a name"
        in stderr["代表团名单.csv"]
    )
    assert "2 names looked up: 2 with matches, 0 without" in stderr["делегация.csv"]

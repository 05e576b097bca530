"""The import page with files as offices make them: a coordinator's own download of a list with both
sides' experts, the columns an update would change, totals below the table, and files that cannot be
read, each said in the page's language."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert, ExpertAffiliation
from tests.web.accounts import as_role, create_people
from tests.web.test_import_page import _upload


def _figure(page: str, label: str) -> int:
    found = re.search(rf"{label}</th><td>([\d\s\u00a0,]+)</td>", page)
    assert found, (label, page)
    return int(re.sub(r"\D", "", found.group(1)))


def _problem_rows(page: str) -> list[int]:
    if '<th scope="col">Problem</th>' not in page:
        return []
    table = page.split('<th scope="col">Problem</th>', 1)[1].split("</tbody>", 1)[0]
    return [int(number) for number in re.findall(r"<tr><td>(\d+)</td>", table)]


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_a_coordinator_imports_back_their_download_of_both_sides_and_may_change_their_side_only(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    beijing = as_role(client, "beijing")
    download = beijing.get("/experts/export.csv")
    assert download.status_code == 200
    reader = csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")))
    header, rows = list(reader.fieldnames or []), list(reader)
    cities = {row["city"] for row in rows}
    assert {"Moscow", "Beijing"} <= cities, cities
    with factory() as session:
        before = session.scalar(select(func.count(Expert.id)))

    # The file as downloaded: every row is what the registry holds, whatever its side.
    check = _upload(beijing, "experts.csv", download.content, dry_run="1")
    assert check.status_code == 200, check.text
    assert _figure(check.text, "Rows with problems") == 0, _problem_rows(check.text)
    assert _figure(check.text, "Unchanged") == len(rows)
    assert "This was a check only" in check.text

    # A Moscow row that would change its expert, and a new Moscow expert, are refused; a changed
    # Beijing row is the coordinator's to write.
    moscow_row = next(number for number, row in enumerate(rows, 2) if row["city"] == "Moscow")
    beijing_row = next(number for number, row in enumerate(rows, 2) if row["city"] == "Beijing")
    rows[moscow_row - 2]["position_title"] = "Главный конструктор"
    rows[beijing_row - 2]["position_title"] = "总工程师"
    new_row = {column: "" for column in header} | {"name_ru": "Ферапонтов Игнат Саввич", "city": "Moscow"}
    changed = _csv(header, [*rows, new_row])
    check = _upload(beijing, "changed.csv", changed, dry_run="1")
    assert check.status_code == 200, check.text
    assert _problem_rows(check.text) == [moscow_row, len(rows) + 2]
    assert "a coordinator imports the experts of their own side only" in check.text
    assert _figure(check.text, "Profiles to update") == 1
    assert _figure(check.text, "Profiles to create") == 0
    assert _figure(check.text, "Unchanged") == len(rows) - 2

    written = _upload(beijing, "changed.csv", changed, skip_invalid="1")
    assert written.status_code == 200, written.text
    with factory() as session:
        assert session.scalar(select(func.count(Expert.id))) == before
        titles = set(session.scalars(select(ExpertAffiliation.position_title)))
    assert "总工程师" in titles and "Главный конструктор" not in titles


def test_the_change_list_names_the_columns_by_their_labels_in_the_pages_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    first = (
        "id,name_ru,city,organization,email\nru-78,Зоркальцев Евлампий Петрович,Москва,МГУ,zork@example.ru\n"
    )
    assert _upload(admin, "a.csv", first.encode()).status_code == 200
    changed = first.replace("zork@example.ru", "evlampy@example.ru").replace("МГУ", "МИСиС").encode()
    for lang, said in (
        ("ru", "Зоркальцев Евлампий Петрович: изменятся столбцы Организация, Эл. почта"),
        ("zh", "Зоркальцев Евлампий Петрович：将更改 机构, 电子邮箱"),
        ("en", "Зоркальцев Евлампий Петрович: would change Organization, E-mail"),
    ):
        check = _upload(admin, "b.csv", changed, lang=lang, dry_run="1")
        assert check.status_code == 200, check.text
        assert said in check.text, (lang, check.text)
        assert "email" not in check.text.split("<ul>", 2)[-1].split("</ul>", 1)[0]


def test_totals_below_the_table_are_left_out_and_said_in_the_pages_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    content = (
        "序号,姓名,城市,单位\n1,欧阳振邦,北京,清华大学\n2,上官婉容,北京,北京交通大学\n合计：2人,,,\n"
    ).encode("gb18030")
    check = _upload(admin, "名单.csv", content, lang="zh", dry_run="1")
    assert check.status_code == 200, check.text
    assert _figure(check.text, "将新建的档案") == 2
    assert "表格下方的第 4 行看起来是合计或备注" in check.text
    assert "已忽略的列：序号" in check.text


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name_en"])
    sheet.append(["Ann Lee"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_renamed_workbook_and_broken_json_are_explained_in_the_pages_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    refused = _upload(admin, "эксперты.csv", _xlsx(), lang="ru", dry_run="1")
    assert refused.status_code == 422
    assert "эксперты.csv: это книга Excel (.xlsx), сохранённая с расширением .csv" in refused.text
    assert "cp1251" not in refused.text

    broken = b'[{"name_zh": "\xe6\xac\xa7\xe9\x98\xb3"}\n {"name_zh": "x"}]'
    refused = _upload(admin, "名单.json", broken, lang="zh", dry_run="1")
    assert refused.status_code == 422
    assert "名单.json，第 2 行第 2 列：JSON 格式无效：两个元素之间缺少逗号" in refused.text
    assert "Expecting" not in refused.text

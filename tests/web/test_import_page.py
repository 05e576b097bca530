"""Importing experts from a spreadsheet on the web (/experts/import): the check, the import, file
errors, who may import which experts, and the page's languages."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from tests.helpers import csrf_token
from tests.web.accounts import as_role, create_people

PAGE = "/experts/import"
# As an office sends it: a title row above the header, Russian headers, ';' as Russian Excel writes
# it, Windows-1251; the third expert's e-mail address is cut short.
MESSY_CSV = (
    "Список экспертов для форума «Москва — Пекин»;;;\n"
    "ФИО;Организация;Город;Эл. почта\n"
    "Зоркальцев Евлампий Петрович;НИИ приборостроения;Москва;zorkaltsev@example.ru\n"
    "Пантелеймонова Агриппина Львовна;МИСиС;Москва;pantel@example.ru\n"
    "Вострикова Олимпиада Ивановна;МГУ;Москва;vostrikova@\n"
).encode("cp1251")
# The header is line 2, so the rows are lines 3 to 5; the bad address is on line 5.
BAD_ROW = 5


def _experts(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count(Expert.id))) or 0


def _upload(client: TestClient, name: str, content: bytes, lang: str = "en", **choices: str) -> Any:
    """Send ``content`` as ``name`` through the page's form with ``choices`` (dry_run="1"...)."""
    token = csrf_token(client.get(PAGE).text)
    return client.post(
        f"{PAGE}?lang={lang}",
        data={"csrf": token, **choices},
        files={"file": (name, content)},
        follow_redirects=False,
    )


def _found(client: TestClient, query: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/api/v1/experts", params={"q": query}).json()["items"]
    return items


def test_an_admin_checks_a_messy_file_in_russian_then_imports_its_valid_rows(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _experts(factory)

    check = _upload(admin, "эксперты.csv", MESSY_CSV, lang="ru", dry_run="1")
    assert check.status_code == 200, check.text
    text = check.text
    # The problem in Russian, with its row, its column's label and the value.
    assert "это не адрес электронной почты (ожидается name@example.org)" in text
    assert f"<td>{BAD_ROW}</td><td>Эл. почта</td><td>vostrikova@</td>" in text
    assert "ничего не записано" in text
    # What the rows would do: two new profiles.
    assert "Будет создано профилей</th><td>2</td>" in text
    assert _experts(factory) == before
    assert _found(client, "Зоркальцев") == []

    imported = _upload(admin, "эксперты.csv", MESSY_CSV, lang="ru", skip_invalid="1")
    assert imported.status_code == 200, imported.text
    assert "Строки без ошибок записаны" in imported.text
    assert _experts(factory) == before + 2
    # Findable by the search at once, in the city the file gave.
    found = _found(client, "Зоркальцев")
    assert [item["city"] for item in found] == ["Moscow"], found
    assert _found(client, "Вострикова") == []


def test_a_file_with_a_bad_row_writes_nothing_unless_asked_to_skip_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _experts(factory)
    refused = _upload(admin, "experts.csv", MESSY_CSV)
    assert refused.status_code == 422
    assert "Nothing was written: some rows have problems" in refused.text
    assert "not an e-mail address" in refused.text
    assert _experts(factory) == before
    assert _found(client, "Зоркальцев") == []


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_file_is_imported_and_unreadable_files_get_a_clear_422(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _experts(factory)
    workbook = _xlsx(
        [
            ["Эксперты 2024"],
            ["姓名", "城市", "单位"],
            ["欧阳振华", "北京", "清华大学"],
        ]
    )
    # An admin may have the new profiles wait for vetting: stored, and not shown until approved.
    answer = _upload(admin, "专家.xlsx", workbook, lang="zh", pending="1")
    assert answer.status_code == 200, answer.text
    assert "文件已导入。" in answer.text
    assert _experts(factory) == before + 1
    with factory() as session:
        stored = session.scalar(select(Expert).where(Expert.city == "Beijing").order_by(Expert.id.desc()))
        assert stored is not None and stored.status == "pending"
    assert _found(client, "欧阳振华") == []

    for name, content, said in (
        ("empty.csv", b"", "empty.csv is empty: nothing to import."),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.png is not a file this page reads"),
        ("broken.xlsx", b"this is no workbook", "broken.xlsx: not a readable .xlsx workbook"),
        ("columns.csv", b"colour,size\nred,12\n", "no name column"),
        ("header-only.csv", "ФИО,Город\n".encode(), "the file has a header but no data rows"),
    ):
        refused = _upload(admin, name, content, dry_run="1")
        assert refused.status_code == 422, (name, refused.text)
        assert said in refused.text, (name, refused.text)
        assert "Traceback" not in refused.text
    # The lead of a file error is in the page's language.
    refused = _upload(admin, "columns.csv", b"colour,size\nred,12\n", lang="ru", dry_run="1")
    assert refused.status_code == 422 and "Файл не удалось прочитать" in refused.text
    # …and so is the reason, with the file's name as uploaded.
    refused = _upload(admin, "книга.xlsx", b"this is no workbook", lang="ru", dry_run="1")
    assert refused.status_code == 422 and "книга.xlsx: не удаётся прочитать книгу .xlsx" in refused.text
    refused = _upload(admin, "名单.json", b'[{"name_zh": "x",', lang="zh", dry_run="1")
    assert refused.status_code == 422 and "名单.json，第 1 行第 18 列：JSON 格式无效" in refused.text
    assert _experts(factory) == before + 1


def test_a_moscow_coordinator_imports_moscow_experts_only(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    with factory() as session:
        beijing_expert = session.get(Expert, people.other_expert_id)
        assert beijing_expert is not None and beijing_expert.city == "Beijing"
        beijing_id = beijing_expert.external_id or f"#{beijing_expert.id}"
    moscow = as_role(client, "moscow")
    rows = (
        "id,name_ru,city,email\n"
        "msk-imp-1,Ферапонтов Игнат Саввич,,ferapontov@example.ru\n"  # row 2: no city: Moscow's
        "msk-imp-2,Чжоу Лэй,Пекин,zhou@example.cn\n"  # row 3: a Beijing expert
        f"{beijing_id},Переименованный Эксперт,,\n"  # row 4: updates a Beijing expert
    ).encode()
    before = _experts(factory)

    check = _upload(moscow, "moscow.csv", rows, lang="ru", dry_run="1")
    assert check.status_code == 200, check.text
    # The city as the file wrote it, and the sides named in Russian.
    assert "<td>3</td><td>Город</td><td>Пекин</td><td>город эксперта — Пекин, а не Москва" in check.text
    assert "<td>4</td><td>Идентификатор</td>" in check.text

    # A coordinator's new profiles are approved (they vet their side): no "pending" for them.
    imported = _upload(moscow, "moscow.csv", rows, skip_invalid="1", pending="1")
    assert imported.status_code == 200, imported.text
    assert _experts(factory) == before + 1
    with factory() as session:
        new = session.scalar(select(Expert).where(Expert.external_id == "msk-imp-1"))
        assert new is not None and (new.city, new.status) == ("Moscow", "approved")
        assert session.scalar(select(Expert).where(Expert.external_id == "msk-imp-2")) is None
        stored = session.get(Expert, people.other_expert_id)
        assert stored is not None and stored.city == "Beijing"
    assert [item["city"] for item in _found(client, "Ферапонтов")] == ["Moscow"]
    assert _found(client, "Переименованный") == []


def test_who_may_import_and_the_page_in_three_languages(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    assert as_role(client, "public").get(PAGE).status_code == 401
    for key in ("expert", "partner"):
        browser = as_role(client, key)
        assert browser.get(PAGE).status_code == 403
        token = csrf_token(browser.get("/").text)
        answer = browser.post(
            PAGE, data={"csrf": token, "dry_run": "1"}, files={"file": ("e.csv", MESSY_CSV)}
        )
        assert answer.status_code == 403
    admin = as_role(client, "admin")
    # Without the form's token the upload is refused.
    no_token = admin.post(PAGE, data={"dry_run": "1"}, files={"file": ("e.csv", MESSY_CSV)})
    assert no_token.status_code == 403
    english = admin.get(PAGE)
    assert english.status_code == 200
    assert 'name="dry_run" value="1" checked' in english.text
    assert 'name="pending"' in english.text  # admins may hold new profiles for vetting
    assert '<a href="/experts/import">Import experts</a>' in admin.get("/experts").text
    for lang, title in (("ru", "Импорт экспертов"), ("zh", "导入专家")):
        page = admin.get(PAGE, params={"lang": lang})
        assert page.status_code == 200 and f"<h1>{title}</h1>" in page.text
    coordinator = as_role(client, "beijing").get(PAGE, params={"lang": "zh"})
    assert coordinator.status_code == 200
    assert 'name="pending"' not in coordinator.text
    assert "北京" in coordinator.text  # the side the coordinator imports for


def test_rows_of_one_person_are_named_in_the_pages_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # Two rows with one ORCID iD, as a merged list from two offices has them: the check says which
    # rows, in Chinese on a Chinese page.
    create_people(factory)
    admin = as_role(client, "admin")
    twice = (
        "姓名,城市,ORCID\n欧阳振华,北京,0000-0002-1825-0097\nOuyang Zhenhua,Beijing,0000-0002-1825-0097\n"
    ).encode()
    check = _upload(admin, "合并名单.csv", twice, lang="zh", dry_run="1")
    assert check.status_code == 200, check.text
    assert "第 3 行与第 2 行的 ORCID iD 相同：一人只占一行；请合并这两行" in check.text


def test_a_check_says_in_the_pages_language_what_an_update_would_change(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    first = "id,name_ru,city,email\nru-77,Зоркальцев Евлампий Петрович,Москва,zork@example.ru\n".encode()
    assert _upload(admin, "a.csv", first).status_code == 200
    changed = first.replace(b"zork@example.ru", b"evlampy@example.ru")
    check = _upload(admin, "b.csv", changed, lang="ru", dry_run="1")
    assert check.status_code == 200, check.text
    assert "строка 2, #" in check.text
    assert "Зоркальцев Евлампий Петрович: изменятся столбцы Эл. почта" in check.text

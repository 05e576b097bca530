"""The import page says a row's problem in the page's language and shows the values of the file as
written: a city the file writes "City" is not «Город» on a Russian page, while the name of a script
the code gives is said in Russian."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web.accounts import as_role, create_people
from tests.web.test_import_page import _upload


def test_a_city_written_like_a_word_of_the_pages_is_shown_as_the_file_writes_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    rows = (
        "id,name_ru,city,email\n"
        "lbl-1,Ivanov Ivan,,ivanov@example.ru\n"  # row 2: a Russian name in Latin letters
        "lbl-2,Котов Кирилл Петрович,City,kotov@example.ru\n"  # row 3: a city of another side
    ).encode()
    check = _upload(moscow, "cities.csv", rows, lang="ru", dry_run="1")
    assert check.status_code == 200, check.text
    assert "должно быть написано кириллицей" in check.text
    assert "<td>3</td><td>Город</td><td>City</td><td>город эксперта — City, а не Москва" in check.text
    assert "город эксперта — Город" not in check.text

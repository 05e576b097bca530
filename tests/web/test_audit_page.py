"""The audit log page as an admin reads it: the kinds of record in the page's language, the actor
found by the e-mail address the list shows beside it, and a mistyped date named with what to write."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import User
from tests.web.accounts import EMAILS, as_role, create_people


def _user_id(factory: sessionmaker[Session], email: str) -> int:
    with factory() as session:
        found = session.scalar(select(User.id).where(User.email == email))
    assert found is not None
    return found


def _actors(page: str) -> list[str]:
    """The actor of each row of the log's table."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td><a [^>]*>([^<]*)</a>", body)


def _record_cells(page: str) -> list[str]:
    """The text of the record column of each row."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [text.strip() for text in re.findall(r"entity_type=[^\"]*\">([^<]*)</a>", body)]


def test_the_kinds_of_record_are_said_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    admin_id = _user_id(factory, EMAILS["admin"])
    for language, organization, account in (("ru", "Организация", "Учётная запись"), ("zh", "机构", "账户")):
        page = admin.get("/admin/audit", params={"lang": language}).text
        assert f'<option value="organization">{organization}</option>' in page
        assert f'<option value="user">{account}</option>' in page
        assert '<option value="expert">expert</option>' not in page
        signins = admin.get(
            "/admin/audit", params={"lang": language, "action": "signin", "actor": f"user:{admin_id}"}
        ).text
        assert _record_cells(signins) and set(_record_cells(signins)) == {f"{account} {admin_id}"}


def test_the_actor_is_found_by_the_e_mail_address_the_list_shows(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    as_role(client, "moscow")  # signs in: an entry of hers
    moscow_id = _user_id(factory, EMAILS["moscow"])
    listed = admin.get("/admin/audit", params={"lang": "en", "action": "signin"}).text
    assert f"user:{moscow_id}</a><br><small>{EMAILS['moscow']}</small>" in listed

    by_email = admin.get("/admin/audit", params={"lang": "en", "actor": " Moscow@Example.org "})
    assert by_email.status_code == 200
    assert _actors(by_email.text) and set(_actors(by_email.text)) == {f"user:{moscow_id}"}
    assert 'name="actor" value=" Moscow@Example.org "' in by_email.text  # the filter as typed
    by_id = admin.get("/admin/audit", params={"lang": "en", "actor": f"user:{moscow_id}"}).text
    assert _actors(by_id) == _actors(by_email.text)

    nobody = admin.get("/admin/audit", params={"lang": "ru", "actor": "nobody@example.org"})
    assert nobody.status_code == 200 and _actors(nobody.text) == []
    assert "Нет учётной записи с адресом электронной почты nobody@example.org" in nobody.text


def test_a_date_that_is_not_one_is_named_with_the_format_to_write(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    for language, problem in (
        ("en", "“From”: 2026-13-01 is not a date; write it as YYYY-MM-DD"),
        ("ru", "«С»: 2026-13-01 — не дата; пишите ГГГГ-ММ-ДД"),
        ("zh", "“起始”：2026-13-01 不是日期；请按 YYYY-MM-DD 格式填写"),
    ):
        answer = admin.get("/admin/audit", params={"lang": language, "since": "2026-13-01"})
        assert answer.status_code == 422, language
        assert problem in answer.text, language
        assert 'name="since" type="date" value="2026-13-01"' in answer.text  # the form, as typed
    both = admin.get("/admin/audit", params={"lang": "en", "since": "yesterday", "until": "2026-02-30"})
    assert both.status_code == 422
    assert "“From”: yesterday is not a date" in both.text and "“To”: 2026-02-30 is not a date" in both.text
    assert admin.get("/admin/audit", params={"since": "2020-01-01", "until": "2999-12-31"}).status_code == 200

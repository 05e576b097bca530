"""A problem of a form is its field's label, the page language's colon and what is wrong: Chinese
pages write the full-width colon with no space after it (国家：…), as every other label of a page
does; Russian and English pages keep ": "."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.ingest.report import Issue
from expertbridge.registry.organizations import read_organizations
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_text, issue_texts
from tests.web.accounts import as_role, create_people, post_form

UNKNOWN = Issue.of(2, "country", "ZZ", "unknown country; use a code such as RU or CN")


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh", "国家：未知国家；请使用 RU 或 CN 等代码 (ZZ)"),
        ("ru", "Страна: "),
        ("en", "Country: unknown country; use a code such as RU or CN (ZZ)"),
    ],
)
def test_a_problem_line_takes_the_languages_colon(language: str, line: str) -> None:
    said = issue_text(Translator(language), UNKNOWN)
    assert said.startswith(line)
    assert said == issue_texts(Translator(language), [UNKNOWN])[0]


def test_no_chinese_problem_line_has_an_ascii_colon_after_its_label() -> None:
    issues = [
        Issue.of(3, "email", "x@", "not an e-mail address (expected name@example.org)"),
        Issue.of(4, "name_ru", "", "no name: give a name in at least one script"),
        UNKNOWN,
    ]
    for said in issue_texts(Translator("zh"), issues):
        label, colon, _rest = said.partition("：")
        assert colon and ":" not in label and not said[len(label) + 1 :].startswith(" ")


@pytest.mark.parametrize(("language", "prefix"), [("zh", "国家："), ("ru", "Страна: "), ("en", "Country: ")])
def test_a_form_page_says_its_problems_with_the_languages_colon(
    client: TestClient, factory: sessionmaker[Session], language: str, prefix: str
) -> None:
    create_people(factory)
    with factory() as session:
        organization_id = session.scalar(
            select(Organization.id).where(Organization.status == "approved").order_by(Organization.id)
        )
        assert organization_id is not None
        record = read_organizations(session, [organization_id])[organization_id]
    values = {
        "name_ru": record.names.get("ru", ""),
        "name_zh": record.names.get("zh", ""),
        "name_en": record.names.get("en", ""),
        "type": record.type,
        "ror_id": record.ror_id or "",
        "city": "Helsinki",
        "country": "ZZ",
    }
    edit = f"/organizations/{organization_id}/edit"
    answer = post_form(as_role(client, "admin"), edit, f"{edit}?lang={language}", values)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    assert prefix + Translator(language).gettext("unknown country; use a code such as RU or CN") in page
    if language == "zh":
        assert "国家: " not in page

"""A row's problem on a page translates the words of the code (a column's label, the name of a
script) and nothing else: what the file or the registry holds (an organization named "Other", a
city written "City", an empty name) is shown as written, whatever the catalogs hold under the same
words."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.ingest.experts import EXPERT_COLUMNS
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS
from expertbridge.ingest.report import Issue
from expertbridge.registry.organizations import UNIT_AS_PARENT
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_text, issue_texts
from tests.helpers import write_csv

RUSSIAN, CHINESE = Translator("ru"), Translator("zh")


def test_the_words_of_the_catalogs_this_test_relies_on_are_translated() -> None:
    # Otherwise the tests below would pass for want of a translation, not for showing values as written.
    assert (RUSSIAN.gettext("Other"), RUSSIAN.gettext("City")) == ("Другое", "Город")
    assert (CHINESE.gettext("Other"), CHINESE.gettext("City")) == ("其他", "城市")


def test_organizations_named_like_words_of_the_pages_keep_their_names_in_a_parent_loop(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [
        {"id": "t-other", "name_en": "Other", "city": "Moscow", "parent": "t-city"},
        {"id": "t-city", "name_en": "City", "city": "Moscow", "parent": "t-other"},
    ]
    path = write_csv(data_dir / "loop.csv", rows, columns=ORGANIZATION_COLUMNS)
    report = Importer(factory, ImportOptions()).run("organizations", path)
    assert [(issue.row, issue.column) for issue in report.issues] == [(3, "parent")]
    [russian] = issue_texts(RUSSIAN, report.issues)
    assert "организация «Other» (№ " in russian and "входит в состав организации «City» (№ " in russian
    assert "Другое" not in russian and "Город" not in russian
    [chinese] = issue_texts(CHINESE, report.issues)
    assert "“Other”" in chinese and "“City”" in chinese and "其他" not in chinese
    # The English of the command line is as it was.
    assert report.issues[0].message.startswith("“Other” (number ")


def test_the_name_of_a_script_is_still_said_in_the_readers_language(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    row = {"id": "latin-1", "name_ru": "Ivanov Ivan", "city": "Moscow"}
    path = write_csv(data_dir / "latin.csv", [row], columns=EXPERT_COLUMNS)
    report = Importer(factory, ImportOptions(dry_run=True)).run("experts", path)
    [issue] = [issue for issue in report.issues if issue.column == "name_ru"]
    assert issue.message.startswith("must be written in Cyrillic; put each spelling in its own column")
    assert "должно быть написано кириллицей" in issue_text(RUSSIAN, issue)


def test_an_empty_value_is_shown_empty_and_not_as_the_catalogs_header() -> None:
    # gettext("") is a catalog's header (Project-Id-Version: …): a value is never looked up.
    issue = Issue(
        2,
        "parent",
        "upper",
        "“” (number 7) is part of “Upper” (number 8), so it cannot be its parent; …",
        UNIT_AS_PARENT,
        (("parent", ""), ("parent_id", "7"), ("name", "Upper"), ("id", "8")),
    )
    russian = issue_text(RUSSIAN, issue)
    assert "организация «» (№ 7) входит в состав организации «Upper» (№ 8)" in russian
    assert "Project-Id-Version" not in russian and "Content-Type" not in russian

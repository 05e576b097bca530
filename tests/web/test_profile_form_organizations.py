"""The profile form names organizations of the registry rather than adding them again: a name it
does not know brings back those with similar names to pick from, and a new organization (pending)
is added only when the person confirms none of them is theirs.  Names that differ only in spacing or
punctuation are one organization's, for the form and the import alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import ExpertAffiliation, Organization
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.organizations import OrganizationDirectory, write_organization
from expertbridge.registry.records import OrganizationRecord
from tests.helpers import write_csv
from tests.web.accounts import as_role, create_people
from tests.web.profile_form_pages import send_profile

OWN = "/account/profile"
LOMONOSOV_ROR = "https://ror.org/010pmpe69"  # Lomonosov Moscow State University, in the demo's ROR extract
TSINGHUA_ROR = "https://ror.org/03cve4549"


def _organization(factory: sessionmaker[Session], ror_id: str) -> int:
    with factory() as session:
        found = session.scalar(select(Organization.id).where(Organization.ror_id == ror_id))
        assert found is not None
        return found


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Organization)) or 0)


def _affiliation(factory: sessionmaker[Session], expert_id: int) -> int | None:
    with factory() as session:
        return session.scalar(
            select(ExpertAffiliation.organization_id).where(ExpertAffiliation.expert_id == expert_id)
        )


def test_an_abbreviated_name_offers_the_organization_instead_of_adding_it_again(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    lomonosov = _organization(factory, LOMONOSOV_ROR)
    organizations = _count(factory)
    expert = as_role(client, "expert")
    asked = send_profile(expert, OWN, {"organization": "МГУ имени М. В. Ломоносова"}, language="ru")
    assert asked.status_code == 422  # type: ignore[attr-defined]
    page = asked.text  # type: ignore[attr-defined]
    assert "Какую организацию вы имеете в виду?" in page
    line = f"{lomonosov} · Московский государственный университет имени М.В. Ломоносова"
    assert f'name="organization_pick" value="{line}"' in page
    assert 'name="organization_pick" value="new"' in page
    assert "Губкина" not in page  # sharing only "имени" with the name typed is no likeness
    assert _count(factory) == organizations  # nothing added while the person has not chosen

    picked = send_profile(expert, OWN, {"organization_pick": line}, language="ru")
    assert picked.status_code == 303, picked.text  # type: ignore[attr-defined]
    assert _affiliation(factory, people.expert_id) == lomonosov
    assert _count(factory) == organizations
    # the form now shows the organization by its name in the page's language, and keeps it
    editor = expert.get(OWN, params={"lang": "ru"}).text
    assert 'value="Московский государственный университет имени М.В. Ломоносова"' in editor
    again = send_profile(expert, OWN, {}, language="zh")
    assert again.status_code == 303 and _affiliation(factory, people.expert_id) == lomonosov  # type: ignore[attr-defined]


def test_a_new_organization_is_added_only_when_the_person_confirms_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    organizations = _count(factory)
    expert = as_role(client, "expert")
    asked = send_profile(expert, OWN, {"organization": "Институт квантовых котов", "languages": "xx"})
    # every problem at once: the organization to choose and the others
    assert asked.status_code == 422  # type: ignore[attr-defined]
    assert "unknown language" in asked.text and "Which organization do you mean?" in asked.text  # type: ignore[attr-defined]
    assert "None of these: add “Институт квантовых котов” as a new organization" in asked.text  # type: ignore[attr-defined]
    assert _count(factory) == organizations

    confirmed = send_profile(
        expert, OWN, {"organization": "Институт квантовых котов", "organization_pick": "new"}
    )
    assert confirmed.status_code == 303, confirmed.text  # type: ignore[attr-defined]
    assert _count(factory) == organizations + 1
    with factory() as session:
        organization = session.get(Organization, _affiliation(factory, people.expert_id))
        assert organization is not None and (organization.status, organization.city) == ("pending", "Moscow")


def test_a_coordinator_on_an_experts_behalf_chooses_too(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    organizations = _count(factory)
    moscow = as_role(client, "moscow")
    asked = send_profile(
        moscow, "/profiles/new", {"name_ru": "Белкина Дарья", "organization": "МГУ им. Ломоносова"}
    )
    assert asked.status_code == 422 and "Which organization do you mean?" in asked.text  # type: ignore[attr-defined]
    assert _count(factory) == organizations


def test_spacing_and_punctuation_do_not_make_another_organization(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    with factory() as session, session.begin():
        directory = OrganizationDirectory(session)
        lomonosov, _ = write_organization(
            session,
            OrganizationRecord(names={"ru": "Московский государственный университет имени М.В. Ломоносова"}),
            directory,
            actor="test",
        )
        tsinghua, _ = write_organization(
            session,
            OrganizationRecord(names={"zh": "清华大学", "en": "Tsinghua University"}),
            directory,
            actor="test",
        )
        for name in ("Alpha-Beta Lab", "Alpha Beta Lab"):  # two organizations a joined name cannot tell apart
            write_organization(session, OrganizationRecord(names={"en": name}), directory, actor="test")
    with factory() as session:
        directory = OrganizationDirectory(session)
        assert directory.find("Московский государственный университет имени МВ Ломоносова") == lomonosov
        assert directory.find("МОСКОВСКИЙ государственный университет имени М. В. Ломоносова") == lomonosov
        assert directory.find("清华 大学") == tsinghua and directory.find("TsinghuaUniversity") == tsinghua
        assert directory.find("AlphaBeta Lab") is None  # shared once joined: not guessed
        assert directory.find("Alpha Beta Lab") is not None  # an exact name still finds its own
        assert directory.find("Московский университет") is None
    before = _count(factory)
    row = {"name_zh": "许心超", "city": "北京", "organization": "清华 大学"}
    report = Importer(factory, ImportOptions()).run("experts", write_csv(data_dir / "experts.csv", [row]))
    assert (report.issues, report.created) == ([], 1)
    assert _count(factory) == before


@pytest.mark.parametrize(("language", "shown"), [("ru", "Tsinghua University"), ("zh", "清华大学")])
def test_the_organization_is_named_in_the_pages_language(
    client: TestClient, factory: sessionmaker[Session], language: str, shown: str
) -> None:
    people = create_people(factory)
    tsinghua = _organization(factory, TSINGHUA_ROR)
    moscow = as_role(client, "moscow")
    page = f"/profiles/{people.expert_id}/edit"
    saved = send_profile(moscow, page, {"organization": "Tsinghua University"}, language=language)
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    assert _affiliation(factory, people.expert_id) == tsinghua
    editor = moscow.get(page, params={"lang": language}).text
    # its name in the page's language (it has none in Russian): not the English name typed
    assert f'id="organization" name="organization" value="{shown}"' in editor

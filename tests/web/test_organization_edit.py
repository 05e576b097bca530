"""Adding and editing organizations on the web: who may, what is checked, what is audited, and that
a renamed organization finds its experts by the new name."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import (
    AuditEntry,
    Expert,
    ExpertAffiliation,
    IndexOutbox,
    Organization,
    OrganizationName,
)
from expertbridge.registry.organizations import read_organizations
from tests.web.accounts import as_role, create_people, post_form
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
# A ROR id with a valid checksum that no demo organization has (checked in the test that uses it).
NEW_ROR_ID = "https://ror.org/0zzzzzz02"
INSTITUTE = {
    "name_ru": "Институт квантовых сенсоров",
    "name_zh": "量子传感器研究所",
    "name_en": "Institute of Quantum Sensors",
    "aliases": "ИКС\nIQS",
    "type": "research_institute",
    "city": "Москва",
    "country": "",
    "ror_id": NEW_ROR_ID.removeprefix("https://ror.org/"),
    "wikidata_id": "q4115189",
    "website": "https://iqs.example.ru/",
    "parent": "",
}


def _post(client: TestClient, page: str, action: str, data: dict[str, str], **kwargs: Any) -> Any:
    return post_form(client, page, action, data, **kwargs)


def _organization_with_expert(factory: sessionmaker[Session], city: str) -> tuple[int, int]:
    """An approved organization of ``city`` and an approved expert working there."""
    with factory() as session:
        found = session.execute(
            select(Organization.id, Expert.id)
            .join(ExpertAffiliation, ExpertAffiliation.organization_id == Organization.id)
            .join(Expert, Expert.id == ExpertAffiliation.expert_id)
            .where(Organization.city == city, Organization.status == "approved", Expert.status == "approved")
            .order_by(Organization.id, Expert.id)
        ).first()
        assert found is not None
        return found[0], found[1]


def _organization(factory: sessionmaker[Session], city: str, *, skip: int = 0) -> int:
    with factory() as session:
        ids = list(
            session.scalars(
                select(Organization.id)
                .where(Organization.city == city, Organization.status == "approved")
                .order_by(Organization.id)
                .limit(skip + 1)
            )
        )
        return ids[skip]


def _audit(factory: sessionmaker[Session], organization_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    with factory() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.entity_type == "organization", AuditEntry.entity_id == organization_id)
            .order_by(AuditEntry.id)
        ).all()
        return [(actor, action, json.loads(changes or "{}")) for actor, action, changes in rows]


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Organization)) or 0


def test_an_admin_adds_an_organization_in_three_languages_under_a_parent(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    parent_id = _organization(factory, "Moscow")
    with factory() as session:
        assert session.scalar(select(Organization.id).where(Organization.ror_id == NEW_ROR_ID)) is None
    admin = as_role(client, "admin")
    assert 'href="/organizations/new"' in admin.get("/organizations").text
    form = admin.get("/organizations/new")
    assert form.status_code == 200 and 'name="name_zh"' in form.text and 'name="parent"' in form.text
    answer = _post(admin, "/organizations/new", "/organizations/new", {**INSTITUTE, "parent": str(parent_id)})
    assert answer.status_code == 303, answer.text
    organization_id = int(answer.headers["location"].split("/")[2])
    assert answer.headers["location"] == f"/organizations/{organization_id}/edit?saved=1"

    with factory() as session:
        organization = session.get(Organization, organization_id)
        assert organization is not None
        assert (organization.city, organization.country, organization.type) == (
            "Moscow",
            "RU",
            "research_institute",
        )
        assert organization.parent_id == parent_id
        assert organization.status == "approved"  # its creator is one who vets it
        assert (organization.ror_id, organization.wikidata_id) == (NEW_ROR_ID, "Q4115189")
        record = read_organizations(session, [organization_id])[organization_id]
    assert record.names == {
        "ru": "Институт квантовых сенсоров",
        "zh": "量子传感器研究所",
        "en": "Institute of Quantum Sensors",
    }
    assert record.aliases == ("ИКС", "IQS")
    audit = _audit(factory, organization_id)
    assert [action for _, action, _ in audit] == ["create", "update"]  # created, then linked to its parent
    assert audit[0][0].startswith("user:") and audit[0][2] == {"status": "approved"}
    assert audit[1][2] == {"parent_id": [None, parent_id]}

    page = admin.get(f"/organizations/{organization_id}", params={"lang": "zh"}).text
    assert "量子传感器研究所" in page and f'href="/organizations/{parent_id}"' in page
    assert f'href="/organizations/{organization_id}/edit"' in page
    # the edit form comes back filled, the parent named
    edit = admin.get(f"/organizations/{organization_id}/edit", params={"saved": "1", "lang": "en"}).text
    assert "The organization has been saved." in edit
    assert 'value="Институт квантовых сенсоров"' in edit and f'value="{parent_id} · ' in edit
    # found by the search of the list, in any of its names
    assert f'href="/organizations/{organization_id}"' in admin.get("/organizations", params={"q": "IQS"}).text


def test_a_coordinator_renames_an_organization_of_their_side_and_its_experts_are_found_by_the_new_name(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    organization_id, expert_id = _organization_with_expert(factory, "Moscow")
    with factory() as session:
        before = read_organizations(session, [organization_id])[organization_id]
    new_name = "Зюзинский институт левитации"
    public = as_role(client, "public")
    assert expert_id not in _found(public, "Зюзинский левитации")

    moscow = as_role(client, "moscow")
    page = moscow.get(f"/organizations/{organization_id}").text
    assert f'href="/organizations/{organization_id}/edit"' in page
    edit = f"/organizations/{organization_id}/edit"
    form = moscow.get(edit)
    assert form.status_code == 200
    values = {
        "name_ru": new_name,
        "name_zh": "祖津悬浮研究所",
        "name_en": "Zyuzino Institute of Levitation",
        "aliases": "\n".join(before.aliases),
        "type": before.type,
        "city": "Moscow",
        "country": before.country or "",
        "ror_id": before.ror_id or "",
        "wikidata_id": before.wikidata_id or "",
        "website": before.website or "",
        "parent": "",
    }
    saved = _post(moscow, edit, edit, values)
    assert saved.status_code == 303, saved.text
    with factory() as session:
        after = read_organizations(session, [organization_id])[organization_id]
        status = session.scalar(select(Organization.status).where(Organization.id == organization_id))
    assert after.names == {"ru": new_name, "zh": "祖津悬浮研究所", "en": "Zyuzino Institute of Levitation"}
    assert status == "approved"
    actor, action, changes = _audit(factory, organization_id)[-1]
    assert action == "update" and actor.startswith("user:") and "names" in changes
    assert changes["names"][1]["ru"] == new_name

    # the expert's index entry carries the organization's new names, not the old one
    assert expert_id in _found(public, "Зюзинский левитации")
    assert expert_id in _found(public, "祖津悬浮研究所")


def _found(client: TestClient, query: str) -> set[int]:
    answer = client.get("/api/v1/experts", params={"q": query, "per_page": 50})
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}


def test_a_rename_through_the_api_also_reindexes_the_organizations_experts(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    organization_id, expert_id = _organization_with_expert(factory, "Beijing")
    changed = client.patch(
        f"/api/v1/organizations/{organization_id}", headers=AUTH, json={"name_en": "Wudaokou Levitation Lab"}
    )
    assert changed.status_code == 200, changed.text
    assert expert_id in _found(client, "Wudaokou Levitation")


def test_only_admins_the_sides_coordinators_and_its_partner_change_an_organization(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    moscow_id = _organization(factory, "Moscow", skip=1)
    assert moscow_id != people.organization_id
    edit = f"/organizations/{moscow_id}/edit"
    count = _count(factory)
    audit = _audit(factory, moscow_id)

    public = as_role(client, "public")
    assert public.get("/organizations/new").status_code == 401
    assert public.get(edit).status_code == 401
    assert 'href="/organizations/new"' not in public.get("/organizations").text
    assert f'href="{edit}"' not in public.get(f"/organizations/{moscow_id}").text

    expert = as_role(client, "expert")
    assert expert.get("/organizations/new").status_code == 403
    refused = expert.get(edit)
    assert refused.status_code == 403 and "Only admins, coordinators and partner accounts" in refused.text
    assert _post(expert, "/organizations", edit, {**INSTITUTE, "city": "Moscow"}).status_code == 403
    assert f'href="{edit}"' not in expert.get(f"/organizations/{moscow_id}").text

    beijing = as_role(client, "beijing")
    assert 'href="/organizations/new"' in beijing.get("/organizations").text
    assert f'href="{edit}"' not in beijing.get(f"/organizations/{moscow_id}").text
    other_side = beijing.get(edit, headers={"Accept-Language": "ru"})
    assert other_side.status_code == 403 and "только своей стороны (Пекин)" in other_side.text
    assert _post(beijing, "/organizations", edit, {**INSTITUTE, "city": "Beijing"}).status_code == 403
    # a Moscow organization added from Beijing: the form comes back with what was typed
    answer = _post(beijing, "/organizations/new", "/organizations/new", INSTITUTE)
    assert answer.status_code == 403 and "Institute of Quantum Sensors" in answer.text
    assert _count(factory) == count and _audit(factory, moscow_id) == audit
    # on their own side they add it, approved at once: they are the ones who would vet it
    added = _post(beijing, "/organizations/new", "/organizations/new", {**INSTITUTE, "city": "北京"})
    assert added.status_code == 303, added.text
    with factory() as session:
        created = session.scalars(select(Organization).where(Organization.ror_id == NEW_ROR_ID)).one()
        assert (created.city, created.country, created.status) == ("Beijing", "CN", "approved")

    moscow = as_role(client, "moscow")
    assert f'href="{edit}"' in moscow.get(f"/organizations/{moscow_id}").text
    # nor may a coordinator move an organization of their side to the other one
    moved = _post(moscow, edit, edit, {**INSTITUTE, "city": "Пекин", "ror_id": ""})
    assert moved.status_code == 403
    with factory() as session:
        assert session.scalar(select(Organization.city).where(Organization.id == moscow_id)) == "Moscow"
    # a pending organization of the other side is not even there for them
    with factory() as session:
        session.execute(update(Organization).where(Organization.id == moscow_id).values(status="pending"))
        session.commit()
    assert beijing.get(edit).status_code == 404
    assert as_role(client, "admin").get("/organizations/99999999/edit").status_code == 404


def test_a_partner_edits_its_own_organization_only_and_not_its_vetting(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    own = people.organization_id
    with factory() as session:
        session.execute(update(Organization).where(Organization.id == own).values(status="pending"))
        session.commit()
        other = session.scalar(
            select(Organization.id).where(Organization.status == "approved").order_by(Organization.id)
        )
        record = read_organizations(session, [own])[own]
    assert other is not None and other != own
    partner = as_role(client, "partner")
    assert 'href="/organizations/new"' not in partner.get("/organizations").text
    refused = partner.get("/organizations/new")
    assert refused.status_code == 403 and "Only admins and coordinators add organizations." in refused.text
    count = _count(factory)
    assert _post(partner, "/organizations", "/organizations/new", INSTITUTE).status_code == 403
    assert _count(factory) == count
    assert f'href="/organizations/{other}/edit"' not in partner.get(f"/organizations/{other}").text
    other_edit = partner.get(f"/organizations/{other}/edit")
    assert other_edit.status_code == 403 and "changes its own organization only" in other_edit.text
    assert _post(partner, "/organizations", f"/organizations/{other}/edit", INSTITUTE).status_code == 403

    edit = f"/organizations/{own}/edit"
    assert f'href="{edit}"' in partner.get(f"/organizations/{own}").text
    form = partner.get(edit)
    assert form.status_code == 200 and 'name="status"' not in form.text
    values = {
        "name_ru": "Партнёрская лаборатория",
        "name_zh": record.names.get("zh", ""),
        "name_en": record.names.get("en", ""),
        "type": record.type,
        "city": record.city or "",
        "website": "https://partner.example.cn",
        "status": "approved",  # not a field of the form: ignored
    }
    saved = _post(partner, edit, edit, values)
    assert saved.status_code == 303, saved.text
    with factory() as session:
        organization = session.get(Organization, own)
        assert organization is not None
        assert organization.status == "pending" and organization.website == "https://partner.example.cn"
    assert "Партнёрская лаборатория" in read_organizations_names(factory, own)


def read_organizations_names(factory: sessionmaker[Session], organization_id: int) -> list[str]:
    with factory() as session:
        return list(
            session.scalars(
                select(OrganizationName.text).where(OrganizationName.organization_id == organization_id)
            )
        )


def test_nonsense_is_refused_naming_the_field_and_keeping_what_was_typed(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    count = _count(factory)
    typed = {
        **INSTITUTE,
        "name_ru": "Institute in Latin letters",
        "type": "spaceship",
        "ror_id": "0zzzzzz03",  # the checksum is wrong
        "wikidata_id": "P31",
        "website": "javascript:alert(1)",
        "parent": "No Such Parent Anywhere",
    }
    answer = _post(admin, "/organizations/new", "/organizations/new?lang=en", typed)
    assert answer.status_code == 422
    page = answer.text
    for problem in (
        "Russian name: is not written in Cyrillic letters",
        "Type: unknown organization type",
        "ROR id: not a ROR id",
        "Wikidata id: not a Wikidata id",
        "Website: not a website address",
        "Part of: no organization of the registry has this number or name",
    ):
        assert problem in page, problem
    for value in (
        "Institute in Latin letters",
        "量子传感器研究所",
        "0zzzzzz03",
        "P31",
        "No Such Parent Anywhere",
    ):
        assert f'value="{value}"' in page, value
    assert "javascript:alert(1)" in page and "ИКС\nIQS" in page
    assert _count(factory) == count

    nameless = _post(
        admin,
        "/organizations/new",
        "/organizations/new?lang=ru",
        {"name_ru": "", "name_zh": "", "name_en": "", "city": "Москва"},
    )
    assert nameless.status_code == 422 and "заполните название хотя бы на одном языке" in nameless.text

    # the ROR id of another organization, in Chinese
    with factory() as session:
        holder, ror_id = session.execute(
            select(Organization.id, Organization.ror_id).where(Organization.ror_id.is_not(None))
        ).first()  # type: ignore[misc]
    taken = _post(admin, "/organizations/new", "/organizations/new?lang=zh", {**INSTITUTE, "ror_id": ror_id})
    assert taken.status_code == 422 and "ROR" in taken.text and str(holder) in taken.text
    assert "该 ROR 标识" in taken.text
    assert _count(factory) == count


def test_the_parent_is_neither_the_organization_nor_one_of_its_units(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    upper = _organization(factory, "Moscow")
    lower = _organization(factory, "Moscow", skip=1)
    with factory() as session:
        session.execute(update(Organization).where(Organization.id == lower).values(parent_id=upper))
        session.execute(update(Organization).where(Organization.id == upper).values(parent_id=None))
        session.commit()
        record = read_organizations(session, [upper])[upper]
    values = {
        "name_ru": record.names.get("ru", ""),
        "name_zh": record.names.get("zh", ""),
        "name_en": record.names.get("en", ""),
        "type": record.type,
        "city": "Moscow",
        "ror_id": record.ror_id or "",
    }
    moscow = as_role(client, "moscow")
    edit = f"/organizations/{upper}/edit"
    itself = _post(moscow, edit, edit + "?lang=ru", {**values, "parent": str(upper)})
    assert itself.status_code == 422 and "Входит в состав" in itself.text
    unit = _post(moscow, edit, edit + "?lang=en", {**values, "parent": str(lower)})
    assert unit.status_code == 422 and "cannot be part of its unit" in unit.text
    with factory() as session:
        assert session.scalar(select(Organization.parent_id).where(Organization.id == upper)) is None


def test_the_parent_is_found_by_a_part_of_its_name_and_chosen(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    organization_id = _organization(factory, "Beijing")
    with factory() as session:
        record = read_organizations(session, [organization_id])[organization_id]
        parent_id, parent_name = session.execute(
            select(OrganizationName.organization_id, OrganizationName.text)
            .join(Organization, Organization.id == OrganizationName.organization_id)
            .where(
                Organization.status == "approved",
                Organization.id != organization_id,
                OrganizationName.language == "en",
                OrganizationName.kind == "label",
            )
            .order_by(Organization.id)
        ).first()  # type: ignore[misc]
    values = {
        "name_zh": record.names.get("zh", ""),
        "name_en": record.names.get("en", ""),
        "name_ru": record.names.get("ru", ""),
        "type": record.type,
        "city": "Beijing",
        "ror_id": record.ror_id or "",
    }
    beijing = as_role(client, "beijing")
    edit = f"/organizations/{organization_id}/edit"
    found = _post(beijing, edit, edit, {**values, "find_parent": parent_name[:-1]})
    assert found.status_code == 200
    line = f"{parent_id} · {parent_name}"
    assert f'name="parent_pick" value="{line}"' in found.text
    assert 'value="' + record.names.get("en", "") + '"' in found.text  # what was typed stays
    saved = _post(beijing, edit, edit, {**values, "parent_pick": line})
    assert saved.status_code == 303, saved.text
    with factory() as session:
        assert session.scalar(select(Organization.parent_id).where(Organization.id == organization_id)) == (
            parent_id
        )


def test_the_pages_speak_russian_and_chinese(client: TestClient, factory: sessionmaker[Session]) -> None:
    create_people(factory)
    organization_id = _organization(factory, "Moscow")
    moscow = as_role(client, "moscow")
    russian = moscow.get("/organizations/new", params={"lang": "ru"}).text
    for text in (
        "Новая организация",
        "Название на русском языке",
        "Другие названия и сокращения",
        "Сохранить",
    ):
        assert text in russian, text
    chinese = moscow.get(f"/organizations/{organization_id}/edit", params={"lang": "zh"}).text
    for text in ("编辑机构", "其他名称和简称", "保存机构", "返回机构页面"):
        assert text in chinese, text
    assert "编辑机构" in moscow.get(f"/organizations/{organization_id}", params={"lang": "zh"}).text
    assert "Новая организация" in moscow.get("/organizations", params={"lang": "ru"}).text


def test_the_examples_of_the_rules_hold() -> None:
    """Who may change an organization, and what a ROR id, a Wikidata id and a website look like."""
    import doctest

    from expertbridge.ingest import organization_form
    from expertbridge.registry import visibility

    for module in (visibility, organization_form):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_a_change_the_index_does_not_carry_reindexes_no_expert(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # The experts' documents carry their organizations' names and type, not the website: a big
    # organization's new website must not reindex all its staff.
    organization_id, expert_id = _organization_with_expert(factory, "Beijing")
    with factory() as session:
        session.execute(delete(IndexOutbox))
        session.commit()
    changed = client.patch(
        f"/api/v1/organizations/{organization_id}", headers=AUTH, json={"website": "https://lab.example.cn"}
    )
    assert changed.status_code == 200, changed.text
    with factory() as session:
        queued = session.scalars(
            select(IndexOutbox.entity_id).where(IndexOutbox.entity_type == "expert")
        ).all()
    assert expert_id not in queued

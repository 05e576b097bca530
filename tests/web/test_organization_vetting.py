"""Vetting of organizations: pending when named on the web, decided by their side's coordinators,
shown beyond them only once approved, and only approved organizations post opportunities."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, ExpertAffiliation, Organization
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry import accounts
from tests.helpers import csrf_token
from tests.web.accounts import PASSWORD, as_role, browser, create_people, post_form, sign_in

NEW_NAME = "Институт квантовых котов"


def _name_new_organization(client: TestClient, factory: sessionmaker[Session]) -> int:
    """The Moscow expert names an organization the registry does not know; returns its id."""
    people = create_people(factory)
    expert = as_role(client, "expert")
    saved = post_form(
        expert,
        "/account/profile",
        f"/profiles/{people.expert_id}/edit",
        {"name_ru": "Котова Анна", "organization": NEW_NAME, "city": "Москва", "organization_pick": "new"},
    )
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    with factory() as session:
        organization = session.scalars(select(Organization).order_by(Organization.id.desc())).first()
        assert organization is not None and organization.city == "Moscow"
        return organization.id


def test_an_organization_named_on_the_web_waits_and_is_hidden_until_approved(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    organization_id = _name_new_organization(client, factory)
    with factory() as session:
        assert session.get(Organization, organization_id).status == "pending"  # type: ignore[union-attr]
    hidden_from = {"public": as_role(client, "public"), "partner": as_role(client, "partner")}
    hidden_from["beijing"] = as_role(client, "beijing")
    for role, viewer in hidden_from.items():
        assert viewer.get(f"/organizations/{organization_id}").status_code == 404, role
        assert NEW_NAME not in viewer.get("/organizations", params={"q": "квантовых котов"}).text, role
        assert viewer.get(f"/api/v1/organizations/{organization_id}").status_code == 404, role
        listed = viewer.get("/api/v1/organizations", params={"q": "квантовых котов"}).json()
        assert listed["total"] == 0, role
    assert as_role(client, "beijing").get(f"/vetting/organizations/{organization_id}").status_code == 404
    # the expert's page names the organization as the expert wrote it, without a link to it yet
    with factory() as session:
        expert_id = session.scalar(
            select(ExpertAffiliation.expert_id).where(ExpertAffiliation.organization_id == organization_id)
        )
    # the expert's change of organization sent the profile back to vetting: approved again first
    moscow = as_role(client, "moscow")
    post_form(moscow, f"/vetting/{expert_id}", f"/vetting/{expert_id}", {"decision": "approve"})
    expert_page = browser(client).get(f"/experts/{expert_id}").text
    assert NEW_NAME in expert_page and f'href="/organizations/{organization_id}"' not in expert_page
    assert NEW_NAME not in as_role(client, "beijing").get("/vetting").text

    moscow = as_role(client, "moscow")
    queue = moscow.get("/vetting").text
    assert NEW_NAME in queue and f'href="/vetting/organizations/{organization_id}"' in queue
    page = moscow.get(f"/organizations/{organization_id}")
    assert page.status_code == 200 and "Waiting for vetting" in page.text
    api = moscow.get(f"/api/v1/organizations/{organization_id}").json()
    assert api["status"] == "pending"

    # the other side may not decide, even by sending the form
    beijing = as_role(client, "beijing")
    token = csrf_token(beijing.get("/vetting").text)
    refused = beijing.post(
        f"/vetting/organizations/{organization_id}", data={"csrf": token, "decision": "approve"}
    )
    assert refused.status_code == 403
    with factory() as session:
        assert session.get(Organization, organization_id).status == "pending"  # type: ignore[union-attr]
    # a rejection needs a reason; the form comes back with the message in the page's language
    page = f"/vetting/organizations/{organization_id}"
    no_reason = post_form(moscow, page + "?lang=ru", page, {"decision": "reject", "reason": " "})
    assert no_reason.status_code == 400 and "Укажите причину отказа" in no_reason.text  # type: ignore[attr-defined]
    approved = post_form(moscow, page, page, {"decision": "approve"})
    assert approved.status_code == 303  # type: ignore[attr-defined]
    assert "Организация одобрена" in moscow.get(approved.headers["location"]).text  # type: ignore[attr-defined]

    assert browser(client).get(f"/organizations/{organization_id}").status_code == 200
    assert browser(client).get(f"/api/v1/organizations/{organization_id}").json()["status"] == "approved"
    with factory() as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == "organization",
                AuditEntry.entity_id == organization_id,
                AuditEntry.action == "status",
            )
        ).one()
    assert json.loads(entry.changes or "{}") == {"status": ["pending", "approved"]}
    assert entry.actor.startswith("user:")


def test_a_rejected_organization_keeps_its_reason_and_stays_hidden(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    organization_id = _name_new_organization(client, factory)
    moscow = as_role(client, "moscow")
    page = f"/vetting/organizations/{organization_id}"
    rejected = post_form(moscow, page, page, {"decision": "reject", "reason": "<b>not a real institute</b>"})
    assert rejected.status_code == 303  # type: ignore[attr-defined]
    shown = moscow.get(f"/organizations/{organization_id}").text
    assert "&lt;b&gt;not a real institute&lt;/b&gt;" in shown and "<b>not a real" not in shown
    assert browser(client).get(f"/organizations/{organization_id}").status_code == 404
    # decided once: a second decision is refused
    again = post_form(moscow, page, page, {"decision": "approve"})
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_a_partner_of_an_organization_waiting_for_vetting_cannot_post(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    organization_id = _name_new_organization(client, factory)
    with factory() as session:
        accounts.create_user(
            session,
            email="newpartner@example.org",
            role="partner",
            actor="test",
            password=PASSWORD,
            organization_id=organization_id,
        )
        session.commit()
    partner = sign_in(browser(client), "newpartner@example.org")
    # the partner sees their own organization, and why they cannot post yet
    assert partner.get(f"/organizations/{organization_id}").status_code == 200
    form = partner.get("/account/opportunities/new")
    assert form.status_code == 200 and "waiting for a coordinator of its side" in form.text
    data = {"kind": "expert_wanted", "title_en": "Quantum cats wanted"}
    refused = post_form(partner, "/account/opportunities/new", "/account/opportunities/new", data)
    assert refused.status_code == 409 and "waiting for a coordinator" in refused.text  # type: ignore[attr-defined]
    page = f"/vetting/organizations/{organization_id}"
    post_form(as_role(client, "moscow"), page, page, {"decision": "approve"})
    posted = post_form(partner, "/account/opportunities/new", "/account/opportunities/new", data)
    assert posted.status_code == 303  # type: ignore[attr-defined]


def test_imports_approve_unless_asked_to_wait(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "organizations.csv"
    path.write_text("id,name_en,city\norg-a,Alpha Institute,Moscow\n", encoding="utf-8")
    Importer(factory, ImportOptions()).run("organizations", path)
    other = tmp_path / "more.csv"
    other.write_text("id,name_en,city\norg-b,Beta Institute,Beijing\n", encoding="utf-8")
    Importer(factory, ImportOptions(status="pending")).run("organizations", other)
    # a later import does not undo a coordinators' decision (nor make a decision for them)
    Importer(factory, ImportOptions()).run("organizations", other)
    with factory() as session:
        statuses = dict(session.execute(select(Organization.external_id, Organization.status)).tuples().all())
    assert statuses == {"org-a": "approved", "org-b": "pending"}


def test_the_command_line_takes_approved_or_pending_only(cli_env: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from expertbridge.cli import app

    path = tmp_path / "organizations.csv"
    path.write_text("id,name_en,city\norg-c,Gamma Lab,Moscow\n", encoding="utf-8")
    wrong = CliRunner().invoke(app, ["import", "organizations", str(path), "--status", "draft"])
    assert wrong.exit_code == 2 and "use approved or pending" in wrong.output
    done = CliRunner().invoke(app, ["import", "organizations", str(path), "--status", "pending"])
    assert done.exit_code == 0, done.output

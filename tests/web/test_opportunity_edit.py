"""Partners change their own organization's opportunities after posting; coordinators those of
their side, admins any; every change is audited with before and after."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Organization
from expertbridge.registry import accounts
from expertbridge.registry.activities import read_opportunities
from tests.helpers import csrf_token
from tests.web.accounts import PASSWORD, as_role, browser, create_people, post_form, sign_in


def _post(client: TestClient, factory: sessionmaker[Session]) -> int:
    create_people(factory)
    partner = as_role(client, "partner")
    data = {"kind": "expert_wanted", "title_en": "Tunnel ventilation audit", "description_en": "Two weeks."}
    posted = post_form(partner, "/account/opportunities/new", "/account/opportunities/new", data)
    assert posted.status_code == 303, posted.text  # type: ignore[attr-defined]
    return int(posted.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]


def test_the_partner_edits_and_closes_their_opportunity(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    opportunity_id = _post(client, factory)
    partner = as_role(client, "partner")
    page = f"/opportunities/{opportunity_id}"
    assert f'href="{page}/edit"' in partner.get(page).text
    assert f'href="{page}/edit"' not in browser(client).get(page).text
    form = partner.get(f"{page}/edit")
    assert form.status_code == 200 and "Tunnel ventilation audit" in form.text
    saved = post_form(
        partner,
        f"{page}/edit",
        f"{page}/edit",
        {
            "title_en": "Tunnel ventilation audit, phase 2",
            "title_ru": "Аудит вентиляции тоннелей",
            "description_ru": "Две недели.",
            "deadline": "2031-05-01",
            "status": "closed",
            "sectors": "transport.metro",
        },
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert "The opportunity has been saved." in partner.get(saved.headers["location"]).text  # type: ignore[attr-defined]
    with factory() as session:
        record = read_opportunities(session, [opportunity_id])[opportunity_id]
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == "opportunity",
                AuditEntry.entity_id == opportunity_id,
                AuditEntry.action == "update",
            )
        ).all()
    assert (record.status, str(record.deadline), record.sectors) == (
        "closed",
        "2031-05-01",
        ("transport.metro",),
    )
    assert record.texts["ru"].title == "Аудит вентиляции тоннелей"
    assert record.kind == "expert_wanted" and record.organization  # what was not on the form stays
    assert len(entries) == 1 and entries[0].actor.startswith("user:")
    assert json.loads(entries[0].changes or "{}")["status"] == ["open", "closed"]


def test_only_its_partner_coordinators_and_admins_edit_an_opportunity(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    opportunity_id = _post(client, factory)
    with factory() as session:
        other = session.scalars(select(Organization.id).order_by(Organization.id.desc())).first()
        accounts.create_user(
            session,
            email="rival@example.org",
            role="partner",
            actor="test",
            password=PASSWORD,
            organization_id=other,
        )
        session.commit()
    edit = f"/opportunities/{opportunity_id}/edit"
    rival = sign_in(browser(client), "rival@example.org")
    assert rival.get(edit).status_code == 403
    token = csrf_token(rival.get("/account").text)
    sent = rival.post(
        edit, data={"csrf": token, "title_en": "Taken over", "status": "open"}, follow_redirects=False
    )
    assert sent.status_code == 403
    assert browser(client).get(edit).status_code == 401
    assert as_role(client, "expert").get(edit).status_code == 403
    # the partner's organization is in Beijing: the Moscow coordinator may not change its opportunity
    assert as_role(client, "moscow").get(edit).status_code == 403
    for role in ("beijing", "admin"):
        viewer = as_role(client, role)
        answer = post_form(viewer, edit, edit, {"title_en": f"Edited by {role}", "status": "open"})
        assert answer.status_code == 303, role  # type: ignore[attr-defined]
    # without the form's CSRF token nothing changes
    partner = as_role(client, "partner")
    forged = partner.post(edit, data={"title_en": "Forged", "status": "open"}, follow_redirects=False)
    assert forged.status_code == 403
    with factory() as session:
        assert (
            read_opportunities(session, [opportunity_id])[opportunity_id].texts["en"].title
            == "Edited by admin"
        )


def test_bad_values_come_back_with_the_problems_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    opportunity_id = _post(client, factory)
    partner = as_role(client, "partner")
    edit = f"/opportunities/{opportunity_id}/edit"
    answer = post_form(
        partner,
        edit + "?lang=zh",
        edit,
        {"title_en": "<script>alert(1)</script>", "deadline": "soon", "status": "open"},
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert (
        "截止日期：不是日期" in text
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        and "<script>alert" not in text
    )
    wrong_status = post_form(partner, edit, edit, {"title_en": "Fine", "status": "archived"})
    assert wrong_status.status_code == 400 and "开放还是已关闭" in wrong_status.text  # type: ignore[attr-defined]
    with factory() as session:
        record = read_opportunities(session, [opportunity_id])[opportunity_id]
    assert (record.texts["en"].title, record.status) == ("Tunnel ventilation audit", "open")

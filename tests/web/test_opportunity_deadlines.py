"""An open opportunity never has a deadline that has passed: the posting and edit forms, the API and
imports refuse one (naming the deadline, in the page's language), a closed one may keep any
deadline (history), and `expertbridge maintenance` closes open opportunities whose deadline passed,
audited, once."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app as cli
from expertbridge.db.models import AuditEntry, Opportunity
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.activities import read_opportunities, write_opportunity
from expertbridge.registry.organizations import OrganizationDirectory
from expertbridge.registry.records import LocalizedText, OpportunityRecord
from tests.web.accounts import as_role, create_people, post_form
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAST = "2020-01-01"
# Far enough ahead that no run of the tests reaches it.
FUTURE = (dt.date.today() + dt.timedelta(days=400)).isoformat()
NEW = "/account/opportunities/new"


def _opportunities(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Opportunity)) or 0)


def test_a_partner_cannot_post_an_open_opportunity_whose_deadline_has_passed(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    partner = as_role(client, "partner")
    before = _opportunities(factory)
    data = {"kind": "expert_wanted", "title_en": "Tunnel ventilation audit", "deadline": PAST}
    refused = post_form(partner, NEW, NEW, data)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert "Deadline: is before today (" in text and "give a later date" in text and PAST in text
    assert _opportunities(factory) == before
    russian = post_form(partner, f"{NEW}?lang=ru", f"{NEW}?lang=ru", data)
    assert "Крайний срок: раньше сегодняшнего дня" in russian.text  # type: ignore[attr-defined]
    chinese = post_form(partner, f"{NEW}?lang=zh", f"{NEW}?lang=zh", data)
    assert "截止日期：早于今天" in chinese.text  # type: ignore[attr-defined]
    posted = post_form(partner, NEW, NEW, {**data, "deadline": FUTURE})
    assert posted.status_code == 303  # type: ignore[attr-defined]
    assert _opportunities(factory) == before + 1


def test_an_edit_keeps_an_open_opportunity_s_deadline_ahead(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    partner = as_role(client, "partner")
    data = {"kind": "expert_wanted", "title_en": "Depot survey", "deadline": FUTURE}
    posted = post_form(partner, NEW, NEW, data)
    page = posted.headers["location"] + "/edit"  # type: ignore[attr-defined]
    fields = {"title_en": "Depot survey", "sectors": "transport.metro", "deadline": PAST}
    refused = post_form(partner, page, page, {**fields, "status": "open"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "Deadline: is before today (" in refused.text  # type: ignore[attr-defined]
    # Closing it with its real, past deadline is history, and allowed.
    closed = post_form(partner, page, page, {**fields, "status": "closed"})
    assert closed.status_code == 303  # type: ignore[attr-defined]


def test_the_api_refuses_an_open_opportunity_whose_deadline_has_passed(client: TestClient) -> None:
    body = {"kind": "partner_wanted", "title_en": "Solar partners", "deadline": PAST}
    refused = client.post("/api/v1/opportunities", headers=AUTH, json=body)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["problems"]
    assert problem["field"] == "deadline" and problem["value"] == PAST
    assert "is before today" in problem["message"]
    historical = client.post("/api/v1/opportunities", headers=AUTH, json={**body, "status": "closed"})
    assert historical.status_code == 201, historical.text
    current = client.post("/api/v1/opportunities", headers=AUTH, json={**body, "deadline": FUTURE})
    assert current.status_code == 201, current.text
    moved = client.patch(
        f"/api/v1/opportunities/{current.json()['id']}", headers=AUTH, json={"deadline": PAST}
    )
    assert moved.status_code == 422 and moved.json()["problems"][0]["field"] == "deadline"
    reopened = client.patch(
        f"/api/v1/opportunities/{historical.json()['id']}", headers=AUTH, json={"status": "open"}
    )
    assert reopened.status_code == 422 and reopened.json()["problems"][0]["field"] == "deadline"


def test_an_import_refuses_only_open_rows_with_a_past_deadline(factory: sessionmaker[Session]) -> None:
    rows = [
        {"id": "old-open", "kind": "partner_wanted", "title_en": "Old call", "deadline": PAST},
        {
            "id": "old-closed",
            "kind": "partner_wanted",
            "title_en": "Old call",
            "deadline": PAST,
            "status": "closed",
        },
        {"id": "new-open", "kind": "partner_wanted", "title_en": "New call", "deadline": FUTURE},
    ]
    report = Importer(factory, ImportOptions(actor="test", skip_invalid=True)).run_rows(
        "opportunities", rows, "calls.csv"
    )
    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [(1, "deadline", PAST)]
    with factory() as session:
        stored = dict(session.execute(select(Opportunity.external_id, Opportunity.status)).tuples().all())
    assert stored == {"old-closed": "closed", "new-open": "open"}


def test_the_demo_has_no_open_opportunity_past_its_deadline(client: TestClient) -> None:
    today = dt.datetime.now(dt.UTC).date()
    listed = client.get("/api/v1/opportunities", params={"status": "open", "per_page": 200}).json()
    assert listed["total"] > 0
    assert all(item["deadline"] is None or item["deadline"] >= today.isoformat() for item in listed["items"])


def _store_expired(factory: sessionmaker[Session]) -> tuple[int, int]:
    """An open opportunity whose deadline passed (stored before the rule), and a current one."""
    with factory() as session:
        directory = OrganizationDirectory(session, "approved")
        ids = [
            write_opportunity(
                session,
                OpportunityRecord(
                    kind="partner_wanted",
                    texts={"en": LocalizedText(title)},
                    status="open",
                    deadline=dt.date.fromisoformat(deadline),
                ),
                directory,
                actor="test",
            )[0]
            for title, deadline in (("Expired call", PAST), ("Current call", FUTURE))
        ]
        session.commit()
    return ids[0], ids[1]


def test_maintenance_closes_open_opportunities_whose_deadline_passed(
    cli_env: str, factory: sessionmaker[Session]
) -> None:
    expired, current = _store_expired(factory)
    first = CliRunner().invoke(cli, ["maintenance"])
    assert first.exit_code == 0, first.output
    assert "opportunities closed (deadline passed): 1" in first.output
    with factory() as session:
        records = read_opportunities(session, [expired, current])
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "opportunity", AuditEntry.entity_id == expired)
        ).all()
    assert (records[expired].status, records[current].status) == ("closed", "open")
    assert str(records[expired].deadline) == PAST  # the deadline itself is history, kept
    [closing] = [entry for entry in entries if entry.action == "status"]
    assert closing.actor == "maintenance"
    assert json.loads(closing.changes or "{}")["status"] == ["open", "closed"]
    again = CliRunner().invoke(cli, ["maintenance"])
    assert again.exit_code == 0 and "opportunities closed (deadline passed): 0" in again.output
    with factory() as session:
        assert (
            session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "status"))
            == 1
        )

"""Expert panels for an event through the pages: conflicts, quotas, reproducible draws, exports."""

from __future__ import annotations

import datetime as dt
import io
import json

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import (
    AuditEntry,
    Event,
    EventPanelEntry,
    EventParticipant,
    EventText,
    Expert,
    ExpertAffiliation,
    Opportunity,
    PanelRun,
)
from tests.web.accounts import as_role, create_people, post_form


def _event(factory: sessionmaker[Session]) -> tuple[int, list[int], dict[int, str], int]:
    """An event whose pool is two Moscow and two Beijing experts; two open opportunities, the first
    posted by the organization of the first Moscow expert.  Returns event, entries, sides, conflicted."""
    create_people(factory)
    with factory() as session:
        pool: dict[int, str] = {}
        for city in ("Moscow", "Beijing"):
            ids = session.scalars(
                select(Expert.id)
                .join(ExpertAffiliation, ExpertAffiliation.expert_id == Expert.id)
                .where(Expert.city == city, Expert.status == "approved")
                .order_by(Expert.id)
                .limit(2)
            ).all()
            assert len(ids) == 2
            pool.update(dict.fromkeys(ids, city))
        conflicted = next(iter(pool))
        organization = session.scalars(
            select(ExpertAffiliation.organization_id).where(ExpertAffiliation.expert_id == conflicted)
        ).first()
        entries = session.scalars(
            select(Opportunity.id).where(Opportunity.status == "open").order_by(Opportunity.id).limit(2)
        ).all()
        assert len(entries) == 2
        session.get_one(Opportunity, entries[0]).organization_id = organization
        event = Event(kind="competition", starts_on=dt.date(2023, 6, 1), ends_on=dt.date(2023, 6, 2))
        session.add(event)
        session.flush()
        session.add(EventText(event_id=event.id, language="en", title="Youth innovation competition"))
        for position, expert_id in enumerate(pool):
            session.add(EventParticipant(event_id=event.id, expert_id=expert_id, position=position))
        session.commit()
        return event.id, list(entries), pool, conflicted


def _link(
    client: TestClient, factory: sessionmaker[Session], event_id: int, opportunities: list[int]
) -> list[int]:
    """Link the opportunities as the event's panel entries; returns the entries' ids in order."""
    page = f"/events/{event_id}/entries"
    for opportunity in opportunities:
        answer = post_form(client, page, f"{page}/link", {"opportunity": str(opportunity)})
        assert answer.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        return list(session.scalars(select(EventPanelEntry.id).order_by(EventPanelEntry.id)))


def _form(entries: list[int], **extra: str) -> dict[str, object]:
    return {
        "entries": [str(entry) for entry in entries],
        "per_entry": "2",
        "max_load": "2",
        "one_from_each_side": "1",
        "alternates": "1",
        **extra,
    }


def test_panels_respect_conflicts_and_quotas_and_export(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, entries, pool, conflicted = _event(factory)
    page = f"/events/{event_id}/panels"
    assert as_role(client, "expert").get(page).status_code == 403
    admin = as_role(client, "admin")
    entries = _link(admin, factory, event_id, entries)
    form = admin.get(page)
    assert form.status_code == 200 and f'value="{entries[0]}"' in form.text
    answer = post_form(admin, page, page, _form(entries, mode="optimal"))  # type: ignore[arg-type]
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    result = admin.get(answer.headers["location"])  # type: ignore[attr-defined]
    assert result.status_code == 200 and "Alternate" in result.text
    with factory() as session:
        run = session.scalars(select(PanelRun)).one()
        assignments = json.loads(run.results)["assignments"]
    panels: dict[str, list[str]] = {}
    for entry, expert, _ in assignments:
        panels.setdefault(entry, []).append(expert)
    assert set(panels) == {str(entry) for entry in entries}
    assert str(conflicted) not in panels[str(entries[0])]  # same organization: never on the panel
    for experts in panels.values():
        assert sorted(pool[int(expert)] for expert in experts) == ["Beijing", "Moscow"]  # one from each side

    workbook = load_workbook(io.BytesIO(admin.get(f"{page}/{run.id}.xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:3] == ("entry_id", "entry", "role")
    assert sum(1 for row in rows[1:] if row[2] == "panel") == 4
    csv_text = admin.get(f"{page}/{run.id}.csv").text
    assert csv_text.startswith("entry_id,entry,role,rank,expert_id")


def test_random_draw_records_its_seed_and_reproduces(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, entries, _, _ = _event(factory)
    page = f"/events/{event_id}/panels"
    admin = as_role(client, "admin")
    entries = _link(admin, factory, event_id, entries)
    for _ in range(2):
        answer = post_form(
            admin,
            page,
            page,
            _form(entries, mode="random", seed="7", max_probability="0.9", one_from_each_side="0"),
        )  # type: ignore[arg-type]
        assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    with factory() as session:
        runs = session.scalars(select(PanelRun).order_by(PanelRun.id)).all()
        audited = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.entity_type == "panel_run")
        ).all()
    assert [run.seed for run in runs] == [7, 7]
    assert json.loads(runs[0].results)["assignments"] == json.loads(runs[1].results)["assignments"]
    assert all(json.loads(changes or "{}")["seed"] == 7 for changes in audited) and len(audited) == 2
    # an impossible request is refused with the constraint named, nothing stored
    refused = post_form(admin, page, page, _form(entries, per_entry="5"))  # type: ignore[arg-type]
    assert refused.status_code == 422 and "constraints" in refused.text  # type: ignore[attr-defined]

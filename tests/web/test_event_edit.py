"""Creating and editing events on the web: who may, what is checked, and what an edit keeps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import (
    AuditEntry,
    Event,
    EventOrganizer,
    EventParticipant,
    EventParticipantProfile,
    EventSlot,
    EventText,
    Expert,
    MeetingPlacement,
    MeetingRequest,
    Organization,
)
from expertbridge.registry.experts import read_experts
from tests.web.accounts import as_role, create_people, post_form

MOSCOW_FORUM = {
    "kind": "roundtable",
    "title_ru": "Круглый стол по беспилотному транспорту",
    "title_en": "Roundtable on driverless transport",
    "description_en": "Pilots of driverless trams in both cities.",
    "starts_on": "2026-06-15",
    "ends_on": "2026-06-16",
    "city": "Moscow",
    "venue": "Technopark",
}


def _post(client: TestClient, page: str, action: str, data: dict[str, str]) -> Any:
    return post_form(client, page, action, data)


def _experts(factory: sessionmaker[Session], city: str, count: int) -> list[int]:
    with factory() as session:
        return list(
            session.scalars(
                select(Expert.id)
                .where(Expert.city == city, Expert.status == "approved")
                .order_by(Expert.id)
                .limit(count)
            )
        )


def _event(factory: sessionmaker[Session], city: str, experts: list[int]) -> tuple[int, list[int]]:
    """A stored event in ``city`` with ``experts`` taking part; returns its id and participant ids."""
    with factory() as session:
        event = Event(kind="forum", starts_on=dt.date(2026, 9, 12), ends_on=dt.date(2026, 9, 12), city=city)
        session.add(event)
        session.flush()
        session.add(EventText(event_id=event.id, language="en", title="Matchmaking forum", description="Old"))
        participants = []
        for position, expert_id in enumerate(experts):
            participant = EventParticipant(event_id=event.id, expert_id=expert_id, position=position)
            session.add(participant)
            session.flush()
            participants.append(participant.id)
        session.commit()
        return event.id, participants


def _meeting_data(factory: sessionmaker[Session], event_id: int, participants: list[int]) -> int:
    """Profiles for every participant, an accepted request from the first to the second placed in a
    pinned slot; returns the request's id."""
    with factory() as session:
        for participant in participants:
            session.add(
                EventParticipantProfile(participant_id=participant, offers="signalling", languages="en")
            )
        slot = EventSlot(
            event_id=event_id,
            code="s1",
            starts_at=dt.datetime(2026, 9, 12, 9),
            ends_at=dt.datetime(2026, 9, 12, 9, 30),
            tables=2,
        )
        request = MeetingRequest(
            event_id=event_id, requester_id=participants[0], counterpart_id=participants[1], status="accepted"
        )
        session.add_all([slot, request])
        session.flush()
        session.add(MeetingPlacement(request_id=request.id, slot_id=slot.id, table=1, pinned=True))
        session.commit()
        return request.id


def _counts(factory: sessionmaker[Session]) -> tuple[int, ...]:
    with factory() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Event, EventParticipant, EventParticipantProfile, MeetingRequest, MeetingPlacement)
        )


def test_an_admin_creates_an_event_with_organizers_and_participants_then_edits_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    assert 'href="/events/new"' in admin.get("/events").text
    moscow_experts = _experts(factory, "Moscow", 2)
    with factory() as session:
        organization = session.scalars(select(Organization).order_by(Organization.id)).first()
        assert organization is not None
        organization_id = organization.id
        external = session.scalar(select(Expert.external_id).where(Expert.id == moscow_experts[1]))
    data = {
        **MOSCOW_FORUM,
        "organizers": str(organization_id),
        "expert_participants": f"{moscow_experts[0]}\n{external or moscow_experts[1]}",
    }
    answer = _post(admin, "/events/new", "/events/new", data)
    assert answer.status_code == 303, answer.text
    event_id = int(answer.headers["location"].split("/")[2])
    with factory() as session:
        event = session.get(Event, event_id)
        assert event is not None and event.city == "Moscow" and event.country == "RU"
        assert event.ends_on == dt.date(2026, 6, 16) and event.venue == "Technopark"
        assert session.scalars(
            select(EventOrganizer.organization_id).where(EventOrganizer.event_id == event_id)
        ).all() == [organization_id]
        assert (
            session.scalars(
                select(EventParticipant.expert_id)
                .where(EventParticipant.event_id == event_id)
                .order_by(EventParticipant.position)
            ).all()
            == moscow_experts
        )
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "event", AuditEntry.entity_id == event_id)
        ).all()
        assert [entry.action for entry in audit] == ["create"] and audit[0].actor.startswith("user:")

    page = admin.get(f"/events/{event_id}")
    assert (
        "Roundtable on driverless transport" in page.text and f'href="/events/{event_id}/edit"' in page.text
    )
    form = admin.get(f"/events/{event_id}/edit")
    assert form.status_code == 200 and "Круглый стол по беспилотному транспорту" in form.text
    with factory() as session:
        name = read_experts(session, [moscow_experts[0]])[moscow_experts[0]].primary_name()
    assert name in form.text  # the lines name who the numbers are

    edited = _post(
        admin,
        f"/events/{event_id}/edit",
        f"/events/{event_id}/edit",
        {**data, "description_en": "Pilots, and the rules they need.", "online": "yes"},
    )
    assert edited.status_code == 303 and edited.headers["location"] == f"/events/{event_id}/edit?saved=1"
    with factory() as session:
        text = session.get(EventText, (event_id, "en"))
        assert text is not None and text.description == "Pilots, and the rules they need."
        event = session.get(Event, event_id)
        assert event is not None and event.online
        actions = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type == "event", AuditEntry.entity_id == event_id
            )
        ).all()
        assert actions == ["create", "update"]


def test_only_admins_and_the_coordinators_of_the_events_side_create_and_edit(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    event_id, _ = _event(factory, "Moscow", [])
    public = as_role(client, "public")
    assert public.get("/events/new").status_code == 401
    assert 'href="/events/new"' not in public.get("/events").text
    assert f'href="/events/{event_id}/edit"' not in public.get(f"/events/{event_id}").text

    partner = as_role(client, "partner")
    refused = partner.get("/events/new")
    assert (
        refused.status_code == 403
        and "Only admins and coordinators create and change events." in refused.text
    )
    assert partner.get(f"/events/{event_id}/edit").status_code == 403
    assert 'href="/events/new"' not in partner.get("/events").text
    # a form sent anyway (with the page's token) writes nothing
    before = _counts(factory)
    answer = _post(partner, "/events", "/events/new", MOSCOW_FORUM)
    assert answer.status_code == 403 and _counts(factory) == before

    beijing = as_role(client, "beijing")
    assert 'href="/events/new"' in beijing.get("/events").text
    assert f'href="/events/{event_id}/edit"' not in beijing.get(f"/events/{event_id}").text
    other_side = beijing.get(f"/events/{event_id}/edit", headers={"Accept-Language": "ru"})
    assert other_side.status_code == 403 and "только своей стороны (Пекин)" in other_side.text
    answer = _post(beijing, "/events", f"/events/{event_id}/edit", {**MOSCOW_FORUM, "city": "Beijing"})
    assert answer.status_code == 403
    # a Moscow event created from Beijing: the form comes back with what was typed, nothing is written
    answer = _post(beijing, "/events/new", "/events/new", MOSCOW_FORUM)
    assert answer.status_code == 403 and "Roundtable on driverless transport" in answer.text
    assert _counts(factory) == before
    assert (
        _post(beijing, "/events/new", "/events/new", {**MOSCOW_FORUM, "city": "Beijing"}).status_code == 303
    )

    moscow = as_role(client, "moscow")
    assert f'href="/events/{event_id}/edit"' in moscow.get(f"/events/{event_id}").text
    # nor may a coordinator move their event to the other side
    moved = _post(
        moscow, f"/events/{event_id}/edit", f"/events/{event_id}/edit", {**MOSCOW_FORUM, "city": "Beijing"}
    )
    assert moved.status_code == 403
    with factory() as session:
        event = session.get(Event, event_id)
        assert event is not None and event.city == "Moscow"
    saved = _post(moscow, f"/events/{event_id}/edit", f"/events/{event_id}/edit", MOSCOW_FORUM)
    assert saved.status_code == 303
    assert as_role(client, "admin").get("/events/99999/edit").status_code == 404


def test_problems_are_shown_in_the_page_language_with_what_was_typed(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _counts(factory)
    data = {
        "kind": "roundtable",
        "description_zh": "没有标题的描述",
        "starts_on": "2026-06-15",
        "ends_on": "2026-06-01",
        "city": "Moscow",
        "expert_participants": "no-such-expert",
        "organizers": "No Such Organization Anywhere",
    }
    answer = admin.post(
        "/events/new",
        data={"csrf": _token(admin, "/events/new"), **data},
        headers={"Accept-Language": "zh"},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    page = answer.text
    assert "没有标题的描述" in page and "No Such Organization Anywhere" in page and "no-such-expert" in page
    assert "2026-06-01" in page
    for column in ("中文标题", "结束日期", "参与专家", "主办方"):
        assert column in page, column
    assert _counts(factory) == before

    no_title = admin.post(
        "/events/new",
        data={"csrf": _token(admin, "/events/new"), "kind": "forum", "starts_on": "15.06.2026"},
        headers={"Accept-Language": "ru"},
        follow_redirects=False,
    )
    assert no_title.status_code == 422 and "нет названия" in no_title.text


def _token(client: TestClient, page: str) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client.get(page).text)


def test_an_edit_keeps_the_meeting_data_of_those_who_stay(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    experts = _experts(factory, "Moscow", 3)
    event_id, participants = _event(factory, "Moscow", experts[:2])
    request_id = _meeting_data(factory, event_id, participants)
    moscow = as_role(client, "moscow")
    page = f"/events/{event_id}/edit"
    data = {**MOSCOW_FORUM, "expert_participants": "\n".join(str(e) for e in experts)}
    answer = _post(moscow, page, page, data)
    assert answer.status_code == 303, answer.text
    with factory() as session:
        kept = session.scalars(
            select(EventParticipant.id)
            .where(EventParticipant.event_id == event_id)
            .order_by(EventParticipant.position)
        ).all()
        assert kept[:2] == participants and len(kept) == 3
        assert session.get(EventParticipantProfile, participants[0]) is not None
        request = session.get(MeetingRequest, request_id)
        assert request is not None and request.status == "accepted"
        placement = session.get(MeetingPlacement, request_id)
        assert placement is not None and placement.pinned
        assert session.scalar(select(func.count()).select_from(EventSlot)) == 1


def test_removing_participants_with_meeting_data_asks_first(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    experts = _experts(factory, "Moscow", 3)
    event_id, participants = _event(factory, "Moscow", experts)
    request_id = _meeting_data(factory, event_id, participants[:2])
    admin = as_role(client, "admin")
    page = f"/events/{event_id}/edit"
    with factory() as session:
        leaving = read_experts(session, [experts[1]])[experts[1]].primary_name()
        silent = read_experts(session, [experts[2]])[experts[2]].primary_name()
    # the second expert (with a profile and a placed meeting) and the third (none) are taken off
    data = {**MOSCOW_FORUM, "expert_participants": str(experts[0])}
    before = _counts(factory)
    asked = _post(admin, page, page, data)
    assert asked.status_code == 409
    assert (
        leaving in asked.text and silent not in asked.text.split('id="confirm-removal"')[1].split("</div>")[0]
    )
    assert f'name="remove_participants" value="{participants[1]}"' in asked.text
    assert _counts(factory) == before  # nothing written before the confirmation

    confirmed = _post(admin, page, page, {**data, "remove_participants": str(participants[1])})
    assert confirmed.status_code == 303, confirmed.text
    with factory() as session:
        assert session.scalars(
            select(EventParticipant.id).where(EventParticipant.event_id == event_id)
        ).all() == [participants[0]]
        assert session.get(EventParticipantProfile, participants[0]) is not None
        assert session.get(MeetingRequest, request_id) is None  # it went with its counterpart


def test_experts_and_organizations_are_found_by_name_and_added(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    expert_id = _experts(factory, "Moscow", 1)[0]
    with factory() as session:
        record = read_experts(session, [expert_id])[expert_id]
        external = session.scalar(select(Expert.external_id).where(Expert.id == expert_id))
    latin = next(name.text for name in record.names if name.script == "Latn")
    admin = as_role(client, "admin")
    found = _post(admin, "/events/new", "/events/new", {**MOSCOW_FORUM, "find_expert": latin})
    assert found.status_code == 200 and "Roundtable on driverless transport" in found.text
    line = f"{external or expert_id} · "
    assert f'name="add_expert" value="{line}' in found.text
    value = found.text.split(f'name="add_expert" value="{line}')[1].split('"')[0]
    added = _post(admin, "/events/new", "/events/new", {**MOSCOW_FORUM, "add_expert": line + value})
    assert added.status_code == 303, added.text
    event_id = int(added.headers["location"].split("/")[2])
    with factory() as session:
        assert session.scalars(
            select(EventParticipant.expert_id).where(EventParticipant.event_id == event_id)
        ).all() == [expert_id]


def test_the_form_names_participants_as_exports_do_and_reads_them_back(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # An expert without an import id is "#42" on the form, as in an events export, and a line the
    # form wrote is read back as the same expert.
    create_people(factory)
    admin = as_role(client, "admin")
    moscow_experts = _experts(factory, "Moscow", 2)
    with factory() as session:
        expert = session.get(Expert, moscow_experts[0])
        assert expert is not None
        expert.external_id = None
        session.commit()
    data = {**MOSCOW_FORUM, "expert_participants": f"#{moscow_experts[0]}\n{moscow_experts[1]}"}
    answer = _post(admin, "/events/new", "/events/new", data)
    assert answer.status_code == 303, answer.text
    event_id = int(answer.headers["location"].split("/")[2])
    form = admin.get(f"/events/{event_id}/edit").text
    assert f"#{moscow_experts[0]} · " in form
    again = _post(admin, f"/events/{event_id}/edit", f"/events/{event_id}/edit", data)
    assert again.status_code == 303, again.text
    with factory() as session:
        stored = session.scalars(
            select(EventParticipant.expert_id)
            .where(EventParticipant.event_id == event_id)
            .order_by(EventParticipant.position)
        ).all()
    assert stored == moscow_experts

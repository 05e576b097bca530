"""1:1 meetings at an event through the pages and the API: request → accept → schedule → agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Event, EventParticipant, EventText, Expert, MeetingRequest
from expertbridge.registry import accounts
from expertbridge.registry.audit import utcnow
from expertbridge.registry.consent import give_consent
from tests.helpers import csrf_token
from tests.web.accounts import PASSWORD, as_role, browser, create_people, post_form, sign_in
from tests.web.conftest import TOKEN

SLOTS = (
    "s1 2023-09-12T09:00+08:00 2023-09-12T09:30+08:00 1\ns2 2023-09-12T09:30+08:00 2023-09-12T10:00+08:00 1"
)


@dataclass(frozen=True)
class Setup:
    event_id: int
    moscow: int  # participant ids: the Moscow expert with an account
    beijing: int  # a Beijing expert with an account
    third: int  # a Beijing expert without one


def _event(factory: sessionmaker[Session]) -> Setup:
    people = create_people(factory)
    with factory() as session:
        third = session.scalars(
            select(Expert.id)
            .where(Expert.city == "Beijing", Expert.status == "approved", Expert.id != people.other_expert_id)
            .order_by(Expert.id)
        ).first()
        assert third is not None
        accounts.create_user(
            session,
            email="beijing-expert@example.org",
            role="expert",
            actor="test",
            password=PASSWORD,
            expert_id=people.other_expert_id,
        )
        give_consent(session, people.other_expert_id, utcnow(), actor="test")
        event = Event(
            kind="forum", starts_on=dt.date(2023, 9, 12), ends_on=dt.date(2023, 9, 12), city="Beijing"
        )
        session.add(event)
        session.flush()
        session.add(EventText(event_id=event.id, language="en", title="Matchmaking forum", description=""))
        ids = []
        for position, expert_id in enumerate((people.expert_id, people.other_expert_id, third)):
            participant = EventParticipant(event_id=event.id, expert_id=expert_id, position=position)
            session.add(participant)
            session.flush()
            ids.append(participant.id)
        session.commit()
        return Setup(event.id, *ids)


def _languages(client: TestClient, setup: Setup, participant: int) -> None:
    page = f"/events/{setup.event_id}/meetings"
    answer = post_form(
        client,
        page,
        f"{page}/profile",
        {"participant": str(participant), "offers": "", "seeks": "", "languages": "en", "all_slots": "1"},
    )
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]


def test_request_accept_schedule_agenda_and_ics(client: TestClient, factory: sessionmaker[Session]) -> None:
    setup = _event(factory)
    page = f"/events/{setup.event_id}/meetings"
    moscow = as_role(client, "expert")
    beijing = sign_in(browser(client), "beijing-expert@example.org")
    admin = as_role(client, "admin")
    assert f'href="{page}"' in client.get(f"/events/{setup.event_id}").text

    mine = moscow.get(page)
    assert mine.status_code == 200 and "Suggested counterparts" in mine.text
    assert f'name="counterpart" value="{setup.beijing}"' in mine.text
    answer = post_form(
        moscow,
        page,
        f"{page}/profile",
        {"participant": str(setup.moscow), "offers": "railway signalling", "seeks": "AI", "languages": "en"},
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    answer = post_form(moscow, page, f"{page}/requests", {"counterpart": str(setup.beijing)})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        request_id = session.scalars(select(MeetingRequest.id)).one()

    # the requester cannot accept their own request, nor can a visitor who takes no part
    refused = post_form(moscow, page, f"{page}/requests/{request_id}/accept", {})
    assert refused.status_code == 403  # type: ignore[attr-defined]
    partner = as_role(client, "partner")
    assert post_form(partner, page, f"{page}/requests/{request_id}/accept", {}).status_code == 404  # type: ignore[attr-defined]

    incoming = beijing.get(page).text
    assert f"/requests/{request_id}/accept" in incoming
    assert post_form(beijing, page, f"{page}/requests/{request_id}/accept", {}).status_code == 303  # type: ignore[attr-defined]

    _languages(admin, setup, setup.beijing)
    setup_answer = post_form(
        admin, page, f"{page}/setup", {"slots": SLOTS, "interpreters": "i1; Wang Li; ru-zh"}
    )
    assert setup_answer.status_code == 303, setup_answer.text  # type: ignore[attr-defined]
    scheduled = post_form(admin, page, f"{page}/schedule", {"time_limit": "5"})
    assert scheduled.status_code == 303  # type: ignore[attr-defined]
    grid = admin.get(page).text
    assert "Placed 1 of 1 meetings" in grid and f"#{request_id}" in grid

    agenda = moscow.get(f"/events/{setup.event_id}/agenda/{setup.moscow}")
    assert (
        agenda.status_code == 200
        and "2023-09-12 09:" in agenda.text
        and 'href="/static/print.css"' in agenda.text
    )
    ics = moscow.get(f"/events/{setup.event_id}/agenda/{setup.moscow}.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text and "DTSTART:20230912T01" in ics.text
    # someone else's agenda is not the expert's to see
    assert moscow.get(f"/events/{setup.event_id}/agenda/{setup.beijing}.ics").status_code == 404

    # the JSON API: requests, schedule and the agenda for the operator
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    listed = client.get(f"/api/v1/events/{setup.event_id}/meetings/requests", headers=bearer).json()
    assert listed[0]["status"] == "accepted"
    schedule = client.get(f"/api/v1/events/{setup.event_id}/meetings/schedule", headers=bearer).json()
    assert schedule["placements"][0]["meeting_id"] == str(request_id)
    suggested = client.get(
        f"/api/v1/events/{setup.event_id}/meetings/suggestions",
        params={"participant": setup.third},
        headers=bearer,
    ).json()
    assert {item["person"]["participant_id"] for item in suggested} == {setup.moscow}  # the other side only
    assert client.get(f"/api/v1/events/{setup.event_id}/meetings/requests").json() == []  # the public: none
    made = client.post(
        f"/api/v1/events/{setup.event_id}/meetings/requests",
        json={"requester": setup.third, "counterpart": setup.moscow},
        headers=bearer,
    )
    assert made.status_code == 201 and made.json()["status"] == "requested"
    unsigned = client.post(
        f"/api/v1/events/{setup.event_id}/meetings/requests", json={"requester": 1, "counterpart": 2}
    )
    assert unsigned.status_code in (401, 403)
    api_ics = client.get(
        f"/api/v1/events/{setup.event_id}/meetings/agenda/{setup.beijing}.ics", headers=bearer
    )
    assert "BEGIN:VCALENDAR" in api_ics.text
    with factory() as session:
        audited = set(session.scalars(select(AuditEntry.entity_type)))
    assert {"meeting_request", "event_schedule", "event"} <= audited


def test_hand_move_with_a_conflict_is_refused_and_names_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup = _event(factory)
    page = f"/events/{setup.event_id}/meetings"
    admin = as_role(client, "admin")
    for participant in (setup.moscow, setup.beijing, setup.third):
        _languages(admin, setup, participant)
    for counterpart in (setup.beijing, setup.third):
        answer = post_form(
            admin, page, f"{page}/requests", {"requester": str(setup.moscow), "counterpart": str(counterpart)}
        )
        assert answer.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        first, second = session.scalars(select(MeetingRequest.id).order_by(MeetingRequest.id)).all()
    for request_id in (first, second):  # the organizer accepts for the counterparts
        assert post_form(admin, page, f"{page}/requests/{request_id}/accept", {}).status_code == 303  # type: ignore[attr-defined]
    assert post_form(admin, page, f"{page}/setup", {"slots": SLOTS, "interpreters": ""}).status_code == 303  # type: ignore[attr-defined]
    assert post_form(admin, page, f"{page}/schedule", {"time_limit": "5"}).status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        from expertbridge.registry.meetings import current_schedule

        stored = current_schedule(session, setup.event_id)
        assert stored is not None
        schedule = stored[0]
    where = {p.meeting_id: p.slot_id for p in schedule.placements}
    assert len(where) == 2
    busy_slot = where[str(first)]
    refused = post_form(admin, page, f"{page}/move", {"meeting": str(second), "slot": busy_slot, "table": ""})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert "The meeting was not moved" in refused.text  # type: ignore[attr-defined]
    assert 'data-kind="participant_busy"' in refused.text or 'data-kind="no_free_table"' in refused.text  # type: ignore[attr-defined]
    with factory() as session:
        again = current_schedule(session, setup.event_id)
        assert again is not None and {p.meeting_id: p.slot_id for p in again[0].placements} == where

    # a move to the free slot works (after taking the first meeting out of the way is not needed)
    # and only organizers may move meetings
    expert = as_role(client, "expert")
    denied = post_form(expert, page, f"{page}/move", {"meeting": str(second), "slot": busy_slot})
    assert denied.status_code == 403  # type: ignore[attr-defined]


def test_forms_without_csrf_are_refused(client: TestClient, factory: sessionmaker[Session]) -> None:
    setup = _event(factory)
    page = f"/events/{setup.event_id}/meetings"
    moscow = as_role(client, "expert")
    moscow.get(page)
    answer = moscow.post(f"{page}/requests", data={"counterpart": str(setup.beijing)}, follow_redirects=False)
    assert answer.status_code == 403
    token = csrf_token(moscow.get(page).text)
    wrong = moscow.post(
        f"{page}/requests",
        data={"counterpart": str(setup.beijing), "csrf": token + "x"},
        follow_redirects=False,
    )
    assert wrong.status_code == 403
    with factory() as session:
        assert session.scalars(select(MeetingRequest)).all() == []


def test_editing_an_event_keeps_its_meetings_and_removing_a_participant_drops_only_theirs(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup = _event(factory)
    with factory() as session:
        people = dict(
            session.execute(
                select(EventParticipant.id, Expert.external_id)
                .join(Expert, Expert.id == EventParticipant.expert_id)
                .where(EventParticipant.event_id == setup.event_id)
            ).all()
        )
        session.add_all(
            [
                MeetingRequest(
                    event_id=setup.event_id, requester_id=setup.moscow, counterpart_id=setup.beijing
                ),
                MeetingRequest(
                    event_id=setup.event_id, requester_id=setup.beijing, counterpart_id=setup.third
                ),
            ]
        )
        session.commit()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    path = f"/api/v1/events/{setup.event_id}"

    edited = client.patch(path, headers=auth, json={"description_en": "The programme is settled."})
    assert edited.status_code == 200, edited.text
    with factory() as session:
        assert len(session.scalars(select(MeetingRequest)).all()) == 2
        kept = set(
            session.scalars(select(EventParticipant.id).where(EventParticipant.event_id == setup.event_id))
        )
    assert kept == {setup.moscow, setup.beijing, setup.third}

    staying = [people[setup.moscow], people[setup.beijing]]
    assert client.patch(path, headers=auth, json={"expert_participants": staying}).status_code == 200
    with factory() as session:
        left = session.scalars(select(MeetingRequest)).all()
        kept = set(
            session.scalars(select(EventParticipant.id).where(EventParticipant.event_id == setup.event_id))
        )
    assert [(r.requester_id, r.counterpart_id) for r in left] == [(setup.moscow, setup.beijing)]
    assert kept == {setup.moscow, setup.beijing}


def scheduled_with_interpreter(
    client: TestClient, factory: sessionmaker[Session]
) -> tuple[Setup, TestClient]:
    """A Moscow (Russian) and a Beijing (Chinese) expert with an accepted meeting, scheduled with
    an interpreter."""
    setup = _event(factory)
    with factory() as session:
        session.add(
            MeetingRequest(
                event_id=setup.event_id,
                requester_id=setup.moscow,
                counterpart_id=setup.beijing,
                status="accepted",
                decided_at=utcnow(),
            )
        )
        session.commit()
    admin = as_role(client, "admin")
    page = f"/events/{setup.event_id}/meetings"
    for participant, language in ((setup.moscow, "ru"), (setup.beijing, "zh")):
        fields = {"participant": str(participant), "offers": "", "seeks": "", "languages": language}
        assert post_form(admin, page, f"{page}/profile", {**fields, "all_slots": "1"}).status_code == 303  # type: ignore[attr-defined]
    setup_form = {"slots": SLOTS, "interpreters": "i1; Wang Li; ru-zh"}
    assert post_form(admin, page, f"{page}/setup", setup_form).status_code == 303  # type: ignore[attr-defined]
    assert post_form(admin, page, f"{page}/schedule", {"time_limit": "5"}).status_code == 303  # type: ignore[attr-defined]
    return setup, admin


def confirmed_drop(factory: sessionmaker[Session]) -> dict[str, str]:
    """The set-up form's confirmation that every meeting request may leave the schedule."""
    with factory() as session:
        return {"drop_placements": " ".join(str(i) for i in session.scalars(select(MeetingRequest.id)))}


def test_a_changed_set_up_keeps_interpreters_by_code_and_never_shows_a_placement_it_no_longer_holds(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, admin = scheduled_with_interpreter(client, factory)
    page = f"/events/{setup.event_id}/meetings"
    interpreter = "i1; Wang Li; ru-zh"
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    schedule = f"/api/v1/events/{setup.event_id}/meetings/schedule"
    assert client.get(schedule, headers=bearer).json()["placements"][0]["interpreter_id"] == "i1"

    # saved again unchanged: the placement keeps its interpreter
    assert (
        post_form(admin, page, f"{page}/setup", {"slots": SLOTS, "interpreters": interpreter}).status_code
        == 303
    )  # type: ignore[attr-defined]
    assert client.get(schedule, headers=bearer).json()["placements"][0]["interpreter_id"] == "i1"

    # without the interpreter the meeting has no common language: saving it asks first, then the
    # meeting is shown unplaced, and why
    assert post_form(admin, page, f"{page}/setup", {"slots": SLOTS, "interpreters": ""}).status_code == 409  # type: ignore[attr-defined]
    assert client.get(schedule, headers=bearer).json()["placements"][0]["interpreter_id"] == "i1"
    confirmed = {"slots": SLOTS, "interpreters": "", **confirmed_drop(factory)}
    assert post_form(admin, page, f"{page}/setup", confirmed).status_code == 303  # type: ignore[attr-defined]
    answer = client.get(schedule, headers=bearer).json()
    assert answer["placements"] == []
    assert [item["code"] for item in answer["unplaced"]] == ["setup_changed"]
    assert "Placed 0 of 1 meetings" in admin.get(page).text

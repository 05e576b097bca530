"""The registry itself decides who organizes an event, whatever calls it (a page, the API, the command
line, a script): a coordinator of the other side changes none of its meetings, panels or entries,
while the coordinators of its side do; an event's form names only organizations its author may see
(or ones already on the event); a participant is suggested only organizations they may see."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import (
    Event,
    EventOrganizer,
    EventPanelEntry,
    EventParticipant,
    EventSlot,
    MeetingPlacement,
    MeetingRequest,
    Organization,
    OrganizationName,
    PanelRun,
)
from expertbridge.ingest.changes import ChangeRejected, create
from expertbridge.ingest.event_form import check_event
from expertbridge.registry import meetings, panel_edits, panel_entries, panels
from expertbridge.registry.meeting_setup import save_setup
from expertbridge.registry.panels import PanelParameters
from expertbridge.registry.problems import Refused
from expertbridge.registry.visibility import OPERATOR, Viewer
from expertbridge.search.index import ExpertIndex
from expertbridge.text.normalize import fold

MOSCOW = Viewer("coordinator", user_id=2, city="Moscow")
BEIJING = Viewer("coordinator", user_id=3, city="Beijing")
DAY = dt.date(2026, 9, 12)
SLOTS = (
    "s1 2026-09-12T10:00+03:00 2026-09-12T10:30+03:00 1\ns2 2026-09-12T10:30+03:00 2026-09-12T11:00+03:00 1"
)


@dataclass(frozen=True)
class MoscowEvent:
    event_id: int
    moscow: int  # participant ids: a Moscow expert
    beijing: int  # a Beijing expert
    experts: tuple[int, int]  # their expert ids


def _experts(session: Session) -> tuple[int, int]:
    moscow = create(
        session, "experts", {"status": "approved", "name_ru": "Петров Пётр", "city": "Москва"}, actor="t"
    )
    beijing = create(session, "experts", {"status": "approved", "name_zh": "王芳", "city": "北京"}, actor="t")
    return moscow, beijing


def _moscow_event(factory: sessionmaker[Session]) -> MoscowEvent:
    """An event on Moscow's side with a Moscow and a Beijing expert taking part."""
    with factory() as session, session.begin():
        experts = _experts(session)
        event = Event(kind="forum", starts_on=DAY, ends_on=DAY, city="Moscow")
        session.add(event)
        session.flush()
        ids = []
        for position, expert_id in enumerate(experts):
            participant = EventParticipant(event_id=event.id, expert_id=expert_id, position=position)
            session.add(participant)
            session.flush()
            ids.append(participant.id)
        return MoscowEvent(event.id, ids[0], ids[1], experts)


def _organization(session: Session, name: str, city: str, status: str) -> int:
    organization = Organization(city=city, status=status)
    session.add(organization)
    session.flush()
    session.add(
        OrganizationName(
            organization_id=organization.id, text=name, normalized=fold(name), language="en", is_primary=True
        )
    )
    return organization.id


def _refused_as_other_side(
    factory: sessionmaker[Session], attempts: dict[str, Callable[[Session], Any]]
) -> None:
    """Each attempt, in a session of its own, is refused (403) saying which side is the coordinator's."""
    for action, attempt in attempts.items():
        with factory() as session, pytest.raises(Refused) as refused:
            attempt(session)
        assert refused.value.status == 403, action
        assert "own side's events (Beijing)" in str(refused.value), action


def test_a_coordinator_of_the_other_side_changes_none_of_an_events_meetings(
    factory: sessionmaker[Session],
) -> None:
    event = _moscow_event(factory)
    event_id = event.event_id
    with factory() as session, session.begin():
        organization = _organization(session, "Tsinghua Holdings", "Beijing", "approved")
        request_id = meetings.request_meeting(session, OPERATOR, event_id, event.moscow, event.beijing).id

    attempts: dict[str, Callable[[Session], Any]] = {
        "profile": lambda s: meetings.save_participant_profile(
            s, BEIJING, event_id, event.beijing, offers="x", seeks="", languages=["en"], available=None
        ),
        "request": lambda s: meetings.request_meeting(s, BEIJING, event_id, event.beijing, event.moscow),
        "accept": lambda s: meetings.decide(s, BEIJING, event_id, request_id, accept=True),
        "cancel": lambda s: meetings.cancel(s, BEIJING, event_id, request_id),
        "setup": lambda s: save_setup(s, BEIJING, event_id, SLOTS, ""),
        "schedule": lambda s: meetings.run_schedule(s, BEIJING, event_id, time_limit=1),
        "move": lambda s: meetings.move_meeting(s, BEIJING, event_id, request_id, "s2"),
        "organization": lambda s: meetings.add_organization(s, BEIJING, event_id, organization),
    }
    _refused_as_other_side(factory, attempts)
    with factory() as session:
        assert session.scalars(select(MeetingRequest.status)).all() == ["requested"]
        assert session.scalars(select(EventSlot)).all() == []
        assert len(session.scalars(select(EventParticipant)).all()) == 2

    # the coordinators of the event's own side do every one of these
    with factory() as session, session.begin():
        for participant in (event.moscow, event.beijing):
            meetings.save_participant_profile(
                session, MOSCOW, event_id, participant, offers="", seeks="", languages=["en"], available=None
            )
        save_setup(session, MOSCOW, event_id, SLOTS, "")
        assert meetings.decide(session, MOSCOW, event_id, request_id, accept=True).status == "accepted"
        schedule = meetings.run_schedule(session, MOSCOW, event_id, time_limit=1)
        [placement] = schedule.placements
        other_slot = "s2" if placement.slot_id == "s1" else "s1"
        moved = meetings.move_meeting(session, MOSCOW, event_id, request_id, other_slot)
        assert moved.placement_by_meeting[str(request_id)].slot_id == other_slot
        meetings.add_organization(session, MOSCOW, event_id, organization)
        assert meetings.cancel(session, MOSCOW, event_id, request_id).status == "cancelled"
    with factory() as session:
        assert session.scalars(select(MeetingPlacement)).all() == []
        assert len(session.scalars(select(EventSlot)).all()) == 2
        assert len(session.scalars(select(EventParticipant)).all()) == 3

    # a participant still acts for themselves only, and nobody acts on an event that does not exist
    expert = Viewer("expert", user_id=9, expert_id=event.experts[1])
    with factory() as session, session.begin():
        meetings.request_meeting(session, expert, event_id, event.beijing, event.moscow)
    with factory() as session, pytest.raises(Refused) as refused:
        meetings.request_meeting(session, expert, event_id, event.moscow, event.beijing)
    assert refused.value.status == 403
    with factory() as session, pytest.raises(Refused) as refused:
        meetings.run_schedule(session, MOSCOW, event_id + 1000)
    assert refused.value.status == 404


def _entries_file(tmp_path: Path) -> Path:
    path = tmp_path / "entries.csv"
    path.write_text("id,title_en\nP-2,Tram signalling\n", encoding="utf-8")
    return path


def test_a_coordinator_of_the_other_side_changes_none_of_an_events_panels_or_entries(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    event = _moscow_event(factory)
    event_id = event.event_id
    index = ExpertIndex(None)  # never asked: the runs below score from a file
    with factory() as session, session.begin():
        opportunity = create(
            session, "opportunities", {"title_en": "Metro sensors", "kind": "technology_offer"}, actor="t"
        )
        entry = panel_entries.save_entry(
            session, MOSCOW, event_id, {"id": "P-1", "title_en": "Metro signals"}
        )
    moscow_expert, beijing_expert = (str(expert_id) for expert_id in event.experts)
    parameters = PanelParameters(
        entry_ids=(entry,),
        per_entry=1,
        scores=(("P-1", moscow_expert, 0.9), ("P-1", beijing_expert, 0.5)),
        scores_source="scores.csv",
    )
    with factory() as session, session.begin():
        run = panels.run_panels(session, index, MOSCOW, event_id, parameters)
    run_id = run.id

    attempts: dict[str, Callable[[Session], Any]] = {
        "add": lambda s: panel_entries.save_entry(s, BEIJING, event_id, {"id": "P-9", "title_en": "Bridges"}),
        "replace": lambda s: panel_entries.save_entry(
            s, BEIJING, event_id, {"id": "P-1", "title_en": "Bridges"}, replace=True
        ),
        "link": lambda s: panel_entries.link_opportunity(s, BEIJING, event_id, opportunity),
        "delete": lambda s: panel_entries.delete_entry(s, BEIJING, event_id, entry),
        "import": lambda s: panel_entries.import_entries(s, BEIJING, event_id, _entries_file(tmp_path)),
        "run": lambda s: panels.run_panels(s, index, BEIJING, event_id, parameters),
        "edit": lambda s: panel_edits.replace_expert(
            s, BEIJING, event_id, run_id, str(entry), moscow_expert, beijing_expert
        ),
    }
    _refused_as_other_side(factory, attempts)
    with factory() as session:
        assert session.scalars(select(EventPanelEntry.code)).all() == ["P-1"]
        assert len(session.scalars(select(PanelRun)).all()) == 1
        stored = json.loads(session.get_one(PanelRun, run_id).results)
        assert stored["assignments"] == [[str(entry), moscow_expert, 0.9]]

    # the coordinators of the event's own side do every one of these
    with factory() as session, session.begin():
        panel_edits.replace_expert(
            session, MOSCOW, event_id, run_id, str(entry), moscow_expert, beijing_expert
        )
        linked = panel_entries.link_opportunity(session, MOSCOW, event_id, opportunity)
        report = panel_entries.import_entries(session, MOSCOW, event_id, _entries_file(tmp_path))
        assert (report.created, report.issues) == (1, [])
        panels.run_panels(session, index, MOSCOW, event_id, parameters)
        panel_entries.delete_entry(session, MOSCOW, event_id, linked)
    with factory() as session:
        assert sorted(session.scalars(select(EventPanelEntry.code))) == ["P-1", "P-2"]
        assert len(session.scalars(select(PanelRun)).all()) == 2
        stored = json.loads(session.get_one(PanelRun, run_id).results)
        assert [expert for _, expert, _ in stored["assignments"]] == [beijing_expert]


FORM = {"kind": "forum", "title_en": "Matchmaking forum", "starts_on": "2026-09-12", "city": "Moscow"}


def _problems(session: Session, values: dict[str, str], event_id: int | None = None) -> list[tuple[str, str]]:
    try:
        check_event(session, MOSCOW, {**FORM, **values}, event_id)
    except ChangeRejected as rejected:
        return [(issue.column, issue.value) for issue in rejected.issues]
    return []


def test_an_events_form_names_only_organizations_its_author_may_see(factory: sessionmaker[Session]) -> None:
    with factory() as session, session.begin():
        hidden = _organization(session, "Unvetted Beijing Lab", "Beijing", "pending")
        vetted = _organization(session, "Peking Robotics", "Beijing", "approved")
        own = _organization(session, "Unvetted Moscow Lab", "Moscow", "pending")
    with factory() as session:
        for column in ("organization_participants", "organizers"):
            # waiting for vetting on the other side: as if there were no such organization, by number or name
            assert _problems(session, {column: str(hidden)}) == [(column, str(hidden))]
            assert _problems(session, {column: "Unvetted Beijing Lab"}) == [(column, "Unvetted Beijing Lab")]
            # approved ones, and those of the author's own side waiting for its vetting, are named
            assert _problems(session, {column: f"{vetted}\n{own}"}) == []
        # an admin names any
        check_event(session, Viewer("admin", user_id=1), {**FORM, "organization_participants": str(hidden)})

    # one already on the event stays when the event is edited
    with factory() as session, session.begin():
        event = Event(kind="forum", starts_on=DAY, ends_on=DAY, city="Moscow")
        session.add(event)
        session.flush()
        session.add(EventParticipant(event_id=event.id, organization_id=hidden, position=0))
        session.add(EventOrganizer(event_id=event.id, organization_id=hidden, position=0))
        event_id = event.id
    with factory() as session:
        both = {"organization_participants": str(hidden), "organizers": str(hidden)}
        assert _problems(session, both, event_id) == []


def test_a_participant_is_suggested_only_organizations_they_may_see(factory: sessionmaker[Session]) -> None:
    event = _moscow_event(factory)
    with factory() as session, session.begin():
        hidden = _organization(session, "Unvetted Beijing Lab", "Beijing", "pending")
        vetted = _organization(session, "Peking Robotics", "Beijing", "approved")
        for position, organization in enumerate((hidden, vetted), start=2):
            session.add(
                EventParticipant(event_id=event.event_id, organization_id=organization, position=position)
            )
    expert = Viewer("expert", user_id=9, expert_id=event.experts[0])
    index = ExpertIndex(None)

    def suggested(viewer: Viewer) -> set[int | None]:
        with factory() as session:
            found = meetings.suggestions(session, index, viewer, event.event_id, event.moscow)
        return {item.person.organization_id or None for item in found if item.person.is_organization}

    assert suggested(expert) == {vetted}
    assert suggested(MOSCOW) == {vetted}
    # its own side's coordinators (who vet it) and admins see it
    assert suggested(BEIJING) == {hidden, vetted}
    assert suggested(Viewer("admin", user_id=1)) == {hidden, vetted}

"""Who organizes an event (its side's coordinators, admins) and what its pages show: a coordinator of
the other side changes none of its meetings, panels or entries; a set-up that would drop placed
meetings asks first; organizations waiting for vetting stay hidden; names and numbers are said the
page's way."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
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
    User,
)
from expertbridge.registry.experts import read_experts
from expertbridge.text.normalize import fold
from tests.web.accounts import EMAILS, as_role, post_form
from tests.web.conftest import TOKEN
from tests.web.test_meetings import SLOTS, scheduled_with_interpreter
from tests.web.test_panels import _event as panel_event
from tests.web.test_panels import _form as panel_form
from tests.web.test_panels import _link

RU = {"Accept-Language": "ru"}
OTHER_SIDE_RU = "только у мероприятий своей стороны (Москва)"


def _placed(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return len(session.scalars(select(MeetingPlacement)).all())


def test_a_coordinator_of_the_other_side_changes_none_of_an_events_meetings(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, _admin = scheduled_with_interpreter(client, factory)  # a Beijing event, one meeting placed
    page = f"/events/{setup.event_id}/meetings"
    with factory() as session:
        request_id = session.scalars(select(MeetingRequest.id)).one()
        slots = len(session.scalars(select(EventSlot)).all())
    assert _placed(factory) == 1
    moscow = as_role(client, "moscow")
    assert moscow.get(f"/events/{setup.event_id}/edit").status_code == 403  # as the event's form says

    attempts = {
        "setup": {"slots": "", "interpreters": "", "drop_placements": str(request_id)},
        "schedule": {"time_limit": "2"},
        "move": {"meeting": str(request_id), "slot": "s2"},
        "requests": {"requester": str(setup.beijing), "counterpart": str(setup.third)},
        f"requests/{request_id}/cancel": {},
        "profile": {"participant": str(setup.beijing), "offers": "x", "seeks": "", "languages": "en"},
        "organizations": {"organization": "1"},
    }
    for action, data in attempts.items():
        answer = post_form(moscow, page, f"{page}/{action}", data, headers=RU)
        assert answer.status_code == 403, action  # type: ignore[attr-defined]
        assert OTHER_SIDE_RU in html.unescape(answer.text), action  # type: ignore[attr-defined]
    with factory() as session:
        request = session.get_one(MeetingRequest, request_id)
        assert request.status == "accepted"
        assert len(session.scalars(select(EventSlot)).all()) == slots
        assert session.scalars(select(MeetingRequest)).all() == [request]
    assert _placed(factory) == 1

    # they still read the organizers' view, without its forms
    shown = moscow.get(page).text
    assert f"#{request_id}" in shown and "Placed 1 of 1 meetings" in shown
    for action in ("setup", "schedule", "move", "organizations"):
        assert f'action="{page}/{action}"' not in shown, action
    assert f"/requests/{request_id}/cancel" not in shown

    # the event's own side does change it
    beijing = as_role(client, "beijing")
    assert f'action="{page}/setup"' in beijing.get(page).text
    answer = post_form(beijing, page, f"{page}/schedule", {"time_limit": "2"})
    assert answer.status_code == 303  # type: ignore[attr-defined]


def test_a_set_up_that_drops_placed_meetings_asks_first(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, admin = scheduled_with_interpreter(client, factory)
    page = f"/events/{setup.event_id}/meetings"
    with factory() as session:
        request_id = session.scalars(select(MeetingRequest.id)).one()
    kept = {"slots": SLOTS, "interpreters": "i1; Wang Li; ru-zh"}

    # without slots every placed meeting would go: nothing is saved, the page says which and asks
    asked = post_form(admin, page, f"{page}/setup", {"slots": "", "interpreters": ""})
    assert asked.status_code == 409  # type: ignore[attr-defined]
    text = html.unescape(asked.text)  # type: ignore[attr-defined]
    assert "It would take 1 placed meeting out of the schedule:" in text
    assert f'name="drop_placements" value="{request_id}"' in text
    assert "Take 1 meeting out of the schedule and save" in text
    assert _placed(factory) == 1
    with factory() as session:
        assert len(session.scalars(select(EventSlot)).all()) == 2

    # without the interpreter the meeting (no common language) would go too; asked in Russian
    asked = post_form(admin, page, f"{page}/setup", {"slots": SLOTS, "interpreters": ""}, headers=RU)
    assert asked.status_code == 409  # type: ignore[attr-defined]
    assert "Они уберут из расписания 1 размещённую встречу:" in html.unescape(asked.text)  # type: ignore[attr-defined]
    assert _placed(factory) == 1

    # a set-up that keeps the placement saves at once
    assert post_form(admin, page, f"{page}/setup", kept).status_code == 303  # type: ignore[attr-defined]
    assert _placed(factory) == 1

    # confirmed, it is saved and the meeting leaves the schedule
    confirmed = {"slots": "", "interpreters": "", "drop_placements": str(request_id)}
    assert post_form(admin, page, f"{page}/setup", confirmed).status_code == 303  # type: ignore[attr-defined]
    assert _placed(factory) == 0
    with factory() as session:
        assert session.scalars(select(EventSlot)).all() == []


def _city_event(factory: sessionmaker[Session], city: str) -> tuple[int, list[int]]:
    """The panel tests' event placed on ``city``'s side; returns it and its two opportunities."""
    event_id, opportunities, _, _ = panel_event(factory)
    with factory() as session:
        session.get_one(Event, event_id).city = city
        session.commit()
    return event_id, opportunities


def test_a_coordinator_of_the_other_side_changes_none_of_an_events_panels_or_entries(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, opportunities = _city_event(factory, "Moscow")
    moscow = as_role(client, "moscow")
    entries = _link(moscow, factory, event_id, opportunities)  # the event's own side links them
    panels, entries_page = f"/events/{event_id}/panels", f"/events/{event_id}/entries"
    made = post_form(moscow, panels, panels, panel_form(entries, one_from_each_side="0"))  # type: ignore[arg-type]
    assert made.status_code == 303  # type: ignore[attr-defined]
    run_page = made.headers["location"]  # type: ignore[attr-defined]
    with factory() as session:
        run = session.scalars(select(PanelRun)).one()
        expert = json.loads(run.results)["assignments"][0][1]

    beijing = as_role(client, "beijing")
    for page in (panels, entries_page):
        refused = beijing.get(page, headers=RU)
        assert refused.status_code == 403 and "своей стороны (Пекин)" in html.unescape(refused.text), page
    # forms sent anyway (with a token from a page they may open) change nothing
    attempts = {
        f"{entries_page}/{entries[0]}/delete": {},
        entries_page: {"id": "X1", "title_en": "Metro"},
        f"{entries_page}/link": {"opportunity": str(opportunities[0])},
        panels: panel_form(entries, one_from_each_side="0"),
        f"{run_page}/replace": {"entry": str(entries[0]), "removed": expert, "added": expert},
    }
    for action, data in attempts.items():
        answer = post_form(beijing, run_page, action, data)  # type: ignore[arg-type]
        assert answer.status_code == 403, action  # type: ignore[attr-defined]
    with factory() as session:
        assert sorted(session.scalars(select(EventPanelEntry.id))) == sorted(entries)
        assert len(session.scalars(select(PanelRun)).all()) == 1
    # the stored run is theirs to read, not to edit
    shown = beijing.get(run_page)
    assert shown.status_code == 200 and f'action="{run_page}/replace"' not in shown.text
    assert f'action="{run_page}/replace"' in moscow.get(run_page).text
    # the event's page offers its panels to its own side only
    assert f'href="{panels}"' not in beijing.get(f"/events/{event_id}").text
    assert f'href="{panels}"' in moscow.get(f"/events/{event_id}").text


def _organization(session: Session, status: str, city: str, names: dict[str, str]) -> int:
    organization = Organization(type="company", city=city, country="RU" if city == "Moscow" else "CN")
    organization.status = status
    session.add(organization)
    session.flush()
    for position, (language, text) in enumerate(names.items()):
        session.add(
            OrganizationName(
                organization_id=organization.id,
                text=text,
                normalized=fold(text),
                language=language,
                kind="label",
                is_primary=position == 0,
                position=position,
            )
        )
    return organization.id


def test_an_event_names_only_the_organizations_its_visitor_may_see(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, _ = _city_event(factory, "Moscow")
    with factory() as session:
        vetted = _organization(
            session, "approved", "Moscow", {"ru": "Технопарк Сколково", "zh": "斯科尔科沃科技园"}
        )
        pending = _organization(session, "pending", "Moscow", {"ru": "ООО Непроверенная", "zh": "未审核公司"})
        session.add(EventOrganizer(event_id=event_id, organization_id=vetted, position=0))
        session.add(EventOrganizer(event_id=event_id, organization_id=pending, position=1))
        session.add(EventParticipant(event_id=event_id, organization_id=pending, position=99))
        session.commit()
    page = f"/events/{event_id}?lang=zh"
    public = as_role(client, "public").get(page).text
    assert f'<a href="/organizations/{vetted}">斯科尔科沃科技园</a>' in public
    assert "未审核公司" not in public and "Непроверенная" not in public
    assert as_role(client, "public").get(f"/organizations/{pending}").status_code == 404
    # the API says no more than the page
    api = client.get(f"/api/v1/events/{event_id}").json()
    assert api["organizers"] == ["Технопарк Сколково"] and api["organization_participants"] == []
    listed = client.get("/api/v1/events", params={"per_page": 200}).json()["items"]
    assert all("ООО Непроверенная" not in json.dumps(item, ensure_ascii=False) for item in listed)
    # the coordinators of its side vet it, and see it
    moscow = as_role(client, "moscow").get(f"/events/{event_id}?lang=ru").text
    assert f'<a href="/organizations/{pending}">ООО Непроверенная</a>' in moscow
    assert "ООО Непроверенная" in json.dumps(
        client.get(f"/api/v1/events/{event_id}", headers={"Authorization": f"Bearer {TOKEN}"}).json(),
        ensure_ascii=False,
    )


def test_the_meetings_offer_only_organizations_the_organizer_may_see(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, _ = _city_event(factory, "Moscow")
    with factory() as session:
        theirs = _organization(session, "pending", "Beijing", {"zh": "北京未审核公司"})
        ours = _organization(session, "pending", "Moscow", {"ru": "ООО Своя"})
        session.commit()
    page = f"/events/{event_id}/meetings"
    moscow = as_role(client, "moscow")
    refused = post_form(moscow, page, f"{page}/organizations", {"organization": str(theirs)})
    assert refused.status_code == 404  # type: ignore[attr-defined]
    added = post_form(moscow, page, f"{page}/organizations", {"organization": str(ours)})
    assert added.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        taking_part = set(
            session.scalars(
                select(EventParticipant.organization_id).where(EventParticipant.event_id == event_id)
            )
        )
    assert ours in taking_part and theirs not in taking_part


def _names(factory: sessionmaker[Session], participant_id: int) -> tuple[int, str, str]:
    """The participant's expert id, the name a Russian page gives them first, and their own name."""
    with factory() as session:
        expert_id = session.get_one(EventParticipant, participant_id).expert_id
        assert expert_id is not None
        record = read_experts(session, [expert_id])[expert_id]
    russian = sorted(
        (name for name in record.names if name.language == "ru"),
        key=lambda name: (name.generated, not name.is_primary),
    )
    return expert_id, russian[0].text, record.primary_name()


def test_the_meetings_page_names_people_in_its_script_and_conflicts_by_name_and_number(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, admin = scheduled_with_interpreter(client, factory)
    page = f"/events/{setup.event_id}/meetings"
    expert_id, cyrillic, own = _names(factory, setup.beijing)
    assert cyrillic != own
    # a Russian page names the Beijing expert in Cyrillic, with the Chinese original beside it
    russian = html.unescape(admin.get(f"{page}?lang=ru").text)
    grid = russian[russian.index('<table class="list grid"') :]
    assert f'<span lang="ru">{cyrillic}</span>' in grid and f"({own})" in grid
    assert f'<span lang="ru">{cyrillic}</span>' in russian[russian.index('id="requests-all"') :]

    # a refused move names the expert as the page does, with their registry number, not an internal id
    with factory() as session:
        request_id = session.scalars(select(MeetingRequest.id)).one()
    fields = {"participant": str(setup.beijing), "offers": "", "seeks": "", "languages": "zh"}
    assert post_form(admin, page, f"{page}/profile", {**fields, "available": "s2"}).status_code == 303  # type: ignore[attr-defined]
    refused = post_form(admin, page, f"{page}/move", {"meeting": str(request_id), "slot": "s1"})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    text = html.unescape(refused.text)  # type: ignore[attr-defined]
    conflict = re.search(r'<li data-kind="participant_unavailable">([^<]*)</li>', text)
    assert conflict is not None, text
    assert conflict.group(1).startswith(f"{cyrillic} ({own}) #{expert_id} ")
    assert f"({setup.beijing})" not in conflict.group(1)


def test_panel_runs_say_numbers_solver_and_author_the_pages_way(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, opportunities = _city_event(factory, "Moscow")
    admin = as_role(client, "admin")
    entries = _link(admin, factory, event_id, opportunities)
    page = f"/events/{event_id}/panels"
    form = panel_form(entries, mode="random", seed="7", max_probability="0.9", one_from_each_side="0")
    made = post_form(admin, page, page, form)  # type: ignore[arg-type]
    assert made.status_code == 303  # type: ignore[attr-defined]
    run_page = made.headers["location"]  # type: ignore[attr-defined]
    with factory() as session:
        admin_id = session.scalar(select(User.id).where(User.email == EMAILS["admin"]))
        results = json.loads(session.scalars(select(PanelRun.results)).one())
    score = results["assignments"][0][2]
    assert 0 < score < 1

    # (Russian groups digits with a no-break space)
    russian = html.unescape(admin.get(f"{run_page}?lang=ru").text).replace("\xa0", " ")
    assert f"<td>{round(round(score, 4), 3)}</td>".replace(".", ",") in russian
    assert re.search(r"<td>0\.\d+</td>", russian) is None  # no score in English digits
    assert "поток минимальной стоимости (дробный, шаг 1/10 000) + зависимое округление" in russian
    assert "dependent rounding" not in russian
    assert f"user:{admin_id}" not in russian and f"кто: {EMAILS['admin']}" in russian
    chinese = html.unescape(admin.get(f"{run_page}?lang=zh").text)
    assert "最小费用流（分数解，精度 1/10,000）+ 相依舍入" in chinese
    # the lists of saved runs name the author too
    for where in (page, f"/events/{event_id}", f"/opportunities/{opportunities[0]}"):
        listed = admin.get(where).text
        assert f"user:{admin_id}" not in listed and f"<td>{EMAILS['admin']}</td>" in listed, where


def test_declared_conflicts_are_named_with_their_number(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, _ = _city_event(factory, "Moscow")
    with factory() as session:
        participant = session.scalars(
            select(EventParticipant.expert_id).where(EventParticipant.event_id == event_id)
        ).first()
        assert participant is not None
        record = read_experts(session, [participant])[participant]
    names = {name.language: name.text for name in record.names if not name.generated}
    admin = as_role(client, "admin")
    page = f"/events/{event_id}/entries"
    entry = {"id": "E1", "kind": "project", "title_en": "Solar roofs", "conflicts": f"#{participant}"}
    assert post_form(admin, page, page, entry).status_code == 303  # type: ignore[attr-defined]
    listing = html.unescape(admin.get(f"{page}?lang=ru").text)
    cell = re.search(rf'<a href="/experts/{participant}">([^<]+) <small>([^<]+)</small></a>', listing)
    assert cell is not None
    assert cell.group(1) in names.values() and cell.group(2) in (f"#{participant}", record.external_id)

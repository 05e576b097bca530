"""The meeting pages speak the reader's language: set-up problems, unplaced reasons, the solver's
status, the calendar file, and people's names in the page's script."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import EventInterpreter, EventParticipant, EventSlot, MeetingRequest
from expertbridge.registry.experts import read_experts
from tests.web.accounts import as_role, post_form
from tests.web.test_meetings import SLOTS, _event, confirmed_drop, scheduled_with_interpreter

NONSENSE_SLOTS = "\n".join(
    [
        "s1 2023-09-12T09:00+08:00 2023-09-12T08:30+08:00 2",  # ends before it starts
        "s2 tomorrow 2023-09-12T10:00+08:00 2",  # no date
        "s3 2023-09-13T09:00+08:00 2023-09-13T09:30+08:00 2",  # the event is on the 12th only
        "s4 2023-09-12T11:00+08:00 2023-09-12T11:30+08:00 -1",  # negative tables
        "s5 2023-09-12T12:00+08:00 2023-09-12T12:30+08:00 1",
        "s5 2023-09-12T13:00+08:00 2023-09-12T13:30+08:00 1",  # the code again
        "s7 2023-09-12T12:15+08:00 2023-09-12T12:45+08:00 1",  # overlaps s5
        "s8 2023-09-12T14:00 2023-09-12T14:30+08:00 1",  # no UTC offset
        "s9 2023-09-12T15:00+08:00 2023-09-12T15:00+08:00 1",  # zero minutes
    ]
)
NONSENSE_INTERPRETERS = "i1; Wang Li; ru-ru\ni2; Li Na; xx-zh\ni2; Petrov; ru-zh\ni4; Zhao; ru-zh; s1 z9"


def test_a_nonsense_set_up_is_refused_line_by_line_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup = _event(factory)
    page = f"/events/{setup.event_id}/meetings"
    admin = as_role(client, "admin")
    admin.get(f"{page}?lang=ru")
    answer = post_form(
        admin, page, f"{page}/setup", {"slots": NONSENSE_SLOTS, "interpreters": NONSENSE_INTERPRETERS}
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = html.unescape(answer.text)  # type: ignore[attr-defined]
    assert "Настройки не сохранены:" in text
    for expected in (
        "Слоты, строка 1: конец 2023-09-12T08:30+08:00 не позже начала 2023-09-12T09:00+08:00; "
        "слот должен длиться больше нуля минут.",
        "Слоты, строка 2: начало 'tomorrow' — не дата и время; пишите так: 2023-09-12T09:00+08:00.",
        "Слоты, строка 3: слот выходит за даты мероприятия (с 2023-09-12 по 2023-09-12)",
        "Слоты, строка 4: число столов '-1' — не целое число от 0 до 500.",
        "Слоты, строка 6: код 's5' уже использован в строке 5; у каждого слота должен быть свой код.",
        "Слоты, строка 7: слот s7 пересекается со слотом s5 (строка 5)",
        "Слоты, строка 8: у начала '2023-09-12T14:00' нет смещения от UTC",
        "Слоты, строка 9: конец 2023-09-12T15:00+08:00 не позже начала",
        "Переводчики, строка 1: в 'ru-ru' дважды указан один и тот же язык",
        "Переводчики, строка 2: 'xx' в 'xx-zh' — не код языка, известный реестру; используйте ru, zh, en",
        "Переводчики, строка 3: код 'i2' уже использован в строке 2",
        "Переводчики, строка 4: нет слота s1 z9",  # s1 was refused, so it is not a slot either
    ):
        assert expected in text, expected
    # the form shows what the organizer typed, and nothing was saved
    assert "s2 tomorrow 2023-09-12T10:00+08:00 2" in text and "i2; Li Na; xx-zh" in text
    with factory() as session:
        assert session.scalars(select(EventSlot)).all() == []
        assert session.scalars(select(EventInterpreter)).all() == []

    # the same in Chinese; the API's English is the message as written
    admin.get(f"{page}?lang=zh")
    answer = post_form(
        admin, page, f"{page}/setup", {"slots": "s1 2023-09-12T09:00+08:00", "interpreters": ""}
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "时段，第 1 行：请写四项，用空格分隔：代码、开始、结束和桌数。" in html.unescape(answer.text)  # type: ignore[attr-defined]


def _names(factory: sessionmaker[Session], participant_id: int) -> dict[str, str]:
    with factory() as session:
        expert_id = session.get(EventParticipant, participant_id).expert_id  # type: ignore[union-attr]
        assert expert_id is not None
        record = read_experts(session, [expert_id])[expert_id]
    return {name.language or "": name.text for name in record.names} | {"primary": record.primary_name()}


def test_agenda_page_pdf_links_and_calendar_follow_the_page_language_and_script(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, admin = scheduled_with_interpreter(client, factory)
    moscow = _names(factory, setup.moscow)
    assert moscow["primary"] == moscow["ru"] and moscow["zh"] != moscow["ru"]

    # the Beijing expert's agenda on a Chinese page names the Moscow expert in Chinese characters,
    # marked as written by the system, with the Cyrillic original alongside
    agenda = admin.get(f"/events/{setup.event_id}/agenda/{setup.beijing}?lang=zh").text
    row = agenda[agenda.index("<tbody>") :]
    assert f'<span lang="zh">{moscow["zh"]}</span>' in row and f"({moscow['ru']})" in row
    assert 'class="generated"' in row
    assert (
        f"/agenda/{setup.beijing}.ics?lang=zh" in agenda and f"/agenda/{setup.beijing}.pdf?lang=zh" in agenda
    )

    # the calendar file speaks Chinese and names people the same way
    ics = admin.get(f"/events/{setup.event_id}/agenda/{setup.beijing}.ics?lang=zh")
    assert ics.status_code == 200
    lines = ics.text.replace("\r\n ", "").split("\r\n")
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert summary == f"SUMMARY:与 {moscow['zh']} ({moscow['ru']}) 会面（Matchmaking forum）"
    assert "LOCATION:1 号桌" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith(f"DESCRIPTION:会面对象：{moscow['zh']} ({moscow['ru']}) ")
    assert "语言：ru–zh，译员 i1" in description and "Meeting with" not in ics.text

    # in Russian for the Moscow expert (the Beijing expert's Cyrillic rendering first)
    beijing = _names(factory, setup.beijing)
    russian = admin.get(f"/events/{setup.event_id}/agenda/{setup.moscow}.ics?lang=ru").text
    assert f"SUMMARY:Встреча: {beijing['ru']} ({beijing['zh']}) (Matchmaking forum)" in russian.replace(
        "\r\n ", ""
    )
    # the JSON API's calendar stays English
    from tests.web.conftest import TOKEN

    api = client.get(
        f"/api/v1/events/{setup.event_id}/meetings/agenda/{setup.moscow}.ics",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert "SUMMARY:Meeting with " in api.text


def test_unplaced_reasons_and_the_solver_status_are_said_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, admin = scheduled_with_interpreter(client, factory)
    page = f"/events/{setup.event_id}/meetings"
    chinese = html.unescape(admin.get(f"{page}?lang=zh").text)
    assert "已证明最优" in chinese  # the solver's status
    # without the interpreter the stored placement no longer holds: the reason is in Chinese
    dropped = {"slots": SLOTS, "interpreters": "", **confirmed_drop(factory)}  # it drops the meeting
    assert post_form(admin, page, f"{page}/setup", dropped).status_code == 303  # type: ignore[attr-defined]
    chinese = html.unescape(admin.get(page).text)
    assert "上次排程后，其时段、桌位或译员已变更" in chinese
    assert "changed after the last scheduling run" not in chinese
    # scheduled again, the engine's own reason is in Russian on a Russian page
    assert post_form(admin, page, f"{page}/schedule", {"time_limit": "2"}).status_code == 303  # type: ignore[attr-defined]
    russian = html.unescape(admin.get(f"{page}?lang=ru").text)
    assert "нет общего языка, нужен переводчик ru–zh; среди переводчиков мероприятия такого нет" in russian
    assert "share no language" not in russian


def test_a_refused_move_names_its_conflicts_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup, admin = scheduled_with_interpreter(client, factory)
    page = f"/events/{setup.event_id}/meetings"
    with factory() as session:
        request_id = session.scalars(select(MeetingRequest.id)).one()
    admin.get(f"{page}?lang=ru")
    refused = post_form(admin, page, f"{page}/move", {"meeting": str(request_id), "slot": "s1", "table": "7"})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    text = html.unescape(refused.text)  # type: ignore[attr-defined]
    assert 'data-kind="bad_table"' in text and "в слоте s1 есть только столы с 1 по 1" in text
    unknown = post_form(admin, page, f"{page}/move", {"meeting": str(request_id), "slot": "nope"})
    assert "слота 'nope' нет" in html.unescape(unknown.text)  # type: ignore[attr-defined]


def test_pdf_agenda_and_grid_name_people_and_reasons_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from expertbridge.web.pages import agenda as agenda_pages

    made: list[dict[str, object]] = []

    def table_pdf(title: str, **table: object) -> bytes:  # what the PDF would hold, without a font
        made.append({"title": title, **table})
        return b"%PDF-1.4"

    monkeypatch.setattr(agenda_pages, "find_font", lambda configured: None)
    monkeypatch.setattr(agenda_pages, "table_pdf", table_pdf)
    setup, admin = scheduled_with_interpreter(client, factory)
    moscow = _names(factory, setup.moscow)
    answer = admin.get(f"/events/{setup.event_id}/agenda/{setup.beijing}.pdf?lang=zh")
    assert answer.status_code == 200 and answer.content == b"%PDF-1.4"
    rows = made[-1]["rows"]
    assert isinstance(rows, list) and rows[0][2].startswith(f"{moscow['zh']} ({moscow['ru']})")

    page = f"/events/{setup.event_id}/meetings"
    dropped = {"slots": SLOTS, "interpreters": "", **confirmed_drop(factory)}  # it drops the meeting
    assert post_form(admin, page, f"{page}/setup", dropped).status_code == 303  # type: ignore[attr-defined]
    assert admin.get(f"{page}/grid.pdf?lang=ru").status_code == 200
    lines = made[-1]["lines"]
    assert isinstance(lines, list)
    assert any("её слот, стол или переводчик изменились" in line for line in lines), lines

"""Panel pages in the reader's language, a form that refuses bad values, and runs that can be found again."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import EventPanelEntry, Expert, PanelRun
from tests.helpers import csrf_token
from tests.web.accounts import as_role, post_form
from tests.web.test_panels import _event, _form, _link

RU = {"Accept-Language": "ru"}
ZH = {"Accept-Language": "zh"}


def _runs(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(PanelRun)) or 0


def test_out_of_range_values_are_refused_by_field_and_the_form_keeps_them(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, opportunities, _, _ = _event(factory)
    page = f"/events/{event_id}/panels"
    admin = as_role(client, "admin")
    entries = _link(admin, factory, event_id, opportunities)
    bad = _form(entries, per_entry="0", max_load="abc", alternates="9", max_probability="1,5", seed="-3")
    answer = post_form(admin, page, page, bad, headers=RU)  # type: ignore[arg-type]
    text = answer.text  # type: ignore[attr-defined]
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "Экспертов на заявку: нужно целое число от 1 до 20, а не «0»." in text
    assert "Максимум заявок на эксперта: нужно целое число от 1 до 50, а не «abc»." in text
    assert "Резервных экспертов на заявку: нужно целое число от 0 до 5, а не «9»." in text
    assert "нужно число от 0,01 до 1, а не «1,5»" in text
    assert "Начальное значение: нужно целое число от 0 до 4" in text
    # what the organizer typed is shown again, the wrong fields marked
    assert 'name="per_entry" type="number" min="1" max="20" value="0" aria-invalid="true"' in text
    assert 'value="abc" aria-invalid="true"' in text
    assert 'name="one_from_each_side" value="1" checked' in text
    assert _runs(factory) == 0

    low_above_high = post_form(admin, page, page, _form(entries, min_load="3", max_load="2"), headers=ZH)  # type: ignore[arg-type]
    assert low_above_high.status_code == 422  # type: ignore[attr-defined]
    assert "每位专家最少条目数（3）不能大于每位专家最多条目数（2）。" in low_above_high.text  # type: ignore[attr-defined]

    not_ours = post_form(admin, page, page, {**_form(entries), "entries": ["x", "999999"]}, headers=RU)  # type: ignore[arg-type]
    assert not_ours.status_code == 422  # type: ignore[attr-defined]
    assert "Заявки: x, 999999 — не заявка этого мероприятия" in not_ours.text  # type: ignore[attr-defined]
    assert _runs(factory) == 0


def test_refusals_and_explanations_are_in_the_readers_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, opportunities, pool, conflicted = _event(factory)
    page = f"/events/{event_id}/panels"
    admin = as_role(client, "admin")
    entries = _link(admin, factory, event_id, opportunities)
    with factory() as session:
        codes = dict(session.execute(select(EventPanelEntry.id, EventPanelEntry.code)).tuples().all())
        names = {expert_id: session.get_one(Expert, expert_id) for expert_id in pool}
        assert all(names.values())

    # more experts per entry than the pool holds: the diagnosis in Russian, naming the entry by its code
    refused = post_form(admin, page, page, _form(entries, per_entry="5"), headers=RU)  # type: ignore[arg-type]
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert f"у заявки {codes[entries[1]]} только" in refused.text  # type: ignore[attr-defined]
    assert "has only" not in refused.text  # type: ignore[attr-defined]

    # Moscow's experts score high, Beijing's low: the side quota brings a Beijing expert in, and says so
    rows = ["entry_id,expert_id,score"] + [
        f"{codes[entry]},{expert_id},{0.9 - 0.1 * position if side == 'Moscow' else 0.1 - 0.01 * position}"
        for entry in entries
        for position, (expert_id, side) in enumerate(pool.items())
    ]
    answer = admin.post(
        page,
        data={"csrf": _token(admin, page), **_form(entries, alternates="0")},  # type: ignore[dict-item]
        files={"scores": ("scores.csv", "\n".join(rows).encode(), "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    run_page = answer.headers["location"]
    russian = admin.get(run_page, headers=RU).text
    assert "квота «эксперт из Пекина» потребовала эксперта с меньшей оценкой" in russian
    assert "quota" not in russian and "forced a lower-score" not in russian
    chinese = admin.get(run_page, headers=ZH).text
    assert "配额 “来自北京的专家” 迫使分配了分数较低的专家" in chinese
    english = admin.get(run_page, headers={"Accept-Language": "en"}).text
    assert "quota “an expert from Beijing” forced a lower-score expert" in english
    # the stored run keeps the message, not a sentence in one language
    with factory() as session:
        run = session.scalars(select(PanelRun)).one()
        results = json.loads(run.results)
    notes = [note for why in results["explanations"].values() for note in why["notes"]]
    assert notes and all(isinstance(note, dict) and "template" in note for note in notes)

    # a hand edit across a conflict of interest: refused in Russian, the reason translated
    panel = [expert for entry, expert, _ in results["assignments"] if entry == str(entries[0])]
    replaced = post_form(
        admin,
        run_page,
        f"{run_page}/replace",
        {"entry": str(entries[0]), "removed": panel[0], "added": str(conflicted)},
        headers=RU,
    )
    assert replaced.status_code == 409  # type: ignore[attr-defined]
    assert "та же организация" in replaced.text and "same organization" not in replaced.text  # type: ignore[attr-defined]


def test_saved_runs_are_listed_where_organizers_look_and_only_for_them(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, opportunities, _, _ = _event(factory)
    page = f"/events/{event_id}/panels"
    admin = as_role(client, "admin")
    entries = _link(admin, factory, event_id, opportunities)
    answer = post_form(admin, page, page, _form(entries[:1], one_from_each_side="0"))  # type: ignore[arg-type]
    assert answer.status_code == 303  # type: ignore[attr-defined]
    run_link = answer.headers["location"]  # type: ignore[attr-defined]
    for where in (page, f"/events/{event_id}", f"/opportunities/{opportunities[0]}"):
        shown = admin.get(where, headers=RU).text
        assert "Сохранённые подборы комиссий" in shown and f'href="{run_link}"' in shown, where
    assert (
        f'href="{run_link}"' not in admin.get(f"/opportunities/{opportunities[1]}").text
    )  # not judged there
    coordinator = as_role(client, "moscow")
    assert f'href="{run_link}"' in coordinator.get(f"/events/{event_id}").text
    for key in ("expert", "public"):
        visitor = as_role(client, key)
        assert f'href="{run_link}"' not in visitor.get(f"/events/{event_id}").text
        assert f'href="{run_link}"' not in visitor.get(f"/opportunities/{opportunities[0]}").text


def test_entry_problems_are_in_the_readers_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, _, _, _ = _event(factory)
    page = f"/events/{event_id}/entries"
    admin = as_role(client, "admin")
    answer = post_form(
        admin, page, page, {"id": "P-1", "title_en": "Metro", "sectors": "no-such-sector"}, headers=RU
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "Отрасли: неизвестная отрасль" in answer.text and "unknown sector" not in answer.text  # type: ignore[attr-defined]
    assert 'value="no-such-sector"' in answer.text  # type: ignore[attr-defined]
    upload = admin.post(
        f"{page}/import",
        data={"csrf": _token(admin, page)},
        files={"file": ("entries.csv", b"id,kind,title_en\nP-1,jury,Metro\n,project,\n", "text/csv")},
        headers=ZH,
        follow_redirects=False,
    )
    assert upload.status_code == 422
    assert "必须是以下之一：project, application, opportunity" in upload.text
    assert "缺少项目代码" in upload.text


def _token(client: TestClient, page: str) -> str:
    return csrf_token(client.get(page).text)

"""Panel entries of an event (form, linked opportunities, imports), scores files and hand edits of runs."""

from __future__ import annotations

import io
import json

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import (
    AuditEntry,
    EventPanelEntry,
    EventPanelEntryConflict,
    Expert,
    PanelRun,
    PanelRunEdit,
)
from tests.helpers import csrf_token
from tests.web.accounts import as_role, post_form
from tests.web.test_panels import _event


def _upload(client: TestClient, page: str, action: str, name: str, content: bytes, **data: str) -> object:
    token = csrf_token(client.get(page).text)
    return client.post(
        action, data={"csrf": token, **data}, files={"file": (name, content)}, follow_redirects=False
    )


def test_import_refuses_a_bad_file_whole_and_names_row_and_column(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, _, pool, _ = _event(factory)
    page = f"/events/{event_id}/entries"
    admin = as_role(client, "admin")
    assert as_role(client, "partner").get(page).status_code == 403
    conflicted = next(iter(pool))
    bad = (
        "id,kind,title_ru,title_zh,title_en,sectors,city,conflicts\n"
        "P-1,project,Система сигнализации,,,transport.metro,Москва,\n"
        "P-2,contest,,地铁信号系统,,nonsense-sector,北京,999999\n"
    ).encode()
    answer = _upload(admin, page, f"{page}/import", "entries.csv", bad)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert (
        "Nothing was imported" in text and "kind" in text and "nonsense-sector" in text and "999999" in text
    )
    with factory() as session:
        assert session.scalars(select(EventPanelEntry)).all() == []  # nothing half-written

    good = (
        "id,kind,title_ru,title_zh,title_en,description_en,sectors,city,conflicts\n"
        "P-1,project,Система сигнализации,,,,transport.metro,Москва,\n"
        f"P-2,application,,地铁信号系统,,,,北京,{conflicted}\n"
        'P-3,project,,,"<script>alert(1)</script>",Thin-film solar cells,,Moscow,\n'
    ).encode()
    answer = _upload(admin, page, f"{page}/import", "entries.csv", good)
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    listing = admin.get(page).text
    assert "Система сигнализации" in listing and "地铁信号系统" in listing
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing
    with factory() as session:
        rows = {row.code: row for row in session.scalars(select(EventPanelEntry))}
        assert set(rows) == {"P-1", "P-2", "P-3"} and rows["P-1"].city == "Moscow"
        declared = session.scalars(select(EventPanelEntryConflict.expert_id)).all()
        assert declared == [conflicted]
    # the same file again updates, never duplicates
    assert _upload(admin, page, f"{page}/import", "entries.csv", good).status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        assert len(session.scalars(select(EventPanelEntry)).all()) == 3

    # the form names the field; a missing title is refused
    refused = post_form(admin, page, page, {"id": "F-1", "kind": "project"})
    assert refused.status_code == 422 and "title" in refused.text  # type: ignore[attr-defined]


def test_runs_use_entries_scores_files_and_hand_edits_are_checked(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, opportunities, pool, conflicted = _event(factory)
    admin = as_role(client, "admin")
    entries_page = f"/events/{event_id}/entries"
    for opportunity in opportunities:
        answer = post_form(admin, entries_page, f"{entries_page}/link", {"opportunity": str(opportunity)})
        assert answer.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        entry_rows = session.scalars(select(EventPanelEntry).order_by(EventPanelEntry.id)).all()
        codes = [row.code for row in entry_rows]
        ids = [row.id for row in entry_rows]
        external = dict(
            session.execute(select(Expert.id, Expert.external_id).where(Expert.id.in_(list(pool)))).all()
        )
    page = f"/events/{event_id}/panels"
    # a scores file in the OpenReview shape, entries by code, experts by import id
    scores = "".join(
        f"{code},{external[expert]},{0.1 * n}\n" for code in codes for n, expert in enumerate(pool)
    )
    token = csrf_token(admin.get(page).text)
    form = {
        "csrf": token,
        "entries": [str(i) for i in ids],
        "per_entry": "2",
        "max_load": "2",
        "alternates": "1",
    }
    answer = admin.post(
        page,
        data={**form, "one_from_each_side": "1"},
        files={"scores": ("scores.csv", scores.encode())},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    run_page = answer.headers["location"]
    with factory() as session:
        run = session.scalars(select(PanelRun)).one()
        results = json.loads(run.results)
        assert json.loads(run.parameters)["affinity"] == "scores.csv"
    panel = [expert for entry, expert, _ in results["assignments"] if entry == str(ids[0])]
    assert str(conflicted) not in panel  # the linked opportunity's organization is the expert's
    # an unknown entry code in a scores file is named
    token = csrf_token(admin.get(page).text)
    wrong = admin.post(
        page,
        data={**form, "csrf": token},
        files={"scores": ("scores.csv", b"NOPE,x,1\n")},
        follow_redirects=False,
    )
    assert wrong.status_code == 422 and "NOPE" in wrong.text

    by_side = {pool[int(expert)]: expert for expert in panel}
    assert set(by_side) == {"Moscow", "Beijing"}  # one from each side
    spare = next(str(e) for e in pool if pool[e] == "Beijing" and str(e) not in panel)
    # the conflicted expert may not replace anyone on the first entry: 409, named, nothing changes
    refused = post_form(
        admin,
        run_page,
        f"{run_page}/replace",
        {"entry": str(ids[0]), "removed": by_side["Moscow"], "added": str(conflicted)},
    )
    assert refused.status_code == 409 and "Conflict of interest" in refused.text  # type: ignore[attr-defined]
    # a Beijing expert in place of the Moscow one breaks the "one from each side" quota
    quota = post_form(
        admin,
        run_page,
        f"{run_page}/replace",
        {"entry": str(ids[0]), "removed": by_side["Moscow"], "added": spare},
    )
    assert quota.status_code == 409 and "Quota" in quota.text and "Moscow" in quota.text  # type: ignore[attr-defined]
    with factory() as session:
        assert session.scalars(select(PanelRunEdit)).all() == []
    removed = by_side["Beijing"]
    accepted = post_form(
        admin,
        run_page,
        f"{run_page}/replace",
        {"entry": str(ids[0]), "removed": removed, "added": spare, "note": "asked to step down"},
    )
    assert accepted.status_code == 303, accepted.text  # type: ignore[attr-defined]
    shown = admin.get(run_page).text
    assert "asked to step down" in shown
    rows = list(
        load_workbook(io.BytesIO(admin.get(f"{run_page}.xlsx").content)).active.iter_rows(values_only=True)
    )  # type: ignore[union-attr]
    on_panel = {str(row[4]) for row in rows[1:] if row[2] == "panel" and str(row[0]) == str(ids[0])}
    assert spare in on_panel and removed not in on_panel
    with factory() as session:
        assert len(session.scalars(select(PanelRunEdit)).all()) == 1
        audited = [
            json.loads(changes or "{}")
            for changes in session.scalars(
                select(AuditEntry.changes).where(AuditEntry.entity_type == "panel_run")
            )
        ]
    assert any(item.get("expert") == [removed, spare] for item in audited)


def test_adding_an_entry_under_a_code_in_use_is_refused_unless_replacing_is_asked_for(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event_id, _opportunities, pool, _conflicted = _event(factory)
    admin = as_role(client, "admin")
    page = f"/events/{event_id}/entries"
    declared = next(iter(pool))
    first = {"id": "E1", "kind": "project", "title_en": "Solar roofs", "conflicts": str(declared)}
    assert post_form(admin, page, page, first).status_code == 303  # type: ignore[attr-defined]

    again = post_form(admin, page, f"{page}?lang=ru", {"id": "E1", "kind": "project", "title_en": "x"})
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "E1" in again.text and "Заменить запись с этим кодом" in again.text  # type: ignore[attr-defined]
    with factory() as session:
        entry = session.scalars(select(EventPanelEntry).where(EventPanelEntry.code == "E1")).one()
        conflicts = session.scalars(
            select(EventPanelEntryConflict.expert_id).where(EventPanelEntryConflict.entry_id == entry.id)
        ).all()
    assert conflicts == [declared]

    replaced = post_form(admin, page, page, {"id": "E1", "kind": "project", "title_en": "x", "replace": "1"})
    assert replaced.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        assert not session.scalars(select(EventPanelEntryConflict)).all()


def test_the_entries_page_names_declared_conflicts_as_the_form_takes_them(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # What the list shows can be typed back into the form: an expert without an import id is
    # "#42" (a bare number would be taken for an import id if some expert had it as one).
    event_id, _opportunities, pool, _conflicted = _event(factory)
    declared = next(iter(pool))
    with factory() as session:
        expert = session.get(Expert, declared)
        assert expert is not None
        expert.external_id = None
        session.commit()
    admin = as_role(client, "admin")
    page = f"/events/{event_id}/entries"
    entry = {"id": "E1", "kind": "project", "title_en": "Solar roofs", "conflicts": f"#{declared}"}
    assert post_form(admin, page, page, entry).status_code == 303  # type: ignore[attr-defined]
    listing = admin.get(page).text
    # the expert's name for the reader, with the reference the form takes beside it
    assert f"<small>#{declared}</small></a>" in listing

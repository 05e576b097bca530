"""Organizations in an event's meetings (through a partner account), and agendas and the grid as PDF."""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import EventParticipant, MeetingRequest, Organization, User
from expertbridge.demo.load import load_demo
from expertbridge.settings import load_settings
from expertbridge.web.app import create_app
from tests.web.accounts import as_role, post_form
from tests.web.conftest import TOKEN
from tests.web.test_meetings import SLOTS, _event, _languages


def _text(pdf: bytes) -> str:
    # pypdf spaces out the glyphs of CID fonts; compare without whitespace.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.replace("\x00", "").split())


def test_a_partner_takes_part_for_its_organization_and_gets_a_pdf_agenda(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    setup = _event(factory)
    page = f"/events/{setup.event_id}/meetings"
    admin = as_role(client, "admin")
    partner = as_role(client, "partner")
    assert "You do not take part" in partner.get(page).text
    organizations = admin.get(page).text
    assert f'action="/events/{setup.event_id}/meetings/organizations"' in organizations
    with factory() as session:
        organization_id = session.scalar(select(User.organization_id).where(User.role == "partner"))
        assert organization_id is not None
        session.get_one(Organization, organization_id).city = "Moscow"  # a Moscow enterprise
        session.commit()
    answer = post_form(admin, page, f"{page}/organizations", {"organization": str(organization_id)})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    with factory() as session:
        own = session.scalar(
            select(EventParticipant.id).where(EventParticipant.organization_id == organization_id)
        )
    assert own is not None
    mine = partner.get(page).text
    assert "What I offer and seek" in mine and f'name="participant" value="{own}"' in mine
    answer = post_form(
        partner,
        page,
        f"{page}/profile",
        {
            "participant": str(own),
            "offers": "метрополитен, системы сигнализации",
            "seeks": "",
            "languages": "en",
        },
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    # the partner asks a Beijing expert; the expert accepts; a Moscow expert is not suggested
    assert f'name="counterpart" value="{setup.beijing}"' in partner.get(page).text
    assert (
        post_form(partner, page, f"{page}/requests", {"counterpart": str(setup.beijing)}).status_code == 303
    )  # type: ignore[attr-defined]
    with factory() as session:
        request_id = session.scalars(select(MeetingRequest.id)).one()
    refused = post_form(partner, page, f"{page}/requests/{request_id}/accept", {})
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert post_form(admin, page, f"{page}/requests/{request_id}/accept", {}).status_code == 303  # type: ignore[attr-defined]
    _languages(admin, setup, setup.beijing)
    assert post_form(admin, page, f"{page}/setup", {"slots": SLOTS, "interpreters": ""}).status_code == 303  # type: ignore[attr-defined]
    assert post_form(admin, page, f"{page}/schedule", {"time_limit": "5"}).status_code == 303  # type: ignore[attr-defined]

    pdf = partner.get(f"/events/{setup.event_id}/agenda/{own}.pdf?lang=ru")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = _text(pdf.content)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    listed = client.get(f"/api/v1/events/{setup.event_id}/meetings/requests", headers=bearer).json()
    beijing_name = listed[0]["counterpart"]["name"]
    assert "".join(beijing_name.split()) in text and "2023-09-12" in text
    # the page shows the agenda with links to PDF and .ics; another participant's PDF is not theirs to see
    assert f"/agenda/{own}.pdf" in partner.get(f"/events/{setup.event_id}/agenda/{own}").text
    assert partner.get(f"/events/{setup.event_id}/agenda/{setup.beijing}.pdf").status_code == 404

    grid = admin.get(f"{page}/grid.pdf?lang=zh")
    assert grid.status_code == 200 and "".join(beijing_name.split()) in _text(grid.content)
    assert partner.get(f"{page}/grid.pdf").status_code == 403
    # the API names the organization
    assert listed[0]["requester"]["organization_id"] == organization_id
    assert listed[0]["requester"]["expert_id"] is None


def test_without_a_font_the_pdf_is_refused_with_a_clear_page(
    database_url: str, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    load_demo(factory, experts=60, seed=11)
    settings = load_settings(
        {
            "EXPERTBRIDGE_DATABASE_URL": database_url,
            "EXPERTBRIDGE_INDEX_DIR": str(tmp_path / "index"),
            "EXPERTBRIDGE_PDF_FONT": str(tmp_path / "missing.ttf"),
        }
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        setup = _event(factory)
        expert = as_role(client, "expert")
        answer = expert.get(f"/events/{setup.event_id}/agenda/{setup.moscow}.pdf")
        assert answer.status_code == 503
        assert "EXPERTBRIDGE_PDF_FONT" in answer.text and "Traceback" not in answer.text
    app.state.engine.dispose()

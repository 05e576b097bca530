"""Accounts, maintenance and audience-limited exports from the command line (CliRunner)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.db.models import AuditEntry, Expert
from expertbridge.ingest.tables import unprotect_csv_cell
from expertbridge.registry import accounts
from expertbridge.registry.privacy import set_visibility
from expertbridge.registry.vetting import confirm
from expertbridge.registry.visibility import OPERATOR
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv

runner = CliRunner()


def test_create_admin_prints_a_generated_password_and_refuses_a_second_one(cli_env: str) -> None:
    result = runner.invoke(app, ["users", "create-admin", "--email", "Root@Example.org"])
    assert result.exit_code == 0, result.output
    assert "admin account root@example.org created" in result.output
    password = result.output.split("password: ")[1].strip()
    assert len(password) >= 16
    again = runner.invoke(app, ["users", "create-admin", "--email", "root@example.org"])
    assert again.exit_code == 1 and "already an account" in again.output
    bad = runner.invoke(app, ["users", "create-admin", "--email", "not-an-address"])
    assert bad.exit_code == 1 and "not an e-mail address" in bad.output
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert [(row["email"], row["role"], row["state"]) for row in json.loads(listed.stdout)] == [
        ("root@example.org", "admin", "active")
    ]


def test_demo_accounts_are_created_once_and_printed_every_time(cli_env: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["demo", "--experts", "30"]).exit_code == 0
    credentials = tmp_path / "demo-accounts.txt"
    first = runner.invoke(app, ["users", "demo", "--credentials", str(credentials)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["users", "demo", "--credentials", str(credentials)])
    assert second.output == first.output
    assert "demo-admin@example.org" in first.output and "coordinator (Beijing)" in first.output
    assert oct(credentials.stat().st_mode & 0o777) == "0o600"
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)
    assert sorted(row["role"] for row in listed) == [
        "admin",
        "coordinator",
        "coordinator",
        "expert",
        "partner",
    ]


class FakeSMTP:
    """Stands in for smtplib.SMTP and keeps what was sent."""

    sent: ClassVar[list[EmailMessage]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host = host

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self, context: Any) -> None:
        return None

    def send_message(self, message: EmailMessage) -> None:
        FakeSMTP.sent.append(message)


def test_maintenance_reminds_once_freezes_stale_profiles_and_is_idempotent(
    cli_env: str, data_dir: Path, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPERTBRIDGE_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("EXPERTBRIDGE_BASE_URL", "https://experts.example.org")
    monkeypatch.setattr("expertbridge.mail.smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent = []
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT])
    assert runner.invoke(app, ["import", "experts", str(path)]).exit_code == 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with factory() as session:
        ids = dict(session.execute(select(Expert.external_id, Expert.id)).tuples().all())
        session.execute(
            update(Expert)
            .where(Expert.id == ids["ru-1"])
            .values(last_confirmed_at=now - dt.timedelta(days=400))
        )
        session.execute(
            update(Expert)
            .where(Expert.id == ids["cn-1"])
            .values(last_confirmed_at=now - dt.timedelta(days=800))
        )
        accounts.create_user(
            session, email="ru@example.org", role="expert", actor="test", expert_id=ids["ru-1"]
        )
        session.commit()
    first = runner.invoke(app, ["maintenance"])
    assert first.exit_code == 0, first.output
    assert (
        "reminders sent: 1" in first.output
        and "profiles frozen (not confirmed for two years): 1" in first.output
    )
    assert [message["To"] for message in FakeSMTP.sent] == ["ru@example.org"]
    assert "https://experts.example.org/account" in FakeSMTP.sent[0].get_content()
    second = runner.invoke(app, ["maintenance"])
    assert "reminders sent: 0" in second.output and "frozen (not confirmed for two years): 0" in second.output
    assert len(FakeSMTP.sent) == 1
    with factory() as session:
        assert session.scalar(select(Expert.status).where(Expert.id == ids["cn-1"])) == "frozen"
    found = runner.invoke(app, ["export", "experts", "--format", "json", "--audience", "public"])
    assert [row["id"] for row in json.loads(found.stdout)] == ["ru-1"]  # the frozen one is hidden
    with factory() as session:
        confirm(session, OPERATOR, ids["cn-1"], now)  # confirmed: shown again, until the next two years
        session.commit()
    found = runner.invoke(app, ["export", "experts", "--format", "json", "--audience", "public"])
    assert [row["id"] for row in json.loads(found.stdout)] == ["ru-1", "cn-1"]
    assert "profiles frozen (not confirmed for two years): 0" in runner.invoke(app, ["maintenance"]).output


@pytest.mark.parametrize(
    ("audience", "email", "phone", "organization"),
    [
        ("public", False, False, False),
        ("partners", True, False, True),
        ("coordinators", True, True, True),
        ("everything", True, True, True),
    ],
)
def test_export_holds_only_what_its_audience_may_see(
    cli_env: str,
    data_dir: Path,
    factory: sessionmaker[Session],
    audience: str,
    email: bool,
    phone: bool,
    organization: bool,
) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT, {**CHINESE_EXPERT, "id": "cn-pending"}])
    assert runner.invoke(app, ["import", "experts", str(path)]).exit_code == 0
    with factory() as session:
        ids = dict(session.execute(select(Expert.external_id, Expert.id)).tuples().all())
        session.execute(update(Expert).where(Expert.id == ids["cn-pending"]).values(status="pending"))
        # e-mail for partners, phone for coordinators; the organization for partners
        set_visibility(
            session, ids["ru-1"], {"organization": "partners"}, ["partners", "coordinators"], actor="t"
        )
        session.commit()
    result = runner.invoke(app, ["export", "experts", "--format", "csv", "--audience", audience])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert ("cn-pending" in rows) == (audience == "everything")
    row = rows["ru-1"]
    # What the audience may not see is left out as a column, not written as an empty cell, which a
    # re-import of the file would read as "clear it" (ingest/export.py: export_experts).
    assert (row.get("email") == RUSSIAN_EXPERT["email"]) == email and ("email" in row) == email
    assert (unprotect_csv_cell(row.get("phone", "")) == RUSSIAN_EXPERT["phone"]) == phone  # "+7…" marked
    assert ("phone" in row) == phone
    assert (row.get("organization") == RUSSIAN_EXPERT["organization"]) == organization
    assert row["name_ru"] == RUSSIAN_EXPERT["name_ru"] and row["orcid"] == RUSSIAN_EXPERT["orcid"]
    with factory() as session:
        exported = session.scalars(select(AuditEntry.changes).where(AuditEntry.action == "export")).all()
    assert exported and json.loads(exported[-1])["audience"] == audience  # type: ignore[arg-type]


def test_a_reimport_keeps_the_visibility_experts_chose(
    cli_env: str, data_dir: Path, factory: sessionmaker[Session]
) -> None:
    path = write_csv(data_dir / "e.csv", [RUSSIAN_EXPERT])
    assert runner.invoke(app, ["import", "experts", str(path)]).exit_code == 0
    with factory() as session:
        expert_id = session.scalar(select(Expert.id))
        assert expert_id is not None
        set_visibility(session, expert_id, {"bios": "private"}, ["public", "partners"], actor="t")
        session.commit()
    changed = {**RUSSIAN_EXPERT, "phone": "+7 495 555-00-99", "bio_ru": "Другая биография."}
    assert (
        runner.invoke(app, ["import", "experts", str(write_csv(data_dir / "f.csv", [changed]))]).exit_code
        == 0
    )
    result = runner.invoke(app, ["export", "experts", "--format", "json", "--audience", "public"])
    [row] = json.loads(result.stdout)
    # the e-mail stays public, the new phone number is private, the biography stays private (the
    # columns of what the audience may not see are left out)
    assert row["email"] == RUSSIAN_EXPERT["email"] and "phone" not in row and "bio_ru" not in row


def test_the_new_commands_have_help() -> None:
    for command in (
        ["users", "--help"],
        ["users", "create-admin", "--help"],
        ["users", "list", "--help"],
        ["users", "demo", "--help"],
        ["maintenance", "--help"],
        ["export", "--help"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 0 and "Usage" in result.output, command

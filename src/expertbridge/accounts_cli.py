"""`expertbridge users …` and `expertbridge maintenance`: accounts from the command line, and the
periodic job (re-confirmation reminders, freezing stale profiles, forgetting expired sessions)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from expertbridge.outputs import cannot_write, require_writable, write_atomically

users_app = typer.Typer(
    help="Accounts: create the first admin, list accounts, demo accounts.", no_args_is_help=True
)

DEMO_ACCOUNTS = (
    ("demo-admin@example.org", "admin", None),
    ("demo-moscow@example.org", "coordinator", "Moscow"),
    ("demo-beijing@example.org", "coordinator", "Beijing"),
    ("demo-partner@example.org", "partner", "Moscow"),
    ("demo-expert@example.org", "expert", "Beijing"),
)


def _password(generate: bool) -> tuple[str, bool]:
    """A password typed twice at a terminal, or a generated one (True when generated)."""
    from expertbridge.registry.accounts import generate_password

    if generate or not sys.stdin.isatty():
        return generate_password(), True
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return password, False


@users_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option("--email", help="the admin's e-mail address (their sign-in name)")],
    generate: Annotated[
        bool, typer.Option("--generate", help="generate the password (always so without a terminal)")
    ] = False,
) -> None:
    """Create an administrator account; prints the password when it was generated."""
    from expertbridge.cli import _database, fail, out
    from expertbridge.registry.accounts import create_user
    from expertbridge.registry.problems import Refused

    password, generated = _password(generate)
    with _database() as (_engine, factory), factory() as session:
        try:
            user = create_user(session, email=email, role="admin", password=password, actor="operator")
        except Refused as refused:
            raise fail(str(refused)) from None
        session.commit()
        out.print(f"admin account {user.email} created (id {user.id})")
    if generated:
        out.print(f"password: {password}")


@users_app.command("set-password")
def set_password(
    email: Annotated[str, typer.Option("--email", help="the account's e-mail address")],
    generate: Annotated[bool, typer.Option("--generate", help="generate the password")] = False,
) -> None:
    """Give an account a new password (signs it out everywhere)."""
    from expertbridge.cli import _database, fail, out
    from expertbridge.registry import accounts
    from expertbridge.registry.problems import Refused

    password, generated = _password(generate)
    with _database() as (_engine, factory), factory() as session:
        user = accounts.find_user(session, email)
        if user is None:
            raise fail(f"there is no account for {email}")
        try:
            accounts.set_password(session, user, password, actor="operator")
        except Refused as refused:
            raise fail(str(refused)) from None
        session.commit()
    out.print(f"password of {user.email} changed")
    if generated:
        out.print(f"password: {password}")


@users_app.command("list")
def list_users(
    role: Annotated[str, typer.Option(help="only this role: admin, coordinator, expert, partner")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """List the accounts: e-mail, role, side or organization, state, last sign-in."""
    from expertbridge.cli import _database, out
    from expertbridge.registry.accounts import list_users as find

    with _database() as (_engine, factory), factory() as session:
        users, _total = find(session, role=role, per_page=100_000)
        rows = [
            {
                "id": user.id,
                "email": user.email,
                "role": user.role,
                "city": user.city or "",
                "organization_id": user.organization_id,
                "expert_id": user.expert_id,
                "state": "invited"
                if user.password_hash is None
                else "active"
                if user.is_active
                else "disabled",
                "last_login_at": user.last_login_at.isoformat(timespec="seconds")
                if user.last_login_at
                else "",
            }
            for user in reversed(users)
        ]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(*rows[0].keys()) if rows else None
    if table is None:
        out.print("no accounts")
        return
    for row in rows:
        table.add_row(*(str(value) if value is not None else "" for value in row.values()))
    out.print(table)


@users_app.command("demo")
def demo_users(
    credentials: Annotated[
        Path, typer.Option(help="file that keeps the generated passwords (readable by you only)")
    ] = Path("var/demo-accounts.txt"),
) -> None:
    """Create the demo accounts once and print how to sign in.

    The accounts: an admin, a coordinator per side, a partner and an expert.
    Run after `expertbridge demo`; running again only prints them.
    """
    from sqlalchemy import select

    from expertbridge.cli import _database, fail, out
    from expertbridge.db.models import Expert, Organization
    from expertbridge.registry import accounts
    from expertbridge.registry.audit import utcnow
    from expertbridge.registry.consent import give_consent

    # Checked before any account is made: a password generated but not kept is lost.
    require_writable(credentials, "--credentials")
    known: dict[str, str] = {}
    if credentials.is_file():
        for line in credentials.read_text("utf-8").splitlines():
            email, _, password = line.partition(" ")
            known[email] = password
    with _database() as (_engine, factory), factory() as session:
        for email, role, city in DEMO_ACCOUNTS:
            if accounts.find_user(session, email) is not None:
                continue
            organization_id = expert_id = None
            if role == "partner":
                organization_id = session.scalar(
                    select(Organization.id)
                    .where(Organization.city == city)
                    .order_by(Organization.id)
                    .limit(1)
                )
            if role == "expert":
                expert_id = session.scalar(
                    select(Expert.id)
                    .where(Expert.city == city, Expert.status == "approved")
                    .order_by(Expert.id)
                    .limit(1)
                )
            if role == "partner" and organization_id is None:
                out.print(f"{email}: skipped (load the demo first: no organization in {city})")
                continue
            password = accounts.generate_password()
            accounts.create_user(
                session,
                email=email,
                role=role,
                actor="operator",
                password=password,
                city=city if role == "coordinator" else None,
                organization_id=organization_id,
                expert_id=expert_id,
            )
            if expert_id is not None:
                give_consent(session, expert_id, utcnow(), actor="operator")
            known[email] = password
        session.commit()
    table = Table("role", "e-mail", "password")
    for email, role, city in DEMO_ACCOUNTS:
        label = f"{role} ({city})" if city and role == "coordinator" else role
        table.add_row(label, email, known.get(email, "(unknown: use `users set-password`)"))
    out.print("demo accounts (sign in at /signin):")
    out.print(table)
    try:
        # Readable by the operator only from the first byte written.
        text = "".join(f"{email} {password}\n" for email, password in known.items())
        write_atomically({credentials: text}, mode=0o600)
    except OSError as error:
        raise fail(
            f"--credentials: {cannot_write(error, credentials)}; the demo accounts WERE created, and the "
            "passwords shown above are not saved: note them, or give new ones with 'expertbridge users "
            "set-password'"
        ) from None


def maintenance(
    base_url: Annotated[
        str, typer.Option(help="address of the web app for links in reminders (default: the settings)")
    ] = "",
) -> None:
    """Send re-confirmation reminders, freeze stale profiles and forget what has expired.

    Profiles a year old get a reminder; profiles not confirmed for two years are frozen.

    It forgets expired sessions and links, old sign-in failures and files checked on the import page.

    Idempotent: safe to run from cron every day.
    """
    from expertbridge.cli import _database, _update_index, out
    from expertbridge.mail import deliver, mailer_for, reminder_mail
    from expertbridge.registry.audit import utcnow
    from expertbridge.registry.staged_imports import purge_expired
    from expertbridge.registry.vetting import maintenance as run
    from expertbridge.settings import load_settings

    settings = load_settings()
    base = (base_url or settings.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    mailer = mailer_for(settings)
    failed: list[str] = []

    def notify(email: str, _expert_id: int) -> None:
        if not deliver(mailer, reminder_mail(email, f"{base}/account")):
            failed.append(email)

    with _database() as (_engine, factory):
        with factory() as session, session.begin():
            report = run(session, utcnow(), notify)
            report.forgotten["checked import files"] = purge_expired(session, utcnow())
        if report.frozen:
            _update_index(factory)
    out.print(
        f"reminders sent: {len(report.reminded) - len(failed)}"
        + (f" ({len(failed)} failed)" if failed else "")
    )
    out.print(f"profiles due for confirmation without an account to remind: {report.not_reachable}")
    out.print(f"profiles frozen (not confirmed for two years): {len(report.frozen)}")
    out.print(f"opportunities closed (deadline passed): {len(report.closed_opportunities)}")
    forgotten = ", ".join(f"{count} {what}" for what, count in report.forgotten.items())
    out.print(f"forgotten: {forgotten}")

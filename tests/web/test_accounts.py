"""Accounts through the pages: sign-in, sessions, CSRF, throttling, reset, invitations, consent."""

from __future__ import annotations

import datetime as dt
import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Expert, User, UserSession
from expertbridge.mail import LogMailer
from tests.helpers import csrf_token
from tests.web.accounts import EMAILS, PASSWORD, as_role, browser, create_people, post_form, sign_in
from tests.web.profile_form_pages import send_profile


def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    assert client.get("/account").status_code == 401
    assert 'href="/signin?next=/account"' in client.get("/account").text
    token = csrf_token(client.get("/signin").text)
    answer = client.post(
        "/signin",
        data={"csrf": token, "email": "  Admin@Example.org ", "password": PASSWORD, "next": "/admin/audit"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/audit"
    cookie = answer.headers["set-cookie"]
    assert "eb_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS the flag is set
    with factory() as session:
        stored = session.scalars(select(UserSession.token_hash)).all()
    assert stored and client.cookies.get("eb_session") not in stored  # only a hash is kept
    page = client.get("/account")
    assert page.status_code == 200 and "admin@example.org" in page.text
    assert page.headers["cache-control"] == "private, no-store"
    # a sign-in form never sends the visitor to another site
    other = browser(client)
    token = csrf_token(other.get("/signin").text)
    away = other.post(
        "/signin",
        data={"csrf": token, "email": EMAILS["admin"], "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/account"
    post_form(client, "/account", "/signout", {})
    assert client.get("/account").status_code == 401
    # an expired session is no session, and its cookie is cleared
    stale = as_role(client, "partner")
    with factory() as session:
        session.execute(update(UserSession).values(expires_at=dt.datetime(2020, 1, 1)))
        session.commit()
    expired = stale.get("/account")
    assert expired.status_code == 401 and 'eb_session=""' in expired.headers["set-cookie"]


def test_every_form_needs_its_csrf_token(client: TestClient, factory: sessionmaker[Session]) -> None:
    create_people(factory)
    anonymous = client.post("/signin", data={"email": EMAILS["admin"], "password": PASSWORD})
    assert anonymous.status_code == 403 and "expired" in anonymous.text
    admin = as_role(client, "admin")
    partner = as_role(client, "partner")
    partner_token = csrf_token(partner.get("/account").text)
    # a token of another session does not work
    stolen = admin.post("/account/signout-everywhere", data={"csrf": partner_token})
    assert stolen.status_code == 403
    assert admin.get("/account").status_code == 200


def test_wrong_passwords_lock_the_account_for_a_while(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    token = csrf_token(client.get("/signin").text)
    for _ in range(5):
        wrong = client.post(
            "/signin", data={"csrf": token, "email": EMAILS["partner"], "password": "nope nope nope"}
        )
        assert wrong.status_code == 401 and "wrong" in wrong.text
    locked = client.post("/signin", data={"csrf": token, "email": EMAILS["partner"], "password": PASSWORD})
    assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text
    # the lock is per e-mail: another account signs in from the same browser
    assert (
        client.post(
            "/signin",
            data={"csrf": token, "email": EMAILS["admin"], "password": PASSWORD},
            follow_redirects=False,
        ).status_code
        == 303
    )
    russian = browser(client)
    token = csrf_token(russian.get("/signin", params={"lang": "ru"}).text)
    message = russian.post("/signin", data={"csrf": token, "email": EMAILS["partner"], "password": PASSWORD})
    assert message.status_code == 429 and "Повторите попытку через 15" in message.text


def test_password_reset_link_works_once_and_ends_every_session(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    mailer = LogMailer()
    client.app.state.mailer = mailer  # type: ignore[attr-defined]
    signed_in = as_role(client, "partner")
    answer = post_form(client, "/password/forgot", "/password/forgot", {"email": EMAILS["partner"]})
    unknown = post_form(client, "/password/forgot", "/password/forgot", {"email": "nobody@example.org"})
    assert answer.status_code == unknown.status_code == 200  # the same answer either way
    assert "If there is an account" in answer.text  # type: ignore[attr-defined]
    assert [mail.to for mail in mailer.sent] == [EMAILS["partner"]]
    # the link names the configured address, never the Host header the request came with
    link = re.search(r"http://127.0.0.1:8000(/password/reset/\S+)", mailer.sent[0].body).group(1)  # type: ignore[union-attr]
    short = post_form(client, link, link, {"password": "short", "password2": "short"})
    assert short.status_code == 400 and "at least 10" in short.text  # type: ignore[attr-defined]
    done = post_form(
        client, link, link, {"password": "a new long password", "password2": "a new long password"}
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert client.get(link).status_code == 404  # single use
    assert signed_in.get("/account").status_code == 401  # signed out everywhere
    sign_in(browser(client), EMAILS["partner"], "a new long password")


def test_sign_out_everywhere_and_disabled_accounts(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    first, second = as_role(client, "partner"), as_role(client, "partner")
    post_form(first, "/account", "/account/signout-everywhere", {})
    assert first.get("/account").status_code == 401 and second.get("/account").status_code == 401
    partner = as_role(client, "partner")
    admin = as_role(client, "admin")
    with factory() as session:
        partner_id = session.scalar(select(User.id).where(User.email == EMAILS["partner"]))
    assert partner.get("/admin/users").status_code == 403
    users = admin.get("/admin/users")
    assert users.status_code == 200 and EMAILS["partner"] in users.text
    post_form(admin, "/admin/users", f"/admin/users/{partner_id}/active", {"active": "no"})
    assert partner.get("/account").status_code == 401
    token = csrf_token(client.get("/signin").text)
    refused = client.post("/signin", data={"csrf": token, "email": EMAILS["partner"], "password": PASSWORD})
    assert refused.status_code == 403 and "disabled" in refused.text


def test_invited_expert_registers_fills_the_profile_and_a_coordinator_of_the_side_approves(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    beijing, moscow = as_role(client, "beijing"), as_role(client, "moscow")
    invited = post_form(
        beijing, "/invitations", "/invitations", {"email": "li.na@example.cn", "role": "expert"}
    )
    assert invited.status_code == 200  # type: ignore[attr-defined]
    link = re.search(r'value="http://testserver(/register/[^"]+)"', invited.text).group(1)  # type: ignore[attr-defined,union-attr]
    assert "li.na@example.cn" in beijing.get("/invitations").text
    # a coordinator cannot invite an admin
    refused = post_form(beijing, "/invitations", "/invitations", {"email": "x@example.cn", "role": "admin"})
    assert refused.status_code == 403  # type: ignore[attr-defined]

    expert = browser(client)
    form = expert.get(link, params={"lang": "zh"})
    assert form.status_code == 200 and "同意" in form.text
    no_consent = post_form(
        expert, link, link, {"password": "a long password 1", "password2": "a long password 1"}
    )
    assert no_consent.status_code == 400  # type: ignore[attr-defined]
    registered = post_form(
        expert,
        link,
        link,
        {
            "password": "a long password 1",
            "password2": "a long password 1",
            "consent": "2024-1",
            "display_name": "李娜",
        },
    )
    assert registered.status_code == 303 and registered.headers["location"] == "/account/profile"  # type: ignore[attr-defined]
    assert expert.get(link).status_code == 404  # the invitation is spent
    editor = expert.get("/account/profile")
    assert editor.status_code == 200
    expert_id = int(re.search(r'action="/profiles/(\d+)/edit"', editor.text).group(1))  # type: ignore[union-attr]
    # the whole form as the page shows it (the draft's city and name given at registration), the name cleared
    empty = send_profile(expert, "/account/profile", {"name_zh": ""}, language="zh")
    # the problem is told in the page's language (Chinese here), with the field's label
    assert empty.status_code == 422 and "俄文姓名：没有姓名" in empty.text  # type: ignore[attr-defined]
    saved = post_form(
        expert,
        "/account/profile",
        f"/profiles/{expert_id}/edit",
        {
            "name_zh": "李娜",
            "city": "北京",
            "organization": "清华大学",
            "expertise_zh": "机器学习\n智能交通",
            "bio_zh": "研究员，研究城市交通的机器学习方法。",
            "languages": "zh:native;en:C1",
            "contact_kind_0": "email",
            "contact_value_0": "li.na@example.cn",
            "contact_level_0": "coordinators",
            "visibility_bios": "partners",
        },
    )
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    editor = expert.get("/account/profile").text
    assert 'value="Li Na"' in editor  # the generated pinyin, offered for correction
    submitted = post_form(expert, "/account", "/account/profile/submit", {})
    assert submitted.status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/experts/{expert_id}").status_code == 404  # pending: not public

    assert f"/vetting/{expert_id}" in beijing.get("/vetting").text
    assert f"/vetting/{expert_id}" not in moscow.get("/vetting").text
    assert moscow.get(f"/vetting/{expert_id}").status_code == 404
    wrong_side = post_form(moscow, "/account", f"/vetting/{expert_id}", {"decision": "approve"})
    assert wrong_side.status_code == 403  # type: ignore[attr-defined]
    approved = post_form(beijing, f"/vetting/{expert_id}", f"/vetting/{expert_id}", {"decision": "approve"})
    assert approved.status_code == 303  # type: ignore[attr-defined]
    public = client.get(f"/experts/{expert_id}")
    assert public.status_code == 200 and "李娜" in public.text
    assert (
        "li.na@example.cn" not in public.text and "研究员" not in public.text
    )  # coordinators / partners only
    assert "研究员" in as_role(client, "partner").get(f"/experts/{expert_id}").text
    with factory() as session:
        statuses = [
            json.loads(entry.changes)["status"]
            for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == expert_id, AuditEntry.action == "status")
            )
        ]
    assert statuses == [["draft", "pending"], ["pending", "approved"]]


def test_a_rejection_needs_a_reason_the_expert_reads(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    with factory() as session:
        expert = session.get(Expert, people.expert_id)
        assert expert is not None
        expert.status = "pending"
        session.commit()
    moscow = as_role(client, "moscow")
    page = f"/vetting/{people.expert_id}"
    no_reason = post_form(moscow, page, page, {"decision": "reject", "reason": " "})
    assert no_reason.status_code == 400 and "Say why" in no_reason.text  # type: ignore[attr-defined]
    rejected = post_form(
        moscow, page, page, {"decision": "reject", "reason": "Please add your publications."}
    )
    assert rejected.status_code == 303  # type: ignore[attr-defined]
    account = as_role(client, "expert").get("/account").text
    assert "Rejected" in account and "Please add your publications." in account
    again = post_form(moscow, page, page, {"decision": "approve"})
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_withdrawn_consent_hides_the_profile_at_once_and_erasure_leaves_no_personal_data(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    expert = as_role(client, "expert")
    profile = f"/experts/{people.expert_id}"
    name = re.search(r"<h1>([^<]+)</h1>", client.get(profile).text).group(1)  # type: ignore[union-attr]
    assert f'href="{profile}"' in client.get("/experts", params={"q": name}).text
    post_form(expert, "/account", "/account/consent", {"action": "withdraw"})
    assert client.get(profile).status_code == 404
    assert client.get(f"/api/v1/experts/{people.expert_id}").status_code == 404
    assert f'href="{profile}"' not in client.get("/experts", params={"q": name}).text
    assert "Consent withdrawn" in expert.get("/account").text
    post_form(expert, "/account", "/account/consent", {"action": "give"})
    with factory() as session:
        assert session.scalar(select(Expert.status).where(Expert.id == people.expert_id)) == "pending"

    download = expert.get("/account/data.json")
    data = json.loads(download.text)
    assert download.headers["content-disposition"].startswith("attachment")
    assert data["account"]["email"] == EMAILS["expert"] and data["profile"]["id"] == people.expert_id
    assert [c["withdrawn_at"] is not None for c in data["consents"]] == [True, False]

    refused = post_form(expert, "/account", "/account/erase", {"password": PASSWORD})
    assert refused.status_code == 400  # type: ignore[attr-defined]
    erased = post_form(expert, "/account", "/account/erase", {"password": PASSWORD, "confirm_erase": "yes"})
    assert erased.status_code == 200 and "erased" in erased.text  # type: ignore[attr-defined]
    assert expert.get("/account").status_code == 401
    with factory() as session:
        assert session.get(Expert, people.expert_id) is None
        assert session.scalar(select(User).where(User.email == EMAILS["expert"])) is None
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == "expert", AuditEntry.entity_id == people.expert_id
            )
        ).all()
    assert entries[-1].action == "erase" and all(entry.changes is None for entry in entries)
    assert f'href="{profile}"' not in client.get("/experts", params={"q": name}).text


def test_admin_browses_the_audit_log_others_may_not(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    assert client.get("/admin/audit").status_code == 401
    assert as_role(client, "moscow").get("/admin/audit").status_code == 403
    admin = as_role(client, "admin")
    page = admin.get("/admin/audit", params={"action": "signin"})
    assert page.status_code == 200 and EMAILS["admin"] in page.text and "signed in" in page.text
    assert admin.get("/admin/audit", params={"since": "yesterday"}).status_code == 422
    for language in ("ru", "zh"):
        assert admin.get("/admin/audit", params={"lang": language}).status_code == 200


def test_a_partner_posts_an_opportunity_for_their_organization_only(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    assert as_role(client, "expert").get("/account/opportunities/new").status_code == 403
    partner = as_role(client, "partner")
    form = partner.get("/account/opportunities/new", params={"lang": "zh"})
    assert form.status_code == 200 and "发布合作机会" in form.text
    empty = post_form(
        partner, "/account/opportunities/new", "/account/opportunities/new", {"kind": "expert_wanted"}
    )
    assert empty.status_code == 422  # type: ignore[attr-defined]
    posted = post_form(
        partner,
        "/account/opportunities/new",
        "/account/opportunities/new",
        {
            "kind": "expert_wanted",
            "title_ru": "Ищем эксперта по тоннелям метро",
            "description_ru": "Проходка тоннелей в мягких грунтах.",
            "organization": "1",  # ignored: a partner posts for their own organization
        },
    )
    assert posted.status_code == 303  # type: ignore[attr-defined]
    page = client.get(posted.headers["location"])  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Ищем эксперта по тоннелям метро" in page.text
    with factory() as session:
        from expertbridge.db.models import Opportunity

        owner = session.scalar(select(Opportunity.organization_id).order_by(Opportunity.id.desc()))
    assert owner == people.organization_id


def test_the_api_reads_with_a_session_or_the_token_and_refuses_a_wrong_token(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    from tests.web.conftest import TOKEN

    people = create_people(factory)
    url = f"/api/v1/experts/{people.expert_id}"
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    public = client.get(url).json()
    operator = client.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    mine = as_role(client, "expert").get(url).json()
    assert public["contacts"] == [] and operator["contacts"] and mine["contacts"] == operator["contacts"]
    # a session never writes through the API: writes need the token
    admin = as_role(client, "admin")
    assert admin.delete(url).status_code == 401

"""The whole privacy story in a real browser (Chromium via Playwright), as people would click it.

An expert registers by invitation and fills the profile in Chinese → a Beijing coordinator approves
→ a Moscow partner finds the expert by a Russian query and sees only the fields opened to partners
→ the expert withdraws consent and disappears from search.  Screenshots of the key pages in the
three languages go to tests/artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.registry import accounts
from tests.browser.conftest import LiveServer

PASSWORD = "browser test password"
LANGUAGES = ("ru", "zh", "en")


def _people(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        moscow_organization = session.scalar(
            select(Organization.id).where(Organization.city == "Moscow").order_by(Organization.id)
        )
        accounts.create_user(
            session,
            email="beijing@example.org",
            role="coordinator",
            city="Beijing",
            actor="test",
            password=PASSWORD,
        )
        accounts.create_user(
            session,
            email="partner@example.org",
            role="partner",
            organization_id=moscow_organization,
            actor="test",
            password=PASSWORD,
        )
        session.commit()


def _sign_in_with_the_keyboard(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signin?lang=en")
    page.locator("#email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "password"
    # the focused field is visibly marked
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("nav.account")).to_contain_text("Sign out")


def _shots(page: Page, artifacts: Path, name: str, url: str) -> None:
    for language in LANGUAGES:
        page.goto(f"{url}{'&' if '?' in url else '?'}lang={language}")
        page.screenshot(path=str(artifacts / f"{name}-{language}.png"), full_page=True)


def test_register_approve_find_as_partner_withdraw(
    browser: Browser, live: tuple[LiveServer, sessionmaker[Session]], artifacts: Path
) -> None:
    server, factory = live
    base = server.url
    _people(factory)

    coordinator = browser.new_page()
    _sign_in_with_the_keyboard(coordinator, base, "beijing@example.org")
    coordinator.goto(f"{base}/invitations?lang=en")
    coordinator.fill("#email", "li.na@example.cn")
    coordinator.select_option("#role", "expert")
    coordinator.click("form[action='/invitations'] button[type=submit]")
    link = coordinator.input_value("#created-link")
    assert "/register/" in link

    expert = browser.new_page()
    _shots(expert, artifacts, "signin", f"{base}/signin")
    expert.goto(f"{link}?lang=zh")
    expect(expert.locator("h1")).to_have_text("注册")
    expert.fill("#display_name", "李娜")
    expert.fill("#password", PASSWORD)
    expert.fill("#password2", PASSWORD)
    expert.check("#consent")
    expert.click("form button[type=submit]")
    expert.wait_for_url(re.compile(r".*/account/profile$"))
    expert.fill("#name_zh", "李娜")
    expert.fill("#city", "北京")
    expert.fill("#organization", "清华大学")
    expert.fill("#expertise_zh", "机器学习\n智能交通")
    expert.fill("#bio_zh", "研究员，研究城市交通中的机器学习方法。")
    expert.fill("#languages", "zh:native;en:C1")
    expert.fill("#contact_value_0", "li.na@example.cn")
    expert.select_option("#contact_level_0", "coordinators")
    expert.select_option("#visibility_bios", "partners")
    expert.select_option("#visibility_organization", "partners")
    expert.click("form.profile-form button[type=submit]")
    expect(expert.locator(".notice")).to_be_visible()
    _shots(expert, artifacts, "profile-editor", f"{base}/account/profile")
    expert.goto(f"{base}/account?lang=zh")
    expert.click("form[action='/account/profile/submit'] button")
    expect(expert.locator(".notice")).to_contain_text("协调员")
    expert_id = int(re.search(r"/experts/(\d+)", expert.content()).group(1))  # type: ignore[union-attr]

    coordinator.goto(f"{base}/vetting?lang=en")
    _shots(coordinator, artifacts, "vetting-queue", f"{base}/vetting")
    coordinator.click(f"a[href='/vetting/{expert_id}']")
    expect(coordinator.locator("article.profile")).to_contain_text("李娜")
    coordinator.click("button[value=approve]")
    expect(coordinator.locator(".notice")).to_contain_text("approved")

    partner = browser.new_page()
    _sign_in_with_the_keyboard(partner, base, "partner@example.org")
    partner.goto(f"{base}/experts?lang=ru&q=машинное обучение")
    partner.click(f"a[href='/experts/{expert_id}']")
    expect(partner.locator("article.profile")).to_contain_text("李娜")
    expect(partner.locator("article.profile")).to_contain_text(re.compile("Tsinghua|清华"))  # partners
    expect(partner.locator("article.profile")).to_contain_text("研究员")  # partners
    expect(partner.locator("article.profile")).not_to_contain_text("li.na@example.cn")  # coordinators only
    _shots(partner, artifacts, "expert-as-partner", f"{base}/experts/{expert_id}")
    public = browser.new_page()
    public.goto(f"{base}/experts/{expert_id}?lang=en")
    expect(public.locator("article.profile")).not_to_contain_text("研究员")
    expect(public.locator("article.profile")).not_to_contain_text(re.compile("Tsinghua|清华"))

    _shots(expert, artifacts, "account", f"{base}/account")
    expert.goto(f"{base}/account?lang=en")
    expert.click("form[action='/account/consent'] button")
    expect(expert.locator(".notice")).to_contain_text("withdrawn")
    partner.goto(f"{base}/experts?lang=ru&q=машинное обучение")
    expect(partner.locator(f"a[href='/experts/{expert_id}']")).to_have_count(0)
    response = public.goto(f"{base}/experts/{expert_id}")
    assert response is not None and response.status == 404

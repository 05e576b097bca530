"""Importing the file a check kept (/experts/import/checked): "Import this file" after a check imports
exactly the checked file, once, for the account that checked it only, within the time it is kept."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from expertbridge.cli import app as cli
from expertbridge.db.models import Expert, StagedImport, User
from expertbridge.registry import accounts, staged_imports
from expertbridge.registry.audit import utcnow
from tests.helpers import csrf_token
from tests.web.accounts import EMAILS, as_role, create_people
from tests.web.test_import_page import MESSY_CSV, PAGE, _experts, _found, _upload

CHECKED = "/experts/import/checked"
MOSCOW_ROWS = (
    "id,name_ru,city,email\n"
    "msk-st-1,Ферапонтов Игнат Саввич,,ferapontov@example.ru\n"
    "msk-st-2,Зоркальцев Евлампий Петрович,Москва,zorkaltsev@example.ru\n"
).encode()


def _checked_token(page: str) -> str:
    found = re.search(r'name="checked_file" value="([^"]+)"', page)
    assert found is not None, "the check's page offers no “Import this file”"
    return found.group(1)


def _import_checked(browser: TestClient, page: str, token: str, lang: str = "en") -> Any:
    """Press “Import this file” on ``page`` (a check's result) with ``token``."""
    return browser.post(
        f"{CHECKED}?lang={lang}",
        data={"csrf": csrf_token(page), "checked_file": token},
        follow_redirects=False,
    )


def _staged(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count(StagedImport.id))) or 0


def test_a_check_offers_to_import_the_same_file_which_imports_it_once(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _experts(factory)
    # Checked in Chinese, with "skip the rows with problems" and "new profiles wait for vetting".
    check = _upload(admin, "专家名单.csv", MESSY_CSV, lang="zh", dry_run="1", skip_invalid="1", pending="1")
    assert check.status_code == 200, check.text
    assert "这只是检查，未写入任何内容。如需按检查结果导入该文件，请点击下方的“导入此文件”。" in check.text
    assert "将跳过有问题的 1 行，并写入有效行。" in check.text
    assert "新档案将等待审核。" in check.text
    assert "检查过的文件为您保留 60 分钟" in check.text
    assert '<button type="submit">导入此文件</button>' in check.text
    token = _checked_token(check.text)
    assert _experts(factory) == before and _staged(factory) == 1

    imported = _import_checked(admin, check.text, token, lang="zh")
    assert imported.status_code == 200, imported.text
    assert "导入 专家名单.csv" in imported.text  # the file's own name, not a temporary one
    assert "有效行已写入" in imported.text
    assert _experts(factory) == before + 2
    assert _staged(factory) == 0  # deleted once imported
    # Nobody cleared "Check only": the next file is checked first again.
    assert 'name="dry_run" value="1" checked' in imported.text
    with factory() as session:
        statuses = session.scalars(select(Expert.status).order_by(Expert.id.desc()).limit(2)).all()
    assert statuses == ["pending", "pending"]  # the check's choice, kept

    # A second press (the back button, a double click) finds nothing, and writes nothing.
    again = _import_checked(admin, check.text, token)
    assert again.status_code == 404
    assert "This checked file is not kept for you: it was imported already" in again.text
    assert _experts(factory) == before + 2


def test_a_coordinator_imports_the_checked_file_under_the_side_rule_and_only_they_may(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    before = _experts(factory)
    check = _upload(moscow, "moscow.csv", MOSCOW_ROWS, lang="ru", dry_run="1")
    assert check.status_code == 200, check.text
    assert "Импортировать этот файл" in check.text
    token = _checked_token(check.text)

    # Another coordinator, even with the token and their own form token: as if there were no file.
    beijing = as_role(client, "beijing")
    beijing_page = beijing.get(PAGE, params={"lang": "ru"})
    refused = _import_checked(beijing, beijing_page.text, token, lang="ru")
    assert refused.status_code == 404
    assert "Этот проверенный файл для вас не хранится" in refused.text
    assert _experts(factory) == before and _staged(factory) == 1
    # Without the form's token, nothing either.
    assert moscow.post(CHECKED, data={"checked_file": token}).status_code == 403
    assert _staged(factory) == 1

    imported = _import_checked(moscow, check.text, token)
    assert imported.status_code == 200, imported.text
    assert "The file was imported." in imported.text
    assert _experts(factory) == before + 2
    assert [item["city"] for item in _found(client, "Ферапонтов")] == ["Moscow"]  # the side's city
    assert _staged(factory) == 0


def test_the_rights_are_checked_again_at_the_import(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    before = _experts(factory)
    check = _upload(moscow, "moscow.csv", MOSCOW_ROWS, dry_run="1")
    token = _checked_token(check.text)
    with factory() as session:
        session.execute(update(User).where(User.email == EMAILS["moscow"]).values(role="partner"))
        session.commit()
    assert _import_checked(moscow, check.text, token).status_code == 403
    # The coordinator's side moved to Beijing: the import applies the side of now, row by row.
    with factory() as session:
        session.execute(
            update(User).where(User.email == EMAILS["moscow"]).values(role="coordinator", city="Beijing")
        )
        session.commit()
    refused = _import_checked(moscow, check.text, token)
    assert refused.status_code == 422, refused.text
    assert "Nothing was written: some rows have problems" in refused.text
    assert _experts(factory) == before


def test_an_expired_check_says_to_choose_the_file_again_and_writes_nothing(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _experts(factory)
    check = _upload(admin, "moscow.csv", MOSCOW_ROWS, dry_run="1")
    token = _checked_token(check.text)
    with factory() as session:
        session.execute(update(StagedImport).values(created_at=utcnow() - dt.timedelta(minutes=61)))
        session.commit()
    expired = _import_checked(admin, check.text, token, lang="ru")
    assert expired.status_code == 410
    assert (
        "Проверке файла moscow.csv больше 60 минут, поэтому файл больше не хранится. "
        "Выберите файл снова и проверьте его."
    ) in expired.text
    assert 'id="import-file" name="file" type="file"' in expired.text  # the form to choose it again
    assert _experts(factory) == before
    assert _staged(factory) == 0


def test_no_import_button_when_the_import_would_write_nothing(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    # All or nothing, and a row has a problem: the import would be refused.
    blocked = _upload(admin, "experts.csv", MESSY_CSV, dry_run="1")
    assert blocked.status_code == 200
    assert 'name="checked_file"' not in blocked.text and "Import this file" not in blocked.text
    assert "As it is, the import would write nothing, since some rows have problems" in blocked.text
    # Every row is already stored as it is: nothing to import.
    assert _upload(admin, "moscow.csv", MOSCOW_ROWS).status_code == 200
    unchanged = _upload(admin, "moscow.csv", MOSCOW_ROWS, dry_run="1")
    assert 'name="checked_file"' not in unchanged.text
    assert "No row of the file would create or change a profile" in unchanged.text
    assert _staged(factory) == 0


def test_the_upload_limit_holds_at_the_import_too(client: TestClient, factory: sessionmaker[Session]) -> None:
    create_people(factory)
    admin = as_role(client, "admin")
    before = _experts(factory)
    check = _upload(admin, "moscow.csv", MOSCOW_ROWS, dry_run="1")
    token = _checked_token(check.text)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = replace(settings, max_upload_bytes=len(MOSCOW_ROWS) - 1)  # type: ignore[attr-defined]
    assert _import_checked(admin, check.text, token).status_code == 413
    assert _experts(factory) == before


def test_maintenance_forgets_expired_checked_files(cli_env: str, factory: sessionmaker[Session]) -> None:
    now = utcnow()
    with factory() as session:
        user = accounts.create_user(session, email="c@example.org", role="admin", actor="test")
        for minutes in (5, 90):
            staged_imports.stage(
                session,
                user_id=user.id,
                file_name=f"{minutes}.csv",
                content=b"name_ru\n",
                skip_invalid=False,
                pending=False,
                now=now - dt.timedelta(minutes=minutes),
            )
        session.commit()
    result = CliRunner().invoke(cli, ["maintenance"])
    assert result.exit_code == 0, result.output
    assert "1 checked import files" in result.output
    with factory() as session:
        assert session.scalars(select(StagedImport.file_name)).all() == ["5.csv"]


def test_an_account_keeps_its_latest_checked_files_only(factory: sessionmaker[Session]) -> None:
    now = utcnow()
    with factory() as session:
        user = accounts.create_user(session, email="c@example.org", role="admin", actor="test")
        tokens = [
            staged_imports.stage(
                session,
                user_id=user.id,
                file_name=f"{number}.csv",
                content=b"name_ru\n",
                skip_invalid=False,
                pending=False,
                now=now + dt.timedelta(seconds=number),
            )
            for number in range(staged_imports.KEPT_PER_ACCOUNT + 1)
        ]
        session.commit()
        assert staged_imports.take(session, tokens[0], user.id, now) is None  # the oldest was dropped
        assert staged_imports.take(session, tokens[-1], user.id + 1, now) is None  # not another's
        taken = staged_imports.take(session, tokens[-1], user.id, now)
        assert isinstance(taken, staged_imports.StagedFile) and taken.file_name == "5.csv"
        assert staged_imports.take(session, tokens[-1], user.id, now) is None  # taken once

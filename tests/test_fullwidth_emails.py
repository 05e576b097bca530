"""E-mail addresses typed with a Chinese input method (full-width ＠, letters, digits, full stops)
are stored and matched as the ASCII address; what is still no address is refused as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import ExpertContact
from expertbridge.ingest.changes import ChangeRejected
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.profile_form import create_profile, form_of, read_form, save_profile
from expertbridge.ingest.report import ImportReport
from expertbridge.registry.experts import read_experts
from expertbridge.registry.visibility import Viewer
from tests.helpers import write_csv

TYPED = "ｉｖａｎ＠ｅｘａｍｐｌｅ．ｏｒｇ"  # every character full-width
HALF_TYPED = "ivan＠example.org"  # only the at sign
ROW = {"name_ru": "Иванов Иван Иванович", "city": "Пекин"}
ADMIN = Viewer("admin", user_id=1)


def run(factory: sessionmaker[Session], path: Path) -> ImportReport:
    return Importer(factory, ImportOptions()).run("experts", path)


def stored_addresses(factory: sessionmaker[Session]) -> list[tuple[int, str]]:
    with factory() as session:
        query = select(ExpertContact.expert_id, ExpertContact.value).where(ExpertContact.kind == "email")
        return [tuple(row) for row in session.execute(query.order_by(ExpertContact.expert_id))]  # type: ignore[misc]


@pytest.mark.parametrize("typed", [TYPED, HALF_TYPED, "ｉｖａｎ@example.org"])
def test_an_imported_full_width_address_is_stored_as_ascii(
    factory: sessionmaker[Session], data_dir: Path, typed: str
) -> None:
    report = run(
        factory, write_csv(data_dir / "experts.csv", [{**ROW, "email": f"{typed};ivan@example.org"}])
    )
    assert (report.issues, report.created) == ([], 1)
    assert [address for _, address in stored_addresses(factory)] == ["ivan@example.org"]


def test_a_full_width_address_finds_the_expert_that_has_it(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    run(factory, write_csv(data_dir / "first.csv", [{**ROW, "email": "Ivan@example.org"}]))
    # a row without an id is the stored expert with its address, however it was typed
    report = run(factory, write_csv(data_dir / "second.csv", [{**ROW, "email": TYPED, "city": "Шанхай"}]))
    assert (report.issues, report.created, report.updated) == ([], 0, 1)
    [(expert_id, _)] = stored_addresses(factory)
    with factory() as session:
        assert read_experts(session, [expert_id])[expert_id].city == "Shanghai"
    # two rows of one file with the address typed both ways are one person
    both = [{**ROW, "email": "ivan@example.org"}, {**ROW, "email": TYPED}]
    report = run(factory, write_csv(data_dir / "twice.csv", both))
    assert [(issue.row, issue.column) for issue in report.issues] == [(3, "email")]


def test_what_is_still_no_address_is_refused_as_typed(factory: sessionmaker[Session], data_dir: Path) -> None:
    typed = "ｉｖａｎ＠ｅｘａｍｐｌｅ"  # no domain ending
    report = run(factory, write_csv(data_dir / "experts.csv", [{**ROW, "email": typed}]))
    [issue] = report.issues
    assert (issue.column, issue.value) == ("email", typed)
    assert "not an e-mail address" in issue.message
    assert stored_addresses(factory) == []


def test_the_profile_form_stores_a_full_width_address_as_ascii_with_its_visibility(
    factory: sessionmaker[Session],
) -> None:
    sent = {
        "name_ru": "Иванов Иван Иванович",
        "city": "Moscow",
        "contact_kind_0": "email",
        "contact_value_0": TYPED,
        "contact_level_0": "coordinators",
        "contact_kind_1": "phone",
        "contact_value_1": "＋７ ４９５ ５５５－００－１１",
        "contact_level_1": "partners",
    }
    with factory() as session, session.begin():
        expert_id = create_profile(session, ADMIN, read_form(sent, []))
    with factory() as session:
        record = read_experts(session, [expert_id])[expert_id]
    assert record.contacts == (("email", "ivan@example.org"), ("phone", "+7 495 555-00-11"))
    assert [(row.kind, row.value, row.level) for row in form_of(record).contacts] == [
        ("email", "ivan@example.org", "coordinators"),
        ("phone", "+7 495 555-00-11", "partners"),
    ]

    bad = {**sent, "contact_value_0": "ｉｖａｎ＠ｅｘａｍｐｌｅ"}
    with factory() as session, pytest.raises(ChangeRejected) as rejected:
        save_profile(session, ADMIN, expert_id, read_form(bad, []), dt.datetime(2026, 1, 1))
    [issue] = rejected.value.issues
    assert (issue.column, issue.value) == ("email", "ｉｖａｎ＠ｅｘａｍｐｌｅ")


def test_an_account_is_found_by_its_address_typed_full_width(factory: sessionmaker[Session]) -> None:
    from expertbridge.registry.accounts import authenticate, create_user
    from expertbridge.registry.problems import Refused

    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    with factory() as session:
        create_user(
            session, email=HALF_TYPED, role="admin", actor="test", password="a long enough passphrase"
        )
        session.commit()
        assert (
            authenticate(session, TYPED, "a long enough passphrase", "127.0.0.1", now).email
            == "ivan@example.org"
        )
        with pytest.raises(Refused):  # one account per address, however it is typed
            create_user(session, email="ivan@example.org", role="admin", actor="test")

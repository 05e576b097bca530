"""E-mail and phone cells separated by commas: no address or number holds one, so offices' lists
"a@b.cn, c@d.cn" and "+7 495 …，+86 10 …" are read as two contacts each, as ';' lists are."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.experts import ExpertRowReader
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.experts import read_experts
from expertbridge.registry.taxonomy import load_taxonomy
from tests.helpers import RUSSIAN_EXPERT, write_csv


def _read(**cells: str) -> tuple[tuple[tuple[str, str], ...], list[tuple[str, str, str]]]:
    """The contacts a row with ``cells`` is read into, and its problems (column, value, message)."""
    row = RowCells(2, {**RUSSIAN_EXPERT, **cells})
    record = ExpertRowReader(load_taxonomy()).read(row)
    problems = [(issue.column, issue.value, issue.message) for issue in row.issues]
    return (record.contacts if record is not None else ()), problems


@pytest.mark.parametrize(
    "cell",
    ["a@b.cn, c@d.cn", "a@b.cn,c@d.cn", "a@b.cn，c@d.cn", "a@b.cn , c@d.cn;", "a@b.cn; c@d.cn"],
)
def test_an_email_cell_separated_by_commas_holds_two_addresses(cell: str) -> None:
    contacts, problems = _read(email=cell)
    assert problems == []
    assert [value for kind, value in contacts if kind == "email"] == ["a@b.cn", "c@d.cn"]


@pytest.mark.parametrize("cell", ["+7 495 123-45-67, +86 10 6275 1234", "+7 495 123-45-67，+86 10 6275 1234"])
def test_a_phone_cell_separated_by_commas_holds_two_numbers(cell: str) -> None:
    contacts, problems = _read(phone=cell)
    assert problems == []
    assert [value for kind, value in contacts if kind == "phone"] == ["+7 495 123-45-67", "+86 10 6275 1234"]


def test_each_item_of_a_comma_list_is_checked_on_its_own() -> None:
    _contacts, problems = _read(email="a@b.cn, broken@", phone="+7 495 123-45-67, call me")
    assert [(column, value) for column, value, _message in problems] == [
        ("email", "broken@"),
        ("phone", "call me"),
    ]
    assert "not an e-mail address" in problems[0][2] and "not a phone number" in problems[1][2]


def test_an_imported_file_keeps_both_addresses(factory: sessionmaker[Session], data_dir: Path) -> None:
    row = {**RUSSIAN_EXPERT, "email": "s.cheremin@example.org, cheremin@mail.example.ru", "phone": ""}
    report = Importer(factory, ImportOptions()).run("experts", write_csv(data_dir / "e.csv", [row]))
    assert (report.created, report.issues) == (1, [])
    with factory() as session:
        expert_id = session.scalar(select(Expert.id).where(Expert.external_id == "ru-1"))
        assert expert_id is not None
        record = read_experts(session, [expert_id])[expert_id]
    assert record.contacts == (
        ("email", "s.cheremin@example.org"),
        ("email", "cheremin@mail.example.ru"),
    )

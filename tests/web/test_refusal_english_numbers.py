"""The API and the command line write a refusal in the English of the pages (``Message.text``): a
quantity grouped (2,000), a record id as written (12345), as tests/web/test_refusal_numbers.py
checks it for Russian and Chinese pages."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from expertbridge.cli import fail
from expertbridge.registry import meetings
from expertbridge.registry.problems import N_, Refused
from tests.web.conftest import TOKEN

# A refusal of the registry with an id and a quantity (registry/panel_edits.py says it so).
MAXIMUM_LOAD = N_(
    "Maximum load: expert %(expert)s already judges %(count)s entries, the most this run allows."
)
ENGLISH = "Maximum load: expert 12345 already judges 2,000 entries, the most this run allows."


def _refused(*_args: Any, **_kwargs: Any) -> None:
    raise Refused(MAXIMUM_LOAD, 409, expert="12345", count=2000)


def test_an_api_refusal_groups_its_quantity_and_keeps_the_id_as_written(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No request of the meetings API is refused with a quantity yet: this refusal stands in for one.
    monkeypatch.setattr(meetings, "request_meeting", _refused)
    answer = client.post(
        "/api/v1/events/1/meetings/requests",
        json={"requester": 1, "counterpart": 2},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 409, answer.text
    assert answer.json() == {"detail": ENGLISH}


def test_a_command_line_refusal_groups_its_quantity_and_keeps_the_id_as_written() -> None:
    command = typer.Typer()

    @command.command()
    def judge(plain: bool = False) -> None:
        if plain:
            raise fail("expert 12345: a line of text is written as it is (2000)")
        try:
            _refused()
        except Refused as refused:
            raise fail(refused) from None

    runner = CliRunner()
    refused = runner.invoke(command, [])
    assert refused.exit_code == 1
    assert " ".join(refused.output.split()) == f"error: {ENGLISH}"
    plain = runner.invoke(command, ["--plain"])
    assert plain.exit_code == 1 and "expert 12345: a line of text is written as it is (2000)" in plain.output

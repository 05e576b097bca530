"""Messages: a record id (or a line number) is text, shown as written; a number is a quantity, written
the reader's way; both survive the JSON a panel run is stored in.  Refusals of the registry follow the
same rule and are said through the one refusal translator of the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.matching.assign_problem import (
    AssignmentProblem,
    MalformedProblem,
    QuotaRule,
    Quotas,
    compile_problem,
)
from expertbridge.messages import Message
from expertbridge.registry.consent import give_consent
from expertbridge.registry.meeting_setup import parse_slots
from expertbridge.registry.organization_vetting import approve_organization
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text, refused_text

NBSP = "\xa0"  # Russian groups thousands with a no-break space
TEMPLATE = N_("Maximum load: expert %(expert)s already judges %(count)s entries, the most this run allows.")
LARGE = Message.of(TEMPLATE, expert="12345", count=1200)


def test_an_id_as_text_is_shown_as_written_and_a_quantity_the_readers_way() -> None:
    assert LARGE.text == (
        "Maximum load: expert 12345 already judges 1,200 entries, the most this run allows."
    )
    russian = message_text(Translator("ru"), LARGE)
    assert "12345" in russian and f"1{NBSP}200" in russian
    chinese = message_text(Translator("zh"), LARGE)
    assert "12345" in chinese and "1,200" in chinese
    assert "12,345" not in chinese and f"12{NBSP}345" not in russian


def test_the_json_round_trip_keeps_ids_as_text_and_quantities_as_numbers() -> None:
    nested = Message.join([LARGE, Message.of(N_("Table %(table)s"), table="7")])
    stored = json.loads(json.dumps(nested.to_json()))
    again = Message.from_json(stored)
    assert again == nested
    assert stored["params"]["m0"]["params"] == {"expert": "12345", "count": 1200}
    assert message_text(Translator("ru"), again) == message_text(Translator("ru"), nested)


def test_a_message_stored_with_a_numeric_id_still_renders() -> None:
    # Written before ids were always text: it renders (the number grouped, as it was then), never fails.
    old = Message.from_json({"template": TEMPLATE, "params": {"expert": 12345, "count": 3}})
    assert old.text == "Maximum load: expert 12,345 already judges 3 entries, the most this run allows."
    assert f"12{NBSP}345" in message_text(Translator("ru"), old)


def test_a_value_of_another_type_is_shown_as_text_not_a_crash() -> None:
    refused = Refused(N_("Unknown visibility %(value)s."), value=None)  # type: ignore[arg-type]
    assert refused_text(Translator("en"), refused) == "Unknown visibility None."


def test_a_refusal_naming_a_missing_record_writes_its_id_as_written(factory: sessionmaker[Session]) -> None:
    now = dt.datetime(2024, 5, 1, 12, 0)
    with factory() as session:
        with pytest.raises(Refused) as expert:
            give_consent(session, 12345, now, actor="test")
        with pytest.raises(Refused) as organization:
            approve_organization(session, Viewer("admin"), 23456)
    assert expert.value.values == {"id": "12345"}
    assert refused_text(Translator("ru"), expert.value) == "Эксперта с номером 12345 нет."
    assert refused_text(Translator("zh"), expert.value) == "不存在编号为 12345 的专家。"
    assert refused_text(Translator("ru"), organization.value) == "Нет организации с номером 23456."
    assert refused_text(Translator("zh"), organization.value) == "没有编号为 23456 的机构。"


def test_a_line_number_of_the_meeting_set_up_is_written_as_a_place_not_a_quantity() -> None:
    text = "\n" * 1200 + "s1 2023-09-12T09:00+08:00"
    _, problems = parse_slots(text, dt.date(2023, 9, 12), dt.date(2023, 9, 12))
    assert [problem.text.split(":")[0] for problem in problems] == ["Slots, line 1201"]
    assert message_text(Translator("ru"), problems[0]).startswith("Слоты, строка 1201:")
    assert message_text(Translator("zh"), problems[0]).startswith("时段，第 1201 行")


@pytest.mark.parametrize(
    ("minimum", "maximum", "english", "russian"),
    [(-1, None, "min -1, max — is not a range", "—"), (2000, 1500, "min 2,000, max 1,500", f"1{NBSP}500")],
    ids=["no-maximum", "maximum-below-minimum"],
)
def test_a_quota_maximum_is_a_quantity_and_no_maximum_is_not_written_none(
    minimum: int, maximum: int | None, english: str, russian: str
) -> None:
    rule = QuotaRule("side", frozenset({"Moscow"}), minimum=minimum, maximum=maximum)
    problem = AssignmentProblem(
        scores=[("E1", "X1", 1.0)], per_entry=1, max_load=1, quotas=Quotas(default=(rule,))
    )
    with pytest.raises(MalformedProblem) as caught:
        compile_problem(problem)
    assert english in caught.value.message.text and "None" not in caught.value.message.text
    assert russian in message_text(Translator("ru"), caught.value.message)

"""The engine's explanations and refusals are messages: English for files and the command line, any
language on a page, numbers written the reader's way."""

from __future__ import annotations

import pytest

from expertbridge.ingest.report import InputFileError
from expertbridge.matching.assign import (
    AssignmentProblem,
    AssignOptions,
    InfeasibleError,
    MalformedProblem,
    Mode,
    QuotaRule,
    Quotas,
    assign,
)
from expertbridge.matching.assign_io import read_scores
from expertbridge.messages import Message
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import message_text

RU, ZH = Translator("ru"), Translator("zh")


def test_quota_notes_are_english_in_files_and_translated_on_pages() -> None:
    problem = AssignmentProblem(
        scores=[("E1", "X1", 0.9), ("E1", "X2", 0.8), ("E1", "X3", 0.25)],
        per_entry=2,
        max_load=1,
        attributes={"X3": {"side": frozenset({"Beijing"})}},
        quotas=Quotas(default=(QuotaRule("side", frozenset({"Beijing"})),)),
    )
    (explanation,) = assign(problem).explanations
    assert explanation.notes == ("quota side=Beijing forced a lower-score expert X3 (0.25)",)
    (message,) = explanation.messages
    assert message_text(RU, message) == "квота side=Beijing потребовала эксперта с меньшей оценкой: X3 (0,25)"
    assert message_text(ZH, message) == "配额 side=Beijing 迫使分配了分数较低的专家 X3（0.25）"
    # a titled rule (as the web's) is named by its title, in the reader's language
    titled = QuotaRule("side", frozenset({"Beijing"}), title=Message("“an expert from Beijing”"))
    (again,) = assign(
        AssignmentProblem(
            scores=problem.scores,
            per_entry=2,
            max_load=1,
            attributes=problem.attributes,
            quotas=Quotas(default=(titled,)),
        )
    ).explanations
    assert message_text(RU, again.messages[0]).startswith("квота «эксперт из Пекина» потребовала")
    assert Message.from_json(again.messages[0].to_json()) == again.messages[0]


def test_infeasible_reasons_are_messages_with_numbers_for_the_reader() -> None:
    scores = [(f"E{e}", f"X{x}", 1.0) for e in range(1500) for x in range(2)]
    with pytest.raises(InfeasibleError) as caught:
        assign(AssignmentProblem(scores=scores, per_entry=1, max_load=1))
    reason = next(m for m in caught.value.messages if "capacity" in m.template)
    assert reason.text in caught.value.reasons
    assert reason.text.startswith("total capacity 2 (max load 1 × 2 experts) < 1,500 needed")
    assert message_text(RU, reason).startswith(
        "общая вместимость 2 (максимальная нагрузка 1 × 2 экспертов) < 1\xa0500"
    )


def test_malformed_options_and_score_files_say_what_is_wrong_in_the_readers_language() -> None:
    with pytest.raises(MalformedProblem) as caught:
        assign(
            AssignmentProblem(scores=[("E1", "X1", 1.0)], per_entry=1, max_load=1), AssignOptions(Mode.RANDOM)
        )
    assert str(caught.value) == "random mode needs a seed, so that the draw can be reproduced"
    assert message_text(RU, caught.value.message).startswith("случайному режиму нужно начальное значение")
    with pytest.raises(InputFileError) as error:
        read_scores(b"E1,X1,high\nE1,X2\n", "scores.csv")
    assert str(error.value) == (
        "scores.csv: row 1: score 'high' is not a number; row 2: expected 3 columns "
        "(entry_id,expert_id,score), found 2"
    )
    assert message_text(RU, error.value.note) == (
        "scores.csv: строка 1: оценка 'high' — не число; строка 2: ожидалось 3 столбца "
        "(entry_id,expert_id,score), найдено 2"
    )

"""The profile form names a person's name as a person's, speaks to the coordinator about the
expert's profile (not "your name"), and says its problems with its own field labels: no import
column codes, no command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web.accounts import as_role, create_people
from tests.web.profile_form_pages import send_profile

OWN = "/account/profile"
SOURCE = Path(__file__).resolve().parents[2] / "src" / "expertbridge"


def _legend(page: str) -> str:
    found = re.search(r'<legend id="names-legend">([^<]*)</legend>', page)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(("language", "legend", "thing"), [("ru", "Имя", "Название"), ("zh", "姓名", "名称")])
def test_a_persons_name_is_called_a_name_of_a_person(
    client: TestClient, factory: sessionmaker[Session], language: str, legend: str, thing: str
) -> None:
    create_people(factory)
    own = as_role(client, "expert").get(OWN, params={"lang": language}).text
    new = as_role(client, "moscow").get("/profiles/new", params={"lang": language}).text
    assert _legend(own) == legend and _legend(new) == legend
    assert thing not in (_legend(own), _legend(new))


def test_the_coordinator_is_told_about_the_experts_profile_not_their_own(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    moscow = as_role(client, "moscow")
    for page in ("/profiles/new", f"/profiles/{people.expert_id}/edit"):
        chinese = moscow.get(page, params={"lang": "zh"}).text
        assert "请用各种文字填写专家的姓名" in chinese and "您的姓名" not in chinese, page
        assert ">仅专家本人及其所在城市的协调员</option>" in chinese and "仅本人" not in chinese, page
        russian = moscow.get(page, params={"lang": "ru"}).text
        assert "Имя эксперта в каждой письменности" in russian and "Только я и" not in russian, page
    # the expert is still spoken to about their own
    own = as_role(client, "expert").get(OWN, params={"lang": "zh"}).text
    assert "请用各种文字填写您的姓名" in own and ">仅本人及本市协调员</option>" in own


@pytest.mark.parametrize(
    ("language", "no_name", "script", "sector"),
    [
        (
            "en",
            "Name in Russian: no name: give the name in at least one script: Russian (Cyrillic)",
            "put each spelling in its own field (in Russian, in Chinese, in English)",
            "unknown sector; choose the sectors from the list",
        ),
        (
            "ru",
            "Имя на русском: нет имени: укажите имя хотя бы в одной письменности",
            "каждое написание — в своём поле (на русском, на китайском, на английском)",
            "неизвестная отрасль; выберите отрасли из списка",
        ),
        (
            "zh",
            "俄文姓名：没有姓名：请至少用一种文字填写姓名",
            "每种写法请填入各自的栏（俄文、中文、英文）",
            "未知领域；请从列表中选择领域",
        ),
    ],
)
def test_problems_name_the_forms_fields_not_the_import_columns(
    client: TestClient,
    factory: sessionmaker[Session],
    language: str,
    no_name: str,
    script: str,
    sector: str,
) -> None:
    create_people(factory)
    expert = as_role(client, "expert")
    names = {
        "name_ru": "",
        "name_zh": "",
        "name_en": "",
        "generated_ru": "",
        "generated_zh": "",
        "generated_en": "",
    }
    nameless = send_profile(expert, OWN, {**names, "sectors": "no.such.sector"}, language=language)
    assert nameless.status_code == 422  # type: ignore[attr-defined]
    assert no_name in nameless.text and sector in nameless.text  # type: ignore[attr-defined]
    latin = send_profile(expert, OWN, {"name_ru": "Ivan Petrov"}, language=language)
    assert latin.status_code == 422 and script in latin.text  # type: ignore[attr-defined]
    for page in (nameless.text, latin.text):  # type: ignore[attr-defined]
        problems = page.split('role="alert"', 1)[1].split("</div>", 1)[0]
        assert (
            "name_ru" not in problems and "name_zh" not in problems and "expertbridge sectors" not in problems
        )


def test_every_reworded_problem_is_one_the_row_checks_raise() -> None:
    """A template the readers stop using (or reword) would leave its form wording unused."""
    from expertbridge.web.form_issues import FORM_WORDING

    sources: set[str] = set()
    for folder in ("ingest", "registry"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(SOURCE / folder), [("**.py", "python")], keywords={"N_": None}
        ):
            sources.add(message if isinstance(message, str) else message[0])
    assert set(FORM_WORDING) <= sources, sorted(set(FORM_WORDING) - sources)

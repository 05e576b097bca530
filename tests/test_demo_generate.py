"""Tests of the seeded demo-data generator."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from itertools import islice

import pytest

from expertbridge.demo.generate import (
    EVENT_KEYS,
    EXPERT_KEYS,
    OPPORTUNITY_KEYS,
    ORGANIZATION_KEYS,
    SUB_SECTORS,
    DemoDataset,
    generate_demo,
    iter_experts,
    orcid_check_character,
)

CYRILLIC = re.compile(r"^[А-ЯЁ][а-яё-]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$")
EXAMPLE_EMAIL = re.compile(r"^[a-z]+\.[a-z]+\.\d{6}@example\.(org|com|net)$")


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return generate_demo(2021, 2400)


@pytest.fixture(scope="module")
def ror_names_by_city() -> dict[str, set[str]]:
    text = (
        resources.files("expertbridge.data").joinpath("ror_moscow_beijing.jsonl").read_text(encoding="utf-8")
    )
    by_city: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            for city in record["cities"]:
                by_city.setdefault(city, set()).add(record["display_name"])
    return by_city


def test_same_seed_same_dataset(dataset: DemoDataset) -> None:
    assert generate_demo(2021, 2400) == dataset


def test_different_seed_different_experts(dataset: DemoDataset) -> None:
    assert generate_demo(2022, 2400).experts != dataset.experts


def test_expert_keys_names_and_values(dataset: DemoDataset) -> None:
    assert len(dataset.experts) == 2400
    for expert in dataset.experts:
        assert tuple(expert) == EXPERT_KEYS
        assert all(isinstance(value, str) for value in expert.values())
        assert expert["name_ru"] or expert["name_zh"] or expert["name_en"]
        assert expert["name_en"]


def test_every_sub_sector_appears(dataset: DemoDataset) -> None:
    seen = {code for expert in dataset.experts for code in expert["sectors"].split(";")}
    assert seen == set(SUB_SECTORS)


def test_orcid_check_characters(dataset: DemoDataset) -> None:
    assert orcid_check_character("000000021825009") == "7"  # ORCID's documented example
    orcids = [expert["orcid"] for expert in dataset.experts if expert["orcid"]]
    assert 0.3 * len(dataset.experts) < len(orcids) < 0.5 * len(dataset.experts)
    for orcid in orcids:
        assert re.fullmatch(r"0000-0000-\d{4}-\d{3}[\dX]", orcid)
        digits = orcid.replace("-", "")
        assert orcid_check_character(digits[:15]) == digits[15]


def test_contacts_are_synthetic(dataset: DemoDataset) -> None:
    for expert in dataset.experts:
        assert EXAMPLE_EMAIL.match(expert["email"]), expert["email"]
        assert expert["phone"] == "" or expert["phone"].startswith(("+7 495 5550 ", "+86 10 5550 "))


def test_bios_have_no_separator(dataset: DemoDataset) -> None:
    for expert in dataset.experts:
        for key in ("bio_ru", "bio_zh", "bio_en"):
            assert ";" not in expert[key]


def test_russian_and_chinese_experts(dataset: DemoDataset) -> None:
    russians = [e for e in dataset.experts if e["country"] == "RU"]
    chinese = [e for e in dataset.experts if e["country"] == "CN"]
    assert 0.4 < len(russians) / len(dataset.experts) < 0.6
    genders = {"female": 0, "male": 0}
    for expert in russians:
        assert expert["city"] == "Moscow" and expert["name_zh"] == "" and expert["bio_ru"]
        assert CYRILLIC.match(expert["name_ru"]), expert["name_ru"]
        assert expert["languages"].startswith("ru:native")
        surname, _given, patronymic = expert["name_ru"].split()
        if patronymic.endswith("на"):
            genders["female"] += 1
            assert not surname.endswith(("ов", "ев", "ёв", "ин", "ский", "цкий", "ой"))
        else:
            genders["male"] += 1
            assert patronymic.endswith("ич")
            assert not surname.endswith(("ова", "ева", "ёва", "ина", "ская", "цкая", "ая"))
    assert abs(genders["female"] - genders["male"]) < 0.15 * len(russians)
    for expert in chinese:
        assert expert["city"] == "Beijing" and expert["name_ru"] == "" and expert["bio_zh"]
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", expert["name_zh"])
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", expert["name_en"])
        assert expert["languages"].startswith("zh:native")


def test_organization_is_ror_in_expert_city(
    dataset: DemoDataset, ror_names_by_city: dict[str, set[str]]
) -> None:
    for expert in dataset.experts:
        assert expert["organization"] in ror_names_by_city[expert["city"]]


def test_iter_experts_streams_deterministically() -> None:
    first = list(iter_experts(1000, 99))
    assert len({row["id"] for row in first}) == 1000
    assert first == list(iter_experts(1000, 99))
    assert first[:10] == list(islice(iter_experts(5000, 99), 10))
    assert next(iter_experts(1, 99, id_prefix="bench-"))["id"] == "bench-000001"


def test_organizations_opportunities_events(dataset: DemoDataset) -> None:
    org_names = {org["name_en"] for org in dataset.organizations}
    for org in dataset.organizations:
        assert tuple(org) == ORGANIZATION_KEYS
        assert org["name_ru"] and org["name_zh"] and org["name_en"]
        assert re.match(r"https://[a-z-]+\.example\.(com|org|net)$", org["website"])
    expert_ids = {expert["id"] for expert in dataset.experts}
    for opp in dataset.opportunities:
        assert tuple(opp) == OPPORTUNITY_KEYS
        assert opp["organization"] in org_names
        assert max(len(opp[f"title_{lang}"]) for lang in ("ru", "zh", "en")) <= 120
        assert set(opp["sectors"].split(";")) <= set(SUB_SECTORS)
        assert re.fullmatch(r"20\d\d-\d\d-\d\d", opp["deadline"])
        # An open call's deadline has not passed, whenever the demo is loaded (an import refuses it).
        assert opp["status"] != "open" or opp["deadline"] >= dt.date.today().isoformat()
    assert sum(opp["anonymous"] == "true" for opp in dataset.opportunities) == 3
    for event in dataset.events:
        assert tuple(event) == EVENT_KEYS
        assert set(event["organizers"].split(";")) <= org_names
        participants = event["expert_participants"].split(";")
        assert 5 <= len(participants) <= 30 and set(participants) <= expert_ids
        assert event["starts_on"] <= event["ends_on"]


def test_generated_orcids_are_unique_at_scale() -> None:
    # The benchmarks import hundreds of thousands of generated experts, and a registry refuses
    # two people with one ORCID iD: drawn at random from seven digits, 20,000 experts had three.
    orcids = [row["orcid"] for row in iter_experts(20_000, 1) if row["orcid"]]
    assert len(orcids) > 7_000
    assert len(set(orcids)) == len(orcids)

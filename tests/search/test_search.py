"""Expert search across languages, through the product's own import and index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.visibility import OPERATOR, PUBLIC
from expertbridge.search.experts import ExpertFilters, experts_for_text, list_experts
from expertbridge.search.explain import explain
from expertbridge.search.index import ExpertIndex
from expertbridge.search.sync import sync
from tests.helpers import write_csv

EXPERTS = [
    {
        "id": "M-signal",
        "name_ru": "Орлов Пётр Сергеевич",
        "city": "Москва",
        "sectors": "transport.metro",
        "expertise": "системы сигнализации метрополитена;интервальное регулирование",
        "languages": "ru",
        "bio_ru": "Разрабатываю системы сигнализации для метрополитена и автоматику управления поездами.",
    },
    {
        "id": "B-signal",
        "name_en": "Wang Lei",
        "city": "Beijing",
        "expertise": "metro signalling;train control",
        "languages": "zh;en",
        "bio_en": "Designs signalling systems for urban metro lines.",
    },
    {
        "id": "M-tunnel",
        "name_ru": "Кузнецов Иван Ильич",
        "city": "Москва",
        "sectors": "transport.metro",
        "expertise": "строительство тоннелей метрополитена",
        "languages": "ru",
        "bio_ru": "Проектирую тоннели и станции метрополитена.",
    },
    {
        "id": "B-solar",
        "name_zh": "李晓明",
        "city": "北京",
        "expertise": "薄膜太阳能电池;钙钛矿",
        "languages": "zh",
        "bio_zh": "长期从事薄膜太阳能电池的研究。",
    },
    {
        "id": "B-vet",
        "name_zh": "赵兰",
        "city": "北京",
        "expertise": "兽医学;动物疫病防控",
        "languages": "zh",
        "bio_zh": "从事动物疫病防控研究。",
    },
]
PENDING = {
    "id": "M-solar-pending",
    "name_ru": "Смирнова Анна Олеговна",
    "city": "Москва",
    "expertise": "тонкоплёночные солнечные элементы",
    "languages": "ru;en",
    "bio_ru": "Изучаю тонкоплёночные солнечные элементы.",
}


@pytest.fixture
def index(factory: sessionmaker[Session], data_dir: Path, tmp_path: Path) -> ExpertIndex:
    """A registry of six experts (one pending) and its search index."""
    options = ImportOptions(parallel=False)
    Importer(factory, options).run("experts", write_csv(data_dir / "a.csv", EXPERTS))
    pending = ImportOptions(parallel=False, status="pending")
    Importer(factory, pending).run("experts", write_csv(data_dir / "b.csv", [PENDING]))
    built = ExpertIndex(tmp_path / "index")
    sync(factory, built)
    return built


def external_ids(factory: sessionmaker[Session], ids: list[int]) -> list[str]:
    with factory() as session:
        rows = session.execute(select(Expert.id, Expert.external_id).where(Expert.id.in_(ids)))
        found = {expert_id: external_id for expert_id, external_id in rows}
    return [str(found[i]) for i in ids]


def search(factory: sessionmaker[Session], index: ExpertIndex, query: str, **filters: str) -> list[str]:
    page = list_experts(index, PUBLIC, ExpertFilters(query=query, **filters))
    return external_ids(factory, page.ids)


def test_a_chinese_query_finds_russian_and_english_profiles(
    factory: sessionmaker[Session], index: ExpertIndex
) -> None:
    found = search(factory, index, "地铁信号系统")
    assert set(found[:2]) == {"M-signal", "B-signal"}
    # Metro tunnels share the metro but not the signalling: lower, if at all; the vet never.
    assert "B-vet" not in found
    if "M-tunnel" in found:
        assert found.index("M-tunnel") > 1


def test_a_russian_request_finds_chinese_profiles(factory: sessionmaker[Session], index: ExpertIndex) -> None:
    found = search(factory, index, "Ищем партнёров по тонкоплёночным солнечным элементам")
    assert found[0] == "B-solar"
    assert "B-vet" not in found


def test_an_english_query_finds_the_chinese_profile(
    factory: sessionmaker[Session], index: ExpertIndex
) -> None:
    assert search(factory, index, "thin-film solar cells")[:1] == ["B-solar"]


def test_pending_profiles_are_neither_shown_nor_counted(
    factory: sessionmaker[Session], index: ExpertIndex
) -> None:
    query = ExpertFilters(query="тонкоплёночные солнечные элементы")
    public = list_experts(index, PUBLIC, query)
    assert "M-solar-pending" not in external_ids(factory, public.ids)
    assert public.total == len(public.ids)
    assert sum(count for _, count in public.facets["city"]) == public.total
    operator = list_experts(index, OPERATOR, query)
    assert "M-solar-pending" in external_ids(factory, operator.ids)
    assert dict(operator.facets["status"])["pending"] == 1


def test_filters_and_facets_apply_to_search(factory: sessionmaker[Session], index: ExpertIndex) -> None:
    page = list_experts(index, PUBLIC, ExpertFilters(query="地铁信号系统"))
    cities = dict(page.facets["city"])
    assert cities["Moscow"] >= 1 and cities["Beijing"] >= 1
    beijing = search(factory, index, "地铁信号系统", city="Beijing")
    assert beijing == ["B-signal"]


@pytest.mark.parametrize("query", ["", "метрополитен"])
def test_each_facet_count_is_what_its_link_shows(index: ExpertIndex, query: str) -> None:
    # A facet link replaces the value of its own filter: its count ignores that filter, while the
    # other facets are counted within it.
    moscow = list_experts(index, PUBLIC, ExpertFilters(query=query, city="Moscow"))
    cities = dict(moscow.facets["city"])
    assert cities["Moscow"] == moscow.total
    beijing = list_experts(index, PUBLIC, ExpertFilters(query=query, city="Beijing"))
    assert cities.get("Beijing", 0) == beijing.total
    assert sum(count for _, count in moscow.facets["language"]) >= moscow.total
    assert dict(moscow.facets["language"]).get("zh", 0) == 0  # no Moscow expert here speaks Chinese
    metro = list_experts(index, PUBLIC, ExpertFilters(query=query, sector="transport.metro"))
    assert metro.facets["subsector"] and metro.facets["sector"]
    for facet in ("subsector", "sector"):
        for code, count in metro.facets[facet]:
            assert count == list_experts(index, PUBLIC, ExpertFilters(query=query, sector=code)).total


def test_browsing_without_a_query_lists_the_newest_with_facets(index: ExpertIndex) -> None:
    page = list_experts(index, PUBLIC, ExpertFilters(), per_page=2)
    assert page.total == len(EXPERTS)
    assert len(page.ids) == 2 and page.ids[0] > page.ids[1]
    assert dict(page.facets["city"]) == {"Moscow": 2, "Beijing": 3}


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "NEAR(a b)", "metro*", "a AND OR NOT", "-", "()", "🚇🚇", "x" * 10_000, "地铁 AND метро"],
)
def test_queries_are_data_never_syntax(index: ExpertIndex, query: str) -> None:
    page = list_experts(index, PUBLIC, ExpertFilters(query=query))
    assert page.total >= len(page.ids) >= 0


def test_experts_like_a_profile_exclude_the_profile_itself(
    factory: sessionmaker[Session], index: ExpertIndex
) -> None:
    with factory() as session:
        own = session.scalar(select(Expert.id).where(Expert.external_id == "M-signal"))
    assert own is not None
    similar = experts_for_text(
        index, PUBLIC, "системы сигнализации метрополитена; автоматика поездов", exclude=(own,)
    )
    found = external_ids(factory, similar.ids)
    assert "M-signal" not in found
    assert found[0] == "B-signal"


def test_results_explain_concepts_and_highlight_words(
    factory: sessionmaker[Session], index: ExpertIndex
) -> None:
    from expertbridge.registry.experts import read_experts

    page = list_experts(index, PUBLIC, ExpertFilters(query="地铁信号系统"))
    assert page.query is not None
    with factory() as session:
        own = session.scalar(select(Expert.id).where(Expert.external_id == "M-signal"))
        assert own is not None
        record = read_experts(session, [own])[own]
    why = explain(page.query, record)
    assert "transport.metro.signalling" in {match.code for match in why.concepts}
    assert why.snippet is not None and why.snippet.language == "ru"
    highlighted = [text for text, hit in why.snippet.segments if hit]
    assert any("сигнализации" in text for text in highlighted)


def test_a_rebuild_in_worker_processes_equals_one_in_process(
    factory: sessionmaker[Session], index: ExpertIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from expertbridge.search import sync as sync_module

    # Six experts in two batches of four, each split among the workers: the workers analyse the
    # second batch while the first is written.
    monkeypatch.setattr(sync_module, "PARALLEL_CHUNK", 2)
    monkeypatch.setattr(sync_module, "BATCH", 2)
    parallel = ExpertIndex(tmp_path / "parallel")
    assert sync_module.rebuild(factory, parallel, workers=2) == len(EXPERTS) + 1
    for query in ("地铁信号系统", "тонкоплёночные солнечные элементы", ""):
        one = list_experts(index, OPERATOR, ExpertFilters(query=query))
        two = list_experts(parallel, OPERATOR, ExpertFilters(query=query))
        assert (one.ids, one.total, one.facets) == (two.ids, two.total, two.facets)

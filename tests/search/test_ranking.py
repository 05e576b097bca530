"""Ranking behaviours a coordinator notices at once: who comes first, and scores that read in order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.experts import read_experts
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.visibility import PUBLIC
from expertbridge.search.experts import ExpertFilters, experts_for_text, list_experts
from expertbridge.search.explain import explain
from expertbridge.search.index import ExpertIndex
from expertbridge.search.query import analyse_query
from expertbridge.search.sync import sync
from expertbridge.text.concepts import default_tagger
from tests.helpers import write_csv

EXPERTS = [
    {  # works at an institute named after the topic, knows nothing of it
        "id": "accountant",
        "name_ru": "Соколова Мария Игоревна",
        "city": "Москва",
        "organization": "Институт искусственного интеллекта",
        "expertise": "бухгалтерский учёт;налоговая отчётность",
        "languages": "ru",
        "bio_ru": "С 2019 года работает в Институте искусственного интеллекта главным бухгалтером.",
    },
    {
        "id": "ml",
        "name_ru": "Егоров Павел Андреевич",
        "city": "Москва",
        "organization": "Московский государственный университет",
        "expertise": "машинное обучение;компьютерное зрение",
        "languages": "ru",
        "bio_ru": "Исследует методы искусственного интеллекта для анализа медицинских изображений.",
    },
    {  # his name is a word of another expert's biography
        "id": "orlov",
        "name_ru": "Орлов Пётр Сергеевич",
        "city": "Москва",
        "expertise": "гидрология",
        "languages": "ru",
        "bio_ru": "Гидролог.",
    },
    {
        "id": "eagles",
        "name_ru": "Белова Анна Сергеевна",
        "city": "Москва",
        "expertise": "орнитология",
        "languages": "ru",
        "bio_ru": "Изучает орлов и соколов Подмосковья; написала книгу «Орлов».",
    },
]


def indexed(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> tuple[ExpertIndex, dict[int, str]]:
    Importer(factory, ImportOptions(parallel=False)).run("experts", write_csv(data_dir / "e.csv", EXPERTS))
    index = ExpertIndex(tmp_path / "index")
    sync(factory, index)
    with factory() as session:
        ids = {row[0]: row[1] for row in session.execute(select(Expert.id, Expert.external_id))}
    return index, {expert_id: str(external) for expert_id, external in ids.items()}


def imported_record(factory: sessionmaker[Session], data_dir: Path, row: dict[str, str]) -> ExpertRecord:
    """The registry's record of one expert imported from ``row``."""
    Importer(factory, ImportOptions(parallel=False)).run("experts", write_csv(data_dir / "one.csv", [row]))
    with factory() as session:
        own = session.scalar(select(Expert.id).where(Expert.external_id == row["id"]))
        assert own is not None
        return read_experts(session, [own])[own]


def test_an_employer_named_after_a_topic_is_not_expertise_in_it(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    index, external = indexed(factory, data_dir, tmp_path)
    for query in ("искусственный интеллект", "人工智能", "artificial intelligence"):
        page = list_experts(index, PUBLIC, ExpertFilters(query=query))
        assert [external[i] for i in page.ids][:1] == ["ml"], query
    # The employer is still found by its name.
    page = list_experts(index, PUBLIC, ExpertFilters(query="Институт искусственного интеллекта"))
    assert "accountant" in [external[i] for i in page.ids]


def test_scores_never_rise_down_the_list(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    index, external = indexed(factory, data_dir, tmp_path)
    page = list_experts(index, PUBLIC, ExpertFilters(query="Орлов"))
    order = [external[i] for i in page.ids]
    assert order[0] == "orlov" and "eagles" in order  # the name first, then the word
    scores = [page.scores[i] for i in page.ids]
    assert scores == sorted(scores, reverse=True)


def test_a_form_of_a_concept_and_of_its_sector_means_the_concept() -> None:
    tagger = default_tagger()
    # 光伏 / photovoltaics are synonyms of the energy sector and forms of photovoltaics.
    for text in ("光伏", "photovoltaics", "фотовольтаика"):
        assert set(tagger.tag(text)) == {"science.energy.photovoltaics"}, text
    assert set(tagger.tag("人工智能")) == {"science.ai.artificial_intelligence"}


def test_function_words_are_not_read_as_a_name() -> None:
    assert not analyse_query("и в на с по").may_be_a_name()
    assert not analyse_query("what is the").may_be_a_name()
    assert analyse_query("Ли На").may_be_a_name()  # 李娜: two short parts that are also stop words


def test_a_foreign_name_in_characters_is_found_with_its_parts_apart(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    # Chinese users often type a space or a full stop for the middle dot of 彼得·奥尔洛夫.
    index, external = indexed(factory, data_dir, tmp_path)
    # Past six characters without a dot, the words were taken for a topic and nobody was found.
    for query in (
        "彼得·谢尔盖耶维奇·奥尔洛夫",
        "彼得 谢尔盖耶维奇 奥尔洛夫",
        "彼得　谢尔盖耶维奇　奥尔洛夫",
        "彼得.谢尔盖耶维奇.奥尔洛夫",
        "奥尔洛夫 彼得 谢尔盖耶维奇",
    ):
        page = list_experts(index, PUBLIC, ExpertFilters(query=query))
        assert [external[i] for i in page.ids][:1] == ["orlov"], query
    assert not analyse_query("薄膜太阳能电池 研究进展 综述").may_be_a_name()  # a topic: not a person


def test_snippets_come_in_the_query_language_and_highlight_what_matters(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    bilingual = {
        "id": "bilingual",
        "name_zh": "姚书红",
        "city": "Beijing",
        "expertise": "地铁信号系统",
        "languages": "zh;en",
        "bio_zh": "长期从事地铁信号系统研究。",
        "bio_en": "Joined the institute in 2010; she designs metro signalling systems, metro signalling "
        "interlocking and signalling for urban rail.",
    }
    record = imported_record(factory, data_dir, bilingual)
    why = explain(analyse_query("地铁信号系统"), record)
    assert why.snippet is not None and why.snippet.language == "zh"
    # A whole text as the query: the biography's common words are not reasons.
    text = "The institute she joined designs metro signalling systems."
    why = explain(analyse_query(text, document=True), record)
    highlighted = " ".join(text for text, hit in why.snippet.segments if hit) if why.snippet else ""
    assert "oined" not in highlighted and "institute" not in highlighted


def test_a_related_concept_is_named_by_the_profile_s_side(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    signalling = {"id": "signal", "name_ru": "Орлова Анна", "city": "Москва", "expertise": "CBTC"}
    record = imported_record(factory, data_dir, signalling)
    # Asked for signalling, the profile names CBTC, a narrower concept: CBTC is what is shown.
    why = explain(analyse_query("地铁信号系统"), record)
    found = {match.code: match for match in why.concepts}["transport.metro.signalling"]
    assert (found.relation, found.profile_code) == ("narrower", "transport.metro.cbtc")
    # Asked for CBTC, the profile names signalling only: signalling is the broader concept shown.
    record = replace(record, expertise=(("системы сигнализации метрополитена", "ru"),))
    why = explain(analyse_query("CBTC"), record)
    found = {match.code: match for match in why.concepts}["transport.metro.cbtc"]
    assert (found.relation, found.profile_code) == ("broader", "transport.metro.signalling")


def test_a_whole_text_ranks_a_shared_concept_above_shared_words_in_its_own_language(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    experts = [
        {  # the same subject, written in Chinese
            "id": "thin-film",
            "name_zh": "朱可岚",
            "city": "北京",
            "expertise": "薄膜太阳能电池;核电",
            "languages": "zh",
            "bio_zh": "研究薄膜太阳能电池的制备与可靠性。",
        },
        {  # a neighbouring subject, written in the text's language, with its everyday words
            "id": "perovskite",
            "name_ru": "Ерёмин Эдуард Анатольевич",
            "city": "Москва",
            "expertise": "перовскитные солнечные элементы;пилотное производство",
            "languages": "ru",
            "bio_ru": "Ведёт совместные испытания солнечных элементов и пилотное производство модулей.",
        },
    ]
    Importer(factory, ImportOptions(parallel=False)).run("experts", write_csv(data_dir / "e.csv", experts))
    index = ExpertIndex(tmp_path / "index")
    sync(factory, index)
    with factory() as session:
        external = {row[0]: str(row[1]) for row in session.execute(select(Expert.id, Expert.external_id))}
    text = (
        "Ищем партнёров по тонкоплёночным солнечным элементам: перовскитные и CIGS-модули, "
        "совместные испытания и пилотное производство"
    )
    page = experts_for_text(index, PUBLIC, text)
    assert [external[i] for i in page.ids] == ["thin-film", "perovskite"]

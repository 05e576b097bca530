"""A request in one language finds profiles in another through the concepts it names: also when its
words split a concept's name, and, a little, through another concept of the same sub-sector."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.visibility import PUBLIC
from expertbridge.search.experts import ExpertFilters, experts_for_text, list_experts
from expertbridge.search.index import ExpertIndex
from expertbridge.search.query import analyse_query
from expertbridge.search.sync import sync
from tests.helpers import write_csv

EXPERTS = [
    {
        "id": "tuina",
        "name_en": "Lin Hao",
        "city": "Beijing",
        "expertise": "tuina;Chinese therapeutic massage",
        "languages": "en",
        "bio_en": "Therapist teaching tuina to physiotherapists.",
    },
    {
        "id": "hotels",
        "name_en": "Anna Ross",
        "city": "Beijing",
        "expertise": "hotel revenue management",
        "languages": "en",
        "bio_en": "Consultant to hotel chains on pricing.",
    },
    {
        "id": "its",
        "name_en": "Chen Yu",
        "city": "Beijing",
        "expertise": "intelligent transportation systems;traffic data",
        "languages": "en",
        "bio_en": "Engineer deploying intelligent transportation systems on ring roads.",
    },
]


def indexed(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> tuple[ExpertIndex, dict[int, str]]:
    Importer(factory, ImportOptions(parallel=False)).run("experts", write_csv(data_dir / "e.csv", EXPERTS))
    index = ExpertIndex(tmp_path / "index")
    sync(factory, index)
    with factory() as session:
        ids = {row[0]: str(row[1]) for row in session.execute(select(Expert.id, Expert.external_id))}
    return index, ids


def test_a_qualifier_inside_a_concept_name_still_names_the_concept(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    index, ids = indexed(factory, data_dir, tmp_path)
    request = "Ищем специалистов по интеллектуальным городским транспортным системам"
    assert "transport.roads.its" in analyse_query(request).concepts
    page = list_experts(index, PUBLIC, ExpertFilters(query=request), with_facets=False)
    assert [ids[i] for i in page.ids] == ["its"]
    found = experts_for_text(index, PUBLIC, request)
    assert [ids[i] for i in found.ids][:1] == ["its"]


def test_another_concept_of_the_same_sub_sector_counts_a_little(
    factory: sessionmaker[Session], data_dir: Path, tmp_path: Path
) -> None:
    # Acupuncture and tuina massage are both traditional Chinese medicine: the tuina therapist is
    # worth showing to someone looking for acupuncture, the hotel consultant is not.
    index, ids = indexed(factory, data_dir, tmp_path)
    page = list_experts(index, PUBLIC, ExpertFilters(query="иглоукалывание"), with_facets=False)
    assert [ids[i] for i in page.ids] == ["tuina"]
    found = experts_for_text(index, PUBLIC, "Ищем партнёров по акупунктуре для совместной клиники")
    assert [ids[i] for i in found.ids] == ["tuina"]


def test_in_typed_words_the_concept_named_with_a_qualifier_is_the_subject() -> None:
    # "metro train" (rolling stock) inside "metro train signalling" is not a second subject.
    assert analyse_query("metro train signalling").concepts == ("transport.metro.signalling",)

"""Search respects per-field visibility: a hidden field is never matched, shown, counted or filtered on."""

from __future__ import annotations

import pytest

from expertbridge.registry.records import ExpertRecord, NameRecord
from expertbridge.registry.visibility import PUBLIC, Viewer
from expertbridge.search.document import build_document
from expertbridge.search.experts import ExpertFilters, experts_for_text, list_experts
from expertbridge.search.index import ExpertIndex
from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger

PARTNER = Viewer("partner", user_id=2, organization_id=5)
ADMIN = Viewer("admin", user_id=1)


def expert(name: str, city: str, visibility: tuple[tuple[str, str], ...]) -> ExpertRecord:
    return ExpertRecord(
        names=(NameRecord(name, "Cyrl", "ru"),),
        city=city,
        country="RU" if city == "Moscow" else "CN",
        expertise=(("системы сигнализации метрополитена", "ru"),),
        languages=(("ru", None),),
        visibility=visibility,
    )


@pytest.fixture(scope="module")
def index() -> ExpertIndex:
    built = ExpertIndex(None)
    records = {
        1: expert("Орлов Пётр", "Moscow", (("expertise", "partners"), ("location", "private"))),
        2: expert("Ван Лэй", "Beijing", ()),
    }
    analyzer, tagger = default_analyzer(), default_tagger()
    built.write([build_document(i, r, [], analyzer, tagger) for i, r in records.items()], removed=[])
    return built


def test_hidden_expertise_is_not_found_by_those_who_may_not_see_it(index: ExpertIndex) -> None:
    query = ExpertFilters(query="сигнализация метрополитена")
    public = list_experts(index, PUBLIC, query)
    assert public.ids == [2] and public.total == 1
    assert dict(public.facets["city"]) == {"Beijing": 1}
    partner = list_experts(index, PARTNER, query)
    assert set(partner.ids) == {1, 2}
    # The partner sees the expertise but not the private city: it is neither counted nor filterable.
    assert dict(partner.facets["city"]) == {"Beijing": 1}
    assert list_experts(index, PARTNER, ExpertFilters(query="метрополитен", city="Moscow")).ids == []
    admin = list_experts(index, ADMIN, query)
    assert dict(admin.facets["city"]) == {"Beijing": 1, "Moscow": 1}


def test_hidden_fields_do_not_count_in_browsing_or_matching(index: ExpertIndex) -> None:
    assert list_experts(index, PUBLIC, ExpertFilters()).total == 2
    assert dict(list_experts(index, PUBLIC, ExpertFilters()).facets["city"]) == {"Beijing": 1}
    matches = experts_for_text(index, PUBLIC, "Ищем специалистов по сигнализации метрополитена")
    assert matches.ids == [2]
    assert set(experts_for_text(index, PARTNER, "сигнализация метрополитена").ids) == {1, 2}

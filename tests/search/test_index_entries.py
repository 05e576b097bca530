"""What worker processes send the index writer (index entries) holds every document exactly."""

from __future__ import annotations

from expertbridge.names.keys import stored_keys
from expertbridge.names.parse import parse_name
from expertbridge.registry.visibility import PUBLIC, Viewer
from expertbridge.search.document import ExpertDocument
from expertbridge.search.experts import ExpertFilters, list_experts
from expertbridge.search.index import ExpertIndex, index_entry

ADMIN = Viewer("admin", user_id=1)
AWKWARD = 'Анна "Квант" O\'Brien \\ 王\n🙂'


def document(expert_id: int, status: str, city: str) -> ExpertDocument:
    return ExpertDocument(
        id=expert_id,
        status=status,
        name_keys=frozenset(stored_keys(parse_name("Орлова Анна"))),
        names=((AWKWARD, False), ("Anna Orlova", True)),
        fields={"keywords": ("квант", "光子"), "city": (city,), "language": ("ru", "zh")},
    )


def test_entries_and_documents_make_the_same_index() -> None:
    by_entries, by_documents = ExpertIndex(None), ExpertIndex(None)
    documents = [document(1, "approved", "Москва «Юг»"), document(2, "approved", "Beijing")]
    by_entries.write([index_entry(d) for d in documents], removed=[])
    by_documents.write(documents, removed=[])
    for index in (by_entries, by_documents):
        page = list_experts(index, PUBLIC, ExpertFilters(query="квант"))
        assert sorted(page.ids) == [1, 2]
        assert dict(page.facets["city"]) == {"Москва «Юг»": 1, "Beijing": 1}
        assert dict(page.facets["language"]) == {"ru": 2, "zh": 2}
        # Names come back exactly as written, quotes, backslash, newline and emoji included.
        candidates = index.name_candidates(stored_keys(parse_name("Орлова Анна")), None, 5)
        assert {candidate.names for candidate in candidates} == {((AWKWARD, False), ("Anna Orlova", True))}


def test_a_status_outside_the_vocabulary_is_listed_only_to_the_operator() -> None:
    index = ExpertIndex(None)
    index.write(
        [index_entry(document(1, "approved", "Beijing")), document(2, "imported?", "Beijing")], removed=[]
    )
    assert list_experts(index, PUBLIC, ExpertFilters(query="квант")).ids == [1]
    assert sorted(list_experts(index, ADMIN, ExpertFilters(query="квант")).ids) == [1, 2]


def test_rewriting_an_entry_replaces_it() -> None:
    index = ExpertIndex(None)
    index.write([index_entry(document(1, "approved", "Beijing"))], removed=[])
    index.write([index_entry(document(1, "approved", "Moscow"))], removed=[])
    page = list_experts(index, PUBLIC, ExpertFilters(query="квант"))
    assert page.ids == [1] and dict(page.facets["city"]) == {"Moscow": 1}

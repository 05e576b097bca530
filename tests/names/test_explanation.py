"""A name match explains itself part by part (for pages) and as one plain line (for CSV)."""

from __future__ import annotations

from expertbridge.names.parse import parse_name
from expertbridge.names.score import compare
from expertbridge.search.names import with_roles


def _parts(query: str, candidate: str) -> list[tuple[str, str, str]]:
    return [(p.role, p.query, p.matched) for p in compare(parse_name(query), parse_name(candidate)).why.parts]


def test_each_aligned_part_has_its_role_both_texts_and_a_similarity() -> None:
    match = compare(parse_name("Беляев Борис Георгиевич"), parse_name("Boris Belyayev"))
    assert sorted((p.role, p.query, p.matched) for p in match.why.parts) == [
        ("given", "Борис", "Boris"),
        ("surname", "Беляев", "Belyayev"),
    ]
    assert all(0.0 < p.similarity <= 1.0 for p in match.why.parts)
    assert {p.role: p.query for p in compare(parse_name("许心超"), parse_name("Xu Xinchao")).why.parts} == {
        "surname": "许",
        "given": "心超",
    }


def test_a_name_written_as_one_run_is_a_whole_name() -> None:
    assert _parts("玛利亚索茨科娃", "Мария Сотскова") == [("whole", "玛利亚索茨科娃", "Мария Сотскова")]


def test_the_plain_line_keeps_the_engine_details_for_csv() -> None:
    match = compare(parse_name("Boris Belyaev"), parse_name("Boris Belyayev"))
    # The CSV line (names lookup, duplicates) says what met, in English, with the variants.
    assert match.explanation == str(match.why) == match.why.text
    assert "Belyaev ≈ Belyayev" in match.explanation and "BLV" in match.explanation
    assert [p.role for p in match.why.parts] == ["unknown", "unknown"]
    empty = compare(parse_name(""), parse_name("Boris"))
    assert empty.why.parts == () and empty.explanation == "no name to compare"


def test_unknown_roles_are_read_from_another_name_the_expert_gave() -> None:
    why = compare(parse_name("Boris Belyaev"), parse_name("Boris Belyayev")).why
    named = with_roles(why, "Boris Belyaev", ["Boris Belyayev", "Беляев Борис Георгиевич"])
    assert {p.query: p.role for p in named.parts} == {"Boris": "given", "Belyaev": "surname"}
    assert [p.matched for p in named.parts] == [p.matched for p in why.parts]
    assert named.text == why.text  # the plain line stays as the engine said it
    chinese = compare(parse_name("Zhang Ling"), parse_name("Zhang Ling")).why
    assert {p.query: p.role for p in with_roles(chinese, "Zhang Ling", ["张玲"]).parts} == {
        "Zhang": "surname",
        "Ling": "given",
    }
    # Without a name that tells the roles, they stay unknown.
    assert with_roles(why, "Boris Belyaev", ["Boris Belyayev"]) == why

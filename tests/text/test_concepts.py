"""The concept scheme that bridges languages: its data holds together, and texts are tagged with the
concepts they name in any of the three languages, and only with those."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from importlib import resources

from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import (
    LANGUAGES,
    Concept,
    ConceptTagger,
    default_tagger,
    load_concepts,
)


def tags(text: str) -> set[str]:
    return set(default_tagger().tag(text))


def test_every_concept_has_a_label_in_each_language_and_a_known_broader_node() -> None:
    concepts = load_concepts()
    for code, concept in concepts.items():
        assert all(concept.labels.get(language) for language in LANGUAGES), code
        assert concept.broader is None or concept.broader in concepts, code


def test_the_concepts_file_keeps_its_shape() -> None:
    raw = resources.files("expertbridge.data").joinpath("concepts.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    # Written as json.dump(indent=1, ensure_ascii=False), grouped by sub-sector in taxonomy order.
    assert raw == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    sectors = [concept["sector"] for concept in data["concepts"]]
    blocks = [sector for number, sector in enumerate(sectors) if number == 0 or sectors[number - 1] != sector]
    assert len(blocks) == len(set(blocks))
    for concept in data["concepts"]:
        assert concept["code"].startswith(concept["sector"] + ".")
        assert all(len(concept["synonyms"].get(language, [])) <= 5 for language in LANGUAGES)


def test_no_two_unrelated_concepts_share_a_name() -> None:
    # A form may name a concept and one of its broader nodes (the narrower one is tagged), never
    # two unrelated concepts: compared as analysed terms, so "organisation" meets "organization".
    tagger = default_tagger()
    analyzer = default_analyzer()
    named: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    for code, concept in load_concepts().items():
        for language in ("ru", "en"):
            for form in concept.forms(language):
                named[(language, tuple(token.term for token in analyzer.tokens(form)))].add(code)
    for (language, terms), codes in named.items():
        for code in codes:
            unrelated = {other for other in codes - {code} if other not in tagger.ancestors(code)}
            unrelated -= {other for other in unrelated if code in tagger.ancestors(other)}
            assert not unrelated, (language, terms, code, unrelated)


def test_no_name_of_several_words_comes_down_to_one_word() -> None:
    # Without its stop words "sport for all" is "sport": it would name every text about sport.
    analyzer = default_analyzer()
    for code, concept in load_concepts().items():
        for language in ("ru", "en"):
            for form in concept.forms(language):
                if len(form.split()) > 1:
                    assert len(analyzer.tokens(form)) > 1, (code, form)


def test_a_name_that_loses_its_words_is_not_used_for_tagging() -> None:
    concept = Concept("sports.mass", None, {"en": "Mass sport"}, {"en": ("sport for all",)})
    tagger = ConceptTagger(default_analyzer(), {"sports.mass": concept})
    assert set(tagger.tag("sport for all")) == set()
    assert set(tagger.tag("a sport psychologist")) == set()
    assert set(tagger.tag("mass sport events")) == {"sports.mass"}


def test_standard_synonyms_meet_across_languages() -> None:
    ccs = "science.energy.carbon_capture_and_storage"
    assert ccs in tags("pilot plants for CO2 capture from flue gas")
    assert ccs in tags("post-combustion carbon capture")
    assert ccs in tags("технологии улавливания углекислого газа на ТЭЦ")
    assert ccs in tags("燃煤电厂碳捕获技术")
    teaching_chinese = "education.languages.teaching_chinese"
    assert teaching_chinese in tags("Chinese as a foreign language for adult learners")
    assert teaching_chinese in tags("методика преподавания китайского языка студентам")
    assert teaching_chinese in tags("面向俄罗斯学生的汉语教学")
    teaching_russian = "education.languages.teaching_russian"
    assert teaching_russian in tags("Russian as a foreign language at a summer school")
    assert teaching_russian in tags("高校俄语教学改革")
    assert "transport.roads.autonomous_vehicles" in tags("safety cases for autonomous driving software")
    assert "transport.roads.autonomous_vehicles" in tags("испытания систем автономного вождения")
    assert "science.robotics.surgical_robots" in tags("развитие хирургической робототехники в клиниках")
    assert "science.environment.recycling" in tags("建筑垃圾资源化利用")
    assert "urban.utilities.urban_power_distribution" in tags("fault location in distribution grids")


def test_a_general_word_does_not_name_a_sector() -> None:
    # "design" is everywhere in engineering (circuit design, 芯片设计): not the creative industries.
    assert "culture.creative_industries" not in tags("circuit design for power converters")
    assert "culture.creative_industries" not in tags("集成电路芯片设计")
    assert "culture.creative_industries.interior_design" in tags("interior design of hotels")
    assert "culture.creative_industries" in tags("дизайн и креативные индустрии")
    # A hospital is not the hospitality trade, an animal disease is not animation.
    assert "tourism.hospitality" not in tags("hospital bed management")
    assert "culture.film" not in tags("animal disease surveillance")
    assert "trade.logistics_customs" not in tags("customer relationship management")
    # "IT security" is not any security.
    assert "science.it_software.information_security" not in tags("food security and energy security")
    assert "science.it_software.information_security" in tags("IT security audits")
    assert "science.it_software.software_testing" in tags("автоматизированное тестирование ПО")
    assert "science.it_software.software_testing" not in tags("тестирование по ГОСТ")
    assert "health.infectious_diseases.hiv_infection" not in tags("hearing aids for older adults")
    assert "health.infectious_diseases.hiv_infection" in tags("HIV/AIDS prevention")


def test_a_request_names_a_concept_with_a_qualifier_inside_its_name() -> None:
    tagger = default_tagger()

    def loose(text: str) -> set[str]:
        return {mention.code for mention in tagger.loose_mentions(text)}

    its = "transport.roads.its"
    assert its not in tags("интеллектуальные городские транспортные системы")
    assert its in loose("интеллектуальные городские транспортные системы")
    assert "transport.metro.signalling" in loose("metro train signalling")
    # Only a word standing right next to its neighbours: "public health and transport" does not
    # name public transport, nor "solar, fuel cells" solar cells.
    assert "transport.public_transport" not in loose("public health and transport")
    assert not {code for code in loose("solar, fuel cells") if "solar" in code}


def test_loose_mentions_point_at_the_words_of_the_text() -> None:
    text = "Ищем специалистов: интеллектуальные городские транспортные системы."
    prepared = default_analyzer().prepare(text)
    (mention,) = [m for m in default_tagger().loose_mentions(text) if m.code == "transport.roads.its"]
    assert prepared[mention.start : mention.end] == "интеллектуальные городские транспортные системы"
    assert re.fullmatch(r"[\w\s]+", prepared[mention.start : mention.end])

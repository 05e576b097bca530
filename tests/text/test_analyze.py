"""Text analysis: the same word in any inflection, script variant or spelling becomes one term."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from expertbridge.text.analyze import MAX_QUERY_CHARS, default_analyzer


def terms(text: str) -> list[str]:
    return [token.term for token in default_analyzer().tokens(text)]


def test_russian_inflections_share_one_lemma() -> None:
    assert terms("метрополитен метрополитена метрополитене метрополитеном") == ["метрополитен"] * 4
    assert terms("тонкоплёночных солнечных элементах") == terms("тонкопленочный солнечный элемент")


def test_russian_abbreviations_are_kept_as_written() -> None:
    # A lemmatiser would turn the unknown word БПЛА into an invented verb.
    assert terms("БПЛА и ИИ") == ["бпла", "ии"]


def test_english_words_are_stemmed_and_hyphens_split() -> None:
    assert terms("thin-film photovoltaics") == terms("thin film photovoltaic")
    assert terms("Signalling systems") == ["signal", "system"]


def test_stop_words_are_dropped() -> None:
    assert terms("по робототехнике и для робототехники") == ["робототехника"] * 2
    assert terms("in the robotics of the future") == ["robot", "futur"]
    assert terms("机器人的研究") == ["机器人", "研究"]


def test_chinese_is_segmented_and_traditional_characters_simplified() -> None:
    assert terms("北京地鐵") == terms("北京地铁")
    analyzer = default_analyzer()
    # Indexing adds the words inside a long word, so a part of it finds the whole.
    assert {"太阳能", "电池"} <= set(analyzer.index_terms("薄膜太阳能电池"))


def test_offsets_point_at_the_words_in_the_text() -> None:
    text = "Инженер по системам сигнализации, 地铁信号"
    for token in default_analyzer().tokens(text):
        assert text[token.start : token.end].strip()


def test_mixed_scripts_are_split_into_runs() -> None:
    languages = [token.language for token in default_analyzer().tokens("CBTC для 地铁 signalling")]
    assert languages == ["en", "zh", "en"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_analysed_without_error(text: str) -> None:
    for token in default_analyzer().tokens(text):
        assert token.term
        assert 0 <= token.start < token.end <= len(default_analyzer().prepare(text))


def test_long_input_is_bounded() -> None:
    # Queries are cut at MAX_QUERY_CHARS before analysis; analysis itself copes with any length.
    assert len(terms("метрополитен " * (MAX_QUERY_CHARS // 5))) > 100


_MIXED = st.text(
    alphabet=st.sampled_from(
        list("метрополитенасигнализцияСМЁё-")
        + list("Signal systems thin-film5G")
        + list("地铁信号系统薄膜太阳能电池臺灣鐵路的和研究")
        + list(" ,.;—«»()ＡＢ１")
    ),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_the_index_path_gives_the_same_terms_as_the_tokens(text: str) -> None:
    # The index build analyses through a per-word cache (analysis()); queries and explanations
    # through tokens() with positions.  They must agree, or a query misses what was indexed.
    analyzer = default_analyzer()
    analysis = analyzer.analysis(text)
    assert analysis.terms == tuple(token.term for token in analyzer.tokens(text))
    assert analysis.index_terms == analyzer.index_terms(text)
    assert analysis.prepared == analyzer.prepare(text)


def test_the_native_back_ends_are_installed() -> None:
    # pymorphy3 and snowballstemmer quietly fall back to pure Python without DAWG2 and PyStemmer:
    # the same lemmas and stems, but a word new to the analyser costs 6 and 80 times as much and
    # an index build slows down by a third.  An install that lost them must not pass unnoticed.
    import pymorphy3.dawg
    import Stemmer

    assert pymorphy3.dawg.EXTENSION_AVAILABLE
    assert isinstance(default_analyzer()._stemmer, Stemmer.Stemmer)


def test_british_and_american_spellings_share_one_term() -> None:
    pairs = [
        ("organisation of clinical trials", "organization of clinical trials"),
        ("colour management", "color management"),
        ("paediatric haematology", "pediatric hematology"),
        ("optical fibres", "optical fibers"),
        ("we analysed catalysed reactions", "we analyzed catalyzed reactions"),
        ("data centres", "data centers"),
        ("defence programmes", "defense programs"),
        ("aluminium alloys", "aluminum alloys"),
    ]
    for british, american in pairs:
        assert terms(british) == terms(american), british


def test_words_that_only_look_british_are_left_alone() -> None:
    # "-ise" that is not the "-ize" suffix: these words have no American "-ize" spelling.
    assert terms("expertise") == ["expertis"]
    assert terms("exercise exercises") == ["exercis"] * 2
    assert terms("advertise advertising") == terms("advertises advertised")
    assert terms("enterprise") != terms("enterprize")


def test_unrelated_words_do_not_share_a_stem() -> None:
    # Snowball cuts each pair to one stem; a profile about the first was tagged with the second.
    for word, other in [
        ("hospital", "hospitality"),
        ("animal", "animation"),
        ("customers", "customs"),
        ("engines", "engineering"),
        ("factors", "factoring"),
        ("zones", "zoning"),
        ("houses", "housing"),
        ("publications", "public"),
        ("transitions", "transit"),
    ]:
        assert terms(word) != terms(other), (word, other)


def test_a_specialist_meets_the_name_of_their_field() -> None:
    # Requests ask for people («ищем кардиологов»), concepts name fields («кардиология»).
    assert terms("кардиологов") == terms("кардиология")
    assert terms("физики") == terms("физика")  # the people (физики) and the science (физика)
    assert terms("лингвистов") == terms("лингвистика")
    assert terms("коллекционеры") == terms("коллекция")
    assert terms("physicists") == terms("physics")
    assert terms("mathematicians") == terms("mathematics")
    assert terms("roboticists") == terms("robotics")


def test_words_that_only_look_like_specialists_keep_their_lemma() -> None:
    # Not people (монолог, график), or no field named after them (ученик, миллионер, physician).
    assert terms("монолог каталог график ученик миллионер") == [
        "монолог",
        "каталог",
        "график",
        "ученик",
        "миллионер",
    ]
    assert terms("physician") != terms("physics")


def test_acronyms_in_capitals_are_kept_whole() -> None:
    # Stemmed, AIDS would be the "aid" of "hearing aids".
    assert terms("AIDS") != terms("hearing aids")[1:]
    assert terms("AIDS") == ["aids"]
    # An acronym with an ampersand is one word, not the letter "m".
    assert terms("M&A advisory") == ["m&a", "advisori"]
    assert terms("R&D") == terms("r&d")


def test_an_acronym_that_spells_a_stop_word_is_kept_in_capitals() -> None:
    # IT (information technology) and ПО (software) are known acronyms; the pronoun and the
    # preposition are stop words.
    assert terms("IT outsourcing") == ["it", "outsourc"]
    assert terms("it is outsourcing") == ["outsourc"]
    assert terms("тестирование ПО") == ["тестирование", "по"]
    assert terms("тестирование по методике") == ["тестирование", "методика"]


def test_possessive_pronouns_are_stop_words() -> None:
    assert terms("his research on her project") == ["research", "project"]

"""The registry pages as a reader meets them: name matches said in the page language, each concept
once, pages past the last, the heading name, parameter errors and filters that can be removed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.registry.experts import ExpertWriter
from expertbridge.registry.records import ExpertRecord, NameRecord
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.search.explain import ConceptMatch, Explanation
from expertbridge.web.pages.views import distinct_concepts
from tests.helpers import csrf_token

BELYAEV = ExpertRecord(
    names=(
        NameRecord("Беляев Борис Георгиевич", "Cyrl", "ru", is_primary=True),
        NameRecord("Boris Belyayev", "Latn", "en"),
        NameRecord("鲍里斯·别利亚耶夫", "Hani", "zh", kind="transliteration", generated=True),
    ),
    city="Moscow",
    sectors=("transport.metro",),
)
MURONG = ExpertRecord(
    names=(
        NameRecord("慕容景凤", "Hani", "zh", is_primary=True),
        NameRecord("Murong Jingfeng", "Latn", "en", kind="transliteration"),
        NameRecord("Мужун Цзинфэн", "Cyrl", "ru", kind="transliteration", generated=True),
    ),
    city="Beijing",
    sectors=("science.ai",),
    expertise=(("人工智能", "zh"),),
)


def _write(factory: sessionmaker[Session], *records: ExpertRecord) -> list[int]:
    with factory() as session, session.begin():
        return list(ExpertWriter(session, actor="test").write(list(records)).ids)


def _card(page: str, expert_id: int) -> str:
    """The list card of one expert on a page ("" when it is not there)."""
    for chunk in page.split('<li class="card">')[1:]:
        if f'href="/experts/{expert_id}"' in chunk.split("</h3>", 1)[0]:
            return chunk.split("</li>", 1)[0]
    return ""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert found, "no heading"
    return found.group(1)


def _match(page: str, expert_id: int) -> str:
    found = re.search(r'<p class="match">(.*?)</p>', _card(page, expert_id), re.S)
    assert found, f"no name match shown for expert {expert_id}"
    # After "Name match: " (in Chinese "姓名匹配：", with the full-width colon).
    return re.split(r": |：", _text(found.group(1)), maxsplit=1)[1]


def test_name_matches_are_said_part_by_part_in_the_page_language(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    belyaev, murong = _write(factory, BELYAEV, MURONG)
    russian = _match(client.get("/experts", params={"q": "Boris Belyaev", "lang": "ru"}).text, belyaev)
    # The roles come from the Russian name the expert gave; surname first, as a reader expects.
    assert russian.startswith("фамилия Belyaev ≈ Belyayev"), russian
    assert "имя Boris ≈ Boris" in russian
    page = client.get("/experts", params={"q": "Мужун", "lang": "zh"}).text
    assert "姓名匹配：姓" in _text(_card(page, murong))
    chinese = _match(page, murong)
    assert chinese.startswith("姓 Мужун ≈ 慕容"), chinese
    english = _match(client.get("/experts", params={"q": "慕容景凤", "lang": "en"}).text, murong)
    assert "surname 慕容 ≈ 慕容" in english and "given name 景凤 ≈ 景凤" in english
    for said in (russian, chinese, english):
        # No engine output: neither role codes, consonant codes nor raw scores.
        assert not re.search(r"\bunknown\b|\bBLV\b|\d\.\d\d|murong", said), said
        assert re.search(r"\d+\s?%", said), said  # the strength, as a percentage


def test_name_lookup_page_says_why_in_words_and_its_csv_keeps_the_plain_line(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    (belyaev,) = _write(factory, BELYAEV)
    token = csrf_token(client.get("/names", params={"lang": "zh"}).text)
    page = client.post("/names", data={"csrf": token, "text": "Boris Belyaev", "top": "10", "output": "html"})
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page.text, re.S) if f"/experts/{belyaev}" in r)
    why = _text(re.search(r'<td class="why">(.*?)</td>', row, re.S).group(1))  # type: ignore[union-attr]
    assert why.startswith("姓 Belyaev ≈ Belyayev") and "名 Boris ≈ Boris" in why, why
    answer = client.post(
        "/names", data={"csrf": token, "text": "Boris Belyaev", "top": "10", "output": "csv"}
    )
    lines = answer.text.splitlines()
    assert lines[0] == "query_id,rank,expert_id,score,explanation"
    plain = next(line for line in lines[1:] if "Belyayev" in line)
    # The CSV column is the engine's plain English line, with the variants that met.
    assert "Belyaev ≈ Belyayev (" in plain and "姓" not in plain


def test_the_api_gives_a_name_match_as_a_line_and_part_by_part(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    (belyaev,) = _write(factory, BELYAEV)
    items = client.get("/api/v1/experts", params={"name": "Boris Belyaev"}).json()["items"]
    item = next(item for item in items if item["id"] == belyaev)
    assert "≈" in item["match"]
    parts = {part["query"]: part for part in item["match_parts"]}
    assert parts["Belyaev"]["role"] == "surname" and parts["Belyaev"]["matched"] == "Belyayev"
    assert parts["Boris"]["role"] == "given" and 0 < parts["Belyaev"]["similarity"] <= 1


def test_each_concept_label_is_shown_once_the_more_specific_one_kept() -> None:
    why = Explanation(
        concepts=(
            ConceptMatch("science.ai", "same"),
            ConceptMatch("science.ai.machine_learning", "same"),
            ConceptMatch("science.ai.artificial_intelligence", "same"),
        )
    )
    for language in ("ru", "zh", "en"):
        assert [found.code for found in distinct_concepts(why, language).concepts] == [
            "science.ai.artificial_intelligence",
            "science.ai.machine_learning",
        ]


def test_a_card_names_each_matched_concept_once(client: TestClient, factory: sessionmaker[Session]) -> None:
    (murong,) = _write(factory, MURONG)
    for query in ("人工智能", "人工智能 机器学习"):
        card = _card(client.get("/experts", params={"q": query, "lang": "en"}).text, murong)
        shown = [_text(label) for label in re.findall(r'<span class="concept"[^>]*>(.*?)</span>', card)]
        assert shown, (query, card)
        names = [re.sub(r" \(.*\)$", "", label) for label in shown]
        assert len(names) == len(set(names)), shown


def test_a_page_past_the_last_says_so_and_links_back(client: TestClient) -> None:
    everyone = client.get("/experts", params={"lang": "en"}).text
    counted = re.search(r'class="total">([\d,]+) expert', everyone)
    assert counted
    total = int(counted.group(1).replace(",", ""))
    last = (total + 19) // 20
    past = client.get("/experts", params={"page": last + 5, "lang": "en"})
    assert past.status_code == 200
    assert f"Page {last + 5} is past the last page ({last})." in past.text
    assert f'href="/experts?page={last}"' in past.text
    assert "Try fewer words" not in past.text and "No experts match" not in past.text
    zh = client.get("/experts", params={"q": "metro", "page": 500, "lang": "zh"}).text
    assert "超出了范围" in zh and "请减少关键词" not in zh
    # A list that really is empty still says so.
    nothing = client.get("/experts", params={"q": "zzzqqqxxx", "page": 3, "lang": "en"}).text
    assert "No experts match" in nothing and "past the last page" not in nothing
    for path, empty in (
        ("/organizations", "No organizations match."),
        ("/opportunities", "No opportunities match."),
        ("/events", "No events yet."),
    ):
        page = client.get(path, params={"page": 999, "lang": "en"}).text
        assert "Page 999 is past the last page" in page, path
        assert empty not in page and f'href="{path}"' in page, path


def test_the_heading_is_a_name_the_expert_gave_and_generated_names_are_marked(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    (murong,) = _write(factory, MURONG)
    mark = re.compile(r'<small class="generated"[^>]*>')
    russian = client.get(f"/experts/{murong}", params={"lang": "ru"}).text
    heading = _heading(russian)
    assert _text(heading) == "慕容景凤" and not mark.search(heading)
    assert re.search(r"Мужун Цзинфэн\s*" + mark.pattern, russian)
    english = client.get(f"/experts/{murong}", params={"lang": "en"}).text
    assert _text(_heading(english)) == "Murong Jingfeng"
    # On a list card too, the generated name carries the mark.
    card = _card(client.get("/experts", params={"q": "慕容景凤", "lang": "ru"}).text, murong)
    assert re.search(r'<a href="/experts/\d+">慕容景凤</a>', card)
    assert re.search(r"Мужун Цзинфэн</span>\s*" + mark.pattern, card)


def test_a_bad_parameter_is_named_with_what_it_accepts(client: TestClient) -> None:
    english = client.get("/experts", params={"page": "abc", "lang": "en"})
    assert english.status_code == 400
    assert "“page” must be a whole number from 1 to 100,000." in english.text
    russian = client.get("/experts", params={"page": "0", "lang": "ru"})
    assert russian.status_code == 400
    assert "«page»: нужно целое число от 1 до 100\xa0000." in russian.text
    assert (
        "“page”必须是1到100,000之间的整数" in client.get("/events", params={"page": "x", "lang": "zh"}).text
    )
    side = client.get("/opportunities/1", params={"side": "mars", "lang": "en"})
    assert side.status_code == 400 and "“side” must be one of: counterpart, any." in side.text
    assert client.get("/experts/abc").status_code == 404


def test_filters_in_use_are_shown_and_can_be_removed_even_unknown_ones(client: TestClient) -> None:
    page = client.get("/experts", params={"city": "moscow", "sector": "TRANSPORT", "lang": "en"}).text
    chips = re.search(r'<ul class="active-filters".*?</ul>', page, re.S)
    assert chips, "the filters in use are not shown"
    shown = chips.group(0)
    # A city is read in any case or language (moscow is the registry's Moscow); a sector is a code.
    assert "City: <strong>Moscow</strong>" in shown and "Sector: <strong>TRANSPORT</strong>" in shown
    assert shown.count("not a value the registry uses") == 1
    # Each can be taken away on its own, and the value it probably means is offered.
    assert 'href="/experts?sector=TRANSPORT" class="remove"' in shown
    assert 'href="/experts?city=moscow" class="remove"' in shown
    assert 'href="/experts?city=moscow&amp;sector=transport" class="suggestion"' in shown
    language = client.get("/experts", params={"language": "Russian", "lang": "ru"}).text
    assert "Владение языками: <strong>Russian</strong>" in language and "language=ru" in language


def test_a_chosen_sub_sector_is_ticked_under_its_sector_and_can_be_removed(client: TestClient) -> None:
    taxonomy = load_taxonomy()
    page = client.get("/experts", params={"q": "metro", "sector": "transport.metro", "lang": "en"}).text
    facets = page.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    ticked = dict(re.findall(r'<a class="on" href="([^"]+)" aria-current="true">✓ ([^<]+)</a>', facets))
    # The sector stays listed and ticked (its link drops the sector filter); the sub-sector is
    # ticked under it (its link goes back to the whole sector).
    assert ticked == {
        "/experts?q=metro": taxonomy.label("transport", "en"),
        "/experts?q=metro&amp;sector=transport": taxonomy.label("transport.metro", "en"),
    }
    assert "<h2>Sub-sector</h2>" in facets


def test_the_api_documents_the_values_its_filters_accept(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    parameters = {
        p["name"]: p.get("description", "") for p in spec["paths"]["/api/v1/experts"]["get"]["parameters"]
    }
    assert "`transport.metro`" in parameters["sector"] and "`transport`" in parameters["sector"]
    assert "ISO 639-1" in parameters["language"] and "`ru`" in parameters["language"]
    assert "`Moscow`" in parameters["city"] and "`Beijing`" in parameters["city"]
    assert "`research_institute`" in parameters["organization_type"]

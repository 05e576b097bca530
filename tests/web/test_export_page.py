"""Downloading the registry's list as a spreadsheet (/experts/export.xlsx and .csv): the list's
filters, what each viewer may see, the audit, and a round trip through the web import."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import AuditEntry, Expert
from expertbridge.ingest.experts import EXPERT_COLUMNS, EXPERT_EXTRA_COLUMNS, generated_names
from expertbridge.registry.experts import ExpertWriter, read_experts
from expertbridge.registry.privacy import set_visibility
from expertbridge.registry.records import ExpertRecord, NameRecord
from tests.helpers import csrf_token
from tests.web.accounts import People, as_role, create_people

XLSX = "/experts/export.xlsx"
CSV = "/experts/export.csv"
# A Beijing expert whose e-mail address and biography are kept from the other side's coordinators,
# and whose phone number is open to them.
HIDDEN_EMAIL = "quokka.private@example.cn"
HIDDEN_BIO = "Keeps a private notebook on quokka signalling."
OPEN_PHONE = "+86 10 6275 1234"


def _prepare_beijing_expert(factory: sessionmaker[Session], people: People) -> int:
    expert_id = people.other_expert_id
    with factory() as session:
        stored = read_experts(session, [expert_id])[expert_id]
        name = (NameRecord("Ouyang Quokka", "Latn", "en", is_primary=True),)
        record = ExpertRecord(
            # With the forms an import generates, so that the profile is stored as an import stores it.
            names=name + generated_names(name),
            external_id=stored.external_id,
            status="approved",
            organization="Tsinghua University",
            city="Beijing",
            country="CN",
            sectors=("transport",),
            expertise=(("metro signalling", "en"),),
            languages=(("zh", "native"),),
            bios=(("en", HIDDEN_BIO),),
            contacts=(("email", HIDDEN_EMAIL), ("phone", OPEN_PHONE)),
        )
        ExpertWriter(session, actor="test", imported=False).write([record], existing_ids=[expert_id])
        set_visibility(session, expert_id, {"bios": "private"}, ["private", "coordinators"], actor="test")
        session.commit()
    return expert_id


def _rows_of_xlsx(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    table = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    header, *rows = table
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def _rows_of_csv(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def _registry_ids(factory: sessionmaker[Session], rows: list[dict[str, str]]) -> list[int]:
    """The registry numbers of exported rows: "#42", or an import id looked up."""
    with factory() as session:
        by_import_id = dict(session.execute(select(Expert.external_id, Expert.id)).tuples().all())
    return [int(row["id"][1:]) if row["id"].startswith("#") else by_import_id[row["id"]] for row in rows]


def _listed(client: TestClient, **params: str) -> list[int]:
    """The experts a list page shows, in order."""
    page = client.get("/experts", params=params)
    assert page.status_code == 200, page.text
    cards = page.text.split('<ol class="cards">', 1)[1].split("</ol>", 1)[0]
    return [int(number) for number in re.findall(r'href="/experts/(\d+)"', cards)]


def _import_check(client: TestClient, name: str, content: bytes, **choices: str) -> Any:
    token = csrf_token(client.get("/experts/import").text)
    return client.post(
        "/experts/import?lang=en",
        data={"csrf": token, **choices},
        files={"file": (name, content)},
        follow_redirects=False,
    )


def _figure(page: str, label: str) -> int:
    found = re.search(rf"{label}</th><td>([\d\s\u00a0,]+)</td>", page)
    assert found, (label, page)
    return int(re.sub(r"\D", "", found.group(1)))


def test_the_file_holds_exactly_the_experts_the_list_shows_for_its_filters(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    _prepare_beijing_expert(factory, people)
    admin = as_role(client, "admin")
    filters = {"q": "signalling", "city": "Beijing"}
    listed = _listed(admin, **filters)
    assert people.other_expert_id in listed
    answer = admin.get(XLSX, params=filters)
    assert answer.status_code == 200, answer.text
    _, rows = _rows_of_xlsx(answer.content)
    assert _registry_ids(factory, rows) == listed  # the same experts, best first as on the page
    # Every page of the list, not only the first twenty.
    total = int(re.search(r'class="total">(\d+) experts', admin.get("/experts").text).group(1))  # type: ignore[union-attr]
    assert total > 20
    _, everyone = _rows_of_csv(admin.get(CSV).content)
    assert len(everyone) == total


def test_an_admins_xlsx_has_the_import_header_text_cells_and_a_dated_name(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    with factory() as session:
        stored = read_experts(session, [people.expert_id])[people.expert_id]
        # A value a spreadsheet would run as a formula stays text.
        formula = replace(stored, expertise=(('=HYPERLINK("http://evil.example")', "en"),))
        ExpertWriter(session, actor="test", imported=False).write([formula], existing_ids=[people.expert_id])
        session.commit()
    admin = as_role(client, "admin")
    answer = admin.get(XLSX, params={"city": "Moscow"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = answer.headers["content-disposition"]
    name = r"experts-\d{4}-\d{2}-\d{2}\.xlsx"
    assert re.fullmatch(rf"attachment; filename=\"{name}\"; filename\*=UTF-8''{name}", disposition), (
        disposition
    )
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == list(EXPERT_COLUMNS + EXPERT_EXTRA_COLUMNS)
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)
    expertise = [row[header.index("expertise")].value for row in sheet.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://evil.example")' in expertise

    csv_answer = admin.get(CSV, params={"city": "Moscow"})
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert re.search(r'filename="experts-\d{4}-\d{2}-\d{2}\.csv"', csv_answer.headers["content-disposition"])
    # Excel runs a cell that starts with "=": the CSV marks it as text.
    assert "'=HYPERLINK" in csv_answer.content.decode("utf-8-sig")


def test_who_may_download_and_what_the_other_sides_coordinator_gets(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    expert_id = _prepare_beijing_expert(factory, people)
    assert as_role(client, "public").get(XLSX).status_code == 401
    assert as_role(client, "public").get(CSV).status_code == 401
    for key in ("expert", "partner"):
        assert as_role(client, key).get(XLSX).status_code == 403
        assert as_role(client, key).get(CSV).status_code == 403

    moscow = as_role(client, "moscow")
    for path, read in ((XLSX, _rows_of_xlsx), (CSV, _rows_of_csv)):
        answer = moscow.get(path, params={"city": "Beijing"})
        assert answer.status_code == 200, answer.text
        header, rows = read(answer.content)
        text = json.dumps(rows, ensure_ascii=False)
        # What the expert keeps from Moscow's coordinators is not in the file, and neither are its
        # columns: an empty cell there would read back as "clear this field".
        assert HIDDEN_EMAIL not in text and HIDDEN_BIO not in text
        assert "email" not in header and "bio_en" not in header
        assert {"id", "name_en", "city", "expertise"} <= set(header)
        row = next(row for row in rows if _registry_ids(factory, [row]) == [expert_id])
        assert row["expertise"] == "metro signalling"
        # Other Beijing experts keep their phone numbers private: the column is left out for all.
        assert "phone" not in header
    # Alone in the list, the expert's phone number opened to coordinators is in the file.
    _, rows = _rows_of_xlsx(moscow.get(XLSX, params={"q": "Ouyang Quokka"}).content)
    assert _registry_ids(factory, rows) == [expert_id]
    assert rows[0]["phone"] == OPEN_PHONE

    # Beijing's coordinators see their side's experts whole.
    header, rows = _rows_of_csv(as_role(client, "beijing").get(CSV, params={"city": "Beijing"}).content)
    assert header == list(EXPERT_COLUMNS + EXPERT_EXTRA_COLUMNS)
    row = next(row for row in rows if _registry_ids(factory, [row]) == [expert_id])
    assert (row["email"], row["bio_en"]) == (HIDDEN_EMAIL, HIDDEN_BIO)


def test_every_download_is_audited_with_its_filters_and_rows(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    people = create_people(factory)
    expert_id = _prepare_beijing_expert(factory, people)
    moscow = as_role(client, "moscow")
    _, rows = _rows_of_csv(moscow.get(CSV, params={"q": "signalling", "city": "Beijing"}).content)
    with factory() as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id.desc())
        )
        assert entry is not None and entry.changes is not None
        assert entry.actor.startswith("user:") and entry.entity_type == "expert"
        details = json.loads(entry.changes)
        assert details["rows"] == len(rows) > 0
        assert details["format"] == "csv"
        assert details["filters"] == {"q": "signalling", "city": "Beijing"}
        assert "email" in details["columns_left_out"]
        # The phone number left the registry in the file: a view of the expert's contact data.
        viewed = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "view",
                AuditEntry.entity_id == expert_id,
                AuditEntry.actor == entry.actor,
            )
        )
        assert viewed is not None and json.loads(viewed.changes or "{}") == {"contacts": 1}
    audit = as_role(client, "admin").get("/admin/audit", params={"action": "export"})
    assert audit.status_code == 200
    assert "signalling" in audit.text and "moscow@example.org" in audit.text


def test_a_coordinators_export_imports_back_unchanged(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    create_people(factory)
    moscow = as_role(client, "moscow")
    content = moscow.get(XLSX, params={"city": "Moscow"}).content
    _, rows = _rows_of_xlsx(content)
    assert rows
    check = _import_check(moscow, "experts.xlsx", content, dry_run="1")
    assert check.status_code == 200, check.text
    assert _figure(check.text, "Profiles to create") == 0
    assert _figure(check.text, "Profiles to update") == 0
    assert _figure(check.text, "Unchanged") == len(rows)
    assert _figure(check.text, "Rows with problems") == 0


def test_a_reimport_of_the_other_sides_export_keeps_what_its_coordinator_could_not_see(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    # A Moscow coordinator downloads Beijing's metro signalling experts and passes the file on to an
    # admin, who imports it: nothing the coordinator could not see is cleared.
    people = create_people(factory)
    expert_id = _prepare_beijing_expert(factory, people)
    with factory() as session:
        before = read_experts(session, [expert_id])[expert_id]
    content = as_role(client, "moscow").get(XLSX, params={"city": "Beijing"}).content
    admin = as_role(client, "admin")
    check = _import_check(admin, "beijing.xlsx", content, dry_run="1")
    assert check.status_code == 200, check.text
    assert _figure(check.text, "Profiles to create") == 0
    assert _figure(check.text, "Profiles to update") == 0
    imported = _import_check(admin, "beijing.xlsx", content)
    assert imported.status_code == 200, imported.text
    with factory() as session:
        after = read_experts(session, [expert_id])[expert_id]
    assert after.contacts == before.contacts == (("email", HIDDEN_EMAIL), ("phone", OPEN_PHONE))
    assert after.bios == before.bios == (("en", HIDDEN_BIO),)


def test_the_links_carry_the_lists_filters_for_coordinators_and_admins_only(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    _prepare_beijing_expert(factory, create_people(factory))
    params = {"q": "signalling", "city": "Beijing"}
    for key in ("moscow", "admin"):
        page = as_role(client, key).get("/experts", params=params).text
        assert (
            '<a href="/experts/export.xlsx?q=signalling&amp;city=Beijing" download>Download XLSX</a>' in page
        )
        assert '<a href="/experts/export.csv?q=signalling&amp;city=Beijing" download>Download CSV</a>' in page
    for key in ("public", "expert", "partner"):
        assert "/experts/export." not in as_role(client, key).get("/experts", params=params).text
    russian = as_role(client, "beijing").get("/experts", params={"lang": "ru"}).text
    assert "Скачать XLSX" in russian and "Скачать CSV" in russian
    chinese = as_role(client, "beijing").get("/experts", params={"lang": "zh"}).text
    assert "下载 XLSX" in chinese


def test_a_list_longer_than_the_limit_is_cut_and_says_so(
    client: TestClient, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    create_people(factory)
    monkeypatch.setattr("expertbridge.web.pages.expert_export.MAX_EXPORT_ROWS", 5)
    admin = as_role(client, "admin")
    listed = _listed(admin)
    answer = admin.get(XLSX)
    assert answer.status_code == 200
    assert re.search(
        r'filename="experts-\d{4}-\d{2}-\d{2}-first-5\.xlsx"', answer.headers["content-disposition"]
    )
    _, rows = _rows_of_xlsx(answer.content)
    assert _registry_ids(factory, rows) == listed[:5]
    assert "(the first 5 experts of the list)" in admin.get("/experts").text
    with factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry is not None and json.loads(entry.changes or "{}")["cut_at"] == 5

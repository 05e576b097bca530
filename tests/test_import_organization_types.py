"""Organization types may be written as the pages show them, in Russian, Chinese or English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Organization
from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.ingest.organizations import ORGANIZATION_COLUMNS, organization_type
from expertbridge.registry.vocab import ORGANIZATION_TYPES
from expertbridge.web.labels import ORGANIZATION_TYPE
from tests.helpers import write_csv

LOCALE = Path(__file__).resolve().parents[1] / "src" / "expertbridge" / "web" / "locale"


def _catalog(language: str) -> dict[str, str]:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if isinstance(message.id, str)}


@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_every_label_the_pages_show_is_read_as_its_type(language: str) -> None:
    catalog = _catalog(language) if language != "en" else {}
    for code, label in ORGANIZATION_TYPE.items():
        shown = catalog.get(label, label)
        for written in (shown, f"  {shown.upper()} ", shown.lower().replace(" ", "  ")):
            cells = RowCells(2, {"type": written})
            assert organization_type(cells) == code, (written, cells.issues)
    assert set(ORGANIZATION_TYPE) == set(ORGANIZATION_TYPES)


def test_organization_rows_with_russian_and_chinese_types(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    rows = [
        {"id": "o1", "name_ru": "Московский государственный университет", "type": "Университет"},
        {"id": "o2", "name_zh": "中国科学院自动化研究所", "type": "科研院所"},
        {"id": "o3", "name_ru": "Технопарк «Сколково»", "type": "технопарк"},
        {"id": "o4", "name_zh": "北京市科学技术委员会", "type": "政府机构"},
        {"id": "o5", "name_en": "Huawei", "type": "Research_Institute"},
        {"id": "o6", "name_en": "Yandex", "type": "company"},
    ]
    path = write_csv(data_dir / "orgs.csv", rows, columns=ORGANIZATION_COLUMNS)
    report = Importer(factory, ImportOptions()).run("organizations", path)
    assert (report.created, report.issues) == (6, [])
    with factory() as session:
        types = {
            key: kind for key, kind in session.execute(select(Organization.external_id, Organization.type))
        }
    assert types == {
        "o1": "university",
        "o2": "research_institute",
        "o3": "science_park",
        "o4": "government_body",
        "o5": "research_institute",
        "o6": "enterprise",
    }


def test_an_unknown_type_lists_the_accepted_values(factory: sessionmaker[Session], data_dir: Path) -> None:
    rows = [{"id": "o1", "name_ru": "Ромашка", "type": "ООО"}]
    path = write_csv(data_dir / "orgs.csv", rows, columns=ORGANIZATION_COLUMNS)
    report = Importer(factory, ImportOptions()).run("organizations", path)
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (2, "type", "ООО")
    assert issue.message.startswith("unknown organization type; use one of: enterprise (Предприятие, 企业)")
    assert "university (Университет, 高校)" in issue.message and issue.message.endswith(
        "other (Другое, 其他)"
    )
    assert not report.written

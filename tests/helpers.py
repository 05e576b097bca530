"""Small helpers shared by tests."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from expertbridge.ingest.experts import EXPERT_COLUMNS
from expertbridge.ingest.export import export_rows, write_json, write_xlsx
from expertbridge.ingest.export import write_csv as write_csv_export


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    columns: Sequence[str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write rows as CSV in ``encoding`` and return the path."""
    columns = list(columns or EXPERT_COLUMNS)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


RUSSIAN_EXPERT = {
    "id": "ru-1",
    "name_ru": "Черёмин Сергей Петрович",
    "name_en": "Sergei Cheremin",
    "organization": "Московский государственный университет",
    "city": "Москва",
    "country": "Россия",
    "sectors": "Метрополитен;transport.rail",
    "expertise": "системы сигнализации метрополитена;тоннели",
    "languages": "ru:native;en:C1",
    "email": "s.cheremin@example.org",
    "phone": "+7 495 555-00-11",
    "orcid": "0000-0002-1825-0097",
    "bio_ru": "Инженер-исследователь.",
}
CHINESE_EXPERT = {
    "id": "cn-1",
    "name_zh": "许心超",
    "name_en": "Xu Xinchao",
    "organization": "清华大学",
    "city": "北京",
    "country": "中国",
    "sectors": "人工智能",
    "expertise": "机器学习;计算机视觉",
    "languages": "中文:母语;英语:B2",
    "email": "xu@example.com",
    "bio_zh": "研究员。",
}


def csrf_token(html: str) -> str:
    """The CSRF token a page's forms carry (the hidden field ``csrf``)."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def exported(factory: sessionmaker[Session], kind: str, file_format: str) -> bytes:
    """The registry's ``kind`` exported as the command line exports it, in ``file_format``."""
    with factory() as session:
        columns, rows = export_rows(session, kind)
        if file_format == "xlsx":
            binary = io.BytesIO()
            write_xlsx(columns, rows, binary)
            return binary.getvalue()
        text = io.StringIO()
        (write_csv_export if file_format == "csv" else write_json)(columns, rows, text)
        return text.getvalue().encode("utf-8")

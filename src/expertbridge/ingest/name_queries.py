"""Lists of names to look up (delegation lists): CSV with query_id,name, or one name per line."""

from __future__ import annotations

import csv
import io

from expertbridge.ingest.report import InputFileError
from expertbridge.ingest.tables import SAMPLE_BYTES, detect_encoding

MAX_QUERIES = 5000


def read_name_queries(data: bytes, source: str) -> list[tuple[str, str]]:
    """(query_id, name) pairs; a file without a ``name`` header is read as one name per line."""
    if not data.strip():
        raise InputFileError(f"{source}: the file is empty")
    encoding = detect_encoding(data[:SAMPLE_BYTES])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputFileError(f"{source}: not valid {encoding} text; save it as UTF-8") from None
    lines = text.splitlines()
    header = [cell.strip().lower() for cell in next(csv.reader(lines[:1]), [])]
    if "name" in header:
        rows = []
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            cells = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
            if cells.get("name"):
                rows.append((cells.get("query_id") or str(number), cells["name"]))
    else:
        rows = [(str(number), line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
    if len(rows) > MAX_QUERIES:
        raise InputFileError(f"{source}: {len(rows):,} names; look up at most {MAX_QUERIES:,} at a time")
    return rows

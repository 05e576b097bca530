"""Validate opportunity and event rows into records, and write them back as rows."""

from __future__ import annotations

import datetime as dt

from expertbridge.ingest.cells import RowCells, split_list
from expertbridge.ingest.places import read_place
from expertbridge.registry.activities import deadline_passed, deadline_today
from expertbridge.registry.problems import N_
from expertbridge.registry.records import EventRecord, LocalizedText, OpportunityRecord
from expertbridge.registry.taxonomy import Taxonomy
from expertbridge.registry.vocab import EVENT_KINDS, OPPORTUNITY_KINDS, OPPORTUNITY_STATUSES

LANGUAGES = ("ru", "zh", "en")
TEXT_COLUMNS = tuple(f"{part}_{language}" for part in ("title", "description") for language in LANGUAGES)
OPPORTUNITY_COLUMNS = (
    "id",
    "kind",
    *TEXT_COLUMNS,
    "sectors",
    "organization",
    "city",
    "country",
    "deadline",
    "status",
    "anonymous",
)
EVENT_COLUMNS = (
    "id",
    "kind",
    *TEXT_COLUMNS,
    "starts_on",
    "ends_on",
    "city",
    "country",
    "venue",
    "online",
    "organizers",
    "expert_participants",
    "organization_participants",
)


def _texts(cells: RowCells) -> dict[str, LocalizedText]:
    texts: dict[str, LocalizedText] = {}
    for language in LANGUAGES:
        title = cells.get(f"title_{language}", max_chars=500)
        description = cells.get(f"description_{language}", max_chars=20_000)
        if description and not title:
            cells.fail(f"title_{language}", "", N_("a description needs a title in the same language"))
        if title:
            texts[language] = LocalizedText(title, description)
    if not texts and not cells.issues:
        cells.fail("title_en", "", N_("no title: fill at least one of title_ru, title_zh, title_en"))
    return texts


# Said wherever an opportunity is written: the posting and edit forms, the API and imports.
DEADLINE_PASSED = N_(
    "is before today (%(today)s): an open opportunity needs a deadline that has not passed; give a "
    "later date, or close the opportunity"
)


def read_opportunity_row(
    cells: RowCells, taxonomy: Taxonomy, *, today: dt.date | None = None
) -> OpportunityRecord | None:
    """An opportunity from canonical columns, or None with issues in ``cells``.

    An open opportunity whose deadline is before ``today`` (by default :func:`deadline_today`) is
    refused on its deadline: it would stay open for ever.  A closed one may carry any deadline
    (historical data).
    """
    kind = cells.get("kind")
    if not kind:
        cells.fail("kind", "", N_("is required: one of %(choices)s"), choices=", ".join(OPPORTUNITY_KINDS))
    texts = _texts(cells)
    city, country = read_place(cells)
    record = OpportunityRecord(
        kind=cells.choice("kind", OPPORTUNITY_KINDS, "partner_wanted"),
        texts=texts,
        external_id=cells.get("id", max_chars=200) or None,
        status=cells.choice("status", OPPORTUNITY_STATUSES, "open"),
        sectors=cells.sectors("sectors", taxonomy),
        organization=cells.get("organization", max_chars=500) or None,
        city=city,
        country=country,
        deadline=cells.date("deadline"),
        anonymous=cells.flag("anonymous"),
    )
    day = today or deadline_today()
    if record.deadline is not None and deadline_passed(record.status, record.deadline, day):
        cells.fail("deadline", cells.get("deadline"), DEADLINE_PASSED, today=day.isoformat())
    return None if cells.issues else record


def read_event_row(cells: RowCells) -> EventRecord | None:
    """An event from canonical columns, or None with issues in ``cells``."""
    if not cells.get("kind"):
        cells.fail("kind", "", N_("is required: one of %(choices)s"), choices=", ".join(EVENT_KINDS))
    texts = _texts(cells)
    city, country = read_place(cells)
    starts_on = cells.date("starts_on", required=True)
    ends_on = cells.date("ends_on") or starts_on
    if starts_on and ends_on and ends_on < starts_on:
        cells.fail("ends_on", ends_on.isoformat(), N_("ends before it starts"))
    record = EventRecord(
        kind=cells.choice("kind", EVENT_KINDS, "forum"),
        texts=texts,
        starts_on=starts_on or ends_on,  # type: ignore[arg-type]
        ends_on=ends_on,  # type: ignore[arg-type]
        external_id=cells.get("id", max_chars=200) or None,
        city=city,
        country=country,
        venue=cells.get("venue", max_chars=500) or None,
        online=cells.flag("online"),
        organizers=tuple(split_list(cells.get("organizers", max_chars=20_000))),
        expert_participants=tuple(split_list(cells.get("expert_participants", max_chars=200_000))),
        organization_participants=tuple(
            split_list(cells.get("organization_participants", max_chars=200_000))
        ),
    )
    return None if cells.issues else record


def _text_cells(texts: dict[str, LocalizedText]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for part in ("title", "description"):
        for language in LANGUAGES:
            text = texts.get(language)
            cells[f"{part}_{language}"] = getattr(text, part) if text else ""
    return cells


def opportunity_row(record: OpportunityRecord, fallback_id: str) -> dict[str, str]:
    """The export row of an opportunity."""
    return {
        "id": record.external_id or fallback_id,
        "kind": record.kind,
        **_text_cells(record.texts),
        "sectors": ";".join(record.sectors),
        "organization": record.organization or "",
        "city": record.city or "",
        "country": record.country or "",
        "deadline": record.deadline.isoformat() if record.deadline else "",
        "status": record.status,
        "anonymous": "true" if record.anonymous else "false",
    }


def event_row(record: EventRecord, fallback_id: str) -> dict[str, str]:
    """The export row of an event."""
    return {
        "id": record.external_id or fallback_id,
        "kind": record.kind,
        **_text_cells(record.texts),
        "starts_on": record.starts_on.isoformat(),
        "ends_on": record.ends_on.isoformat(),
        "city": record.city or "",
        "country": record.country or "",
        "venue": record.venue or "",
        "online": "true" if record.online else "false",
        "organizers": ";".join(record.organizers),
        "expert_participants": ";".join(record.expert_participants),
        "organization_participants": ";".join(record.organization_participants),
    }

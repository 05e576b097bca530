"""The entries an event's jury judges: competition projects, grant applications, linked opportunities.

The event's organizers (the coordinators of its side, admins:
:func:`expertbridge.registry.meeting_people.check_organizes`, asked by every function that changes
entries) add entries one by one, link an opportunity of the registry (copied as it stands: a jury
judges the entry as submitted), or import a spreadsheet (CSV, XLSX, JSON) with the columns
``IMPORT_COLUMNS``.  An import is one transaction: every row is written, or none when any row has a
problem, and each problem names the row, the column, the value and what to do.  Rows are matched by
``id`` (the entry's code): importing a corrected file again updates the entries it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    EventPanelEntry,
    EventPanelEntryConflict,
    EventPanelEntryText,
    Expert,
    Opportunity,
)
from expertbridge.ingest.cells import cell_text, split_list
from expertbridge.ingest.report import InputFileError, Issue
from expertbridge.ingest.tables import read_rows
from expertbridge.messages import Message
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.audit import Change, write_changes
from expertbridge.registry.identities import ReferencedExpert, experts_by_reference
from expertbridge.registry.meeting_people import check_organizes
from expertbridge.registry.organizations import OrganizationDirectory, primary_names
from expertbridge.registry.places import canonical_city
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.visibility import Viewer

KINDS = ("project", "application", "opportunity")
LANGUAGES = ("ru", "zh", "en")
IMPORT_COLUMNS = (
    "id",
    "kind",
    "title_ru",
    "title_zh",
    "title_en",
    "description_ru",
    "description_zh",
    "description_en",
    "sectors",
    "city",
    "organization",
    "conflicts",
)
MAX_ENTRIES = 2000
MAX_TITLE = 500
MAX_DESCRIPTION = 20_000


@dataclass(frozen=True)
class EntryView:
    """A panel entry as pages and panel runs see it."""

    entry_id: int
    code: str
    kind: str
    texts: dict[str, tuple[str, str]]  # language → (title, description)
    sectors: tuple[str, ...]
    city: str | None
    organization_id: int | None
    organization: str
    opportunity_id: int | None
    conflicts: tuple[int, ...]
    # How the form and imports name each of ``conflicts`` (import id, else ``#42``), in its order.
    conflict_references: tuple[str, ...] = ()

    def title(self, language: str) -> str:
        """The title in ``language``, else in the first language it was written in."""
        if language in self.texts:
            return self.texts[language][0]
        return next(iter(self.texts.values()))[0] if self.texts else self.code

    @property
    def text(self) -> str:
        """Every title and description, as the text experts are ranked against."""
        return "\n".join(part for title, description in self.texts.values() for part in (title, description))


@dataclass
class EntryValues:
    """What a form or a row says about an entry, checked."""

    code: str
    kind: str = "project"
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)
    city: str | None = None
    organization_id: int | None = None
    opportunity_id: int | None = None
    conflicts: list[int] = field(default_factory=list)


def entries(session: Session, event_id: int, ids: Iterable[int] | None = None) -> dict[int, EntryView]:
    """The event's entries (those with ``ids`` when given) in their order, by id."""
    query = select(EventPanelEntry).where(EventPanelEntry.event_id == event_id)
    if ids is not None:
        query = query.where(EventPanelEntry.id.in_(list(ids)))
    rows = list(session.scalars(query.order_by(EventPanelEntry.position, EventPanelEntry.id)))
    keys = [row.id for row in rows]
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    for text in session.scalars(select(EventPanelEntryText).where(EventPanelEntryText.entry_id.in_(keys))):
        texts.setdefault(text.entry_id, {})[text.language] = (text.title, text.description)
    conflicts: dict[int, list[int]] = {}
    for entry_id, expert_id in session.execute(
        select(EventPanelEntryConflict.entry_id, EventPanelEntryConflict.expert_id).where(
            EventPanelEntryConflict.entry_id.in_(keys)
        )
    ).tuples():
        conflicts.setdefault(entry_id, []).append(expert_id)
    declared = {expert_id for ids in conflicts.values() for expert_id in ids}
    references = {
        expert_id: ReferencedExpert(expert_id, external_id).reference
        for expert_id, external_id in session.execute(
            select(Expert.id, Expert.external_id).where(Expert.id.in_(declared))
        ).tuples()
    }
    names = primary_names(session, [row.organization_id for row in rows if row.organization_id])
    return {
        row.id: EntryView(
            row.id,
            row.code,
            row.kind,
            dict(sorted(texts.get(row.id, {}).items(), key=lambda item: LANGUAGES.index(item[0]))),
            tuple(row.sectors.split()),
            row.city,
            row.organization_id,
            names.get(row.organization_id, "") if row.organization_id else "",
            row.opportunity_id,
            tuple(sorted(conflicts.get(row.id, []))),
            tuple(
                references.get(expert_id) or ReferencedExpert(expert_id, None).reference
                for expert_id in sorted(conflicts.get(row.id, []))
            ),
        )
        for row in rows
    }


def _write(session: Session, event_id: int, values: EntryValues, position: int) -> tuple[int, str]:
    """Create or update (by code) one entry; returns its id and "create" or "update"."""
    row = session.scalar(
        select(EventPanelEntry).where(
            EventPanelEntry.event_id == event_id, EventPanelEntry.code == values.code
        )
    )
    action = "update"
    if row is None:
        row = EventPanelEntry(event_id=event_id, code=values.code, position=position)
        session.add(row)
        action = "create"
    row.kind, row.sectors, row.city = values.kind, " ".join(values.sectors), values.city
    row.organization_id, row.opportunity_id = values.organization_id, values.opportunity_id
    session.flush()
    session.execute(delete(EventPanelEntryText).where(EventPanelEntryText.entry_id == row.id))
    session.execute(delete(EventPanelEntryConflict).where(EventPanelEntryConflict.entry_id == row.id))
    for language, (title, description) in values.texts.items():
        session.add(
            EventPanelEntryText(entry_id=row.id, language=language, title=title, description=description)
        )
    for expert_id in dict.fromkeys(values.conflicts):
        session.add(EventPanelEntryConflict(entry_id=row.id, expert_id=expert_id))
    session.flush()
    return row.id, action


def _code_taken(session: Session, event_id: int, code: str) -> bool:
    found = session.scalar(
        select(EventPanelEntry.id).where(EventPanelEntry.event_id == event_id, EventPanelEntry.code == code)
    )
    return found is not None


def _next_position(session: Session, event_id: int) -> int:
    last = session.scalar(
        select(func.max(EventPanelEntry.position)).where(EventPanelEntry.event_id == event_id)
    )
    return (last or 0) + 1


def _audit(session: Session, viewer: Viewer, entry_id: int, action: str, values: EntryValues) -> None:
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                action,
                "panel_entry",
                entry_id,
                {
                    "code": values.code,
                    "kind": values.kind,
                    "sectors": values.sectors,
                    "city": values.city,
                    "organization": values.organization_id,
                    "opportunity": values.opportunity_id,
                    "conflicts": values.conflicts,
                },
            )
        ],
    )


def _count(session: Session, event_id: int) -> int:
    return session.scalar(select(func.count()).where(EventPanelEntry.event_id == event_id)) or 0


class _Checker:
    """Checks the cells of one entry, collecting issues (row 0 for a form)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.taxonomy = load_taxonomy()
        self.directory = OrganizationDirectory(session)
        # Reference → expert id (None: no expert), filled by :meth:`look_up_experts`.
        self.experts: dict[str, int | None] = {}

    def look_up_experts(self, references: Iterable[str]) -> None:
        """Find the experts these conflict references name, in one query for all of them."""
        fresh = [reference for reference in dict.fromkeys(references) if reference not in self.experts]
        found = experts_by_reference(self.session, fresh)
        self.experts.update(
            {reference: found[reference].expert_id if reference in found else None for reference in fresh}
        )

    def values(self, number: int, cells: dict[str, str]) -> tuple[EntryValues, list[Issue]]:
        issues: list[Issue] = []

        def fail(column: str, value: str, template: str, **params: str | int) -> None:
            # As ``ingest.cells.RowCells.fail``: English text for files, the template for pages.
            shown = {key: f"{item:,}" if isinstance(item, int) else item for key, item in params.items()}
            text = template % shown if params else template
            issues.append(Issue(number, column, value, text, template, tuple(params.items())))

        code = cells.get("id", "")
        if not code:
            fail(
                "id", "", N_("the entry's code is missing; give each entry a short unique code such as P-17")
            )
        elif len(code) > 64:
            fail(
                "id",
                code,
                N_("longer than %(limit)s characters (%(length)s); shorten it"),
                limit=64,
                length=len(code),
            )
        values = EntryValues(code=code[:64])
        kind = cells.get("kind", "").lower() or "project"
        if kind not in KINDS:
            fail("kind", kind, N_("must be one of: %(choices)s"), choices=", ".join(KINDS))
        values.kind = kind
        for language in LANGUAGES:
            title = " ".join(cells.get(f"title_{language}", "").split())
            description = cells.get(f"description_{language}", "").strip()
            if len(title) > MAX_TITLE:
                fail(
                    f"title_{language}",
                    title[:60],
                    N_("longer than %(limit)s characters (%(length)s); shorten it"),
                    limit=MAX_TITLE,
                    length=len(title),
                )
            elif len(description) > MAX_DESCRIPTION:
                fail(
                    f"description_{language}",
                    description[:60],
                    N_("longer than %(limit)s characters (%(length)s); shorten it"),
                    limit=MAX_DESCRIPTION,
                    length=len(description),
                )
            elif title:
                values.texts[language] = (title, description)
            elif description:
                fail(f"title_{language}", "", N_("a description needs a title in the same language"))
        if not values.texts and not any(issue.column.startswith("title") for issue in issues):
            fail("title_en", "", N_("give a title in at least one language (title_ru, title_zh or title_en)"))
        for sector in split_list(cells.get("sectors", "")):
            resolved = self.taxonomy.resolve(sector)
            if resolved is None:
                fail(
                    "sectors",
                    sector,
                    N_(
                        "unknown sector; use a code such as transport.metro or a label listed by "
                        "`expertbridge sectors`"
                    ),
                )
            elif resolved not in values.sectors:
                values.sectors.append(resolved)
        city = cells.get("city", "")
        values.city = canonical_city(city) if city else None
        organization = cells.get("organization", "")
        if organization:
            values.organization_id = self.directory.find(organization)
            if values.organization_id is None:
                fail("organization", organization, N_("no organization of the registry has this name or id"))
        conflicts = conflict_references(cells)
        self.look_up_experts(conflicts)
        for reference in conflicts:
            expert_id = self.experts.get(reference)
            if expert_id is None:
                fail(
                    "conflicts",
                    reference,
                    N_(
                        "no expert has this import id or registry number; write the expert's import id "
                        "or # and the registry number (#42)"
                    ),
                )
            else:
                values.conflicts.append(expert_id)
        return values, issues


def conflict_references(cells: dict[str, str]) -> list[str]:
    """The experts an entry's ``conflicts`` cell names: import ids, registry references (``#42``) or
    plain registry numbers, as :func:`experts_by_reference` reads them."""
    return split_list(cells.get("conflicts", ""))


class EntryRejected(Refused):
    """An entry of the form was not saved; ``issues`` names each problem (row 0: the form)."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(
            N_("The entry was not saved: %(problems)s"),
            422,
            problems="; ".join(issue.describe().removeprefix("row 0, ") for issue in issues),
        )
        self.issues = issues


def save_entry(
    session: Session, viewer: Viewer, event_id: int, cells: dict[str, str], *, replace: bool = False
) -> int:
    """Add one entry from the organizers' form; with ``replace``, a code already used replaces
    that entry (its title, sectors, organization and declared conflicts).

    Raises Refused listing every problem, or when the code is taken and ``replace`` is not asked
    for (a typo in a code must not wipe another entry's conflicts); nothing is written then.
    """
    check_organizes(session, viewer, event_id)
    values, issues = _Checker(session).values(0, {key: value.strip() for key, value in cells.items()})
    if issues:
        raise EntryRejected(issues)
    if not replace and _code_taken(session, event_id, values.code):
        raise Refused(
            N_(
                "The code %(code)s is already used by an entry of this event. Choose another code, or tick "
                "“Replace the entry with this code” to replace it."
            ),
            409,
            code=values.code,
        )
    if _count(session, event_id) >= MAX_ENTRIES:
        raise Refused(N_("An event holds at most %(count)s entries."), 422, count=MAX_ENTRIES)
    entry_id, action = _write(session, event_id, values, _next_position(session, event_id))
    _audit(session, viewer, entry_id, action, values)
    return entry_id


def link_opportunity(session: Session, viewer: Viewer, event_id: int, opportunity_id: int) -> int:
    """Copy an opportunity of the registry into the event's entries (code ``opportunity-ID``)."""
    check_organizes(session, viewer, event_id)
    record = read_opportunities(session, [opportunity_id]).get(opportunity_id)
    row = session.get(Opportunity, opportunity_id)
    if record is None or row is None:
        raise Refused(N_("There is no such opportunity."), 404)
    values = EntryValues(
        code=f"opportunity-{opportunity_id}",
        kind="opportunity",
        texts={
            language: (text.title[:MAX_TITLE], text.description[:MAX_DESCRIPTION])
            for language, text in record.texts.items()
            if language in LANGUAGES and text.title
        },
        sectors=list(record.sectors),
        city=row.city,
        organization_id=row.organization_id,
        opportunity_id=opportunity_id,
    )
    entry_id, action = _write(session, event_id, values, _next_position(session, event_id))
    _audit(session, viewer, entry_id, action, values)
    return entry_id


def delete_entry(session: Session, viewer: Viewer, event_id: int, entry_id: int) -> None:
    """Remove an entry (stored panel runs keep their results)."""
    check_organizes(session, viewer, event_id)
    row = session.get(EventPanelEntry, entry_id)
    if row is None or row.event_id != event_id:
        raise Refused(N_("There is no such entry."), 404)
    session.delete(row)
    write_changes(session, viewer.actor, [Change("delete", "panel_entry", entry_id, {"code": row.code})])


@dataclass
class EntryImport:
    """What an import of entries read and wrote, and the problems that stopped it."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    issues: list[Issue] = field(default_factory=list)


def import_entries(session: Session, viewer: Viewer, event_id: int, path: Path) -> EntryImport:
    """Read a CSV, XLSX, JSON or JSON Lines file of entries and write them all, or none.

    Raises :class:`InputFileError` when the file cannot be read at all.
    """
    check_organizes(session, viewer, event_id)
    report = EntryImport()
    checker = _Checker(session)
    checked: list[EntryValues] = []
    seen: dict[str, int] = {}
    rows = [
        (row.number, {str(key).strip().lower(): cell_text(value) for key, value in row.cells.items()})
        for row in read_rows(path, header_names=frozenset(IMPORT_COLUMNS))
    ]
    checker.look_up_experts(reference for _, cells in rows for reference in conflict_references(cells))
    for number, cells in rows:
        report.rows += 1
        values, issues = checker.values(number, cells)
        if values.code in seen:
            issues.append(
                Issue(
                    number,
                    "id",
                    values.code,
                    f"the code is used again (row {seen[values.code]}); codes are unique",
                    N_("the code is used again (row %(row)s); codes are unique"),
                    # A row number is a label, not an amount: as text, so that it is never grouped.
                    (("row", str(seen[values.code])),),
                )
            )
        seen.setdefault(values.code, number)
        report.issues += issues
        checked.append(values)
    if report.rows == 0:
        raise InputFileError(Message.of(N_("%(file)s: no rows under the header"), file=path.name))
    if len(checked) > MAX_ENTRIES:
        raise InputFileError(
            Message.of(
                N_("%(file)s: an event holds at most %(count)s entries"), file=path.name, count=MAX_ENTRIES
            )
        )
    if report.issues:
        return report
    position = _next_position(session, event_id)
    for offset, values in enumerate(checked):
        entry_id, action = _write(session, event_id, values, position + offset)
        _audit(session, viewer, entry_id, action, values)
        if action == "create":
            report.created += 1
        else:
            report.updated += 1
    return report


def entry_titles(views: Sequence[EntryView], language: str) -> dict[int, str]:
    """Each entry's code and title in ``language``."""
    return {view.entry_id: f"{view.code} · {view.title(language)}" for view in views}

"""Expert panels for an event's entries (competition projects, applications, linked opportunities).

The pool is the event's participating experts (approved profiles); the entries are the event's
panel entries (:mod:`expertbridge.registry.panel_entries`).  Every expert of the pool is a candidate
for every entry, scored by the search's affinity between the entry's text and the profile (0 when
the search does not rank them) or by an uploaded scores file (``entry_id,expert_id,score``, ids as
the entries' codes and the experts' registry numbers or import ids).  An expert affiliated with the
entry's organization, or who declared a conflict with it, is never assigned.  The engine is
:func:`expertbridge.matching.assign.assign`; a random draw's seed is stored with the run and
audited, so the same inputs and seed reproduce it.  Hand edits: :mod:`expertbridge.registry.panel_edits`.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    Expert,
    ExpertAffiliation,
    ExpertSector,
    PanelRun,
)
from expertbridge.ingest.tables import protect_csv_cell, read_as_formula_in_xlsx
from expertbridge.matching.assign import (
    AssignmentProblem,
    AssignOptions,
    InfeasibleError,
    MalformedProblem,
    Mode,
    QuotaRule,
    Quotas,
    assign,
)
from expertbridge.matching.assign_problem import ScoreRow
from expertbridge.messages import Message
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.meeting_people import EventPerson, check_organizes, event_people
from expertbridge.registry.panel_entries import EntryView, entries
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.search.experts import experts_for_text
from expertbridge.search.index import ExpertIndex

SIDES = ("Moscow", "Beijing")
# How messages name the quota rules of the form (the engine's labels, side=Moscow, are for files).
SIDE_QUOTA_TITLES = {"Moscow": N_("“an expert from Moscow”"), "Beijing": N_("“an expert from Beijing”")}
SECTOR_QUOTA_TITLE = N_("“an expert in the entry's sector”")
SAME_ORGANIZATION = N_("same organization")
DECLARED_CONFLICT = N_("declared conflict")
EXPORT_COLUMNS = ("entry_id", "entry", "role", "rank", "expert_id", "expert", "side", "score")
MAX_SHOWN = 5


@dataclass(frozen=True)
class PanelParameters:
    """What an organizer asks for.  ``scores``: rows of an uploaded file; None ranks by the search."""

    entry_ids: tuple[int, ...]
    per_entry: int = 3
    min_load: int = 0
    max_load: int = 3
    one_from_each_side: bool = False
    in_entry_sector: bool = False
    mode: str = "optimal"
    seed: int | None = None
    max_probability: float = 1.0
    alternates: int = 2
    scores: tuple[ScoreRow, ...] | None = None
    scores_source: str = ""


def pool(session: Session, event_id: int) -> dict[int, EventPerson]:
    """The experts panels are chosen from: the event's participating experts, by expert id."""
    return {
        person.expert_id: person
        for person in event_people(session, event_id).values()
        if person.expert_id is not None
    }


def conflicts_of(
    session: Session, views: Mapping[int, EntryView], expert_ids: Sequence[int]
) -> dict[tuple[str, str], Message]:
    """Pairs (entry id, expert id) that must never be assigned, with why: the expert is affiliated
    with the entry's organization, or declared a conflict with the entry."""
    affiliations: dict[int, set[int]] = {}
    for expert_id, organization_id in session.execute(
        select(ExpertAffiliation.expert_id, ExpertAffiliation.organization_id).where(
            ExpertAffiliation.expert_id.in_(list(expert_ids))
        )
    ).tuples():
        affiliations.setdefault(expert_id, set()).add(organization_id)
    found: dict[tuple[str, str], Message] = {}
    for entry_id, view in views.items():
        for expert_id in expert_ids:
            if view.organization_id is not None and view.organization_id in affiliations.get(expert_id, ()):
                found[(str(entry_id), str(expert_id))] = Message(SAME_ORGANIZATION)
        for expert_id in view.conflicts:
            found.setdefault((str(entry_id), str(expert_id)), Message(DECLARED_CONFLICT))
    return found


def expert_sectors(session: Session, expert_ids: Sequence[int]) -> dict[int, list[str]]:
    """The sector codes of each expert."""
    sectors: dict[int, list[str]] = {}
    for expert_id, code in session.execute(
        select(ExpertSector.expert_id, ExpertSector.sector_code).where(
            ExpertSector.expert_id.in_(list(expert_ids))
        )
    ).tuples():
        sectors.setdefault(expert_id, []).append(code)
    return sectors


def _file_scores(
    session: Session,
    event_id: int,
    views: Mapping[int, EntryView],
    people: Mapping[int, EventPerson],
    parameters: PanelParameters,
) -> tuple[dict[tuple[str, str], float], int]:
    """An uploaded file's scores by (entry id, expert id), and how many rows named experts outside the pool.

    Entries are named by code (or id), experts by registry number or import id; rows of entries that
    were not chosen are skipped, an unknown entry is refused.
    """
    all_entries = entries(session, event_id)
    by_code = {view.code: view.entry_id for view in all_entries.values()}
    by_code.update({str(view.entry_id): view.entry_id for view in all_entries.values()})
    external: dict[str, int] = {
        external_id: expert_id
        for external_id, expert_id in session.execute(
            select(Expert.external_id, Expert.id).where(Expert.id.in_(list(people)))
        ).tuples()
        if external_id
    }
    scores: dict[tuple[str, str], float] = {}
    unknown: list[str] = []
    outside = 0
    for entry_ref, expert_ref, score in parameters.scores or ():
        entry_id = by_code.get(entry_ref)
        if entry_id is None:
            unknown.append(entry_ref)
            continue
        if entry_id not in views:
            continue
        expert_id = external.get(expert_ref) or (int(expert_ref) if expert_ref.isdigit() else None)
        if expert_id is None or expert_id not in people:
            outside += 1
            continue
        scores[(str(entry_id), str(expert_id))] = score
    if unknown:
        raise Refused(
            N_(
                "%(source)s: no entry of this event has the code %(codes)s; "
                "use the codes in the list of entries."
            ),
            422,
            source=parameters.scores_source or "scores",
            codes=", ".join(sorted(set(unknown))[:MAX_SHOWN]),
        )
    return scores, outside


def run_panels(
    session: Session, index: ExpertIndex, viewer: Viewer, event_id: int, parameters: PanelParameters
) -> PanelRun:
    """Assign experts of the event's pool to the entries and store the run (audited).

    Raises Refused naming the constraint that cannot be met, and (403) for anyone but the event's
    organizers (the coordinators of its side, admins), (404) for no such event.
    """
    check_organizes(session, viewer, event_id)
    if parameters.mode not in ("optimal", "fair", "random"):
        raise Refused(N_("Choose optimal, fair or random."))
    views = entries(session, event_id, parameters.entry_ids) if parameters.entry_ids else {}
    if not views:
        raise Refused(N_("Choose at least one entry."))
    people = pool(session, event_id)
    if not people:
        raise Refused(N_("The event has no participating experts to choose from."), 422)
    conflicts = conflicts_of(session, views, list(people))
    outside = 0
    if parameters.scores is not None:
        given, outside = _file_scores(session, event_id, views, people, parameters)
    else:
        given = {}
        for entry_id, view in views.items():
            page = experts_for_text(index, viewer, view.text, limit=max(200, len(people)))
            given.update(
                ((str(entry_id), str(expert_id)), float(score))
                for expert_id, score in page.scores.items()
                if expert_id in people
            )
    scores = [
        (str(entry_id), str(expert_id), given.get((str(entry_id), str(expert_id)), 0.0))
        for entry_id in views
        for expert_id in people
    ]
    sectors = expert_sectors(session, list(people))
    attributes = {
        str(expert_id): {
            "side": frozenset({person.city} if person.city else ()),
            "sector": frozenset(sectors.get(expert_id, ())),
        }
        for expert_id, person in people.items()
    }
    per_entry_rules = (
        {
            str(entry_id): (QuotaRule("sector", frozenset(view.sectors), title=Message(SECTOR_QUOTA_TITLE)),)
            for entry_id, view in views.items()
            if view.sectors
        }
        if parameters.in_entry_sector
        else {}
    )
    quotas = Quotas(
        default=tuple(
            QuotaRule("side", frozenset({side}), title=Message(SIDE_QUOTA_TITLES[side])) for side in SIDES
        )
        if parameters.one_from_each_side
        else (),
        per_entry=per_entry_rules,
    )
    seed = parameters.seed
    if parameters.mode == "random" and seed is None:
        seed = secrets.randbits(31)
    problem = AssignmentProblem(
        scores=scores,
        per_entry=parameters.per_entry,
        max_load=parameters.max_load,
        min_load=parameters.min_load,
        conflicts=set(conflicts),
        attributes=attributes,
        quotas=quotas,
    )
    options = AssignOptions(
        mode=Mode(parameters.mode),
        max_probability=parameters.max_probability if parameters.mode == "random" else 1.0,
        seed=seed if parameters.mode == "random" else None,
        alternates=parameters.alternates,
    )
    names = _names(views, people)
    try:
        result = assign(problem, options)
    except InfeasibleError as error:
        reasons = Message.join([named(message, *names) for message in error.messages[:10]])
        raise Refused(N_("No panel meets the constraints: %(reasons)s"), 422, reasons=reasons) from None
    except MalformedProblem as error:
        reasons = named(error.message, *names)
        raise Refused(N_("No panel meets the constraints: %(reasons)s"), 422, reasons=reasons) from None
    results: dict[str, Any] = {
        "assignments": [[a.entry, a.expert, a.score] for a in result.assignments],
        "alternates": [[a.entry, a.rank, a.expert, a.score] for a in result.alternates],
        "explanations": {
            # Stored as messages (ids, not names), so that each page says them in its reader's language.
            e.entry: {
                "total": e.total,
                "best": e.best_possible,
                "notes": [message.to_json() for message in e.messages],
            }
            for e in result.explanations
        },
        "conflicts": sorted([list(pair) for pair in conflicts]),
        "solver": result.solver,
        "optimal": result.optimal,
        "total": result.total,
        # What a hand edit needs to check and score a replacement without solving again.
        "scores": {
            entry: {
                expert: round(score, 4) for (e, expert), score in given.items() if e == entry and score > 0
            }
            for entry in map(str, views)
        },
        "sides": {str(expert_id): person.city or "" for expert_id, person in people.items()},
        "sectors": {str(expert_id): codes for expert_id, codes in sectors.items()},
        "entry_sectors": {str(entry_id): list(view.sectors) for entry_id, view in views.items()},
        "outside_pool_rows": outside,
    }
    if result.draw is not None:
        results["draw"] = {
            "seed": result.draw.seed,
            "effective_max_probability": result.draw.effective_max_probability,
            "expected_total": result.draw.expected_total,
        }
    stored_parameters = {
        "entry_ids": list(views),
        "per_entry": parameters.per_entry,
        "min_load": parameters.min_load,
        "max_load": parameters.max_load,
        "one_from_each_side": parameters.one_from_each_side,
        "in_entry_sector": parameters.in_entry_sector,
        "max_probability": parameters.max_probability,
        "alternates": parameters.alternates,
        "affinity": (parameters.scores_source or "file") if parameters.scores is not None else "ranking",
    }
    run = PanelRun(
        event_id=event_id,
        created_at=utcnow(),
        actor=viewer.actor,
        mode=parameters.mode,
        seed=seed if parameters.mode == "random" else None,
        parameters=json.dumps(stored_parameters),
        results=json.dumps(results, ensure_ascii=False),
    )
    session.add(run)
    session.flush()
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "create",
                "panel_run",
                run.id,
                {"event": event_id, "mode": parameters.mode, "seed": run.seed, **stored_parameters},
            )
        ],
    )
    return run


def _names(
    views: Mapping[int, EntryView], people: Mapping[int, EventPerson]
) -> tuple[dict[str, str], dict[str, str]]:
    """How messages name entries (by code) and experts (by name) instead of their ids."""
    return (
        {str(entry_id): view.code for entry_id, view in views.items()},
        {str(expert_id): person.name for expert_id, person in people.items()},
    )


def named(message: Message, entries: Mapping[str, str], experts: Mapping[str, str]) -> Message:
    """``message`` with entry ids replaced by codes and expert ids by names."""
    return message.renamed("entry", entries).renamed("expert", experts)


def run_notes(session: Session, run: PanelRun) -> dict[str, list[Message]]:
    """Each entry's explanation notes of a stored run, entries and experts named (runs stored before
    notes were messages keep their English text)."""
    results: dict[str, Any] = json.loads(run.results)
    explanations: dict[str, Any] = results.get("explanations", {})
    entry_ids = [int(entry) for entry in explanations if entry.isdigit()]
    views = entries(session, run.event_id, entry_ids) if run.event_id else {}
    people = pool(session, run.event_id) if run.event_id else {}
    codes, experts = _names(views, people)
    return {
        entry: [named(Message.from_json(note), codes, experts) for note in why.get("notes", [])]
        for entry, why in explanations.items()
    }


@dataclass(frozen=True)
class PanelLine:
    """One expert on (or next in line for) an entry's panel."""

    entry_id: str
    entry: str
    role: str  # "panel" or "alternate"
    rank: int
    expert_id: str
    expert: str
    side: str
    score: float


def panel_run(session: Session, event_id: int, run_id: int) -> PanelRun:
    """A stored run of the event; Refused (404) otherwise."""
    run = session.get(PanelRun, run_id)
    if run is None or run.event_id != event_id:
        raise Refused(N_("There is no such panel run."), 404)
    return run


def panel_lines(session: Session, run: PanelRun, titles: dict[int, str]) -> list[PanelLine]:
    """The run's panels and alternates, entry by entry, with names."""
    results: dict[str, Any] = json.loads(run.results)
    people = (
        {str(expert_id): p for expert_id, p in pool(session, run.event_id).items()} if run.event_id else {}
    )
    lines: list[PanelLine] = []
    rank: dict[str, int] = {}

    def line(entry: str, role: str, number: int, expert: str, score: float) -> PanelLine:
        person = people.get(expert)
        return PanelLine(
            entry,
            titles.get(int(entry), entry),
            role,
            number,
            expert,
            person.name if person else expert,
            (person.city or "") if person else "",
            round(float(score), 4),
        )

    for entry, expert, score in results["assignments"]:
        rank[entry] = rank.get(entry, 0) + 1
        lines.append(line(entry, "panel", rank[entry], expert, score))
    for entry, number, expert, score in results["alternates"]:
        lines.append(line(entry, "alternate", number, expert, score))
    order = {entry: position for position, entry in enumerate(dict.fromkeys(item.entry_id for item in lines))}
    return sorted(lines, key=lambda item: (order[item.entry_id], item.role != "panel", item.rank))


def lines_csv(lines: list[PanelLine]) -> str:
    """The panels as CSV (``EXPORT_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for item in lines:
        values = [getattr(item, column) for column in EXPORT_COLUMNS]
        # Names and titles are people's text: none may run as a formula in a spreadsheet.
        writer.writerow([protect_csv_cell(value) if isinstance(value, str) else value for value in values])
    return buffer.getvalue()


def lines_xlsx(lines: list[PanelLine]) -> bytes:
    """The panels as an XLSX workbook, one row per expert (``EXPORT_COLUMNS``)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "panels"
    sheet.append(list(EXPORT_COLUMNS))
    for item in lines:
        sheet.append([getattr(item, column) for column in EXPORT_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if read_as_formula_in_xlsx(cell.value):
                cell.data_type = "s"  # text, not a formula (openpyxl reads "=…" as one)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

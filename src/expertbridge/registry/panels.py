"""Expert panels for an event's entries (opportunities, competition projects), stored and reproducible.

The pool is the event's participating experts (approved profiles).  Every expert of the pool is a
candidate for every entry, scored by the search's affinity between the entry's text and the profile
(0 when the search does not rank them); an expert affiliated with the entry's organization is a
conflict of interest and never assigned.  The engine is :func:`expertbridge.matching.assign.assign`;
a random draw's seed is stored with the run and audited, so the same inputs and seed reproduce it.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import ExpertAffiliation, Opportunity, PanelRun
from expertbridge.matching.assign import (
    AssignmentProblem,
    AssignOptions,
    InfeasibleError,
    Mode,
    QuotaRule,
    Quotas,
    assign,
)
from expertbridge.registry.activities import read_opportunities
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.meetings import event_people, is_organizer
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer
from expertbridge.search.experts import experts_for_text, opportunity_text
from expertbridge.search.index import ExpertIndex

SIDES = ("Moscow", "Beijing")
EXPORT_COLUMNS = ("entry_id", "entry", "role", "rank", "expert_id", "expert", "side", "score")


@dataclass(frozen=True)
class PanelParameters:
    """What an organizer asks for."""

    opportunity_ids: tuple[int, ...]
    per_entry: int = 3
    min_load: int = 0
    max_load: int = 3
    one_from_each_side: bool = False
    mode: str = "optimal"
    seed: int | None = None
    max_probability: float = 1.0
    alternates: int = 2


def run_panels(
    session: Session, index: ExpertIndex, viewer: Viewer, event_id: int, parameters: PanelParameters
) -> PanelRun:
    """Assign experts of the event's pool to the entries and store the run (audited).

    Raises Refused naming the constraint that cannot be met.
    """
    if not is_organizer(viewer):
        raise Refused(N_("Only organizers may do this."), 403)
    if parameters.mode not in ("optimal", "fair", "random"):
        raise Refused(N_("Choose optimal, fair or random."))
    if not parameters.opportunity_ids:
        raise Refused(N_("Choose at least one entry."))
    people = {person.expert_id: person for person in event_people(session, event_id).values()}
    entries = read_opportunities(session, list(parameters.opportunity_ids))
    if not people or not entries:
        raise Refused(N_("The event has no participating experts to choose from."), 422)
    owners = {
        opportunity_id: organization_id
        for opportunity_id, organization_id in session.execute(
            select(Opportunity.id, Opportunity.organization_id).where(Opportunity.id.in_(list(entries)))
        ).tuples()
    }
    affiliations: dict[int, set[int]] = {}
    for expert_id, organization_id in session.execute(
        select(ExpertAffiliation.expert_id, ExpertAffiliation.organization_id).where(
            ExpertAffiliation.expert_id.in_(list(people))
        )
    ).tuples():
        affiliations.setdefault(expert_id, set()).add(organization_id)
    scores: list[tuple[str, str, float]] = []
    conflicts: set[tuple[str, str]] = set()
    for opportunity_id, record in entries.items():
        page = experts_for_text(index, viewer, opportunity_text(record), limit=max(200, len(people)))
        for expert_id in people:
            entry, expert = str(opportunity_id), str(expert_id)
            if owners.get(opportunity_id) is not None and owners[opportunity_id] in affiliations.get(
                expert_id, ()
            ):
                conflicts.add((entry, expert))
            scores.append((entry, expert, float(page.scores.get(expert_id, 0.0))))
    attributes = {
        str(expert_id): {"side": frozenset({person.city})}
        for expert_id, person in people.items()
        if person.city
    }
    quotas = (
        Quotas(default=tuple(QuotaRule("side", frozenset({side})) for side in SIDES))
        if parameters.one_from_each_side
        else Quotas()
    )
    seed = parameters.seed
    if parameters.mode == "random" and seed is None:
        seed = secrets.randbits(31)
    problem = AssignmentProblem(
        scores=scores,
        per_entry=parameters.per_entry,
        max_load=parameters.max_load,
        min_load=parameters.min_load,
        conflicts=conflicts,
        attributes=attributes,
        quotas=quotas,
    )
    options = AssignOptions(
        mode=Mode(parameters.mode),
        max_probability=parameters.max_probability if parameters.mode == "random" else 1.0,
        seed=seed if parameters.mode == "random" else None,
        alternates=parameters.alternates,
    )
    try:
        result = assign(problem, options)
    except InfeasibleError as error:
        raise Refused(
            N_("No panel meets the constraints: %(reasons)s"), 422, reasons="; ".join(error.reasons[:10])
        ) from None
    except ValueError as error:
        raise Refused(N_("No panel meets the constraints: %(reasons)s"), 422, reasons=str(error)) from None
    results = {
        "assignments": [[a.entry, a.expert, a.score] for a in result.assignments],
        "alternates": [[a.entry, a.rank, a.expert, a.score] for a in result.alternates],
        "explanations": {
            e.entry: {"total": e.total, "best": e.best_possible, "notes": list(e.notes)}
            for e in result.explanations
        },
        "conflicts": sorted([list(pair) for pair in conflicts]),
        "solver": result.solver,
        "optimal": result.optimal,
        "total": result.total,
    }
    if result.draw is not None:
        results["draw"] = {
            "seed": result.draw.seed,
            "effective_max_probability": result.draw.effective_max_probability,
            "expected_total": result.draw.expected_total,
        }
    stored_parameters = {
        "opportunity_ids": list(parameters.opportunity_ids),
        "per_entry": parameters.per_entry,
        "min_load": parameters.min_load,
        "max_load": parameters.max_load,
        "one_from_each_side": parameters.one_from_each_side,
        "max_probability": parameters.max_probability,
        "alternates": parameters.alternates,
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
        {str(p.expert_id): p for p in event_people(session, run.event_id).values()} if run.event_id else {}
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
        writer.writerow([getattr(item, column) for column in EXPORT_COLUMNS])
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

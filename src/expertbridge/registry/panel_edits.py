"""Hand edits of a stored panel run: an organizer replaces one expert on one entry's panel.

The replacement is checked against the run's own rules (its loads and quotas) and against conflicts of
interest as they stand now (the entry's organization, declared conflicts) and when the run was made;
a violated rule is refused with 409 and named, and nothing changes.  An accepted edit updates the
run's results (so pages and exports show it), is kept in ``panel_run_edits`` and audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import PanelRun, PanelRunEdit
from expertbridge.matching.assign import QuotaRule
from expertbridge.messages import Message
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.meeting_people import check_organizes
from expertbridge.registry.panel_entries import entries
from expertbridge.registry.panels import SIDES, conflicts_of, expert_sectors, panel_run, pool
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer


@dataclass(frozen=True)
class EditView:
    """One hand edit, for the run's page."""

    entry: str
    removed_expert: str
    added_expert: str
    actor: str
    at: Any
    note: str


def edits(session: Session, run_id: int) -> list[EditView]:
    """The run's hand edits, oldest first."""
    return [
        EditView(row.entry, row.removed_expert, row.added_expert, row.actor, row.at, row.note)
        for row in session.scalars(
            select(PanelRunEdit).where(PanelRunEdit.run_id == run_id).order_by(PanelRunEdit.id)
        )
    ]


def replace_expert(
    session: Session,
    viewer: Viewer,
    event_id: int,
    run_id: int,
    entry: str,
    removed: str,
    added: str,
    *,
    note: str = "",
) -> PanelRun:
    """Put expert ``added`` on ``entry``'s panel in place of ``removed`` (ids as stored in the run);
    for the event's organizers only (the coordinators of its side, admins)."""
    check_organizes(session, viewer, event_id)
    run = panel_run(session, event_id, run_id)
    parameters: dict[str, Any] = json.loads(run.parameters)
    results: dict[str, Any] = json.loads(run.results)
    if "entry_ids" not in parameters:
        raise Refused(
            N_("Runs made before panel entries existed cannot be edited; run the panel again."), 409
        )
    assignments: list[list[Any]] = results["assignments"]
    panel = [expert for item_entry, expert, _ in assignments if item_entry == entry]
    if not panel:
        raise Refused(N_("The run has no entry %(entry)s."), 404, entry=entry)
    if removed not in panel:
        raise Refused(N_("Expert %(expert)s is not on this entry's panel."), 409, expert=removed)
    if added in panel:
        raise Refused(N_("Expert %(expert)s is already on this entry's panel."), 409, expert=added)
    people = pool(session, event_id)
    if not added.isdigit() or int(added) not in people:
        raise Refused(
            N_("Expert %(expert)s does not take part in the event; only participants sit on panels."),
            409,
            expert=added,
        )
    views = entries(session, event_id, [int(entry)])
    now = conflicts_of(session, views, [int(added)])
    then = {tuple(pair) for pair in results.get("conflicts", [])}
    why = now.get((entry, added)) or (
        Message(N_("conflict recorded with the run")) if (entry, added) in then else None
    )
    if why is not None:
        raise Refused(
            N_("Conflict of interest: expert %(expert)s cannot judge entry %(entry)s (%(why)s)."),
            409,
            expert=added,
            entry=entry,
            why=why,
        )
    loads: dict[str, int] = {}
    for _, expert, _ in assignments:
        loads[expert] = loads.get(expert, 0) + 1
    if loads.get(added, 0) + 1 > int(parameters["max_load"]):
        raise Refused(
            N_("Maximum load: expert %(expert)s already judges %(count)s entries, the most this run allows."),
            409,
            expert=added,
            count=loads.get(added, 0),
        )
    if loads[removed] - 1 < int(parameters.get("min_load", 0)):
        raise Refused(
            N_("Minimum load: expert %(expert)s would judge fewer than %(count)s entries."),
            409,
            expert=removed,
            count=parameters["min_load"],
        )
    _check_quotas(session, results, parameters, entry, [e for e in panel if e != removed] + [added], people)
    score = float(results.get("scores", {}).get(entry, {}).get(added, 0.0))
    for item in assignments:
        if item[0] == entry and item[1] == removed:
            item[1], item[2] = added, score
    results["alternates"] = [
        item for item in results["alternates"] if not (item[0] == entry and item[2] == added)
    ]
    explanation = results["explanations"].get(entry)
    if explanation is not None:
        explanation["total"] = sum(float(s) for e, _, s in assignments if e == entry)
    results["total"] = sum(float(s) for _, _, s in assignments)
    results["edited"] = True
    run.results = json.dumps(results, ensure_ascii=False)
    session.add(
        PanelRunEdit(
            run_id=run.id,
            entry=entry,
            removed_expert=removed,
            added_expert=added,
            actor=viewer.actor,
            at=utcnow(),
            note=note.strip()[:2000],
        )
    )
    write_changes(
        session,
        viewer.actor,
        [
            Change(
                "update",
                "panel_run",
                run.id,
                {"entry": entry, "expert": [removed, added], "note": note[:200]},
            )
        ],
    )
    return run


def _check_quotas(
    session: Session,
    results: dict[str, Any],
    parameters: dict[str, Any],
    entry: str,
    panel: list[str],
    people: dict[int, Any],
) -> None:
    """Refuse when the new panel breaks a quota the run was made with."""
    if parameters.get("one_from_each_side"):
        sides = {(people[int(expert)].city or "") for expert in panel if int(expert) in people}
        # One sentence per side: the city's name takes a different case in each language.
        missing = {
            "Moscow": N_("Quota: the panel of entry %(entry)s would have no expert from Moscow."),
            "Beijing": N_("Quota: the panel of entry %(entry)s would have no expert from Beijing."),
        }
        for side in SIDES:
            if side not in sides:
                raise Refused(missing[side], 409, entry=entry)
    wanted = results.get("entry_sectors", {}).get(entry, [])
    if parameters.get("in_entry_sector") and wanted:
        rule = QuotaRule("sector", frozenset(wanted))
        sectors = expert_sectors(session, [int(expert) for expert in panel])
        if not any(rule.matches(sectors.get(int(expert), ())) for expert in panel):
            raise Refused(
                N_("Quota: the panel of entry %(entry)s would have no expert in the entry's sector."),
                409,
                entry=entry,
            )

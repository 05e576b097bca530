"""Finding stored panel runs again: an event's runs, and the runs that judged an opportunity.

Who may see a run is decided where the runs are shown (:func:`expertbridge.registry.meeting_people.
is_organizer`: organizers see every event's panels); these lists apply the same rule, so a visitor
who could not open a run never sees it listed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import EventPanelEntry, PanelRun, PanelRunEdit, User
from expertbridge.registry.meeting_people import is_organizer
from expertbridge.registry.visibility import Viewer

MAX_LISTED = 200


@dataclass(frozen=True)
class RunSummary:
    """One stored run, as a list shows it: when, who, how, for how many entries."""

    run_id: int
    event_id: int
    created_at: dt.datetime
    actor: str  # the account's display name, else the audit's ``user:ID`` (never an e-mail)
    mode: str
    seed: int | None
    entries: int
    edits: int


def event_runs(session: Session, viewer: Viewer, event_id: int) -> list[RunSummary]:
    """The event's runs, newest first (none for a viewer who may not open them)."""
    if not is_organizer(viewer):
        return []
    return _summaries(
        session,
        session.scalars(
            select(PanelRun)
            .where(PanelRun.event_id == event_id)
            .order_by(PanelRun.id.desc())
            .limit(MAX_LISTED)
        ),
    )


def opportunity_runs(session: Session, viewer: Viewer, opportunity_id: int) -> list[RunSummary]:
    """Runs of any event that judged the opportunity (as a linked entry), newest first."""
    if not is_organizer(viewer):
        return []
    linked = session.execute(
        select(EventPanelEntry.id, EventPanelEntry.event_id).where(
            EventPanelEntry.opportunity_id == opportunity_id
        )
    ).tuples()
    entries_by_event: dict[int, set[int]] = {}
    for entry_id, event_id in linked:
        entries_by_event.setdefault(event_id, set()).add(entry_id)
    if not entries_by_event:
        return []
    runs = session.scalars(
        select(PanelRun).where(PanelRun.event_id.in_(list(entries_by_event))).order_by(PanelRun.id.desc())
    )
    judged = [
        run
        for run in runs
        if run.event_id is not None
        and entries_by_event[run.event_id] & set(_entry_ids(json.loads(run.parameters)))
    ]
    return _summaries(session, judged[:MAX_LISTED])


def summary(session: Session, run: PanelRun) -> RunSummary:
    """One run's summary (for its own page)."""
    return _summaries(session, [run])[0]


def _entry_ids(parameters: dict[str, Any]) -> list[int]:
    return [int(entry) for entry in parameters.get("entry_ids", parameters.get("opportunity_ids", []))]


def _summaries(session: Session, runs: Any) -> list[RunSummary]:
    runs = list(runs)
    edits: dict[int, int] = {}
    for run_id in session.scalars(
        select(PanelRunEdit.run_id).where(PanelRunEdit.run_id.in_([run.id for run in runs]))
    ):
        edits[run_id] = edits.get(run_id, 0) + 1
    user_ids = [
        int(run.actor[5:]) for run in runs if run.actor.startswith("user:") and run.actor[5:].isdigit()
    ]
    names = {
        f"user:{user_id}": name
        for user_id, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids))
        ).tuples()
        if name
    }
    return [
        RunSummary(
            run.id,
            run.event_id or 0,
            run.created_at,
            names.get(run.actor, run.actor),
            run.mode,
            run.seed,
            len(_entry_ids(json.loads(run.parameters))),
            edits.get(run.id, 0),
        )
        for run in runs
    ]

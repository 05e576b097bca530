"""Saving an event's meeting set-up only after a confirmation when it would take placed meetings out
of the schedule.

A set-up keeps the placements of the slots and interpreters whose codes stay
(registry/meeting_setup.py); a removed slot takes its meetings with it, a slot with fewer tables
drops the meetings at the tables that are gone, and a removed interpreter drops the meetings that
need one.  Organizers learn which meetings before anything changes, as the event's form asks
before an edit deletes participants' meeting data (a 409 and a confirmation field).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from expertbridge.registry.meeting_people import check_organizes
from expertbridge.registry.meeting_setup import save_setup
from expertbridge.registry.meetings import current_schedule
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer


class SetupDropsMeetings(Refused):
    """The set-up would drop placed meetings (``meeting_ids``, the requests' ids); nothing was saved."""

    def __init__(self, meeting_ids: list[str]) -> None:
        super().__init__(
            N_(
                "The set-up was not saved: it would take %(count)s placed meetings out of the schedule "
                "(%(meetings)s). Confirm to save it anyway."
            ),
            409,
            count=len(meeting_ids),
            meetings=", ".join(f"#{meeting_id}" for meeting_id in meeting_ids),
        )
        self.meeting_ids = tuple(meeting_ids)


def _placed(session: Session, event_id: int) -> list[str]:
    stored = current_schedule(session, event_id)
    return [placement.meeting_id for placement in stored[0].placements] if stored else []


def save_setup_confirmed(
    session: Session,
    viewer: Viewer,
    event_id: int,
    slots_lines: str,
    interpreter_lines: str,
    *,
    confirmed: Collection[str] = (),
) -> None:
    """Replace the event's slots and interpreters as :func:`save_setup` does, for the event's
    organizers only; when that would take placed meetings out of the schedule, only if every one
    of them is in ``confirmed`` (request ids as text).

    Raises :class:`SetupDropsMeetings` (409) naming them otherwise, ProblemsRefused for a set-up
    with problems; nothing is changed then.
    """
    # Before anything is read: save_setup checks again, but only after the placements would have
    # been counted, and a 409 naming them would tell someone who may not see them.
    check_organizes(session, viewer, event_id)
    before = _placed(session, event_id)
    if not before:
        save_setup(session, viewer, event_id, slots_lines, interpreter_lines)
        return
    # Saved in a savepoint and measured with the rules the schedule applies (current_schedule),
    # so what is announced is exactly what the saved set-up would drop.
    savepoint = session.begin_nested()
    try:
        save_setup(session, viewer, event_id, slots_lines, interpreter_lines)
        kept = set(_placed(session, event_id))
    except BaseException:
        savepoint.rollback()
        raise
    dropped = [meeting_id for meeting_id in before if meeting_id not in kept]
    if dropped and not set(dropped) <= set(confirmed):
        savepoint.rollback()
        raise SetupDropsMeetings(dropped)
    savepoint.commit()

"""The life of a profile: submission, vetting by a coordinator of its side, re-confirmation, freezing.

draft → pending (the expert, or a coordinator for them, submits) → approved or rejected (with a
reason) by a coordinator of the expert's side; approved profiles are re-confirmed every 12 months
and frozen (hidden from search and matching) when not confirmed for 24, until confirmed.  Every
change of status is audited with before and after, and queued for the search index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import Expert, ExpertName, User
from expertbridge.registry.audit import Change, write_changes
from expertbridge.registry.outbox import enqueue
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import Viewer, may_edit_expert, may_vet

REMIND_AFTER = dt.timedelta(days=365)
FREEZE_AFTER = dt.timedelta(days=730)
SUBMITTABLE = ("draft", "rejected")
MAX_REASON = 2000


def _expert(session: Session, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    return expert


def set_status(session: Session, expert: Expert, status: str, *, actor: str, note: str | None = None) -> None:
    """Change an expert's status (audited, reindexed); ``note`` is shown to the expert."""
    before = expert.status
    expert.status = status
    expert.status_note = note
    details: dict[str, object] = {"status": [before, status]}
    if note:
        details["reason"] = note
    write_changes(session, actor, [Change("status", "expert", expert.id, details)])
    session.flush()
    enqueue(session, "expert", [expert.id])


def submit(session: Session, viewer: Viewer, expert_id: int) -> None:
    """Send a draft (or a rejected profile, corrected) to the coordinators of its side."""
    from expertbridge.registry.consent import has_consent

    expert = _expert(session, expert_id)
    if not may_edit_expert(viewer, expert_id, expert.city):
        raise Refused(N_("You may not change this profile."), 403)
    if expert.status not in SUBMITTABLE:
        raise Refused(N_("Only a draft or a rejected profile can be submitted."), 409)
    if session.scalar(select(ExpertName.id).where(ExpertName.expert_id == expert_id).limit(1)) is None:
        raise Refused(N_("Give your name in at least one language before you submit."))
    if not expert.city:
        raise Refused(N_("Give your city: the coordinators of your side vet the profile."))
    account = session.scalar(select(User.id).where(User.expert_id == expert_id))
    if account is not None and not has_consent(session, expert_id):
        raise Refused(N_("Accept the consent to processing of personal data before you submit."))
    set_status(session, expert, "pending", actor=viewer.actor)


def approve(session: Session, viewer: Viewer, expert_id: int, now: dt.datetime) -> None:
    """Approve a pending profile (a coordinator of its side, or an admin)."""
    expert = _expert(session, expert_id)
    if not may_vet(viewer, expert.city):
        raise Refused(N_("Only a coordinator of this expert's side decides on the profile."), 403)
    if expert.status != "pending":
        raise Refused(N_("This profile is not waiting for a decision."), 409)
    expert.last_confirmed_at = now
    expert.reminded_at = None
    set_status(session, expert, "approved", actor=viewer.actor)


def reject(session: Session, viewer: Viewer, expert_id: int, reason: str) -> None:
    """Reject a pending profile with a reason the expert will read."""
    expert = _expert(session, expert_id)
    if not may_vet(viewer, expert.city):
        raise Refused(N_("Only a coordinator of this expert's side decides on the profile."), 403)
    if expert.status != "pending":
        raise Refused(N_("This profile is not waiting for a decision."), 409)
    reason = reason.strip()
    if not reason:
        raise Refused(N_("Say why the profile is rejected: the expert reads the reason."))
    if len(reason) > MAX_REASON:
        raise Refused(N_("The reason is too long (at most %(count)s characters)."), count=MAX_REASON)
    set_status(session, expert, "rejected", actor=viewer.actor, note=reason)


def confirm(session: Session, viewer: Viewer, expert_id: int, now: dt.datetime) -> None:
    """The expert (or their coordinator) confirms the profile is current; a frozen one thaws."""
    expert = _expert(session, expert_id)
    if not may_edit_expert(viewer, expert_id, expert.city):
        raise Refused(N_("You may not change this profile."), 403)
    expert.last_confirmed_at = now
    expert.reminded_at = None
    if expert.status == "frozen":
        set_status(session, expert, "approved", actor=viewer.actor)
    else:
        write_changes(session, viewer.actor, [Change("update", "expert", expert_id, {"confirmed": True})])


def queue(session: Session, viewer: Viewer, limit: int = 200) -> list[int]:
    """Profiles waiting for the viewer's decision, oldest first: their side's, or all for an admin."""
    if viewer.role not in ("admin", "coordinator"):
        raise Refused(N_("Only coordinators vet profiles."), 403)
    query = select(Expert.id).where(Expert.status == "pending").order_by(Expert.updated_at, Expert.id)
    if viewer.role != "admin":
        query = query.where(Expert.city == viewer.city)
    return list(session.scalars(query.limit(limit)))


@dataclass
class MaintenanceReport:
    """What a maintenance run did."""

    reminded: list[int] = field(default_factory=list)
    not_reachable: int = 0
    frozen: list[int] = field(default_factory=list)
    forgotten: dict[str, int] = field(default_factory=dict)
    closed_opportunities: list[int] = field(default_factory=list)


def maintenance(session: Session, now: dt.datetime, notify: Callable[[str, int], None]) -> MaintenanceReport:
    """Ask experts to re-confirm profiles a year old, freeze those two years old, close the open
    opportunities whose deadline has passed (idempotent).

    ``notify(email, expert_id)`` sends a reminder; each expert is reminded once per confirmation.
    Experts without an account cannot be reached and are counted (their coordinators confirm).
    ``now`` is UTC: its day is the day deadlines are compared with (see
    :func:`~expertbridge.registry.activities.deadline_today`).
    """
    from expertbridge.registry.accounts import forget_stale
    from expertbridge.registry.activities import close_expired_opportunities

    report = MaintenanceReport()
    confirmed = Expert.last_confirmed_at
    stale = select(Expert).where(
        Expert.status == "approved", or_(confirmed.is_(None), confirmed <= now - FREEZE_AFTER)
    )
    for expert in session.scalars(stale.order_by(Expert.id)).all():
        if expert.last_confirmed_at is None and expert.created_at > now - FREEZE_AFTER:
            continue
        set_status(session, expert, "frozen", actor="maintenance")
        report.frozen.append(expert.id)
    due = (
        select(Expert.id, User.email)
        .outerjoin(User, (User.expert_id == Expert.id) & User.is_active.is_(True))
        .where(
            Expert.status == "approved",
            confirmed <= now - REMIND_AFTER,
            Expert.reminded_at.is_(None),
        )
        .order_by(Expert.id)
    )
    for expert_id, email in session.execute(due).all():
        if email is None:
            report.not_reachable += 1
            continue
        notify(email, expert_id)
        report.reminded.append(expert_id)
    if report.reminded:
        session.execute(update(Expert).where(Expert.id.in_(report.reminded)).values(reminded_at=now))
        write_changes(
            session,
            "maintenance",
            [Change("update", "expert", expert_id, {"reminded": True}) for expert_id in report.reminded],
        )
    report.forgotten = forget_stale(session, now)
    report.closed_opportunities = close_expired_opportunities(session, now.date(), actor="maintenance")
    return report

"""Per-field visibility in the database, the audit of contact views, and an expert's own data.

The rule itself (who sees which level) is :mod:`expertbridge.registry.visibility`; this module
stores the levels experts choose and reads them in batches for every channel, the search index
included (:func:`field_visibility`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import (
    AuditEntry,
    Consent,
    EventParticipant,
    Expert,
    ExpertContact,
    ExpertFieldVisibility,
    User,
)
from expertbridge.registry.audit import Change, diff, write_changes
from expertbridge.registry.experts import read_experts
from expertbridge.registry.outbox import enqueue
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.records import ExpertRecord, audited_fields
from expertbridge.registry.visibility import (
    FIELD_DEFAULT,
    LEVELS,
    PROFILE_FIELDS,
    Viewer,
    contact_levels,
    field_levels,
    side_levels,
    visible_levels,
)


def field_visibility(session: Session, expert_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Every profile field's level for each of ``expert_ids``: expert id → field → level.

    One query per thousand ids; fields the expert never changed have the default (public).
    """
    found: dict[int, dict[str, str]] = {
        expert_id: dict.fromkeys(PROFILE_FIELDS, FIELD_DEFAULT) for expert_id in expert_ids
    }
    ids = list(found)
    for start in range(0, len(ids), 1000):
        query = select(
            ExpertFieldVisibility.expert_id, ExpertFieldVisibility.field, ExpertFieldVisibility.level
        ).where(ExpertFieldVisibility.expert_id.in_(ids[start : start + 1000]))
        for expert_id, name, level in session.execute(query):
            if name in PROFILE_FIELDS:
                found[expert_id][name] = level
    return found


def hiding(viewer: Viewer, field: str) -> Select[tuple[int]] | None:
    """The ids of the experts who hide ``field`` from ``viewer`` (None when nobody does).

    SQL lists and counts that reveal a field (experts at an organization, counts by city) leave
    these experts out, so that a count never tells what a profile does not show.
    """
    allowed = visible_levels(viewer)
    if len(allowed) == len(LEVELS):
        return None
    hidden = select(ExpertFieldVisibility.expert_id).where(
        ExpertFieldVisibility.field == field, ExpertFieldVisibility.level.not_in(allowed)
    )
    if (side := side_levels(viewer)) is not None:
        # A coordinator sees every field of their own side's experts.
        own_side = select(Expert.id).where(Expert.city == side[0])
        hidden = hidden.where(ExpertFieldVisibility.expert_id.not_in(own_side))
    return hidden


def set_visibility(
    session: Session,
    expert_id: int,
    fields: Mapping[str, str],
    contacts: Sequence[str] = (),
    *,
    actor: str,
) -> bool:
    """Store the levels of profile fields (field → level) and of the contact items (by position).

    Audited with before and after, and queued for the search index.  Returns whether anything
    changed; raises Refused for an unknown field or level.
    """
    for name, level in fields.items():
        if name not in PROFILE_FIELDS or level not in LEVELS:
            raise Refused(N_("Unknown visibility %(value)s."), value=f"{name}={level}")
    for level in contacts:
        if level not in LEVELS:
            raise Refused(N_("Unknown visibility %(value)s."), value=level)
    record = read_experts(session, [expert_id]).get(expert_id)
    if record is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    before_fields = field_levels(record)
    after_fields = {**before_fields, **fields}
    before_contacts = contact_levels(record)
    after_contacts = tuple(
        contacts[i] if i < len(contacts) else level for i, level in enumerate(before_contacts)
    )
    changes: dict[str, list[Any]] = {}
    if after_fields != before_fields:
        session.execute(delete(ExpertFieldVisibility).where(ExpertFieldVisibility.expert_id == expert_id))
        rows = [
            ExpertFieldVisibility(expert_id=expert_id, field=name, level=level)
            for name, level in after_fields.items()
            if level != FIELD_DEFAULT
        ]
        session.add_all(rows)
        changes.update(
            {f"visibility.{name}": values for name, values in diff(before_fields, after_fields).items()}
        )
    if after_contacts != before_contacts:
        ids = list(
            session.scalars(
                select(ExpertContact.id)
                .where(ExpertContact.expert_id == expert_id)
                .order_by(ExpertContact.position, ExpertContact.id)
            )
        )
        for contact_id, level in zip(ids, after_contacts, strict=False):
            session.execute(
                update(ExpertContact).where(ExpertContact.id == contact_id).values(visibility=level)
            )
        for (kind, _value), old, new in zip(record.contacts, before_contacts, after_contacts, strict=True):
            if old != new:
                changes.setdefault(f"visibility.contact.{kind}", [old, new])
    if not changes:
        return False
    session.flush()
    write_changes(session, actor, [Change("update", "expert", expert_id, changes)])
    enqueue(session, "expert", [expert_id])
    return True


def record_contact_views(session: Session, viewer: Viewer, shown: Mapping[int, ExpertRecord]) -> int:
    """Audit that ``viewer`` was shown the contact data of these records (as the viewer sees them).

    The expert looking at their own profile is not recorded.  Returns how many entries were written.
    """
    changes = [
        Change("view", "expert", expert_id, {"contacts": len(record.contacts)})
        for expert_id, record in shown.items()
        if record.contacts and viewer.expert_id != expert_id
    ]
    if changes:
        write_changes(session, viewer.actor, changes)
    return len(changes)


def _stamp(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def personal_data(session: Session, user_id: int) -> dict[str, Any]:
    """Everything the registry holds about the person with account ``user_id`` (their download)."""
    user = session.get(User, user_id)
    if user is None:
        raise Refused(N_("There is no such account."), 404)
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "role": user.role,
            "display_name": user.display_name,
            "city": user.city,
            "organization_id": user.organization_id,
            "created_at": _stamp(user.created_at),
            "last_login_at": _stamp(user.last_login_at),
        }
    }
    mentions = [("user", user_id)]
    if user.expert_id is not None:
        expert_id = user.expert_id
        record = read_experts(session, [expert_id]).get(expert_id)
        expert = session.get(Expert, expert_id)
        if record is not None and expert is not None:
            data["profile"] = {
                "id": expert_id,
                **audited_fields(record),
                "names": [
                    {"text": n.text, "script": n.script, "language": n.language, "generated": n.generated}
                    for n in record.names
                ],
                "visibility": field_levels(record),
                "contact_visibility": [
                    {"kind": kind, "value": value, "visibility": level}
                    for (kind, value), level in zip(record.contacts, contact_levels(record), strict=True)
                ],
                "status_note": expert.status_note,
                "created_at": _stamp(expert.created_at),
                "updated_at": _stamp(expert.updated_at),
                "last_confirmed_at": _stamp(expert.last_confirmed_at),
            }
            data["consents"] = [
                {
                    "version": consent.version,
                    "scope": consent.scope,
                    "accepted_at": _stamp(consent.accepted_at),
                    "withdrawn_at": _stamp(consent.withdrawn_at),
                }
                for consent in session.scalars(select(Consent).where(Consent.expert_id == expert_id))
            ]
            data["events"] = sorted(
                {
                    event_id
                    for event_id in session.scalars(
                        select(EventParticipant.event_id).where(EventParticipant.expert_id == expert_id)
                    )
                }
            )
            mentions.append(("expert", expert_id))
    entries = []
    for entity_type, entity_id in mentions:
        for entry in session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        ):
            entries.append(
                {
                    "at": _stamp(entry.at),
                    "actor": entry.actor,
                    "action": entry.action,
                    "entity": f"{entry.entity_type}:{entry.entity_id}",
                    "changes": json.loads(entry.changes) if entry.changes else None,
                }
            )
    data["history"] = entries
    return data

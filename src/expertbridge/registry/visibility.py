"""Who may see what: the one place every channel (pages, API, exports, search) asks.

Roles and per-field choices arrive with accounts; until then there are two viewers: the public,
who sees approved experts without contact data, and the operator at the command line, who is
trusted with everything (imports and exports are operator actions).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from expertbridge.registry.records import ExpertRecord, OpportunityRecord

PUBLIC_STATUSES = ("approved",)


@dataclass(frozen=True)
class Viewer:
    """Someone looking at the registry."""

    role: str = "public"

    @property
    def is_operator(self) -> bool:
        """Whether this viewer is trusted with every record and field."""
        return self.role == "operator"


PUBLIC = Viewer("public")
OPERATOR = Viewer("operator")


def visible_statuses(viewer: Viewer) -> tuple[str, ...] | None:
    """Expert statuses the viewer may see; None means all."""
    return None if viewer.is_operator else PUBLIC_STATUSES


def may_see_expert(viewer: Viewer, status: str) -> bool:
    """Whether the viewer may see an expert with ``status`` at all."""
    statuses = visible_statuses(viewer)
    return statuses is None or status in statuses


def expert_for(viewer: Viewer, record: ExpertRecord) -> ExpertRecord:
    """The record with the fields the viewer may not see removed."""
    if viewer.is_operator:
        return record
    return replace(record, contacts=())


PUBLIC_OPPORTUNITY_STATUSES = ("open", "closed", "archived")


def visible_opportunity_statuses(viewer: Viewer) -> tuple[str, ...] | None:
    """Opportunity statuses the viewer may see (drafts are their owner's); None means all."""
    return None if viewer.is_operator else PUBLIC_OPPORTUNITY_STATUSES


def opportunity_for(viewer: Viewer, record: OpportunityRecord) -> OpportunityRecord:
    """The opportunity as the viewer may see it: an anonymous one hides who posted it."""
    if record.anonymous and not viewer.is_operator:
        return replace(record, organization=None)
    return record

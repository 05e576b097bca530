"""Who may see what: the one place every channel (pages, API, exports, search) asks.

A :class:`Viewer` is someone looking: the public, a signed-in person with a role (admin,
coordinator of one side, expert, partner), or the operator at the command line.  Two rules decide
what they see of an expert:

- *which experts*: everyone sees approved profiles; an expert also sees their own; a coordinator
  also sees the profiles of their side that wait for vetting or were set aside (pending, rejected,
  frozen, suspended, archived); admins and the operator see every profile.
- *which fields*: each profile field and each contact item has a level, ``public`` < ``partners`` <
  ``coordinators`` < ``private``.  A viewer sees the fields at or below their clearance (public and
  experts: public; partners: partners; coordinators: coordinators; admins and the operator:
  everything); the expert always sees their whole profile, and so do the coordinators of the
  expert's own side, who vet and edit it and need the contact data to do so (every view of
  contact data is audited).  ``coordinators`` opens a field to the coordinators of every side,
  ``private`` keeps it from everyone else.  Defaults are safe: contact items are private, the other
  fields public.  Names are always shown with the profile: a registry entry is
  a named person (an expert who wants to be unlisted withdraws consent).

>>> from expertbridge.registry.records import ExpertRecord, NameRecord
>>> record = ExpertRecord(names=(NameRecord("Анна", "Cyrl", "ru"),), city="Moscow",
...                       contacts=(("email", "a@example.org"),), contact_levels=("partners",))
>>> expert_for(PUBLIC, record).contacts
()
>>> expert_for(Viewer("partner"), record).contacts
(('email', 'a@example.org'),)
>>> expert_for(Viewer("coordinator", city="Moscow"), replace(record, contact_levels=())).contacts
(('email', 'a@example.org'),)
>>> expert_for(Viewer("coordinator", city="Beijing"), replace(record, contact_levels=())).contacts
()
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from expertbridge.registry.records import ExpertRecord, OpportunityRecord

LEVELS = ("public", "partners", "coordinators", "private")
# The profile fields an expert chooses a level for, and the record attributes each one covers.
PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "organization": ("organization", "position_title"),
    "location": ("city", "country"),
    "sectors": ("sectors",),
    "expertise": ("expertise",),
    "languages": ("languages",),
    "bios": ("bios",),
    "identifiers": ("identifiers",),
}
FIELD_DEFAULT = "public"
CONTACT_DEFAULT = "private"

ACCOUNT_ROLES = ("admin", "coordinator", "expert", "partner")
# How far each kind of viewer sees (an index into LEVELS).
CLEARANCE = {"public": 0, "expert": 0, "partner": 1, "coordinator": 2, "admin": 3, "operator": 3}

PUBLIC_STATUSES = ("approved",)
# What a coordinator of the expert's side also sees: profiles waiting for a decision or set aside.
SIDE_STATUSES = ("pending", "rejected", "frozen", "suspended", "archived")


@dataclass(frozen=True)
class Viewer:
    """Someone looking at the registry.

    ``city`` is a coordinator's side (a canonical city), ``organization_id`` a partner's
    organization, ``expert_id`` the profile of a signed-in expert.
    """

    role: str = "public"
    user_id: int | None = None
    city: str | None = None
    organization_id: int | None = None
    expert_id: int | None = None

    @property
    def is_operator(self) -> bool:
        """Whether this viewer is trusted with every record and field (the operator, an admin)."""
        return self.role in ("operator", "admin")

    @property
    def actor(self) -> str:
        """How the audit log names this viewer: ``user:ID`` (never an e-mail), or the role."""
        return f"user:{self.user_id}" if self.user_id is not None else self.role

    @property
    def clearance(self) -> str:
        """The highest field level this viewer sees on other people's profiles."""
        return LEVELS[CLEARANCE.get(self.role, 0)]

    # Templates ask the signed-in account's viewer (they call methods, they import nothing); the
    # rules are the functions of the same names below.
    def may_edit_organization(self, city: str | None, organization_id: int | None) -> bool:
        """See :func:`may_edit_organization`."""
        return may_edit_organization(self, city, organization_id)

    def may_create_organization(self) -> bool:
        """See :func:`may_create_organization`."""
        return may_create_organization(self)


PUBLIC = Viewer("public")
OPERATOR = Viewer("operator")


def visible_levels(viewer: Viewer, expert_id: int | None = None, city: str | None = None) -> tuple[str, ...]:
    """The field levels ``viewer`` sees on the profile of ``expert_id`` in ``city``: all of them on
    their own profile and on the profiles of the side they coordinate.

    >>> visible_levels(Viewer("partner"))
    ('public', 'partners')
    >>> visible_levels(Viewer("expert", expert_id=7), 7)
    ('public', 'partners', 'coordinators', 'private')
    >>> visible_levels(Viewer("coordinator", city="Moscow"), city="Moscow")[-1]
    'private'
    """
    if expert_id is not None and viewer.expert_id == expert_id:
        return LEVELS
    if same_side(viewer, city):
        return LEVELS
    return LEVELS[: CLEARANCE.get(viewer.role, 0) + 1]


def side_levels(viewer: Viewer) -> tuple[str, tuple[str, ...]] | None:
    """For a coordinator: their side and the levels they see on its experts beyond their clearance
    (what search must match only on the experts of that side); None for everyone else.

    >>> side_levels(Viewer("coordinator", city="Beijing"))
    ('Beijing', ('private',))
    >>> side_levels(Viewer("partner")) is None
    True
    """
    if viewer.role != "coordinator" or viewer.city is None:
        return None
    beyond = LEVELS[len(visible_levels(viewer)) :]
    return (viewer.city, beyond) if beyond else None


def field_levels(record: ExpertRecord) -> dict[str, str]:
    """The level of every profile field of ``record`` (defaults filled in)."""
    levels = dict.fromkeys(PROFILE_FIELDS, FIELD_DEFAULT)
    levels.update((name, level) for name, level in record.visibility if name in levels)
    return levels


def contact_levels(record: ExpertRecord) -> tuple[str, ...]:
    """The level of each contact item of ``record`` (private unless the expert opened it)."""
    given = record.contact_levels
    return tuple(given[i] if i < len(given) else CONTACT_DEFAULT for i in range(len(record.contacts)))


def visible_statuses(viewer: Viewer) -> tuple[str, ...] | None:
    """Expert statuses searches and lists show the viewer; None means all.

    Search, lists and matching show approved profiles to everyone but admins and the operator;
    the other profiles a viewer may open (their own, their side's queue) are reached by id.
    """
    return None if viewer.is_operator else PUBLIC_STATUSES


def same_side(viewer: Viewer, city: str | None) -> bool:
    """Whether an expert in ``city`` belongs to the side the viewer coordinates."""
    return viewer.role == "coordinator" and viewer.city is not None and city == viewer.city


def may_see_expert(
    viewer: Viewer, status: str, *, city: str | None = None, expert_id: int | None = None
) -> bool:
    """Whether the viewer may open an expert with ``status`` (in ``city``, with ``expert_id``)."""
    if viewer.is_operator or status in PUBLIC_STATUSES:
        return True
    if expert_id is not None and viewer.expert_id == expert_id:
        return True
    return status in SIDE_STATUSES and same_side(viewer, city)


def may_vet(viewer: Viewer, city: str | None) -> bool:
    """Whether the viewer approves and rejects experts in ``city`` (its coordinators, admins)."""
    return viewer.role == "admin" or same_side(viewer, city)


def may_edit_expert(viewer: Viewer, expert_id: int, city: str | None) -> bool:
    """Whether the viewer may change the profile: its expert, their side's coordinators, admins."""
    return viewer.is_operator or viewer.expert_id == expert_id or same_side(viewer, city)


def may_see_field(viewer: Viewer, record: ExpertRecord, name: str) -> bool:
    """Whether ``viewer`` sees the profile field ``name`` (a key of :data:`PROFILE_FIELDS`) of
    ``record``: the rule :func:`expert_for` applies to every field.

    >>> from expertbridge.registry.records import ExpertRecord
    >>> record = ExpertRecord(names=(), city="Moscow", visibility=(("languages", "partners"),))
    >>> may_see_field(PUBLIC, record, "languages"), may_see_field(Viewer("partner"), record, "languages")
    (False, True)
    """
    if viewer.is_operator or (record.expert_id is not None and viewer.expert_id == record.expert_id):
        return True
    return field_levels(record)[name] in visible_levels(viewer, record.expert_id, record.city)


def languages_seen(viewer: Viewer, record: ExpertRecord) -> tuple[tuple[str, str | None], ...] | None:
    """The languages (code, level) ``viewer`` sees the expert speak, or None when the field is
    hidden from them: a hidden list is not an empty one, and says nothing about whether the
    expert shares a working language with anyone."""
    return record.languages if may_see_field(viewer, record, "languages") else None


# Why the languages a viewer sees of an expert cannot say whether an interpreter is needed.
LANGUAGES_HIDDEN = "hidden"  # the field is hidden from the viewer
LANGUAGES_NOT_GIVEN = "not_given"  # the expert lists no language at all


def languages_unknown(viewer: Viewer, record: ExpertRecord) -> str | None:
    """Why ``viewer`` cannot tell from the expert's languages whether they need an interpreter:
    :data:`LANGUAGES_HIDDEN` when the field is hidden from them, :data:`LANGUAGES_NOT_GIVEN` when
    the expert lists none (no language is not "no shared language"); None when the languages they
    see (:func:`languages_seen`) say it.  Pages and the API judge the need only after this.

    >>> from expertbridge.registry.records import ExpertRecord
    >>> silent = ExpertRecord(names=(), city="Moscow")
    >>> hidden = ExpertRecord(names=(), city="Moscow", visibility=(("languages", "partners"),))
    >>> languages_unknown(PUBLIC, silent), languages_unknown(PUBLIC, hidden)
    ('not_given', 'hidden')
    >>> languages_unknown(PUBLIC, ExpertRecord(names=(), city="Moscow", languages=(("ru", None),)))
    """
    spoken = languages_seen(viewer, record)
    if spoken is None:
        return LANGUAGES_HIDDEN
    return None if spoken else LANGUAGES_NOT_GIVEN


def expert_for(viewer: Viewer, record: ExpertRecord) -> ExpertRecord:
    """The record with the fields the viewer may not see removed."""
    if viewer.is_operator or (record.expert_id is not None and viewer.expert_id == record.expert_id):
        return record
    allowed = set(visible_levels(viewer, record.expert_id, record.city))
    hidden: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        if not may_see_field(viewer, record, name):
            for attribute in PROFILE_FIELDS[name]:
                hidden[attribute] = () if isinstance(getattr(record, attribute), tuple) else None
    shown = [
        (contact, level)
        for contact, level in zip(record.contacts, contact_levels(record), strict=True)
        if level in allowed
    ]
    return replace(
        record,
        **hidden,
        contacts=tuple(contact for contact, _ in shown),
        contact_levels=tuple(level for _, level in shown),
    )


def check_level(level: str) -> str:
    """``level`` when it is one of LEVELS; raises ValueError otherwise."""
    if level not in LEVELS:
        raise ValueError(f"unknown visibility {level!r}; use one of {', '.join(LEVELS)}")
    return level


def non_default_levels(levels: Mapping[str, str]) -> dict[str, str]:
    """The field levels that differ from the default (what the database stores)."""
    return {name: level for name, level in levels.items() if level != FIELD_DEFAULT}


PUBLIC_ORGANIZATION_STATUSES = ("approved",)


def visible_organization_statuses(viewer: Viewer) -> tuple[str, ...] | None:
    """Organization statuses everyone may see (None: all, for admins and the operator).

    Beyond these, a coordinator sees the organizations of their side (to vet them) and a partner
    their own organization (see :func:`may_see_organization`).
    """
    return None if viewer.is_operator else PUBLIC_ORGANIZATION_STATUSES


def may_see_organization(viewer: Viewer, status: str, *, city: str | None, organization_id: int) -> bool:
    """Whether the viewer may open an organization with ``status`` in ``city``.

    >>> may_see_organization(PUBLIC, "pending", city="Moscow", organization_id=3)
    False
    >>> partner = Viewer("partner", organization_id=3)
    >>> may_see_organization(partner, "pending", city="Moscow", organization_id=3)
    True
    """
    statuses = visible_organization_statuses(viewer)
    if statuses is None or status in statuses:
        return True
    if viewer.role == "partner" and viewer.organization_id == organization_id:
        return True
    return same_side(viewer, city)


PUBLIC_OPPORTUNITY_STATUSES = ("open", "closed", "archived")


def visible_opportunity_statuses(viewer: Viewer) -> tuple[str, ...] | None:
    """Opportunity statuses the viewer may see (drafts are their owner's); None means all."""
    return None if viewer.is_operator else PUBLIC_OPPORTUNITY_STATUSES


def opportunity_side(city: str | None, organization_city: str | None) -> str | None:
    """The side an opportunity belongs to: the city it names, or its organization's when it names
    none (None: no side, only admins and the operator change it).

    >>> opportunity_side(None, "Moscow"), opportunity_side("Beijing", "Moscow")
    ('Moscow', 'Beijing')
    """
    return city or organization_city


def may_edit_opportunity(viewer: Viewer, organization_id: int | None, side: str | None) -> bool:
    """Whether the viewer may post or change an opportunity of ``organization_id`` on ``side`` (see
    :func:`opportunity_side`): a partner for their own organization, a coordinator on their side
    only (as for experts and organizations), admins and the operator anywhere.  The organization's
    vetting is checked where it is posted (registry/organization_vetting.py).

    >>> moscow = Viewer("coordinator", city="Moscow")
    >>> may_edit_opportunity(moscow, 3, "Moscow"), may_edit_opportunity(moscow, 3, "Beijing")
    (True, False)
    >>> may_edit_opportunity(Viewer("partner", organization_id=3), 3, "Beijing")
    True
    """
    return _side_or_own_organization(viewer, side, organization_id)


def may_know_anonymous_poster(viewer: Viewer) -> bool:
    """Whether the viewer may know who posted an anonymous opportunity (and find it by the
    poster's name): coordinators, admins and the operator.

    >>> may_know_anonymous_poster(Viewer("coordinator", city="Moscow")), may_know_anonymous_poster(PUBLIC)
    (True, False)
    """
    return viewer.is_operator or viewer.role == "coordinator"


def opportunity_for(viewer: Viewer, record: OpportunityRecord) -> OpportunityRecord:
    """The opportunity as the viewer may see it: an anonymous one hides who posted it."""
    if record.anonymous and not may_know_anonymous_poster(viewer):
        return replace(record, organization=None)
    return record


def may_edit_event(viewer: Viewer, side: str | None) -> bool:
    """Whether the viewer may create or change an event on ``side`` (its city): a coordinator on
    their side only (as for opportunities), admins and the operator anywhere.  An event with no
    city belongs to no side: only admins and the operator change it.

    >>> moscow = Viewer("coordinator", city="Moscow")
    >>> may_edit_event(moscow, "Moscow"), may_edit_event(moscow, "Beijing"), may_edit_event(moscow, None)
    (True, False, False)
    >>> may_edit_event(Viewer("admin"), None), may_edit_event(Viewer("partner", organization_id=3), "Moscow")
    (True, False)
    """
    if viewer.is_operator:
        return True
    return viewer.role == "coordinator" and same_side(viewer, side)


def may_create_event(viewer: Viewer) -> bool:
    """Whether the viewer may create events at all (on their own side, for a coordinator).

    >>> may_create_event(Viewer("coordinator", city="Beijing")), may_create_event(Viewer("expert"))
    (True, False)
    """
    return may_edit_event(viewer, viewer.city if viewer.role == "coordinator" else None)


def may_organize_event(viewer: Viewer, side: str | None) -> bool:
    """Whether the viewer may change what an event on ``side`` (its city) organizes: its 1:1
    meetings (set-up, requests made or decided for participants, scheduling, hand moves, the
    organizations taking part), its panel entries and its panel runs.  The event's organizers do:
    the coordinators of its side and admins (the operator too), the rule of :func:`may_edit_event`,
    since organizing an event is changing it.  A coordinator of the other side reads these pages
    (both sides meet there) but changes nothing; a participant acts for themselves only (decided
    by registry/meetings.py).

    >>> moscow, beijing = Viewer("coordinator", city="Moscow"), Viewer("coordinator", city="Beijing")
    >>> may_organize_event(moscow, "Moscow"), may_organize_event(beijing, "Moscow")
    (True, False)
    >>> may_organize_event(Viewer("admin"), "Moscow"), may_organize_event(moscow, None)
    (True, False)
    >>> may_organize_event(Viewer("expert", expert_id=7), "Moscow")
    False
    """
    return may_edit_event(viewer, side)


def may_edit_organization(viewer: Viewer, city: str | None, organization_id: int | None) -> bool:
    """Whether the viewer may change the organization ``organization_id`` in ``city`` (its side),
    or create one there when ``organization_id`` is None.

    Admins and the operator any; a coordinator those of their side, as they vet them (see
    :func:`may_vet`); a partner account its own organization, and no new one.  Experts and the
    public none.  An organization with no city belongs to no side: only admins, the operator and its
    partners change it.  Nobody changes the vetting status this way: that is the vetting's
    (registry/organization_vetting.py).  Whether the viewer may see the organization at all is
    :func:`may_see_organization`'s question, asked first (404 rather than 403).

    >>> moscow = Viewer("coordinator", city="Moscow")
    >>> may_edit_organization(moscow, "Moscow", 3), may_edit_organization(moscow, "Beijing", 3)
    (True, False)
    >>> may_edit_organization(moscow, None, 3), may_edit_organization(Viewer("admin"), None, 3)
    (False, True)
    >>> partner = Viewer("partner", organization_id=3)
    >>> may_edit_organization(partner, "Beijing", 3), may_edit_organization(partner, "Beijing", 4)
    (True, False)
    >>> may_edit_organization(partner, "Beijing", None), may_edit_organization(moscow, "Moscow", None)
    (False, True)
    >>> expert = Viewer("expert", expert_id=7)
    >>> may_edit_organization(expert, "Moscow", 3), may_edit_organization(PUBLIC, None, 3)
    (False, False)
    """
    return _side_or_own_organization(viewer, city, organization_id)


def _side_or_own_organization(viewer: Viewer, side: str | None, organization_id: int | None) -> bool:
    # Who changes what an organization owns on a side: the operator and admins anywhere, the
    # side's coordinators, and a partner account for its own organization.
    if viewer.is_operator:
        return True
    if viewer.role == "coordinator":
        return same_side(viewer, side)
    return (
        viewer.role == "partner" and organization_id is not None and viewer.organization_id == organization_id
    )


def may_create_organization(viewer: Viewer) -> bool:
    """Whether the viewer may add organizations to the registry: admins and the operator anywhere,
    coordinators on their own side.  A partner acts for the one organization it has and creates
    none (the organizations people name on the web wait for vetting instead).

    >>> beijing, partner = Viewer("coordinator", city="Beijing"), Viewer("partner", organization_id=3)
    >>> may_create_organization(beijing), may_create_organization(Viewer("admin"))
    (True, True)
    >>> may_create_organization(partner), may_create_organization(Viewer("expert"))
    (False, False)
    """
    return may_edit_organization(viewer, viewer.city if viewer.role == "coordinator" else None, None)


def may_import_experts(viewer: Viewer) -> bool:
    """Whether the viewer may import a file of experts: admins and the operator any rows, a
    coordinator the experts of their own side (the importer's ``side`` rule enforces which rows).

    >>> may_import_experts(Viewer("coordinator", city="Moscow")), may_import_experts(Viewer("partner"))
    (True, False)
    """
    return viewer.is_operator or (viewer.role == "coordinator" and bool(viewer.city))


def may_export_experts(viewer: Viewer) -> bool:
    """Whether the viewer may download the experts a list shows, with what they may see of each:
    admins, the operator and coordinators (bulk personal data is theirs to handle, audited).

    >>> may_export_experts(Viewer("coordinator", city="Beijing")), may_export_experts(Viewer("expert"))
    (True, False)
    """
    return viewer.is_operator or viewer.role == "coordinator"

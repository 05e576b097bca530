"""What an edit of a profile by someone who does not vet it (the expert themself) may change, and
what it sets in motion.

A coordinator approves a person: their names, their organization and where they work.  When the
expert changes any of these on an approved profile, the approval no longer covers what is shown,
so the profile goes back to the coordinators of its side (pending, hidden until approved again), as
a renewed consent sends a withdrawn profile back (registry/consent.py).  Keywords, biographies,
languages, identifiers, contacts and who sees what are the expert's to keep up to date without
vetting.  Coordinators of the side and admins vet what they change themselves: their edits change
no status.

The city decides the side (registry/visibility.py ``same_side``): an expert may give a city to a
profile that has none, but not move their profile to another city, which would take it away from
the coordinators who vet it; a coordinator of the side or an admin moves it.

>>> moscow = Identity(frozenset({("ru", "Анна Петрова")}), 104, "Moscow", "RU")
>>> identity_changes(moscow, Identity(moscow.names, 7, "Beijing", "CN"))
('organization', 'city', 'country')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import Expert, ExpertKeyword
from expertbridge.registry.audit import Change, write_changes
from expertbridge.registry.experts import affiliations_in, read_experts
from expertbridge.registry.places import country_of_city
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.vetting import set_status
from expertbridge.registry.visibility import Viewer, may_vet

# What a coordinator vets of a person, in the order the audit log and the page name them.
IDENTITY_FIELDS = ("names", "organization", "city", "country")
# The statuses an identity change sends back to vetting: what is shown, or was shown until frozen.
VETTED_STATUSES = ("approved", "frozen")
STAYS_ON_SIDE = N_(
    "Your profile belongs to the side of %(city)s, whose coordinators vet it: you cannot move it to "
    "another city yourself. Ask a coordinator of %(city)s to change your city."
)


@dataclass(frozen=True)
class Identity:
    """What a coordinator approves of a person: the names they gave (language, text; generated
    transliterations left out), their organization, city and country."""

    names: frozenset[tuple[str | None, str]]
    organization_id: int | None
    city: str | None
    country: str | None


def identity_of(session: Session, expert_id: int) -> Identity:
    """The stored identity of an expert (who must exist)."""
    record = read_experts(session, [expert_id])[expert_id]
    organization = affiliations_in(session, [expert_id], "en").get(expert_id)
    return Identity(
        names=frozenset((name.language, name.text) for name in record.names if not name.generated),
        organization_id=organization[0] if organization else None,
        city=record.city,
        # The reader derives a missing country from a known city: that is no change of the person.
        country=record.country or (country_of_city(record.city) if record.city else None),
    )


def identity_changes(before: Identity, after: Identity) -> tuple[str, ...]:
    """The identity fields that differ, in IDENTITY_FIELDS order."""
    values = {
        "names": (before.names, after.names),
        "organization": (before.organization_id, after.organization_id),
        "city": (before.city, after.city),
        "country": (before.country, after.country),
    }
    return tuple(name for name in IDENTITY_FIELDS if values[name][0] != values[name][1])


def vets_changes(viewer: Viewer, city: str | None) -> bool:
    """Whether the viewer's own edits of a profile in ``city`` need no vetting: they vet its side
    (its coordinators, admins).

    >>> moscow, expert = Viewer("coordinator", city="Moscow"), Viewer("expert", expert_id=3)
    >>> vets_changes(moscow, "Moscow"), vets_changes(expert, "Moscow"), vets_changes(moscow, "Beijing")
    (True, False, False)
    """
    return may_vet(viewer, city)


def edits_need_vetting(viewer: Viewer, status: str, city: str | None) -> bool:
    """Whether the viewer's change of names, organization, city or country would send a profile
    with ``status`` in ``city`` back to vetting (what the form tells them before they save)."""
    return status in VETTED_STATUSES and not vets_changes(viewer, city)


def may_move(viewer: Viewer, city: str | None) -> bool:
    """Whether the viewer may give the profile of an expert in ``city`` another city: always when
    it has none yet, else only those who vet its side (who then no longer do, unless admins)."""
    return city is None or vets_changes(viewer, city)


def check_side_kept(viewer: Viewer, current_city: str | None, new_city: str | None) -> None:
    """Refused (403) when the viewer may not move a profile from ``current_city`` to ``new_city``
    (canonical cities; None: no city, which leaves the side as well)."""
    if new_city != current_city and not may_move(viewer, current_city):
        raise Refused(STAYS_ON_SIDE, 403, city=current_city or "")


def back_to_vetting(
    session: Session, viewer: Viewer, expert_id: int, before: Identity, status: str
) -> tuple[str, ...]:
    """After the viewer's edit: send a vetted profile whose identity changed back to its
    coordinators (pending, audited with the fields that changed).  ``before`` and ``status`` are
    the identity and status stored before the edit.  Returns the identity fields that changed when
    the profile went back to vetting, else ().
    """
    if not edits_need_vetting(viewer, status, before.city):
        return ()
    changed = identity_changes(before, identity_of(session, expert_id))
    expert = session.get(Expert, expert_id)
    if not changed or expert is None or expert.status not in VETTED_STATUSES:
        return ()
    set_status(session, expert, "pending", actor=viewer.actor)
    write_changes(
        session,
        viewer.actor,
        [Change("update", "expert", expert_id, {"vetting_again": {"changed": list(changed)}})],
    )
    return changed


def keep_keyword_languages(session: Session, expert_id: int, languages: Mapping[str, str]) -> None:
    """Store each keyword in the language the expert filed it under (keyword text → ru, zh or en),
    rather than the one its script suggests: "CBTC" typed among the Russian keywords stays there.
    The search index reads keywords without their language; pages group and order by it."""
    stored = session.execute(
        select(ExpertKeyword.id, ExpertKeyword.text, ExpertKeyword.language).where(
            ExpertKeyword.expert_id == expert_id
        )
    )
    for keyword_id, text, language in stored.all():
        chosen = languages.get(text)
        if chosen is not None and chosen != language:
            keyword = update(ExpertKeyword).where(ExpertKeyword.id == keyword_id)
            session.execute(keyword.values(language=chosen))

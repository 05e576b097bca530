"""An expert's profile as the "my profile" form shows and sends it.

The form's cells are the import columns, so a profile typed in the browser is validated exactly like
a spreadsheet row (:mod:`expertbridge.ingest.changes`), plus the visibility of each field and each
contact item.  Names are shown per script: the names the expert gave, and in the scripts they gave
none, the generated transliteration, which they may correct (a corrected form is kept as given;
an untouched one stays generated and follows the name it comes from).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from expertbridge.ingest import changes
from expertbridge.ingest.experts import contact_value, expert_row
from expertbridge.registry.experts import read_experts
from expertbridge.registry.places import canonical_city
from expertbridge.registry.privacy import set_visibility
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.records import ExpertRecord
from expertbridge.registry.vetting import confirm
from expertbridge.registry.visibility import (
    LEVELS,
    PROFILE_FIELDS,
    Viewer,
    contact_levels,
    field_levels,
    may_edit_expert,
)
from expertbridge.registry.vocab import CONTACT_KINDS

NAME_LANGUAGES = ("ru", "zh", "en")
TEXT_COLUMNS = (
    "organization",
    "position_title",
    "city",
    "country",
    "languages",
    "orcid",
    "scopus",
    "elibrary_spin",
    "researcher_id",
    "bio_ru",
    "bio_zh",
    "bio_en",
)
# Empty rows the form offers for new contact items.
NEW_CONTACT_ROWS = 2


@dataclass(frozen=True)
class ContactRow:
    """One contact item of the form."""

    kind: str
    value: str
    level: str


@dataclass
class ProfileForm:
    """The values of the form: cells by column, names per script, visibility choices."""

    cells: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    generated: dict[str, str] = field(default_factory=dict)
    expertise: dict[str, str] = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)


def form_of(record: ExpertRecord) -> ProfileForm:
    """The form filled with a stored profile."""
    row = expert_row(record, "")
    form = ProfileForm(cells={column: row.get(column, "") for column in TEXT_COLUMNS})
    for name in record.names:
        if name.language in NAME_LANGUAGES:
            if name.generated:
                form.generated.setdefault(name.language, name.text)
            elif name.language not in form.names:
                form.names[name.language] = name.text
    for language in NAME_LANGUAGES:
        form.names.setdefault(language, form.generated.get(language, ""))
    grouped: dict[str, list[str]] = {language: [] for language in NAME_LANGUAGES}
    for text, written_in in record.expertise:
        grouped[written_in if written_in in grouped else "en"].append(text)
    form.expertise = {language: "\n".join(items) for language, items in grouped.items()}
    form.sectors = list(record.sectors)
    form.contacts = [
        ContactRow(kind, value, level)
        for (kind, value), level in zip(record.contacts, contact_levels(record), strict=True)
    ]
    form.levels = field_levels(record)
    return form


def read_form(data: Mapping[str, str], sectors: list[str]) -> ProfileForm:
    """The form as the browser sent it (``data``: field → text; ``sectors``: the chosen codes)."""
    form = ProfileForm(cells={column: data.get(column, "").strip() for column in TEXT_COLUMNS})
    for language in NAME_LANGUAGES:
        form.names[language] = " ".join(data.get(f"name_{language}", "").split())
        form.generated[language] = " ".join(data.get(f"generated_{language}", "").split())
        form.expertise[language] = data.get(f"expertise_{language}", "")
    form.sectors = [code for code in sectors if code]
    index = 0
    while f"contact_kind_{index}" in data and index < 50:
        kind = data.get(f"contact_kind_{index}", "")
        value = " ".join(data.get(f"contact_value_{index}", "").split())
        level = data.get(f"contact_level_{index}", "private")
        if value:
            form.contacts.append(ContactRow(kind, value, level))
        index += 1
    form.levels = {name: data.get(f"visibility_{name}", "public") for name in PROFILE_FIELDS}
    return form


def _columns(form: ProfileForm) -> dict[str, str]:
    """The import columns the form describes."""
    values = dict(form.cells)
    for language in NAME_LANGUAGES:
        given = form.names.get(language, "")
        # An untouched generated transliteration is not a name the expert gave.
        values[f"name_{language}"] = "" if given and given == form.generated.get(language) else given
    keywords = [
        line.strip()
        for language in NAME_LANGUAGES
        for line in form.expertise.get(language, "").replace(";", "\n").splitlines()
        if line.strip()
    ]
    values["expertise"] = ";".join(keywords)
    values["sectors"] = ";".join(form.sectors)
    by_kind: dict[str, list[str]] = {kind: [] for kind in CONTACT_KINDS}
    for contact in form.contacts:
        if contact.kind not in by_kind:
            raise Refused(N_("Unknown kind of contact %(value)s."), value=contact.kind)
        by_kind[contact.kind].append(contact.value)
    values["email"] = ";".join(by_kind["email"])
    values["phone"] = ";".join(by_kind["phone"])
    values["messenger"] = ";".join(by_kind["messenger"])
    return values


def save_profile(
    session: Session, viewer: Viewer, expert_id: int, form: ProfileForm, now: dt.datetime
) -> None:
    """Validate and store the profile and its visibility; saving also confirms the profile.

    Raises :class:`changes.ChangeRejected` with the problems of the cells, Refused when the viewer
    may not edit it or a choice is unknown.  Nothing is written unless everything is valid.
    """
    current = read_experts(session, [expert_id]).get(expert_id)
    if current is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    if not may_edit_expert(viewer, expert_id, current.city):
        raise Refused(N_("You may not change this profile."), 403)
    _check_levels(form)
    changes.update(session, "experts", expert_id, _columns(form), actor=viewer.actor, trusted=False)
    _store_levels(session, viewer, expert_id, form)
    confirm(session, viewer, expert_id, now)


def _check_levels(form: ProfileForm) -> None:
    for level in [*form.levels.values(), *(contact.level for contact in form.contacts)]:
        if level not in LEVELS:
            raise Refused(N_("Unknown visibility %(value)s."), value=level)


def _store_levels(session: Session, viewer: Viewer, expert_id: int, form: ProfileForm) -> None:
    saved = read_experts(session, [expert_id])[expert_id]
    # Keyed as the import stores the items: an address typed in full-width characters keeps its level.
    chosen = {
        (contact.kind, contact_value(contact.kind, contact.value)): contact.level for contact in form.contacts
    }
    levels = [chosen.get(contact, "private") for contact in saved.contacts]
    set_visibility(session, expert_id, form.levels, levels, actor=viewer.actor)


def create_profile(session: Session, viewer: Viewer, form: ProfileForm) -> int:
    """A coordinator submits a profile on an expert's behalf: it belongs to the coordinator's side
    and waits (pending) for a coordinator of that side to approve it.  Returns the new expert's id.

    An admin creates profiles of any side (the city decides which).  Raises ChangeRejected with
    the problems of the cells, Refused when the viewer may not or the city is another side's.
    """
    if viewer.role not in ("coordinator", "admin"):
        raise Refused(N_("Only coordinators create profiles on behalf of experts."), 403)
    _check_levels(form)
    values = _columns(form)
    city = canonical_city(values["city"]) if values["city"].strip() else None
    if viewer.role == "coordinator":
        if city is not None and city != viewer.city:
            raise Refused(
                N_(
                    "You create profiles of your own side (%(city)s); "
                    "the coordinators of %(other)s create theirs."
                ),
                403,
                city=viewer.city or "",
                other=city,
            )
        values["city"] = viewer.city or ""
    elif city is None:
        raise Refused(N_("Give the expert's city: the coordinators of that side vet the profile."))
    values["status"] = "pending"
    expert_id = changes.create(session, "experts", values, actor=viewer.actor, trusted=False)
    _store_levels(session, viewer, expert_id, form)
    return expert_id

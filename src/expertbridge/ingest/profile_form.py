"""An expert's profile as the "my profile" form shows and sends it.

The form's cells are the import columns, so a profile typed in the browser is validated exactly like
a spreadsheet row (:mod:`expertbridge.ingest.changes`), plus the visibility of each field and each
contact item.  Names are shown per script: the names the expert gave, and in the scripts they gave
none, the generated transliteration, which they may correct (a corrected form is kept as given;
an untouched one stays generated and follows the name it comes from).

The form shows stored values in the page's language (the city, the country, the organization's
name) and sends them back as the registry stores them.  It names an organization of the registry,
kept by its number while its name is left as shown; a name typed anew is looked up, and one the
registry does not know creates an organization (pending, vetted by the coordinators of its side)
only once the person confirms that none of those found is theirs.  Keywords stay in the box they
were typed in.  What an expert's own edit may change, and what sends their profile back to vetting,
is :mod:`expertbridge.registry.profile_edits`'s rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from expertbridge.ingest import changes
from expertbridge.ingest.cells import RowCells, split_list
from expertbridge.ingest.event_form import LABEL_SEPARATOR
from expertbridge.ingest.experts import contact_value, expert_row
from expertbridge.ingest.report import Issue
from expertbridge.registry.catalog import organization_visible
from expertbridge.registry.experts import read_experts
from expertbridge.registry.organizations import OrganizationDirectory, findable_reference, primary_names
from expertbridge.registry.places import canonical_city, city_label, country_label
from expertbridge.registry.privacy import set_visibility
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.profile_edits import (
    back_to_vetting,
    check_side_kept,
    identity_of,
    keep_keyword_languages,
)
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
from expertbridge.text.normalize import script_of

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
# The choice, among the organizations found for a name, that none of them is the one meant.
NEW_ORGANIZATION = "new"
UNKNOWN_ORGANIZATION = N_(
    "no organization of the registry has this name; choose yours among those found below, or confirm "
    "that it is a new organization (coordinators vet it)"
)


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
    # The organization of the registry the form names by its number (the stored one, or one picked
    # among those found), and the name the form shows for it: while the organization field still
    # says that name, the form means that organization, whatever its name in other languages.
    organization_id: int | None = None
    organization_label: str = ""
    # The person confirmed that the organization typed is none of the registry's.
    organization_new: bool = False


class OrganizationNotFound(changes.ChangeRejected):
    """The form names an organization the registry does not know, and the person has not confirmed
    it is a new one: the page offers those with similar names (``name`` as typed).  ``issues`` are
    the other problems of the form first, then this one."""

    def __init__(self, name: str, others: list[Issue] | None = None):
        cells = RowCells(1, {})
        cells.fail("organization", name, UNKNOWN_ORGANIZATION)
        super().__init__([*(others or []), *cells.issues])
        self.name = name


def form_of(
    record: ExpertRecord, language: str = "en", organization: tuple[int, str] | None = None
) -> ProfileForm:
    """The form filled with a stored profile, its city and country said in ``language``, its
    organization (its number and its name in ``language``) when it has one."""
    row = expert_row(record, "")
    form = ProfileForm(cells={column: row.get(column, "") for column in TEXT_COLUMNS})
    # Read back as the canonical city and country code (registry/places.py knows every spelling).
    form.cells["city"] = city_label(record.city, language)
    form.cells["country"] = country_label(record.country, language)
    if organization is not None and record.organization:
        form.organization_id, form.organization_label = organization
        form.cells["organization"] = form.organization_label
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
    _read_organization(form, data)
    return form


def _registry_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _read_organization(form: ProfileForm, data: Mapping[str, str]) -> None:
    """The organization the form names: one picked among those found (``number · name``), the one
    it showed (hidden number and name), or a new one the person confirmed for the name typed."""
    pick = data.get("organization_pick", "").strip()
    number, _, name = pick.partition(LABEL_SEPARATOR)
    if pick == NEW_ORGANIZATION:
        form.organization_new = True
    elif (picked := _registry_number(number)) is not None:
        form.organization_id, form.organization_label = picked, " ".join(name.split())
        form.cells["organization"] = form.organization_label
        return
    confirmed = data.get("organization_new_for", "").strip()
    form.organization_new = form.organization_new or (
        bool(confirmed) and confirmed == form.cells.get("organization")
    )
    form.organization_id = _registry_number(data.get("organization_id", ""))
    form.organization_label = " ".join(data.get("organization_label", "").split())


def _organization_reference(
    session: Session, viewer: Viewer, form: ProfileForm, current_id: int | None
) -> str:
    """What the organization column says for the form's organization: a reference the registry
    resolves to the organization meant (its primary name when that finds it, as the stored profile
    names it), or the name typed for a new one.  Raises :class:`OrganizationNotFound`."""
    text = " ".join(form.cells.get("organization", "").split())
    if not text:
        return ""
    directory = OrganizationDirectory(session)
    meant = form.organization_id if text == form.organization_label else None
    if meant is not None and meant != current_id and not organization_visible(session, viewer, meant):
        meant = None  # a number the viewer may not name: the name typed is looked up instead
    if meant is None:
        meant = directory.find(text)
    if meant is None:
        if form.organization_new:
            return text
        raise OrganizationNotFound(text)
    primary = primary_names(session, [meant]).get(meant, "")
    if primary and directory.find(primary) == meant:
        return primary
    # An organization sharing its primary name with another: by its ROR id, import id or another name.
    return findable_reference(directory, meant) or text


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
    # Each line is one keyword: ended with ';', a lone keyword with a comma ("Cu, Zn alloys") is
    # not taken for a list written with commas, as a spreadsheet cell may be.
    values["expertise"] = "".join(f"{keyword};" for keyword in keywords)
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


def _keyword_languages(form: ProfileForm) -> dict[str, str]:
    """Each keyword (as the registry stores it) → the language of the box it was typed in."""
    languages: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for keyword in split_list(form.expertise.get(language, "")):
            languages.setdefault(keyword, language)
    return languages


def save_profile(
    session: Session, viewer: Viewer, expert_id: int, form: ProfileForm, now: dt.datetime
) -> tuple[str, ...]:
    """Validate and store the profile and its visibility; saving also confirms the profile.

    An expert may not move their profile to another city (Refused, 403), and their change of names,
    organization, city or country sends an approved profile back to vetting (see
    :mod:`expertbridge.registry.profile_edits`): returns the fields that did so, else ().
    Raises :class:`changes.ChangeRejected` with the problems of the cells (an
    :class:`OrganizationNotFound` when the organization is to be chosen, with the other problems),
    Refused when the viewer may not edit it, move it or a choice is unknown.  Nothing is written
    unless everything is valid.
    """
    current = read_experts(session, [expert_id]).get(expert_id)
    if current is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    if not may_edit_expert(viewer, expert_id, current.city):
        raise Refused(N_("You may not change this profile."), 403)
    _check_levels(form)
    values = _columns(form)
    before = identity_of(session, expert_id)
    unknown: OrganizationNotFound | None = None
    try:
        values["organization"] = _organization_reference(session, viewer, form, before.organization_id)
    except OrganizationNotFound as not_found:
        # The other fields are still checked, so that the form says every problem at once.
        unknown, values["organization"] = not_found, ""
    if "city" in values:
        # Said first: no other problem of the form matters to someone who may not move the profile.
        check_side_kept(viewer, current.city, canonical_city(values["city"]) if values["city"] else None)
    # A savepoint: the checks that need the profile as the registry reads it come after the write.
    with session.begin_nested():
        # Confirmed first, while the viewer still edits the profile: a coordinator who moves it to
        # another side no longer does once it is moved.
        confirm(session, viewer, expert_id, now)
        try:
            changes.update(session, "experts", expert_id, values, actor=viewer.actor, trusted=False)
        except changes.ChangeRejected as rejected:
            raise (OrganizationNotFound(unknown.name, rejected.issues) if unknown else rejected) from None
        if unknown is not None:
            raise unknown
        check_side_kept(viewer, current.city, read_experts(session, [expert_id])[expert_id].city)
        _store_levels(session, viewer, expert_id, form)
        keep_keyword_languages(session, expert_id, _keyword_languages(form))
        return back_to_vetting(session, viewer, expert_id, before, current.status)


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
    try:
        values["organization"] = _organization_reference(session, viewer, form, None)
    except OrganizationNotFound as unknown:
        # Said with the other problems of the form, if any: checked by a creation undone at once.
        savepoint = session.begin_nested()
        try:
            changes.create(session, "experts", {**values, "organization": ""}, actor=viewer.actor)
        except changes.ChangeRejected as rejected:
            raise OrganizationNotFound(unknown.name, rejected.issues) from None
        finally:
            savepoint.rollback()
        raise
    expert_id = changes.create(session, "experts", values, actor=viewer.actor, trusted=False)
    _store_levels(session, viewer, expert_id, form)
    keep_keyword_languages(session, expert_id, _keyword_languages(form))
    return expert_id


# The name column of a name written in one script (the columns the form's name fields are).
NAME_COLUMN_OF_SCRIPT = {"Cyrl": "name_ru", "Hani": "name_zh", "Latn": "name_en"}


def name_draft(session: Session, expert_id: int, name: str, *, actor: str) -> bool:
    """Give the draft profile of an expert who just registered the name they registered with, in
    the field of its script, so that the form they are sent to starts with it.  False, and nothing
    written, when the name is not one the form would take (empty, mixing scripts, no letters): the
    expert types it in the form, which tells them what is wrong."""
    text = " ".join(name.split())
    column = NAME_COLUMN_OF_SCRIPT.get(script_of(text)) if text else None
    if column is None:
        return False
    try:
        changes.update(session, "experts", expert_id, {column: text}, actor=actor, trusted=False)
    except changes.ChangeRejected:
        return False
    return True

"""Which stored expert each row of an expert import updates, or whether it creates one.

A row finds its expert

1. by its id: an expert's import id, or the registry reference (``#42``) that an export writes for
   an expert without an import id.  A reference to a number this registry does not have (a file from
   another database) counts as no id.
2. without an id, by its ORCID iD, else by its e-mail addresses: the one stored expert that has them.
   An expert whose ORCID iD differs from the row's is another person who shares the address.
3. with an id that no expert has, by its ORCID iD when that is the ORCID iD of an expert without an
   import id: that expert takes the row's id.  A plain number is also the registry number an export
   wrote before registry references were marked: it finds that expert (when it has no import id)
   if the row's ORCID iD, an e-mail address or a name is the expert's.

Everything else is a new expert.  Refused, with a message naming the experts: a row whose id is one
expert's and whose ORCID iD another's; a row whose ORCID iD or e-mail addresses point at more than one
expert; a row with an id of its own whose ORCID iD is that of an expert with another import id.

Rows of one file that describe one person are refused before they get here (:class:`SamePersonRows`),
so a row never finds an expert that an earlier row of its file wrote, and a dry run, which writes
nothing, decides as the import does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import Expert
from expertbridge.ingest.cells import RowCells
from expertbridge.ingest.experts import registry_number, registry_reference
from expertbridge.ingest.report import Issue
from expertbridge.registry.experts import StoredExpert, stored_experts
from expertbridge.registry.identities import (
    email_key,
    experts_with_emails,
    experts_with_orcids,
    given_names_of,
    orcids_of,
    plain_registry_number,
    primary_names_of,
    stored_experts_by_id,
)
from expertbridge.registry.problems import N_
from expertbridge.registry.records import ExpertRecord
from expertbridge.text.normalize import fold


@dataclass(frozen=True)
class Target:
    """What a row writes: the stored expert it updates (None: a new one) and the import id the
    profile is written with."""

    stored: StoredExpert | None
    external_id: str | None


@dataclass
class Identified:
    """The target of each row that has one (row number → target), and the rows refused."""

    targets: dict[int, Target] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # Registry references to numbers this registry does not have (the rows were read as id-less).
    unknown_references: list[str] = field(default_factory=list)


def _orcid(record: ExpertRecord) -> str | None:
    return next((value for scheme, value in record.identifiers if scheme == "orcid"), None)


def _emails(record: ExpertRecord) -> list[str]:
    return [email_key(value) for kind, value in record.contacts if kind == "email"]


class _Registry:
    """What one batch of rows needs to know about the stored experts, read in a few queries."""

    def __init__(self, session: Session, rows: Sequence[tuple[int, ExpertRecord]]):
        self.session = session
        ids = [record.external_id for _, record in rows if record.external_id]
        self.by_import = stored_experts(session, ids)
        numbers = {registry_number(i) for i in ids if i not in self.by_import}
        numbers |= {plain_registry_number(i) for i in ids if i not in self.by_import}
        self.by_number = stored_experts_by_id(session, [n for n in numbers if n is not None])
        self.by_orcid = experts_with_orcids(session, [o for _, record in rows if (o := _orcid(record))])
        # E-mail addresses find the experts of rows without an id (and confirm old exports' numbers).
        self.by_email = experts_with_emails(
            session,
            [
                address
                for _, record in rows
                if self.without_id(record) or self.old_export_candidate(record)
                for address in _emails(record)
            ],
        )
        found = {e for ids in (*self.by_orcid.values(), *self.by_email.values()) for e in ids}
        self.by_number.update(stored_experts_by_id(session, found - set(self.by_number)))
        self.by_number.update({stored.expert_id: stored for stored in self.by_import.values()})
        self.orcids = orcids_of(session, {e for ids in self.by_email.values() for e in ids})
        candidates = [old.expert_id for _, record in rows if (old := self.old_export_candidate(record))]
        self.given_names = given_names_of(session, candidates)

    def without_id(self, record: ExpertRecord) -> bool:
        """Whether the row has no id, or a registry reference to a number the registry lacks."""
        number = registry_number(record.external_id)
        return not record.external_id or (
            record.external_id not in self.by_import and number is not None and number not in self.by_number
        )

    def old_export_candidate(self, record: ExpertRecord) -> StoredExpert | None:
        """The expert without an import id whose registry number the row's plain-number id is."""
        if not record.external_id or record.external_id in self.by_import:
            return None
        stored = self.by_number.get(plain_registry_number(record.external_id) or 0)
        return stored if stored is not None and stored.external_id is None else None

    def orcid_experts(self, record: ExpertRecord) -> set[int]:
        orcid = _orcid(record)
        return self.by_orcid.get(orcid, set()) if orcid else set()

    def email_experts(self, record: ExpertRecord) -> set[int]:
        """The experts with one of the row's addresses, but not another ORCID iD than the row's."""
        orcid = _orcid(record)
        found = {e for address in _emails(record) for e in self.by_email.get(address, ())}
        return {e for e in found if not (orcid and self.orcids.get(e, orcid) != orcid)}

    def describe(self, expert_ids: Sequence[int]) -> str:
        """``#3 Иванов Иван (ru-1), #9 Петров Пётр``: registry reference, name and import id, to name
        experts in a message in any language."""
        names = primary_names_of(self.session, expert_ids)
        parts = []
        for expert_id in sorted(expert_ids):
            stored = self.by_number.get(expert_id)
            import_id = f" ({stored.external_id})" if stored and stored.external_id else ""
            parts.append(f"{registry_reference(expert_id)} {names.get(expert_id, '')}".rstrip() + import_id)
        return ", ".join(parts)


def identify(session: Session, rows: Sequence[tuple[int, ExpertRecord]]) -> Identified:
    """The target of each valid row (row number, record) of a batch, or why it is refused."""
    registry = _Registry(session, rows)
    result = Identified()
    for number, record in rows:
        target = _target(registry, result, number, record)
        if target is not None:
            result.targets[number] = target
    return result


def other_side_issues(session: Session, rows: Sequence[tuple[int, ExpertRecord]], side: str) -> list[Issue]:
    """Issues for the rows of a coordinator's import (coordinating ``side``, a canonical city) that
    would update an expert of another side, or of none: those are the other side's coordinators' or
    an admin's to change.

    The rows are identified as the import will identify them (:func:`identify`, again when it
    writes: this runs for coordinators' imports only, which a person uploads); rows refused for
    another reason are left to that check.
    """
    targets = identify(session, rows).targets
    updated = {number: target.stored.expert_id for number, target in targets.items() if target.stored}
    if not updated:
        return []
    cities = dict(
        session.execute(select(Expert.id, Expert.city).where(Expert.id.in_(set(updated.values()))))
        .tuples()
        .all()
    )
    names = primary_names_of(session, sorted(set(updated.values())))
    issues: list[Issue] = []
    for number, record in rows:
        expert_id = updated.get(number)
        if expert_id is None or cities.get(expert_id) == side:
            continue
        expert = f"{registry_reference(expert_id)} {names.get(expert_id, '')}".rstrip()
        column, value = _found_by(record)
        cells = RowCells(number, {})
        if city := cities.get(expert_id):
            cells.fail(
                column,
                value,
                N_(
                    "this row updates %(expert)s, whose city is %(city)s: a coordinator changes the "
                    "experts of their own side only; an admin changes the others"
                ),
                expert=expert,
                city=city,
            )
        else:
            cells.fail(
                column,
                value,
                N_("this row updates %(expert)s, who has no city (no side): only an admin changes them"),
                expert=expert,
            )
        issues.extend(cells.issues)
    return issues


def _found_by(record: ExpertRecord) -> tuple[str, str]:
    """The column (and its value) a row most likely found its stored expert by, to point at."""
    if record.external_id:
        return "id", record.external_id
    if orcid := _orcid(record):
        return "orcid", orcid
    return "email", ";".join(value for kind, value in record.contacts if kind == "email")


def _target(registry: _Registry, result: Identified, number: int, record: ExpertRecord) -> Target | None:
    external_id = record.external_id
    by_orcid = registry.orcid_experts(record)
    if external_id in registry.by_import:
        return _by_id(registry, result, number, record, registry.by_import[external_id], external_id)
    reference = registry_number(external_id)
    if reference is not None and reference in registry.by_number:
        stored = registry.by_number[reference]
        return _by_id(registry, result, number, record, stored, stored.external_id)
    if registry.without_id(record):
        if reference is not None:
            result.unknown_references.append(external_id or "")
        return _by_identifiers(registry, result, number, record)
    old = registry.old_export_candidate(record)
    if old is not None and _agrees(registry, record, old.expert_id):
        return _by_id(registry, result, number, record, old, None)
    # An id of the row's own that no expert has: a new expert, or one without an import id that
    # the row's ORCID iD identifies.
    if not by_orcid:
        return Target(None, external_id)
    holders = [registry.by_number[e] for e in sorted(by_orcid)]
    if len(holders) == 1 and holders[0].external_id is None:
        return Target(holders[0], external_id)
    cells = RowCells(number, {})
    if len(holders) == 1:
        cells.fail(
            "orcid",
            _orcid(record) or "",
            N_(
                "this ORCID iD is already that of %(experts)s; to update that expert write its id %(id)s, "
                "or correct the ORCID iD"
            ),
            experts=registry.describe(sorted(by_orcid)),
            id=holders[0].external_id or "",
        )
    else:
        _several(registry, cells, "orcid", _orcid(record) or "", by_orcid)
    result.issues.extend(cells.issues)
    return None


def _by_id(
    registry: _Registry,
    result: Identified,
    number: int,
    record: ExpertRecord,
    stored: StoredExpert,
    external_id: str | None,
) -> Target | None:
    others = registry.orcid_experts(record) - {stored.expert_id}
    if not others:
        return Target(stored, external_id)
    cells = RowCells(number, {})
    cells.fail(
        "orcid",
        _orcid(record) or "",
        N_(
            "the id is that of %(expert)s, but this ORCID iD is that of %(experts)s; correct the ORCID iD "
            "or the id"
        ),
        expert=registry.describe([stored.expert_id]),
        experts=registry.describe(sorted(others)),
    )
    result.issues.extend(cells.issues)
    return None


def _by_identifiers(
    registry: _Registry, result: Identified, number: int, record: ExpertRecord
) -> Target | None:
    by_orcid = registry.orcid_experts(record)
    found = by_orcid | registry.email_experts(record)
    if not found:
        return Target(None, None)
    if len(found) == 1:
        stored = registry.by_number[next(iter(found))]
        return Target(stored, stored.external_id)
    column = "orcid" if len(by_orcid) > 1 else "email"
    value = _orcid(record) if column == "orcid" else ";".join(_emails(record))
    cells = RowCells(number, {})
    _several(registry, cells, column, value or "", found)
    result.issues.extend(cells.issues)
    return None


def _several(registry: _Registry, cells: RowCells, column: str, value: str, expert_ids: set[int]) -> None:
    cells.fail(
        column,
        value,
        N_(
            "the ORCID iD or e-mail matches several experts: %(experts)s; write the id of the one this row "
            "updates (or merge them first)"
        ),
        experts=registry.describe(sorted(expert_ids)),
    )


def _agrees(registry: _Registry, record: ExpertRecord, expert_id: int) -> bool:
    """Whether the row's ORCID iD, an e-mail address or a name is the stored expert's."""
    if expert_id in registry.orcid_experts(record):
        return True
    if any(expert_id in registry.by_email.get(address, ()) for address in _emails(record)):
        return True
    given = {fold(name.text) for name in record.names if not name.generated}
    return bool(given & registry.given_names.get(expert_id, set()))


class SamePersonRows:
    """Refuses a row that describes the person of an earlier row of the same file.

    Two rows with one ORCID iD are one person; two rows with one e-mail address are too, unless each
    has an id of its own (colleagues may share an office's address).  The later row is refused
    rather than merged: which of the two is right is for the coordinator to say.
    """

    def __init__(self) -> None:
        self.orcids: dict[str, int] = {}
        self.emails: dict[str, tuple[int, bool]] = {}

    def check(self, number: int, record: ExpertRecord) -> list[Issue]:
        """The issues of row ``number`` (none when it is the first row of its person)."""
        cells = RowCells(number, {})
        orcid = _orcid(record)
        if orcid and orcid in self.orcids:
            cells.fail(
                "orcid",
                orcid,
                N_("row %(row)s has the same ORCID iD as row %(earlier)s: one person, one row; merge them"),
                row=str(number),
                earlier=str(self.orcids[orcid]),
            )
        has_id = bool(record.external_id)
        addresses = [value for kind, value in record.contacts if kind == "email"]
        for address in addresses:
            earlier, earlier_has_id = self.emails.get(email_key(address), (0, False))
            if earlier and not (has_id and earlier_has_id):
                cells.fail(
                    "email",
                    address,
                    N_(
                        "row %(row)s has the same e-mail as row %(earlier)s; merge them, or give each row "
                        "its id if they are different people"
                    ),
                    row=str(number),
                    earlier=str(earlier),
                )
        issues = cells.issues
        if not issues:
            # A refused row is not remembered: the rows after it are compared with the kept ones.
            if orcid:
                self.orcids[orcid] = number
            for address in addresses:
                self.emails.setdefault(email_key(address), (number, has_id))
        return issues

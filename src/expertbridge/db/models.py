"""SQLAlchemy models of the registry.

Multilingual values (names, titles, biographies) are rows, not columns, so that a fourth language or a
second alias needs no migration.  Every free-text value that is matched has a ``normalized`` twin
(see :func:`expertbridge.text.normalize.fold`) with an index, so lookups never scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every table."""


# The records that are named by number (in the audit log, data downloads, links, exports) never get a
# deleted record's number: SQLite would otherwise number a new row one above the largest in use, and
# a new expert inherited an erased one's history (migration 0009).  PostgreSQL sequences never
# reuse numbers.
NEVER_REUSED_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Sector(Base):
    """A node of the sector taxonomy; labels live in the packaged taxonomy file."""

    __tablename__ = "sectors"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Organization(Base):
    """A university, institute, enterprise, cluster, park, association or government body."""

    __tablename__ = "organizations"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(32), default="other")
    city: Mapped[str | None] = mapped_column(String(200), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    ror_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    wikidata_id: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(500))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    # pending (created through the web), approved (imported by the operator, or vetted) or rejected;
    # only approved organizations are shown beyond their side's coordinators and admins.
    status: Mapped[str] = mapped_column(String(16), default="approved", server_default="approved", index=True)
    # A coordinator's reason for a rejection.
    status_note: Mapped[str | None] = mapped_column(Text)


class OrganizationName(Base):
    """One name of an organization: a label per language, an alias or an acronym."""

    __tablename__ = "organization_names"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(500))
    normalized: Mapped[str] = mapped_column(String(500), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default="label")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Expert(Base):
    """A person in the registry; personal details hang off it in child tables."""

    __tablename__ = "experts"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    # Hash of the last imported record: a re-import of an unchanged row is skipped without reading
    # its children.  Edits through the app clear it so that the next import applies again.
    import_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Why the profile has its status (a coordinator's reason for a rejection), shown to the expert.
    status_note: Mapped[str | None] = mapped_column(Text)
    # When the expert was last asked to re-confirm the profile (so that maintenance asks once).
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ExpertName(Base):
    """One written form of an expert's name, in one script."""

    __tablename__ = "expert_names"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    # Matching by name goes through match keys, not this column, so it needs no index.
    normalized: Mapped[str] = mapped_column(String(300))
    script: Mapped[str] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default="native")
    scheme: Mapped[str | None] = mapped_column(String(32))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExpertAffiliation(Base):
    """An expert's position at an organization."""

    __tablename__ = "expert_affiliations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    position_title: Mapped[str | None] = mapped_column(String(300))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExpertSector(Base):
    """An expert's sector from the taxonomy.

    The tables keyed by (expert, something) are WITHOUT ROWID on SQLite: one B-tree instead of a
    rowid table plus a primary-key index, which halves their cost in a bulk import.
    """

    __tablename__ = "expert_sectors"
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (Index("ix_expert_sectors_sector", "sector_code"), {"sqlite_with_rowid": False})


class ExpertKeyword(Base):
    """An expertise keyword in the language it was written in."""

    __tablename__ = "expert_keywords"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    # Not indexed: substring search cannot use a B-tree, and the full-text index serves words.
    normalized: Mapped[str] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExpertLanguage(Base):
    """A language the expert speaks, with a level (native, C2 … A1) when known."""

    __tablename__ = "expert_languages"
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[str | None] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (Index("ix_expert_languages_language", "language"), {"sqlite_with_rowid": False})


class ExpertBio(Base):
    """The expert's biography in one language."""

    __tablename__ = "expert_bios"
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    __table_args__ = ({"sqlite_with_rowid": False},)


class ExpertIdentifier(Base):
    """A researcher identifier: ORCID, Scopus author id, eLibrary SPIN, ResearcherID."""

    __tablename__ = "expert_identifiers"
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(100))
    __table_args__ = (Index("ix_expert_identifiers_value", "scheme", "value"), {"sqlite_with_rowid": False})


class ExpertContact(Base):
    """An e-mail address, phone number or messenger handle; private unless the expert opens it."""

    __tablename__ = "expert_contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Imports find the expert of a row without an id by e-mail, compared without regard to case
    # (registry/identities.py): without this index, every batch read the whole table.
    __table_args__ = (
        Index(
            "ix_expert_contacts_email",
            sql_text("lower(value)"),
            sqlite_where=sql_text("kind = 'email'"),
            postgresql_where=sql_text("kind = 'email'"),
        ),
    )


class ExpertFieldVisibility(Base):
    """Who may see one field of an expert's profile, when it differs from the default."""

    __tablename__ = "expert_field_visibility"
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    __table_args__ = ({"sqlite_with_rowid": False},)


class Consent(Base):
    """A consent the expert gave (or withdrew) to a versioned processing text."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(200))
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Opportunity(Base):
    """What an enterprise or project team seeks or offers."""

    __tablename__ = "opportunities"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class OpportunityText(Base):
    """Title and description of an opportunity in one language."""

    __tablename__ = "opportunity_texts"
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")


class OpportunitySector(Base):
    """A sector an opportunity belongs to."""

    __tablename__ = "opportunity_sectors"
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    """A roundtable, forum, delegation visit, competition, working-group meeting or conference."""

    __tablename__ = "events"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date, index=True)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    venue: Mapped[str | None] = mapped_column(String(500))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class EventText(Base):
    """Title and description of an event in one language."""

    __tablename__ = "event_texts"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")


class EventOrganizer(Base):
    """An organization that organizes an event."""

    __tablename__ = "event_organizers"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class EventParticipant(Base):
    """An expert or an organization taking part in an event."""

    __tablename__ = "event_participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        UniqueConstraint("event_id", "expert_id", "organization_id", name="uq_event_participant"),
        NEVER_REUSED_IDS,
    )


class AuditEntry(Base):
    """Who changed what, when.  ``changes`` is JSON: field → [before, after] (or a summary)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)


class ErasureTombstone(Base):
    """That someone asked for erasure, without saying who: a SHA-256 of one identifier (the import
    id, an ORCID iD, an e-mail address) and the day, so that imports refuse to bring them back."""

    __tablename__ = "erasure_tombstones"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    erased_on: Mapped[dt.date] = mapped_column(Date)


class IndexOutbox(Base):
    """An entity whose search-index entry must be rebuilt.

    Written in the same transaction as the change; the index applies it after commit and at
    start-up, so the index (derived data) never silently diverges from the database.
    """

    __tablename__ = "index_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)


class User(Base):
    """A person who signs in: an admin, a coordinator of one side, an expert or a partner."""

    __tablename__ = "users"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    # NULL until an invited person registers and chooses a password.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None] = mapped_column(String(200))
    # The side (canonical city) a coordinator vets; the city an invited expert belongs to.
    city: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("experts.id", ondelete="SET NULL"), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class UserSession(Base):
    """A signed-in browser.  Only a hash of the cookie's token is stored."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class AccountToken(Base):
    """A single-use link: an invitation to register, or a password reset.  Stored as a hash."""

    __tablename__ = "account_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """A failed sign-in, keyed by e-mail or by address, for throttling (kept a day)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)


class EventParticipantProfile(Base):
    """What a participant offers and seeks at an event, the languages they work in, when they can meet.

    ``available_slots`` holds slot codes separated by spaces; NULL means every slot.
    """

    __tablename__ = "event_participant_profiles"
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), primary_key=True
    )
    offers: Mapped[str] = mapped_column(Text, default="")
    seeks: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(String(100), default="")
    available_slots: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class EventSlot(Base):
    """A meeting time slot of an event (UTC; ``utc_offset`` minutes to show local time), with tables."""

    __tablename__ = "event_slots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    utc_offset: Mapped[int] = mapped_column(Integer, default=0)
    tables: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("event_id", "code", name="uq_event_slot_code"),)


class EventInterpreter(Base):
    """An interpreter of an event's pool: language pairs (``ru-zh en-zh``) and slot codes (NULL: all)."""

    __tablename__ = "event_interpreters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    language_pairs: Mapped[str] = mapped_column(String(200))
    available_slots: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("event_id", "code", name="uq_event_interpreter_code"),)


class MeetingRequest(Base):
    """A participant's request for a 1:1 meeting: requested, accepted, declined or cancelled."""

    __tablename__ = "meeting_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    counterpart_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="requested")
    message: Mapped[str] = mapped_column(Text, default="")
    mutual: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    __table_args__ = (
        UniqueConstraint("requester_id", "counterpart_id", name="uq_meeting_request_pair"),
        NEVER_REUSED_IDS,
    )


class MeetingPlacement(Base):
    """Where the current schedule puts an accepted meeting; ``pinned`` when an organizer placed it."""

    __tablename__ = "meeting_placements"
    request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="CASCADE"), primary_key=True
    )
    slot_id: Mapped[int] = mapped_column(ForeignKey("event_slots.id", ondelete="CASCADE"), index=True)
    table: Mapped[int] = mapped_column(Integer)
    interpreter_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_interpreters.id", ondelete="SET NULL")
    )
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)


class EventSchedule(Base):
    """The last scheduling run of an event: when, the solver's stats and the unplaced meetings (JSON)."""

    __tablename__ = "event_schedules"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    solved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    stats: Mapped[str] = mapped_column(Text)
    unplaced: Mapped[str] = mapped_column(Text, default="[]")


class PanelRun(Base):
    """An expert-panel assignment for an event's entries: parameters, seed and results (JSON)."""

    __tablename__ = "panel_runs"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int | None] = mapped_column(BigInteger)
    parameters: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text)


class EventPanelEntry(Base):
    """Something an event's jury judges: a competition project, a grant application or a linked opportunity.

    Titles and descriptions are rows of ``event_panel_entry_texts``; ``sectors`` holds taxonomy codes
    separated by spaces; ``city`` is the entry's side.  A linked opportunity is copied when linked (a
    jury judges the entry as it stood), ``opportunity_id`` says where it came from.
    """

    __tablename__ = "event_panel_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="project")
    sectors: Mapped[str] = mapped_column(String(500), default="")
    city: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    __table_args__ = (
        UniqueConstraint("event_id", "code", name="uq_event_panel_entry_code"),
        NEVER_REUSED_IDS,
    )


class EventPanelEntryText(Base):
    """Title and description of a panel entry in one language."""

    __tablename__ = "event_panel_entry_texts"
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("event_panel_entries.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")


class EventPanelEntryConflict(Base):
    """An expert who declared a conflict of interest with a panel entry: never on its panel."""

    __tablename__ = "event_panel_entry_conflicts"
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("event_panel_entries.id", ondelete="CASCADE"), primary_key=True
    )
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)


class PanelRunEdit(Base):
    """An organizer's hand replacement of one expert on one entry's panel of a stored run."""

    __tablename__ = "panel_run_edits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("panel_runs.id", ondelete="CASCADE"), index=True)
    entry: Mapped[str] = mapped_column(String(64))
    removed_expert: Mapped[str] = mapped_column(String(64))
    added_expert: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")


class StagedImport(Base):
    """A file checked on the import page, kept so that the account that checked it can import it
    without choosing it again (registry/staged_imports.py).

    It holds personal data: it is kept an hour at most, deleted when imported, and
    ``expertbridge maintenance`` deletes the ones left behind.
    """

    __tablename__ = "staged_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Only a SHA-256 of the token the page's form carries, as for sessions and links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The choices of the check, which its import keeps.
    skip_invalid: Mapped[bool] = mapped_column(Boolean, default=False)
    pending: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)

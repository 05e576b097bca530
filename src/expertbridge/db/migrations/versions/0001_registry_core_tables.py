"""registry core tables

Revision ID: 0001
Revises:
Create Date: 2026-11-21 16:11:02.014436
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("venue", sa.String(length=500), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_starts_on"), ["starts_on"], unique=False)

    op.create_table(
        "experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("import_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("last_confirmed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("experts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_experts_status"), ["status"], unique=False)

    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("ror_id", sa.String(length=100), nullable=True),
        sa.Column("wikidata_id", sa.String(length=32), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["organizations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
        sa.UniqueConstraint("ror_id"),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organizations_city"), ["city"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_country"), ["country"], unique=False)

    op.create_table(
        "sectors",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["sectors.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "event_organizers",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "organization_id"),
    )
    op.create_table(
        "event_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "expert_id", "organization_id", name="uq_event_participant"),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_participants_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_participants_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_participants_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "event_texts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "language"),
    )
    op.create_table(
        "expert_affiliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("position_title", sa.String(length=300), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expert_affiliations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_affiliations_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_expert_affiliations_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "expert_bios",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("expert_id", "language"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "expert_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expert_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_contacts_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "expert_identifiers",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("expert_id", "scheme"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("expert_identifiers", schema=None) as batch_op:
        batch_op.create_index("ix_expert_identifiers_value", ["scheme", "value"], unique=False)

    op.create_table(
        "expert_keywords",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("normalized", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expert_keywords", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_keywords_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "expert_languages",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("expert_id", "language"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("expert_languages", schema=None) as batch_op:
        batch_op.create_index("ix_expert_languages_language", ["language"], unique=False)

    op.create_table(
        "expert_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("normalized", sa.String(length=300), nullable=False),
        sa.Column("script", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scheme", sa.String(length=32), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expert_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_names_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "expert_sectors",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("sector_code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["sector_code"],
            ["sectors.code"],
        ),
        sa.PrimaryKeyConstraint("expert_id", "sector_code"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("expert_sectors", schema=None) as batch_op:
        batch_op.create_index("ix_expert_sectors_sector", ["sector_code"], unique=False)

    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunities_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_opportunities_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_opportunities_status"), ["status"], unique=False)

    op.create_table(
        "organization_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("normalized", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organization_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_names_normalized"), ["normalized"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organization_names_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "opportunity_sectors",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("sector_code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["sector_code"],
            ["sectors.code"],
        ),
        sa.PrimaryKeyConstraint("opportunity_id", "sector_code"),
    )
    op.create_table(
        "opportunity_texts",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("opportunity_id", "language"),
    )


def downgrade() -> None:
    op.drop_table("opportunity_texts")
    op.drop_table("opportunity_sectors")
    with op.batch_alter_table("organization_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_names_organization_id"))
        batch_op.drop_index(batch_op.f("ix_organization_names_normalized"))

    op.drop_table("organization_names")
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_status"))
        batch_op.drop_index(batch_op.f("ix_opportunities_organization_id"))
        batch_op.drop_index(batch_op.f("ix_opportunities_kind"))

    op.drop_table("opportunities")
    with op.batch_alter_table("expert_sectors", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_sectors_sector")

    op.drop_table("expert_sectors")
    with op.batch_alter_table("expert_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_names_expert_id"))

    op.drop_table("expert_names")
    with op.batch_alter_table("expert_languages", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_languages_language")

    op.drop_table("expert_languages")
    with op.batch_alter_table("expert_keywords", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_keywords_expert_id"))

    op.drop_table("expert_keywords")
    with op.batch_alter_table("expert_identifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_identifiers_value")

    op.drop_table("expert_identifiers")
    with op.batch_alter_table("expert_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_contacts_expert_id"))

    op.drop_table("expert_contacts")
    op.drop_table("expert_bios")
    with op.batch_alter_table("expert_affiliations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_affiliations_organization_id"))
        batch_op.drop_index(batch_op.f("ix_expert_affiliations_expert_id"))

    op.drop_table("expert_affiliations")
    op.drop_table("event_texts")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_organization_id"))
        batch_op.drop_index(batch_op.f("ix_event_participants_expert_id"))
        batch_op.drop_index(batch_op.f("ix_event_participants_event_id"))

    op.drop_table("event_participants")
    op.drop_table("event_organizers")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_expert_id"))

    op.drop_table("consents")
    op.drop_table("sectors")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_country"))
        batch_op.drop_index(batch_op.f("ix_organizations_city"))

    op.drop_table("organizations")
    with op.batch_alter_table("experts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experts_status"))

    op.drop_table("experts")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_starts_on"))
        batch_op.drop_index(batch_op.f("ix_events_kind"))

    op.drop_table("events")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_log")

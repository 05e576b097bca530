"""organizations as meeting participants, panel entries of events

Revision ID: 0006_meeting_orgs_panels
Revises: 0005_vetting_and_erasure
Create Date: 2026-11-21 21:00:00

Organizations already had a place in ``event_participants`` (``organization_id``); taking part in
meetings needs no new column.  Panel entries, their texts and declared conflicts, and hand edits of
panel runs are new tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Alembic keeps revision ids in a VARCHAR(32) column: ids stay shorter.
revision = "0006_meeting_orgs_panels"
down_revision = "0005_vetting_and_erasure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_panel_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("sectors", sa.String(length=500), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "code", name="uq_event_panel_entry_code"),
    )
    with op.batch_alter_table("event_panel_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_panel_entries_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_panel_entries_organization_id"), ["organization_id"], unique=False
        )
    op.create_table(
        "event_panel_entry_texts",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["event_panel_entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "language"),
    )
    op.create_table(
        "event_panel_entry_conflicts",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["event_panel_entries.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "expert_id"),
    )
    op.create_table(
        "panel_run_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("entry", sa.String(length=64), nullable=False),
        sa.Column("removed_expert", sa.String(length=64), nullable=False),
        sa.Column("added_expert", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["panel_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("panel_run_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_run_edits_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("panel_run_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_run_edits_run_id"))
    op.drop_table("panel_run_edits")
    op.drop_table("event_panel_entry_conflicts")
    op.drop_table("event_panel_entry_texts")
    with op.batch_alter_table("event_panel_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_panel_entries_organization_id"))
        batch_op.drop_index(batch_op.f("ix_event_panel_entries_event_id"))
    op.drop_table("event_panel_entries")

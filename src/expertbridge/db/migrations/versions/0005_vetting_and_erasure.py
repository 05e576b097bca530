"""organization vetting, erasure tombstones, opportunity ownership

Revision ID: 0005_vetting_and_erasure
Revises: 0004_event_meetings
Create Date: 2026-11-21 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_vetting_and_erasure"
down_revision = "0004_event_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Organizations already in the registry were imported by the operator: approved.
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="approved", nullable=False)
        )
        batch_op.add_column(sa.Column("status_note", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organizations_status"), ["status"], unique=False)
    op.create_table(
        "erasure_tombstones",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )


def downgrade() -> None:
    op.drop_table("erasure_tombstones")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_status"))
        batch_op.drop_column("status_note")
        batch_op.drop_column("status")

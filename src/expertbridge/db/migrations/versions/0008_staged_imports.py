"""files checked on the import page, kept for their import

Revision ID: 0008_staged_imports
Revises: 0007_contact_email_index
Create Date: 2026-11-22 12:00:00

The import page checks a file first (a dry run) and then imports exactly that file when the person
who checked it presses "Import this file", without choosing it again.  The file waits in the
database, not on a server's disk, so that any server process may take the import, and a restart
loses nothing.  It holds personal data: registry/staged_imports.py keeps it an hour at most.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_staged_imports"
down_revision = "0007_contact_email_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staged_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("skip_invalid", sa.Boolean(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("staged_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staged_imports_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staged_imports_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("staged_imports")

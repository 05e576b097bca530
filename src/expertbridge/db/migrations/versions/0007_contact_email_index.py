"""an index of e-mail addresses, for imports that match id-less rows to stored experts

Revision ID: 0007_contact_email_index
Revises: 0006_meeting_orgs_panels
Create Date: 2026-11-22 09:00:00

An import finds the stored expert of a row without an id by its e-mail address, compared without
regard to case (registry/identities.py).  Without an index, every batch of such rows read the whole
contacts table.  A partial index on lower(value) of e-mail contacts serves exactly that lookup, on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_contact_email_index"
down_revision = "0006_meeting_orgs_panels"
branch_labels = None
depends_on = None

_EMAIL = sa.text("kind = 'email'")


def upgrade() -> None:
    op.create_index(
        "ix_expert_contacts_email",
        "expert_contacts",
        [sa.text("lower(value)")],
        unique=False,
        sqlite_where=_EMAIL,
        postgresql_where=_EMAIL,
    )


def downgrade() -> None:
    op.drop_index("ix_expert_contacts_email", table_name="expert_contacts")

"""SQLite hands out a deleted record's number again: records take AUTOINCREMENT ids

Revision ID: 0009_ids_never_reused
Revises: 0008_staged_imports
Create Date: 2026-11-22 13:00:00

Without AUTOINCREMENT, SQLite numbers a new row one above the largest number in use, so deleting
the newest expert gave the next one its number.  The audit log, a person's data download, links and
exports name records by number: the new expert inherited the erased one's history (their names and
e-mail in the "create" entry of a data download).  PostgreSQL sequences never hand a number out
twice, so this changes SQLite only.

SQLite cannot add AUTOINCREMENT to a table: each table is rebuilt (Alembic's batch mode copies the
rows), with foreign keys off (db/migrate.py) so that dropping the old table deletes nothing that
references it.  Each table's counter starts above every number it ever used: its rows' and the
audit log's, which still names records deleted before this migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_ids_never_reused"
down_revision = "0008_staged_imports"
branch_labels = None
depends_on = None

# Table → the entity type its records have in the audit log (None: never audited).
TABLES = {
    "experts": "expert",
    "organizations": "organization",
    "opportunities": "opportunity",
    "events": "event",
    "users": "user",
    "event_participants": "event_participant",
    "meeting_requests": "meeting_request",
    "event_panel_entries": "panel_entry",
    "panel_runs": None,
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table, entity_type in TABLES.items():
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
        highest = bind.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        if entity_type is not None:
            audited = bind.execute(
                sa.text("SELECT coalesce(max(entity_id), 0) FROM audit_log WHERE entity_type = :type"),
                {"type": entity_type},
            ).scalar_one()
            highest = max(highest, audited)
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table})
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)"),
            {"table": table, "seq": highest},
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in reversed(TABLES):
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass

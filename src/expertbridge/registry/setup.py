"""Bring a database to a usable state: schema migrations, then the taxonomy seed."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from expertbridge.db.dialect import dialect_of
from expertbridge.db.migrate import upgrade
from expertbridge.db.models import Sector
from expertbridge.registry.taxonomy import Taxonomy, load_taxonomy


def sync_sectors(engine: Engine, taxonomy: Taxonomy | None = None) -> None:
    """Insert taxonomy nodes the database lacks and update parents and order (never deletes,
    because experts may still point at a retired code)."""
    taxonomy = taxonomy or load_taxonomy()
    with engine.begin() as connection:
        existing = {
            code: (parent, position)
            for code, parent, position in connection.execute(
                select(Sector.code, Sector.parent_code, Sector.position)
            )
        }
        # Parents first, so the foreign key holds on every insert.
        missing = [
            {"code": node.code, "parent_code": node.parent, "position": node.position}
            for node in taxonomy.nodes.values()
            if node.code not in existing
        ]
        if missing:
            connection.execute(dialect_of(connection).insert_ignoring_duplicates(Sector.__table__), missing)  # type: ignore[arg-type]
        for node in taxonomy.nodes.values():
            if node.code in existing and existing[node.code] != (node.parent, node.position):
                connection.execute(
                    update(Sector)
                    .where(Sector.code == node.code)
                    .values(parent_code=node.parent, position=node.position)
                )


def initialize(engine: Engine) -> None:
    """Migrate the schema to the newest version and seed the taxonomy (idempotent)."""
    upgrade(engine)
    sync_sectors(engine)

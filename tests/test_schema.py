"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from expertbridge.db.migrate import is_current, upgrade
from expertbridge.db.models import Base
from expertbridge.registry.setup import initialize
from expertbridge.registry.taxonomy import load_taxonomy


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert is_current(engine)


def test_initialize_is_idempotent_and_seeds_the_taxonomy(engine: Engine) -> None:
    initialize(engine)
    upgrade(engine)
    with engine.connect() as connection:
        codes = {row[0] for row in connection.exec_driver_sql("SELECT code FROM sectors")}
    assert codes == set(load_taxonomy().nodes)
    assert "experts" in inspect(engine).get_table_names()

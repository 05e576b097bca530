"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from expertbridge.db.migrate import is_current, upgrade
from expertbridge.db.models import Base
from expertbridge.registry.setup import initialize
from expertbridge.registry.taxonomy import load_taxonomy


# SQLAlchemy cannot reflect SQLite's expression indexes (the e-mail index on lower(value)): the
# comparison leaves them out and says so; test_the_email_lookup_of_imports_uses_its_index checks it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
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


def test_the_email_lookup_of_imports_uses_its_index(engine: Engine) -> None:
    # An import finds the experts of rows without an id by e-mail, case ignored; without the index
    # on lower(value), each batch of such rows read every contact of the registry.
    from expertbridge.registry.identities import _EMAILS

    query = f"SELECT * FROM ({_EMAILS}) AS found WHERE address IN ('a@example.org', 'b@example.org')"
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
            assert "ix_expert_contacts_email" in plan, plan
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # a tiny table is read whole otherwise
            plan = " ".join(str(row[0]) for row in connection.exec_driver_sql(f"EXPLAIN {query}"))
            assert "ix_expert_contacts_email" in plan, plan

"""A deleted record's number is never given to a new one: the audit log, data downloads, links and
exports name records by number, so a reused number handed one person's history to another."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.engine import make_engine, session_factory
from expertbridge.db.migrate import upgrade
from expertbridge.db.models import AuditEntry, Expert, Organization
from expertbridge.ingest.importer import Importer, ImportOptions
from expertbridge.registry.audit import history
from expertbridge.registry.consent import erase_expert
from expertbridge.registry.experts import delete_expert
from tests.helpers import CHINESE_EXPERT, RUSSIAN_EXPERT, write_csv


def _import(factory: sessionmaker[Session], path: Path) -> None:
    Importer(factory, ImportOptions()).run("experts", path)


def _id(factory: sessionmaker[Session], external_id: str) -> int:
    with factory() as session:
        found = session.scalar(select(Expert.id).where(Expert.external_id == external_id))
        assert found is not None
        return found


def test_the_newest_expert_erased_does_not_pass_on_its_number(
    factory: sessionmaker[Session], data_dir: Path
) -> None:
    _import(factory, write_csv(data_dir / "first.csv", [RUSSIAN_EXPERT]))
    erased = _id(factory, "ru-1")
    with factory() as session:
        erase_expert(session, erased, actor="user:1")
        session.commit()
    _import(factory, write_csv(data_dir / "second.csv", [CHINESE_EXPERT]))
    newcomer = _id(factory, CHINESE_EXPERT["id"])
    assert newcomer > erased
    with factory() as session:
        # The newcomer's history is theirs alone: nothing of the erased person comes with it.
        assert {entry.action for entry in history(session, "expert", newcomer)} == {"create"}


def test_a_deleted_organization_number_is_not_given_again(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        first = Organization(city="Moscow", country="RU", type="university", status="approved")
        session.add(first)
        session.commit()
        number = first.id
        session.delete(first)
        session.commit()
        second = Organization(city="Moscow", country="RU", type="university", status="approved")
        session.add(second)
        session.commit()
        assert second.id > number


def test_the_migration_keeps_every_row_and_starts_above_numbers_the_audit_log_names(
    sqlite_template: Path, tmp_path: Path, data_dir: Path
) -> None:
    # A registry migrated before 0009: its newest expert was deleted, which only the audit log
    # remembers.  The migration rebuilds the tables with foreign keys off: no child row is lost.
    path = tmp_path / "old.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = session_factory(engine)
    _import(factory, write_csv(data_dir / "experts.csv", [RUSSIAN_EXPERT, CHINESE_EXPERT]))
    kept, newest = _id(factory, "ru-1"), _id(factory, CHINESE_EXPERT["id"])
    with factory() as session:
        delete_expert(session, newest, actor="user:1")
        session.commit()
    with engine.connect() as connection:
        names_before = connection.exec_driver_sql("SELECT count(*) FROM expert_names").scalar_one()
    engine.dispose()
    # Back to the schema before 0009: the tables as 0001 made them, without AUTOINCREMENT.
    _downgrade_to_0008(path)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    factory = session_factory(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM expert_names").scalar_one() == names_before
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    with factory() as session:
        assert session.get(Expert, kept) is not None
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity_id == newest)).first() is not None
    _import(factory, write_csv(data_dir / "again.csv", [{**CHINESE_EXPERT, "id": "zh-new"}]))
    assert _id(factory, "zh-new") > newest
    engine.dispose()


def _downgrade_to_0008(path: Path) -> None:
    from alembic import command

    from expertbridge.db.migrate import _config

    engine = make_engine(f"sqlite:///{path}")
    config = _config()
    with engine.connect() as connection:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0008_staged_imports")
    with engine.connect() as connection:
        schema = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'experts'"
        ).scalar_one()
    assert "AUTOINCREMENT" not in schema
    engine.dispose()

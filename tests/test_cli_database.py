"""Only `expertbridge init` creates a database: a mistyped EXPERTBRIDGE_DATABASE_URL is refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.db.engine import make_engine
from expertbridge.db.migrate import _config, is_current

runner = CliRunner()

COMMANDS = [
    ["stats"],
    ["reindex"],
    ["search", "metro"],
    ["export", "experts"],
    ["demo", "--experts", "5"],
    ["users", "list"],
    ["names", "duplicates"],
    ["maintenance"],
    ["serve"],
]


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` must stop before starting anything; if it did not, fail instead of serving forever."""
    import uvicorn

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("serve started a server on a database that is not initialised")

    monkeypatch.setattr(uvicorn, "run", refuse)


def point_at(monkeypatch: pytest.MonkeyPatch, url: str, tmp_path: Path) -> None:
    monkeypatch.setenv("EXPERTBRIDGE_DATABASE_URL", url)
    monkeypatch.setenv("EXPERTBRIDGE_INDEX_DIR", str(tmp_path / "index"))


@pytest.mark.usefixtures("no_server")
@pytest.mark.parametrize("arguments", COMMANDS, ids=lambda arguments: " ".join(arguments))
def test_a_missing_sqlite_file_is_refused_and_not_created(
    arguments: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "typo" / "none.db"
    point_at(monkeypatch, f"sqlite:///{path}", tmp_path)
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1, result.output
    assert (
        f"error: the database at sqlite:///{path} is not initialised: run 'expertbridge init' first "
        "(or check EXPERTBRIDGE_DATABASE_URL)"
    ) in result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not path.exists() and not path.parent.exists()
    assert not (tmp_path / "index").exists()


def test_after_init_the_same_database_works(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "var" / "registry.db"
    point_at(monkeypatch, f"sqlite:///{path}", tmp_path)
    assert runner.invoke(app, ["stats"]).exit_code == 1
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert f"database ready: sqlite:///{path}" in result.output
    assert path.is_file()
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    assert "experts: 0" in result.output
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0 and "search index rebuilt: 0 experts" in result.output


def test_an_empty_sqlite_file_is_refused_and_left_as_it_was(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    point_at(monkeypatch, f"sqlite:///{path}", tmp_path)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "is not initialised: run 'expertbridge init' first" in result.output
    assert path.stat().st_size == 0
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["stats"]).exit_code == 0


def test_an_sqlite_database_of_another_program_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "other.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    point_at(monkeypatch, f"sqlite:///{path}", tmp_path)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "is not initialised" in result.output


def test_a_database_behind_on_migrations_is_upgraded_by_any_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005_vetting_and_erasure")
    assert not is_current(engine)
    point_at(monkeypatch, f"sqlite:///{path}", tmp_path)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    assert is_current(engine)
    engine.dispose()


@pytest.fixture
def empty_postgres_url(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL schema without any table, on the test server (skipped when it is unreachable)."""
    schema = f"eb_empty_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
def test_a_postgresql_database_without_the_tables_is_refused(
    empty_postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    point_at(monkeypatch, empty_postgres_url, tmp_path)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "is not initialised: run 'expertbridge init' first" in result.output
    engine = make_engine(empty_postgres_url)
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            ).scalar()
            == 0
        )
    engine.dispose()
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["stats"]).exit_code == 0

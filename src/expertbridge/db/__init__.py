"""Database layer: models, engine and sessions, migrations, the SQL that differs between backends."""

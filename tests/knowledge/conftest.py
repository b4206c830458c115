"""Run these tests against SQLite and PostgreSQL (fixtures from socialcover.store.testing)."""

from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

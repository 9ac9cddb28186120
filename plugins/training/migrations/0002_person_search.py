"""People search: a trigram index over names (SQLite FTS5, PostgreSQL pg_trgm), see core/search.py."""
from core.toolkit import search


def up(migrator, db):
    search.create_index(db, "training_person", ["name"])


def down(migrator, db):
    search.drop_index(db, "training_person", ["name"])

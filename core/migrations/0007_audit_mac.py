"""Each audit row carries the HMAC of its hash with the audit key kept outside the
database (core/audit_anchor.py); rows written before have none."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("audit_log", "mac", CharField(max_length=64, default="")))
    return 0

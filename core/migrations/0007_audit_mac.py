"""Each audit row carries the HMAC of its hash with the audit key kept outside the
database (core/audit_anchor.py); rows written before have none (an empty mac).

The column is added with a database default in the ADD COLUMN itself: both SQLite
and PostgreSQL (11+) then give existing rows the default without writing them.
peewee's plain ``add_column`` instead adds it nullable and UPDATEs every row,
which the append-only triggers on ``audit_log`` refuse ("audit_log is
append-only") and which would rewrite a table of millions of rows."""
from peewee import SQL, CharField


def up(migrator, db):
    mac = CharField(max_length=64, constraints=[SQL("DEFAULT ''")])
    migrator.migrate(migrator.add_column("audit_log", "mac", mac, allow_not_null=True))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("audit_log", "mac"))

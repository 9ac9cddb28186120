# The head of a TUK linked to their user account: only that Kepala TUK signs the berita acara of the
# TUK's tests. Existing TUKs stay unlinked (their head is linked on the TUK form; until then signing as
# Kepala TUK is refused with that message). Generated from a schema diff on 2026-12-03 16:30.
from peewee import *

def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    migrator.migrate(migrator.add_column('certification_tuk', 'head_user_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('certification_tuk', 'certification_tuk_head_user_id'))
    migrator.migrate(migrator.drop_column('certification_tuk', 'head_user_id'))

# Generated from a schema diff on 2026-12-03 16:37.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column('delivery_addressee', 'reminded_on', DateField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('delivery_addressee', 'reminded_on'))

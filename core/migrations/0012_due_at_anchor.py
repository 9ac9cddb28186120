"""Tracker: a step may be due at the moment it records (``due_at_anchor``: the end of the anchor's
day), e.g. KDI-PM-06 step 6, the training, due on the batch's own last day."""
from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(migrator.add_column("sop_step", "due_at_anchor", BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("sop_step", "due_at_anchor"))

# Personal API tokens (core/api/tokens.py): hashed, scoped, expiring, revocable.
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ApiToken(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        name = CharField(max_length=100)
        token_hash = CharField(max_length=64, unique=True)
        prefix = CharField(max_length=16)
        scopes = CharField(max_length=200)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'api_token'
    db.create_tables([ApiToken])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS api_token')

# The document service (issued documents, their frozen files, edited templates) and the signer's jabatan on the user. Generated from a schema diff.
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Document(Model):
        type_code = CharField(max_length=80)
        number = CharField(max_length=120)
        version = IntegerField(default=1)
        subject = CharField(max_length=300)
        dated = DateField()
        place = CharField(max_length=80, default='')
        record_type = CharField(max_length=80, default='')
        record_id = CharField(max_length=40, default='')
        signer = ForeignKeyField(User, null=True, on_delete='SET NULL')
        signer_name = CharField(max_length=150, default='')
        signer_title = CharField(max_length=200, default='')
        signer_nip = CharField(max_length=18, default='')
        signer_rank = CharField(max_length=80, default='')
        values_json = TextField(default='{}')
        html_sha256 = CharField(max_length=64)
        pdf_sha256 = CharField(max_length=64)
        token = CharField(unique=True, max_length=64)
        status = CharField(max_length=12, default='valid')
        supersedes = ForeignKeyField('self', null=True, on_delete='SET NULL')
        superseded_by = ForeignKeyField('self', null=True, on_delete='SET NULL')
        revoked_reason = TextField(default='')
        revoked_at = DateTimeField(null=True)
        revoked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        issued_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        issued_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'document'
            indexes = ((('type_code', 'number', 'version'), True), (('record_type', 'record_id'), False), (('type_code', 'issued_at'), False), (('number',), False))
    db.create_tables([Document])

    class DocumentFile(Model):
        sha256 = CharField(primary_key=True, max_length=64)
        content_type = CharField(max_length=60)
        size = IntegerField()
        content = BlobField()
        class Meta:
            database = db
            table_name = 'document_file'
    db.create_tables([DocumentFile])

    class DocumentTemplate(Model):
        type_code = CharField(unique=True, max_length=80)
        source = TextField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'document_template'
    db.create_tables([DocumentTemplate])

    migrator.migrate(migrator.add_column('user', 'position', CharField(max_length=150, default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'position'))
    migrator.migrate(migrator.drop_table('document_template'))
    migrator.migrate(migrator.drop_table('document_file'))
    migrator.migrate(migrator.drop_table('document'))

"""One survey (one run of KDI-PM-09) per batch; questionnaire fields from the glossary
(employer type, job level, province, city) and the alumnus's consent."""
from peewee import CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class Batch(Model):
        class Meta:
            database = db
            table_name = 'training_batch'

    class Survey(Model):
        batch = ForeignKeyField(Batch, unique=True)
        smile_ref = CharField(max_length=200, default='')
        reported_at = DateTimeField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'tracer_survey'
    db.create_tables([Survey])
    # Batches surveyed before this change get their survey record (their old per-wave runs stay as they are).
    db.execute_sql("INSERT INTO tracer_survey (batch_id, smile_ref, created_at) "
                   "SELECT batch_id, '', MIN(created_at) FROM tracer_wave GROUP BY batch_id")
    migrator.migrate(
        migrator.add_column("tracer_response", "employer_type", CharField(max_length=12, default="")),
        migrator.add_column("tracer_response", "job_level", CharField(max_length=14, default="")),
        migrator.add_column("tracer_response", "province", CharField(max_length=60, default="")),
        migrator.add_column("tracer_response", "city", CharField(max_length=60, default="")),
        migrator.add_column("tracer_response", "consent_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    for column in ("consent_at", "city", "province", "job_level", "employer_type"):
        migrator.migrate(migrator.drop_column("tracer_response", column))
    migrator.migrate(migrator.drop_table('tracer_survey'))

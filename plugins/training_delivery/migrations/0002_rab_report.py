# Generated from a schema diff on 2026-12-03 10:51.
from peewee import *

def up(migrator, db):
    class WorkPlan(Model):
        class Meta:
            database = db
            table_name = 'delivery_work_plan'

    class BudgetLine(Model):
        work_plan = ForeignKeyField(WorkPlan, on_delete='CASCADE')
        description = CharField(max_length=200)
        volume = DecimalField(max_digits=12, decimal_places=2)
        unit = CharField(max_length=40)
        price = DecimalField(max_digits=15, decimal_places=2)
        sort = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'delivery_budget_line'
    db.create_tables([BudgetLine])

    class ReportPhoto(Model):
        work_plan = ForeignKeyField(WorkPlan, on_delete='CASCADE')
        caption = CharField(max_length=200)
        filename = CharField()
        sha256 = CharField(max_length=64)
        content_type = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'delivery_report_photo'
    db.create_tables([ReportPhoto])

    migrator.migrate(migrator.add_column('delivery_work_plan', 'report_instructors', TextField(default='')))
    migrator.migrate(migrator.add_column('delivery_work_plan', 'report_obstacles', TextField(default='')))
    migrator.migrate(migrator.add_column('delivery_work_plan', 'report_closing', TextField(default='')))
    migrator.migrate(migrator.add_column('delivery_work_plan', 'budget_realised', DecimalField(null=True, max_digits=15, decimal_places=2)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('delivery_work_plan', 'budget_realised'))
    migrator.migrate(migrator.drop_column('delivery_work_plan', 'report_closing'))
    migrator.migrate(migrator.drop_column('delivery_work_plan', 'report_obstacles'))
    migrator.migrate(migrator.drop_column('delivery_work_plan', 'report_instructors'))
    migrator.migrate(migrator.drop_table('delivery_report_photo'))
    migrator.migrate(migrator.drop_table('delivery_budget_line'))

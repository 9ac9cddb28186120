"""Survey links move onto the core's public links (core/public_links.py): every alumnus's
token becomes a public link with the SAME token, so links already sent keep working.

Its expiry is the wave's close: the end of its last day in WIB (the latest of Indonesia's
three zones; the plugin's own check still refuses answers after the office's local close
day), or when the officer closed it early. An answer already given through the form
counts as the link's answer. The alumni table's own token column is then dropped."""
import datetime
import json

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

PURPOSE = "tracer_survey.answer"
SUBJECT_TYPE = "tracer_alumnus"
WIB = datetime.timedelta(hours=7)


def _models(db):
    class Wave(Model):
        closes_on = DateField()
        closed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "tracer_wave"

    class Alumnus(Model):
        wave = ForeignKeyField(Wave)
        name = CharField()
        phone = CharField()
        token = CharField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "tracer_alumnus"

    class Response(Model):
        alumnus = ForeignKeyField(Alumnus)
        status = CharField()
        source = CharField()
        submitted_at = DateTimeField()
        updated_at = DateTimeField()
        corrections = IntegerField()

        class Meta:
            database = db
            table_name = "tracer_response"

    class PublicLink(Model):
        token = CharField()
        purpose = CharField()
        subject_type = CharField()
        subject_id = CharField()
        recipient_name = CharField()
        recipient_phone = CharField()
        recipient_email = CharField()
        created_at = DateTimeField()
        expires_at = DateTimeField()
        correctable_until = DateTimeField(null=True)
        answer_json = TextField()
        answered_at = DateTimeField(null=True)
        corrected_at = DateTimeField(null=True)
        answer_count = IntegerField()

        class Meta:
            database = db
            table_name = "public_link"
    return Wave, Alumnus, Response, PublicLink


def _as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def _close(wave):
    end = datetime.datetime.combine(_as_date(wave.closes_on) + datetime.timedelta(days=1), datetime.time(0, 0)) - WIB
    return min(end, wave.closed_at) if wave.closed_at is not None else end


def up(migrator, db):
    Wave, Alumnus, Response, PublicLink = _models(db)
    answers = {r.alumnus_id: r for r in Response.select()}
    rows = []
    for a in Alumnus.select(Alumnus, Wave).join(Wave):
        close = _close(a.wave)
        r = answers.get(a.id)
        by_form = r is not None and r.source == "form"
        rows.append({"token": a.token, "purpose": PURPOSE, "subject_type": SUBJECT_TYPE, "subject_id": str(a.id),
                     "recipient_name": (a.name or "")[:150], "recipient_phone": (a.phone or "")[:20],
                     "recipient_email": "", "created_at": a.created_at, "expires_at": close,
                     "correctable_until": close,
                     "answer_json": json.dumps({"status": r.status, "migrated": True}) if by_form else "",
                     "answered_at": r.submitted_at if by_form else None,
                     "corrected_at": r.updated_at if by_form and r.corrections else None,
                     "answer_count": 1 + r.corrections if by_form else 0})
    for i in range(0, len(rows), 200):
        PublicLink.insert_many(rows[i:i + 200]).execute()
    for index in db.get_indexes("tracer_alumnus"):
        if index.columns == ["token"]:
            migrator.migrate(migrator.drop_index("tracer_alumnus", index.name))
    migrator.migrate(migrator.drop_column("tracer_alumnus", "token"))


def down(migrator, db):
    migrator.migrate(migrator.add_column("tracer_alumnus", "token", CharField(max_length=64, default="")))
    Wave, Alumnus, Response, PublicLink = _models(db)
    for link in PublicLink.select().where((PublicLink.purpose == PURPOSE) & (PublicLink.subject_type == SUBJECT_TYPE)):
        Alumnus.update(token=link.token).where(Alumnus.id == int(link.subject_id)).execute()
    PublicLink.delete().where(PublicLink.purpose == PURPOSE).execute()
    migrator.migrate(migrator.add_index("tracer_alumnus", ("token",), True))

# A visit's satisfaction-survey token moves to the core's public links (core/public_links.py) —
# same tokens, so QR codes already shown keep working; a survey already answered stays answered.
# down() cannot restore the tokens (the links stay in public_link).
import datetime
import json

from peewee import *

LINK_DAYS = 30


def copy_tokens_to_public_links(db):
    p = db.param
    rows = db.execute_sql(
        "SELECT v.id, v.skm_token, v.name, v.phone, v.visited_at, r.answered_at "
        "FROM service_desk_visit v LEFT JOIN service_desk_skm_response r ON r.visit_id = v.id "
        "WHERE v.skm_token <> ''").fetchall()
    for vid, token, name, phone, visited_at, answered_at in rows:
        if isinstance(visited_at, str):
            visited_at = datetime.datetime.fromisoformat(visited_at[:19])
        if isinstance(answered_at, str):
            answered_at = datetime.datetime.fromisoformat(answered_at[:19])
        db.execute_sql(
            "INSERT INTO public_link (token, purpose, subject_type, subject_id, recipient_name, recipient_phone, "
            "recipient_email, created_at, expires_at, answer_json, answered_at, answer_count) "
            f"VALUES ({', '.join([p] * 12)})",
            (token, "service_desk.skm", "service_desk_visit", str(vid), (name or "")[:150], (phone or "")[:20], "",
             visited_at, visited_at + datetime.timedelta(days=LINK_DAYS),
             json.dumps({"migrated": True}) if answered_at else "", answered_at, 1 if answered_at else 0))


def up(migrator, db):
    copy_tokens_to_public_links(db)
    migrator.migrate(migrator.drop_index('service_desk_visit', 'service_desk_visit_skm_token'))
    migrator.migrate(migrator.drop_column('service_desk_visit', 'skm_token'))


def down(migrator, db):
    migrator.migrate(migrator.add_column('service_desk_visit', 'skm_token', CharField(index=True, max_length=40, default='')))

# The LSP's decision and numbers as received, the certificate's handover; the candidates'
# confirmation tokens move to the core's public links (core/public_links.py) — same tokens,
# so links already sent keep working. Generated from a schema diff, then the copy added.
# down() cannot restore the token column (the links stay in public_link).
import datetime
import json

from peewee import *


def copy_tokens_to_public_links(db):
    p = db.param
    rows = db.execute_sql(
        "SELECT c.id, c.token, c.confirmation, c.confirmed_at, c.confirmed_via, pe.name, pe.phone, pe.email, e.date "
        "FROM certification_candidate c JOIN training_person pe ON pe.id = c.person_id "
        "JOIN certification_test_event e ON e.id = c.event_id").fetchall()
    now = datetime.datetime.utcnow()
    for cid, token, state, at, via, name, phone, email, day in rows:
        if isinstance(day, str):
            day = datetime.date.fromisoformat(day[:10])
        answered = via == "link" and state != "pending"
        db.execute_sql(
            "INSERT INTO public_link (token, purpose, subject_type, subject_id, recipient_name, recipient_phone, "
            "recipient_email, created_at, expires_at, answer_json, answered_at, answer_count) "
            f"VALUES ({', '.join([p] * 12)})",
            (token, "certification.confirm", "certification_candidate", str(cid), (name or "")[:150],
             (phone or "")[:20], (email or "")[:150], now, datetime.datetime.combine(day, datetime.time(23, 59)),
             json.dumps({"answer": state}) if answered else "", at if answered else None, 1 if answered else 0))


def up(migrator, db):
    copy_tokens_to_public_links(db)
    migrator.migrate(migrator.drop_index('certification_candidate', 'candidate_token'))
    migrator.migrate(migrator.add_column('certification_candidate', 'lsp_decision', CharField(max_length=2, default='')))
    migrator.migrate(migrator.add_column('certification_certificate', 'registration_number', CharField(max_length=80, default='')))
    migrator.migrate(migrator.add_column('certification_certificate', 'handed_over_on', DateField(null=True)))
    migrator.migrate(migrator.drop_column('certification_candidate', 'token'))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('certification_certificate', 'handed_over_on'))
    migrator.migrate(migrator.drop_column('certification_certificate', 'registration_number'))
    migrator.migrate(migrator.drop_column('certification_candidate', 'lsp_decision'))

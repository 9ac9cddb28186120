"""Issue 24: the API's contract, checked by schemathesis against its own OpenAPI document
(every operation of every bundled plugin, on SQLite and PostgreSQL): no server error,
every status documented, every answer matching its schema and content type. Bounded:
a few generated requests per operation, no shrinking, no example database."""

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from core import audit, db
from core.api import tokens
from core.testing import make_user

PLUGINS = ("training", "certification", "service_desk", "training_delivery", "tracer_survey")
EXAMPLES = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def seed(app):
    """A few records so lists, details and updates have something to answer with."""
    import datetime
    from plugins.training.models import Batch, Programme
    today = datetime.date.today()
    with db.connection(), db.write():
        programme = audit.create(Programme, code="TIK-01", title="Teknisi Komputer", field="TIK", total_jp=240)
        audit.create(Batch, programme=programme, name="Angkatan I", start_date=today, end_date=today, quota=16,
                     reg_opens=today, reg_closes=today, status="registration")


def test_every_operation_keeps_its_contract(balai_app):
    app = balai_app(*PLUGINS, institution="BPVP Kendari")
    seed(app)
    admin = make_user(app, "api_admin", ["admin"])
    with db.connection():
        _token, secret = tokens.create(admin, "kontrak", list(tokens.SCOPES))
    app.api.buckets.burst = app.api.buckets.rate = 10 ** 6          # the limiter is tested elsewhere
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.wsgi)
    tested, failures = 0, []      # bounded by EXAMPLES per operation, not by wall time (flaky under load)
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)
        try:
            check()
        except Exception as exc:                 # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
        tested += 1
    assert tested >= 20
    assert failures == [], "\n\n".join(failures)

"""Upgrading a database that already holds audit rows: the migrations after them
must not rewrite ``audit_log`` (its append-only triggers refuse any UPDATE), and
the chain must still verify afterwards. Built at core migration 0006 (before
0007_audit_mac added the ``mac`` column), audited rows written, then ``balai
init``'s migrate to head."""
import os

import pytest

from core import app as app_mod, audit, db
from core.context import SYSTEM, set_actor
from core.testing import write_config

CORE_MIGRATIONS = os.path.join(os.path.dirname(audit.__file__), "migrations")


def _write_rows_without_mac(conn, count):
    """Audit rows as code before 0007 wrote them: a valid hash chain, no mac column."""
    marker = "?" if db.is_sqlite(conn) else "%s"
    prev = audit.GENESIS
    for seq in range(1, count + 1):
        at = db.utcnow().replace(microsecond=0)
        diff = audit.canonical({"i": seq})
        digest = audit.row_hash(seq, at, "system", "test", "thing", str(seq), diff, prev)
        conn.execute_sql(
            "INSERT INTO audit_log (seq, at, actor, actor_id, action, object_type, object_id, diff, prev_hash, hash) "
            f"VALUES ({', '.join([marker] * 10)})",
            (seq, at, "system", None, "test", "thing", str(seq), diff, prev, digest))
        prev = digest


def test_database_with_audit_rows_before_0007_migrates_to_head(tmp_path, balai_db):
    app = app_mod.build(write_config(str(tmp_path), [], balai_db), check_database=False)
    with db.connection():
        conn = db.database.obj
        db.runner_for("core", CORE_MIGRATIONS).up(target="0006_documents")
        audit.install_triggers(conn)             # what every start did before 0007
        assert "mac" not in {c.name for c in conn.get_columns("audit_log")}
        _write_rows_without_mac(conn, 5)

        ran = db.migrate(app.plugins)            # would fail with "audit_log is append-only"
        assert ("core", "0007_audit_mac") in ran
        assert not [names for _, names in db.migration_status(app.plugins) if names]
        audit.install_triggers(conn)

        old = conn.execute_sql("SELECT seq, mac FROM audit_log ORDER BY seq").fetchall()
        assert old == [(seq, "") for seq in range(1, 6)]     # unsigned, as before: nothing claimed
        set_actor(SYSTEM)
        audit.event("after-upgrade", "thing", 6)
        assert audit.verify() == (True, 6, None)
        # The upgrade left the log append-only.
        with pytest.raises(Exception, match="append-only"):
            with db.write():
                conn.execute_sql("UPDATE audit_log SET actor = 'someone' WHERE seq = 1")

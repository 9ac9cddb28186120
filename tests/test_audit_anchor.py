"""Issue 20 §3: the audit chain is anchored outside the database. Truncation,
an appended forged row and a rewrite re-hashed to the end are all found by
``balai audit verify``; number counters are audited."""
import json
import os
import stat
import subprocess
import sys

from core import audit, db, numbering
from core.testing import start_app, write_config


def _setup(tmp_path, rows=6):
    config = write_config(str(tmp_path), [], f"sqlite:///{tmp_path}/a.db")
    app = start_app(config)
    with db.connection():
        for i in range(rows):
            audit.event("test", "thing", i, {"i": i})
    return config, app


def _cli(config, *args):
    return subprocess.run([sys.executable, "-m", "core.cli", "--config", config, "audit", *args],
                          capture_output=True, text=True)


def _unlock(conn):
    conn.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")


def _rehash_from(conn, first):
    """What a forger with SQL access but without the key does: re-hash every row from ``first`` on."""
    rows = conn.execute_sql("SELECT seq, at, actor, action, object_type, object_id, diff FROM audit_log "
                            "WHERE seq >= ? ORDER BY seq", (first,)).fetchall()
    prev = conn.execute_sql("SELECT hash FROM audit_log WHERE seq = ?", (first - 1,)).fetchone()[0]
    import datetime
    for seq, at, actor, action, otype, oid, diff in rows:
        moment = at if isinstance(at, datetime.datetime) else datetime.datetime.fromisoformat(str(at))
        digest = audit.row_hash(seq, moment, actor, action, otype, oid, diff, prev)
        conn.execute_sql("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def test_key_file_is_private_and_checkpoint_is_signed(tmp_path):
    config, app = _setup(tmp_path)
    key_path = app.config["audit_key_file"]
    assert os.path.exists(key_path) and stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    with db.connection():
        assert all(m for (m,) in audit.AuditLog.select(audit.AuditLog.mac).tuples())   # rows signed
    res = _cli(config, "checkpoint")
    assert res.returncode == 0, res.stderr
    cp = json.loads(res.stdout)
    assert set(cp) == {"id", "seq", "hash", "time", "mac"} and cp["seq"] >= 6
    with open(app.config["audit_checkpoint_file"], encoding="utf-8") as fh:
        assert json.loads(fh.readline()) == cp
    res = _cli(config, "verify")
    assert res.returncode == 0 and "1 checkpoints match" in res.stdout, res.stdout + res.stderr


def test_truncation_after_a_checkpoint_is_found(tmp_path):
    config, app = _setup(tmp_path)
    assert _cli(config, "checkpoint").returncode == 0
    with db.connection() as conn:
        _unlock(conn)
        last = audit.AuditLog.select(audit.AuditLog.seq).order_by(audit.AuditLog.seq.desc()).scalar()
        conn.execute_sql("DELETE FROM audit_log WHERE seq >= ?", (last - 1,))
        assert audit.verify()[0]                      # the chain alone cannot tell
    res = _cli(config, "verify")
    assert res.returncode == 1 and "log truncated" in res.stderr, res.stderr


def test_appended_forged_row_is_found(tmp_path):
    config, app = _setup(tmp_path)
    with db.connection() as conn:
        head = audit.AuditLog.select().order_by(audit.AuditLog.seq.desc()).first()
        import datetime
        at = datetime.datetime(2026, 1, 1, 8, 0)
        diff = audit.canonical({"role": "admin"})
        digest = audit.row_hash(head.seq + 1, at, "mallory", "role_granted", "user", "9", diff, head.hash)
        conn.execute_sql("INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, diff, prev_hash, hash, mac) "
                         "VALUES (?, ?, 'mallory', 'role_granted', 'user', '9', ?, ?, ?, '')",
                         (head.seq + 1, at, diff, head.hash, digest))
        assert audit.verify()[0]                      # a well-linked row: the chain alone cannot tell
    res = _cli(config, "verify")
    assert res.returncode == 1 and f"entry {head.seq + 1} has no signature" in res.stderr, res.stderr


def test_rewrite_and_rehash_is_found_against_the_checkpoint(tmp_path):
    config, app = _setup(tmp_path)
    assert _cli(config, "checkpoint").returncode == 0
    with db.connection() as conn:
        _unlock(conn)
        conn.execute_sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
        _rehash_from(conn, 3)
        assert audit.verify()[0]                      # re-hashed: the chain alone cannot tell
    res = _cli(config, "verify")
    assert res.returncode == 1
    assert "entry 3 has a wrong signature" in res.stderr and "rewritten and re-hashed" in res.stderr, res.stderr


def test_edited_checkpoint_line_is_reported(tmp_path):
    config, app = _setup(tmp_path)
    assert _cli(config, "checkpoint").returncode == 0
    path = app.config["audit_checkpoint_file"]
    with open(path, encoding="utf-8") as fh:
        cp = json.loads(fh.readline())
    cp["seq"] -= 2                                   # pretend the log was shorter
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(cp) + "\n")
    res = _cli(config, "verify")
    assert res.returncode == 1 and "wrong signature: edited or forged" in res.stderr


def test_number_counters_are_audited(tmp_path):
    config, app = _setup(tmp_path, rows=0)
    with db.connection():
        from core.context import SYSTEM, set_actor
        set_actor(SYSTEM)
        with db.write():
            first = numbering.next_number("surat", "{n:03d}/BLK/{year}")
            second = numbering.next_number("surat", "{n:03d}/BLK/{year}")
        rows = list(audit.AuditLog.select().where(audit.AuditLog.object_type == "number_counter"))
    assert first.startswith("001/") and second.startswith("002/")
    assert [json.loads(r.diff)["last"] for r in rows] == [[0, 1], [1, 2]]

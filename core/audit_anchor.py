"""The anchor of the audit chain, kept outside the database it protects.

The hash chain alone shows an edit only to someone who did not re-hash
everything after it. Two things a database administrator (or an attacker
with SQL access) cannot make without the **audit key**, a secret file on the
application server (``[balai] audit_key_file``, created with mode 0600 by
``balai init`` / ``balai demo``), never stored in the database or its backups:

* each audit row carries ``mac`` = HMAC-SHA256(key, row hash): a row appended
  without the key is a forgery;
* **checkpoints**: JSON lines ``{"id", "seq", "hash", "time", "mac"}`` of the
  chain head, appended to ``[balai] audit_checkpoint_file`` by
  ``balai audit checkpoint`` and every hour by the scheduler. Keep copies
  elsewhere (another machine, a printout): rows deleted after a checkpoint
  (truncation) or rewritten and re-hashed no longer match it.

``verify_all`` reports every problem found: a broken chain, unsigned or
wrongly signed rows, a checkpoint whose own signature fails, truncation and
rewrites against each checkpoint.
"""
import datetime
import hashlib
import hmac
import json
import os
import secrets

from core import audit
from core.plugins import Job


class AnchorError(Exception):
    pass


# ---------------------------------------------------------------- the key

def ensure_key(path):
    """Create the key file (32 random bytes, hex; readable by its owner only) if missing."""
    if not os.path.exists(path):
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return load_key(path)


def load_key(path):
    """The key bytes from its file, or None when there is no file."""
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="ascii") as fh:
        text = fh.read().strip()
    if len(text) < 32:
        raise AnchorError(f"audit key file {path} is too short (expected 64 hex characters)")
    return text.encode("ascii")


def use_key_of(app, create=False):
    """Load (or with ``create`` make) the app's audit key and sign new audit rows with it."""
    path = app.config["audit_key_file"]
    key = ensure_key(path) if create else load_key(path)
    audit.set_key(key)
    return key


def sign(key, *parts):
    return hmac.new(key, audit.canonical(list(parts)).encode("utf-8"), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- checkpoints

def read_checkpoints(path):
    """[(line number, dict or None when the line is not JSON)] of the checkpoint file."""
    if not path or not os.path.exists(path):
        return []
    out = []
    with open(path, encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append((no, json.loads(line)))
                except ValueError:
                    out.append((no, None))
    return out


def checkpoint(app):
    """Append a signed checkpoint of the chain head to the checkpoint file; returns it (None: empty log)."""
    key = load_key(app.config["audit_key_file"])
    if key is None:
        raise AnchorError(f"no audit key at {app.config['audit_key_file']}: run `balai init` to create it")
    head = (audit.AuditLog.select(audit.AuditLog.seq, audit.AuditLog.hash)
            .order_by(audit.AuditLog.seq.desc()).limit(1).tuples().first())
    if head is None:
        return None
    path = app.config["audit_checkpoint_file"]
    previous = [cp for _no, cp in read_checkpoints(path) if cp]
    number = (max((cp.get("id", 0) for cp in previous), default=0) or 0) + 1
    time = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    cp = {"id": number, "seq": head[0], "hash": head[1], "time": time}
    cp["mac"] = sign(key, cp["id"], cp["seq"], cp["hash"], cp["time"])
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(cp, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return cp


def _checkpoint_job(app, now):
    checkpoint(app)


JOB = Job("audit_checkpoint", _checkpoint_job, every_minutes=60)


# ---------------------------------------------------------------- verifying

def verify_all(app):
    """(entries checked, [problems]) for the chain, the row signatures and the checkpoints."""
    ok, count, problem = audit.verify()
    problems = [] if ok else [problem]
    key = load_key(app.config["audit_key_file"])
    if key is None:
        problems.append(f"no audit key at {app.config['audit_key_file']}: row signatures and checkpoints "
                        "cannot be checked")
        return count, problems
    problems += _row_signatures(key)
    problems += _against_checkpoints(key, app.config["audit_checkpoint_file"])
    return count, problems


def _row_signatures(key):
    """Rows signed with another key, or unsigned after the first signed row (appended without the key)."""
    problems, signed_seen = [], False
    A = audit.AuditLog
    for seq, digest, mac in A.select(A.seq, A.hash, A.mac).order_by(A.seq).tuples().iterator():
        if not mac:
            if signed_seen:
                problems.append(f"entry {seq} has no signature: appended without the audit key (forged)")
        elif not hmac.compare_digest(mac, audit.row_mac(key, digest)):
            problems.append(f"entry {seq} has a wrong signature: written without the audit key (forged)")
        else:
            signed_seen = True
        if len(problems) >= 20:
            problems.append("… (more entries not listed)")
            break
    return problems


def _against_checkpoints(key, path):
    problems = []
    A = audit.AuditLog
    last_seq = A.select(A.seq).order_by(A.seq.desc()).scalar() or 0
    checkpoints = read_checkpoints(path)
    wanted = {}
    for no, cp in checkpoints:
        fields = ("id", "seq", "hash", "time", "mac")
        if not isinstance(cp, dict) or any(f not in cp for f in fields):
            problems.append(f"checkpoint file line {no} is not a checkpoint")
            continue
        if not hmac.compare_digest(str(cp["mac"]), sign(key, cp["id"], cp["seq"], cp["hash"], cp["time"])):
            problems.append(f"checkpoint {cp['id']} (line {no}) has a wrong signature: edited or forged")
            continue
        wanted[cp["seq"]] = cp
    found = dict(A.select(A.seq, A.hash).where(A.seq.in_(list(wanted) or [0])).tuples())
    for seq, cp in sorted(wanted.items()):
        if seq > last_seq:
            problems.append(f"log truncated: checkpoint {cp['id']} of {cp['time']} recorded entry {seq}, "
                            f"the log now ends at entry {last_seq} (entries deleted)")
        elif found.get(seq) != cp["hash"]:
            problems.append(f"entry {seq} differs from checkpoint {cp['id']} of {cp['time']}: "
                            "the log was rewritten and re-hashed")
    return problems

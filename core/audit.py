"""The tamper-evident audit log, and the one service path for every change.

Every create, update and delete of a record goes through ``create``,
``update`` and ``delete`` here (not ORM signals: ``Model.update()`` bypasses
them), which write the change and its audit row in the same transaction.
Security events (logins, role changes) go through ``event``. The transaction
around them is ``core.db.write()`` — the one name for a write transaction.

Each row stores the hash of the previous row; ``verify`` walks the chain and
names the first row that was edited, deleted or reordered. Database triggers
refuse UPDATE and DELETE on the table. Each row is also signed with a key kept
outside the database, and signed checkpoints of the chain head are kept
outside it too (core/audit_anchor.py): truncation, appended forgeries and
rewrite-and-rehash are found by ``balai audit verify``.
"""
import datetime
import decimal
import hashlib
import hmac
import json

import peewee

from core import context, db
from core.db import BaseModel, Prepared, database, is_sqlite, param, transaction_memo, utcnow

GENESIS = "0" * 64


class AuditLog(BaseModel):
    seq = peewee.BigIntegerField(primary_key=True)
    at = peewee.DateTimeField()
    actor = peewee.CharField(max_length=150)
    actor_id = peewee.IntegerField(null=True)
    action = peewee.CharField(max_length=40)
    object_type = peewee.CharField(max_length=80, default="")
    object_id = peewee.CharField(max_length=80, default="")
    diff = peewee.TextField(default="{}")
    prev_hash = peewee.CharField(max_length=64)
    hash = peewee.CharField(max_length=64)
    mac = peewee.CharField(max_length=64, default="")     # HMAC of hash with the audit key (core/audit_anchor.py)

    class Meta:
        table_name = "audit_log"
        indexes = ((("object_type", "object_id", "seq"), False), (("at",), False), (("actor",), False))


# ---------------------------------------------------------------- values and hashing

def plain(value):
    """A JSON-safe, canonical form of a field value."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, peewee.Model):
        return value.get_id()
    return value


def canonical(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(seq, at, actor, action, object_type, object_id, diff, prev_hash):
    payload = canonical([seq, at.isoformat(), actor, action, object_type, object_id, diff, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_KEY = None


def set_key(key):
    """The audit key (bytes, kept in a file outside the database) new rows are signed with."""
    global _KEY
    _KEY = key


def row_mac(key, digest):
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def snapshot(obj):
    """Field name → plain value of a model instance (secret fields left out)."""
    exclude = set(getattr(obj, "audit_exclude", ()))
    out = {}
    for name, field in obj._meta.fields.items():
        if name in exclude:
            continue
        if isinstance(field, peewee.ForeignKeyField):
            out[name] = obj.__data__.get(name)
        else:
            out[name] = plain(getattr(obj, name))
    return out


# ---------------------------------------------------------------- writing

# The two statements of every audited write, compiled once (core/db.py Prepared).
_HEAD = Prepared(lambda: AuditLog.select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1).tuples())
_INSERT = Prepared(lambda: AuditLog.insert({
    field: param(name) for name, field in AuditLog._meta.fields.items()}))


def _chain_head():
    """Lock the chain for this transaction and return its head (seq, hash), once per
    transaction: the lock is held to the end, so later rows chain on from the memo
    (forgotten if a savepoint rolls back). Taken BEFORE the transaction's first audited
    write, so writers queue here and not on rows they both touch (the compliance
    summary's), which would deadlock against this lock on PostgreSQL."""
    memo = transaction_memo()
    head = memo.get("audit_head")
    if head is None:
        connection = database.obj
        if not is_sqlite(connection):
            # Serialise chain writers across processes; released at commit.
            connection.execute_sql("SELECT pg_advisory_xact_lock(741900)")
        head = memo["audit_head"] = _HEAD.first() or (0, GENESIS)
    return head


def _append(action, object_type, object_id, diff):
    """Append one row to the chain; caller holds a write transaction."""
    memo = transaction_memo()
    head = _chain_head()
    seq, prev = head[0] + 1, head[1]
    who = context.actor()
    at = utcnow()
    diff_json = canonical(diff)
    digest = row_hash(seq, at, who.username, action, object_type, str(object_id), diff_json, prev)
    _INSERT.execute(seq=seq, at=at, actor=who.username, actor_id=who.id, action=action,
                    object_type=object_type, object_id=str(object_id), diff=diff_json,
                    prev_hash=prev, hash=digest, mac=row_mac(_KEY, digest) if _KEY else "")
    memo["audit_head"] = (seq, digest)
    return seq


def event(action, object_type="", object_id="", data=None):
    """Record a security or workflow event (login, role change, step completed…)."""
    with db.write():
        return _append(action, object_type, object_id or "", data or {})


def create(model, **fields):
    """Insert a record and its audit row; returns the saved instance."""
    with db.write():
        _chain_head()
        obj = model(**fields)
        db.insert_row(obj)
        new = snapshot(obj)
        _append("create", model.audit_type(), obj.get_id(), {k: [None, v] for k, v in new.items() if v is not None})
        return obj


def update(obj, **fields):
    """Change fields of a record; the audit row holds old → new of what changed."""
    with db.write():
        before = snapshot(obj)
        # Secret fields (``audit_exclude``, e.g. a password hash) are saved like any other when they
        # change; the audit row says that they changed, never their values.
        secret = set(getattr(obj, "audit_exclude", ())) & set(fields)
        secret_before = {k: getattr(obj, k) for k in secret}
        for name, value in fields.items():
            setattr(obj, name, value)
        after = snapshot(obj)
        changed = {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
        hidden = sorted(k for k in secret if getattr(obj, k) != secret_before[k])
        if not changed and not hidden:
            return obj
        _chain_head()
        db.update_row(obj, [k for k in [*changed, *hidden] if k in obj._meta.fields])
        _append("update", type(obj).audit_type(), obj.get_id(), {**changed, **{k: ["***", "***"] for k in hidden}})
        return obj


def update_many(objs, **fields):
    """Set the same ``fields`` on many records of one model: one UPDATE for those that change and their
    audit rows (old → new, chained as ``update`` chains them) in one INSERT, whatever their number
    (a job marking every record it handled). Returns the records changed."""
    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    if any(type(o) is not model for o in objs) or set(getattr(model, "audit_exclude", ())) & set(fields):
        raise ValueError("update_many: records of one model, no secret fields (use update)")
    changed_objs, diffs = [], []
    for obj in objs:
        before = snapshot(obj)
        for name, value in fields.items():
            setattr(obj, name, value)
        after = snapshot(obj)
        diff = {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
        if diff:
            changed_objs.append(obj)
            diffs.append(diff)
    if not changed_objs:
        return []
    with db.write():
        head = _chain_head()
        pk = model._meta.primary_key
        model.update({model._meta.fields[k]: v for k, v in fields.items()}).where(
            pk.in_([o.get_id() for o in changed_objs])).execute()
        who, at, (seq, prev) = context.actor(), utcnow(), head
        rows = []
        for obj, diff in zip(changed_objs, diffs):
            seq, diff_json = seq + 1, canonical(diff)
            digest = row_hash(seq, at, who.username, "update", model.audit_type(), str(obj.get_id()), diff_json, prev)
            rows.append({"seq": seq, "at": at, "actor": who.username, "actor_id": who.id, "action": "update",
                         "object_type": model.audit_type(), "object_id": str(obj.get_id()), "diff": diff_json,
                         "prev_hash": prev, "hash": digest, "mac": row_mac(_KEY, digest) if _KEY else ""})
            prev = digest
        for start in range(0, len(rows), 300):          # SQLite's limit on values per statement
            AuditLog.insert_many(rows[start:start + 300]).execute()
        transaction_memo()["audit_head"] = (seq, prev)
    for obj in changed_objs:
        obj._dirty -= set(fields)
    return changed_objs


def delete(obj):
    """Delete a record; the audit row keeps what it held."""
    with db.write():
        old = snapshot(obj)
        _chain_head()
        obj.delete_instance()
        _append("delete", type(obj).audit_type(), obj.get_id(), {k: [v, None] for k, v in old.items() if v is not None})


def bulk_create(model, rows):
    """Insert many records, one audit row each, in one transaction."""
    with db.write():
        return [create(model, **row) for row in rows]


# ---------------------------------------------------------------- reading

def history(object_type, object_id, limit=200):
    """The record's history (chatter), newest first; ``object_id`` may be a list of ids (one query)."""
    if isinstance(object_id, (list, tuple, set, frozenset)):
        which = AuditLog.object_id.in_([str(i) for i in object_id])
    else:
        which = AuditLog.object_id == str(object_id)
    return list(AuditLog.select().where((AuditLog.object_type == object_type) & which)
                .order_by(AuditLog.seq.desc()).limit(limit))


def verify(batch=5000):
    """Walk the chain. Returns (ok, rows checked, problem or None)."""
    expected_seq, prev, count = 1, GENESIS, 0
    query = (AuditLog.select(AuditLog.seq, AuditLog.at, AuditLog.actor, AuditLog.action,
                             AuditLog.object_type, AuditLog.object_id, AuditLog.diff,
                             AuditLog.prev_hash, AuditLog.hash)
             .order_by(AuditLog.seq).tuples())
    for seq, at, actor, action, otype, oid, diff, prev_hash, digest in query.iterator():
        count += 1
        if seq != expected_seq:
            return False, count, f"entry {expected_seq} is missing (next entry is {seq}): deleted or reordered"
        if prev_hash != prev:
            return False, count, f"entry {seq}: link to entry {seq - 1} is broken: an entry was edited, deleted or reordered"
        if row_hash(seq, at, actor, action, otype, oid, diff, prev_hash) != digest:
            return False, count, f"entry {seq} was edited (its content does not match its hash)"
        prev, expected_seq = digest, seq + 1
    return True, count, None


# ---------------------------------------------------------------- append-only triggers

SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
]


def install_triggers(database_obj):
    for sql in (SQLITE_TRIGGERS if is_sqlite(database_obj) else POSTGRES_TRIGGERS):
        database_obj.execute_sql(sql)

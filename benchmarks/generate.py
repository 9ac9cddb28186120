"""Fill a Balai database with synthetic data at a chosen scale, fast (bulk inserts).

    .venv/bin/python benchmarks/generate.py --config benchmarks/bench.ini --scale small

Scales (persons / enrolments / SOP runs / audit entries):
  small   10,000 /   2,000 /   1,000 /    50,000
  medium 100,000 /  20,000 /  10,000 /   500,000
  large 1,000,000 / 200,000 / 100,000 / 5,000,000

Rows go straight in with insert_many (the benchmark measures reading and the
write path of step completion, not the generator); the audit entries form a
valid hash chain, so `balai audit verify` passes on the result.
"""
import argparse
import datetime
import itertools
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCALES = {
    "small": (10_000, 2_000, 1_000, 50_000),
    "medium": (100_000, 20_000, 10_000, 500_000),
    "large": (1_000_000, 200_000, 100_000, 5_000_000),
}
FIRST = ["Andi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika", "Lukman",
         "Maya", "Nur", "Oki", "Putri", "Rahmat", "Sari", "Taufik", "Wulan", "Yusuf", "Zahra", "La Ode", "Wa Ode"]
LAST = ["Pratama", "Saputra", "Lestari", "Wijaya", "Hidayat", "Rahmawati", "Santoso", "Kusuma", "Nugroho",
        "Permata", "Siregar", "Nasution", "Hamid", "Tamburaka", "Rasyid", "Halim", "Sembiring", "Situmorang"]


def without_indexes(model):
    """Drop the secondary indexes of ``model``'s table; returns the SQL that recreates them
    (building an index once after a bulk load is several times faster than row by row)."""
    from core import db
    conn = db.database.obj
    table = model._meta.table_name
    again = []
    for index in conn.get_indexes(table):
        if index.sql and not index.name.endswith("_pkey") and not index.name.startswith("sqlite_autoindex"):
            conn.execute_sql(f'DROP INDEX "{index.name}"')
            again.append(index.sql)
    return again


def bulk(model, rows):
    """Insert rows (dicts) straight through the driver: executemany on SQLite, COPY on
    PostgreSQL (peewee's insert_many builds one SQL text per chunk in Python, which
    made the large set take 12 minutes). Fields left out get their model default."""
    import peewee
    from core import db
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    auto_key = isinstance(model._meta.primary_key, peewee.AutoField) and model._meta.primary_key.name not in first
    columns = [name for name, f in model._meta.fields.items() if not (auto_key and f is model._meta.primary_key)]
    defaults = {name: (f.default() if callable(f.default) else f.default)
                for name, f in model._meta.fields.items() if name in columns}
    fields = [model._meta.fields[c] for c in columns]
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    table = model._meta.table_name
    pack = lambda r: tuple(r[c] if c in r else defaults[c] for c in columns)   # noqa: E731  (missing: default or NULL)
    with db.write():
        cursor = db.database.obj.cursor()
        if db.is_sqlite():
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in fields)})'
            batch = [pack(first)]
            for row in rows:
                batch.append(pack(row))
                if len(batch) >= 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            cursor.executemany(sql, batch)
        else:
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                copy.write_row(pack(first))
                for row in rows:
                    copy.write_row(pack(row))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--scale", choices=SCALES, default="small")
    args = parser.parse_args()
    from core import audit, db, search
    from core.app import build
    from core.context import SYSTEM, set_actor
    from core.testing import make_user
    from core.tracker import report, service
    from core.tracker.models import Run, RunStep
    from plugins.training.models import Batch, Enrolment, Person, Programme

    persons, enrolments, runs, audits = SCALES[args.scale]
    app = build(args.config)
    set_actor(SYSTEM)
    random.seed(7)
    t0 = time.time()
    with db.connection():
        db.migrate(app.plugins)
        audit.install_triggers(db.database.obj)
    app.startup()
    with db.connection():
        if Person.select().exists():
            sys.exit("the database already holds data: use a fresh one")
        roles = sorted({r for _p, sop in app.sops for s in sop["steps"] for r in s["roles"]})
        make_user(app, "bench", roles + ["admin"])
        bulk(Programme, [dict(code=f"P{i:03d}", title=f"Program {i}", field="TIK", total_jp=160) for i in range(40)])
        prog_ids = [p for (p,) in Programme.select(Programme.id).tuples()]
        today = datetime.date.today()
        bulk(Batch, [dict(programme=random.choice(prog_ids), name=f"Angkatan {i}", start_date=today - datetime.timedelta(days=60),
                          end_date=today - datetime.timedelta(days=5), quota=10_000, reg_opens=today - datetime.timedelta(days=90),
                          reg_closes=today + datetime.timedelta(days=30), status="registration") for i in range(200)])
        batch_ids = [b for (b,) in Batch.select(Batch.id).tuples()]
        print(f"persons… ({persons:,}) {time.time() - t0:.0f} s", flush=True)
        # The search index is built once after the rows are in (a trigger per row is slower).
        search.drop_index(db.database.obj, Person._meta.table_name, ["name"])
        recreate = without_indexes(Person)
        bulk(Person, (dict(nik=f"7471{i:012d}", name=f"{random.choice(FIRST)} {random.choice(LAST)}",
                           sex=random.choice("LP"), phone=f"0812{i:08d}"[:13], regency="Kota Kendari")
                      for i in range(persons)))
        for sql in recreate:
            db.database.obj.execute_sql(sql)
        search.create_index(db.database.obj, Person._meta.table_name, ["name"])
        print(f"enrolments… ({enrolments:,}) {time.time() - t0:.0f} s", flush=True)
        bulk(Enrolment, (dict(person=i + 1, batch=batch_ids[i % len(batch_ids)], status=random.choice(
            ["registered", "accepted", "training", "graduated"])) for i in range(enrolments)))
        print(f"runs… ({runs:,}) {time.time() - t0:.0f} s", flush=True)
        code = app.sops[-1][1]["code"]
        rev = service.published_revision(code)
        steps = service.steps_of(rev)
        now = db.utcnow()
        bulk(Run, [dict(revision=rev.id, code=code, subject_type="bench", subject_id=str(i), title=f"Bench {i}",
                        status="active", current_no=steps[i % len(steps)].no, params="{}",
                        started_at=now - datetime.timedelta(hours=i % 500)) for i in range(runs)])
        run_rows = []
        for i in range(runs):
            st = steps[i % len(steps)]
            ready = now - datetime.timedelta(hours=i % 500)
            for prior in steps[: steps.index(st)][-2:]:
                run_rows.append(dict(run=i + 1, step=prior.id, code=code, no=prior.no, status="done", ready_at=ready - datetime.timedelta(hours=3),
                                     due_at=ready - datetime.timedelta(hours=1), completed_at=ready, elapsed_minutes=random.randint(5, 900),
                                     on_time=random.random() < 0.8, standard_minutes=480))
            run_rows.append(dict(run=i + 1, step=st.id, code=code, no=st.no, status="ready", ready_at=ready,
                                 due_at=ready + datetime.timedelta(hours=random.randint(-48, 48)), standard_minutes=480))
        report.drop_triggers(db.database.obj)          # the compliance summary is built once after the rows
        bulk(RunStep, run_rows)
        with db.write():
            report.install(db.database.obj)
        print(f"audit entries… ({audits:,}) {time.time() - t0:.0f} s", flush=True)
        last = audit.AuditLog.select(audit.AuditLog.seq, audit.AuditLog.hash).order_by(audit.AuditLog.seq.desc()).tuples().first()
        head = list(last) if last else [0, audit.GENESIS]
        diff = audit.canonical({"status": ["registered", "accepted"]})

        def audit_rows():
            seq, prev = head
            for i in range(audits):
                seq += 1
                at = now - datetime.timedelta(seconds=audits - i)
                oid = str(1 + i % persons)
                digest = audit.row_hash(seq, at, "bench", "update", "training_person", oid, diff, prev)
                yield dict(seq=seq, at=at, actor="bench", action="update", object_type="training_person",
                           object_id=oid, diff=diff, prev_hash=prev, hash=digest)
                prev = digest
        rows = audit_rows()
        recreate = without_indexes(audit.AuditLog)
        while True:                      # commits of 250,000 rows keep the SQLite WAL small
            part = list(itertools.islice(rows, 250_000))
            if not part:
                break
            bulk(audit.AuditLog, part)
        print(f"audit indexes… {time.time() - t0:.0f} s", flush=True)
        for sql in recreate:
            db.database.obj.execute_sql(sql)
        db.database.obj.execute_sql("ANALYZE")
    print(json.dumps({"scale": args.scale, "seconds": round(time.time() - t0, 1), "sop": code}))


if __name__ == "__main__":
    main()

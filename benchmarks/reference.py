"""The reference: a bare bottle + peewee + jinja2 app over the same database,
doing the same read and the same writes as Balai's measured routes, without
sessions, permissions, CSRF, menus or translation. ``load.py`` runs it next
to Balai so every figure is a ratio measured in the same run.

    .venv/bin/python benchmarks/reference.py --config benchmarks/bench.ini --port 8099

- ``GET /people``: the people list's query (51 rows by name, no COUNT) and a table.
- ``GET /people?q=term``: the same trigram-index query as Balai's search.
- ``POST /complete/<run>``: one step completion: read the run and its open step,
  close the step, open the next, move the run, three audit rows chained onto the
  head read once under the chain's lock (the audit hash as in core/audit.py).
"""
import argparse
import configparser
import datetime
import hashlib
import json
import os
import sys

import bottle
import jinja2
import peewee
from playhouse import db_url

PAGE = jinja2.Template("""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Peserta</title></head>
<body><h1>Peserta</h1><table><thead><tr><th>Nama</th><th>NIK</th><th>JK</th><th>Tanggal lahir</th><th>Kab/kota</th></tr></thead>
<tbody>{% for id, name, nik, sex, birth, regency in rows %}<tr><td><a href="/people/{{ id }}">{{ name }}</a></td>
<td>{{ nik }}</td><td>{{ sex }}</td><td>{{ birth or '' }}</td><td>{{ regency }}</td></tr>{% endfor %}</tbody></table>
{% if has_next %}<a href="?page={{ page + 1 }}">Berikutnya</a>{% endif %}</body></html>""", autoescape=True)
COLUMNS = "p.id, p.name, p.nik, p.sex, p.birth_date, p.regency"


def connect(config_path):
    parser = configparser.ConfigParser()
    parser.read(config_path)
    url = parser["balai"]["database"]
    base = os.path.dirname(os.path.abspath(config_path))
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = "sqlite:///" + os.path.join(base, url[len("sqlite:///"):])
        return db_url.connect(url, pragmas={"journal_mode": "wal", "busy_timeout": 10000, "synchronous": "normal"},
                              check_same_thread=False)
    return db_url.connect(url)


def make_app(db):
    sqlite = isinstance(db, peewee.SqliteDatabase)
    mark = "?" if sqlite else "%s"
    app = bottle.Bottle()

    @app.hook("before_request")
    def _connect():
        db.connect(reuse_if_open=True)           # one connection per thread, kept

    @app.get("/people")
    def people():
        text = " ".join((bottle.request.query.getunicode("q") or "").split())
        page = max(1, int(bottle.request.query.page or 1))
        offset = (page - 1) * 50
        if not text:
            sql = f"SELECT {COLUMNS} FROM training_person p ORDER BY p.name, p.id LIMIT 51 OFFSET {offset}"
            args = ()
        elif sqlite:
            sql = (f"SELECT {COLUMNS} FROM training_person p JOIN training_person_search s ON s.rowid = p.id "
                   f"WHERE s.training_person_search MATCH ? ORDER BY s.rowid DESC LIMIT 51 OFFSET {offset}")
            args = ('"' + text.replace('"', '""') + '"',)
        else:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql = f"SELECT {COLUMNS} FROM training_person p WHERE p.name ILIKE %s ORDER BY p.id DESC LIMIT 51 OFFSET {offset}"
            args = (pattern,)
        rows = db.execute_sql(sql, args).fetchall()
        return PAGE.render(rows=rows[:50], has_next=len(rows) > 50, page=page)

    steps = {}

    def steps_of(revision):
        if revision not in steps:
            steps[revision] = db.execute_sql(
                f"SELECT id, no FROM sop_step WHERE revision_id = {mark} ORDER BY no", (revision,)).fetchall()
        return steps[revision]

    @app.post("/complete/<run_id:int>")
    def complete(run_id):
        with db.atomic(lock_type="IMMEDIATE") if sqlite else db.atomic():
            if not sqlite:                    # the chain's lock first, as Balai takes it
                db.execute_sql("SELECT pg_advisory_xact_lock(741900)")
            head = db.execute_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            run = db.execute_sql(f"SELECT id, revision_id, code FROM run WHERE id = {mark} AND status = 'active'",
                                 (run_id,)).fetchone()
            if run is None:
                bottle.abort(409)
            step = db.execute_sql(f"SELECT id, no, ready_at FROM run_step WHERE run_id = {mark} "
                                  f"AND status IN ('ready', 'paused') ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()
            if step is None:
                bottle.abort(409)
            now = datetime.datetime.utcnow()
            later = [s for s in steps_of(run[1]) if s[1] > step[1]]
            db.execute_sql(f"UPDATE run_step SET status = 'done', completed_at = {mark}, notes = {mark} WHERE id = {mark}",
                           (now, bottle.request.forms.get("notes", ""), step[0]))
            changes = [("update", "run_step", step[0], {"status": ["ready", "done"]})]
            if later:
                nxt = later[0]
                cursor = db.execute_sql(
                    f"INSERT INTO run_step (run_id, step_id, code, no, status, ready_at, paused_minutes, branch, notes, reason) "
                    f"VALUES ({mark}, {mark}, {mark}, {mark}, 'ready', {mark}, 0, '', '', '')"
                    + ("" if sqlite else " RETURNING id"), (run_id, nxt[0], run[2], nxt[1], now))
                new_id = cursor.lastrowid if sqlite else cursor.fetchone()[0]
                db.execute_sql(f"UPDATE run SET current_no = {mark} WHERE id = {mark}", (nxt[1], run_id))
                changes += [("create", "run_step", new_id, {"no": [None, nxt[1]]}),
                            ("update", "run", run_id, {"current_no": [step[1], nxt[1]]})]
            seq, prev = head
            for action, otype, oid, diff in changes:
                seq += 1
                diff_json = json.dumps(diff, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                payload = json.dumps([seq, now.isoformat(), "bench", action, otype, str(oid), diff_json, prev],
                                     sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                digest = hashlib.sha256(payload.encode()).hexdigest()
                db.execute_sql(f"INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, diff, prev_hash, hash) "
                               f"VALUES ({mark}, {mark}, 'bench', {mark}, {mark}, {mark}, {mark}, {mark}, {mark})",
                               (seq, now, action, otype, str(oid), diff_json, prev, digest))
                prev = digest
        bottle.redirect("/people", 303)

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    import waitress
    waitress.serve(make_app(connect(args.config)), host="127.0.0.1", port=args.port, threads=args.threads,
                   _quiet=True)


if __name__ == "__main__":
    sys.exit(main())
